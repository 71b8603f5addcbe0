"""A paid connection session from end to end in Chromium: a member registers bringing a
listing and lands on the order's VietQR page → finance mark the bank transfer received in the
admin → the member's registration is confirmed, and the receipt (PDF) and the confirmation
are emailed."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import Membership
from cms.models import EventRegistration
from payments.models import Order, PriceItem
from tests.cms.eventkit import make_event
from tests.e2e.conftest import log_in
from tests.e2e.test_startup_support import staff_member, submit
from tests.factories import PASSWORD, MembershipFactory, PublishedListingFactory
from tests.payments.factories import PriceItemFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_for_a_paid_event_by_bank_transfer(new_page):
    # Given a paid connection session and a member of a verified organisation with a listing
    fee = PriceItemFactory(
        code="phi-ket-noi", name="Phí phiên kết nối", amount=500_000, kind=PriceItem.Kind.EVENT_FEE
    )
    start = timezone.localtime() + datetime.timedelta(days=14)
    event = make_event(
        title="Phiên kết nối công nghệ chế biến nông sản",
        fee=fee,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
    )
    member = MembershipFactory(
        user__email="lan@saykho.vn",
        organisation__legal_name="Công ty TNHH Sấy Khô Miền Tây",
        organisation__verification_status="verified",
        role=Membership.Role.MEMBER,
    )
    listing = PublishedListingFactory(
        organisation=member.organisation, title="Máy sấy bơm nhiệt 500 kg/mẻ"
    )
    accountant, accountant_secret = staff_member("ketoan@ttdmst.vn", ["Finance"])
    # (granted directly too: a race test's flush before this one may have emptied the group)
    accountant.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "reconcile_order"])
    )

    # When the member opens the event and registers, bringing the listing
    page = new_page()
    log_in(page, email=member.user.email, password=PASSWORD, next_url=event.url)
    page.goto(event.url)
    expect(page.locator("[data-fee]")).to_contain_text("500.000")
    with page.expect_navigation():
        page.locator(f"a[href$='/portal/events/{event.pk}/register/']").click()
    page.get_by_label(listing.title).check()
    submit(page, "main form button[type=submit]")

    # Then they land on the order page with the VietQR code and the reference to write
    registration = EventRegistration.objects.get()
    order = Order.objects.get(reference=registration.order_reference)
    page.wait_for_url(f"**/portal/orders/{order.reference}/")
    expect(page.locator("main img[width='296']")).to_be_visible()
    expect(page.locator("main code")).to_have_text(order.reference)
    expect(page.locator("[data-total]")).to_contain_text("500.000")
    assert registration.status == EventRegistration.Status.AWAITING_PAYMENT

    # When finance mark the transfer received on "Bank transfers"
    staff = new_page()
    log_in(
        staff,
        email=accountant.email,
        password=PASSWORD,
        totp_secret=accountant_secret,
        next_url="/admin/payments/transfers/",
    )
    staff.goto("/admin/payments/transfers/")
    staff.fill(f"#bank-reference-{order.pk}", "FT26328123456")
    submit(staff, f"form:has(#bank-reference-{order.pk}) button[type=submit]")

    # Then the member sees the registration confirmed
    page.goto(event.url)
    with translation.override("vi"):
        confirmed = str(EventRegistration.Status.CONFIRMED.label)
    expect(page.locator("[data-registration-status]")).to_contain_text(confirmed)
    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.CONFIRMED
    order.refresh_from_db()
    assert (order.status, order.bank_reference) == (Order.Status.PAID, "FT26328123456")

    # And the receipt, with its PDF, and the confirmation went to the member
    to_member = [message for message in mail.outbox if message.to == [member.user.email]]
    receipts = [message for message in to_member if message.attachments]
    assert len(receipts) == 1
    name, content, mimetype = receipts[0].attachments[0]
    assert (name.endswith(".pdf"), mimetype, content[:5]) == (True, "application/pdf", b"%PDF-")
    assert any(event.title in message.subject for message in to_member)
