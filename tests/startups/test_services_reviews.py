"""Review: conflicts of interest declared first, assignment by hand and balanced, weighted
scores with N/A left out, reminders sent once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Sector
from startups.models import Expert, ReviewAssignment
from startups.selectors.reviews import call_scores, review_may_read
from startups.services import reviews as services
from tests.factories import MembershipFactory, UserFactory
from tests.startups.factories import ApplicationFactory, CallPageFactory, ReviewAssignmentFactory

pytestmark = pytest.mark.django_db


def in_review(**kwargs):
    return ApplicationFactory(phase="review", **kwargs)


def reviewer_in_group(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


def declared_review(reviewer, staff, **application):
    """A reviewer assigned to an application in review who has declared no conflict."""
    review = services.review_assign(
        application=in_review(**application), reviewer=reviewer, actor=staff
    )
    return services.review_declare(review=review, actor=reviewer, has_conflict=False)


def test_a_reviewer_sees_nothing_before_declaring(reviewer, programme_staff):
    application = in_review()

    review = services.review_assign(
        application=application, reviewer=reviewer, actor=programme_staff
    )

    assert review.conflict == ReviewAssignment.Conflict.UNDECLARED
    assert review_may_read(review=review, user=reviewer) is False
    services.review_declare(review=review, actor=reviewer, has_conflict=False)
    review.refresh_from_db()
    assert review_may_read(review=review, user=reviewer) is True


def test_a_declared_conflict_closes_the_review_and_asks_staff_to_reassign(
    reviewer, programme_staff, django_capture_on_commit_callbacks
):
    application = in_review()
    review = services.review_assign(
        application=application, reviewer=reviewer, actor=programme_staff
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.review_declare(
            review=review, actor=reviewer, has_conflict=True, note="Tôi từng cố vấn cho nhóm này."
        )

    review.refresh_from_db()
    assert review.conflict == ReviewAssignment.Conflict.DECLARED
    assert review_may_read(review=review, user=reviewer) is False
    assert [message.to for message in mail.outbox] == [[programme_staff.email]]
    assert application.reference in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="already declared"):
        services.review_declare(review=review, actor=reviewer, has_conflict=False)


def test_a_conflict_must_be_explained(reviewer):
    review = ReviewAssignmentFactory(reviewer=reviewer)

    with pytest.raises(ValidationError) as error:
        services.review_declare(review=review, actor=reviewer, has_conflict=True, note="")

    assert error.value.message_dict == {"conflict_note": ["Say what the conflict of interest is."]}
    review.refresh_from_db()
    assert review.conflict == ReviewAssignment.Conflict.UNDECLARED


def test_only_the_reviewer_declares(reviewer):
    review = ReviewAssignmentFactory(reviewer=reviewer)

    with pytest.raises(PermissionDenied):
        services.review_declare(review=review, actor=UserFactory(), has_conflict=False)


def test_members_of_the_applicant_cannot_review_it(programme_staff):
    application = in_review()
    insider = MembershipFactory(organisation=application.organisation).user

    with pytest.raises(ValidationError, match="belongs to the applying organisation"):
        services.review_assign(application=application, reviewer=insider, actor=programme_staff)


def test_reviewers_are_assigned_only_in_review(reviewer, programme_staff):
    with pytest.raises(ValidationError, match="once the application is in review"):
        services.review_assign(
            application=ApplicationFactory(phase="submitted"),
            reviewer=reviewer,
            actor=programme_staff,
        )


def test_balanced_assignment_prefers_sector_then_load_and_skips_insiders_and_conflicts(
    programme_staff,
):
    call = CallPageFactory(reviewers_per_application=2)
    sector = Sector.objects.exclude(parent=None).first()
    first, second = in_review(call=call), in_review(call=call)
    first.organisation.sectors.set([sector])
    specialist, generalist_a, generalist_b = (
        reviewer_in_group(full_name=name) for name in ("Chuyên gia", "Người A", "Người B")
    )
    Expert.objects.create(user=specialist, headline="Nông nghiệp", expertise="…", is_reviewer=True)
    specialist.expert.sectors.set([sector])
    MembershipFactory(user=generalist_b, organisation=second.organisation)  # an insider
    ReviewAssignmentFactory(
        application=second,
        reviewer=specialist,
        conflict=ReviewAssignment.Conflict.DECLARED,
        conflict_note="Đồng tác giả.",
    )

    created = services.review_assign_balanced(call=call, actor=programme_staff)

    assigned = {(review.application_id, review.reviewer_id) for review in created}
    assert (first.pk, specialist.pk) in assigned
    # The second application can take neither its insider nor the reviewer who declared.
    second_reviewers = {reviewer for application, reviewer in assigned if application == second.pk}
    assert specialist.pk not in second_reviewers and generalist_b.pk not in second_reviewers
    assert second_reviewers == {generalist_a.pk}
    assert len([1 for application, _ in assigned if application == first.pk]) == 2
    # Running it again adds nobody: every application has what the pool can give.
    assert services.review_assign_balanced(call=call, actor=programme_staff) == []


def test_weighted_scores_with_n_a_on_exact_numbers(programme_staff):
    call = CallPageFactory(criteria=[("Đổi mới", 2, 10), ("Thị trường", 1, 10), ("Đội ngũ", 1, 5)])
    innovation, market, team = call.criteria.order_by("sort_order")
    application = in_review(call=call)
    first, second = reviewer_in_group(), reviewer_in_group()
    for reviewer, values in (
        (first, {innovation.pk: 8, market.pk: None, team.pk: 4}),
        (second, {innovation.pk: 6, market.pk: 9, team.pk: None}),
    ):
        review = services.review_assign(
            application=application, reviewer=reviewer, actor=programme_staff
        )
        services.review_declare(review=review, actor=reviewer, has_conflict=False)
        services.review_score(review=review, actor=reviewer, values=values, submit=True)

    scores = call_scores(call=call)[application.pk]

    # (2×0.8 + 1×0.8)/3 = 80.00 and (2×0.6 + 1×0.9)/3 = 70.00; N/A never counts as 0.
    assert scores.reviews == {first.pk: Decimal("80.00"), second.pk: Decimal("70.00")}
    assert scores.score == Decimal("75.00")


def test_unsubmitted_and_conflicted_reviews_do_not_count(programme_staff, reviewer):
    review = declared_review(reviewer, programme_staff)
    call, application = review.application.call, review.application
    criteria = list(call.criteria.values_list("pk", flat=True))

    services.review_score(review=review, actor=reviewer, values=dict.fromkeys(criteria, 9))

    assert call_scores(call=call)[application.pk].score is None


def test_submitting_needs_every_criterion_scored_or_marked_n_a(programme_staff, reviewer):
    review = declared_review(reviewer, programme_staff)
    first = review.application.call.criteria.order_by("sort_order").first()

    with pytest.raises(ValidationError, match="Score every criterion or mark it N/A: Thị trường"):
        services.review_score(review=review, actor=reviewer, values={first.pk: 9}, submit=True)


def test_a_score_above_the_scale_is_refused(programme_staff, reviewer):
    review = declared_review(reviewer, programme_staff)
    first = review.application.call.criteria.order_by("sort_order").first()

    with pytest.raises(ValidationError, match="is scored from 0 to 10"):
        services.review_score(review=review, actor=reviewer, values={first.pk: 11})


def test_no_scoring_before_declaring(reviewer):
    review = ReviewAssignmentFactory(reviewer=reviewer)
    criterion = review.application.call.criteria.first()

    with pytest.raises(PermissionDenied):
        services.review_score(review=review, actor=reviewer, values={criterion.pk: 5})

    assert not review.scores.exists()


def test_reminders_go_once_to_reviewers_due_within_two_days(
    reviewer, django_capture_on_commit_callbacks
):
    now = timezone.now()
    due = ReviewAssignmentFactory(
        reviewer=reviewer,
        application__call__review_deadline=now + datetime.timedelta(days=1),
    )
    ReviewAssignmentFactory(application__call__review_deadline=now + datetime.timedelta(days=5))
    ReviewAssignmentFactory(
        application__call__review_deadline=now + datetime.timedelta(days=1), submitted_at=now
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first_run = services.review_remind_due(now=now)
        second_run = services.review_remind_due(now=now)

    assert (first_run, second_run) == (1, 0)
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    due.refresh_from_db()
    assert due.reminded_at == now
