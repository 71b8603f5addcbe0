"""Background work of payments: the receipt of a paid order."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils import timezone

from payments.models import Order
from payments.receipts import receipt_email

RECEIPT_MAX_RETRIES = 5


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=RECEIPT_MAX_RETRIES,
)
def send_receipt_task(order_id: int) -> bool:
    """Email the receipt of a paid order once; returns whether this run sent it."""
    order = (
        Order.objects.select_related("payer", "payer_organisation")
        .filter(pk=order_id, receipt_sent_at=None, paid_at__isnull=False)
        .first()
    )
    if order is None:
        return False
    receipt_email(order=order).send()
    Order.objects.filter(pk=order_id, receipt_sent_at=None).update(receipt_sent_at=timezone.now())
    return True
