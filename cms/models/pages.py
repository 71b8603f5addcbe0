"""Wagtail pages of the public site."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms import kpi
from cms.kpi import Indicator
from cms.kpi_charts import result_charts
from market import selectors as market_selectors
from market.models import Listing
from market.search import SORTS, SearchFilters, search_listings
from market.search.forms import SearchForm


class HomePage(Page):
    """The root of each language's page tree."""

    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class TradingFloorPage(RoutablePageMixin, Page):
    """The public trading floor: search with facets, and one page per listing."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    per_page = 20

    class Meta:
        verbose_name = _("trading floor page")

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET or None)
        query = form.cleaned_data.get("q", "") if form.is_valid() else ""
        sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or "relevance"
        results = search_listings(
            query=query,
            filters=form.filters() if form.is_bound else SearchFilters(),
            page=request.GET.get("page") or 1,
            per_page=self.per_page,
            sort=sort,
            viewer=request.user,
        )
        params = request.GET.copy()
        params.pop("page", None)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "results": results,
                "results_page": results.page,
                "query": query,
                "sort": sort,
                "sorts": SORTS,
                "params": params,
                "query_string": params.urlencode(),
            },
        )

    @path("<slug:slug>/", name="listing")
    def listing(self, request: HttpRequest, slug: str) -> HttpResponse:
        listing = get_object_or_404(
            Listing.objects.select_related("organisation").prefetch_related(
                "sectors__parent", "attachments"
            ),
            slug=slug,
        )
        if not market_selectors.listing_is_visible(listing=listing, viewer=request.user):
            raise Http404
        details = market_selectors.listing_details_visible(listing=listing, viewer=request.user)
        confidential = market_selectors.listing_confidential_visible(
            listing=listing, viewer=request.user
        )
        attachments = market_selectors.listing_attachments_visible(
            listing=listing, viewer=request.user, details=details, confidential=confidential
        )
        similar = search_listings(
            query=" ".join([*listing.keywords, listing.title]),
            filters=SearchFilters(exclude_id=listing.pk),
            per_page=4,
            viewer=request.user,
            any_terms=True,
        ).page.object_list
        return self.render(
            request,
            template="cms/listing_detail.html",
            context_overrides={
                "listing": listing,
                "details_visible": details,
                "confidential_visible": confidential,
                "attachments": attachments,
                "similar": similar,
                "is_owner": market_selectors.listing_is_member(
                    listing=listing, viewer=request.user
                ),
                "json_ld": listing_json_ld(listing, url=request.build_absolute_uri()),
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not base:
            return urls
        for slug, updated_at in (
            market_selectors.listing_list_public()
            .filter(visibility__in=["public", "summary"])
            .values_list("slug", "updated_at")[:45000]
        ):
            urls.append({"location": f"{base}{slug}/", "lastmod": updated_at})
        return urls


def listing_json_ld(listing: Listing, *, url: str) -> dict:
    """schema.org data for search engines: a Product, a Service, or a Demand."""
    kind = {"offer": "Product", "equipment": "Product", "service": "Service"}.get(
        listing.kind, "Demand"
    )
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": listing.title,
        "description": listing.summary,
        "url": url,
        "inLanguage": listing.language,
    }
    organisation = {"@type": "Organization", "name": listing.organisation.legal_name}
    data["provider" if kind == "Service" else ("seller" if kind == "Demand" else "brand")] = (
        organisation
    )
    if listing.province:
        data["areaServed"] = listing.get_province_display()
    if listing.price_min is not None and kind != "Demand":
        data["offers"] = {
            "@type": "Offer",
            "priceCurrency": "VND",
            "price": listing.price_min,
            "url": url,
        }
    return data


# --- KPI dashboard: targets set by staff and the public statistics page (docs/kpi-dashboard.md)


class KpiTarget(models.Model):
    """A province's target for one indicator in one year; actuals come from the data."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=18,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("A number; VND for the value traded; percent for the share of IP."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Where the target comes from."))

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("indicator"), FieldPanel("target")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"],
                name="kpi_target_one_per_year_and_indicator",
                violation_error_message=_("This indicator already has a target for the year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}"

    @property
    def unit(self) -> str:
        """The indicator's unit: taken from the indicator, so the two cannot disagree."""
        return kpi.DEFINITIONS[self.indicator].unit.label if self.indicator else ""

    def clean(self) -> None:
        if self.target is None or not self.indicator:
            return
        unit = kpi.DEFINITIONS[self.indicator].unit
        if unit == kpi.Unit.PERCENT and self.target > 100:
            raise ValidationError({"target": _("A share is at most 100 percent.")})
        if unit != kpi.Unit.PERCENT and self.target != int(self.target):
            raise ValidationError({"target": _("Give a whole number for this indicator.")})

    @classmethod
    def for_year(cls, year: int) -> dict[str, Decimal]:
        """The year's targets by indicator."""
        return dict(cls.objects.filter(year=year).values_list("indicator", "target"))

    @classmethod
    def years(cls) -> list[int]:
        """Years with targets, and the current one, newest first."""
        years = set(cls.objects.values_list("year", flat=True)) | {timezone.localdate().year}
        return sorted(years, reverse=True)


def report_year(value: str | None, years: list[int]) -> int:
    """The year asked for in the query string when it is one of ``years``, else the first."""
    return int(value) if value and value.isdigit() and int(value) in years else years[0]


class StatisticsPage(Page):
    """Public statistics: the year's targets and actuals in aggregates only; figures that
    rest on fewer than three deals' values or terms are withheld (``kpi.PUBLIC_MINIMUM_DEALS``)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("statistics page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years = KpiTarget.years()
        year = report_year(request.GET.get("year"), years)
        report = kpi.year_report(year=year, targets=KpiTarget.for_year(year), public=True)
        context.update(
            year=year,
            years=years,
            report=report,
            rows=[(result, result_charts(result)) for result in report.results],
            minimum_deals=kpi.PUBLIC_MINIMUM_DEALS,
        )
        return context
