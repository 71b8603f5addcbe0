"""Whether search is degraded, for the notice staff see on the trading floor."""

from django import template

from market.search import is_search_degraded

register = template.Library()


@register.simple_tag
def search_is_degraded() -> bool:
    """Elasticsearch failed in the last few minutes and the database answered instead."""
    return is_search_degraded()
