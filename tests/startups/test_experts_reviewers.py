"""Reviewers suggested for an application from the experts' profiles: fit first, insiders out,
and assigning one still waits for their conflict-of-interest declaration."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Membership, Sector
from startups.models import Expert, ReviewAssignment
from startups.selectors.profiles import reviewer_suggestions
from startups.selectors.reviews import review_may_read
from tests.factories import MembershipFactory, UserFactory
from tests.startups.factories import ApplicationFactory, ReviewAssignmentFactory
from tests.startups.test_admin import logged_in

pytestmark = pytest.mark.django_db


def reviewer(name: str, *, sectors=(), **fields) -> Expert:
    expert = Expert.objects.create(
        user=UserFactory(full_name=name),
        headline=f"Chuyên gia {name}",
        expertise="Đánh giá dự án",
        is_reviewer=True,
        **fields,
    )
    expert.sectors.set(sectors)
    return expert


@pytest.fixture
def sectors():
    """A sub-sector, a sibling under the same parent, and a sub-sector elsewhere."""
    first = Sector.objects.exclude(parent=None).order_by("pk").first()
    sibling = Sector.objects.filter(parent=first.parent).exclude(pk=first.pk).first()
    elsewhere = Sector.objects.exclude(parent=None).exclude(parent=first.parent).first()
    return first, sibling, elsewhere


@pytest.fixture
def applied(sectors):
    application = ApplicationFactory(phase="review", submitted_at=timezone.now())
    application.organisation.sectors.set([sectors[0]])
    return application


def test_suggestions_rank_fit_then_availability_and_leave_insiders_out(applied, sectors):
    same, sibling, elsewhere = sectors
    exact = reviewer("Đúng Ngành", sectors=[same])
    limited = reviewer("Ít Thời Gian", sectors=[same], availability=Expert.Availability.LIMITED)
    related = reviewer("Ngành Gần", sectors=[sibling])
    unrelated = reviewer("Ngành Khác", sectors=[elsewhere])
    insider = reviewer("Người Trong Nhà", sectors=[same])
    MembershipFactory(
        user=insider.user, organisation=applied.organisation, role=Membership.Role.MEMBER
    )
    reviewer("Đang Bận", sectors=[same], availability=Expert.Availability.UNAVAILABLE)
    Expert.objects.create(user=UserFactory(), headline="Cố vấn", expertise="x", is_mentor=True)
    asked = reviewer("Đã Được Mời", sectors=[same])
    ReviewAssignmentFactory(application=applied, reviewer=asked.user)

    suggestions = reviewer_suggestions(application=applied)

    assert [suggestion.expert for suggestion in suggestions] == [exact, limited, related, unrelated]
    assert [sector.code for sector in suggestions[0].shared_sectors] == [same.code]


def test_the_lighter_loaded_of_two_equal_reviewers_comes_first(applied, sectors):
    busy = reviewer("Nhiều Việc", sectors=[sectors[0]])
    free = reviewer("Rảnh Rỗi", sectors=[sectors[0]])
    other = ApplicationFactory(call=applied.call, phase="review")
    ReviewAssignmentFactory(application=other, reviewer=busy.user)

    suggestions = reviewer_suggestions(application=applied)

    assert [(s.expert, s.load) for s in suggestions] == [(free, 0), (busy, 1)]


def test_staff_see_suggestions_without_insiders_and_assigning_one_awaits_the_declaration(
    client, applied, sectors, programme_staff
):
    outsider = reviewer("Người Ngoài", sectors=[sectors[0]])
    insider = reviewer("Người Trong Nhà", sectors=[sectors[0]])
    MembershipFactory(user=insider.user, organisation=applied.organisation)
    logged_in(client, programme_staff)
    url = f"/admin/startups/applications/{applied.pk}/"

    content = client.get(url).content.decode()
    suggested = content[content.index('data-testid="reviewer-suggestions"') :]
    response = client.post(
        url, {"action": "assign_reviewer", "assign_reviewer-reviewer": outsider.user.pk}
    )

    assert "Người Ngoài" in suggested and "Người Trong Nhà" not in suggested
    assert response.status_code == 302
    review = ReviewAssignment.objects.get(application=applied)
    assert (review.reviewer, review.conflict) == (
        outsider.user,
        ReviewAssignment.Conflict.UNDECLARED,
    )
    assert not review_may_read(review=review, user=outsider.user)


def test_an_insider_posted_by_hand_is_still_refused(client, applied, sectors, programme_staff):
    insider = reviewer("Người Trong Nhà", sectors=[sectors[0]])
    MembershipFactory(user=insider.user, organisation=applied.organisation)
    logged_in(client, programme_staff)

    client.post(
        f"/admin/startups/applications/{applied.pk}/",
        {"action": "assign_reviewer", "assign_reviewer-reviewer": insider.user.pk},
    )

    assert not ReviewAssignment.objects.filter(application=applied).exists()
