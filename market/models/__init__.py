"""The trading floor's data: listings and their revisions and files; introductions and deals;
featurings and S&T service orders bought from the Innovation Center."""

from market.models.deals import Deal, Introduction, Message, NdaVersion
from market.models.listings import Listing, ListingAttachment, ListingRevision
from market.models.purchases import ListingFeature, ServiceOrder
from market.models.search_index import SearchIndexDirty

__all__ = [
    "Deal",
    "Introduction",
    "Listing",
    "ListingAttachment",
    "ListingFeature",
    "ListingRevision",
    "Message",
    "NdaVersion",
    "SearchIndexDirty",
    "ServiceOrder",
]
