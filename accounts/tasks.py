"""Background work of the accounts room."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.core.mail import EmailMessage

# SMTP servers drop connections and greylist; a few spaced retries get the mail through.
EMAIL_MAX_RETRIES = 5


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=EMAIL_MAX_RETRIES,
)
def send_email_task(
    *, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None
) -> int:
    """Send one rendered email; returns the number of messages sent (0 or 1)."""
    return EmailMessage(subject=subject, body=body, to=to, headers=headers).send()
