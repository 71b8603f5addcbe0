"""Staff exports of a call's applications and reviews, and of a survey's results: the rows
here, the files written by ``techfloor.spreadsheets``. What staff see of a call and its scores
come from the selectors every staff page uses (``application_list_for_staff``,
``call_scores``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from startups.models import Application, CallPage, Decision, ReviewAssignment, Score, Survey
from startups.selectors.applications import application_list_for_staff
from startups.selectors.reviews import call_scores
from startups.selectors.surveys import (
    GroupResult,
    counted_questions,
    survey_response_list_submitted,
    survey_results,
)

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


def _aggregate_header(questions: list[dict]) -> list[str]:
    columns = []
    for question in questions:
        label = question["label"]
        if question["type"] == "choice":
            columns += [f"{label}: {choice}" for choice in question.get("choices", [])]
        elif question["type"] == "money":
            columns += [f"{label} ({_('sum')})", f"{label} ({_('mean')})"]
        else:
            columns += [f"{label} ({_('answers')})", f"{label} ({_('mean')})"]
    return columns


def _aggregate_cells(group: GroupResult, questions: list[dict]) -> list:
    cells: list = []
    for question in questions:
        result = group.questions[question["id"]]
        if question["type"] == "choice":
            cells += [result.distribution[choice] for choice in question.get("choices", [])]
        elif question["type"] == "money":
            mean = result.mean
            cells += [int(result.total), round(mean) if mean is not None else None]
        else:
            mean = result.mean
            cells += [result.count, float(round(mean, 2)) if mean is not None else None]
    return cells


def survey_aggregate_rows(*, survey: Survey) -> Iterator[list]:
    """All submitted responses, then per province, then per sector: counts, sums and means of
    numbers and amounts, and how often each choice was chosen."""
    questions = counted_questions(survey=survey)
    yield [_("Grouping"), _("Group"), _("Responses"), _("Needs"), *_aggregate_header(questions)]
    for grouping, by in ((_("All"), None), (_("Province"), "province"), (_("Sector"), "sector")):
        for group in survey_results(survey=survey, by=by):
            yield [
                grouping,
                group.label,
                group.responses,
                group.needs,
                *_aggregate_cells(group, questions),
            ]


def _answer_cell(question: dict, answer) -> object:
    if answer in (None, "", []):
        return None
    if question["type"] == "choice":
        return ", ".join(answer)
    if question["type"] == "needs":
        return "\n".join(
            row["title"] + (f" ({row['budget']} VND)" if row.get("budget") else "")
            for row in answer
        )
    if question["type"] == "number":
        return float(answer)
    return answer


def survey_response_rows(*, survey: Survey) -> Iterator[list]:
    """One row per submitted response, one column per question of the survey as it is now."""
    questions = [q for q in survey.form_definition() if q["type"] != "section"]
    yield [
        _("Organisation"),
        _("Province or city"),
        _("Sectors"),
        _("Submitted at"),
        _("Submitted by"),
        *[question["label"] for question in questions],
    ]
    for response in survey_response_list_submitted(survey=survey):
        organisation = response.organisation
        yield [
            organisation.legal_name,
            organisation.get_province_display(),
            ", ".join(sector.name for sector in organisation.sectors.all()),
            _local(response.submitted_at),
            str(response.submitted_by) if response.submitted_by else _("Personal link"),
            *[_answer_cell(q, response.answers.get(q["id"])) for q in questions],
        ]
