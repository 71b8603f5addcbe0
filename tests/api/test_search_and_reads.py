"""The API finds, filters and pages listings as the floor does (one search, ``market.search``),
and reads organisations, calls and Wagtail pages through the pages' own selectors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Sector
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PublishedListingFactory,
    VerifiedOrganisationFactory,
)
from tests.startups.factories import CallPageFactory

pytestmark = pytest.mark.django_db

FLOOR = "/vi/san-giao-dich/"
LISTINGS = "/api/v1/listings/"


def _floor_slugs(client, params) -> list[str]:
    """The listings the floor page shows, in its order (cards link to /<floor>/<slug>/)."""
    content = client.get(FLOOR, params).content.decode()
    slugs = []
    for part in content.split(f'href="{FLOOR}')[1:]:
        slug = part.split("/", 1)[0]
        if slug.startswith("listing-") and slug not in slugs:
            slugs.append(slug)
    return slugs


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "say bom nhiet"},
        {"kind": "need"},
        {"province": "dong-thap", "trl": "7"},
        {"sector": "coffee-processing", "sort": "price"},
        {"price_band": "100m-500m"},
        {"transfer_mode": "license", "sort": "newest"},
        {"q": "sầu riêng", "page": "2"},
    ],
)
def test_the_api_and_the_floor_find_the_same_listings(client, params):
    sector = Sector.objects.get(code="coffee-processing")
    for number in range(30):
        listing = PublishedListingFactory(
            kind="need" if number % 3 == 0 else "offer",
            province="dong-thap" if number % 2 else "lam-dong",
            title=f"Sấy sầu riêng bơm nhiệt {number}" if number % 4 else f"Máy đóng gói {number}",
            price_min=number * 40_000_000,
            price_max=number * 40_000_000 + 1,
            transfer_modes=["license"] if number % 5 == 0 else ["assignment"],
            published_at=timezone.now() - datetime.timedelta(hours=number),
        )
        if number % 2:
            listing.sectors.set([sector])

    response = client.get(LISTINGS, params)

    assert response.status_code == 200
    data = response.json()
    slugs = [item["slug"] for item in data["results"]]
    assert slugs == _floor_slugs(client, params)
    assert slugs  # every case finds something, so the comparison is not empty against empty
    assert len(slugs) <= 20


def test_pages_carry_count_and_links(client):
    for _ in range(23):
        PublishedListingFactory()

    first = client.get(LISTINGS, {"kind": "offer"}).json()
    second = client.get(first["next"]).json()
    small = client.get(LISTINGS, {"page_size": 5}).json()
    capped = client.get(LISTINGS, {"page_size": 1000}).json()

    assert first["count"] == second["count"] == 23
    assert (len(first["results"]), len(second["results"])) == (20, 3)
    assert first["previous"] is None and second["next"] is None
    assert "page=" not in second["previous"]
    assert {item["id"] for item in first["results"]}.isdisjoint(
        {item["id"] for item in second["results"]}
    )
    assert len(small["results"]) == 5
    assert len(capped["results"]) == 23
    assert client.get(LISTINGS, {"page": 3}).status_code == 404


def test_bad_filters_are_named(client):
    response = client.get(LISTINGS, {"kind": "spaceship", "trl": "12", "organisation": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "trl"}
    assert client.get(LISTINGS, {"organisation": "x", "lang": "en"}).json() == {
        "organisation": ["Enter a whole number."]
    }


def test_filtering_by_organisation(client):
    mine = PublishedListingFactory()
    PublishedListingFactory()

    data = client.get(LISTINGS, {"organisation": mine.organisation_id}).json()

    assert [item["id"] for item in data["results"]] == [mine.pk]


def test_the_list_costs_the_same_queries_for_more_listings(client):
    for _ in range(3):
        PublishedListingFactory().sectors.set(Sector.objects.filter(code="coffee-processing"))
    client.get(LISTINGS, {"q": "sấy"})
    with CaptureQueriesContext(connection) as few:
        client.get(LISTINGS, {"q": "sấy"})
    for _ in range(10):
        PublishedListingFactory().sectors.set(Sector.objects.filter(code="coffee-processing"))
    with CaptureQueriesContext(connection) as many:
        client.get(LISTINGS, {"q": "sấy"})

    assert len(many) == len(few)


def test_labels_follow_the_asked_language(client):
    listing = PublishedListingFactory(kind="need")

    english = client.get(f"{LISTINGS}{listing.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    by_parameter = client.get(f"{LISTINGS}{listing.pk}/", {"lang": "en"})
    vietnamese = client.get(f"{LISTINGS}{listing.pk}/").json()

    assert english["kind_label"] == "Technology need"
    assert by_parameter.json()["kind_label"] == "Technology need"
    assert by_parameter["Content-Language"] == "en"
    assert vietnamese["page_url"] == f"http://testserver/vi/san-giao-dich/{listing.slug}/"


def test_organisations_as_the_directory_and_profile_pages_show_them(client):
    verified = VerifiedOrganisationFactory(province="dong-thap")
    VerifiedOrganisationFactory(province="lam-dong")
    pending = OrganisationFactory(verification_status="pending")

    listed = client.get("/api/v1/organisations/", {"province": "dong-thap"}).json()
    detail = client.get(f"/api/v1/organisations/{verified.pk}/")
    hidden = client.get(f"/api/v1/organisations/{pending.pk}/")
    hidden_page = client.get(f"/vi/organisations/{pending.slug}/")
    client.force_login(MembershipFactory(organisation=pending).user)
    own = client.get(f"/api/v1/organisations/{pending.pk}/")

    assert [item["id"] for item in listed["results"]] == [verified.pk]
    assert detail.json()["name"] == verified.legal_name
    assert "tax_code" not in detail.json()
    assert hidden.status_code == hidden_page.status_code == 404
    assert own.status_code == 200


def test_the_wagtail_page_api_lists_live_pages_only(client):
    floor = Page.objects.get(slug="san-giao-dich")
    floor.live = False
    floor.save()

    response = client.get("/api/v2/pages/", {"limit": 20})

    assert response.status_code == 200
    slugs = {item["meta"]["slug"] for item in response.json()["items"]}
    assert "san-giao-dich" not in slugs
    assert slugs  # the home pages are live


def test_calls_are_the_live_public_ones_the_programme_pages_list(client):
    shown = CallPageFactory()
    unpublished = CallPageFactory()
    unpublished.unpublish()

    data = client.get("/api/v1/calls/").json()
    detail = client.get(f"/api/v1/calls/{shown.pk}/")

    assert [item["id"] for item in data["results"]] == [shown.pk]
    assert detail.status_code == 200
    assert detail.json()["is_open"] is True
    assert detail.json()["page_url"].endswith(shown.url)
    assert client.get(f"/api/v1/calls/{unpublished.pk}/").status_code == 404
