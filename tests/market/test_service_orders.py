"""S&T service orders: ordering (members of verified organisations, priced on the server),
payment moving them to the staff with an email, staff taking them on and marking them done,
and a refund cancelling them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import Membership, Organisation
from market import services
from market.models import ServiceOrder
from market.services import service_orders
from payments import services as payments
from payments.models import Order, PriceItem
from payments.payables import payable_handler
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(
        role=Membership.Role.MEMBER, organisation__verification_status="verified"
    ).user


@pytest.fixture
def organisation(member):
    return member.memberships.get().organisation


@pytest.fixture
def valuation():
    return PriceItemFactory(
        code="dinh-gia-cong-nghe",
        name="Định giá công nghệ",
        kind=PriceItem.Kind.SERVICE,
        amount=15_000_000,
    )


@pytest.fixture
def finance():
    return StaffFactory(groups=["Finance"])


def _order(organisation, member, valuation, **fields) -> ServiceOrder:
    return services.service_order_create(
        organisation=organisation,
        actor=member,
        price_item=valuation,
        details=fields.pop("details", "Định giá sáng chế máy sấy lạnh trước khi chuyển giao."),
        contact_phone=fields.pop("contact_phone", "0912 345 678"),
        preferred_date=fields.pop("preferred_date", timezone.localdate()),
    )


def _pay(service_order: ServiceOrder, finance) -> Order:
    return payments.order_mark_paid(
        order=service_order.order, actor=finance, bank_reference="FT26110001"
    )


def test_the_order_costs_the_service_and_awaits_payment(organisation, member, valuation):
    service_order = _order(organisation, member, valuation)

    order = service_order.order
    line = order.lines.get()
    assert (order.total, order.status, order.payer_organisation) == (
        15_000_000,
        Order.Status.PENDING,
        organisation,
    )
    assert (line.payable_type, line.payable_id, line.description) == (
        "service_order",
        service_order.pk,
        "Định giá công nghệ",
    )
    assert service_order.status == ServiceOrder.Status.AWAITING_PAYMENT
    assert ModelLogEntry.objects.filter(action=service_orders.SERVICE_ORDER_CREATE).count() == 1


def test_an_unverified_organisation_may_not_order(member, organisation, valuation):
    Organisation.objects.filter(pk=organisation.pk).update(
        verification_status=Organisation.Verification.PENDING
    )
    organisation.refresh_from_db()

    with pytest.raises(PermissionDenied):
        _order(organisation, member, valuation)
    assert not ServiceOrder.objects.exists()
    assert not Order.objects.exists()


def test_only_members_order_for_an_organisation(organisation, valuation):
    with pytest.raises(PermissionDenied):
        _order(organisation, MembershipFactory().user, valuation)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"details": "  "}, "details"),
        ({"contact_phone": ""}, "contact_phone"),
        ({"preferred_date": datetime.date(2020, 1, 1)}, "preferred_date"),
    ],
)
def test_what_is_missing_is_named(organisation, member, valuation, fields, field):
    with pytest.raises(ValidationError) as error:
        _order(organisation, member, valuation, **fields)
    assert list(error.value.message_dict) == [field]
    assert not Order.objects.exists()


def test_a_featuring_plan_is_no_service(organisation, member):
    plan = PriceItemFactory(kind=PriceItem.Kind.FEATURED_LISTING, duration_days=7)

    with pytest.raises(ValidationError) as error:
        _order(organisation, member, plan)
    assert "price_item" in error.value.message_dict


def test_payment_moves_it_to_the_staff_and_emails_them(
    organisation, member, valuation, finance, django_capture_on_commit_callbacks
):
    curator = StaffFactory(preferred_language="en")
    service_order = _order(organisation, member, valuation)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _pay(service_order, finance)

    service_order.refresh_from_db()
    assert service_order.status == ServiceOrder.Status.IN_PROGRESS
    assert service_order.started_at is not None
    # (payments may also send the payer a receipt)
    to_staff = [message for message in mail.outbox if "Service order" in message.subject]
    assert [message.to for message in to_staff] == [[curator.email]]
    assert to_staff[0].subject.endswith("Service order to handle: Định giá công nghệ")
    assert ModelLogEntry.objects.filter(action=service_orders.SERVICE_ORDER_START).count() == 1


def test_staff_take_it_on_and_mark_it_done(
    organisation, member, valuation, finance, django_capture_on_commit_callbacks
):
    curator = StaffFactory()
    service_order = _order(organisation, member, valuation)
    _pay(service_order, finance)
    mail.outbox.clear()

    services.service_order_assign(service_order=service_order, actor=curator)
    with django_capture_on_commit_callbacks(execute=True):
        services.service_order_complete(
            service_order=service_order, actor=curator, note="Chứng thư định giá gửi qua email."
        )

    service_order.refresh_from_db()
    assert (service_order.status, service_order.assigned_to, service_order.staff_note) == (
        ServiceOrder.Status.DONE,
        curator,
        "Chứng thư định giá gửi qua email.",
    )
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "Định giá công nghệ" in mail.outbox[0].subject
    assert "Chứng thư định giá gửi qua email." in mail.outbox[0].body


def test_members_may_not_handle_orders(organisation, member, valuation, finance):
    service_order = _order(organisation, member, valuation)
    _pay(service_order, finance)

    with pytest.raises(PermissionDenied):
        services.service_order_assign(service_order=service_order, actor=member)
    with pytest.raises(PermissionDenied):
        services.service_order_complete(service_order=service_order, actor=member, note="Xong")

    service_order.refresh_from_db()
    assert (service_order.status, service_order.assigned_to) == (
        ServiceOrder.Status.IN_PROGRESS,
        None,
    )


def test_an_unpaid_order_is_not_worked(organisation, member, valuation):
    service_order = _order(organisation, member, valuation)

    with pytest.raises(ValidationError):
        services.service_order_complete(
            service_order=service_order, actor=StaffFactory(), note="Xong"
        )
    service_order.refresh_from_db()
    assert service_order.status == ServiceOrder.Status.AWAITING_PAYMENT


def test_done_needs_a_note(organisation, member, valuation, finance):
    service_order = _order(organisation, member, valuation)
    _pay(service_order, finance)

    with pytest.raises(ValidationError) as error:
        services.service_order_complete(service_order=service_order, actor=StaffFactory(), note=" ")
    assert list(error.value.message_dict) == ["note"]


def test_revoke_cancels_the_service_order(organisation, member, valuation, finance):
    service_order = _order(organisation, member, valuation)
    order = _pay(service_order, finance)

    payable_handler("service_order").revoke(service_order.pk, order)
    payable_handler("service_order").revoke(service_order.pk, order)  # once is enough

    service_order.refresh_from_db()
    assert service_order.status == ServiceOrder.Status.CANCELLED
    assert service_order.cancelled_at is not None
    assert ModelLogEntry.objects.filter(action=service_orders.SERVICE_ORDER_CANCEL).count() == 1


def test_finance_refunding_the_order_cancels_the_service(organisation, member, valuation, finance):
    service_order = _order(organisation, member, valuation)
    order = _pay(service_order, finance)

    payments.order_refund(order=order, actor=finance, note="Hoàn tiền FT26110099")

    service_order.refresh_from_db()
    assert service_order.status == ServiceOrder.Status.CANCELLED
