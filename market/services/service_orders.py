"""S&T services ordered from the Innovation Center: a member of a verified organisation orders
one from the price list, payment moves it to the staff (curators), who take it on, work it and
mark it done with a note for the orderer."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from accounts.selectors import membership_get
from market import emails
from market.models import ServiceOrder
from market.selectors import is_curator
from payments.models import Order, PriceItem
from payments.services import order_create

SERVICE_ORDER = "service_order"

SERVICE_ORDER_CREATE = register_action(
    "techfloor.service_order.create",
    gettext_lazy("Order S&T service"),
    gettext_lazy("S&T service ordered"),
)
SERVICE_ORDER_START = register_action(
    "techfloor.service_order.start",
    gettext_lazy("Start S&T service"),
    gettext_lazy("S&T service paid and in progress"),
)
SERVICE_ORDER_ASSIGN = register_action(
    "techfloor.service_order.assign",
    gettext_lazy("Take on S&T service"),
    gettext_lazy("S&T service assigned"),
)
SERVICE_ORDER_COMPLETE = register_action(
    "techfloor.service_order.complete",
    gettext_lazy("Complete S&T service"),
    gettext_lazy("S&T service done"),
)
SERVICE_ORDER_CANCEL = register_action(
    "techfloor.service_order.cancel",
    gettext_lazy("Cancel S&T service"),
    gettext_lazy("S&T service cancelled on refund"),
)


def may_order_service(*, organisation: Organisation | None, user: User) -> bool:
    """Members of a verified organisation order services for it."""
    return (
        organisation is not None
        and organisation.is_verified
        and membership_get(user=user, organisation=organisation) is not None
    )


def _require_staff(actor: User) -> None:
    if not is_curator(actor):
        raise PermissionDenied(_("Only Innovation Center staff may handle service orders."))


@transaction.atomic
def service_order_create(
    *,
    organisation: Organisation,
    actor: User,
    price_item: PriceItem,
    details: str,
    contact_phone: str,
    preferred_date: datetime.date | None = None,
) -> ServiceOrder:
    """Record what the organisation needs and place its order; it awaits payment."""
    if not may_order_service(organisation=organisation, user=actor):
        raise PermissionDenied(
            _("Only members of a verified organisation may order services for it.")
        )
    if not (price_item.is_active and price_item.kind == PriceItem.Kind.SERVICE):
        raise ValidationError(
            {"price_item": _("Choose one of the services on sale.")}, code="invalid"
        )
    errors = {}
    if not details.strip():
        errors["details"] = _("Tell us what you need.")
    if not contact_phone.strip():
        errors["contact_phone"] = _("Give a phone number we can call.")
    if preferred_date and preferred_date < timezone.localdate():
        errors["preferred_date"] = _("Choose a date from today on.")
    if errors:
        raise ValidationError(errors)
    service_order = ServiceOrder(
        organisation=organisation,
        requested_by=actor,
        price_item=price_item,
        details=details.strip(),
        contact_phone=contact_phone.strip(),
        preferred_date=preferred_date,
    )
    service_order.full_clean(exclude=["order"])
    service_order.save()
    service_order.order = order_create(
        payer=actor, organisation=organisation, items=[(SERVICE_ORDER, service_order.pk, 1)]
    )
    service_order.save(update_fields=["order"])
    audit(
        actor=actor,
        action=SERVICE_ORDER_CREATE,
        instance=service_order,
        data={"service": price_item.code, "order": service_order.order.reference},
    )
    return service_order


def service_order_start(*, service_order_id: int, order: Order) -> ServiceOrder:
    """Payment arrived: the order goes to the staff. Runs inside the payment's transaction
    (``market.payables``); the staff are emailed after commit."""
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order_id)
    if service_order.status != ServiceOrder.Status.AWAITING_PAYMENT:
        return service_order
    service_order.status = ServiceOrder.Status.IN_PROGRESS
    service_order.started_at = timezone.now()
    service_order.save(update_fields=["status", "started_at"])
    audit(
        actor=None,
        action=SERVICE_ORDER_START,
        instance=service_order,
        data={"order": order.reference},
    )
    transaction.on_commit(lambda: emails.service_order_paid(service_order=service_order))
    return service_order


@transaction.atomic
def service_order_assign(*, service_order: ServiceOrder, actor: User) -> ServiceOrder:
    """A staff member takes the order on."""
    _require_staff(actor)
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order.pk)
    if service_order.status != ServiceOrder.Status.IN_PROGRESS:
        raise ValidationError(
            _("Only a service order in progress can be taken on."), code="wrong_status"
        )
    service_order.assigned_to = actor
    service_order.save(update_fields=["assigned_to"])
    audit(actor=actor, action=SERVICE_ORDER_ASSIGN, instance=service_order)
    return service_order


@transaction.atomic
def service_order_complete(*, service_order: ServiceOrder, actor: User, note: str) -> ServiceOrder:
    """The work is done: the note tells the orderer the outcome, and they are emailed."""
    _require_staff(actor)
    if not note.strip():
        raise ValidationError({"note": _("Tell the orderer what was done.")}, code="required")
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order.pk)
    if service_order.status != ServiceOrder.Status.IN_PROGRESS:
        raise ValidationError(
            _("Only a service order in progress can be marked done."), code="wrong_status"
        )
    service_order.status = ServiceOrder.Status.DONE
    service_order.completed_at = timezone.now()
    service_order.staff_note = note.strip()
    if service_order.assigned_to_id is None:
        service_order.assigned_to = actor
    service_order.save(update_fields=["status", "completed_at", "staff_note", "assigned_to"])
    audit(actor=actor, action=SERVICE_ORDER_COMPLETE, instance=service_order)
    transaction.on_commit(lambda: emails.service_order_done(service_order=service_order))
    return service_order


def service_order_cancel(*, service_order_id: int, order: Order) -> ServiceOrder:
    """The order was refunded: the service is cancelled, whatever its progress. Runs inside
    the refund's transaction."""
    service_order = ServiceOrder.objects.select_for_update().get(pk=service_order_id)
    if service_order.status == ServiceOrder.Status.CANCELLED:
        return service_order
    service_order.status = ServiceOrder.Status.CANCELLED
    service_order.cancelled_at = timezone.now()
    service_order.save(update_fields=["status", "cancelled_at"])
    audit(
        actor=None,
        action=SERVICE_ORDER_CANCEL,
        instance=service_order,
        data={"order": order.reference},
    )
    return service_order
