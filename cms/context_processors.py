"""Template context for every page: where the trading floor, the events and the site search live
in the active language, and the site's menu and footer (all cached)."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Page

from cms.models import EventIndexPage, SiteSearchPage, TradingFloorPage
from cms.models.navigation import (
    NAVIGATION_CACHE_KEY,
    NAVIGATION_CACHE_SECONDS,
    NAVIGATION_CACHE_VERSION_KEY,
    Navigation,
    NavigationSettings,
    default_menu,
)

PAGE_URL_CACHE_KEY = "cms:page-url:{model}:{language}"
NAVIGATION_PAGES = (TradingFloorPage, EventIndexPage, SiteSearchPage)


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


def events_url_for(language: str) -> str:
    """The events page's URL in ``language`` (or the default)."""
    return _page_url_for(EventIndexPage, language)


def site_navigation(request: HttpRequest, language: str) -> Navigation:
    """The menu and footer of the request's site in ``language``: built once, then read from
    the cache until a setting is saved or a page is published or unpublished."""
    navigation = cache.get(_navigation_key(request, language))
    if navigation is None:
        try:
            settings = NavigationSettings.for_request(request)
        except NavigationSettings.DoesNotExist:  # a host that matches no site and no default
            navigation = Navigation(menu=default_menu(language=language))
        else:
            navigation = settings.navigation(language=language)
        # The key again: the first visit creates the settings row, and saving it forgets menus.
        cache.set(_navigation_key(request, language), navigation, NAVIGATION_CACHE_SECONDS)
    return navigation


def _navigation_key(request: HttpRequest, language: str) -> str:
    version = cache.get_or_set(NAVIGATION_CACHE_VERSION_KEY, 1, None)
    return NAVIGATION_CACHE_KEY.format(version=version, host=request.get_host(), language=language)


def navigation(request: HttpRequest) -> dict:
    language = get_language() or "vi"
    return {
        "floor_url": SimpleLazyObject(lambda: floor_url_for(language)),
        "events_url": SimpleLazyObject(lambda: events_url_for(language)),
        "site_search_url": SimpleLazyObject(lambda: _page_url_for(SiteSearchPage, language)),
        "site_navigation": SimpleLazyObject(lambda: site_navigation(request, language)),
    }
