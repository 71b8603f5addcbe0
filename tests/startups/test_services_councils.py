"""Councils: agenda, quorum, score sheets, decisions within the quota, letters and minutes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from startups.models import CouncilSession, Decision, Outcome
from startups.services import councils as services
from tests.factories import UserFactory
from tests.startups.factories import ApplicationFactory, CallPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    return [UserFactory(full_name=name) for name in ("Chủ tịch", "Thư ký", "Ủy viên")]


def convene(staff, members, *applications, call=None, quorum=2):
    call = call or applications[0].call
    return services.council_session_create(
        call=call,
        actor=staff,
        title="Phiên họp xét duyệt đợt 1",
        meets_at=timezone.now() + datetime.timedelta(days=2),
        quorum=quorum,
        members=list(zip(members, ["chair", "secretary", "member"], strict=False)),
        agenda=list(applications),
    )


def test_only_applications_waiting_for_a_council_go_on_its_agenda(programme_staff, members):
    waiting = ApplicationFactory(phase="council")
    in_review = ApplicationFactory(phase="review", call=waiting.call)

    with pytest.raises(ValidationError, match=in_review.reference):
        convene(programme_staff, members, waiting, in_review)

    session = convene(programme_staff, members, waiting)
    assert list(session.agenda.all()) == [waiting]
    assert session.members.count() == 3


def test_a_quorum_larger_than_the_council_is_refused(programme_staff, members):
    with pytest.raises(ValidationError, match="quorum is larger"):
        convene(programme_staff, members, ApplicationFactory(phase="council"), quorum=4)


def test_no_decision_without_quorum(programme_staff, members):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application, quorum=2)
    services.council_attendance(session=session, actor=programme_staff, present=members[:1])

    with pytest.raises(ValidationError, match="quorum of 2"):
        services.decision_record(
            session=session, application=application, actor=programme_staff, outcome=Outcome.APPROVE
        )

    application.refresh_from_db()
    assert application.phase == "council"
    assert not Decision.objects.exists()


def test_an_approval_moves_the_application_and_sends_a_letter(
    programme_staff, members, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application)
    services.council_attendance(session=session, actor=programme_staff, present=members)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(
            session=session,
            application=application,
            actor=programme_staff,
            outcome=Outcome.APPROVE,
            reason="Đạt 85 điểm.",
        )

    application.refresh_from_db()
    assert application.phase == "approved"
    assert decision.letter.name.endswith(".pdf")
    assert decision.letter.open("rb").read(5) == b"%PDF-"
    assert decision.letter_sent_at is not None
    assert [message.to for message in mail.outbox] == [[application.created_by.email]]
    assert mail.outbox[0].subject.endswith(f"{application.reference}: Được chấp thuận")


def test_rejection_needs_a_reason(programme_staff, members):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application)
    services.council_attendance(session=session, actor=programme_staff, present=members)

    with pytest.raises(ValidationError):
        services.decision_record(
            session=session, application=application, actor=programme_staff, outcome=Outcome.REJECT
        )

    assert not Decision.objects.exists()


def test_the_quota_of_approvals_is_never_exceeded(programme_staff, members):
    call = CallPageFactory(quota=1)
    first, second = (ApplicationFactory(phase="council", call=call) for _ in range(2))
    session = convene(programme_staff, members, first, second)
    services.council_attendance(session=session, actor=programme_staff, present=members)
    services.decision_record(
        session=session, application=first, actor=programme_staff, outcome=Outcome.APPROVE
    )

    with pytest.raises(ValidationError, match="quota of 1"):
        services.decision_record(
            session=session, application=second, actor=programme_staff, outcome=Outcome.APPROVE
        )
    services.decision_record(
        session=session, application=second, actor=programme_staff, outcome=Outcome.WAITLIST
    )

    second.refresh_from_db()
    assert second.phase == "waitlisted"


def test_members_fill_their_own_score_sheet(programme_staff, members):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application)

    services.council_score(
        session=session,
        application=application,
        actor=members[2],
        score=Decimal("82.5"),
        recommendation=Outcome.APPROVE,
    )
    services.council_score(
        session=session,
        application=application,
        actor=members[2],
        score=Decimal("84"),
        recommendation=Outcome.APPROVE,
        note="Sau khi nghe trình bày.",
    )

    sheet = session.scores.get()
    assert (sheet.member.user, sheet.score, sheet.note) == (
        members[2],
        Decimal("84.00"),
        "Sau khi nghe trình bày.",
    )
    with pytest.raises(PermissionDenied):
        services.council_score(
            session=session,
            application=application,
            actor=UserFactory(),
            score=Decimal(90),
            recommendation=Outcome.APPROVE,
        )


def test_a_score_outside_zero_to_hundred_is_refused(programme_staff, members):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application)

    with pytest.raises(ValidationError):
        services.council_score(
            session=session,
            application=application,
            actor=members[0],
            score=Decimal(101),
            recommendation=Outcome.APPROVE,
        )


def test_minutes_close_the_session(programme_staff, members):
    application = ApplicationFactory(phase="council")
    session = convene(programme_staff, members, application)
    services.council_attendance(session=session, actor=programme_staff, present=members)

    services.council_minutes_write(session=session, actor=programme_staff)

    session.refresh_from_db()
    assert session.status == CouncilSession.Status.CLOSED
    assert session.minutes.open("rb").read(5) == b"%PDF-"
    with pytest.raises(ValidationError, match="closed"):
        services.council_score(
            session=session,
            application=application,
            actor=members[0],
            score=Decimal(70),
            recommendation=Outcome.APPROVE,
        )
