"""Webhook races on real PostgreSQL, each thread on its own connection: the same event
delivered twice at once, two events for one payment at once, and a transfer marked received
while the card payment's event arrives. Each time the order is fulfilled exactly once."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.test import Client

from payments import services
from payments.models import Order, StripeEvent
from tests.concurrency import POSTGRES_RACE, race
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.conftest import TICKET
from tests.payments.stripe_fakes import checkout_session, event, post_event

pytestmark = POSTGRES_RACE


def _order():
    payer = MembershipFactory().user
    return services.order_create(
        payer=payer,
        organisation=payer.memberships.get().organisation,
        items=[(TICKET, 7, 2), (TICKET, 10, 1)],
    )


def test_the_same_event_delivered_twice_at_once_is_processed_once(tickets, stripe_configured):
    order = _order()
    payload = event("evt_same", "checkout.session.completed", checkout_session(order))

    results = race(lambda index: post_event(Client(), payload).status_code, threads=2)

    assert results == [200, 200]
    assert sorted(tickets.fulfilled) == [(7, order.reference), (10, order.reference)]
    assert StripeEvent.objects.filter(event_id="evt_same").count() == 1
    assert StripeEvent.objects.get().outcome == "paid"


def test_two_events_for_one_order_at_once_fulfil_once(tickets, stripe_configured):
    order = _order()
    payloads = [
        event("evt_completed", "checkout.session.completed", checkout_session(order)),
        event("evt_async", "checkout.session.async_payment_succeeded", checkout_session(order)),
    ]

    results = race(lambda index: post_event(Client(), payloads[index]).status_code, threads=2)

    assert results == [200, 200]
    assert sorted(tickets.fulfilled) == [(7, order.reference), (10, order.reference)]
    assert sorted(StripeEvent.objects.values_list("outcome", flat=True)) == [
        "already paid",
        "paid",
    ]
    order.refresh_from_db()
    assert (order.status, order.method) == (Order.Status.PAID, Order.Method.STRIPE)


def test_a_transfer_marked_while_the_card_event_arrives_fulfils_once(tickets, stripe_configured):
    order = _order()
    # (given the permission itself: an earlier transactional test may have flushed the groups)
    staff = StaffFactory(groups=[])
    staff.user_permissions.add(Permission.objects.get(codename="reconcile_order"))
    payload = event("evt_card", "checkout.session.completed", checkout_session(order))
    work = [
        lambda: services.order_mark_paid(order=order, actor=staff, bank_reference="FT1"),
        lambda: post_event(Client(), payload).status_code,
    ]

    results = race(lambda index: work[index](), threads=2)

    # Both finish; whichever came second saw the order paid and fulfilled nothing more
    assert isinstance(results[0], Order), results
    assert results[1] == 200
    assert sorted(tickets.fulfilled) == [(7, order.reference), (10, order.reference)]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    outcome = StripeEvent.objects.get().outcome
    if order.method == Order.Method.STRIPE:
        assert outcome == "paid"
    else:
        assert outcome.startswith("order already paid (bank_transfer)")
