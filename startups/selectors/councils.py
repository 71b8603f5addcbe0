"""Council sessions as programme staff prepare and run them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from startups.models import (
    Application,
    CallPage,
    CouncilMember,
    CouncilScore,
    CouncilSession,
    Decision,
    ReviewAssignment,
)
from startups.selectors.access import REVIEWERS_GROUP
from startups.selectors.reviews import call_scores


def council_member_candidates() -> QuerySet[User]:
    """Who may sit on a council: active staff, reviewers and experts in the directory."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name=REVIEWERS_GROUP) | Q(expert__isnull=False))
        .distinct()
        .order_by("full_name", "email")
    )


def council_agenda_candidates(*, call: CallPage) -> QuerySet[Application]:
    """The call's applications waiting for a council (phases flagged ``on_council_agenda``)."""
    return (
        Application.objects.filter(
            call=call, phase__in=call.workflow.phases_where("on_council_agenda")
        )
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def council_session_list(*, call: CallPage | None = None) -> QuerySet[CouncilSession]:
    """Sessions, the next first, with their agenda size and members present."""
    queryset = CouncilSession.objects.select_related("call").annotate(
        agenda_size=Count("agenda", distinct=True),
        members_count=Count("members", distinct=True),
        present_count=Count("members", filter=Q(members__is_present=True), distinct=True),
    )
    if call is not None:
        queryset = queryset.filter(call=call)
    return queryset.order_by("-meets_at", "-pk")


@dataclass
class AgendaItem:
    application: Application
    review_score: Decimal | None
    reviews: list[tuple[ReviewAssignment, Decimal | None]] = field(default_factory=list)
    sheets: list[CouncilScore] = field(default_factory=list)
    decision: Decision | None = None


def council_session_agenda(*, session: CouncilSession) -> list[AgendaItem]:
    """Each application on the agenda with its review scores (by reviewer), every member's
    score sheet line, and the session's newest decision on it, in a fixed number of queries."""
    agenda = list(session.agenda.select_related("organisation").order_by("submitted_at", "pk"))
    scores = call_scores(call=session.call)
    items = {
        application.pk: AgendaItem(
            application=application,
            review_score=scores[application.pk].score if application.pk in scores else None,
        )
        for application in agenda
    }
    submitted = (
        ReviewAssignment.objects.filter(application__in=agenda, submitted_at__isnull=False)
        .exclude(conflict=ReviewAssignment.Conflict.DECLARED)
        .select_related("reviewer")
        .order_by("submitted_at", "pk")
    )
    for review in submitted:
        by_reviewer = scores[review.application_id].reviews
        items[review.application_id].reviews.append((review, by_reviewer.get(review.reviewer_id)))
    for sheet in session.scores.select_related("member__user").order_by("member__role", "pk"):
        if sheet.application_id in items:
            items[sheet.application_id].sheets.append(sheet)
    for decision in session.decisions.order_by("-decided_at", "-pk"):
        item = items.get(decision.application_id)
        if item is not None and item.decision is None:
            item.decision = decision
    return list(items.values())


def council_members(*, session: CouncilSession) -> QuerySet[CouncilMember]:
    return session.members.select_related("user").order_by("role", "pk")
