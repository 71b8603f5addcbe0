"""Index lifecycle: versioned indices behind a read and a write alias, rebuilt without downtime.

Each document class's ``Index.name`` ("techfloor-listings") is the *read* alias that searches
use; "techfloor-listings-write" is the *write* alias that live indexing uses
(``market.search.elastic.sync``). Behind them stand versioned indices,
"techfloor-listings-v20261124064332123456". A rebuild:

1. creates a new version (refresh off while it loads);
2. moves the write alias to it, so every live change from now on lands in the new version —
   while the read alias still points at the old one, live indexing writes there too;
3. bulk-loads every object of ``get_queryset()``;
4. catches up: compares the new version with the database (what ``check`` does) and rewrites
   exactly what differs, which covers a live change that the bulk load then overwrote with the
   older copy it had read, and an object deleted while the load ran;
5. moves the read alias in one ``POST /_aliases`` (remove and add together: searches never
   see a missing or empty index);
6. deletes the older versions.

``check`` compares ids and ``updated_at`` (or, deep, each document's content digest) in the
database and in the index; ``repair`` rewrites exactly the drifted documents.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import scan, streaming_bulk

from market.search.elastic.connection import get_client
from market.search.elastic.documents import DOCUMENTS, ModelDocument

logger = logging.getLogger(__name__)

# Objects read from the database and sent to Elasticsearch per bulk request.
BULK_CHUNK = 500
# Documents read per page when comparing an index with the database.
SCAN_PAGE = 5000
# The rebuild lock outlives any sane rebuild, and frees itself if a rebuild dies.
REBUILD_LOCK_TIMEOUT = 6 * 60 * 60
# How long an index request may take when a bulk chunk or an alias move is slow.
BULK_TIMEOUT = 120

Progress = Callable[[int], None]


class RebuildRunning(RuntimeError):
    """Another rebuild of the same index holds the lock."""


@dataclass
class Drift:
    """Ids in the database but not in the index (missing), in both with a different
    ``updated_at`` (stale), and in the index only (extra)."""

    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    @property
    def ids(self) -> list[int]:
        return sorted({*self.missing, *self.stale, *self.extra})


@dataclass
class RebuildResult:
    index: str
    indexed: int
    caught_up: int
    deleted_indices: list[str]


def document_for(kind: str) -> type[ModelDocument]:
    return DOCUMENTS[kind]


def kind_of(document: type[ModelDocument]) -> str:
    return next(kind for kind, candidate in DOCUMENTS.items() if candidate is document)


def read_alias(document: type[ModelDocument]) -> str:
    return document._index._name


def write_alias(document: type[ModelDocument]) -> str:
    return f"{read_alias(document)}-write"


def version_pattern(document: type[ModelDocument]) -> str:
    return f"{read_alias(document)}-v*"


def new_index_name(document: type[ModelDocument], *, now: datetime | None = None) -> str:
    """ "techfloor-listings-v20261124064332123456": names sort in the order they were made."""
    return f"{read_alias(document)}-v{(now or timezone.now()):%Y%m%d%H%M%S%f}"


def index_body(document: type[ModelDocument]) -> dict:
    """Settings (with analysis) and mappings of the document's index, without aliases: the
    aliases are moved explicitly."""
    body = copy.deepcopy(document._index.to_dict())
    body.pop("aliases", None)
    return body


def create_index(
    document: type[ModelDocument], *, client: Elasticsearch | None = None, name: str = ""
) -> str:
    """Create a new, empty version of the document's index (behind no alias) and name it."""
    client = client or get_client()
    name = name or new_index_name(document)
    client.indices.create(index=name, **index_body(document))
    return name


def indices_matching(client: Elasticsearch, pattern: str) -> dict[str, dict]:
    """Each index whose name matches ``pattern``, with its aliases (``GET {pattern}/_alias``).

    A pattern that matches nothing answers ``{}``; a cluster with security enabled has been
    known to answer 404 instead (elastic/elasticsearch#56027), which means the same here.
    """
    try:
        return client.indices.get_alias(index=pattern).body
    except NotFoundError:
        return {}


def aliases(document: type[ModelDocument], client: Elasticsearch) -> dict[str, list[str]]:
    """Which versions each alias of the document points at, e.g.
    ``{"techfloor-listings": ["…-v1"], "techfloor-listings-write": ["…-v2"]}``."""
    found: dict[str, list[str]] = {}
    for index, details in sorted(indices_matching(client, version_pattern(document)).items()):
        for alias in details.get("aliases", {}):
            found.setdefault(alias, []).append(index)
    return found


def versions(document: type[ModelDocument], client: Elasticsearch) -> list[str]:
    """Every versioned index of the document, oldest first."""
    return sorted(indices_matching(client, version_pattern(document)))


def move_alias(client: Elasticsearch, *, alias: str, to: str, current: Iterable[str]) -> None:
    """Point ``alias`` at ``to`` alone, in one atomic request."""
    actions: list[dict] = [
        {"remove": {"index": index, "alias": alias}} for index in current if index != to
    ]
    actions.append({"add": {"index": to, "alias": alias}})
    client.options(request_timeout=BULK_TIMEOUT).indices.update_aliases(actions=actions)


def source(document: type[ModelDocument], obj: Model) -> dict:
    """The document of one database object, as sent to Elasticsearch."""
    return document.from_instance(obj).to_dict()


def _updated_at_by_id(document: type[ModelDocument]) -> dict[int, datetime | None]:
    """The ``updated_at`` each object of the index should carry, read from the database."""
    queryset: QuerySet = document.get_queryset()
    model = queryset.model
    if any(model_field.name == "updated_at" for model_field in model._meta.get_fields()):
        return dict(
            queryset.prefetch_related(None).select_related(None).values_list("pk", "updated_at")
        )
    # A model without the column (a page) says in its document what stands in for it.
    return {obj.pk: source(document, obj).get("updated_at") for obj in queryset.iterator(500)}


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _digest_by_id(document: type[ModelDocument]) -> dict[int, str]:
    """The digest each object's document should carry: every document built, none sent."""
    return {
        obj.pk: document.from_instance(obj).digest
        for obj in document.get_queryset().iterator(chunk_size=BULK_CHUNK)
    }


def check(
    document: type[ModelDocument],
    *,
    client: Elasticsearch | None = None,
    index: str = "",
    deep: bool = False,
) -> Drift:
    """Compare the index (the read alias unless ``index`` names a version) with the database:
    by ``updated_at``, or with ``deep`` by each document's whole content (its digest), which
    also finds what changed without touching ``updated_at`` but builds every document."""
    client = client or get_client()
    field = "digest" if deep else "updated_at"
    expected = _digest_by_id(document) if deep else _updated_at_by_id(document)
    read = (lambda value: value) if deep else _as_datetime
    drift = Drift()
    seen: set[int] = set()
    for hit in scan(
        client,
        index=index or read_alias(document),
        query={"query": {"match_all": {}}, "_source": [field]},
        size=SCAN_PAGE,
    ):
        pk = int(hit["_id"])
        seen.add(pk)
        if pk not in expected:
            drift.extra.append(pk)
        elif read(hit["_source"].get(field)) != expected[pk]:
            drift.stale.append(pk)
    drift.missing = sorted(set(expected) - seen)
    drift.stale.sort()
    drift.extra.sort()
    return drift


def repair(
    document: type[ModelDocument],
    drift: Drift,
    *,
    client: Elasticsearch | None = None,
    index: str = "",
) -> int:
    """Rewrite exactly the drifted documents from the database (through the aliases, or into
    ``index``); an object no longer in the database is deleted. Returns how many."""
    from market.search.elastic.sync import index_many

    return index_many(
        kind=kind_of(document),
        object_ids=drift.ids,
        client=client,
        indices=[index] if index else None,
    )


def bulk_load(
    document: type[ModelDocument],
    *,
    index: str,
    client: Elasticsearch,
    progress: Progress | None = None,
) -> int:
    """Write every object of ``get_queryset()`` into ``index``; returns how many."""
    actions = (
        {"_op_type": "index", "_index": index, "_id": obj.pk, "_source": source(document, obj)}
        for obj in document.get_queryset().iterator(chunk_size=BULK_CHUNK)
    )
    written = pending = 0
    for _ok, _item in streaming_bulk(
        client.options(request_timeout=BULK_TIMEOUT),
        actions,
        chunk_size=BULK_CHUNK,
        max_retries=3,  # rejected with 429 (queue full): wait and send the chunk again
        raise_on_error=True,
    ):
        written += 1
        pending += 1
        if progress and pending == BULK_CHUNK:
            progress(pending)
            pending = 0
    if progress and pending:
        progress(pending)
    return written


def _remove_stray_index(client: Elasticsearch, alias: str) -> list[dict]:
    """An index that took the alias' name (created by a write before any rebuild) is removed
    in the same request that adds the alias."""
    if client.indices.exists_alias(name=alias):
        return []
    if client.indices.exists(index=alias):
        logger.warning("Replacing the index %s by an alias of the same name", alias)
        return [{"remove_index": {"index": alias}}]
    return []


def rebuild(
    document: type[ModelDocument],
    *,
    progress: Progress | None = None,
    client: Elasticsearch | None = None,
) -> RebuildResult:
    """Build a new version of the document's index from the database and switch searches to
    it without downtime (see the module's docstring for the steps)."""
    client = client or get_client()
    lock = f"search-index:rebuild:{read_alias(document)}"
    if not cache.add(lock, timezone.now().isoformat(), REBUILD_LOCK_TIMEOUT):
        raise RebuildRunning(read_alias(document))
    try:
        return _rebuild(document, client=client, progress=progress)
    finally:
        cache.delete(lock)


def _rebuild(
    document: type[ModelDocument], *, client: Elasticsearch, progress: Progress | None
) -> RebuildResult:
    read, write = read_alias(document), write_alias(document)
    name = new_index_name(document)
    body = index_body(document)
    settings = body.setdefault("settings", {})
    # No refreshes while loading: segments are merged once at the end.
    settings["refresh_interval"] = "-1"
    client.indices.create(index=name, **body)

    current = aliases(document, client)
    move_alias(client, alias=write, to=name, current=current.get(write, []))
    is_loaded = False
    try:
        indexed = bulk_load(document, index=name, client=client, progress=progress)
        client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
        client.indices.refresh(index=name)
        drift = check(document, client=client, index=name)
        caught_up = repair(document, drift, client=client, index=name) if drift.total else 0
        if caught_up:
            client.indices.refresh(index=name)
        is_loaded = True
    finally:
        if not is_loaded:
            _abandon(document, client=client, name=name)

    current = aliases(document, client)
    actions: list[dict] = [
        {"remove": {"index": index, "alias": read}}
        for index in current.get(read, [])
        if index != name
    ]
    actions += _remove_stray_index(client, read)
    actions.append({"add": {"index": name, "alias": read}})
    client.options(request_timeout=BULK_TIMEOUT).indices.update_aliases(actions=actions)

    old = [index for index in versions(document, client) if index != name]
    if old:
        client.indices.delete(index=",".join(old))
    logger.info("Rebuilt %s: %s documents into %s, %s caught up", read, indexed, name, caught_up)
    return RebuildResult(index=name, indexed=indexed, caught_up=caught_up, deleted_indices=old)


def _abandon(document: type[ModelDocument], *, client: Elasticsearch, name: str) -> None:
    """A rebuild failed before the switch: live writes go back to the version searches read
    (which they kept writing to), and the half-built version goes."""
    try:
        current = aliases(document, client)
        serving = current.get(read_alias(document), [])
        if serving:
            move_alias(client, alias=write_alias(document), to=serving[0], current=[name])
        client.indices.delete(index=name)
    except (TransportError, ApiError):
        logger.exception("Could not clean up the failed rebuild %s: the next rebuild will", name)


def delete_all(document: type[ModelDocument], *, client: Elasticsearch | None = None) -> None:
    """Delete every version (and so both aliases): for tests and benchmarks."""
    client = client or get_client()
    found = versions(document, client)
    if found:
        with contextlib.suppress(NotFoundError):  # deleted meanwhile
            client.indices.delete(index=",".join(found))
