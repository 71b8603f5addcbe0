"""Emails about accounts and organisations, each in the recipient's preferred language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import selectors
from accounts.models import Invitation, User, VerificationRequest
from accounts.tasks import send_email_task

CURATORS_GROUP = "Curators"


def absolute_url(path: str) -> str:
    """A full link for emails, which have no request to build one from."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_templated(
    *,
    template: str,
    to: str,
    context: dict,
    language: str = settings.LANGUAGE_CODE,
    headers: dict[str, str] | None = None,
) -> None:
    """Render ``email/<template>_subject.txt`` and ``_body.txt`` in ``language``; a worker
    sends them after the current transaction commits, so a slow mail server never holds up a
    request and a rolled-back action sends nothing."""
    with translation.override(language):
        subject = render_to_string(f"email/{template}_subject.txt", context, using="email").strip()
        body = render_to_string(f"email/{template}_body.txt", context, using="email")
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    transaction.on_commit(
        lambda: send_email_task.delay(to=[to], subject=subject, body=body, headers=headers)
    )


def send_to_users(*, template: str, users: Iterable[User], context: dict) -> None:
    for user in users:
        send_templated(
            template=template,
            to=user.email,
            context={**context, "recipient": user},
            language=user.preferred_language,
        )


def send_invitation(*, invitation: Invitation) -> None:
    """The invitation link; the invitee may not have an account, so Vietnamese first."""
    existing = User.objects.filter(email__iexact=invitation.email).first()
    with translation.override(existing.preferred_language if existing else "vi"):
        link = absolute_url(invitation.get_absolute_url())
    send_templated(
        template="invitation",
        to=invitation.email,
        context={"invitation": invitation, "link": link},
        language=existing.preferred_language if existing else settings.LANGUAGE_CODE,
    )


def send_verification_submitted(*, request: VerificationRequest) -> None:
    """Tell the curators that an organisation waits in the verification queue."""
    curators = selectors.user_list_in_group(name=CURATORS_GROUP)
    link = absolute_url(reverse("accounts_admin:verification_queue"))
    send_to_users(
        template="verification_submitted",
        users=curators,
        context={"request": request, "organisation": request.organisation, "link": link},
    )


def send_verification_decided(*, request: VerificationRequest) -> None:
    """Tell the organisation's managers, and whoever asked, what staff decided."""
    organisation = request.organisation
    managers = selectors.user_list_managing(organisation=organisation)
    recipients = {user.pk: user for user in managers}
    if request.submitted_by and request.submitted_by.is_active:
        recipients[request.submitted_by.pk] = request.submitted_by
    send_to_users(
        template="verification_decided",
        users=recipients.values(),
        context={"request": request, "organisation": organisation},
    )
