"""A search on PostgreSQL: one round trip for a page of results and every facet.

``market_listing_search`` (see ``market.search.schema``) holds one narrow row per published
listing. A single statement selects the matching rows once, then returns the page of ids in
order and the counts of every facet (``GROUPING SETS``): the database aggregates thousands of
matches without sending them to Python. The unfiltered floor without words is the one search
that does not come here: its counts are cached (``DatabaseBackend._cached_counts``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from market.fields import ChoiceSetField
from market.models import Listing
from market.search.base import PRICE_BANDS, SearchFilters

# Counted in one pass over the matches. Each grouping set costs a hash lookup per match, so
# facets with few values share a set: a few hundred combinations, summed up in Python. The
# bitmask of transfer modes and the array of top-level sectors are few distinct values too,
# split into their members in Python.
FACET_SETS = (
    ("kind", "language", "trl"),
    ("ip_status", "price_band"),
    ("province",),
    ("transfer_modes", "top_sectors"),
)
FACET_VALUES = {"top_sectors": "array_to_string(top_sectors, ',')"}
# Each sort: the only columns it copies from the matches, and its order.
ORDERINGS = {
    # Featured listings first among the matches, then by rank (as the SQLite path does).
    "relevance": ("featured, rank", "featured DESC, rank DESC, listing_id DESC"),
    "newest": (
        "featured, published_at",
        "featured DESC, published_at DESC NULLS LAST, listing_id DESC",
    ),
    "price": ("price_min", "price_min ASC NULLS LAST, listing_id DESC"),
    "deadline": ("deadline", "deadline ASC NULLS LAST, listing_id DESC"),
}


@dataclass
class TextQuery:
    """The words of a query: all of them (the last as a prefix), any of them, or — when nothing
    matches, for typos — a title that looks alike."""

    terms: list[str]
    any_terms: bool = False
    fuzzy: bool = False

    def condition(self) -> tuple[str, list]:
        if self.fuzzy:
            # ``%`` is pg_trgm's similarity operator (threshold 0.3), answered by the index.
            return "title %% %s", [" ".join(self.terms)]
        return "vector @@ to_tsquery('simple', %s)", [
            self._tsquery(" | " if self.any_terms else " & ")
        ]

    def rank(self) -> tuple[str, list]:
        if self.fuzzy:
            return "similarity(title, %s)", [" ".join(self.terms)]
        # Title words weigh more than keywords; words that stand together in that order
        # (Vietnamese two-syllable words) earn a bonus. Cheaper than cover density.
        return (
            "ts_rank(head, to_tsquery('simple', %s)) + (head @@ to_tsquery('simple', %s))::int",
            [self._tsquery(" | "), self._tsquery(" <-> ")],
        )

    def _tsquery(self, operator: str) -> str:
        if operator == " | ":
            return operator.join(self.terms)
        return operator.join([*self.terms[:-1], f"{self.terms[-1]}:*"])


@dataclass
class TableResults:
    ids: list[int]
    total: int
    counts: Counter = field(default_factory=Counter)
    sector_counts: Counter = field(default_factory=Counter)


def _price_band() -> tuple[str, list]:
    """The band of the lower price, from ``PRICE_BANDS``; no price at all is negotiable.

    One binary search over the bounds (``width_bucket``) and an array subscript: a chain of
    comparisons cost about a millisecond over a broad search's thousands of matches.
    """
    bounds = sorted(
        {bound for *_, low, high in PRICE_BANDS for bound in (low, high) if bound is not None}
    )
    code_from = {low: code for code, _label, low, _high in PRICE_BANDS if low is not None}
    # Bucket 0 lies below the lowest bound, bucket i starts at bounds[i - 1]; a bucket that no
    # band starts (and a missing price: no bucket) is negotiable, as the bands' gaps were.
    codes = ["negotiable", *(code_from.get(bound, "negotiable") for bound in bounds)]
    price = "COALESCE(price_min, price_max)"
    return f"(%s::text[])[COALESCE(width_bucket({price}, %s::bigint[]), 0) + 1]", [codes, bounds]


def _conditions(
    filters: SearchFilters, text: TextQuery | None, include_staff_only: bool
) -> tuple[list[str], list]:
    condition, params = text.condition() if text else ("TRUE", [])
    conditions = [condition]
    if not include_staff_only:
        conditions.append("NOT staff_only")
    for name in ("kind", "province", "trl", "ip_status", "language", "organisation_id"):
        value = getattr(filters, name)
        if value not in ("", None):
            conditions.append(f"{name} = %s")
            params.append(value)
    if filters.sector:
        conditions.append("%s = ANY(sectors)")
        params.append(filters.sector)
    if filters.transfer_mode in Listing.TransferMode.values:
        conditions.append("transfer_modes & %s <> 0")
        params.append(_transfer_field().bit(filters.transfer_mode))
    if filters.price_band:
        band, band_params = _price_band()
        conditions.append(f"{band} = %s")
        params += [*band_params, filters.price_band]
    if filters.exclude_id:
        conditions.append("listing_id <> %s")
        params.append(filters.exclude_id)
    return conditions, params


def _transfer_field() -> ChoiceSetField:
    return Listing._meta.get_field("transfer_modes")


def search_table(
    *,
    text: TextQuery | None,
    filters: SearchFilters,
    include_staff_only: bool,
    sort: str,
    offset: int,
    limit: int,
) -> TableResults:
    """The ids of one page of matches in order, the total and the facet counts."""
    band, band_params = _price_band()
    conditions, condition_params = _conditions(filters, text, include_staff_only)
    if sort not in ORDERINGS or (sort == "relevance" and not text):
        sort = "relevance" if text else "newest"
    keys, ordering = ORDERINGS[sort]
    # Ranking thousands of matches is only worth it when they are sorted by relevance.
    key_columns, key_params = keys, []
    if sort == "relevance":
        rank, key_params = text.rank()
        key_columns = f"featured, {rank} AS rank"
    where = " AND ".join(conditions)
    # "kind:offer language:vi …": a column outside the row's grouping set is NULL, and so is
    # its part, which concat_ws leaves out (as it does a listing without a TRL).
    label = ", ".join(
        f"'{column}:' || {FACET_VALUES.get(column, column)}"
        for columns in FACET_SETS
        for column in columns
    )
    grouping_sets = ", ".join(f"({', '.join(columns)})" for columns in FACET_SETS)
    # Only fixed column names and placeholders are formatted in; every value is a parameter.
    sql = (
        "WITH found AS MATERIALIZED ("  # noqa: S608
        " SELECT listing_id, kind, language, ip_status, province, trl, transfer_modes,"
        f" top_sectors, {band} AS price_band, {key_columns}"
        f" FROM market_listing_search WHERE {where})"
        f" SELECT 'page', listing_id::text, row_number() OVER (ORDER BY {ordering})"
        f" FROM (SELECT listing_id, {keys} FROM found ORDER BY {ordering} LIMIT %s OFFSET %s) page"
        f" UNION ALL SELECT 'facet', concat_ws(' ', {label}), count(*) FROM found"
        f" GROUP BY GROUPING SETS ({grouping_sets})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*band_params, *key_params, *condition_params, limit, offset])
        rows = cursor.fetchall()
    page, counts, sector_counts = [], Counter(), Counter()
    transfer = _transfer_field()
    for section, key, number in rows:
        if section == "page":
            page.append((number, int(key)))
            continue
        for part in key.split():
            name, _, value = part.partition(":")
            if name == "transfer_modes":
                for mode in transfer.to_list(int(value)):
                    counts[f"transfer_mode:{mode}"] += number
            elif name == "top_sectors":
                for code in filter(None, value.split(",")):
                    sector_counts[code] += number
            elif value:
                counts[part] += number
    total = sum(number for key, number in counts.items() if key.startswith("kind:"))
    return TableResults(
        ids=[pk for _number, pk in sorted(page)],
        total=total,
        counts=counts,
        sector_counts=sector_counts,
    )


def candidates(
    *, terms: list[str], kinds: list[str], exclude_organisation_id: int | None, limit: int
) -> list[int]:
    """Listings sharing any of the words, those with them in title or keywords first."""
    text = TextQuery(terms, any_terms=True)
    condition, params = text.condition()
    sql = (
        f"SELECT listing_id FROM market_listing_search WHERE {condition}"  # noqa: S608
        " AND kind = ANY(%s) AND organisation_id <> %s"
        " ORDER BY ts_rank(head, to_tsquery('simple', %s)) DESC, listing_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, kinds, exclude_organisation_id or 0, params[0], limit])
        return [row[0] for row in cursor.fetchall()]


def listing_found(*, listing_id: int, terms: list[str], filters: SearchFilters) -> bool:
    """Whether a search for ``terms`` and ``filters`` finds this listing on the public floor."""
    conditions, params = _conditions(filters, TextQuery(terms) if terms else None, False)
    sql = (
        "SELECT 1 FROM market_listing_search WHERE listing_id = %s AND "  # noqa: S608
        + " AND ".join(conditions)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [listing_id, *params])
        return cursor.fetchone() is not None
