"""Read queries of the public pages: the home page's live blocks and the news.

Listings are read through ``market.selectors`` only, as an anonymous visitor: the home page
shows the same thing to everyone, so what it shows must be public."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.models import Locale, Page

from cms.events.selectors import event_list_public
from cms.kpi import ZONE, year_bounds
from cms.models.events import EventPage
from cms.models.news import ArticlePage
from market import selectors as market_selectors
from market.models import Listing

HOME_LISTINGS = 6
HOME_EVENTS = 3
HEADLINE_CACHE_KEY = "cms:home:headline-figures:{year}"
HEADLINE_CACHE_SECONDS = 300  # figures a few minutes old are fine; counting on every visit is not
SUPPLY_KINDS = (Listing.Kind.OFFER, Listing.Kind.EQUIPMENT, Listing.Kind.SERVICE)


def home_featured_offers(*, limit: int = HOME_LISTINGS) -> list[Listing]:
    """Offers, equipment and services on the floor: featured ones first, then the newest."""
    return list(
        market_selectors.listing_list_public(viewer=None)
        .filter(kind__in=SUPPLY_KINDS)
        .order_by("-featured", "-published_at", "-pk")[:limit]
    )


def home_latest_needs(*, limit: int = HOME_LISTINGS) -> list[Listing]:
    """The newest technology needs on the floor."""
    return list(
        market_selectors.listing_list_public(viewer=None)
        .filter(kind=Listing.Kind.NEED)
        .order_by("-published_at", "-pk")[:limit]
    )


def home_upcoming_events(*, locale: Locale, limit: int = HOME_EVENTS) -> list[EventPage]:
    """The next public events in the home page's language that have not ended yet. Events
    keep their registrations, so they may exist in one language only: a language without any
    event page shows the default language's events, as its menu links there."""
    events = event_list_public(language=locale.language_code, upcoming=True)
    if not events.exists() and locale != Locale.get_default():
        events = event_list_public(language=Locale.get_default().language_code, upcoming=True)
    return list(events[:limit])


@dataclass(frozen=True)
class HeadlineFigure:
    key: str
    label: str
    value: int


HEADLINE_LABELS = {
    "offers": _("Offers on the floor"),
    "needs": _("Technology needs on the floor"),
    "introductions": _("Introductions made this year"),
    "deals": _("Deals closed this year"),
}


def _headline_counts(*, year: int) -> dict[str, int]:
    listings = market_selectors.listing_list_public(viewer=None).aggregate(
        offers=Count("pk", filter=Q(kind__in=SUPPLY_KINDS)),
        needs=Count("pk", filter=Q(kind=Listing.Kind.NEED)),
    )
    start, end = year_bounds(year)
    return {
        "offers": listings["offers"],
        "needs": listings["needs"],
        # The same selectors as the KPIs "Introductions made" and "Technology transactions".
        "introductions": market_selectors.introduction_list_approved(start=start, end=end).count(),
        "deals": market_selectors.deal_list_closed_won(start=start, end=end).count(),
    }


def home_headline_figures() -> list[HeadlineFigure]:
    """The floor in four numbers, counted from the data this year (Vietnam time) and cached
    for a few minutes; the labels are translated per request, the numbers are shared."""
    year = timezone.localtime(timezone.now(), ZONE).year
    key = HEADLINE_CACHE_KEY.format(year=year)
    counts = cache.get(key)
    if counts is None:
        counts = _headline_counts(year=year)
        cache.set(key, counts, HEADLINE_CACHE_SECONDS)
    return [HeadlineFigure(key, str(label), counts[key]) for key, label in HEADLINE_LABELS.items()]


def article_list(*, news_index: Page, tag: str = "") -> QuerySet[ArticlePage]:
    """The live, public articles under a news index, newest first, of one tag (its slug) if
    given, with what the list shows."""
    articles = ArticlePage.objects.child_of(news_index).live().public()
    if tag:
        articles = articles.filter(tagged_items__tag__slug=tag)
    return (
        articles.select_related("main_image")
        # Renditions too: on a cold rendition cache each thumbnail would look its own up.
        .prefetch_related("tagged_items__tag", "main_image__renditions")
        .order_by("-date", "-first_published_at", "-pk")
    )


def tag_list_for_news(*, news_index: Page) -> list[Tag]:
    """The tags of a news index's live articles, most used first, for its tag filter."""
    article_ids = ArticlePage.objects.child_of(news_index).live().public().values("pk")
    return list(
        Tag.objects.filter(cms_articletag_items__content_object__in=article_ids)
        .annotate(uses=Count("cms_articletag_items"))
        .order_by("-uses", "name")
    )
