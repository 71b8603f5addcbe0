"""Where a listing's public page is. The CMS owns the trading floor page and registers how to
build the address; ``market`` and the rooms above it (emails, alerts) only ask."""

from __future__ import annotations

from collections.abc import Callable

from market.models import Listing

ListingUrl = Callable[[Listing, str], str]
_resolvers: list[ListingUrl] = []


def register_listing_url(resolver: ListingUrl) -> ListingUrl:
    _resolvers[:] = [resolver]
    return resolver


def listing_url(listing: Listing, *, language: str) -> str:
    """The listing's page on the floor in ``language`` (a path), or "" without a floor."""
    return _resolvers[0](listing, language) if _resolvers else ""
