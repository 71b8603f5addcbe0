"""Refunds: finance give paid orders back, card payments through Stripe's Refund API (a local
server that records the call), bank transfers with a note; the rooms withdraw what they
delivered; everyone else is refused and nothing changes."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from payments import services, stripe_api
from payments.models import Order, StripeEvent
from payments.payables import PRICE_ITEM
from tests.conftest import login_with_totp
from tests.factories import StaffFactory
from tests.payments.conftest import TICKET
from tests.payments.factories import PriceItemFactory
from tests.payments.stripe_fakes import checkout_session, event, post_event

pytestmark = pytest.mark.django_db

REFUNDS = "/admin/payments/refunds/"


@pytest.fixture
def order(payer, organisation, tickets):
    return services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 2), (TICKET, 10, 1)]
    )


@pytest.fixture
def paid_by_transfer(order, finance):
    return services.order_mark_paid(order=order, actor=finance, bank_reference="FT26328001")


@pytest.fixture
def paid_by_card(client, order, stripe_server):
    post_event(client, event("evt_1", "checkout.session.completed", checkout_session(order)))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


def _staff_client(client, groups):
    secret = pyotp.random_base32()
    staff = StaffFactory(groups=groups)
    TOTP.activate(staff, secret)
    login_with_totp(client, user=staff, secret=secret)
    return staff


def test_finance_refund_a_card_payment_through_stripe(client, paid_by_card, tickets, stripe_server):
    # Given finance staff in the admin and an order paid by card
    staff = _staff_client(client, ["Finance"])
    assert paid_by_card.reference in client.get(REFUNDS).content.decode()

    # When they refund it
    response = client.post(REFUNDS, {"order": paid_by_card.pk, "note": ""})

    # Then Stripe was asked to refund exactly that payment, once
    assert response.status_code == 302
    [refund] = [r for r in stripe_server.requests if r.path == "/v1/refunds"]
    assert refund.method == "POST"
    assert refund.params == {"payment_intent": "pi_test_1", "reason": "requested_by_customer"}
    assert refund.headers["idempotency-key"] == f"refund-{paid_by_card.reference}"
    assert refund.headers["stripe-version"] == stripe_api.API_VERSION
    # and the order is refunded by them, what was delivered withdrawn, the action audited
    paid_by_card.refresh_from_db()
    assert (paid_by_card.status, paid_by_card.refunded_by, paid_by_card.stripe_refund_id) == (
        Order.Status.REFUNDED,
        staff,
        "re_test_1",
    )
    assert paid_by_card.refunded_at is not None
    assert tickets.revoked == [(7, paid_by_card.reference), (10, paid_by_card.reference)]
    entry = ModelLogEntry.objects.get(action=services.ORDER_REFUND)
    assert entry.user == staff
    screen = client.get(REFUNDS).context
    assert [(o.reference, o.refunded_by) for o in screen["refunded"]] == [
        (paid_by_card.reference, staff)
    ]
    assert [(e.event_id, e.order_reference, e.outcome) for e in screen["stripe_events"]] == [
        ("evt_1", paid_by_card.reference, "paid")
    ]


def test_stripe_confirming_our_own_refund_changes_nothing(
    client, paid_by_card, finance, tickets, stripe_server
):
    services.order_refund(order=paid_by_card, actor=finance)

    post_event(
        client,
        event(
            "evt_refund",
            "charge.refunded",
            {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": "pi_test_1",
                "amount_refunded": paid_by_card.total,
                "refunds": {"data": [{"id": "re_test_1"}]},
            },
        ),
    )

    paid_by_card.refresh_from_db()
    assert (paid_by_card.refunded_by, paid_by_card.stripe_refund_id) == (finance, "re_test_1")
    assert len(tickets.revoked) == 2
    assert StripeEvent.objects.get(event_id="evt_refund").outcome == "already refunded"


def test_finance_record_a_transfer_refund_with_a_note(
    client, paid_by_transfer, tickets, stripe_configured
):
    staff = _staff_client(client, ["Finance"])

    response = client.post(REFUNDS, {"order": paid_by_transfer.pk, "note": " FT26330777 "})

    assert response.status_code == 302
    paid_by_transfer.refresh_from_db()
    assert (
        paid_by_transfer.status,
        paid_by_transfer.refund_note,
        paid_by_transfer.refunded_by,
    ) == (
        Order.Status.REFUNDED,
        "FT26330777",
        staff,
    )
    assert paid_by_transfer.stripe_refund_id == ""
    assert len(tickets.revoked) == 2


def test_a_transfer_refund_needs_a_note(client, paid_by_transfer, tickets):
    _staff_client(client, ["Finance"])

    response = client.post(REFUNDS, {"order": paid_by_transfer.pk, "note": "  "})

    assert response.status_code == 200
    assert response.context["failed_form"].errors["note"]
    paid_by_transfer.refresh_from_db()
    assert paid_by_transfer.status == Order.Status.PAID
    assert tickets.revoked == []


def test_refunding_twice_refunds_once(paid_by_card, finance, tickets, stripe_server):
    services.order_refund(order=paid_by_card, actor=finance)
    services.order_refund(order=paid_by_card, actor=finance)

    assert len([r for r in stripe_server.requests if r.path == "/v1/refunds"]) == 1
    assert len(tickets.revoked) == 2
    assert ModelLogEntry.objects.filter(action=services.ORDER_REFUND).count() == 1


def test_a_pending_order_cannot_be_refunded(order, finance, tickets):
    with pytest.raises(ValidationError) as refusal:
        services.order_refund(order=order, actor=finance, note="FT1")

    assert refusal.value.code == "wrong_status"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_a_payable_without_revoke_keeps_what_it_delivered(payer, organisation, finance):
    item = PriceItemFactory(amount=500_000)
    order = services.order_create(
        payer=payer, organisation=organisation, items=[(PRICE_ITEM, item.pk, 1)]
    )
    services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")

    refunded = services.order_refund(order=order, actor=finance, note="FT2")

    assert refunded.status == Order.Status.REFUNDED


def test_only_finance_refund(client, paid_by_transfer, payer, tickets):
    # The payer, and a curator, through the service
    for someone in (payer, StaffFactory(groups=["Curators"])):
        with pytest.raises(PermissionDenied):
            services.order_refund(order=paid_by_transfer, actor=someone, note="FT2")

    # A curator in the admin gets a real 403, on the page and on the form
    _staff_client(client, ["Curators"])
    assert client.get(REFUNDS).status_code == 403
    response = client.post(REFUNDS, {"order": paid_by_transfer.pk, "note": "FT2"})
    assert response.status_code == 403

    # and nothing changed
    paid_by_transfer.refresh_from_db()
    assert (paid_by_transfer.status, paid_by_transfer.refunded_at) == (Order.Status.PAID, None)
    assert tickets.revoked == []


def test_a_payer_cannot_reach_refunds(client, paid_by_transfer, payer, tickets):
    client.force_login(payer)

    response = client.post(REFUNDS, {"order": paid_by_transfer.pk, "note": "FT2"})

    assert response.status_code == 302
    assert response["Location"].startswith("/vi/accounts/login/")
    paid_by_transfer.refresh_from_db()
    assert paid_by_transfer.status == Order.Status.PAID
    assert tickets.revoked == []
