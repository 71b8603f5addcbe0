"""API tokens made and revoked in the portal, token authentication, rate limits, and the
docs page that loads nothing from another site."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry

from market.models import Listing
from tests.factories import MembershipFactory, VerifiedOrganisationFactory

pytestmark = pytest.mark.django_db


def _create(key: str, title: str):
    """A draft listing asked for by a program holding the token ``key``."""
    return Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        "/api/v1/listings/", {"kind": "offer", "title": title}, content_type="application/json"
    )


def test_a_member_makes_a_token_sees_it_once_and_uses_it(client):
    member = MembershipFactory(organisation=VerifiedOrganisationFactory()).user
    client.force_login(member)

    response = client.post("/vi/portal/api-token/", {"action": "create"})

    assert response.status_code == 200
    key = Token.objects.get(user=member).key
    assert key in response.content.decode()
    assert key not in client.get("/vi/portal/api-token/").content.decode()
    assert ModelLogEntry.objects.filter(action="techfloor.api_token.create").count() == 1
    assert key not in str(ModelLogEntry.objects.values_list("data", "object_id"))

    created = _create(key, "Qua API")
    assert created.status_code == 201, created.content
    assert Listing.objects.get(title="Qua API").created_by == member


def test_a_revoked_or_replaced_token_stops_working(client):
    member = MembershipFactory(organisation=VerifiedOrganisationFactory()).user
    client.force_login(member)
    client.post("/vi/portal/api-token/", {"action": "create"})
    first = Token.objects.get(user=member).key
    client.post("/vi/portal/api-token/", {"action": "create"})
    second = Token.objects.get(user=member).key
    api_first = client.__class__(HTTP_AUTHORIZATION=f"Token {first}")
    api_second = client.__class__(HTTP_AUTHORIZATION=f"Token {second}")
    body = {"kind": "offer", "title": "Thử"}

    assert first != second
    assert (
        api_first.post("/api/v1/listings/", body, content_type="application/json").status_code
        == 401
    )
    response = client.post("/vi/portal/api-token/", {"action": "revoke"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=member).exists()
    assert (
        api_second.post("/api/v1/listings/", body, content_type="application/json").status_code
        == 401
    )
    assert not Listing.objects.exists()


def test_the_token_page_is_for_people_who_are_logged_in(client):
    response = client.get("/vi/portal/api-token/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_too_many_requests_are_refused_with_429(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }

    statuses = [client.get("/api/v1/listings/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_docs_page_loads_nothing_from_another_site(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    parser = _Links()
    parser.feed(response.content.decode())
    assert any("swagger-ui-bundle.js" in url for url in parser.urls)
    assert [url for url in parser.urls if urlsplit(url).netloc] == []
    script = client.get(re.search(r'src="([^"]*\?script=)"', response.content.decode())[1])
    assert script.status_code == 200
    assert "validatorUrl" in script.content.decode()
    assert not re.search(r"https?://", script.content.decode().replace("http://testserver", ""))
    for url in parser.urls:
        assert client.get(url).status_code == 200, url


def test_the_schema_describes_version_one(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/listings/",
        "/api/v1/listings/{id}/",
        "/api/v1/listings/{id}/interest/",
        "/api/v1/listings/{id}/submit/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/calls/",
        "/api/v1/calls/{id}/",
    } <= set(paths)
    assert not any(path.startswith("/api/v2/") for path in paths)
