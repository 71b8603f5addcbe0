"""S&T service orders through the HTTP client: the portal's services page and order form,
each organisation seeing only its own orders, and the staff-only admin screens."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts.models import Membership
from market import services
from market.models import ServiceOrder
from payments import services as payments
from payments.models import Order, PriceItem
from tests.conftest import login_with_totp
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db
SERVICES = "/vi/portal/services/"


@pytest.fixture
def valuation():
    return PriceItemFactory(
        name="Định giá công nghệ", kind=PriceItem.Kind.SERVICE, amount=15_000_000
    )


@pytest.fixture
def member(client):
    user = MembershipFactory(
        role=Membership.Role.MEMBER, organisation__verification_status="verified"
    ).user
    client.force_login(user)
    return user


def _service_order(user, valuation, details="Định giá sáng chế") -> ServiceOrder:
    return services.service_order_create(
        organisation=user.memberships.get().organisation,
        actor=user,
        price_item=valuation,
        details=details,
        contact_phone="0912 345 678",
    )


@pytest.fixture
def paid_order(valuation):
    user = MembershipFactory(organisation__verification_status="verified").user
    service_order = _service_order(user, valuation, details="Hiệu chuẩn cân điện tử")
    payments.order_mark_paid(
        order=service_order.order, actor=StaffFactory(groups=["Finance"]), bank_reference="FT1"
    )
    service_order.refresh_from_db()
    return service_order


def test_the_services_page_lists_what_is_on_sale(client, member, valuation):
    PriceItemFactory(name="Gói đã ngừng", kind=PriceItem.Kind.SERVICE, is_active=False)
    PriceItemFactory(
        name="Tin nổi bật 7 ngày", kind=PriceItem.Kind.FEATURED_LISTING, duration_days=7
    )

    content = client.get(SERVICES).content.decode()

    assert "Định giá công nghệ" in content
    assert "15.000.000\N{NO-BREAK SPACE}₫" in content
    assert "Gói đã ngừng" not in content
    assert "Tin nổi bật 7 ngày" not in content
    assert f"/vi/portal/services/{valuation.pk}/order/" in content


def test_a_member_orders_and_is_sent_to_pay(client, member, valuation):
    response = client.post(
        f"/vi/portal/services/{valuation.pk}/order/",
        {
            "details": "Định giá sáng chế máy sấy lạnh.",
            "preferred_date": timezone.localdate().isoformat(),
            "contact_phone": "0912 345 678",
        },
    )

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vi/portal/orders/{order.reference}/"
    assert order.total == 15_000_000
    service_order = ServiceOrder.objects.get()
    assert (service_order.requested_by, service_order.order) == (member, order)


def test_a_missing_phone_is_named_and_nothing_ordered(client, member, valuation):
    response = client.post(
        f"/vi/portal/services/{valuation.pk}/order/",
        {"details": "Định giá", "contact_phone": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"]
    assert not Order.objects.exists()


def test_an_unverified_organisation_is_refused(client, valuation):
    user = MembershipFactory(organisation__verification_status="pending").user
    client.force_login(user)

    response = client.post(
        f"/vi/portal/services/{valuation.pk}/order/",
        {"details": "Định giá", "contact_phone": "0912 345 678"},
    )

    assert response.status_code == 403
    assert not Order.objects.exists()


def test_each_organisation_sees_only_its_own_orders(client, member, valuation, paid_order):
    mine = _service_order(member, valuation, details="Định giá sáng chế của chúng tôi")

    content = client.get(SERVICES).content.decode()

    assert f'data-service-order="{mine.pk}"' in content
    assert f'data-service-order="{paid_order.pk}"' not in content
    assert paid_order.order.reference not in content


def test_members_are_kept_out_of_the_admin_screens(client, member, paid_order):
    for url in (
        "/admin/floor/services/",
        f"/admin/floor/services/{paid_order.pk}/",
    ):
        assert client.get(url).status_code == 302  # to the admin login
    response = client.post(f"/admin/floor/services/{paid_order.pk}/", {"done": "1", "note": "x"})

    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == ServiceOrder.Status.IN_PROGRESS


def test_staff_who_are_not_curators_are_refused(client, paid_order, staff_totp_secret):
    finance = StaffFactory(groups=["Finance"])
    TOTP.activate(finance, staff_totp_secret)
    login_with_totp(client, user=finance, secret=staff_totp_secret)

    listing = client.get("/admin/floor/services/")
    response = client.post(f"/admin/floor/services/{paid_order.pk}/", {"assign": "1"})

    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    paid_order.refresh_from_db()
    assert paid_order.assigned_to is None


def test_curators_filter_take_on_and_finish(curator_client, curator, paid_order, valuation):
    unpaid = _service_order(
        MembershipFactory(organisation__verification_status="verified").user,
        valuation,
        details="Chưa trả tiền",
    )

    in_progress = curator_client.get("/admin/floor/services/").content.decode()
    awaiting = curator_client.get(
        "/admin/floor/services/", {"status": "awaiting_payment"}
    ).content.decode()
    detail = curator_client.get(f"/admin/floor/services/{paid_order.pk}/").content.decode()
    curator_client.post(f"/admin/floor/services/{paid_order.pk}/", {"assign": "1"})
    curator_client.post(
        f"/admin/floor/services/{paid_order.pk}/", {"done": "1", "note": "Đã hiệu chuẩn xong."}
    )

    assert f"/admin/floor/services/{paid_order.pk}/" in in_progress
    assert f"/admin/floor/services/{unpaid.pk}/" not in in_progress
    assert f"/admin/floor/services/{unpaid.pk}/" in awaiting
    assert "Hiệu chuẩn cân điện tử" in detail
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.assigned_to, paid_order.staff_note) == (
        ServiceOrder.Status.DONE,
        curator,
        "Đã hiệu chuẩn xong.",
    )


def test_done_without_a_note_is_refused_in_the_admin(curator_client, paid_order):
    response = curator_client.post(
        f"/admin/floor/services/{paid_order.pk}/", {"done": "1", "note": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    paid_order.refresh_from_db()
    assert paid_order.status == ServiceOrder.Status.IN_PROGRESS
