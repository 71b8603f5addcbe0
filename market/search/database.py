"""Search in the database: PostgreSQL full-text search and trigrams, or SQLite FTS5.

Both search the folded copies (see ``market.search.schema``), so "cong nghe say" and
"công nghệ sấy" are the same query. All words must match (the last one as a prefix, so that
search-as-you-type works). PostgreSQL searches its narrow search table in one statement
(``market.search.postgres``), ranks listings where the words stand together — Vietnamese
two-syllable words — higher, and falls back to trigram similarity of titles when nothing
matches (typos). SQLite counts the facets in one aggregate pass, ranks with FTS5 and loads
the page.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from accounts.provinces import Province
from market.fields import ChoiceSetField
from market.models import Listing
from market.search import postgres
from market.search.base import (
    PRICE_BANDS,
    Facet,
    FacetValue,
    SearchFilters,
    SearchResults,
    query_terms,
)
from market.selectors import is_curator, listing_list_public


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


def _is_whole_floor(filters: SearchFilters) -> bool:
    return not (filters.active() or filters.exclude_id or filters.organisation_id)


# What a result card (market/_listing_card.html) shows: a page of twenty reads and decodes
# faster without the long texts, dates and contacts; any other field loads when read.
CARD_FIELDS = (
    "kind",
    "featured",
    "province",
    "slug",
    "language",
    "title",
    "summary",
    "trl",
    "price_min",
    "price_max",
    "organisation__legal_name",
)


def _load_page(page_obj) -> None:
    """Replace a page of ids by the listings, in the same order, with what cards show."""
    listings = (
        Listing.objects.select_related("organisation")
        .prefetch_related("sectors")
        .only(*CARD_FIELDS)
        .in_bulk(page_obj.object_list)
    )
    page_obj.object_list = [listings[pk] for pk in page_obj.object_list]


SQL_ORDERINGS = {
    "newest": ["-featured", "-published_at", "-pk"],
    "price": [F("price_min").asc(nulls_last=True), "-pk"],
    "deadline": [F("deadline").asc(nulls_last=True), "-pk"],
}
FLOOR_COUNTS_CACHE_KEY = "market:floor-counts:v1:{curator}"
FLOOR_COUNTS_TIMEOUT = 60


def _with_band_price(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.annotate(_band_price=Coalesce(F("price_min"), F("price_max")))


def _transfer_field() -> ChoiceSetField:
    return Listing._meta.get_field("transfer_modes")


def _fts5_query(terms: list[str], any_terms: bool) -> str:
    quoted = [f'"{term}"' for term in terms]
    if any_terms:
        return " OR ".join(quoted)
    quoted[-1] += "*"
    return " ".join(quoted)


class DatabaseBackend:
    """The embedded default and the PostgreSQL production backend."""

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
        terms = query_terms(query)
        whole_floor = not terms and _is_whole_floor(filters)
        if connection.vendor == "postgresql" and not whole_floor:
            return self._search_postgres(
                terms, any_terms, query, filters, page, per_page, sort, viewer
            )
        queryset = self._filter(listing_list_public(viewer=viewer), filters)
        fts5_query = _fts5_query(terms, any_terms) if terms else ""
        if fts5_query:
            queryset = queryset.filter(
                pk__in=RawSQL(
                    "SELECT rowid FROM market_listing_fts WHERE market_listing_fts MATCH %s",
                    [fts5_query],
                )
            )
        counts, sector_counts = self._cached_counts(queryset, viewer, cacheable=whole_floor)
        ordering = SQL_ORDERINGS.get(sort)
        if ordering is None and fts5_query:  # by relevance
            page_obj = self._page_by_fts5_rank(queryset, fts5_query, page, per_page)
        else:
            queryset = queryset.order_by(*(ordering or SQL_ORDERINGS["newest"]))
            paginator = Paginator(queryset.prefetch_related("sectors"), per_page)
            paginator.count = counts["total"]  # known from the facet pass: no COUNT query
            page_obj = paginator.get_page(page)
        return SearchResults(
            page=page_obj,
            facets=self._facets(counts, sector_counts, filters),
            query=query,
            total=counts["total"],
        )

    def _search_postgres(self, terms, any_terms, query, filters, page, per_page, sort, viewer):
        """The search table answers in one statement; a page past the end asks once more
        for the last page; no word matching at all tries titles that look alike."""
        text = postgres.TextQuery(terms, any_terms) if terms else None

        def fetch(number: int) -> postgres.TableResults:
            return postgres.search_table(
                text=text,
                filters=filters,
                include_staff_only=is_curator(viewer),
                sort=sort,
                offset=(number - 1) * per_page,
                limit=per_page,
            )

        number = page if isinstance(page, int) and page > 0 else 1
        found = fetch(number)
        if not found.total and text and not any_terms:
            text = postgres.TextQuery(terms, fuzzy=True)
            found = fetch(number)
        page_obj = Paginator(range(found.total), per_page).get_page(page)
        if page_obj.number != number:
            found = fetch(page_obj.number)
        page_obj.object_list = found.ids
        _load_page(page_obj)
        return SearchResults(
            page=page_obj,
            facets=self._facets(found.counts, found.sector_counts, filters),
            query=query,
            total=found.total,
        )

    def _cached_counts(self, matched, viewer, *, cacheable: bool):
        """The unfiltered floor's counts are shared by every visitor for a minute."""
        if not cacheable:
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

    def candidates(self, *, terms, kinds, exclude_organisation_id, limit) -> list[int]:
        if connection.vendor == "postgresql":
            return postgres.candidates(
                terms=terms,
                kinds=kinds,
                exclude_organisation_id=exclude_organisation_id,
                limit=limit,
            )
        queryset = Listing.objects.filter(status=Listing.Status.PUBLISHED, kind__in=kinds)
        if exclude_organisation_id:
            queryset = queryset.exclude(organisation_id=exclude_organisation_id)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM market_listing_fts WHERE market_listing_fts MATCH %s"
                " ORDER BY bm25(market_listing_fts, 10.0, 5.0, 3.0, 1.0) LIMIT %s",
                [_fts5_query(terms, any_terms=True), limit * 4],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        allowed = set(queryset.filter(pk__in=ranked).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in allowed][:limit]

    def percolate(self, *, listing_id, searches) -> list[int]:
        found = []
        for search_id, query, filters in searches:
            terms = query_terms(query)
            if connection.vendor == "postgresql":
                hit = postgres.listing_found(listing_id=listing_id, terms=terms, filters=filters)
            else:
                queryset = self._filter(
                    listing_list_public(viewer=None).filter(pk=listing_id), filters
                )
                if terms:
                    queryset = queryset.filter(
                        pk__in=RawSQL(
                            "SELECT rowid FROM market_listing_fts"
                            " WHERE market_listing_fts MATCH %s AND rowid = %s",
                            [_fts5_query(terms, any_terms=False), listing_id],
                        )
                    )
                hit = queryset.exists()
            if hit:
                found.append(search_id)
        return found

    def _page_by_fts5_rank(self, matched, fts5_query: str, page, per_page):
        """SQLite ranks every match in one FTS5 pass; the filters then keep their share, and
        featured listings go first.

        Ranking in SQL would run the full-text query once per row (a correlated subquery);
        this is one FTS5 query, one query for the ids the filters allow, one for the page.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM market_listing_fts WHERE market_listing_fts MATCH %s"
                " ORDER BY bm25(market_listing_fts, 10.0, 5.0, 3.0, 1.0)",
                [fts5_query],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        allowed = dict(matched.values_list("pk", "featured"))
        ordered = [pk for pk in ranked if pk in allowed]
        # Featured listings first, each group in rank order (a stable sort), as PostgreSQL.
        ordered.sort(key=lambda pk: not allowed[pk])
        page_obj = Paginator(ordered, per_page).get_page(page)
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
