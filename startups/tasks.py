"""Background work of startup support (scheduled by Celery beat in settings)."""

from celery import shared_task

from startups.services import reviews


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def remind_reviewers_task() -> int:
    """Remind reviewers whose scores are due within two days; each review is reminded once."""
    return reviews.review_remind_due()
