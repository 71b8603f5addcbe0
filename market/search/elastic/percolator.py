"""Saved searches as percolator queries: which saved searches find this listing?

The index ``{prefix}-saved-searches-{digest}`` holds, per saved search, the query the floor
would run for it (``queries.percolator_query``) beside the listing fields that query reads (the
listings' mapping and analysis, so the percolated document is analysed exactly as an indexed
listing). The caller names the searches it cares about; those whose stored query is missing or
stale (its fingerprint differs) are written first, then one ``percolate`` query restricted to
those ids runs against the listing's document, built fresh from the database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from elasticsearch import BadRequestError, Elasticsearch
from elasticsearch.dsl import Index, Integer, Keyword, Mapping, Percolator, Q, Search
from elasticsearch.dsl.query import Query

from market.search.base import SearchFilters
from market.search.elastic.connection import index_prefix
from market.search.elastic.documents import INDEX_SETTINGS, ListingDocument
from market.search.elastic.indices import indices_matching
from market.search.elastic.queries import percolator_query

# Raise it when ``percolator_query`` changes: every stored query is then rewritten on use.
QUERY_VERSION = 1


def saved_searches_index() -> Index:
    """The percolator index: the listings' fields and analysis plus the stored query.

    Its name ends with a digest of its settings and mappings ("techfloor-saved-searches-
    3f2a9c01b7e4"): when the listings' mapping or analysis changes, the code percolates into a
    new index, created on first use and filled by ``register`` as searches are percolated, never
    into one that would analyse the listing differently or refuse its new fields. The stored
    queries are derived from the saved searches in the database, so nothing is lost; the stale
    index is deleted by ``search_index --rebuild`` (``delete_stale_indices``).
    """
    body = _saved_searches_index("").to_dict()
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
    return _saved_searches_index(f"{saved_searches_prefix()}-{digest}")


def saved_searches_prefix() -> str:
    return f"{index_prefix()}-saved-searches"


def _saved_searches_index(name: str) -> Index:
    index = Index(name)
    index.settings(**INDEX_SETTINGS)
    index.mapping(ListingDocument._doc_type.mapping)  # copied: the analysis comes along
    stored = Mapping()
    stored.field("query", Percolator())
    stored.field("search_id", Integer())
    stored.field("fingerprint", Keyword())
    index.mapping(stored)
    return index


def delete_stale_indices(client: Elasticsearch) -> list[str]:
    """Delete the percolator indices of earlier mappings; returns their names."""
    current = saved_searches_index()._name
    found = indices_matching(client, f"{saved_searches_prefix()}-*")
    stale = sorted(name for name in found if name != current)
    if stale:
        client.indices.delete(index=",".join(stale))
    return stale


def fingerprint(*, query: str, filters: SearchFilters) -> str:
    """What the stored query was built from; a different fingerprint means rebuild it."""
    data = {"version": QUERY_VERSION, "query": query, "filters": dataclasses.asdict(filters)}
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _create_if_missing(client: Elasticsearch, index: Index) -> None:
    if index.exists(using=client):
        return
    try:
        index.create(using=client)
    except BadRequestError as error:
        # Another worker created it between the two requests: after a mapping change, the
        # first listings published all find the new index missing at once.
        if error.message != "resource_already_exists_exception":
            raise


def register(client: Elasticsearch, searches: list[tuple[int, str, SearchFilters]]) -> list[int]:
    """Write the stored queries of ``searches`` that are missing or stale; returns their ids."""
    index = saved_searches_index()
    _create_if_missing(client, index)
    wanted = {
        str(search_id): fingerprint(query=query, filters=filters)
        for search_id, query, filters in searches
    }
    found = client.mget(index=index._name, ids=list(wanted), source_includes=["fingerprint"])
    stored = {
        doc["_id"]: doc["_source"].get("fingerprint") for doc in found["docs"] if doc.get("found")
    }
    operations: list[dict] = []
    written = []
    for search_id, query, filters in searches:
        key = str(search_id)
        if stored.get(key) == wanted[key]:
            continue
        operations.append({"index": {"_index": index._name, "_id": key}})
        operations.append(
            {
                "search_id": search_id,
                "fingerprint": wanted[key],
                "query": percolator_query(query=query, filters=filters),
            }
        )
        written.append(search_id)
    if operations:
        # Refreshed at once: the percolation that follows must see the new queries.
        response = client.bulk(operations=operations, refresh=True)
        if response.get("errors"):
            failed = [item for item in response["items"] if item["index"].get("error")]
            raise ValueError(f"Saved searches could not be stored: {failed[:3]}")
    return written


def percolate_search(*, document: dict, search_ids: list[int]) -> Search:
    """The stored queries among ``search_ids`` that match ``document``."""
    percolate: Query = Q("percolate", field="query", document=document)
    return (
        Search(index=saved_searches_index()._name)
        .query(percolate)
        .filter("ids", values=[str(search_id) for search_id in search_ids])
        .source(False)
        .extra(size=len(search_ids))
    )
