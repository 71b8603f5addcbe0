"""Background work of the matching room: tasks load ids and call services."""

from celery import shared_task
from django.db import OperationalError

from matching import alerts, services


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=10, max_retries=5)
def listing_changed_task(listing_id: int) -> int:
    """Idempotent: the listing's state decides whether its matches are refreshed or removed;
    alerts already queued are not queued again."""
    return services.listing_changed(listing_id=listing_id)


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=10, max_retries=5)
def send_alerts_task(frequency: str) -> int:
    """Send the alerts due at this frequency (beat: daily and weekly; publish: immediate)."""
    return alerts.send_alerts(frequency=frequency)


def enqueue_refresh(*, listing_id: int, **kwargs) -> None:
    """Receiver of ``listing_published`` and ``listing_unpublished`` (sent after commit)."""
    listing_changed_task.delay(listing_id)
