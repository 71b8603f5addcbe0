"""Template context for every page: where the trading floor and the events live in the active
language."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Page

from cms.models import EventIndexPage, TradingFloorPage

PAGE_URL_CACHE_KEY = "cms:page-url:{model}:{language}"
NAVIGATION_PAGES = (TradingFloorPage, EventIndexPage)


def _page_url_for(page_class: type[Page], language: str) -> str:
    """The URL of the live page of ``page_class`` in ``language`` (or any language), cached
    briefly: the navigation asks on every request."""
    key = PAGE_URL_CACHE_KEY.format(model=page_class._meta.label_lower, language=language)
    url = cache.get(key)
    if url is None:
        pages = page_class.objects.live().select_related("locale")
        page = pages.filter(locale__language_code=language).first() or pages.first()
        url = page.url if page else ""
        cache.set(key, url, 300)
    return url


def floor_url_for(language: str) -> str:
    """The trading floor page's URL in ``language`` (or the default)."""
    return _page_url_for(TradingFloorPage, language)


def navigation(request: HttpRequest) -> dict:
    language = get_language() or "vi"
    return {
        "floor_url": SimpleLazyObject(lambda: floor_url_for(language)),
        "events_url": SimpleLazyObject(lambda: _page_url_for(EventIndexPage, language)),
    }
