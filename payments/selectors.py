"""Read queries about orders, scoped to who may see them."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from payments.models import Order, StripeEvent


def order_get_for_payer(*, reference: str, user: User) -> Order | None:
    """The order with this reference if ``user`` belongs to the paying organisation."""
    if not user.is_authenticated:
        return None
    return (
        Order.objects.filter(reference=reference, payer_organisation__memberships__user=user)
        .select_related("payer_organisation", "payer")
        .prefetch_related("lines")
        .first()
    )


def order_list_bank_transfers(*, status: str) -> QuerySet[Order]:
    """Bank-transfer orders in ``status`` for reconciliation, oldest pending first, latest
    paid first."""
    ordering = ["created_at", "pk"] if status == Order.Status.PENDING else ["-paid_at", "-pk"]
    return (
        Order.objects.filter(method=Order.Method.BANK_TRANSFER, status=status)
        .select_related("payer_organisation", "payer", "confirmed_by")
        .prefetch_related("lines")
        .order_by(*ordering)
    )


def order_list_refundable() -> QuerySet[Order]:
    """Paid orders, by bank transfer or card, latest paid first, for finance to refund."""
    return (
        Order.objects.filter(status=Order.Status.PAID)
        .select_related("payer_organisation", "payer", "confirmed_by")
        .prefetch_related("lines")
        .order_by("-paid_at", "-pk")
    )


def order_list_refunded() -> QuerySet[Order]:
    """Refunded orders, latest first, with who refunded them."""
    return (
        Order.objects.filter(status=Order.Status.REFUNDED)
        .select_related("payer_organisation", "refunded_by")
        .order_by("-refunded_at", "-pk")
    )


def stripe_event_list_recent() -> QuerySet[StripeEvent]:
    """Stripe's webhook events, latest first, with what each did."""
    return StripeEvent.objects.order_by("-received_at", "-pk")
