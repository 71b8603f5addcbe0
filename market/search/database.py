"""Search in the database: PostgreSQL full-text search and trigrams, or SQLite FTS5.

Both search the folded copies (see ``market.search.schema``), so "cong nghe say" and
"công nghệ sấy" are the same query. All words must match (prefix on the last one, so that
search-as-you-type works); PostgreSQL ranks adjacent words — Vietnamese two-syllable words —
higher and also accepts titles that are merely similar (typos).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
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
from market.selectors import listing_list_public

# bm25 weights of the FTS5 columns: title, summary, keywords, description.
SQLITE_WEIGHTS = "10.0, 5.0, 3.0, 1.0"


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


def _with_band_price(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.annotate(_band_price=Coalesce(F("price_min"), F("price_max")))


def _transfer_field() -> ChoiceSetField:
    return Listing._meta.get_field("transfer_modes")


class DatabaseBackend:
    """The embedded default and the PostgreSQL production backend."""

    def index(self, listing_id: int) -> None:
        """Nothing to do: a generated column (PostgreSQL) or triggers (SQLite) keep up."""

    def remove(self, listing_id: int) -> None:
        """Nothing to do: rows that are not published are filtered out at query time."""

    # The query --------------------------------------------------------------------------
    def _match(self, queryset: QuerySet[Listing], terms: list[str], any_terms: bool):
        if connection.vendor == "postgresql":
            return self._match_postgres(queryset, terms, any_terms)
        return self._match_sqlite(queryset, terms, any_terms)

    def _match_sqlite(self, queryset, terms, any_terms):
        quoted = [f'"{term}"' for term in terms]
        if not any_terms:
            quoted[-1] += "*"
        expression = (" OR " if any_terms else " ").join(quoted)
        # A join with the FTS5 table lets bm25() rank every match in one pass.
        return queryset.extra(  # noqa: S610 - constant SQL, the user's words are a parameter
            tables=["market_listing_fts"],
            where=["market_listing_fts.rowid = market_listing.id", "market_listing_fts MATCH %s"],
            params=[expression],
            select={"rank": f"-bm25(market_listing_fts, {SQLITE_WEIGHTS})"},
        )

    def _match_postgres(self, queryset, terms, any_terms):
        all_terms = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
        tsquery = " | ".join(terms) if any_terms else all_terms
        phrase = " <-> ".join(terms)
        folded = " ".join(terms)
        matches = RawSQL(
            "(market_listing.search_vector @@ to_tsquery('simple', %s)"
            " OR market_listing.search_title %% %s)",
            [tsquery, folded],
            output_field=BooleanField(),
        )
        rank = RawSQL(
            "ts_rank(market_listing.search_vector, to_tsquery('simple', %s))"
            " + ts_rank(market_listing.search_vector, to_tsquery('simple', %s))"
            " + similarity(market_listing.search_title, %s)",
            [tsquery, phrase, folded],
            output_field=FloatField(),
        )
        return queryset.filter(matches).annotate(rank=rank)

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
        if terms:
            queryset = self._match(queryset, terms, any_terms)
        facets = self._facets(queryset, filters)
        ordering = {
            "newest": ["-featured", "-published_at", "-pk"],
            "price": [F("price_min").asc(nulls_last=True), "-pk"],
            "deadline": [F("deadline").asc(nulls_last=True), "-pk"],
        }.get(sort)
        if ordering is None:
            ordering = ["-rank", "-pk"] if terms else ["-featured", "-published_at", "-pk"]
        queryset = queryset.order_by(*ordering).prefetch_related("sectors")
        paginator = Paginator(queryset, per_page)
        page_obj = paginator.get_page(page)
        return SearchResults(page=page_obj, facets=facets, query=query, total=paginator.count)

    # Facets -----------------------------------------------------------------------------
    def _facets(self, queryset: QuerySet[Listing], filters: SearchFilters) -> list[Facet]:
        """Counts over the current results: one query for the fixed choices, one each for
        provinces and sectors."""
        base = _with_band_price(queryset.order_by())
        transfer = _transfer_field()
        aggregates = {}
        for value, _label in Listing.Kind.choices:
            aggregates[f"kind:{value}"] = Count("pk", filter=Q(kind=value))
        for value, _label in Listing.Language.choices:
            aggregates[f"language:{value}"] = Count("pk", filter=Q(language=value))
        for value, _label in Listing.IPStatus.choices:
            aggregates[f"ip_status:{value}"] = Count("pk", filter=Q(ip_status=value), distinct=True)
        for level in range(1, 10):
            aggregates[f"trl:{level}"] = Count("pk", filter=Q(trl=level))
        for value, _label in Listing.TransferMode.choices:
            aggregates[f"transfer_mode:{value}"] = Count(
                "pk", filter=transfer.contains(value), distinct=True
            )
        for code, _label, _low, _high in PRICE_BANDS:
            aggregates[f"price_band:{code}"] = Count("pk", filter=_price_band_q(code))
        counts = base.aggregate(**aggregates)

        def fixed(name: str, label, choices) -> Facet:
            selected = str(getattr(filters, name) or "")
            return Facet(
                name=name,
                label=label,
                values=[
                    FacetValue(
                        str(value), str(text), counts[f"{name}:{value}"], selected == str(value)
                    )
                    for value, text in choices
                    if counts[f"{name}:{value}"] or selected == str(value)
                ],
            )

        provinces = dict(queryset.order_by().values_list("province").annotate(n=Count("pk")))
        sector_counts = dict(
            queryset.order_by()
            .filter(sectors__isnull=False)
            .annotate(top=Coalesce("sectors__parent__code", "sectors__code"))
            .values_list("top")
            .annotate(n=Count("pk", distinct=True))
        )
        sectors = Sector.objects.filter(parent__isnull=True).order_by("position", "code")
        return [
            fixed("kind", Listing._meta.get_field("kind").verbose_name, Listing.Kind.choices),
            Facet(
                name="sector",
                label=Listing._meta.get_field("sectors").verbose_name,
                values=[
                    FacetValue(
                        sector.code,
                        sector.name,
                        sector_counts[sector.code],
                        filters.sector == sector.code,
                    )
                    for sector in sectors
                    if sector.code in sector_counts or filters.sector == sector.code
                ],
            ),
            Facet(
                name="province",
                label=Listing._meta.get_field("province").verbose_name,
                values=[
                    FacetValue(code, label, provinces[code], filters.province == code)
                    for code, label in Province.choices
                    if code in provinces or filters.province == code
                ],
            ),
            fixed("trl", "TRL", [(level, str(level)) for level in range(1, 10)]),
            fixed(
                "ip_status",
                Listing._meta.get_field("ip_status").verbose_name,
                Listing.IPStatus.choices,
            ),
            fixed(
                "transfer_mode",
                Listing._meta.get_field("transfer_modes").verbose_name,
                Listing.TransferMode.choices,
            ),
            fixed("price_band", _("Price"), [(code, label) for code, label, *_ in PRICE_BANDS]),
            fixed(
                "language",
                Listing._meta.get_field("language").verbose_name,
                Listing.Language.choices,
            ),
        ]
