"""Forget the cached trading floor address whenever a page is published or unpublished."""

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.context_processors import FLOOR_URL_CACHE_KEY


@receiver(page_published)
@receiver(page_unpublished)
def forget_floor_url(sender, instance, **kwargs) -> None:
    cache.delete_many(
        [FLOOR_URL_CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )
