"""Orders: create one from payables priced on the server, mark a bank transfer received
(fulfilling each line exactly once), cancel. All audited."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from accounts.selectors import membership_get
from payments.models import Order, OrderLine
from payments.payables import payable_handler

RECONCILE_PERMISSION = "payments.reconcile_order"

ORDER_CREATE = register_action(
    "techfloor.order.create", gettext_lazy("Place order"), gettext_lazy("Order placed")
)
ORDER_MARK_PAID = register_action(
    "techfloor.order.mark_paid",
    gettext_lazy("Mark transfer received"),
    gettext_lazy("Bank transfer received"),
)
ORDER_CANCEL = register_action(
    "techfloor.order.cancel", gettext_lazy("Cancel order"), gettext_lazy("Order cancelled")
)


def may_reconcile(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(RECONCILE_PERMISSION))


def _reference(order: Order) -> str:
    """Short enough to type into a transfer: the year and the order's number."""
    return f"TF-{timezone.localdate(order.created_at).year}-{order.pk:06d}"


@transaction.atomic
def order_create(
    *,
    payer: User,
    organisation: Organisation,
    items: list[tuple[str, int, int]],
    method: str = Order.Method.BANK_TRANSFER,
) -> Order:
    """Order ``(payable_type, payable_id, quantity)`` items for an organisation the payer
    belongs to; every price comes from the payable's handler, never from the browser."""
    if membership_get(user=payer, organisation=organisation) is None:
        raise PermissionDenied(_("Only a member of the organisation may order for it."))
    if not items:
        raise ValidationError(_("An order needs at least one item."), code="empty")
    lines = []
    for position, (payable_type, payable_id, quantity) in enumerate(items, start=1):
        handler = payable_handler(payable_type)
        if int(quantity) < 1:
            raise ValidationError(_("Quantities are whole numbers from 1."), code="quantity")
        if not handler.is_payable(payable_id, payer):
            raise ValidationError(_("One of the items cannot be bought now."), code="not_payable")
        description, unit_amount = handler.describe(payable_id)
        lines.append(
            OrderLine(
                position=position,
                description=description[:300],
                quantity=int(quantity),
                unit_amount=int(unit_amount),
                amount=int(quantity) * int(unit_amount),
                payable_type=payable_type,
                payable_id=payable_id,
            )
        )
    order = Order(
        # A placeholder until the row has its number; unique so that orders placed at the same
        # moment never collide on it.
        reference=uuid.uuid4().hex,
        payer_organisation=organisation,
        payer=payer,
        total=sum(line.amount for line in lines),
        method=method,
    )
    order.full_clean(exclude=["reference"])
    order.save()
    order.reference = _reference(order)
    order.save(update_fields=["reference"])
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    audit(
        actor=payer,
        action=ORDER_CREATE,
        instance=order,
        data={"reference": order.reference, "total": order.total},
    )
    return order


@transaction.atomic
def order_mark_paid(*, order: Order, actor: User, bank_reference: str) -> Order:
    """Staff record that the bank transfer for ``order`` arrived; each line is fulfilled once.
    Marking an order already paid changes nothing."""
    if not may_reconcile(actor):
        raise PermissionDenied(_("Only finance staff may mark transfers received."))
    bank_reference = bank_reference.strip()
    if not bank_reference:
        raise ValidationError(
            {"bank_reference": _("Give the bank's transaction reference.")}, code="required"
        )
    # The row lock makes a second reconciliation wait, then see the order paid and stop.
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == Order.Status.PAID:
        return locked
    if locked.status != Order.Status.PENDING:
        raise ValidationError(
            _("Only an order awaiting payment can be marked paid; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    now = timezone.now()
    locked.status = Order.Status.PAID
    locked.paid_at = now
    locked.confirmed_by = actor
    locked.bank_reference = bank_reference[:100]
    locked.save(update_fields=["status", "paid_at", "confirmed_by", "bank_reference"])
    for line in locked.lines.filter(fulfilled_at=None).order_by("position"):
        payable_handler(line.payable_type).fulfil(line.payable_id, locked)
        line.fulfilled_at = now
        line.save(update_fields=["fulfilled_at"])
    audit(
        actor=actor,
        action=ORDER_MARK_PAID,
        instance=locked,
        data={"reference": locked.reference, "bank_reference": locked.bank_reference},
    )
    return locked


@transaction.atomic
def order_cancel(*, order: Order, actor: User) -> Order:
    """The payer's organisation or finance staff withdraw an order not yet paid."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    is_payer = membership_get(user=actor, organisation=locked.payer_organisation) is not None
    if not (is_payer or may_reconcile(actor)):
        raise PermissionDenied(_("You may not cancel this order."))
    if locked.status == Order.Status.CANCELLED:
        return locked
    if locked.status != Order.Status.PENDING:
        raise ValidationError(
            _("Only an order awaiting payment can be cancelled."), code="wrong_status"
        )
    locked.status = Order.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    audit(actor=actor, action=ORDER_CANCEL, instance=locked, data={"reference": locked.reference})
    return locked
