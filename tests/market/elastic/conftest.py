"""Fixtures of the Elasticsearch tests: ``es_server``, a local server that records what the
client sends and answers with canned Elasticsearch-shaped JSON; ``cluster``, an in-memory
cluster (``fake_cluster``); and ``es_url`` for tests that need a real Elasticsearch 8 server
(skipped unless ELASTICSEARCH_URL is set in the environment)."""

from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save

from market.models import Listing
from market.search.elastic.connection import _client, get_client
from market.search.elastic.documents import ListingDocument
from market.search.elastic.percolator import saved_searches_index
from market.search.elastic.queries import FACET_FIELDS
from tests.market.elastic.fake_cluster import FakeCluster
from tests.market.elastic.fake_server import FakeServer, Recorded, error_response

NEEDS_SERVER = "needs an Elasticsearch 8 server: set ELASTICSEARCH_URL"


class ElasticServer(FakeServer):
    """Answers each request with the newest canned answer whose method and path pattern fit
    (``answer``), or 404 like Elasticsearch; records every request in ``requests``."""

    def __init__(self) -> None:
        self._answers: list[tuple[str, re.Pattern, int, object]] = []
        super().__init__()

    def answer(self, method: str, path: str, body: object, *, status: int = 200) -> None:
        """Answer ``method`` on paths matching the regular expression ``path`` (whole path)."""
        with self._lock:
            self._answers.insert(0, (method, re.compile(path), status, body))

    def sent(self, method: str, path: str) -> list[Recorded]:
        """The requests recorded for ``method`` on paths matching ``path``."""
        pattern = re.compile(path)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    def respond(self, request: Recorded) -> tuple[int, object]:
        for method, pattern, status, body in self._answers:
            if method == request.method and pattern.fullmatch(request.path):
                return status, body(request) if callable(body) else body
        return 404, error_response(
            "index_not_found_exception", f"no such index [{request.path}]", status=404
        )


@pytest.fixture
def es_server(settings):
    """A recording Elasticsearch; the settings point the client at it."""
    server = ElasticServer().start()
    settings.ELASTICSEARCH_URL = server.url
    yield server
    server.stop()
    _client.cache_clear()


@pytest.fixture
def cluster(settings):
    """An in-memory Elasticsearch cluster; the settings point the client at it."""
    fake = FakeCluster().start()
    settings.ELASTICSEARCH_URL = fake.url
    yield fake
    fake.stop()
    _client.cache_clear()


@pytest.fixture
def es_url(settings):
    """The address of a real Elasticsearch 8 server, which the settings then use."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        pytest.skip(NEEDS_SERVER)
    settings.ELASTICSEARCH_URL = url
    return url


def search_response(
    ids: list[int],
    *,
    total: int | None = None,
    aggregations: dict | None = None,
    highlights: dict[int, dict[str, list[str]]] | None = None,
) -> dict:
    """A search answer holding ``ids`` in order (and their marked passages); with
    ``aggregations`` (facet name → {value: count}), every facet's buckets."""
    hits = []
    for number, pk in enumerate(ids):
        hit = {"_index": "techfloor-test-listings-v1", "_id": str(pk), "_score": 10.0 - number}
        if highlights and pk in highlights:
            hit["highlight"] = highlights[pk]
        hits.append(hit)
    answer = {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": len(ids) if total is None else total, "relation": "eq"},
            "max_score": 10.0,
            "hits": hits,
        },
    }
    if aggregations is not None:
        # Elasticsearch answers every requested aggregation, with no buckets when none count.
        aggregations = {name: {} for name in FACET_FIELDS} | aggregations
        answer["aggregations"] = {
            name: {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": key, "doc_count": count} for key, count in buckets.items()],
            }
            for name, buckets in aggregations.items()
        }
    return answer


@contextmanager
def live_listing_index():
    """A fresh listings index behind the read and write aliases on the real server, kept in
    step synchronously (refreshed at each write) while the block runs, then deleted."""
    client = get_client()
    alias = ListingDocument._index._name
    # The test prefix is the tests' own (docs/elasticsearch.md): whatever an interrupted run
    # or another test left behind the aliases goes, so that they point at one index only.
    for name in (alias, f"{alias}-write"):
        found = client.options(ignore_status=404).indices.get_alias(name=name)
        if found.meta.status == 200:
            for stale in found.body:
                client.options(ignore_status=404).indices.delete(index=stale)
    name = f"{alias}-vtest-{uuid.uuid4().hex[:8]}"
    body = ListingDocument._index.to_dict()
    client.indices.create(
        index=name,
        settings=body["settings"],
        mappings=body["mappings"],
        aliases={alias: {}, f"{alias}-write": {}},
    )

    def write(pk: int) -> None:
        listing = ListingDocument.get_queryset().filter(pk=pk).first()
        if listing is None:
            client.options(ignore_status=404).delete(index=alias, id=str(pk), refresh=True)
            return
        document = ListingDocument.from_instance(listing).to_dict()
        client.index(index=alias, id=str(pk), document=document, refresh=True)

    def saved(sender, instance, **kwargs):
        write(instance.pk)

    def sectors_changed(sender, instance, action, **kwargs):
        if action.startswith("post_"):
            write(instance.pk)

    post_save.connect(saved, sender=Listing, dispatch_uid="es-test-save")
    post_delete.connect(saved, sender=Listing, dispatch_uid="es-test-delete")
    m2m_changed.connect(sectors_changed, sender=Listing.sectors.through, dispatch_uid="es-test-m2m")
    try:
        yield
    finally:
        post_save.disconnect(sender=Listing, dispatch_uid="es-test-save")
        post_delete.disconnect(sender=Listing, dispatch_uid="es-test-delete")
        m2m_changed.disconnect(sender=Listing.sectors.through, dispatch_uid="es-test-m2m")
        client.indices.delete(index=name)
        client.options(ignore_status=404).indices.delete(index=saved_searches_index()._name)
