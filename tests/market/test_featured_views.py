"""Ordering a featuring from the portal, through the HTTP client: managers of the owner only,
published listings only, and the member lands on the order's page to pay."""

from __future__ import annotations

import re

import pytest

from accounts.models import Membership
from market import services
from market.models import Listing, ListingFeature
from payments import services as payments
from payments.models import Order, PriceItem
from tests.factories import MembershipFactory, PublishedListingFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing():
    return PublishedListingFactory()


@pytest.fixture
def week():
    return PriceItemFactory(
        name="Tin nổi bật 7 ngày",
        kind=PriceItem.Kind.FEATURED_LISTING,
        amount=300_000,
        duration_days=7,
    )


def _url(listing: Listing) -> str:
    return f"/vi/portal/listings/{listing.pk}/feature/"


def _login(client, listing, role):
    user = MembershipFactory(organisation=listing.organisation, role=role).user
    client.force_login(user)
    return user


def test_the_owner_orders_and_is_sent_to_pay(client, listing, week):
    _login(client, listing, Membership.Role.OWNER)

    page = client.get(_url(listing)).content.decode()
    response = client.post(_url(listing), {"price_item": week.pk})

    assert "Tin nổi bật 7 ngày" in page
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vi/portal/orders/{order.reference}/"
    assert order.total == 300_000
    assert ListingFeature.objects.get().order == order


def test_the_listing_page_offers_featuring_to_managers_only(client, listing, week):
    _login(client, listing, Membership.Role.ADMIN)
    assert _url(listing) in client.get(f"/vi/portal/listings/{listing.pk}/").content.decode()

    _login(client, listing, Membership.Role.MEMBER)
    assert _url(listing) not in client.get(f"/vi/portal/listings/{listing.pk}/").content.decode()


def test_an_ordinary_member_is_refused(client, listing, week):
    _login(client, listing, Membership.Role.MEMBER)

    assert client.get(_url(listing)).status_code == 403
    assert client.post(_url(listing), {"price_item": week.pk}).status_code == 403
    assert not Order.objects.exists()


def test_another_organisation_does_not_see_the_page(client, listing, week):
    client.force_login(MembershipFactory(role=Membership.Role.OWNER).user)

    assert client.post(_url(listing), {"price_item": week.pk}).status_code == 404
    assert not Order.objects.exists()


def test_visitors_are_sent_to_log_in(client, listing, week):
    response = client.post(_url(listing), {"price_item": week.pk})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Order.objects.exists()


def test_a_listing_off_the_floor_is_not_featured(client, listing, week):
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.WITHDRAWN)
    _login(client, listing, Membership.Role.OWNER)

    response = client.post(_url(listing), {"price_item": week.pk})

    assert response.status_code == 200
    assert not Order.objects.exists()
    assert not ListingFeature.objects.exists()


def test_a_plan_no_longer_on_sale_is_refused(client, listing, week):
    week.is_active = False
    week.save()
    _login(client, listing, Membership.Role.OWNER)

    response = client.post(_url(listing), {"price_item": week.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["price_item"]
    assert not Order.objects.exists()


def test_my_listings_mark_the_featured_one(client, listing, week):
    other = PublishedListingFactory(organisation=listing.organisation)
    owner = _login(client, listing, Membership.Role.OWNER)
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    payments.order_mark_paid(
        order=feature.order, actor=StaffFactory(groups=["Finance"]), bank_reference="FT1"
    )

    content = client.get("/vi/portal/listings/").content.decode()

    row = re.search(rf"{re.escape(listing.title)}</a>(.*?)</td>", content).group(1)
    other_row = re.search(rf"{re.escape(other.title)}</a>(.*?)</td>", content).group(1)
    assert "Nổi bật" in row
    assert "Nổi bật" not in other_row
    assert "/vi/portal/services/" in content
