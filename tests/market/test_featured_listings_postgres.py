"""Two featurings of one listing paid at the same moment follow one another: real threads,
each on its own connection to a real PostgreSQL."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission

from accounts.models import Membership
from market import services
from market.models import Listing, ListingFeature
from payments import services as payments
from payments.models import Order, PriceItem
from tests.concurrency import POSTGRES_RACE, race
from tests.factories import MembershipFactory, PublishedListingFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = POSTGRES_RACE


def test_two_payments_at_once_add_up_their_days():
    # Given a listing with a week's and a month's featuring ordered, and two finance staff
    listing = PublishedListingFactory()
    owner = MembershipFactory(organisation=listing.organisation, role=Membership.Role.OWNER).user
    features = [
        services.listing_feature_order(
            listing=listing,
            actor=owner,
            price_item=PriceItemFactory(kind=PriceItem.Kind.FEATURED_LISTING, duration_days=days),
        )
        for days in (7, 30)
    ]
    # (given the permission itself: an earlier transactional test may have flushed the groups)
    reconcile = Permission.objects.get(codename="reconcile_order")
    staff = [StaffFactory(groups=[]) for _ in features]
    for person in staff:
        person.user_permissions.add(reconcile)

    # When both transfers are marked received at the same moment
    results = race(
        lambda index: payments.order_mark_paid(
            order=features[index].order, actor=staff[index], bank_reference=f"FT{index}"
        ),
        threads=len(features),
    )

    # Then one period follows the other, and the listing is featured for 37 days in all
    assert all(isinstance(result, Order) for result in results), results
    periods = sorted(
        ListingFeature.objects.filter(status=ListingFeature.Status.ACTIVE).values_list(
            "starts_at", "ends_at"
        )
    )
    assert len(periods) == 2
    assert periods[0][1] == periods[1][0]
    listing = Listing.objects.get(pk=listing.pk)
    assert listing.featured_until == periods[1][1]
    assert listing.featured_until - periods[0][0] == datetime.timedelta(days=37)
