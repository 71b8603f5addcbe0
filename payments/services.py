"""Orders: create one from payables priced on the server; pay it by bank transfer (marked by
finance) or by card (Stripe Checkout, confirmed by webhook) through one path that fulfils each
line exactly once; cancel; refund. All audited."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from accounts.selectors import membership_get
from payments import stripe_api
from payments.models import Order, OrderLine
from payments.payables import payable_handler, payable_revoke
from payments.tasks import send_receipt_task

logger = logging.getLogger(__name__)

RECONCILE_PERMISSION = "payments.reconcile_order"
REFUND_PERMISSION = "payments.refund_order"

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
ORDER_CHECKOUT = register_action(
    "techfloor.order.checkout",
    gettext_lazy("Start card payment"),
    gettext_lazy("Card payment started"),
)
ORDER_PAID_BY_CARD = register_action(
    "techfloor.order.paid_by_card",
    gettext_lazy("Confirm card payment"),
    gettext_lazy("Card payment received"),
)
ORDER_REFUND = register_action(
    "techfloor.order.refund", gettext_lazy("Refund order"), gettext_lazy("Order refunded")
)


def may_reconcile(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(RECONCILE_PERMISSION))


def may_refund(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(REFUND_PERMISSION))


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
    _pay(
        locked,
        method=Order.Method.BANK_TRANSFER,
        confirmed_by=actor,
        bank_reference=bank_reference[:100],
    )
    audit(
        actor=actor,
        action=ORDER_MARK_PAID,
        instance=locked,
        data={"reference": locked.reference, "bank_reference": locked.bank_reference},
    )
    return locked


def _pay(
    locked: Order,
    *,
    method: str,
    confirmed_by: User | None = None,
    bank_reference: str = "",
    payment_intent: str = "",
) -> None:
    """The one way an order becomes paid, whatever the method: the caller holds the order's row
    lock, so a transfer marked and a card confirmed at the same moment fulfil each line once.
    The receipt goes out after commit."""
    if locked.status != Order.Status.PENDING:
        raise ValidationError(
            _("Only an order awaiting payment can be marked paid; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    now = timezone.now()
    locked.status = Order.Status.PAID
    locked.paid_at = now
    locked.method = method
    locked.confirmed_by = confirmed_by
    locked.bank_reference = bank_reference
    locked.stripe_payment_intent = payment_intent
    locked.save(
        update_fields=[
            "status",
            "paid_at",
            "method",
            "confirmed_by",
            "bank_reference",
            "stripe_payment_intent",
        ]
    )
    for line in locked.lines.filter(fulfilled_at=None).order_by("position"):
        payable_handler(line.payable_type).fulfil(line.payable_id, locked)
        line.fulfilled_at = now
        line.save(update_fields=["fulfilled_at"])
    order_id = locked.pk
    transaction.on_commit(lambda: send_receipt_task.delay(order_id))


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
    if locked.stripe_session_id and stripe_api.is_enabled():
        _checkout_close(locked)
    locked.status = Order.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    audit(actor=actor, action=ORDER_CANCEL, instance=locked, data={"reference": locked.reference})
    return locked


def _checkout_close(locked: Order) -> None:
    """A cancelled order must not be paid on a Checkout page left open in another tab: close
    the page, or refuse to cancel when the card payment has gone through."""
    try:
        session = stripe_api.checkout_session_retrieve(locked.stripe_session_id)
        if session.status == "open":
            stripe_api.checkout_session_expire(locked.stripe_session_id)
    except stripe_api.StripeError as error:
        logger.warning("Stripe could not close the Checkout of %s: %s", locked.reference, error)
        raise ValidationError(
            _("The order could not be cancelled now. Try again later."), code="stripe_error"
        ) from error
    if session.status == "complete":
        raise ValidationError(
            _("This order is paid by card; the confirmation is on its way."), code="card_paid"
        )


@transaction.atomic
def order_checkout_start(
    *, order: Order, actor: User, success_url: str, cancel_url: str, language: str
) -> str:
    """Open a Stripe Checkout page for a pending order and return its address. Asking again
    while that page is open returns the same page; once it has expired, a new one."""
    if not stripe_api.is_enabled():
        raise ValidationError(_("Card payments are not available."), code="card_disabled")
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if membership_get(user=actor, organisation=locked.payer_organisation) is None:
        raise PermissionDenied(_("Only a member of the paying organisation may pay this order."))
    if locked.status != Order.Status.PENDING:
        raise ValidationError(
            _("Only an order awaiting payment can be paid; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    idempotency_key = f"checkout-{locked.reference}"
    # Under the row lock: two clicks at once open one page, and finance cannot mark the order
    # paid halfway through (the calls time out, see stripe_api).
    try:
        if locked.stripe_session_id:
            previous = stripe_api.checkout_session_retrieve(locked.stripe_session_id)
            if previous.status == "open":
                return previous.url
            if previous.status == "complete":
                raise ValidationError(
                    _("This order is paid by card; the confirmation is on its way."),
                    code="card_paid",
                )
            # The previous page expired: a new page needs a key of its own.
            idempotency_key = f"checkout-{locked.reference}-after-{locked.stripe_session_id}"
        session = stripe_api.checkout_session_create(
            order=locked,
            success_url=success_url,
            cancel_url=cancel_url,
            language=language,
            idempotency_key=idempotency_key,
        )
    except stripe_api.StripeError as error:
        logger.warning("Stripe refused a Checkout Session for %s: %s", locked.reference, error)
        raise ValidationError(
            _("The card payment could not be started. Try again later or pay by bank transfer."),
            code="stripe_error",
        ) from error
    locked.stripe_session_id = session.id
    locked.save(update_fields=["stripe_session_id"])
    audit(
        actor=actor,
        action=ORDER_CHECKOUT,
        instance=locked,
        data={"reference": locked.reference, "session": session.id},
    )
    return session.url


@transaction.atomic
def order_pay_by_card(
    *, reference: str, session_id: str, payment_intent: str, amount: int, currency: str
) -> str:
    """Stripe says a Checkout Session of the order was paid: pay the order if the amount is
    exactly its total in đồng. Returns what happened, for the webhook's record; anything that
    needs a person is also logged as an error."""
    locked = Order.objects.select_for_update().filter(reference=reference).first()
    if locked is None:
        logger.error("Card payment %s for an unknown order %r", payment_intent, reference)
        return "unknown order"
    if locked.status == Order.Status.PAID and locked.stripe_payment_intent == payment_intent:
        return "already paid"
    if currency != stripe_api.CURRENCY or amount != locked.total:
        logger.error(
            "Card payment %s of %s %s does not match order %s of %s vnd; not fulfilled",
            payment_intent,
            amount,
            currency,
            locked.reference,
            locked.total,
        )
        return f"amount mismatch: {amount} {currency} for {locked.total} vnd"
    if locked.status != Order.Status.PENDING:
        logger.error(
            "Card payment %s for order %s, which is %s: refund it",
            payment_intent,
            locked.reference,
            locked.status,
        )
        return f"order already {locked.status} ({locked.method}): refund the card payment"
    _pay(locked, method=Order.Method.STRIPE, payment_intent=payment_intent)
    locked.stripe_session_id = session_id
    locked.save(update_fields=["stripe_session_id"])
    audit(
        actor=None,
        action=ORDER_PAID_BY_CARD,
        instance=locked,
        data={"reference": locked.reference, "payment_intent": payment_intent, "amount": amount},
    )
    return "paid"


@transaction.atomic
def order_refund(*, order: Order, actor: User, note: str = "") -> Order:
    """Finance give a paid order's money back: a card payment through Stripe's Refund API, a
    bank transfer by a transfer of their own, described in the note. What was delivered is
    withdrawn by the rooms that delivered it."""
    if not may_refund(actor):
        raise PermissionDenied(_("Only finance staff may refund orders."))
    note = note.strip()
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == Order.Status.REFUNDED:
        return locked
    if locked.status != Order.Status.PAID:
        raise ValidationError(_("Only a paid order can be refunded."), code="wrong_status")
    refund_id = ""
    if locked.method == Order.Method.STRIPE:
        try:
            # Under the row lock: two refunds at once make one call, and the key makes even a
            # retried call refund once.
            refund = stripe_api.refund_create(
                payment_intent=locked.stripe_payment_intent,
                idempotency_key=f"refund-{locked.reference}",
            )
        except stripe_api.StripeError as error:
            logger.warning("Stripe refused to refund %s: %s", locked.reference, error)
            raise ValidationError(
                _("Stripe did not refund the payment: %(reason)s")
                % {"reason": error.user_message or error.__class__.__name__},
                code="stripe_error",
            ) from error
        refund_id = refund.id
    elif not note:
        raise ValidationError(
            {"note": _("Say how the money goes back, for example the transfer's reference.")},
            code="required",
        )
    _refund(locked, refunded_by=actor, note=note, stripe_refund_id=refund_id)
    audit(
        actor=actor,
        action=ORDER_REFUND,
        instance=locked,
        data={"reference": locked.reference, "note": note, "stripe_refund": refund_id},
    )
    return locked


@transaction.atomic
def order_record_card_refund(*, payment_intent: str, amount_refunded: int, refund_id: str) -> str:
    """Stripe says a card payment was refunded (perhaps from Stripe's own dashboard): record a
    full refund on its order. Returns what happened, for the webhook's record."""
    locked = (
        Order.objects.select_for_update()
        .filter(stripe_payment_intent=payment_intent, method=Order.Method.STRIPE)
        .first()
    )
    if locked is None:
        return "no order for this payment"
    if locked.status == Order.Status.REFUNDED:
        return "already refunded"
    if locked.status != Order.Status.PAID or amount_refunded != locked.total:
        logger.error(
            "Refund of %s of %s for order %s (%s, %s vnd) left to finance",
            payment_intent,
            amount_refunded,
            locked.reference,
            locked.status,
            locked.total,
        )
        return f"partial refund of {amount_refunded} vnd left to finance"
    _refund(locked, refunded_by=None, note="", stripe_refund_id=refund_id)
    audit(
        actor=None,
        action=ORDER_REFUND,
        instance=locked,
        data={"reference": locked.reference, "stripe_refund": refund_id},
    )
    return "refunded"


def _refund(locked: Order, *, refunded_by: User | None, note: str, stripe_refund_id: str) -> None:
    """Mark a paid order refunded and let each room withdraw what it delivered."""
    locked.status = Order.Status.REFUNDED
    locked.refunded_at = timezone.now()
    locked.refunded_by = refunded_by
    locked.refund_note = note
    locked.stripe_refund_id = stripe_refund_id
    locked.save(
        update_fields=["status", "refunded_at", "refunded_by", "refund_note", "stripe_refund_id"]
    )
    for line in locked.lines.exclude(fulfilled_at=None).order_by("position"):
        payable_revoke(line.payable_type, line.payable_id, locked)
