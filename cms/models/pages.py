"""Wagtail pages of the public site."""

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import StandardStreamBlock
from market import selectors as market_selectors
from market.models import Listing
from market.search import SORTS, SearchFilters, search_listings
from market.search.forms import SearchForm
from startups.selectors.challenges import offer_provenance


class HomePage(Page):
    """The root of each language's page tree: the hero, live blocks computed from the floor
    and the events (``cms.selectors``), then the editors' own blocks."""

    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    body = StreamField(StandardStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]
    api_fields = [APIField("hero_title"), APIField("hero_text"), APIField("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.TradingFloorPage",
        "cms.EventIndexPage",
        "cms.StatisticsPage",
        "cms.NewsIndexPage",
        "cms.StandardPage",
        "cms.DirectoryPage",
        "cms.SiteSearchPage",
        "startups.ProgrammePage",
        "startups.ChallengeIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors  # cms.selectors reads these models

        context = super().get_context(request, *args, **kwargs)
        context["featured_offers"] = selectors.home_featured_offers()
        context["latest_needs"] = selectors.home_latest_needs()
        context["upcoming_events"] = selectors.home_upcoming_events(locale=self.locale)
        context["headline_figures"] = selectors.home_headline_figures()
        return context


class TradingFloorPage(RoutablePageMixin, Page):
    """The public trading floor: search with facets, and one page per listing."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
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
                "provenance": offer_provenance(listing=listing),
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
