"""Staff exports of a call's applications and reviews: the rows here, the files written by
``techfloor.spreadsheets``. What staff see of a call and its scores come from the selectors
every staff page uses (``application_list_for_staff``, ``call_scores``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from startups.models import Application, CallPage, Decision, ReviewAssignment, Score
from startups.selectors.applications import application_list_for_staff
from startups.selectors.reviews import call_scores

# Written for a criterion a reviewer marked N/A, so that nobody reads it as a 0.
NOT_APPLICABLE = "N/A"


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Programme time without its zone: spreadsheets have no time zones, openpyxl refuses
    aware datetimes."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def _eligibility(application: Application) -> str:
    if application.eligibility_override is True:
        return _("Eligible (staff decision)")
    if application.eligibility_override is False:
        return _("Not eligible (staff decision)")
    if application.is_eligible is None:
        return _("Not checked")
    return _("Eligible") if application.is_eligible else _("Not eligible")


def applications_rows(*, call: CallPage) -> Iterator[list]:
    """One row per application: who applied, where it stands, its review score and the
    newest decision."""
    yield [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Province or city"),
        _("Phase"),
        _("Eligibility"),
        _("Submitted at"),
        _("Score"),
        _("Decision"),
    ]
    scores = call_scores(call=call)
    newest_first = Decision.objects.order_by("-decided_at", "-pk")
    applications = application_list_for_staff(call=call).prefetch_related(
        Prefetch("decisions", queryset=newest_first, to_attr="decisions_newest_first")
    )
    for application in applications:
        score = scores.get(application.pk)
        decision = next(iter(application.decisions_newest_first), None)
        yield [
            application.reference,
            application.title,
            application.organisation.legal_name,
            application.organisation.get_province_display(),
            application.current_phase.staff_name,
            _eligibility(application),
            _local(application.submitted_at),
            score.score if score else None,
            decision.get_outcome_display() if decision else None,
        ]


def reviews_rows(*, call: CallPage) -> Iterator[list]:
    """One row per review assignment, one column per rubric criterion (N/A as "N/A", a blank
    where nothing is submitted), and the reviewer's weighted score as ``call_scores`` counts it:
    normalised when the call asks, blank for reviews that do not count."""
    criteria = list(call.criteria.order_by("sort_order", "pk"))
    weighted = _("Weighted score (normalised)") if call.normalise_scores else _("Weighted score")
    yield [
        _("Reference"),
        _("Title"),
        _("Reviewer"),
        _("Conflict of interest"),
        *[criterion.name for criterion in criteria],
        weighted,
        _("Submitted at"),
    ]
    scores = call_scores(call=call)
    reviews = (
        ReviewAssignment.objects.filter(
            application__in=application_list_for_staff(call=call).values("pk")
        )
        .select_related("application", "reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.only("review", "criterion", "value"))
        )
        .order_by("application__submitted_at", "application_id", "assigned_at", "pk")
    )
    for review in reviews:
        submitted = review.submitted_at is not None
        values = {score.criterion_id: score.value for score in review.scores.all()}
        marks = []
        for criterion in criteria:
            if not submitted or criterion.pk not in values:
                marks.append(None)
            elif values[criterion.pk] is None:
                marks.append(NOT_APPLICABLE)
            else:
                marks.append(values[criterion.pk])
        application_score = scores.get(review.application_id)
        yield [
            review.application.reference,
            review.application.title,
            str(review.reviewer),
            review.get_conflict_display(),
            *marks,
            application_score.reviews.get(review.reviewer_id) if application_score else None,
            _local(review.submitted_at),
        ]
