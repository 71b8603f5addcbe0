"""The organisation profile's "Listings" section (registered in ``MarketConfig.ready``)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.models import Organisation
from market.selectors import listing_list_public

PROFILE_LISTINGS_LIMIT = 50


def organisation_listings_section(request: HttpRequest, organisation: Organisation) -> str:
    listings = (
        listing_list_public(viewer=request.user)
        .filter(organisation=organisation)
        .prefetch_related("sectors")
        .order_by("-published_at")[:PROFILE_LISTINGS_LIMIT]
    )
    return render_to_string(
        "market/_organisation_listings.html", {"listings": listings}, request=request
    )
