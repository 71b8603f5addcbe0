"""Expert review: assignment (by hand or balanced by sector and load), the conflict-of-interest
declaration that must come first, scoring the rubric, and reminders before the deadline."""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Membership, User
from startups import emails
from startups.models import Application, CallPage, ReviewAssignment, Score
from startups.selectors.access import REVIEWERS_GROUP, is_programme_staff
from startups.selectors.reviews import review_may_read

REMIND_BEFORE = datetime.timedelta(days=2)

REVIEW_ASSIGN = register_action(
    "techfloor.review.assign", gettext_lazy("Assign reviewer"), gettext_lazy("Reviewer assigned")
)
REVIEW_DECLARE = register_action(
    "techfloor.review.declare",
    gettext_lazy("Declare conflict of interest"),
    gettext_lazy("Conflict of interest declared"),
)
REVIEW_SCORE = register_action(
    "techfloor.review.score", gettext_lazy("Score application"), gettext_lazy("Scores submitted")
)


def reviewer_pool() -> list[User]:
    """Active members of the Reviewers group and experts who review, each once."""
    return list(
        User.objects.filter(
            Q(groups__name=REVIEWERS_GROUP) | Q(expert__is_reviewer=True), is_active=True
        )
        .distinct()
        .prefetch_related("expert__sectors")
    )


def _is_insider(reviewer: User, application: Application) -> bool:
    """A member of the applying organisation has a conflict by definition."""
    return Membership.objects.filter(
        user=reviewer, organisation_id=application.organisation_id
    ).exists()


@transaction.atomic
def review_assign(*, application: Application, reviewer: User, actor: User) -> ReviewAssignment:
    """Ask ``reviewer`` to review; they see nothing until they declare no conflict."""
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may assign reviewers."))
    if not application.current_phase.open_to_reviewers:
        raise ValidationError(
            _("Reviewers are assigned once the application is in review."), code="wrong_phase"
        )
    if _is_insider(reviewer, application):
        raise ValidationError(
            {
                "reviewer": _("%(reviewer)s belongs to the applying organisation.")
                % {"reviewer": reviewer}
            },
            code="insider",
        )
    review, created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if not created:
        raise ValidationError(
            {"reviewer": _("%(reviewer)s is already assigned.") % {"reviewer": reviewer}},
            code="duplicate",
        )
    audit(actor=actor, action=REVIEW_ASSIGN, instance=application, data={"reviewer": reviewer.pk})
    emails.send_review_assigned(review=review)
    return review


@transaction.atomic
def review_assign_balanced(*, call: CallPage, actor: User) -> list[ReviewAssignment]:
    """Fill every application in review up to the call's number of reviewers, choosing for each
    the reviewers whose sectors overlap the applicant's most, then the least loaded in this
    call; insiders and reviewers who declared a conflict on it are never chosen."""
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may assign reviewers."))
    pool = reviewer_pool()
    if not pool:
        raise ValidationError(_("There are no reviewers: add people to the Reviewers group."))
    review_phases = call.workflow.phases_where("open_to_reviewers")
    applications = list(
        Application.objects.filter(call=call, phase__in=review_phases)
        .annotate(
            active=Count("reviews", filter=~Q(reviews__conflict=ReviewAssignment.Conflict.DECLARED))
        )
        .filter(active__lt=call.reviewers_per_application)
        .prefetch_related("organisation__sectors", "organisation__memberships", "reviews")
        .order_by("submitted_at", "pk")
    )
    load = Counter(
        ReviewAssignment.objects.filter(application__call=call)
        .exclude(conflict=ReviewAssignment.Conflict.DECLARED)
        .values_list("reviewer_id", flat=True)
    )
    sectors_of = {
        user.pk: {sector.pk for sector in user.expert.sectors.all()}
        if hasattr(user, "expert")
        else set()
        for user in pool
    }
    created = []
    for application in applications:
        taken = {review.reviewer_id for review in application.reviews.all()}
        insiders = {membership.user_id for membership in application.organisation.memberships.all()}
        wanted = {sector.pk for sector in application.organisation.sectors.all()}
        candidates = [user for user in pool if user.pk not in taken | insiders]
        candidates.sort(
            key=lambda user: (-len(sectors_of[user.pk] & wanted), load[user.pk], user.pk)
        )
        for reviewer in candidates[: call.reviewers_per_application - application.active]:
            review = ReviewAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_by=actor
            )
            load[reviewer.pk] += 1
            audit(
                actor=actor,
                action=REVIEW_ASSIGN,
                instance=application,
                data={"reviewer": reviewer.pk, "balanced": True},
            )
            emails.send_review_assigned(review=review)
            created.append(review)
    return created


def _locked_review(review: ReviewAssignment) -> ReviewAssignment:
    return (
        ReviewAssignment.objects.select_for_update()
        .select_related("application", "application__call")
        .get(pk=review.pk)
    )


@transaction.atomic
def review_declare(
    *, review: ReviewAssignment, actor: User, has_conflict: bool, note: str = ""
) -> ReviewAssignment:
    """The reviewer's declaration, once: no conflict opens the application to them; a conflict
    closes it for good and asks staff to assign someone else."""
    review = _locked_review(review)
    if review.reviewer_id != actor.pk:
        raise PermissionDenied(_("Only the assigned reviewer may declare."))
    if review.conflict != ReviewAssignment.Conflict.UNDECLARED:
        raise ValidationError(_("You have already declared."), code="declared")
    review.conflict = (
        ReviewAssignment.Conflict.DECLARED if has_conflict else ReviewAssignment.Conflict.NONE
    )
    review.conflict_note = note.strip()
    review.declared_at = timezone.now()
    review.full_clean()
    review.save(update_fields=["conflict", "conflict_note", "declared_at"])
    audit(
        actor=actor,
        action=REVIEW_DECLARE,
        instance=review.application,
        data={"reviewer": actor.pk, "conflict": has_conflict},
    )
    if has_conflict:
        emails.send_conflict_declared(review=review)
    return review


@transaction.atomic
def review_score(
    *,
    review: ReviewAssignment,
    actor: User,
    values: dict[int, int | None],
    comments: dict[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> ReviewAssignment:
    """Save the reviewer's scores (None is N/A); ``submit`` makes them final and counted.

    Every criterion of the call must be given a score or N/A before submitting."""
    review = _locked_review(review)
    if not review_may_read(review=review, user=actor):
        raise PermissionDenied(_("You may not score this application."))
    if review.submitted_at:
        raise ValidationError(_("Your scores are already submitted."), code="submitted")
    criteria = {criterion.pk: criterion for criterion in review.application.call.criteria.all()}
    unknown = set(values) - set(criteria)
    if unknown:
        raise ValidationError(_("Unknown criteria: %(ids)s.") % {"ids": sorted(unknown)})
    if submit and set(values) != set(criteria):
        missing = [criteria[pk].name for pk in criteria if pk not in values]
        raise ValidationError(
            _("Score every criterion or mark it N/A: %(criteria)s.")
            % {"criteria": ", ".join(missing)},
            code="incomplete",
        )
    comments = comments or {}
    for pk, value in values.items():
        score = Score(
            review=review, criterion=criteria[pk], value=value, comment=comments.get(pk, "")
        )
        score.full_clean(exclude=["review", "criterion"], validate_unique=False)
        Score.objects.update_or_create(
            review=review,
            criterion=criteria[pk],
            defaults={"value": value, "comment": comments.get(pk, "")},
        )
    review.comment = comment.strip()
    fields = ["comment"]
    if submit:
        review.submitted_at = timezone.now()
        fields.append("submitted_at")
        audit(
            actor=actor,
            action=REVIEW_SCORE,
            instance=review.application,
            data={"reviewer": actor.pk},
        )
    review.save(update_fields=fields)
    return review


def review_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Remind reviewers, once, whose scores are due within two days; returns how many."""
    now = now or timezone.now()
    due = (
        ReviewAssignment.objects.filter(
            submitted_at__isnull=True,
            reminded_at__isnull=True,
            application__call__review_deadline__gt=now,
            application__call__review_deadline__lte=now + REMIND_BEFORE,
        )
        .exclude(conflict=ReviewAssignment.Conflict.DECLARED)
        .select_related("reviewer", "application__call")
    )
    count = 0
    for review in due:
        with transaction.atomic():
            # Claim the reminder first so that two beat runs never send it twice.
            claimed = ReviewAssignment.objects.filter(
                pk=review.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                emails.send_review_reminder(review=review)
                count += 1
    return count
