"""The request bodies of the Elasticsearch backend: search with facets, candidates, percolation.

Each builder returns an elasticsearch-dsl ``Search`` or query and sends nothing, so the tests
assert the exact bodies. They keep the database backend's rules (``market.search.database``):

- a listing matches when it holds all the query's folded words, the last as a prefix
  (search-as-you-type), or any of them (``any_terms``); when nothing matches, a title that
  looks alike (typos), as PostgreSQL's trigram fallback;
- visibility as ``listing_list_public``: published only, staff-only listings for curators alone;
- the same filters, the same facets (counted over the current results, the facet's own filter
  included, as the database counts them), the same sorts, featured listings first;
- field weights title 10 > summary 5 > keywords 3 > description 1, as FTS5's ``bm25`` weights.
"""

from __future__ import annotations

import unicodedata

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from market.models import Listing
from market.search.base import SearchFilters, query_terms
from market.search.elastic.documents import ListingDocument

WEIGHTED_FIELDS = ("title^10", "summary^5", "keywords^3", "body")
# Facet name (as ``DatabaseBackend._facets`` names it) → indexed field, and how many values
# it can have at most (bucket sizes must cover them all for the counts to be exact).
FACET_FIELDS = {
    "kind": ("kind", len(Listing.Kind.values)),
    "language": ("language", len(Listing.Language.values)),
    "ip_status": ("ip_status", len(Listing.IPStatus.values)),
    "province": ("province", 100),
    "trl": ("trl", 9),
    "transfer_mode": ("transfer_modes", len(Listing.TransferMode.values)),
    "price_band": ("price_band", 10),
    "sector": ("top_sectors", 500),
}
NEWEST = [
    {"featured": {"order": "desc"}},
    {"published_at": {"order": "desc", "missing": "_last"}},
    {"id": {"order": "desc"}},
]
SORTS = {
    "relevance": [{"featured": {"order": "desc"}}, "_score", {"id": {"order": "desc"}}],
    "newest": NEWEST,
    "price": [{"price_min": {"order": "asc", "missing": "_last"}}, {"id": {"order": "desc"}}],
    "deadline": [{"deadline": {"order": "asc", "missing": "_last"}}, {"id": {"order": "desc"}}],
}
HIGHLIGHT_FIELDS = ("title", "summary", "body")
MARK = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"]}


def weighted(subfield: str) -> list[str]:
    """The weighted fields' sub-fields: "folded" → ["title.folded^10", …, "body.folded"]."""
    return [
        f"{name}.{subfield}^{weight}" if weight else f"{name}.{subfield}"
        for name, _caret, weight in (field.partition("^") for field in WEIGHTED_FIELDS)
    ]


def visibility_filters(*, include_staff_only: bool) -> list[Query]:
    """``listing_list_public``: published listings; staff-only ones for curators alone."""
    clauses = [Q("term", status=Listing.Status.PUBLISHED.value)]
    if not include_staff_only:
        clauses.append(~Q("term", visibility=Listing.Visibility.STAFF.value))
    return clauses


def filter_clauses(filters: SearchFilters) -> list[Query]:
    """``DatabaseBackend._filter`` on the indexed fields."""
    clauses = [
        Q("term", **{name: getattr(filters, name)})
        for name in ("kind", "province", "trl", "ip_status", "language", "organisation_id")
        if getattr(filters, name)
    ]
    if filters.sector:  # the document's sectors hold their parents' codes too
        clauses.append(Q("term", sectors=filters.sector))
    if filters.transfer_mode in Listing.TransferMode.values:
        clauses.append(Q("term", transfer_modes=filters.transfer_mode))
    if filters.price_band:
        clauses.append(Q("term", price_band=filters.price_band))
    if filters.exclude_id:
        # The ``id`` field, not ``_id``: a percolated document has no ``_id``.
        clauses.append(~Q("term", id=filters.exclude_id))
    return clauses


def matching_query(terms: list[str], *, any_terms: bool = False, fuzzy: bool = False) -> Query:
    """Whether a listing matches the folded ``terms`` at all (no ranking)."""
    text = " ".join(terms)
    if fuzzy:
        return Q(
            "match", **{"title.folded": {"query": text, "fuzziness": "AUTO", "operator": "and"}}
        )
    if any_terms:
        return Q("match", search_text={"query": text, "operator": "or"})
    return Q("match_bool_prefix", search_text={"query": text, "operator": "and"})


def ranking_queries(query: str) -> list[Query]:
    """What ranks the matches: weighted fields, syllable pairs standing together, and the
    English analyzer for listings written in English."""
    text = unicodedata.normalize("NFC", query)
    return [
        Q(
            "multi_match",
            query=text,
            fields=list(WEIGHTED_FIELDS),
            type="best_fields",
            tie_breaker=0.3,
        ),
        Q(
            "multi_match",
            query=text,
            fields=weighted("shingles"),
            type="best_fields",
        ),
        Q(
            "bool",
            filter=[Q("term", language=Listing.Language.EN.value)],
            must=[
                Q(
                    "multi_match",
                    query=text,
                    fields=weighted("english"),
                    type="best_fields",
                )
            ],
        ),
    ]


def listing_query(
    *,
    terms: list[str],
    query: str,
    filters: SearchFilters,
    include_staff_only: bool,
    any_terms: bool = False,
    fuzzy: bool = False,
    ranked: bool = True,
) -> Query:
    """The listings a search finds: visibility, filters, and the words."""
    must = [matching_query(terms, any_terms=any_terms, fuzzy=fuzzy)] if terms else []
    should = ranking_queries(query) if terms and ranked and not fuzzy else []
    return Q(
        "bool",
        filter=[
            *visibility_filters(include_staff_only=include_staff_only),
            *filter_clauses(filters),
        ],
        must=must,
        should=should,
    )


def resolve_sort(sort: str, *, has_text: bool) -> str:
    """As the database: an unknown sort, or relevance without words, is relevance with words
    and newest without."""
    if sort not in SORTS or (sort == "relevance" and not has_text):
        return "relevance" if has_text else "newest"
    return sort


def listing_search(
    *,
    query: str,
    terms: list[str],
    filters: SearchFilters,
    sort: str,
    include_staff_only: bool,
    any_terms: bool = False,
    fuzzy: bool = False,
    facets: bool = True,
) -> Search:
    """A floor search: ids in order, the exact total, every facet, highlighted passages."""
    search = (
        Search(index=ListingDocument._index._name)
        .query(
            listing_query(
                terms=terms,
                query=query,
                filters=filters,
                include_staff_only=include_staff_only,
                any_terms=any_terms,
                fuzzy=fuzzy,
            )
        )
        .sort(*SORTS[resolve_sort(sort, has_text=bool(terms))])
        .source(False)
        .extra(track_total_hits=True)
    )
    if facets:
        for name, (field, size) in FACET_FIELDS.items():
            search.aggs.bucket(name, "terms", field=field, size=size)
    if terms:
        search = search.highlight(*HIGHLIGHT_FIELDS, number_of_fragments=0).highlight_options(
            require_field_match=False,
            highlight_query=Q(
                "multi_match",
                query=" ".join(terms),
                type="bool_prefix",
                fields=[f"{field}.folded" for field in HIGHLIGHT_FIELDS],
            ).to_dict(),
            **MARK,
        )
    return search


def candidates_search(
    *, terms: list[str], kinds: list[str], exclude_organisation_id: int | None, limit: int
) -> Search:
    """The matching engine's candidates: published listings of ``kinds`` of other
    organisations sharing any of the words, ranked by the weighted fields; listings that have
    them in title or keywords (as PostgreSQL's ranking) and share several of the rarest
    (``more_like_this``) go first."""
    text = " ".join(terms)
    folded_fields = weighted("folded")
    excluded = (
        [Q("term", organisation_id=exclude_organisation_id)] if exclude_organisation_id else []
    )
    matched = Q(
        "bool",
        filter=[Q("term", status=Listing.Status.PUBLISHED.value), Q("terms", kind=list(kinds))],
        must_not=excluded,
        must=[Q("multi_match", query=text, fields=folded_fields, type="most_fields")],
        should=[
            Q(
                "more_like_this",
                fields=[field.split("^")[0] for field in folded_fields],
                like=text,
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=len(terms),
                minimum_should_match="30%",
            )
        ],
    )
    scored = Q(
        "function_score",
        query=matched,
        functions=[
            {
                "filter": Q(
                    "multi_match", query=text, fields=["title.folded", "keywords.folded"]
                ).to_dict(),
                "weight": 2,
            }
        ],
        score_mode="max",
        boost_mode="multiply",
    )
    return (
        Search(index=ListingDocument._index._name)
        .query(scored)
        .sort("_score", {"id": {"order": "desc"}})
        .source(False)
        .extra(size=limit, track_total_hits=False)
    )


def percolator_query(*, query: str, filters: SearchFilters) -> dict:
    """What a saved search stores: the floor's public search for ``query`` and ``filters``,
    without ranking (percolation only asks whether it matches)."""
    return listing_query(
        terms=query_terms(query),
        query=query,
        filters=filters,
        include_staff_only=False,
        ranked=False,
    ).to_dict()
