"""Background work of the trading floor (scheduled by Celery beat in settings)."""

from celery import shared_task

from market import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def expire_listings_task() -> int:
    """Take listings whose validity ended off the floor; safe to run twice."""
    return services.listing_expire_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def remind_expiring_listings_task() -> int:
    """Remind owners two weeks before expiry; each listing is reminded once."""
    return services.listing_remind_expiring()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def end_featuring_task() -> int:
    """Stop featuring listings whose paid period ran out; safe to run twice."""
    return services.listing_feature_end_due()
