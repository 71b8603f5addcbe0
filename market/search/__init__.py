"""``market.search``: one interface over the database and Elasticsearch backends.

``search_listings`` returns a page of listings and facet counts for a query and filters,
``match_candidates`` the matching engine's candidates, ``percolate`` the saved searches a listing
meets. Every backend passes the contract tests in ``tests/market/test_search_contract.py``. The
database keeps its own index; Elasticsearch's is kept by ``market.search.elastic.sync``, queued
after commit (docs/elasticsearch.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from market.search.base import (
    PRICE_BANDS,
    SORTS,
    Facet,
    FacetValue,
    SearchBackend,
    SearchFilters,
    SearchResults,
)

__all__ = [
    "PRICE_BANDS",
    "SORTS",
    "Facet",
    "FacetValue",
    "SearchBackend",
    "SearchFilters",
    "SearchResults",
    "get_backend",
    "is_search_degraded",
    "match_candidates",
    "percolate",
    "search_listings",
]


logger = logging.getLogger(__name__)

# Set for a few minutes after Elasticsearch failed to answer: staff see a notice meanwhile.
DEGRADED_CACHE_KEY = "market:search:degraded"
DEGRADED_SECONDS = 5 * 60


def get_backend() -> SearchBackend:
    """The database backend unless ELASTICSEARCH_URL names a cluster; then Elasticsearch,
    with the database answering whenever the cluster cannot."""
    from market.search.database import DatabaseBackend

    if not settings.ELASTICSEARCH_URL:
        return DatabaseBackend()
    from market.search.elastic.backend import ElasticsearchBackend

    return FallbackBackend(primary=ElasticsearchBackend(), fallback=DatabaseBackend())


def is_search_degraded() -> bool:
    """Whether Elasticsearch failed recently and the database answered searches instead."""
    return bool(settings.ELASTICSEARCH_URL) and bool(cache.get(DEGRADED_CACHE_KEY))


def _is_outage(error: Exception) -> bool:
    """Unreachable, too slow, or unable to serve (5xx, index missing); a bad request (4xx) is
    our bug and must not hide behind the database."""
    from elasticsearch import ApiError, NotFoundError, TransportError

    if isinstance(error, TransportError):  # connection refused, timeout, TLS
        return True
    return isinstance(error, NotFoundError) or (
        isinstance(error, ApiError) and error.meta.status >= 500
    )


class FallbackBackend:
    """Searches, candidates and percolation from the primary backend, or from the fallback
    with a logged warning when the primary is out."""

    def __init__(self, *, primary: SearchBackend, fallback: SearchBackend) -> None:
        self.primary = primary
        self.fallback = fallback

    def _answer(self, action: str, **kwargs):
        from elasticsearch import ApiError, TransportError

        try:
            return getattr(self.primary, action)(**kwargs)
        except (TransportError, ApiError) as error:
            if not _is_outage(error):
                raise
            logger.warning(
                "Elasticsearch could not answer %s (%s: %s); the database answered instead",
                action,
                type(error).__name__,
                error,
            )
            cache.set(DEGRADED_CACHE_KEY, True, DEGRADED_SECONDS)
            return getattr(self.fallback, action)(**kwargs)

    def search(self, **kwargs) -> SearchResults:
        return self._answer("search", **kwargs)

    def candidates(self, **kwargs) -> list[int]:
        return self._answer("candidates", **kwargs)

    def percolate(self, **kwargs) -> list[int]:
        return self._answer("percolate", **kwargs)


def search_listings(
    *,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
    sort: str = "relevance",
    viewer=None,
    any_terms: bool = False,
) -> SearchResults:
    """Published listings the viewer may see that match ``query`` and ``filters``."""
    return get_backend().search(
        query=query,
        filters=filters or SearchFilters(),
        page=page,
        per_page=per_page,
        sort=sort,
        viewer=viewer,
        any_terms=any_terms,
    )


def match_candidates(
    *, terms: list[str], kinds: list[str], exclude_organisation_id: int | None, limit: int = 80
) -> list[int]:
    """Published listings of ``kinds`` that share any of the folded ``terms``, best first: the
    matching engine's candidates (staff-only listings included; pages filter what they show)."""
    if not terms:
        return []
    return get_backend().candidates(
        terms=terms, kinds=kinds, exclude_organisation_id=exclude_organisation_id, limit=limit
    )


def percolate(*, listing_id: int, searches: list[tuple[int, str, SearchFilters]]) -> list[int]:
    """Which of the saved ``(id, query, filters)`` searches would find this listing on the
    public floor now: the same rules as ``search_listings``, one listing at a time."""
    if not searches:
        return []
    return get_backend().percolate(listing_id=listing_id, searches=searches)
