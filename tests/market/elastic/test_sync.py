"""Live indexing: a change marks its object dirty in the same transaction and queues a task
after commit; the task writes through the aliases and clears the mark only once written; a
failure leaves the mark for the reconciliation; without ELASTICSEARCH_URL nothing happens."""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import Retry
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import ApiError
from elasticsearch.helpers import BulkIndexError
from wagtail.models import PageViewRestriction

from accounts.models import Sector
from market.models import Listing, SearchIndexDirty
from market.search.elastic import indices, sync
from market.search.elastic.connection import _client, get_client
from market.search.elastic.documents import CallDocument, ListingDocument, OrganisationDocument
from market.tasks import (
    SEARCH_INDEX_ERRORS,
    index_search_documents_task,
    reconcile_search_index_task,
    remove_search_document_task,
)
from tests.factories import ListingFactory, PublishedListingFactory
from tests.market.elastic.fake_cluster import FakeCluster
from tests.startups.factories import CallPageFactory

pytestmark = pytest.mark.django_db

READ = "techfloor-test-listings"
WRITE = "techfloor-test-listings-write"


@pytest.fixture
def listing(cluster):
    """A published listing, already in a freshly built index (no marks left)."""
    listing = PublishedListingFactory(title="Máy sấy lạnh")
    indices.rebuild(ListingDocument)
    SearchIndexDirty.objects.all().delete()
    cluster.requests.clear()
    return listing


@pytest.fixture
def closed_port(settings):
    """Elasticsearch configured but unreachable: nothing listens on port 1."""
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    yield
    _client.cache_clear()


def marks(kind: str = "listings") -> list[int]:
    return sorted(SearchIndexDirty.objects.filter(kind=kind).values_list("object_id", flat=True))


def bulk_actions(cluster: FakeCluster) -> list[dict]:
    return [
        line
        for request in cluster.calls("PUT", "/_bulk")
        for line in request.body
        if "index" in line or "delete" in line
    ]


def test_without_elasticsearch_a_change_marks_and_queues_nothing(
    settings, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = ""

    with django_capture_on_commit_callbacks() as callbacks:
        listing = PublishedListingFactory()
        listing.title = "Đổi tên"
        listing.save()
        listing.delete()

    assert callbacks == []
    assert SearchIndexDirty.objects.count() == 0
    assert sync.reconcile() == 0


def test_a_saved_listing_is_written_after_commit_and_its_mark_cleared(
    cluster, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        listing.title = "Máy sấy lạnh thế hệ mới"
        listing.save()
        # Marked inside the transaction, before anything is sent.
        assert marks() == [listing.pk]
        assert cluster.requests == []

    assert len(callbacks) == 1
    callbacks[0]()  # what commit runs: the task, eagerly here

    (bulk,) = cluster.calls("PUT", "/_bulk")
    assert bulk.params["require_alias"] == "true"
    assert bulk.body[0] == {"index": {"_index": WRITE, "_id": listing.pk}}
    assert bulk.body[1]["title"] == "Máy sấy lạnh thế hệ mới"
    assert cluster.docs(READ)[str(listing.pk)]["title"] == "Máy sấy lạnh thế hệ mới"
    assert marks() == []


def test_a_listing_that_leaves_the_floor_is_deleted_from_the_index(
    cluster, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listing.status = Listing.Status.WITHDRAWN
        listing.save()

    assert bulk_actions(cluster) == [{"delete": {"_index": WRITE, "_id": listing.pk}}]
    assert cluster.docs(READ) == {}
    assert marks() == []


def test_deleting_a_document_twice_is_no_error(cluster, listing):
    sync.delete_now("listings", listing.pk)
    remove_search_document_task.delay("listings", listing.pk)

    assert bulk_actions(cluster) == [{"delete": {"_index": WRITE, "_id": listing.pk}}] * 2
    assert cluster.docs(READ) == {}


def test_during_a_rebuild_a_change_is_written_to_both_versions(cluster, listing):
    old = cluster.alias_targets(READ)[0]
    new = indices.create_index(ListingDocument)
    indices.move_alias(get_client(), alias=WRITE, to=new, current=[old])
    cluster.requests.clear()

    index_search_documents_task.delay("listings", [listing.pk])

    assert bulk_actions(cluster) == [
        {"index": {"_index": WRITE, "_id": listing.pk}},
        {"index": {"_index": READ, "_id": listing.pk}},
    ]
    assert (
        list(cluster.indices[old]["docs"])
        == list(cluster.indices[new]["docs"])
        == [str(listing.pk)]
    )


def test_a_change_made_again_while_it_was_written_stays_marked(cluster, listing):
    SearchIndexDirty.mark(kind="listings", object_ids=[listing.pk])
    seen = SearchIndexDirty.snapshot(kind="listings", object_ids=[listing.pk])
    SearchIndexDirty.objects.update(marked_at=seen[listing.pk] + datetime.timedelta(seconds=1))

    assert SearchIndexDirty.clear(kind="listings", snapshot=seen) == 0
    assert marks() == [listing.pk]


def test_marking_twice_keeps_one_row_with_the_newer_time(db):
    SearchIndexDirty.mark(kind="listings", object_ids=[7, 7, 8])
    first = SearchIndexDirty.objects.get(object_id=7).marked_at

    SearchIndexDirty.mark(kind="listings", object_ids=[7])

    assert SearchIndexDirty.objects.count() == 2
    assert SearchIndexDirty.objects.get(object_id=7).marked_at >= first


def test_renaming_an_organisation_marks_its_published_listings(
    cluster, listing, django_capture_on_commit_callbacks
):
    organisation = listing.organisation
    with django_capture_on_commit_callbacks() as callbacks:
        organisation.legal_name = "Viện Cơ điện Nông nghiệp"
        organisation.save()

    assert marks("organisations") == [organisation.pk]
    assert marks("listings") == [listing.pk]
    assert len(callbacks) == 2


def test_changing_a_listings_sectors_marks_it(cluster, listing):
    listing.sectors.add(Sector.objects.exclude(parent=None).first())

    assert marks() == [listing.pk]


# Faults.


def test_index_tasks_retry_with_backoff_on_connection_errors_and_cluster_errors():
    for task in (index_search_documents_task, remove_search_document_task):
        assert task.autoretry_for == SEARCH_INDEX_ERRORS
        assert task.retry_backoff is True
        assert task.retry_backoff_max == 600
        assert task.retry_jitter is True
        assert task.max_retries == 5
    assert issubclass(TransportConnectionError, SEARCH_INDEX_ERRORS)
    assert ApiError in SEARCH_INDEX_ERRORS
    assert BulkIndexError in SEARCH_INDEX_ERRORS


def test_an_unreachable_cluster_fails_the_task_and_leaves_the_mark(
    closed_port, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        listing = PublishedListingFactory()
    assert marks() == [listing.pk]

    # An eager task raises its first retry (a worker would run it again later, with backoff).
    with pytest.raises(Retry) as raised:
        index_search_documents_task.delay("listings", [listing.pk])

    assert isinstance(raised.value.exc, TransportConnectionError)
    assert marks() == [listing.pk]
    assert len(callbacks) == 2  # the new organisation's and the listing's


def test_an_unreachable_cluster_does_not_fail_the_change(
    closed_port, django_capture_on_commit_callbacks
):
    """The queued task is a robust on-commit callback: its failure is logged, the saved
    listing stays saved and marked."""
    with django_capture_on_commit_callbacks(execute=True):
        listing = PublishedListingFactory(title="Vẫn được lưu")

    assert Listing.objects.get(pk=listing.pk).title == "Vẫn được lưu"
    assert marks() == [listing.pk]


def test_a_cluster_error_leaves_the_mark(cluster, listing):
    SearchIndexDirty.mark(kind="listings", object_ids=[listing.pk])
    cluster.fail("/_bulk", status=503, times=10)

    with pytest.raises(Retry) as raised:
        index_search_documents_task.delay("listings", [listing.pk])

    assert "unavailable_shards_exception" in str(raised.value.exc)
    assert marks() == [listing.pk]


def test_a_rejected_document_leaves_the_mark(cluster, listing):
    SearchIndexDirty.mark(kind="listings", object_ids=[listing.pk])
    cluster.aliases[READ] = cluster.aliases[WRITE] = {*cluster.aliases[READ], "other"}
    cluster.indices["other"] = {"body": None, "docs": {}, "settings": []}

    with pytest.raises(BulkIndexError):
        sync.index_now("listings", listing.pk)

    assert marks() == [listing.pk]


# Reconciliation.


def test_reconciliation_writes_what_is_still_marked(cluster, listing):
    other = PublishedListingFactory(title="Máy ép dầu")
    SearchIndexDirty.objects.all().delete()
    SearchIndexDirty.mark(kind="listings", object_ids=[other.pk, listing.pk])

    assert reconcile_search_index_task.delay().get() == 2

    assert bulk_actions(cluster) == [
        {"index": {"_index": WRITE, "_id": listing.pk}},
        {"index": {"_index": WRITE, "_id": other.pk}},
    ]
    assert sorted(cluster.docs(READ)) == sorted([str(listing.pk), str(other.pk)])
    assert marks() == []


def test_reconciliation_leaves_marks_of_an_index_that_does_not_exist(cluster, listing, caplog):
    SearchIndexDirty.mark(kind="organisations", object_ids=[listing.organisation_id])
    SearchIndexDirty.mark(kind="listings", object_ids=[listing.pk])

    assert sync.reconcile() == 1

    assert marks("organisations") == [listing.organisation_id]
    assert marks("listings") == []
    assert "search_index --rebuild" in caplog.text


def test_reconciliation_runs_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-search-index"]
    assert entry["task"] == "market.tasks.reconcile_search_index_task"
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_a_draft_that_was_never_published_queues_nothing(
    cluster, django_capture_on_commit_callbacks
):
    draft = ListingFactory()
    SearchIndexDirty.objects.all().delete()

    with django_capture_on_commit_callbacks() as callbacks:
        draft.title = "Gõ dần từng chữ"
        draft.save()

    assert callbacks == []
    assert marks() == []


def test_a_deleted_listing_is_marked_and_deleted_from_the_index(
    cluster, listing, django_capture_on_commit_callbacks
):
    pk = listing.pk
    with django_capture_on_commit_callbacks(execute=True):
        listing.delete()

    assert bulk_actions(cluster) == [{"delete": {"_index": WRITE, "_id": pk}}]
    assert cluster.docs(READ) == {}
    assert marks() == []


def test_a_published_call_is_written_and_an_unpublished_one_deleted(
    cluster, django_capture_on_commit_callbacks
):
    indices.rebuild(CallDocument)
    cluster.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call = CallPageFactory(title="Kêu gọi hỗ trợ khởi nghiệp 2027")
    assert cluster.docs("techfloor-test-calls")[str(call.pk)]["title"] == (
        "Kêu gọi hỗ trợ khởi nghiệp 2027"
    )
    assert marks("calls") == []

    with django_capture_on_commit_callbacks(execute=True):
        call.unpublish()

    assert cluster.docs("techfloor-test-calls") == {}
    assert bulk_actions(cluster)[-1] == {
        "delete": {"_index": "techfloor-test-calls-write", "_id": call.pk}
    }
    assert marks("calls") == []


def test_editing_a_sector_marks_what_is_filed_under_it(cluster, listing):
    child = Sector.objects.exclude(parent=None).first()
    elsewhere = PublishedListingFactory(title="Phần mềm quản lý kho")
    elsewhere.sectors.set(
        [Sector.objects.exclude(parent=None).exclude(parent=child.parent).first()]
    )
    listing.sectors.set([child])
    listing.organisation.sectors.set([child])
    SearchIndexDirty.objects.all().delete()

    child.parent.code = "nong-nghiep-cong-nghe-cao"
    child.parent.save()

    assert marks("listings") == [listing.pk]
    assert marks("organisations") == [listing.organisation.pk]


def test_a_sector_renamed_reaches_the_index_through_reconciliation(cluster, listing):
    child = Sector.objects.exclude(parent=None).first()
    listing.sectors.set([child])
    indices.rebuild(ListingDocument)
    SearchIndexDirty.objects.all().delete()

    child.code = "say-lanh"
    child.save()
    sync.reconcile()

    assert cluster.docs(READ)[str(listing.pk)]["sectors"] == sorted(["say-lanh", child.parent.code])
    assert marks() == []


def test_moving_a_page_marks_the_calls_below_it(cluster):
    call = CallPageFactory(title="Kêu gọi đổi mới sáng tạo")
    programme = call.get_parent()
    CallPageFactory(title="Kêu gọi của chương trình khác")
    SearchIndexDirty.objects.all().delete()

    programme.move(programme.get_parent(), pos="first-child")

    assert marks("calls") == [call.pk]


def test_changing_a_pages_slug_marks_the_calls_below_it(
    cluster, django_capture_on_commit_callbacks
):
    call = CallPageFactory(title="Kêu gọi đổi mới sáng tạo")
    programme = call.get_parent().specific
    SearchIndexDirty.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        programme.slug = "chuong-trinh-moi"
        programme.save_revision().publish()

    assert call.pk in marks("calls")


def test_a_call_behind_a_view_restriction_leaves_the_index_and_comes_back(
    cluster, django_capture_on_commit_callbacks
):
    call = CallPageFactory(title="Kêu gọi dành cho thành viên")
    programme = call.get_parent()
    indices.rebuild(CallDocument)
    SearchIndexDirty.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=programme, restriction_type=PageViewRestriction.LOGIN
        )
    assert CallDocument.get_queryset().filter(pk=call.pk).exists() is False
    assert cluster.docs("techfloor-test-calls") == {}

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert list(cluster.docs("techfloor-test-calls")) == [str(call.pk)]
    assert marks("calls") == []


def test_deleting_a_restricted_page_with_its_calls_is_no_error(cluster):
    call = CallPageFactory()
    programme = call.get_parent()
    PageViewRestriction.objects.create(page=programme, restriction_type=PageViewRestriction.LOGIN)
    SearchIndexDirty.objects.all().delete()

    programme.delete()

    assert marks("calls") == [call.pk]


def test_an_organisation_that_loses_its_verification_leaves_the_index(
    cluster, listing, django_capture_on_commit_callbacks
):
    organisation = listing.organisation
    indices.rebuild(OrganisationDocument)
    assert str(organisation.pk) in cluster.docs("techfloor-test-organisations")

    with django_capture_on_commit_callbacks(execute=True):
        organisation.verification_status = organisation.Verification.REJECTED
        organisation.save()

    assert str(organisation.pk) not in cluster.docs("techfloor-test-organisations")
    assert marks("organisations") == []
