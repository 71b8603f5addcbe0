"""Who is who in startup support: programme staff, incubator managers."""

from __future__ import annotations

from accounts.models import User

STAFF_PERMISSION = "startups.change_application"
DISBURSE_PERMISSION = "startups.add_disbursement"
REVIEWERS_GROUP = "Reviewers"


def is_programme_staff(user: User | None) -> bool:
    """Innovation Center staff who run calls, screen, assign reviewers and record decisions."""
    return bool(user and user.is_authenticated and user.has_perm(STAFF_PERMISSION))


def is_finance(user: User | None) -> bool:
    """Finance staff, who release disbursements against accepted milestones."""
    return bool(user and user.is_authenticated and user.has_perm(DISBURSE_PERMISSION))


def may_follow_agreements(user: User | None) -> bool:
    """Programme staff run support agreements; finance reads them to release money."""
    return is_programme_staff(user) or is_finance(user)
