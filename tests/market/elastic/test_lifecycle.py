"""Index lifecycle: versioned indices behind read and write aliases, a rebuild that never leaves
searches without an index and catches up with changes made while it ran, and drift between the
database and the index found and repaired exactly. Against a local fake cluster that records
every request (``fake_cluster``); the last tests run against a real server when
ELASTICSEARCH_URL is set."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from elasticsearch import ApiError

from market.models import Listing
from market.search.elastic import indices, percolator
from market.search.elastic.connection import _client, get_client
from market.search.elastic.documents import ListingDocument
from tests.factories import ListingFactory, PublishedListingFactory
from tests.market.elastic.fake_cluster import FakeCluster

pytestmark = pytest.mark.django_db

READ = "techfloor-test-listings"
WRITE = "techfloor-test-listings-write"
VERSION = re.compile(r"techfloor-test-listings-v\d{20}")


@pytest.fixture
def floor():
    """Two published listings and a draft (which is not indexed)."""
    return {
        "dryer": PublishedListingFactory(title="Máy sấy lạnh"),
        "press": PublishedListingFactory(title="Máy ép dầu"),
        "draft": ListingFactory(title="Bản nháp"),
    }


def alias_actions(cluster: FakeCluster) -> list[list[dict]]:
    return [request.body["actions"] for request in cluster.calls("POST", "/_aliases")]


def bulk_lines(cluster: FakeCluster) -> list[dict]:
    return [line for request in cluster.calls("PUT", "/_bulk") for line in request.body]


def test_first_rebuild_creates_a_version_and_both_aliases(cluster, floor):
    result = indices.rebuild(ListingDocument)

    assert VERSION.fullmatch(result.index)
    assert result.indexed == 2
    assert result.caught_up == 0
    assert result.deleted_indices == []
    # Created with the document's mappings and analysis, refresh off while loading.
    created = cluster.calls("PUT", result.index)[0].body
    expected = indices.index_body(ListingDocument)
    assert created["mappings"] == expected["mappings"]
    assert created["settings"]["analysis"] == expected["settings"]["analysis"]
    assert created["settings"]["refresh_interval"] == "-1"
    assert cluster.indices[result.index]["settings"] == [{"index": {"refresh_interval": None}}]
    # The write alias first, then (after loading) the read alias.
    assert alias_actions(cluster) == [
        [{"add": {"index": result.index, "alias": WRITE}}],
        [{"add": {"index": result.index, "alias": READ}}],
    ]
    # Published listings only, each with its prepared document.
    dryer = floor["dryer"]
    lines = bulk_lines(cluster)
    assert lines[0] == {"index": {"_index": result.index, "_id": dryer.pk}}
    assert lines[1]["title"] == "Máy sấy lạnh"
    assert lines[1]["updated_at"] == dryer.updated_at.isoformat()
    assert sorted(cluster.docs(READ)) == sorted([str(dryer.pk), str(floor["press"].pk)])
    assert cluster.alias_targets(READ) == cluster.alias_targets(WRITE) == [result.index]


def test_first_rebuild_on_a_cluster_that_answers_404_to_an_unmatched_pattern(cluster, floor):
    cluster.no_match_is_404 = True
    assert indices.aliases(ListingDocument, get_client()) == {}
    assert indices.versions(ListingDocument, get_client()) == []

    result = indices.rebuild(ListingDocument)

    assert cluster.alias_targets(READ) == cluster.alias_targets(WRITE) == [result.index]
    assert percolator.delete_stale_indices(get_client()) == []


def test_a_second_rebuild_moves_each_alias_in_one_request_and_deletes_the_old_version(
    cluster, floor
):
    first = indices.rebuild(ListingDocument).index
    cluster.requests.clear()

    second = indices.rebuild(ListingDocument)

    assert second.index != first
    assert alias_actions(cluster) == [
        [
            {"remove": {"index": first, "alias": WRITE}},
            {"add": {"index": second.index, "alias": WRITE}},
        ],
        [
            {"remove": {"index": first, "alias": READ}},
            {"add": {"index": second.index, "alias": READ}},
        ],
    ]
    assert second.deleted_indices == [first]
    assert [request.path for request in cluster.calls("DELETE", READ)] == [f"/{first}"]
    assert list(cluster.indices) == [second.index]


def test_rebuild_catches_up_with_changes_made_while_it_loaded(cluster, floor):
    """A listing changed after the bulk load read it (its newer copy overwritten by the older
    one) and one withdrawn meanwhile are both right when searches switch over."""
    dryer, press = floor["dryer"], floor["press"]

    def meanwhile(written: int) -> None:
        Listing.objects.filter(pk=dryer.pk).update(
            title="Máy sấy lạnh thế hệ mới", updated_at=timezone.now()
        )
        Listing.objects.filter(pk=press.pk).update(status=Listing.Status.WITHDRAWN)

    result = indices.rebuild(ListingDocument, progress=meanwhile)

    assert result.caught_up == 2
    docs = cluster.docs(READ)
    assert list(docs) == [str(dryer.pk)]
    assert docs[str(dryer.pk)]["title"] == "Máy sấy lạnh thế hệ mới"
    # The catch-up wrote into the new version by name, before the read alias moved.
    catch_up = cluster.calls("PUT", "/_bulk")[-1].body
    assert catch_up[0] == {"index": {"_index": result.index, "_id": dryer.pk}}
    assert catch_up[2] == {"delete": {"_index": result.index, "_id": press.pk}}
    last_alias_move = cluster.requests.index(cluster.calls("POST", "/_aliases")[-1])
    assert cluster.requests.index(cluster.calls("PUT", "/_bulk")[-1]) < last_alias_move


def test_progress_counts_every_document(cluster, floor):
    seen = []

    indices.rebuild(ListingDocument, progress=seen.append)

    assert sum(seen) == 2


def test_a_second_rebuild_waits_for_the_first(cluster, floor):
    cache.add(f"search-index:rebuild:{READ}", "running")
    try:
        with pytest.raises(indices.RebuildRunning):
            indices.rebuild(ListingDocument)
    finally:
        cache.delete(f"search-index:rebuild:{READ}")
    assert cluster.requests == []


def test_an_index_that_took_the_alias_name_is_replaced_atomically(cluster, floor):
    cluster.indices[READ] = {"body": None, "docs": {"99": {}}, "settings": []}

    result = indices.rebuild(ListingDocument)

    assert alias_actions(cluster)[-1] == [
        {"remove_index": {"index": READ}},
        {"add": {"index": result.index, "alias": READ}},
    ]
    assert READ not in cluster.indices
    assert cluster.alias_targets(READ) == [result.index]


def test_check_reports_missing_stale_and_extra_documents(cluster, floor):
    indices.rebuild(ListingDocument)
    dryer, press = floor["dryer"], floor["press"]
    added = PublishedListingFactory(title="Thiết bị mới")
    Listing.objects.filter(pk=dryer.pk).update(updated_at=timezone.now())
    Listing.objects.filter(pk=press.pk).update(status=Listing.Status.CLOSED)

    drift = indices.check(ListingDocument)

    assert (drift.missing, drift.stale, drift.extra) == ([added.pk], [dryer.pk], [press.pk])
    assert drift.total == 3
    search = cluster.calls("POST", f"/{READ}/_search")[-1]
    assert search.body == {
        "query": {"match_all": {}},
        "_source": ["updated_at"],
        "size": 5000,
        "sort": "_doc",
    }
    assert search.params["scroll"] == "5m"


def test_repair_rewrites_exactly_the_drifted_documents(cluster, floor):
    indices.rebuild(ListingDocument)
    dryer, press = floor["dryer"], floor["press"]
    added = PublishedListingFactory(title="Thiết bị mới")
    Listing.objects.filter(pk=dryer.pk).update(title="Máy sấy mới", updated_at=timezone.now())
    Listing.objects.filter(pk=press.pk).update(status=Listing.Status.CLOSED)
    drift = indices.check(ListingDocument)
    cluster.requests.clear()

    assert indices.repair(ListingDocument, drift) == 3

    (bulk,) = cluster.calls("PUT", "/_bulk")
    assert bulk.params["require_alias"] == "true"
    assert [line for line in bulk.body if "index" in line or "delete" in line] == [
        {"index": {"_index": WRITE, "_id": dryer.pk}},
        {"delete": {"_index": WRITE, "_id": press.pk}},
        {"index": {"_index": WRITE, "_id": added.pk}},
    ]
    assert indices.check(ListingDocument).total == 0
    assert cluster.docs(READ)[str(dryer.pk)]["title"] == "Máy sấy mới"


def test_a_clean_index_has_no_drift(cluster, floor):
    indices.rebuild(ListingDocument)

    drift = indices.check(ListingDocument)

    assert (drift.missing, drift.stale, drift.extra) == ([], [], [])


# A real Elasticsearch 8 server (skipped without ELASTICSEARCH_URL).


@pytest.fixture
def real_cluster(es_url):
    _client.cache_clear()
    client = get_client()
    indices.delete_all(ListingDocument, client=client)
    yield client
    indices.delete_all(ListingDocument, client=client)
    _client.cache_clear()


def test_rebuild_check_and_repair_on_a_real_server(real_cluster, floor):
    first = indices.rebuild(ListingDocument)
    second = indices.rebuild(ListingDocument)

    assert indices.versions(ListingDocument, real_cluster) == [second.index]
    assert indices.aliases(ListingDocument, real_cluster) == {
        READ: [second.index],
        WRITE: [second.index],
    }
    assert first.index not in indices.versions(ListingDocument, real_cluster)
    assert indices.check(ListingDocument).total == 0
    assert indices.check(ListingDocument, deep=True).total == 0  # digests survive the trip

    Listing.objects.filter(pk=floor["dryer"].pk).update(updated_at=timezone.now())
    drift = indices.check(ListingDocument)
    assert drift.stale == [floor["dryer"].pk]
    indices.repair(ListingDocument, drift)
    real_cluster.indices.refresh(index=READ)
    assert indices.check(ListingDocument).total == 0


def test_a_failed_rebuild_gives_the_write_alias_back_and_deletes_the_half_built_version(
    cluster, floor
):
    first = indices.rebuild(ListingDocument).index
    cluster.fail("/_settings", status=500)

    with pytest.raises(ApiError):
        indices.rebuild(ListingDocument)

    assert list(cluster.indices) == [first]
    assert cluster.alias_targets(READ) == cluster.alias_targets(WRITE) == [first]
    assert cache.get(f"search-index:rebuild:{READ}") is None  # the lock is freed
