"""Forget the cached addresses of the navigation's pages whenever a page is published or
unpublished."""

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.context_processors import NAVIGATION_PAGES, PAGE_URL_CACHE_KEY


@receiver(page_published)
@receiver(page_unpublished)
def forget_page_urls(sender, instance, **kwargs) -> None:
    cache.delete_many(
        [
            PAGE_URL_CACHE_KEY.format(model=page_class._meta.label_lower, language=code)
            for page_class in NAVIGATION_PAGES
            for code, _name in settings.LANGUAGES
        ]
    )
