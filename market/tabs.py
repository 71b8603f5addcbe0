"""Tabs that higher rooms add to a member's listing page in the portal.

``market`` may not import ``matching``; instead ``matching`` registers its "Matches" tab here,
and the listing pages show whatever is registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from market.models import Listing


@dataclass(frozen=True)
class ListingTab:
    label: str | Promise
    url_name: str  # takes the listing's pk


LISTING_TABS: list[ListingTab] = []


def register_listing_tab(tab: ListingTab) -> ListingTab:
    if tab not in LISTING_TABS:
        LISTING_TABS.append(tab)
    return tab


def listing_tabs(listing: Listing, *, current: str = "market:listing_edit") -> list[dict]:
    """The listing's own page first, then every registered tab, the current one marked."""
    tabs = [ListingTab(_("Listing"), "market:listing_edit"), *LISTING_TABS]
    return [
        {
            "label": tab.label,
            "url": reverse(tab.url_name, args=[listing.pk]),
            "current": tab.url_name == current,
        }
        for tab in tabs
    ]
