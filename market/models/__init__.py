"""The trading floor's data: listings and their revisions and files; introductions and deals."""

from market.models.deals import Deal, Introduction, Message, NdaVersion
from market.models.listings import Listing, ListingAttachment, ListingRevision

__all__ = [
    "Deal",
    "Introduction",
    "Listing",
    "ListingAttachment",
    "ListingRevision",
    "Message",
    "NdaVersion",
]
