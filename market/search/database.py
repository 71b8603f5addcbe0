"""Search in the database: PostgreSQL full-text search and trigrams, or SQLite FTS5.

Both search the folded copies (see ``market.search.schema``), so "cong nghe say" and
"công nghệ sấy" are the same query. All words must match (the last one as a prefix, so that
search-as-you-type works); PostgreSQL ranks listings where the words stand together —
Vietnamese two-syllable words — higher, and falls back to trigram similarity of titles when
nothing matches (typos). Each search is three queries: the facet counts and total in one
pass, the sector facet, and the page of results.
"""

from __future__ import annotations

import gc
from collections import Counter
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Extract
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from accounts.provinces import Province
from market.fields import ChoiceSetField
from market.models import Listing
from market.search.base import (
    PRICE_BANDS,
    Facet,
    FacetValue,
    SearchFilters,
    SearchResults,
    query_terms,
)
from market.selectors import is_curator, listing_list_public

# Titles at least this similar to the query are shown when no word matches (PostgreSQL).
FUZZY_THRESHOLD = 0.3


def _price_band_q(code: str) -> Q:
    for band_code, _label, low, high in PRICE_BANDS:  # noqa: B007
        if band_code != code:
            continue
        if code == "negotiable":
            return Q(price_min__isnull=True, price_max__isnull=True)
        condition = Q(_band_price__gte=low)
        if high is not None:
            condition &= Q(_band_price__lt=high)
        return condition
    return Q(pk__in=[])


def _price_band(price_min: int | None, price_max: int | None) -> str:
    price = price_min if price_min is not None else price_max
    if price is None:
        return "negotiable"
    for code, _label, low, high in PRICE_BANDS:
        if low is not None and price >= low and (high is None or price < high):
            return code
    return "negotiable"


def _sector_counts_for(listing_ids: list[int]) -> dict[str, int]:
    """Top-level sector counts of the given listings, in one grouped query."""
    if not listing_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(parent.code, sector.code), COUNT(DISTINCT link.listing_id)"
            " FROM market_listing_sectors link"
            " JOIN accounts_sector sector ON sector.id = link.sector_id"
            " LEFT JOIN accounts_sector parent ON parent.id = sector.parent_id"
            " WHERE link.listing_id = ANY(%s) GROUP BY 1",
            [listing_ids],
        )
        return dict(cursor.fetchall())


def _load_page(page_obj) -> None:
    """Replace a page of ids by the listings, in the same order, with what cards show."""
    listings = (
        Listing.objects.select_related("organisation")
        .prefetch_related("sectors")
        .in_bulk(page_obj.object_list)
    )
    page_obj.object_list = [listings[pk] for pk in page_obj.object_list]


class _Row(NamedTuple):
    pk: int
    kind: str
    language: str
    ip_status: str
    province: str
    trl: int | None
    transfer_modes: list[str]
    price_min: int | None
    price_max: int | None
    featured: bool
    published_ts: float | None  # seconds: decoding thousands of timestamps is slow
    deadline_ts: float | None
    rank: float


SQL_ORDERINGS = {
    "newest": ["-featured", "-published_at", "-pk"],
    "price": [F("price_min").asc(nulls_last=True), "-pk"],
    "deadline": [F("deadline").asc(nulls_last=True), "-pk"],
}
PYTHON_ORDERINGS = {
    "relevance": lambda row: (-row.rank, -row.pk),
    "newest": lambda row: (
        not row.featured,
        -(row.published_at.timestamp() if row.published_at else 0),
        -row.pk,
    ),
    "price": lambda row: (row.price_min is None, row.price_min or 0, -row.pk),
    "deadline": lambda row: (row.deadline_ts is None, row.deadline_ts or 0, -row.pk),
}
FLOOR_COUNTS_CACHE_KEY = "market:floor-counts:v1:{curator}"
FLOOR_COUNTS_TIMEOUT = 60


def _with_band_price(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.annotate(_band_price=Coalesce(F("price_min"), F("price_max")))


def _transfer_field() -> ChoiceSetField:
    return Listing._meta.get_field("transfer_modes")


class _Match:
    """How the words of a query select and rank rows on the database in use."""

    def __init__(self, terms: list[str], any_terms: bool) -> None:
        self.terms, self.any_terms, self.fuzzy = terms, any_terms, False

    def filter(self, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        if connection.vendor == "postgresql":
            if self.fuzzy:
                return queryset.filter(
                    RawSQL(
                        "similarity(market_listing.search_title, %s) >= %s",
                        [" ".join(self.terms), FUZZY_THRESHOLD],
                        output_field=BooleanField(),
                    )
                )
            return queryset.filter(
                RawSQL(
                    "market_listing.search_vector @@ to_tsquery('simple', %s)",
                    [self._tsquery()],
                    output_field=BooleanField(),
                )
            )
        return queryset.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM market_listing_fts WHERE market_listing_fts MATCH %s",
                [self.fts5()],
            )
        )

    def rank(self) -> RawSQL:
        """PostgreSQL's relevance; SQLite ranks in one FTS5 pass (``_page_by_fts5_rank``)."""
        if self.fuzzy:
            return RawSQL(
                "similarity(market_listing.search_title, %s)",
                [" ".join(self.terms)],
                output_field=FloatField(),
            )
        # Cover density over title, summary and keywords: words that stand together
        # (Vietnamese two-syllable words) rank higher. The small head vector keeps it fast.
        return RawSQL(
            "ts_rank_cd(market_listing.search_head, to_tsquery('simple', %s))",
            [self._tsquery()],
            output_field=FloatField(),
        )

    def _tsquery(self) -> str:
        if self.any_terms:
            return " | ".join(self.terms)
        return " & ".join([*self.terms[:-1], f"{self.terms[-1]}:*"])

    def fts5(self) -> str:
        quoted = [f'"{term}"' for term in self.terms]
        if self.any_terms:
            return " OR ".join(quoted)
        quoted[-1] += "*"
        return " ".join(quoted)


class DatabaseBackend:
    """The embedded default and the PostgreSQL production backend."""

    def index(self, listing_id: int) -> None:
        """Nothing to do: a generated column (PostgreSQL) or triggers (SQLite) keep up."""

    def remove(self, listing_id: int) -> None:
        """Nothing to do: rows that are not published are filtered out at query time."""

    def _filter(self, queryset: QuerySet[Listing], filters: SearchFilters) -> QuerySet[Listing]:
        if filters.kind:
            queryset = queryset.filter(kind=filters.kind)
        if filters.sector:
            # A subquery, not a join: a listing in two matching sectors stays one row.
            in_sector = Listing.sectors.through.objects.filter(
                Q(sector__code=filters.sector) | Q(sector__parent__code=filters.sector)
            )
            queryset = queryset.filter(pk__in=in_sector.values("listing_id"))
        if filters.province:
            queryset = queryset.filter(province=filters.province)
        if filters.trl:
            queryset = queryset.filter(trl=filters.trl)
        if filters.ip_status:
            queryset = queryset.filter(ip_status=filters.ip_status)
        if filters.transfer_mode in Listing.TransferMode.values:
            queryset = queryset.filter(_transfer_field().contains(filters.transfer_mode))
        if filters.price_band:
            queryset = _with_band_price(queryset).filter(_price_band_q(filters.price_band))
        if filters.language:
            queryset = queryset.filter(language=filters.language)
        if filters.organisation_id:
            queryset = queryset.filter(organisation_id=filters.organisation_id)
        if filters.exclude_id:
            queryset = queryset.exclude(pk=filters.exclude_id)
        return queryset

    def search(self, *, query, filters, page, per_page, sort, viewer, any_terms) -> SearchResults:
        queryset = self._filter(listing_list_public(viewer=viewer), filters)
        terms = query_terms(query)
        match = _Match(terms, any_terms) if terms else None
        if match and connection.vendor == "postgresql":
            return self._search_postgres_text(queryset, match, query, filters, page, per_page, sort)
        matched = match.filter(queryset) if match else queryset
        counts, sector_counts = self._cached_counts(matched, filters, viewer, cacheable=not match)
        ordering = SQL_ORDERINGS.get(sort)
        if ordering is None and match:  # SQLite, by relevance
            page_obj = self._page_by_fts5_rank(matched, match, page, per_page)
        else:
            queryset = matched.order_by(*(ordering or SQL_ORDERINGS["newest"]))
            paginator = Paginator(queryset.prefetch_related("sectors"), per_page)
            paginator.count = counts["total"]  # known from the facet pass: no COUNT query
            page_obj = paginator.get_page(page)
        return SearchResults(
            page=page_obj,
            facets=self._facets(counts, sector_counts, filters),
            query=query,
            total=counts["total"],
        )

    def _search_postgres_text(self, queryset, match, query, filters, page, per_page, sort):
        """One pass over the matching rows gives the facets, the total and the order; then the
        page's listings are loaded by id. Three short queries instead of several scans."""
        rows = self._rows(queryset, match)
        if not rows and not match.any_terms:
            match.fuzzy = True
            rows = self._rows(queryset, match)
        counts: Counter = Counter(total=len(rows))
        for row in rows:
            counts[f"kind:{row.kind}"] += 1
            counts[f"language:{row.language}"] += 1
            counts[f"ip_status:{row.ip_status}"] += 1
            counts[f"province:{row.province}"] += 1
            counts[f"trl:{row.trl}"] += 1
            counts[f"price_band:{_price_band(row.price_min, row.price_max)}"] += 1
            for mode in row.transfer_modes:
                counts[f"transfer_mode:{mode}"] += 1
        rows.sort(key=PYTHON_ORDERINGS.get(sort, PYTHON_ORDERINGS["relevance"]))
        page_obj = Paginator([row.pk for row in rows], per_page).get_page(page)
        _load_page(page_obj)
        return SearchResults(
            page=page_obj,
            facets=self._facets(counts, _sector_counts_for([row.pk for row in rows]), filters),
            query=query,
            total=len(rows),
        )

    def _rows(self, queryset, match) -> list[_Row]:
        rows = (
            match.filter(queryset)
            .order_by()
            .annotate(
                rank=match.rank(),
                # Epoch seconds as float: numeric or timestamp values decode slowly.
                published_ts=Cast(Extract("published_at", "epoch"), FloatField()),
                deadline_ts=Cast(Extract("deadline", "epoch"), FloatField()),
            )
            .values_list(*_Row._fields)
        )
        # Thousands of small tuples and no reference cycles: a full garbage collection of a
        # Django process triggered halfway would cost more than the query.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return [_Row(*values) for values in rows]
        finally:
            if gc_was_enabled:
                gc.enable()

    def _cached_counts(self, matched, filters, viewer, *, cacheable: bool):
        """The unfiltered floor's counts are shared by every visitor for a minute."""
        if not (
            cacheable
            and not filters.active()
            and not filters.exclude_id
            and not filters.organisation_id
        ):
            return self._counts(matched), self._sector_counts(matched)
        key = FLOOR_COUNTS_CACHE_KEY.format(curator=int(is_curator(viewer)))
        cached = cache.get(key)
        if cached is None:
            cached = (self._counts(matched), self._sector_counts(matched))
            cache.set(key, cached, FLOOR_COUNTS_TIMEOUT)
        return cached

    def _sector_counts(self, queryset: QuerySet[Listing]) -> dict[str, int]:
        return dict(
            queryset.order_by()
            .filter(sectors__isnull=False)
            .annotate(top=Coalesce("sectors__parent__code", "sectors__code"))
            .values_list("top")
            .annotate(n=Count("pk", distinct=True))
        )

    def _page_by_fts5_rank(self, matched, match: _Match, page, per_page):
        """SQLite ranks every match in one FTS5 pass; the filters then keep their share.

        Ranking in SQL would run the full-text query once per row (a correlated subquery);
        this is one FTS5 query, one query for the ids the filters allow, one for the page.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM market_listing_fts WHERE market_listing_fts MATCH %s"
                " ORDER BY bm25(market_listing_fts, 10.0, 5.0, 3.0, 1.0)",
                [match.fts5()],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        allowed = set(matched.values_list("pk", flat=True))
        page_obj = Paginator([pk for pk in ranked if pk in allowed], per_page).get_page(page)
        _load_page(page_obj)
        return page_obj

    def _counts(self, queryset: QuerySet[Listing]) -> dict[str, int]:
        """The total and every fixed-choice facet in one pass over the results."""
        transfer = _transfer_field()
        aggregates = {"total": Count("pk")}
        fixed_choices = {
            "kind": Listing.Kind.values,
            "language": Listing.Language.values,
            "ip_status": Listing.IPStatus.values,
            "province": Province.values,
        }
        for name, values in fixed_choices.items():
            for value in values:
                aggregates[f"{name}:{value}"] = Count("pk", filter=Q(**{name: value}))
        for level in range(1, 10):
            aggregates[f"trl:{level}"] = Count("pk", filter=Q(trl=level))
        for value in Listing.TransferMode.values:
            aggregates[f"transfer_mode:{value}"] = Count("pk", filter=transfer.contains(value))
        for code, *_rest in PRICE_BANDS:
            aggregates[f"price_band:{code}"] = Count("pk", filter=_price_band_q(code))
        return _with_band_price(queryset.order_by()).aggregate(**aggregates)

    def _facets(
        self, counts: dict[str, int], sector_counts: dict[str, int], filters: SearchFilters
    ) -> list[Facet]:
        def facet(name: str, label, choices) -> Facet:
            selected = str(getattr(filters, name) or "")
            return Facet(
                name=name,
                label=label,
                values=[
                    FacetValue(
                        str(value), str(text), counts[f"{name}:{value}"], selected == str(value)
                    )
                    for value, text in choices
                    if counts.get(f"{name}:{value}") or selected == str(value)
                ],
            )

        sectors = Sector.objects.filter(parent__isnull=True).order_by("position", "code")
        field = Listing._meta.get_field
        return [
            facet("kind", field("kind").verbose_name, Listing.Kind.choices),
            Facet(
                name="sector",
                label=field("sectors").verbose_name,
                values=[
                    FacetValue(
                        sector.code,
                        sector.name,
                        sector_counts.get(sector.code, 0),
                        filters.sector == sector.code,
                    )
                    for sector in sectors
                    if sector.code in sector_counts or filters.sector == sector.code
                ],
            ),
            facet("province", field("province").verbose_name, Province.choices),
            facet("trl", "TRL", [(level, str(level)) for level in range(1, 10)]),
            facet("ip_status", field("ip_status").verbose_name, Listing.IPStatus.choices),
            facet(
                "transfer_mode",
                field("transfer_modes").verbose_name,
                Listing.TransferMode.choices,
            ),
            facet("price_band", _("Price"), [(code, label) for code, label, *_ in PRICE_BANDS]),
            facet("language", field("language").verbose_name, Listing.Language.choices),
        ]


def forget_floor_counts(**kwargs) -> None:
    """A listing entered or left the floor: the shared counts are stale."""
    cache.delete_many([FLOOR_COUNTS_CACHE_KEY.format(curator=flag) for flag in (0, 1)])
