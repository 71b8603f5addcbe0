"""Calls and applications as applicants, staff and the public may see them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, User
from startups.loans import interest_schedule
from startups.models import Application, CallPage, ProgrammePage, ReviewAssignment


def call_list_public(*, programme: ProgrammePage | None = None) -> QuerySet[CallPage]:
    """Live calls (of one programme when given), the latest to close first."""
    queryset = CallPage.objects.live().public()
    if programme is not None:
        queryset = queryset.child_of(programme)
    return queryset.order_by("-closes_at")


def call_list_open(*, at=None) -> QuerySet[CallPage]:
    at = at or timezone.now()
    return (CallPage.objects.live().public().filter(opens_at__lte=at, closes_at__gt=at)).order_by(
        "closes_at"
    )


def application_is_applicant(*, application: Application, user: User | None) -> bool:
    """The applicant side: whoever created it, its co-applicants, and the organisation's
    owners and administrators."""
    if not (user and user.is_authenticated):
        return False
    if application.created_by_id == user.pk:
        return True
    if application.co_applicants.filter(pk=user.pk).exists():
        return True
    return Membership.objects.filter(
        user=user,
        organisation_id=application.organisation_id,
        role__in=[Membership.Role.OWNER, Membership.Role.ADMIN],
    ).exists()


def application_list_for_applicant(*, user: User) -> QuerySet[Application]:
    """Applications the user may follow as an applicant, newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    managed = Membership.objects.filter(
        user=user, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
    ).values("organisation_id")
    return (
        Application.objects.filter(
            Q(created_by=user) | Q(co_applicants=user) | Q(organisation_id__in=managed)
        )
        .distinct()
        .select_related("call", "organisation")
        .order_by("-updated_at")
    )


def application_list_for_staff(
    *, call: CallPage, phase: str | None = None
) -> QuerySet[Application]:
    """A call's applications but its drafts (the applicants' own until submitted), optionally
    in one phase, each with ``reviewers_assigned`` (declared conflicts left out) and
    ``reviewers_submitted``, in one query."""
    active = ~Q(reviews__conflict=ReviewAssignment.Conflict.DECLARED)
    queryset = (
        Application.objects.filter(call=call)
        .exclude(phase=call.workflow.initial)
        .select_related("organisation")
        .annotate(
            reviewers_assigned=Count("reviews", filter=active, distinct=True),
            reviewers_submitted=Count(
                "reviews", filter=active & Q(reviews__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("submitted_at", "pk")
    )
    if phase:
        queryset = queryset.filter(phase=phase)
    return queryset


def call_phase_counts(*, calls) -> dict[int, dict[str, int]]:
    """How many applications each call has per phase, drafts left out, in one query."""
    counts: dict[int, dict[str, int]] = {call.pk: {} for call in calls}
    rows = (
        Application.objects.filter(call__in=list(counts))
        .values_list("call_id", "phase")
        .annotate(count=Count("pk"))
        .order_by()
    )
    drafts = {call.pk: call.workflow.initial for call in calls}
    for call_id, phase, count in rows:
        if phase != drafts[call_id]:
            counts[call_id][phase] = count
    return counts


def application_answers(*, application: Application) -> list[dict]:
    """Question, kind and answer (files included) in the order of the frozen form."""
    files = {item.field_id: item for item in application.files.all()}
    return [
        {
            "question": question,
            "answer": application.answers.get(question["id"]),
            "file": files.get(question["id"]),
        }
        for question in application.form
    ]


def agreement_interest_schedule(*, agreement) -> list:
    """The loan interest support month by month, or nothing when the agreement grants none."""
    if agreement is None or not agreement.has_loan_support:
        return []
    return interest_schedule(
        principal=agreement.loan_principal,
        annual_rate=agreement.loan_annual_rate or 0,
        term_months=agreement.loan_term_months,
        supported_share=agreement.loan_supported_share,
    )


def application_history(*, application: Application) -> list[dict]:
    """Each phase change under the applicant-facing name of the phase it led to."""
    workflow = application.workflow
    return [
        {
            "at": change.created_at,
            "phase": workflow.phase(change.target).applicant_name,
            "reason": change.reason,
        }
        for change in application.phase_changes.all()
    ]


def application_history_for_staff(*, application: Application) -> list[dict]:
    """Each phase change under the staff-facing names, with who took it and why."""
    workflow = application.workflow
    return [
        {
            "at": change.created_at,
            "transition": workflow.transition(change.transition).name
            if change.transition in workflow.transitions
            else change.transition,
            "phase": workflow.phase(change.target).staff_name,
            "actor": change.actor,
            "reason": change.reason,
        }
        for change in application.phase_changes.select_related("actor")
    ]
