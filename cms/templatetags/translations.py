"""The reader's page in every language, for the language switcher and hreflang links."""

from __future__ import annotations

from django import template
from wagtail.models import Page

from cms.translations import Alternate, alternate_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[Alternate]:
    """``alternate_urls`` for the request being rendered; the Wagtail page comes from the
    context, where Wagtail puts it (views that name something else ``page`` are ignored)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    return alternate_urls(request=request, page=page if isinstance(page, Page) else None)
