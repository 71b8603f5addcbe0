"""Who is who in startup support: programme staff, incubator managers."""

from __future__ import annotations

from accounts.models import Membership, User

STAFF_PERMISSION = "startups.change_application"
REVIEWERS_GROUP = "Reviewers"


def is_programme_staff(user: User | None) -> bool:
    """Innovation Center staff who run calls, screen, assign reviewers and record decisions."""
    return bool(user and user.is_authenticated and user.has_perm(STAFF_PERMISSION))


def is_member_of(user: User | None, organisation_id: int) -> bool:
    return bool(
        user
        and user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()
    )
