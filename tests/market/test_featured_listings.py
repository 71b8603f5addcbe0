"""Featured listings bought from the Innovation Center: who may order, what it costs, how
payment features the listing, how buying again prolongs it, how it ends (beat task, refund,
the listing leaving the floor)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import Membership
from market import services, tasks
from market.models import Listing, ListingFeature
from market.services import featuring
from payments import services as payments
from payments.models import Order, PriceItem
from payments.payables import payable_handler
from tests.factories import MembershipFactory, PublishedListingFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing():
    return PublishedListingFactory()


@pytest.fixture
def owner(listing):
    return MembershipFactory(organisation=listing.organisation, role=Membership.Role.OWNER).user


@pytest.fixture
def week():
    return PriceItemFactory(
        code="noi-bat-7-ngay",
        name="Tin nổi bật 7 ngày",
        kind=PriceItem.Kind.FEATURED_LISTING,
        amount=300_000,
        duration_days=7,
    )


@pytest.fixture
def month():
    return PriceItemFactory(
        code="noi-bat-30-ngay",
        name="Tin nổi bật 30 ngày",
        kind=PriceItem.Kind.FEATURED_LISTING,
        amount=1_000_000,
        duration_days=30,
    )


@pytest.fixture
def finance():
    return StaffFactory(groups=["Finance"])


def _pay(feature: ListingFeature, finance) -> Order:
    return payments.order_mark_paid(order=feature.order, actor=finance, bank_reference="FT2611")


def test_the_order_costs_the_plan_and_awaits_payment(listing, owner, week):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)

    order = feature.order
    line = order.lines.get()
    assert (order.total, order.status, order.payer_organisation) == (
        300_000,
        Order.Status.PENDING,
        listing.organisation,
    )
    assert (line.payable_type, line.payable_id, line.amount) == (
        "featured_listing",
        feature.pk,
        300_000,
    )
    assert line.description == f"Tin nổi bật 7 ngày · {listing.title}"
    assert (feature.status, feature.days) == (ListingFeature.Status.AWAITING_PAYMENT, 7)
    listing.refresh_from_db()
    assert (listing.featured, listing.featured_until) == (False, None)
    assert ModelLogEntry.objects.filter(action=featuring.FEATURE_ORDER).count() == 1


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, None])
def test_only_managers_of_the_owner_order(listing, week, role):
    user = (
        MembershipFactory(organisation=listing.organisation, role=role).user
        if role
        else MembershipFactory(role=Membership.Role.OWNER).user  # another organisation
    )

    with pytest.raises(PermissionDenied):
        services.listing_feature_order(listing=listing, actor=user, price_item=week)
    assert not ListingFeature.objects.exists()
    assert not Order.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "expired", "withdrawn"])
def test_only_published_listings_are_featured(owner, listing, week, status):
    Listing.objects.filter(pk=listing.pk).update(status=status)

    with pytest.raises(ValidationError):
        services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    assert not ListingFeature.objects.exists()
    assert not Order.objects.exists()


def test_a_service_price_is_no_featuring_plan(listing, owner):
    valuation = PriceItemFactory(kind=PriceItem.Kind.SERVICE)

    with pytest.raises(ValidationError) as error:
        services.listing_feature_order(listing=listing, actor=owner, price_item=valuation)
    assert "price_item" in error.value.message_dict
    assert not Order.objects.exists()


def test_payment_features_the_listing_for_the_days_bought(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    before = timezone.now()

    _pay(feature, finance)

    listing.refresh_from_db()
    feature.refresh_from_db()
    after = timezone.now()
    assert listing.featured is True
    assert before + datetime.timedelta(days=7) <= listing.featured_until
    assert listing.featured_until <= after + datetime.timedelta(days=7)
    assert feature.status == ListingFeature.Status.ACTIVE
    assert feature.ends_at == listing.featured_until
    assert feature.ends_at - feature.starts_at == datetime.timedelta(days=7)
    assert ModelLogEntry.objects.filter(action=featuring.FEATURE_START).count() == 1


def test_buying_again_prolongs_from_the_current_end(listing, owner, week, month, finance):
    first = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(first, finance)
    first.refresh_from_db()

    second = services.listing_feature_order(listing=listing, actor=owner, price_item=month)
    _pay(second, finance)

    second.refresh_from_db()
    listing.refresh_from_db()
    assert second.starts_at == first.ends_at
    assert listing.featured_until == first.ends_at + datetime.timedelta(days=30)


def test_marking_paid_twice_features_once(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(feature, finance)
    listing.refresh_from_db()
    until = listing.featured_until

    _pay(feature, finance)

    listing.refresh_from_db()
    assert listing.featured_until == until


def test_the_beat_task_unfeatures_exactly_the_expired(owner, week, finance):
    now = timezone.now()
    expired = PublishedListingFactory(
        featured=True, featured_until=now - datetime.timedelta(hours=1)
    )
    running = PublishedListingFactory(
        featured=True, featured_until=now + datetime.timedelta(hours=1)
    )
    by_curators = PublishedListingFactory(featured=True, featured_until=None)
    plain = PublishedListingFactory()

    assert tasks.end_featuring_task.delay().get() == 1
    assert tasks.end_featuring_task.delay().get() == 0  # idempotent

    states = {
        name: tuple(Listing.objects.filter(pk=item.pk).values_list("featured", "featured_until")[0])
        for name, item in {
            "expired": expired,
            "running": running,
            "by_curators": by_curators,
            "plain": plain,
        }.items()
    }
    assert states == {
        "expired": (False, None),
        "running": (True, running.featured_until),
        "by_curators": (True, None),
        "plain": (False, None),
    }
    assert ModelLogEntry.objects.filter(action=featuring.FEATURE_END).count() == 1


def test_the_beat_task_ends_the_paid_period(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(feature, finance)

    services.listing_feature_end_due(now=timezone.now() + datetime.timedelta(days=8))

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert feature.status == ListingFeature.Status.ENDED
    assert (listing.featured, listing.featured_until) == (False, None)


def test_withdrawing_ends_the_featuring(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(feature, finance)

    services.listing_withdraw(listing=listing, actor=owner)

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert feature.status == ListingFeature.Status.ENDED
    assert (listing.featured, listing.featured_until) == (False, None)


def test_expiry_ends_the_featuring(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(feature, finance)
    Listing.objects.filter(pk=listing.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert services.listing_expire_due() == 1

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert (listing.status, listing.featured, listing.featured_until) == ("expired", False, None)
    assert feature.status == ListingFeature.Status.ENDED


def test_paid_after_the_listing_left_the_floor_features_nothing(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    services.listing_withdraw(listing=listing, actor=owner)

    order = _pay(feature, finance)

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert feature.status == ListingFeature.Status.CANCELLED
    assert (listing.featured, listing.featured_until) == (False, None)


def test_revoke_unfeatures_and_keeps_other_periods(listing, owner, week, month, finance):
    first = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(first, finance)
    second = services.listing_feature_order(listing=listing, actor=owner, price_item=month)
    _pay(second, finance)
    second.refresh_from_db()

    payable_handler("featured_listing").revoke(first.pk, first.order)

    first.refresh_from_db()
    listing.refresh_from_db()
    assert first.status == ListingFeature.Status.CANCELLED
    assert (listing.featured, listing.featured_until) == (True, second.ends_at)

    payable_handler("featured_listing").revoke(second.pk, second.order)

    listing.refresh_from_db()
    assert (listing.featured, listing.featured_until) == (False, None)
    assert ModelLogEntry.objects.filter(action=featuring.FEATURE_REVOKE).count() == 2


def test_curators_stopping_a_paid_featuring_end_it(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    _pay(feature, finance)

    services.listing_feature(listing=listing, actor=StaffFactory(), featured=False)

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert (listing.featured, listing.featured_until) == (False, None)
    assert feature.status == ListingFeature.Status.ENDED


def test_an_unpaid_featuring_may_not_be_bought_by_an_ordinary_member(listing, owner, week):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    member = MembershipFactory(organisation=listing.organisation, role=Membership.Role.MEMBER).user

    with pytest.raises(ValidationError):
        payments.order_create(
            payer=member,
            organisation=listing.organisation,
            items=[("featured_listing", feature.pk, 1)],
        )


def test_finance_refunding_the_order_unfeatures_the_listing(listing, owner, week, finance):
    feature = services.listing_feature_order(listing=listing, actor=owner, price_item=week)
    order = _pay(feature, finance)

    payments.order_refund(order=order, actor=finance, note="Hoàn tiền FT26110099")

    feature.refresh_from_db()
    listing.refresh_from_db()
    assert feature.status == ListingFeature.Status.CANCELLED
    assert (listing.featured, listing.featured_until) == (False, None)
