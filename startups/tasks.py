"""Background work of startup support (scheduled by Celery beat in settings)."""

from celery import shared_task

from startups.models import SurveyInvitation
from startups.services import reviews, surveys


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def remind_reviewers_task() -> int:
    """Remind reviewers whose scores are due within two days; each review is reminded once."""
    return reviews.review_remind_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3, time_limit=300)
def send_survey_invitations_task(invitation_ids: list[int], reminder: bool = False) -> int:
    """Email survey invitations (or reminders); each goes out once however often this runs."""
    return sum(
        surveys.survey_invitation_send(invitation=invitation, reminder=reminder)
        for invitation in SurveyInvitation.objects.filter(pk__in=invitation_ids)
    )
