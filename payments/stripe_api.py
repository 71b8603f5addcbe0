"""The only module that talks to Stripe: Checkout Sessions, refunds and webhook verification.

The API version is pinned here rather than taken from the SDK, so that upgrading the package
never changes the shape of the objects Stripe sends us. VND is a zero-decimal currency: an
amount is a whole number of đồng and is sent as it is, never multiplied by 100."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import stripe
from django.conf import settings

from payments.models import Order

API_VERSION = "2026-10-28.endive"
CURRENCY = "vnd"
# Connect and read timeouts in seconds: a payer waits on the Checkout call.
TIMEOUT = (5, 30)
# Retries are safe: every POST carries an idempotency key.
MAX_NETWORK_RETRIES = 2

SignatureVerificationError = stripe.SignatureVerificationError
StripeError = stripe.StripeError


def is_enabled() -> bool:
    """Card payments are offered only when the Innovation Center has a Stripe account."""
    return bool(settings.STRIPE_SECRET_KEY)


def webhook_enabled() -> bool:
    """Events are accepted only when they can be verified: an empty secret would sign anything."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
    )


def checkout_session_create(
    *,
    order: Order,
    success_url: str,
    cancel_url: str,
    language: str,
    idempotency_key: str,
) -> stripe.checkout.Session:
    """A hosted Checkout page for the order's lines, each at its unit price in whole đồng."""
    params: dict[str, Any] = {
        "mode": "payment",
        "client_reference_id": order.reference,
        "customer_email": order.payer.email,
        "locale": "vi" if language.startswith("vi") else "en",
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": {"order_reference": order.reference},
        # Refunds made in Stripe's dashboard reach us as charges; this finds their order.
        "payment_intent_data": {"metadata": {"order_reference": order.reference}},
        "line_items": [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": line.unit_amount,
                    "product_data": {"name": line.description},
                },
            }
            for line in order.lines.order_by("position")
        ],
    }
    return _client().v1.checkout.sessions.create(
        params=params, options={"idempotency_key": idempotency_key}
    )


def checkout_session_retrieve(session_id: str) -> stripe.checkout.Session:
    return _client().v1.checkout.sessions.retrieve(session_id)


def checkout_session_expire(session_id: str) -> stripe.checkout.Session:
    """Close an open Checkout page so that nobody can pay on it any more."""
    return _client().v1.checkout.sessions.expire(session_id)


def refund_create(*, payment_intent: str, idempotency_key: str) -> stripe.Refund:
    """Give the whole payment back to the card it came from."""
    return _client().v1.refunds.create(
        params={"payment_intent": payment_intent, "reason": "requested_by_customer"},
        options={"idempotency_key": idempotency_key},
    )


def event_construct(*, payload: bytes, signature: str) -> Mapping[str, Any]:
    """The event Stripe sent, once its signature matches our signing secret and its timestamp
    is within five minutes; raises SignatureVerificationError (or ValueError for a body that
    is not an event) otherwise."""
    event = stripe.Webhook.construct_event(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, api_key=settings.STRIPE_SECRET_KEY
    )
    return event.to_dict()
