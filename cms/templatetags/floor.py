"""Template helpers of the public trading floor."""

from __future__ import annotations

import json

from django import template
from django.http import QueryDict
from django.utils.safestring import mark_safe

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def facet_link(params: QueryDict, name: str, value: str, selected: bool) -> str:
    """The query string that turns a facet value on (or off when ``selected``), from page 1."""
    query = params.copy()
    query.pop("page", None)
    if selected:
        query.pop(name, None)
    else:
        query[name] = value
    return query.urlencode()


@register.filter
def ld_json(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` block, safe against "</script>"."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308
