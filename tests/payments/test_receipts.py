"""Receipts: emailed once with the PDF when an order is paid, whatever the method, in the
payer's language; downloadable from the order page by the paying organisation only."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from payments import services
from payments.models import Order
from payments.tasks import send_receipt_task
from tests.factories import MembershipFactory
from tests.payments.conftest import TICKET
from tests.payments.stripe_fakes import checkout_session, event, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(payer, organisation, tickets):
    return services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 3), (TICKET, 10, 1)]
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_transfer_marked_received_sends_the_receipt_in_vietnamese(
    order, payer, organisation, finance, django_capture_on_commit_callbacks
):
    # Given a payer who reads Vietnamese
    payer.preferred_language = "vi"
    payer.save()

    # When finance marks the transfer received
    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")

    # Then one email in Vietnamese (amounts as Vietnamese write them) carries the receipt
    [message] = mail.outbox
    assert message.to == [payer.email]
    assert message.subject.startswith("[TechFloor] ")
    assert order.reference in message.subject
    assert "2.300.000\N{NO-BREAK SPACE}₫" in message.body
    [(filename, pdf, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{order.reference}.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in (
        order.reference,
        organisation.legal_name,
        organisation.tax_code,
        "2.300.000 ₫",
        "1.050.000 ₫",
        "Chuyển khoản",
    ):
        assert expected in text, expected
    order.refresh_from_db()
    assert order.receipt_sent_at is not None


def test_a_card_payment_sends_the_receipt_in_english(
    client, order, payer, stripe_configured, django_capture_on_commit_callbacks
):
    payer.preferred_language = "en"
    payer.save()

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, event("evt_1", "checkout.session.completed", checkout_session(order)))

    [message] = mail.outbox
    assert message.subject == f"[TechFloor] Receipt for order {order.reference}"
    assert "VND\N{NO-BREAK SPACE}2,300,000" in message.body
    text = _text(message.attachments[0][1])
    assert "Payment receipt" in text
    assert "VND 2,300,000" in text
    assert "Card (Stripe)" in text


def test_the_receipt_goes_out_once(order, finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")

    assert send_receipt_task(order.pk) is False
    assert len(mail.outbox) == 1


def test_no_receipt_for_an_unpaid_order(order):
    assert send_receipt_task(order.pk) is False
    assert mail.outbox == []


def test_members_of_the_paying_organisation_download_the_receipt(
    client, order, organisation, finance
):
    services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")
    client.force_login(MembershipFactory(organisation=organisation).user)

    response = client.get(f"/en/portal/orders/{order.reference}/receipt.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{order.reference}.pdf"'
    assert "Receipt number: " + order.reference in _text(response.content)
    page = client.get(f"/en/portal/orders/{order.reference}/").content.decode()
    assert f"/en/portal/orders/{order.reference}/receipt.pdf" in page


def test_no_one_else_downloads_a_receipt(client, order, finance):
    url = f"/vi/portal/orders/{order.reference}/receipt.pdf"
    services.order_mark_paid(order=order, actor=finance, bank_reference="FT1")

    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(finance)
    assert client.get(url).status_code == 404


def test_an_unpaid_order_has_no_receipt(client, order, payer):
    client.force_login(payer)

    assert client.get(f"/vi/portal/orders/{order.reference}/receipt.pdf").status_code == 404
    assert Order.objects.get(pk=order.pk).receipt_sent_at is None
