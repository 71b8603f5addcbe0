"""Stripe's webhook: each event verified by its signature, recorded by its id so that it is
processed once however often it is delivered, and dispatched by type through one table."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import services, stripe_api
from payments.models import Order, StripeEvent

logger = logging.getLogger(__name__)

Handler = Callable[[Mapping[str, Any]], str]


def _session_paid(session: Mapping[str, Any]) -> str:
    """A Checkout Session whose money has arrived: card payments at once, delayed methods
    (bank debits) later with ``async_payment_succeeded``."""
    if session.get("payment_status") != "paid":
        return f"payment {session.get('payment_status')}: waiting"
    return services.order_pay_by_card(
        reference=session.get("client_reference_id") or "",
        session_id=session["id"],
        payment_intent=session.get("payment_intent") or "",
        amount=session.get("amount_total"),
        currency=session.get("currency") or "",
    )


def _session_unpaid(session: Mapping[str, Any]) -> str:
    """The Checkout page expired or its delayed payment failed: the order stays pending, so the
    payer may try again or transfer."""
    return f"order {session.get('client_reference_id')} stays {Order.Status.PENDING}"


def _charge_refunded(charge: Mapping[str, Any]) -> str:
    refunds = (charge.get("refunds") or {}).get("data") or [{}]
    return services.order_record_card_refund(
        payment_intent=charge.get("payment_intent") or "",
        amount_refunded=charge.get("amount_refunded"),
        refund_id=refunds[0].get("id", ""),
    )


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _session_paid,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_unpaid,
    "checkout.session.expired": _session_unpaid,
    "charge.refunded": _charge_refunded,
}


@transaction.atomic
def event_process(event: Mapping[str, Any]) -> StripeEvent:
    """Record the event and run its handler, once per event id. A second delivery waits on the
    first one's row lock, then finds it processed. A handler that raises rolls the record back,
    so that Stripe delivers the event again."""
    data = event["data"]["object"]
    record, _ = StripeEvent.objects.select_for_update().get_or_create(
        event_id=event["id"],
        defaults={
            "type": event["type"],
            "order_reference": (
                data.get("client_reference_id")
                or (data.get("metadata") or {}).get("order_reference")
                or ""
            )[:32],
        },
    )
    if record.processed_at is not None:
        return record
    handler = HANDLERS.get(event["type"])
    record.outcome = handler(data)[:300] if handler else "ignored"
    record.processed_at = timezone.now()
    record.save(update_fields=["outcome", "processed_at"])
    return record


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe signs what it sends; anything unsigned, wrongly signed or older than five minutes
    is refused with 400, and Stripe shows that in its dashboard."""
    if not stripe_api.webhook_enabled() or not request.headers.get("Stripe-Signature"):
        return HttpResponseBadRequest()
    try:
        event = stripe_api.event_construct(
            payload=request.body, signature=request.headers["Stripe-Signature"]
        )
    except (stripe_api.SignatureVerificationError, ValueError) as error:
        logger.warning("Refused a Stripe webhook: %s", error)
        return HttpResponseBadRequest()
    event_process(event)
    return HttpResponse(status=200)
