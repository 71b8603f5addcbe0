"""Paying by card from the order page: the exact request sent to Stripe's API (a local server
that records it), VND amounts exact from the order to the Checkout Session and back through the
webhook, and who may start a card payment."""

from __future__ import annotations

import pytest

from payments import services, stripe_api
from payments.models import Order
from payments.payables import PRICE_ITEM
from tests.factories import MembershipFactory
from tests.payments.conftest import TICKET
from tests.payments.factories import PriceItemFactory
from tests.payments.stripe_fakes import SECRET_KEY, checkout_session, event, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def valuation_order(payer, organisation):
    item = PriceItemFactory(amount=1_250_000, name="Định giá công nghệ")
    return services.order_create(
        payer=payer, organisation=organisation, items=[(PRICE_ITEM, item.pk, 1)]
    )


def test_the_checkout_session_asks_stripe_for_exact_dong(
    client, payer, valuation_order, stripe_server
):
    # Given a payer with a pending order of 1,250,000 ₫
    client.force_login(payer)
    reference = valuation_order.reference

    # When they choose to pay by card
    response = client.post(f"/vi/portal/orders/{reference}/pay-by-card/")

    # Then they are sent to the Checkout page Stripe opened
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    # and Stripe was asked, once, for exactly these parameters, in whole đồng
    [request] = stripe_server.requests
    assert (request.method, request.path) == ("POST", "/v1/checkout/sessions")
    order_url = f"http://testserver/vi/portal/orders/{reference}/"
    assert request.params == {
        "mode": "payment",
        "client_reference_id": reference,
        "customer_email": payer.email,
        "locale": "vi",
        "success_url": f"{order_url}?card=paid",
        "cancel_url": order_url,
        "metadata[order_reference]": reference,
        "payment_intent_data[metadata][order_reference]": reference,
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "vnd",
        "line_items[0][price_data][unit_amount]": "1250000",
        "line_items[0][price_data][product_data][name]": "Định giá công nghệ",
    }
    assert request.headers["stripe-version"] == stripe_api.API_VERSION
    assert request.headers["idempotency-key"] == f"checkout-{reference}"
    assert request.headers["authorization"] == f"Bearer {SECRET_KEY}"
    valuation_order.refresh_from_db()
    assert valuation_order.stripe_session_id == "cs_test_1"
    assert valuation_order.status == Order.Status.PENDING


def test_vnd_stays_exact_from_order_to_webhook(client, payer, valuation_order, stripe_server):
    # Given a Checkout Session opened for an order of 1,250,000 ₫
    client.force_login(payer)
    client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    # When Stripe reports the session paid with amount_total 1250000 (not 125000000)
    payload = event(
        "evt_paid",
        "checkout.session.completed",
        checkout_session(valuation_order, session_id="cs_test_1", amount=1_250_000),
    )
    assert post_event(client, payload).status_code == 200

    # Then the order is paid by card for exactly its total
    valuation_order.refresh_from_db()
    assert (valuation_order.status, valuation_order.method, valuation_order.total) == (
        Order.Status.PAID,
        Order.Method.STRIPE,
        1_250_000,
    )
    assert valuation_order.stripe_payment_intent == "pi_test_1"


def test_several_lines_each_go_at_their_unit_price(
    client, payer, organisation, stripe_server, tickets
):
    order = services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 3), (TICKET, 10, 2)]
    )
    client.force_login(payer)

    client.post(f"/en/portal/orders/{order.reference}/pay-by-card/")

    params = stripe_server.requests[0].params
    assert [
        (
            params[f"line_items[{index}][quantity]"],
            params[f"line_items[{index}][price_data][unit_amount]"],
        )
        for index in (0, 1)
    ] == [("3", "350000"), ("2", "1250000")]
    assert params["locale"] == "en"
    assert order.total == 3 * 350_000 + 2 * 1_250_000


def test_asking_again_while_the_page_is_open_reuses_it(
    client, payer, valuation_order, stripe_server
):
    client.force_login(payer)
    client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    response = client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    assert [(r.method, r.path) for r in stripe_server.requests] == [
        ("POST", "/v1/checkout/sessions"),
        ("GET", "/v1/checkout/sessions/cs_test_1"),
    ]


def test_an_expired_page_is_replaced_under_a_new_idempotency_key(
    client, payer, valuation_order, stripe_server
):
    client.force_login(payer)
    client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")
    stripe_server.session_status = "expired"

    response = client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_3"
    created = [r for r in stripe_server.requests if r.method == "POST"]
    assert [r.headers["idempotency-key"] for r in created] == [
        f"checkout-{valuation_order.reference}",
        f"checkout-{valuation_order.reference}-after-cs_test_1",
    ]
    valuation_order.refresh_from_db()
    assert valuation_order.stripe_session_id == "cs_test_3"


def test_the_order_page_offers_a_card_only_when_stripe_is_configured(
    client, payer, valuation_order, settings
):
    client.force_login(payer)
    settings.STRIPE_SECRET_KEY = ""
    page = client.get(f"/en/portal/orders/{valuation_order.reference}/").content.decode()
    assert "pay-by-card" not in page
    assert "Pay by bank transfer" in page

    settings.STRIPE_SECRET_KEY = SECRET_KEY
    page = client.get(f"/en/portal/orders/{valuation_order.reference}/").content.decode()
    assert f"/en/portal/orders/{valuation_order.reference}/pay-by-card/" in page
    assert "Pay by bank transfer" in page


def test_without_stripe_a_card_payment_is_refused(client, payer, valuation_order, settings):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(payer)

    response = client.post(f"/en/portal/orders/{valuation_order.reference}/pay-by-card/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/portal/orders/{valuation_order.reference}/"
    valuation_order.refresh_from_db()
    assert valuation_order.stripe_session_id == ""


def test_only_members_of_the_paying_organisation_pay_by_card(
    client, valuation_order, stripe_server
):
    url = f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/"

    # Anonymous visitors are sent to log in; other organisations' members find nothing
    assert client.post(url).status_code == 302
    client.force_login(MembershipFactory().user)
    assert client.post(url).status_code == 404
    assert client.get(url.replace("pay-by-card/", "")).status_code == 404

    # and Stripe heard of none of it
    assert stripe_server.requests == []
    valuation_order.refresh_from_db()
    assert valuation_order.stripe_session_id == ""


def test_a_paid_order_cannot_be_paid_by_card_again(
    client, payer, valuation_order, finance, stripe_server
):
    services.order_mark_paid(order=valuation_order, actor=finance, bank_reference="FT1")
    client.force_login(payer)

    response = client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    assert response.status_code == 302
    assert response["Location"] == f"/vi/portal/orders/{valuation_order.reference}/"
    assert stripe_server.requests == []


def test_the_payer_cancels_a_pending_order_from_its_page(client, payer, valuation_order):
    client.force_login(MembershipFactory().user)
    url = f"/vi/portal/orders/{valuation_order.reference}/cancel/"
    assert client.post(url).status_code == 404
    valuation_order.refresh_from_db()
    assert valuation_order.status == Order.Status.PENDING

    client.force_login(payer)
    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    valuation_order.refresh_from_db()
    assert valuation_order.status == Order.Status.CANCELLED


def test_cancelling_closes_an_open_card_page(client, payer, valuation_order, stripe_server):
    # Given a Checkout page left open in another tab
    client.force_login(payer)
    client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")

    # When the payer cancels the order
    client.post(f"/vi/portal/orders/{valuation_order.reference}/cancel/")

    # Then Stripe is asked to close that page, so nobody can pay a cancelled order
    assert [(r.method, r.path) for r in stripe_server.requests[1:]] == [
        ("GET", "/v1/checkout/sessions/cs_test_1"),
        ("POST", "/v1/checkout/sessions/cs_test_1/expire"),
    ]
    valuation_order.refresh_from_db()
    assert valuation_order.status == Order.Status.CANCELLED


def test_an_order_paid_on_its_card_page_cannot_be_cancelled(
    client, payer, valuation_order, stripe_server
):
    client.force_login(payer)
    client.post(f"/vi/portal/orders/{valuation_order.reference}/pay-by-card/")
    stripe_server.session_status = "complete"

    client.post(f"/vi/portal/orders/{valuation_order.reference}/cancel/")

    valuation_order.refresh_from_db()
    assert valuation_order.status == Order.Status.PENDING
    assert not [r for r in stripe_server.requests if r.path.endswith("/expire")]
