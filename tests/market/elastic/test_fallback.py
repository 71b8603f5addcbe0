"""When Elasticsearch cannot answer, the database does: with a logged warning, and a notice
that staff see for a few minutes. The cluster is a closed port (or the recording server
answering errors)."""

import logging

import pytest

from market.search import (
    DEGRADED_CACHE_KEY,
    SearchFilters,
    get_backend,
    is_search_degraded,
    match_candidates,
    percolate,
    search_listings,
)
from market.search.database import DatabaseBackend
from market.search.elastic.backend import ElasticsearchBackend
from market.search.elastic.connection import _client
from tests.conftest import login_with_totp
from tests.factories import PublishedListingFactory, StaffFactory, UserFactory
from tests.market.elastic.fake_server import error_response

pytestmark = pytest.mark.django_db

CLOSED_PORT = "http://127.0.0.1:1"
FLOOR = "/vi/san-giao-dich/"


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_TIMEOUT = 1.0
    yield settings
    _client.cache_clear()


@pytest.fixture
def floor():
    return {
        "dryer": PublishedListingFactory(title="Công nghệ sấy lạnh sầu riêng", keywords=["sấy"]),
        "need": PublishedListingFactory(
            kind="need",
            title="Cần máy sấy cà phê",
            summary="Doanh nghiệp cần máy",
            keywords=["sấy", "cà phê"],
            description="<p>Máy sấy cà phê.</p>",
            problem="Cà phê ẩm.",
        ),
    }


def test_the_database_answers_unless_a_cluster_is_configured(settings):
    settings.ELASTICSEARCH_URL = ""
    assert type(get_backend()) is DatabaseBackend

    settings.ELASTICSEARCH_URL = CLOSED_PORT
    backend = get_backend()
    assert type(backend.primary) is ElasticsearchBackend
    assert type(backend.fallback) is DatabaseBackend
    _client.cache_clear()


def test_search_falls_back_to_the_database_with_a_warning(unreachable, floor, caplog):
    assert not is_search_degraded()

    with caplog.at_level(logging.WARNING, logger="market.search"):
        results = search_listings(query="say lanh")

    assert [listing.pk for listing in results.page.object_list] == [floor["dryer"].pk]
    (record,) = [r for r in caplog.records if r.name == "market.search"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Elasticsearch could not answer search (ConnectionError")
    assert is_search_degraded()


def test_candidates_and_percolation_fall_back_too(unreachable, floor, caplog):
    with caplog.at_level(logging.WARNING, logger="market.search"):
        candidates = match_candidates(
            terms=["say"], kinds=["need"], exclude_organisation_id=None, limit=10
        )
        found = percolate(
            listing_id=floor["dryer"].pk,
            searches=[(1, "sấy lạnh", SearchFilters()), (2, "máy bơm", SearchFilters())],
        )

    assert candidates == [floor["need"].pk]
    assert found == [1]
    messages = [r.getMessage() for r in caplog.records if r.name == "market.search"]
    assert [message.split(" (")[0] for message in messages] == [
        "Elasticsearch could not answer candidates",
        "Elasticsearch could not answer percolate",
    ]


def test_a_cluster_that_cannot_serve_counts_as_out(es_server, floor):
    es_server.answer(
        "POST",
        "/techfloor-test-listings/_search",
        error_response("cluster_block_exception", "blocked", status=503),
        status=503,
    )

    results = search_listings(query="sấy lạnh")

    assert [listing.pk for listing in results.page.object_list] == [floor["dryer"].pk]
    assert is_search_degraded()


def test_a_missing_index_counts_as_out(es_server, floor):
    # The recording server answers index_not_found (404) to anything it was not told about,
    # as a cluster whose index was never built.
    results = search_listings(query="sấy lạnh")

    assert [listing.pk for listing in results.page.object_list] == [floor["dryer"].pk]
    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert sent.body["query"]["bool"]["must"][0]["match_bool_prefix"]
    assert is_search_degraded()


def test_a_bad_request_is_our_bug_and_is_not_hidden(es_server, floor):
    from elasticsearch import BadRequestError

    es_server.answer(
        "POST",
        "/techfloor-test-listings/_search",
        error_response("parsing_exception", "unknown query", status=400),
        status=400,
    )

    with pytest.raises(BadRequestError):
        search_listings(query="sấy")
    assert not is_search_degraded()


def test_the_notice_is_forgotten_when_the_cluster_is_switched_off(settings, unreachable):
    search_listings(query="")
    assert is_search_degraded()

    settings.ELASTICSEARCH_URL = ""
    assert not is_search_degraded()


def test_staff_see_the_notice_on_the_floor_and_others_do_not(client, settings, floor):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    from django.core.cache import cache

    cache.set(DEGRADED_CACHE_KEY, True, 60)

    anonymous = client.get(FLOOR)
    client.force_login(UserFactory())
    member = client.get(FLOOR)
    client.force_login(StaffFactory())
    staff = client.get(FLOOR)

    assert anonymous.status_code == member.status_code == staff.status_code == 200
    assert b'id="search-degraded"' not in anonymous.content
    assert b'id="search-degraded"' not in member.content
    assert b'id="search-degraded"' in staff.content
    _client.cache_clear()


def test_staff_see_the_notice_on_the_admin_home(
    client, settings, curator, staff_totp_secret, unreachable
):
    login_with_totp(client, user=curator, secret=staff_totp_secret)
    calm = client.get("/admin/")
    search_listings(query="")  # the cluster is out: the database answers
    degraded = client.get("/admin/")

    assert calm.status_code == degraded.status_code == 200
    assert b'id="search-degraded"' not in calm.content
    assert b'id="search-degraded"' in degraded.content
