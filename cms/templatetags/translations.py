"""The reader's page in every language, for the language switcher and hreflang links."""

from __future__ import annotations

from django import template
from wagtail.models import Page

from cms.translations import Alternate, alternate_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[Alternate]:
    """``alternate_urls`` for the request being rendered. Wagtail puts the page in the context
    as ``page`` and ``self``; a page whose view names its paginator ``page`` still has ``self``."""
    request = context.get("request")
    if request is None:
        return []
    page = next(
        (value for value in (context.get("page"), context.get("self")) if isinstance(value, Page)),
        None,
    )
    return alternate_urls(request=request, page=page)
