"""Hypothesis-generated requests against every operation of the OpenAPI schema, answered by
the real application in this process: none may end in a server error, for an anonymous
visitor or for a member with a token."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.cms.eventkit import make_event
from tests.factories import MembershipFactory, PublishedListingFactory, VerifiedOrganisationFactory

pytestmark = pytest.mark.django_db


def _schema():
    """The schema /api/v1/schema/ serves, answered by this process's WSGI application."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _floor(settings):
    # Django's test client keeps the test's database connection open across requests; the
    # WSGI application called directly would close it as each one starts and ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Thousands of requests a minute: the rate limits have their own test.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    PublishedListingFactory()
    make_event()
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db) -> str:
    member = MembershipFactory(organisation=VerifiedOrganisationFactory()).user
    return Token.objects.create(user=member).key


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_requests_never_cause_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_member_requests_never_cause_a_server_error(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])


@schema.include(path_regex="^/api/v1/events/").parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_event_answers_match_the_schema(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
