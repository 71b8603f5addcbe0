"""Who may download an application's files, and under which name."""

from __future__ import annotations

import os

from accounts.models import User
from startups.models import ApplicationFile, ReviewAssignment
from startups.selectors.access import is_programme_staff
from startups.selectors.applications import application_is_applicant


def _reviews_it(*, attachment: ApplicationFile, user: User) -> bool:
    application = attachment.application
    return (
        application.current_phase.open_to_reviewers
        and ReviewAssignment.objects.filter(
            application=application, reviewer=user, conflict=ReviewAssignment.Conflict.NONE
        ).exists()
    )


def application_file_may_download(*, attachment: ApplicationFile, user: User | None) -> bool:
    if not (user and user.is_authenticated):
        return False
    return (
        application_is_applicant(application=attachment.application, user=user)
        or is_programme_staff(user)
        or _reviews_it(attachment=attachment, user=user)
    )


def download_name(*, attachment: ApplicationFile, user: User) -> str:
    """Under blind review a reviewer gets a neutral name, since file names often carry the
    applicant's name; everyone else gets the name it was uploaded with."""
    application = attachment.application
    if (
        application.call.blind_review
        and not is_programme_staff(user)
        and not application_is_applicant(application=application, user=user)
    ):
        extension = os.path.splitext(attachment.name)[1].lower()
        return f"{application.reference}-{attachment.pk}{extension}"
    return attachment.name
