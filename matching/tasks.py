"""Background work of the matching room: tasks load ids and call services."""

from celery import shared_task
from django.db import OperationalError

from matching import services


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=10, max_retries=5)
def refresh_listing_matches_task(listing_id: int) -> int:
    """Idempotent: the listing's state decides whether its matches are refreshed or removed."""
    return services.refresh_listing_matches(listing_id=listing_id)


def enqueue_refresh(*, listing_id: int, **kwargs) -> None:
    """Receiver of ``listing_published`` and ``listing_unpublished`` (sent after commit)."""
    refresh_listing_matches_task.delay(listing_id)
