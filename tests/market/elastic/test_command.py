"""``manage.py search_index``: rebuild with a progress bar, check (exit status 1 on drift) and
repair exactly what drifted; refused without ELASTICSEARCH_URL."""

from __future__ import annotations

import re
import runpy
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import techfloor.settings as settings_module
from accounts.models import Sector
from market.models import Listing
from market.search.elastic.connection import get_client
from market.search.elastic.percolator import saved_searches_index
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db

READ = "techfloor-test-listings"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("search_index", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_refused_without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""

    with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
        run("--check")


def test_one_action_at_a_time(cluster):
    with pytest.raises(CommandError):
        run("--check", "--repair")
    assert cluster.requests == []


def test_rebuild_every_index_with_a_progress_bar(cluster):
    PublishedListingFactory.create_batch(3)

    out, err = run("--rebuild")

    lines = out.splitlines()
    assert re.fullmatch(
        r"listings: 3 documents into techfloor-test-listings-v\d{20} "
        r"\(0 caught up, 0 old versions deleted\)",
        lines[0],
    )
    assert lines[1].startswith("organisations: 3 documents into techfloor-test-organisations-v")
    assert lines[2].startswith("calls: 0 documents into techfloor-test-calls-v")
    assert "listings: 100%" in err
    assert "3/3" in err
    assert sorted(cluster.aliases) == [
        "techfloor-test-calls",
        "techfloor-test-calls-write",
        "techfloor-test-listings",
        "techfloor-test-listings-write",
        "techfloor-test-organisations",
        "techfloor-test-organisations-write",
    ]


def test_rebuild_of_one_index_only(cluster):
    PublishedListingFactory()

    out, _err = run("--rebuild", "--models", "listings", "--verbosity", "0")

    assert out.startswith("listings: 1 documents")
    assert sorted(cluster.aliases) == [READ, f"{READ}-write"]


def test_a_rebuild_already_running_is_reported(cluster):
    cache.add(f"search-index:rebuild:{READ}", "running")
    try:
        with pytest.raises(CommandError, match="another rebuild is running"):
            run("--rebuild", "--models", "listings")
    finally:
        cache.delete(f"search-index:rebuild:{READ}")


def test_check_passes_on_a_clean_index(cluster):
    PublishedListingFactory.create_batch(2)
    run("--rebuild", "--models", "listings")

    out, _err = run("--check", "--models", "listings")

    assert out == "listings: 0 missing, 0 stale, 0 extra\n"


def test_check_counts_drift_and_fails(cluster):
    kept, changed, withdrawn = PublishedListingFactory.create_batch(3)
    run("--rebuild", "--models", "listings")
    PublishedListingFactory()
    Listing.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
    Listing.objects.filter(pk=withdrawn.pk).update(status=Listing.Status.WITHDRAWN)
    cluster.requests.clear()
    out = StringIO()

    with pytest.raises(CommandError, match="Drift in listings") as raised:
        call_command("search_index", "--check", "--models", "listings", stdout=out)

    assert raised.value.returncode == 1
    assert out.getvalue() == "listings: 1 missing, 1 stale, 1 extra\n"
    assert cluster.calls("PUT", "/_bulk") == []  # checking writes nothing


def test_repair_fixes_exactly_the_drift(cluster):
    kept, changed, withdrawn = PublishedListingFactory.create_batch(3)
    run("--rebuild", "--models", "listings")
    added = PublishedListingFactory()
    Listing.objects.filter(pk=changed.pk).update(title="Tên mới", updated_at=timezone.now())
    Listing.objects.filter(pk=withdrawn.pk).update(status=Listing.Status.WITHDRAWN)
    cluster.requests.clear()

    out, _err = run("--repair", "--models", "listings")

    assert out == "listings: 1 missing, 1 stale, 1 extra\nlistings: repaired 3\n"
    (bulk,) = cluster.calls("PUT", "/_bulk")
    assert [line for line in bulk.body if "index" in line or "delete" in line] == [
        {"index": {"_index": f"{READ}-write", "_id": changed.pk}},
        {"delete": {"_index": f"{READ}-write", "_id": withdrawn.pk}},
        {"index": {"_index": f"{READ}-write", "_id": added.pk}},
    ]
    assert sorted(cluster.docs(READ)) == sorted(str(pk) for pk in (kept.pk, changed.pk, added.pk))
    assert run("--check", "--models", "listings")[0] == "listings: 0 missing, 0 stale, 0 extra\n"


def test_a_deep_check_finds_edits_that_left_updated_at_alone(cluster):
    kept, retitled, refiled = PublishedListingFactory.create_batch(3)
    sector = Sector.objects.exclude(parent=None).first()
    refiled.sectors.set([sector])
    run("--rebuild", "--models", "listings")
    # Edits that send no signal and leave updated_at alone: only a deep check sees them.
    Listing.objects.filter(pk=retitled.pk).update(title="Tên đổi bằng update()")
    Sector.objects.filter(pk=sector.pk).update(code="ma-nganh-moi")

    assert run("--check", "--models", "listings")[0] == "listings: 0 missing, 0 stale, 0 extra\n"
    out = StringIO()
    with pytest.raises(CommandError, match="Drift in listings"):
        call_command("search_index", "--check", "--deep", "--models", "listings", stdout=out)
    assert out.getvalue() == "listings: 0 missing, 2 stale, 0 extra\n"

    out, _err = run("--repair", "--deep", "--models", "listings")

    assert out == "listings: 0 missing, 2 stale, 0 extra\nlistings: repaired 2\n"
    documents = cluster.docs(READ)
    assert documents[str(retitled.pk)]["title"] == "Tên đổi bằng update()"
    assert "ma-nganh-moi" in documents[str(refiled.pk)]["sectors"]
    assert run("--check", "--deep", "--models", "listings")[0] == (
        "listings: 0 missing, 0 stale, 0 extra\n"
    )


def base_settings(monkeypatch, **environment: str) -> dict:
    """The shared settings module as it reads this environment (run afresh, not imported)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__).with_name("base.py")))


def test_wagtail_searches_pages_in_elasticsearch_8_when_it_is_configured(monkeypatch):
    found = base_settings(
        monkeypatch, ELASTICSEARCH_URL="http://search:9200", ELASTICSEARCH_INDEX_PREFIX="floor"
    )

    assert found["WAGTAILSEARCH_BACKENDS"]["default"] == {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": ["http://search:9200"],
        "INDEX_PREFIX": "floor-wagtail-",
        "TIMEOUT": 5.0,
        "OPTIONS": {},
        "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": 0}}},
    }


def test_a_secured_clusters_credentials_reach_both_clients(monkeypatch):
    found = base_settings(
        monkeypatch,
        ELASTICSEARCH_URL="https://search:9200",
        ELASTICSEARCH_API_KEY="a2V5OnNlY3JldA==",
        ELASTICSEARCH_CA_CERTS="/etc/techfloor/es-ca.crt",
    )

    options = {"api_key": "a2V5OnNlY3JldA==", "ca_certs": "/etc/techfloor/es-ca.crt"}
    assert found["ELASTICSEARCH_CLIENT_OPTIONS"] == options
    assert found["WAGTAILSEARCH_BACKENDS"]["default"]["OPTIONS"] == options


def test_the_api_key_is_sent_with_every_request(es_server, settings):
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"api_key": "a2V5OnNlY3JldA=="}
    es_server.answer("HEAD", "/techfloor-test-listings", {})

    assert get_client().indices.exists(index="techfloor-test-listings")

    (request,) = es_server.requests
    assert request.headers["authorization"] == "ApiKey a2V5OnNlY3JldA=="


def test_wagtail_searches_pages_in_the_database_by_default(monkeypatch):
    found = base_settings(monkeypatch, ELASTICSEARCH_URL="")

    assert found["WAGTAILSEARCH_BACKENDS"] == {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }


def test_rebuild_if_missing_builds_only_what_does_not_exist(cluster):
    PublishedListingFactory()
    run("--rebuild", "--models", "listings")
    listings_version = cluster.alias_targets(READ)

    out, _err = run("--rebuild", "--if-missing", "--models", "listings", "calls")

    assert out.splitlines()[0] == "listings: exists"
    assert out.splitlines()[1].startswith("calls: 0 documents into techfloor-test-calls-v")
    assert cluster.alias_targets(READ) == listings_version


def test_rebuilding_the_listings_deletes_percolator_indices_of_earlier_mappings(cluster):
    client = get_client()
    current = saved_searches_index()
    current.create(using=client)
    for earlier in (
        "techfloor-test-saved-searches-0123456789ab",
        "techfloor-test-saved-searches-ba98",
    ):
        client.indices.create(index=earlier)

    out, _err = run("--rebuild", "--models", "listings", "--verbosity", "0")

    assert out.splitlines()[1:] == [
        "saved searches: deleted techfloor-test-saved-searches-0123456789ab (an earlier mapping)",
        "saved searches: deleted techfloor-test-saved-searches-ba98 (an earlier mapping)",
    ]
    assert [name for name in cluster.indices if "saved-searches" in name] == [current._name]
