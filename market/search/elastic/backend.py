"""``ElasticsearchBackend``: the floor's search, match candidates and saved-search percolation
answered by Elasticsearch, with the database backend's facets, sorts and visibility.

Elasticsearch returns ids; the page's listings are then read from the database (as the
PostgreSQL path does), so what a card shows is never staler than the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from django.core.paginator import Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Search
from elasticsearch.dsl.response import Response

from market.models import Listing
from market.search.base import SearchFilters, SearchResults, query_terms
from market.search.database import CARD_FIELDS, DatabaseBackend
from market.search.elastic import percolator, queries
from market.search.elastic.connection import get_client
from market.search.elastic.documents import ListingDocument
from market.selectors import is_curator

# Elasticsearch's default ``index.max_result_window``: from + size may not exceed it.
MAX_RESULT_WINDOW = 10_000
# Saved searches percolated per request (each request's ``size`` and ``mget`` stay small).
PERCOLATE_BATCH = 1_000


def marked_html(passage: str) -> SafeString:
    """A highlighted passage as safe HTML: everything escaped, then the marks put back."""
    escaped = escape(passage)
    return mark_safe(  # noqa: S308  (escaped above; only the two fixed tags are restored)
        escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    )


class SearchHits(Sequence):
    """Search results as a sequence for Django's ``Paginator``: ``len()`` is the total, a slice
    asks Elasticsearch for that window (the first window comes with the first response)."""

    def __init__(self, response: Response, offset: int, fetch: Callable[[int, int], Response]):
        self.total = response.hits.total.value
        self.offset = offset
        self.response = response
        self._fetch = fetch

    def __len__(self) -> int:
        # Elasticsearch refuses windows past ``index.max_result_window``: pages stop there,
        # though ``SearchResults.total`` still says how many matched.
        return min(self.total, MAX_RESULT_WINDOW)

    def __getitem__(self, window):
        if not isinstance(window, slice):
            return self[window : window + 1][0]
        start, stop = window.start or 0, min(window.stop or len(self), len(self))
        if stop <= start:
            return []
        if start != self.offset:
            self.response, self.offset = self._fetch(start, stop), start
        return [int(hit.meta.id) for hit in self.response.hits][: stop - start]

    def highlights(self) -> dict[int, dict[str, str]]:
        """The marked passages of the current window's hits, by listing id and field."""
        found = {}
        for hit in self.response.hits:
            marked = getattr(hit.meta, "highlight", None)
            if marked:
                found[int(hit.meta.id)] = {
                    field.split(".")[0]: marked_html(" … ".join(passages))
                    for field, passages in marked.to_dict().items()
                }
        return found


def requested_page(page) -> int:
    """The page number asked for ("2" from a query string is 2); anything else is the first.
    ``Paginator.get_page`` still has the last word (past the end: the last page)."""
    try:
        return max(int(page), 1)
    except (TypeError, ValueError):
        return 1


def load_listings(ids: list[int]) -> list[Listing]:
    """The listings of a page in the given order, with what cards show; an id the index still
    holds but the database no longer does is left out (reconciliation removes it)."""
    listings = (
        Listing.objects.select_related("organisation")
        .prefetch_related("sectors")
        .only(*CARD_FIELDS)
        .in_bulk(ids)
    )
    return [listings[pk] for pk in ids if pk in listings]


def counts_from(response: Response) -> tuple[Counter, Counter]:
    """The aggregations as ``DatabaseBackend._facets`` reads counts: "kind:offer" → n."""
    counts, sector_counts = Counter(), Counter()
    for name in queries.FACET_FIELDS:
        for bucket in getattr(response.aggregations, name).buckets:
            if name == "sector":
                sector_counts[str(bucket.key)] += bucket.doc_count
            else:
                counts[f"{name}:{bucket.key}"] += bucket.doc_count
    return counts, sector_counts


class ElasticsearchBackend:
    """Search, candidates and percolation on Elasticsearch; the read alias only."""

    def __init__(self, client: Elasticsearch | None = None) -> None:
        self.client = client or get_client()

    def _run(self, search: Search) -> Response:
        return search.using(self.client).execute()

    def search(self, *, query, filters, page, per_page, sort, viewer, any_terms) -> SearchResults:
        terms = query_terms(query)

        def build(*, fuzzy: bool, facets: bool = True) -> Search:
            return queries.listing_search(
                query=query,
                terms=terms,
                filters=filters,
                sort=sort,
                include_staff_only=is_curator(viewer),
                any_terms=any_terms,
                fuzzy=fuzzy,
                facets=facets,
            )

        fuzzy = False
        search = build(fuzzy=fuzzy)
        number = min(requested_page(page), max(MAX_RESULT_WINDOW // per_page, 1))
        offset = (number - 1) * per_page
        response = self._run(search[offset : offset + per_page])
        if not response.hits.total.value and terms and not any_terms:
            fuzzy = True  # no listing holds every word: a title that looks alike
            search = build(fuzzy=fuzzy)
            response = self._run(search[offset : offset + per_page])
        # A later window (a page past the end turns into the last page) needs no facets.
        bare = build(fuzzy=fuzzy, facets=False)
        hits = SearchHits(response, offset, lambda start, stop: self._run(bare[start:stop]))
        counts, sector_counts = counts_from(response)
        page_obj = Paginator(hits, per_page).get_page(page)
        marked = hits.highlights()
        page_obj.object_list = load_listings(list(page_obj.object_list))
        for listing in page_obj.object_list:
            listing.search_highlights = marked.get(listing.pk, {})
        return SearchResults(
            page=page_obj,
            # The database backend's own labels, values and "selected" rules.
            facets=DatabaseBackend()._facets(counts, sector_counts, filters),
            query=query,
            total=hits.total,
        )

    def candidates(self, *, terms, kinds, exclude_organisation_id, limit) -> list[int]:
        search = queries.candidates_search(
            terms=terms, kinds=kinds, exclude_organisation_id=exclude_organisation_id, limit=limit
        )
        return [int(hit.meta.id) for hit in self._run(search)]

    def percolate(self, *, listing_id, searches: list[tuple[int, str, SearchFilters]]) -> list[int]:
        listing = ListingDocument.get_queryset().filter(pk=listing_id).first()
        if listing is None:
            return []
        document = ListingDocument.from_instance(listing).to_dict()
        found = set()
        for start in range(0, len(searches), PERCOLATE_BATCH):
            batch = searches[start : start + PERCOLATE_BATCH]
            percolator.register(self.client, batch)
            search = percolator.percolate_search(
                document=document, search_ids=[search_id for search_id, *_rest in batch]
            )
            found |= {int(hit.meta.id) for hit in self._run(search)}
        return [search_id for search_id, *_rest in searches if search_id in found]
