"""Calls and applications as applicants, staff and the public may see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, User
from startups.loans import interest_schedule
from startups.models import Application, CallPage, ProgrammePage
from startups.selectors.access import is_programme_staff


def call_list_public(*, programme: ProgrammePage | None = None) -> QuerySet[CallPage]:
    """Live calls, the open ones first by closing date, then the rest newest first."""
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


def application_list_for_staff(*, call: CallPage) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call)
        .exclude(phase="draft")
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def application_may_manage(*, user: User | None) -> bool:
    return is_programme_staff(user)


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
