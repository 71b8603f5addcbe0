"""Over HTTP: the payer's order page (members of the paying organisation only) and finance's
reconciliation screen (finance only)."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from payments import services, vietqr
from payments.models import Order, PriceItem
from tests.conftest import login_with_totp
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.conftest import TICKET

pytestmark = pytest.mark.django_db

RECONCILIATION = "/admin/payments/transfers/"


@pytest.fixture
def order(payer, organisation, tickets):
    return services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 3), (TICKET, 9, 1)]
    )


def _staff_client(client, groups):
    secret = pyotp.random_base32()
    staff = StaffFactory(groups=groups)
    TOTP.activate(staff, secret)
    login_with_totp(client, user=staff, secret=secret)
    return staff


def test_a_member_sees_the_order_with_its_transfer_details(client, order, organisation):
    # Given another member of the paying organisation
    colleague = MembershipFactory(organisation=organisation).user
    client.force_login(colleague)

    # When they open the order in Vietnamese
    response = client.get(f"/vi/portal/orders/{order.reference}/")

    # Then the page shows the exact total as Vietnamese write it, the account, the reference
    # to write, and the VietQR code of exactly that transfer
    assert response.status_code == 200
    page = response.content.decode()
    assert "2.000.001.050.000\N{NO-BREAK SPACE}₫" in page
    assert "1.050.000\N{NO-BREAK SPACE}₫" in page
    assert f"<code>{order.reference}</code>" in page
    assert response.context["qr_image"] == vietqr.png_data_url(
        vietqr.payload(
            bank_bin="970436",
            account="0123456789",
            amount=2_000_001_050_000,
            purpose=order.reference,
        )
    )
    assert response.context["qr_image"] in page


def test_the_order_page_in_english_writes_vnd_first(client, order, payer):
    client.force_login(payer)

    response = client.get(f"/en/portal/orders/{order.reference}/")

    assert "VND\N{NO-BREAK SPACE}2,000,001,050,000" in response.content.decode()


def test_other_organisations_and_strangers_get_404(client, order):
    client.force_login(MembershipFactory().user)

    assert client.get(f"/vi/portal/orders/{order.reference}/").status_code == 404
    assert client.get("/vi/portal/orders/TF-2026-999999/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, order):
    response = client.get(f"/vi/portal/orders/{order.reference}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_finance_marks_a_transfer_received(client, order, tickets):
    # Given finance staff logged in with their second factor
    staff = _staff_client(client, ["Finance"])
    page = client.get(RECONCILIATION)
    assert page.status_code == 200
    assert order.reference in page.content.decode()

    # When they mark the order received with the bank's reference
    response = client.post(RECONCILIATION, {"order": order.pk, "bank_reference": "FT26328001"})

    # Then the order is paid by them, its lines fulfilled, and the screen says who and when
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.confirmed_by, order.bank_reference) == (
        Order.Status.PAID,
        staff,
        "FT26328001",
    )
    assert tickets.fulfilled == [(7, order.reference), (9, order.reference)]
    paid = client.get(RECONCILIATION).context["paid"]
    assert [(o.reference, o.confirmed_by) for o in paid] == [(order.reference, staff)]


def test_a_missing_bank_reference_is_asked_for_again(client, order, tickets):
    _staff_client(client, ["Finance"])

    response = client.post(RECONCILIATION, {"order": order.pk, "bank_reference": ""})

    assert response.status_code == 200
    assert response.context["failed_form"].errors
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_staff_without_finance_cannot_reconcile(client, order, tickets):
    # Given a curator (staff, but not finance)
    _staff_client(client, ["Curators"])

    # When they open the screen or post to it
    assert client.get(RECONCILIATION).status_code == 403
    response = client.post(RECONCILIATION, {"order": order.pk, "bank_reference": "FT1"})

    # Then they are refused and nothing changed
    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.paid_at, tickets.fulfilled) == (Order.Status.PENDING, None, [])


def test_a_payer_cannot_reach_reconciliation(client, order, payer, tickets):
    client.force_login(payer)

    response = client.post(RECONCILIATION, {"order": order.pk, "bank_reference": "FT1"})

    # Wagtail sends a non-staff user to log in (as staff) before anything else
    assert response.status_code == 302
    assert response["Location"].startswith("/vi/accounts/login/")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert tickets.fulfilled == []


def test_finance_keeps_the_price_list(client):
    _staff_client(client, ["Finance"])

    response = client.post(
        "/admin/snippets/payments/priceitem/add/",
        {"code": "ve-hoi-cho", "name": "Vé hội chợ", "amount": "350000", "kind": "event_fee"},
    )

    assert response.status_code == 302
    assert PriceItem.objects.values_list("code", "amount").get() == ("ve-hoi-cho", 350_000)
