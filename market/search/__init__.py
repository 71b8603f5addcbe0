"""``market.search``: one interface over the database and Elasticsearch backends.

``search_listings`` returns a page of listings and facet counts for a query and filters;
``index_listing`` and ``remove_listing`` keep a backend's index in step (the database backend
needs neither: the database maintains its own index). Every backend passes the contract tests
in ``tests/market/test_search_contract.py``.
"""

from __future__ import annotations

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
    "index_listing",
    "match_candidates",
    "percolate",
    "remove_listing",
    "search_listings",
]


def get_backend() -> SearchBackend:
    """The database backend unless ELASTICSEARCH_URL names a cluster."""
    from market.search.database import DatabaseBackend

    return DatabaseBackend()


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


def index_listing(listing_id: int) -> None:
    get_backend().index(listing_id)


def remove_listing(listing_id: int) -> None:
    get_backend().remove(listing_id)
