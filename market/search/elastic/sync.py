"""Live indexing: keep Elasticsearch in step with the database, and never lose a change.

A change to a listing, an organisation or a call marks the object dirty
(``market.models.SearchIndexDirty``) in the same transaction, and after commit queues a task
that writes its document (``index_many``). The mark is deleted only once the document is
written; if Elasticsearch or the broker is down, the mark stays and the periodic
reconciliation (``reconcile``, every five minutes) writes it later. When ELASTICSEARCH_URL is
not set nothing here runs: the database backend needs no index.

Writes go through the aliases, never to a concrete index, with ``require_alias`` so that a
write can never create an index by accident: to the write alias, and while a rebuild runs (the
aliases point at different versions) to the read alias too, so searches see the change before
the rebuild ends (``market.search.elastic.indices``).

Receivers are connected to ``post_save``/``post_delete`` rather than to the services: listings,
organisations and call pages change through services, the admin, Wagtail's page actions and
imports, and every path must reach the index. They only mark and enqueue. What a document copies
from another record marks it too: an organisation's name (its listings), a sector's code and
parent (what is filed under it), a page's path and view restrictions (the calls below it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from elasticsearch import Elasticsearch
from elasticsearch.helpers import BulkIndexError, streaming_bulk
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from accounts.models import Sector
from market.models import SearchIndexDirty
from market.search.elastic.connection import get_client, is_configured
from market.search.elastic.documents import DOCUMENTS, CallDocument
from market.search.elastic.indices import (
    BULK_CHUNK,
    aliases,
    document_for,
    read_alias,
    source,
    write_alias,
)

logger = logging.getLogger(__name__)

# Dirty objects written per reconciliation step (one query, one bulk request).
RECONCILE_BATCH = 500


class IndexMissing(RuntimeError):
    """The write alias does not exist: ``manage.py search_index --rebuild`` creates it."""


def write_targets(kind: str, client: Elasticsearch) -> list[str]:
    """The aliases a live change is written to: the write alias, and the read alias while a
    rebuild has them point at different versions."""
    document = document_for(kind)
    found = aliases(document, client)
    write, read = write_alias(document), read_alias(document)
    if write not in found:
        raise IndexMissing(write)
    if read in found and sorted(found[read]) != sorted(found[write]):
        return [write, read]
    return [write]


def _send(client: Elasticsearch, actions: list[dict], *, require_alias: bool) -> None:
    """Send the actions; deleting a document that is not there is no error."""
    failed = [
        item
        for ok, item in streaming_bulk(
            client,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            require_alias=require_alias,
        )
        if not ok and not _is_missing_document(item)
    ]
    if failed:
        raise BulkIndexError(f"{len(failed)} document(s) failed to index.", failed)


def _is_missing_document(item: dict) -> bool:
    (operation, result), *_rest = item.items()
    return operation == "delete" and result.get("status") == 404 and "error" not in result


def index_many(
    *,
    kind: str,
    object_ids: Iterable[int],
    client: Elasticsearch | None = None,
    indices: list[str] | None = None,
) -> int:
    """Write the documents of these objects, or delete those no longer in the index's
    queryset (deleted, unpublished, no longer live); then clear their dirty marks. Returns how
    many objects were written or deleted. ``indices`` names versions to write into instead of
    the aliases (a rebuild's catch-up)."""
    ids = sorted(set(object_ids))
    if not ids:
        return 0
    client = client or get_client()
    document = document_for(kind)
    targets = indices or write_targets(kind, client)
    # Read the marks before the objects: a mark made after this read is newer and stays.
    marks = SearchIndexDirty.snapshot(kind=kind, object_ids=ids)
    present = {obj.pk: obj for obj in document.get_queryset().filter(pk__in=ids)}
    actions = []
    for pk in ids:
        for target in targets:
            if pk in present:
                body = source(document, present[pk])
                actions.append({"_op_type": "index", "_index": target, "_id": pk, "_source": body})
            else:
                actions.append({"_op_type": "delete", "_index": target, "_id": pk})
    _send(client, actions, require_alias=not indices)
    SearchIndexDirty.clear(kind=kind, snapshot=marks)
    return len(ids)


def index_now(kind: str, pk: int, *, client: Elasticsearch | None = None) -> None:
    """Write one object's document to the index now (or delete it if it left the index)."""
    index_many(kind=kind, object_ids=[pk], client=client)


def delete_now(kind: str, pk: int, *, client: Elasticsearch | None = None) -> None:
    """Delete one object's document from the index now, whatever the database says."""
    client = client or get_client()
    marks = SearchIndexDirty.snapshot(kind=kind, object_ids=[pk])
    actions = [
        {"_op_type": "delete", "_index": target, "_id": pk}
        for target in write_targets(kind, client)
    ]
    _send(client, actions, require_alias=True)
    SearchIndexDirty.clear(kind=kind, snapshot=marks)


def reconcile(*, client: Elasticsearch | None = None) -> int:
    """Write every object still marked dirty, oldest first; an index that does not exist yet
    is left for ``search_index --rebuild`` (its marks stay). Returns how many were written."""
    if not is_configured():
        return 0
    client = client or get_client()
    written = 0
    dirty_kinds = SearchIndexDirty.objects.order_by().values_list("kind", flat=True).distinct()
    for kind in sorted(set(dirty_kinds) & set(DOCUMENTS)):
        # The marks as they stand now: a mark made meanwhile waits for the next run, so a
        # listing that keeps changing cannot keep this run going.
        ids = list(
            SearchIndexDirty.objects.filter(kind=kind)
            .order_by("marked_at", "object_id")
            .values_list("object_id", flat=True)
        )
        for start in range(0, len(ids), RECONCILE_BATCH):
            try:
                written += index_many(
                    kind=kind, object_ids=ids[start : start + RECONCILE_BATCH], client=client
                )
            except IndexMissing:
                logger.error(
                    "Search index %s is missing: run manage.py search_index --rebuild", kind
                )
                break
    return written


def mark_changed(*, kind: str, object_ids: Iterable[int]) -> None:
    """Mark objects dirty in the current transaction and queue their indexing after commit;
    does nothing at all when Elasticsearch is not configured."""
    if not is_configured():
        return
    ids = sorted(set(object_ids))
    if not ids:
        return
    SearchIndexDirty.mark(kind=kind, object_ids=ids)
    from market.tasks import index_search_documents_task

    # Robust: a broker that is down (or an eager task that fails) must not fail the change
    # that was just committed; the mark stays for the reconciliation.
    def queue_indexing() -> None:  # named: Django logs a failed callback by its name
        index_search_documents_task.delay(kind, ids)

    transaction.on_commit(queue_indexing, robust=True)


def _object_saved(sender, instance, *, kind: str, **kwargs) -> None:
    mark_changed(kind=kind, object_ids=[instance.pk])


def _listing_saved(sender, instance, **kwargs) -> None:
    """A listing that was never published has no document: its owner's autosaves while
    typing a draft queue nothing."""
    if instance.published_at is not None or instance.status == instance.Status.PUBLISHED:
        mark_changed(kind="listings", object_ids=[instance.pk])


def _organisation_saved(sender, instance, **kwargs) -> None:
    """An organisation's name is part of its listings' documents."""
    if not is_configured():
        return
    from market.models import Listing

    mark_changed(kind="organisations", object_ids=[instance.pk])
    mark_changed(
        kind="listings",
        object_ids=Listing.objects.filter(
            organisation_id=instance.pk, status=Listing.Status.PUBLISHED
        ).values_list("pk", flat=True),
    )


def _listing_sectors_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a sector gained or lost listings
        mark_changed(kind="listings", object_ids=pk_set or [])
    else:
        _listing_saved(sender, instance)


def _sector_saved(sender, instance, **kwargs) -> None:
    """A sector's code and parent are part of its listings' and organisations' documents (the
    sector filter and facet): a taxonomy edit marks everything filed under it."""
    if not is_configured():
        return
    from accounts.models import Organisation
    from market.models import Listing

    under = Q(sectors=instance) | Q(sectors__parent=instance)
    mark_changed(
        kind="listings",
        object_ids=Listing.objects.filter(under, status=Listing.Status.PUBLISHED).values_list(
            "pk", flat=True
        ),
    )
    mark_changed(
        kind="organisations",
        object_ids=Organisation.objects.filter(under).values_list("pk", flat=True),
    )


def _mark_calls_below(page_id: int) -> None:
    """Mark every call at or below the page."""
    if not is_configured():
        return
    page = Page.objects.filter(pk=page_id).first()
    if page is None:  # deleted with its subtree: the calls' own deletions marked them
        return
    call_page = CallDocument.get_model()
    mark_changed(
        kind="calls",
        object_ids=call_page.objects.descendant_of(page, inclusive=True).values_list(
            "pk", flat=True
        ),
    )


def _page_path_changed(sender, instance, **kwargs) -> None:
    """A moved page, or a page whose slug changed, changes the ``url_path`` of every call
    below it; Wagtail rewrites those paths with one ``UPDATE``, which sends no ``post_save``."""
    _mark_calls_below(instance.pk)


def _restriction_changed(sender, instance, **kwargs) -> None:
    """A view restriction added or lifted takes the calls below its page out of the index or
    puts them back (``CallDocument`` holds public calls only)."""
    _mark_calls_below(instance.page_id)


def connect() -> None:
    """Connect the receivers (``MarketConfig.ready``); each returns at once when
    Elasticsearch is not configured."""
    from market.models import Listing

    for kind, document in DOCUMENTS.items():
        model = document.get_model()
        if kind == "organisations":
            post_save.connect(_organisation_saved, sender=model, dispatch_uid="es-organisations")
        elif kind == "listings":
            post_save.connect(_listing_saved, sender=model, dispatch_uid="es-listings")
        else:
            post_save.connect(
                partial(_object_saved, kind=kind),
                sender=model,
                weak=False,
                dispatch_uid=f"es-save-{kind}",
            )
        post_delete.connect(
            partial(_object_saved, kind=kind),
            sender=model,
            weak=False,
            dispatch_uid=f"es-delete-{kind}",
        )
    m2m_changed.connect(
        _listing_sectors_changed, sender=Listing.sectors.through, dispatch_uid="es-sectors"
    )
    post_save.connect(_sector_saved, sender=Sector, dispatch_uid="es-sector-saved")
    # Any page type: the moved page may be an index with calls below it.
    post_page_move.connect(_page_path_changed, dispatch_uid="es-page-moved")
    page_slug_changed.connect(_page_path_changed, dispatch_uid="es-page-slug-changed")
    post_save.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="es-restriction-saved"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="es-restriction-deleted"
    )
