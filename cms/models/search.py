"""The site search page: pages and trading-floor listings found by one query."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from market.search import search_listings

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")


def page_search(*, query: str):
    """Live pages of the active language that the public may see, best match first."""
    # Only words reach the search backend: SQLite's FTS5 reads punctuation as its own syntax
    # and fails on a stray quote or bracket.
    words = " ".join(WORD.findall(query))
    if not words:
        return Page.objects.none()
    pages = (
        Page.objects.live()
        .public()
        .filter(locale=Locale.get_active(), depth__gt=1)
        .not_type(SiteSearchPage)
    )
    return pages.search(words)


class SiteSearchPage(Page):
    """One query box; what it finds on the site's pages and on the trading floor, side by side."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    pages_per_page = 10
    listings_per_page = 10
    template = "cms/site_search_page.html"

    class Meta:
        verbose_name = _("site search page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        if not query:
            return {**context, "query": ""}
        page_results = Paginator(page_search(query=query), self.pages_per_page).get_page(
            request.GET.get("page")
        )
        listing_results = search_listings(
            query=query,
            page=request.GET.get("lpage") or 1,
            per_page=self.listings_per_page,
            viewer=request.user,
        )
        return {
            **context,
            "query": query,
            "page_results": page_results,
            "listing_results": listing_results,
            "listings_page": listing_results.page,
            "page_query": _query_string(request, drop="page"),
            "listing_query": _query_string(request, drop="lpage"),
        }


def _query_string(request: HttpRequest, *, drop: str) -> str:
    params = request.GET.copy()
    params.pop(drop, None)
    return params.urlencode()
