"""Orders: amounts priced on the server in exact đồng, reconciliation that fulfils once,
cancellation, and the refusals that leave nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from payments import services
from payments.models import Order, OrderLine, PriceItem
from payments.payables import PRICE_ITEM
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.payments.conftest import TICKET
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


def test_order_totals_the_handlers_prices_in_exact_dong(payer, organisation, tickets):
    # Given a price list entry of 1,250,000 ₫ and tickets of 350,000 ₫
    valuation = PriceItemFactory(amount=1_250_000, name="Định giá công nghệ")

    # When the payer orders three tickets and one valuation
    order = services.order_create(
        payer=payer,
        organisation=organisation,
        items=[(TICKET, 7, 3), (PRICE_ITEM, valuation.pk, 1)],
    )

    # Then each line and the total are exact, and the order awaits a bank transfer
    lines = list(order.lines.values_list("description", "quantity", "unit_amount", "amount"))
    assert lines == [
        ("Vé hội chợ công nghệ #7", 3, 350_000, 1_050_000),
        ("Định giá công nghệ", 1, 1_250_000, 1_250_000),
    ]
    assert order.total == 2_300_000
    assert (order.status, order.method) == (Order.Status.PENDING, Order.Method.BANK_TRANSFER)
    assert order.reference == f"TF-{order.created_at.year}-{order.pk:06d}"
    assert ModelLogEntry.objects.filter(action=services.ORDER_CREATE).count() == 1


def test_amounts_past_two_billion_dong_stay_whole(payer, organisation, tickets):
    order = services.order_create(payer=payer, organisation=organisation, items=[(TICKET, 9, 2)])

    order.refresh_from_db()
    assert order.total == 4_000_000_000_000
    assert isinstance(order.total, int)


def test_only_members_order_for_an_organisation(organisation, tickets):
    with pytest.raises(PermissionDenied):
        services.order_create(
            payer=UserFactory(), organisation=organisation, items=[(TICKET, 7, 1)]
        )
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([], "empty"),
        ([("no_such_thing", 1, 1)], "unknown_payable"),
        ([(TICKET, 8, 1)], "not_payable"),
        ([(TICKET, 7, 0)], "quantity"),
    ],
)
def test_orders_refused_leave_nothing(payer, organisation, tickets, items, code):
    with pytest.raises(ValidationError) as refusal:
        services.order_create(payer=payer, organisation=organisation, items=items)

    assert refusal.value.code == code
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_inactive_price_items_cannot_be_bought(payer, organisation):
    item = PriceItemFactory(is_active=False)

    with pytest.raises(ValidationError):
        services.order_create(
            payer=payer, organisation=organisation, items=[(PRICE_ITEM, item.pk, 1)]
        )


def test_marking_paid_twice_fulfils_each_line_once(payer, organisation, tickets, finance):
    # Given an order of two lines
    order = services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 1), (TICKET, 9, 1)]
    )

    # When finance marks it received twice
    first = services.order_mark_paid(order=order, actor=finance, bank_reference=" FT26328001 ")
    second = services.order_mark_paid(order=order, actor=finance, bank_reference="FT-other")

    # Then each line was fulfilled once, and the first reconciliation stands
    assert tickets.fulfilled == [(7, order.reference), (9, order.reference)]
    assert first.paid_at == second.paid_at
    order.refresh_from_db()
    assert (order.status, order.bank_reference, order.confirmed_by) == (
        Order.Status.PAID,
        "FT26328001",
        finance,
    )
    assert not order.lines.filter(fulfilled_at=None).exists()
    assert ModelLogEntry.objects.filter(action=services.ORDER_MARK_PAID).count() == 1


def test_only_finance_marks_transfers_received(payer, organisation, tickets):
    order = services.order_create(payer=payer, organisation=organisation, items=[(TICKET, 7, 1)])

    for someone in (payer, StaffFactory(groups=["Curators"])):
        with pytest.raises(PermissionDenied):
            services.order_mark_paid(order=order, actor=someone, bank_reference="FT1")

    order.refresh_from_db()
    assert (order.status, order.paid_at, tickets.fulfilled) == (Order.Status.PENDING, None, [])


def test_a_bank_reference_is_required(payer, organisation, tickets, finance):
    order = services.order_create(payer=payer, organisation=organisation, items=[(TICKET, 7, 1)])

    with pytest.raises(ValidationError):
        services.order_mark_paid(order=order, actor=finance, bank_reference="  ")
    assert tickets.fulfilled == []


def test_a_cancelled_order_cannot_be_paid(payer, organisation, tickets, finance):
    order = services.order_create(payer=payer, organisation=organisation, items=[(TICKET, 7, 1)])

    services.order_cancel(order=order, actor=payer)

    with pytest.raises(ValidationError) as refusal:
        services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")
    assert refusal.value.code == "wrong_status"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert tickets.fulfilled == []


def test_a_paid_order_cannot_be_cancelled_nor_by_strangers(payer, organisation, tickets, finance):
    order = services.order_create(payer=payer, organisation=organisation, items=[(TICKET, 7, 1)])

    with pytest.raises(PermissionDenied):
        services.order_cancel(order=order, actor=MembershipFactory().user)
    services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")
    with pytest.raises(ValidationError):
        services.order_cancel(order=order, actor=payer)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_a_featured_listing_price_needs_a_duration():
    """The database refuses a featured-listing price that does not say for how long."""
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceItemFactory(kind=PriceItem.Kind.FEATURED_LISTING, duration_days=None)
    assert (
        PriceItemFactory(kind=PriceItem.Kind.FEATURED_LISTING, duration_days=30).duration_days == 30
    )
