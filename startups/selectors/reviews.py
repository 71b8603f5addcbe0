"""Reviews as reviewers and staff read them, and the scores every page and export shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from startups.models import Application, CallPage, ReviewAssignment, Score
from startups.scoring import Mark, mean_score, normalise, weighted_score


def review_list_for_reviewer(*, reviewer: User) -> QuerySet[ReviewAssignment]:
    """A reviewer's assignments, conflicts declared or not; what they may open is decided by
    ``review_may_read``."""
    return (
        ReviewAssignment.objects.filter(reviewer=reviewer)
        .exclude(conflict=ReviewAssignment.Conflict.DECLARED)
        .select_related("application", "application__call")
        .order_by("submitted_at", "assigned_at")
    )


def review_may_read(*, review: ReviewAssignment, user: User | None) -> bool:
    """Only the assigned reviewer, only after declaring no conflict, only while the
    application is in a phase open to reviewers."""
    return bool(
        user
        and user.is_authenticated
        and review.reviewer_id == user.pk
        and review.may_read
        and review.application.current_phase.open_to_reviewers
    )


@dataclass(frozen=True)
class ApplicationScore:
    application_id: int
    score: Decimal | None
    reviews: dict[int, Decimal]  # reviewer id → that reviewer's weighted score (as shown)


def call_scores(*, call: CallPage) -> dict[int, ApplicationScore]:
    """Every application's score in a call from its submitted reviews, in two queries.

    Reviews with a declared conflict or not yet submitted do not count; when the call asks
    for it, each reviewer's scores are normalised first (``scoring.normalise``)."""
    rows = Score.objects.filter(
        review__application__call=call,
        review__submitted_at__isnull=False,
        review__conflict=ReviewAssignment.Conflict.NONE,
    ).values_list(
        "review__reviewer_id",
        "review__application_id",
        "value",
        "criterion__weight",
        "criterion__scale",
    )
    marks: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for reviewer_id, application_id, value, weight, scale in rows:
        marks[(reviewer_id, application_id)].append(Mark(value=value, weight=weight, scale=scale))
    reviews = {
        key: score
        for key, mark_list in marks.items()
        if (score := weighted_score(mark_list)) is not None
    }
    if call.normalise_scores:
        reviews = normalise(reviews)
    by_application: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (reviewer_id, application_id), score in reviews.items():
        by_application[application_id][reviewer_id] = score
    application_ids = Application.objects.filter(call=call).values_list("pk", flat=True)
    return {
        pk: ApplicationScore(
            application_id=pk,
            score=mean_score(by_application[pk].values()),
            reviews=dict(by_application[pk]),
        )
        for pk in application_ids
    }


def review_list_for_staff(*, application: Application) -> QuerySet[ReviewAssignment]:
    """Every assignment of an application, conflicts included, with the reviewer and the
    scores given criterion by criterion, for staff."""
    return (
        ReviewAssignment.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__sort_order", "criterion__pk"
                ),
            )
        )
        .order_by("assigned_at", "pk")
    )
