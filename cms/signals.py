"""Forget the cached addresses of the navigation's pages, and the cached menus and footers,
whenever a page is published, unpublished or renamed."""

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished

from cms.context_processors import NAVIGATION_PAGES, PAGE_URL_CACHE_KEY
from cms.models.navigation import navigation_forget


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
def forget_page_urls(sender, instance, **kwargs) -> None:
    cache.delete_many(
        [
            PAGE_URL_CACHE_KEY.format(model=page_class._meta.label_lower, language=code)
            for page_class in NAVIGATION_PAGES
            for code, _name in settings.LANGUAGES
        ]
    )
    navigation_forget()
