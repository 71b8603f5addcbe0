"""Template context for every page: where the trading floor lives in the active language."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from cms.models import TradingFloorPage

FLOOR_URL_CACHE_KEY = "cms:floor-url:{language}"


def floor_url_for(language: str) -> str:
    """The trading floor page's URL in ``language`` (or the default), cached briefly."""
    key = FLOOR_URL_CACHE_KEY.format(language=language)
    url = cache.get(key)
    if url is None:
        pages = TradingFloorPage.objects.live().select_related("locale")
        page = pages.filter(locale__language_code=language).first() or pages.first()
        url = page.url if page else ""
        cache.set(key, url, 300)
    return url


def navigation(request: HttpRequest) -> dict:
    return {"floor_url": SimpleLazyObject(lambda: floor_url_for(get_language() or "vi"))}
