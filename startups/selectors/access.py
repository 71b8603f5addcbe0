"""Who is who in startup support: programme staff, incubator managers."""

from __future__ import annotations

from accounts.models import User

STAFF_PERMISSION = "startups.change_application"
REVIEWERS_GROUP = "Reviewers"


def is_programme_staff(user: User | None) -> bool:
    """Innovation Center staff who run calls, screen, assign reviewers and record decisions."""
    return bool(user and user.is_authenticated and user.has_perm(STAFF_PERMISSION))
