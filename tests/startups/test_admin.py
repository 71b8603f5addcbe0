"""The programme staff's screens in the Wagtail admin, over HTTP with a staff member logged in
with TOTP: every screen renders what staff need, every action goes through its service, and
everyone else is refused with nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import Membership
from startups.models import (
    Application,
    CouncilSession,
    Decision,
    Disbursement,
    Milestone,
    ReviewAssignment,
    SupportAgreement,
)
from startups.services import applications as application_services
from tests.conftest import login_with_totp
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.startups.factories import (
    ApplicationFactory,
    CallPageFactory,
    CouncilMemberFactory,
    CouncilScoreFactory,
    CouncilSessionFactory,
    DecisionFactory,
    MilestoneFactory,
    ReviewAssignmentFactory,
    ScoreFactory,
    SupportAgreementFactory,
)

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    login_with_totp(client, user=user, secret=secret)
    return client


@pytest.fixture
def staff_client(client, programme_staff):
    return logged_in(client, programme_staff)


@pytest.fixture
def finance_client(client, finance):
    return logged_in(client, finance)


@pytest.fixture
def submitted(application, applicant):
    """The ``application`` fixture submitted by its applicant: eligibility checked for real."""
    return application_services.application_submit(application=application, actor=applicant)


def in_review(**kwargs) -> Application:
    return ApplicationFactory(phase="review", submitted_at=timezone.now(), **kwargs)


def vi(message: str, **values) -> str:
    """A message as staff read it in the admin: in Vietnamese (their language) once it is
    translated, HTML-escaped as the page writes it."""
    with translation.override("vi"):
        text = gettext(message)
    return escape(text % values if values else text)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Calls and their applications ---------------------------------------------------------------


def test_the_calls_list_counts_applications_per_phase(staff_client):
    call = CallPageFactory(title="Kêu gọi khởi nghiệp 2026")
    ApplicationFactory(call=call, phase="draft")
    ApplicationFactory(call=call, phase="submitted")
    ApplicationFactory(call=call, phase="submitted")
    ApplicationFactory(call=call, phase="review")

    content = page(staff_client.get("/admin/startups/calls/"))

    assert "Kêu gọi khởi nghiệp 2026" in content
    # Staff read Vietnamese, and the workflow's staff-facing names.
    assert "Chờ sàng lọc: 2" in content
    assert "Đang thẩm định: 1" in content
    assert "Bản nháp:" not in content


def test_the_applications_table_shows_identity_phase_eligibility_score_and_reviewers(
    staff_client,
):
    call = CallPageFactory(blind_review=True)
    scored = in_review(call=call, organisation__legal_name="Công ty Sầu Riêng Xanh")
    scored.is_eligible = True
    scored.save()
    criteria = list(call.criteria.all())
    submitted_review = ReviewAssignmentFactory(
        application=scored,
        conflict=ReviewAssignment.Conflict.NONE,
        submitted_at=timezone.now(),
    )
    ScoreFactory(review=submitted_review, criterion=criteria[0], value=8)
    ScoreFactory(review=submitted_review, criterion=criteria[1], value=5)
    ReviewAssignmentFactory(application=scored)
    ReviewAssignmentFactory(application=scored, conflict=ReviewAssignment.Conflict.DECLARED)
    waiting = ApplicationFactory(call=call, phase="submitted", title="Máy sấy nông sản")

    content = page(staff_client.get(f"/admin/startups/calls/{call.pk}/"))

    # Blind review hides identity from reviewers, never from staff.
    assert "Công ty Sầu Riêng Xanh" in content
    assert "Đang thẩm định" in content and "Chờ sàng lọc" in content
    # (8/10 × 2 + 5/10 × 1) / 3 × 100
    assert "70,00" in content
    assert "1 / 2" in content
    assert waiting.title in content


def test_the_applications_table_filters_by_phase(staff_client):
    call = CallPageFactory()
    kept = ApplicationFactory(call=call, phase="submitted", title="Chờ sàng lọc A")
    left_out = ApplicationFactory(call=call, phase="review", title="Đang thẩm định B")

    content = page(staff_client.get(f"/admin/startups/calls/{call.pk}/", {"phase": "submitted"}))

    assert kept.title in content
    assert left_out.title not in content


def test_the_applications_table_links_to_the_exports(staff_client):
    call = CallPageFactory()

    content = page(staff_client.get(f"/admin/startups/calls/{call.pk}/"))

    assert f"/admin/startups/calls/{call.pk}/export/applications.csv" in content
    assert f"/admin/startups/calls/{call.pk}/export/reviews.xlsx" in content


def test_the_applications_table_asks_the_same_queries_for_many_applications(
    staff_client, django_assert_max_num_queries
):
    def fill(call, count):
        for _ in range(count):
            application = in_review(call=call)
            review = ReviewAssignmentFactory(
                application=application,
                conflict=ReviewAssignment.Conflict.NONE,
                submitted_at=timezone.now(),
            )
            ScoreFactory(review=review)

    small, large = CallPageFactory(), CallPageFactory()
    fill(small, 2)
    fill(large, 12)
    with CaptureQueriesContext(connection) as baseline:
        page(staff_client.get(f"/admin/startups/calls/{small.pk}/"))

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        content = page(staff_client.get(f"/admin/startups/calls/{large.pk}/"))
    assert content.count("/admin/startups/applications/") == 12


# One application --------------------------------------------------------------------------


def test_the_application_page_shows_answers_eligibility_history_and_the_staff_actions(
    staff_client, submitted
):
    content = page(staff_client.get(f"/admin/startups/applications/{submitted.pk}/"))

    assert submitted.organisation.legal_name in content
    assert "Giám sát độ ẩm vườn sầu riêng bằng IoT." in content
    assert "Chờ sàng lọc" in content
    for result in submitted.eligibility:
        assert result["message"] in content
    assert 'name="screen-eligible"' in content
    assert 'name="request_info-reason"' in content
    # Sending to the council is not possible before review; no form for it.
    assert 'value="send_to_council"' not in content


def test_a_draft_is_not_shown_to_staff(staff_client, application):
    # (LocaleMiddleware first tries the path under /vi/, which is not found either.)
    response = staff_client.get(f"/admin/startups/applications/{application.pk}/", follow=True)

    assert response.status_code == 404
    assert application.title not in response.content.decode()


def test_staff_screen_an_application_eligible(staff_client, submitted, programme_staff):
    response = staff_client.post(
        f"/admin/startups/applications/{submitted.pk}/",
        {"action": "screen", "screen-eligible": "yes", "screen-reason": ""},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.phase == "review"
    change = submitted.phase_changes.last()
    assert (change.transition, change.actor) == ("mark_eligible", programme_staff)


def test_overriding_the_automatic_check_without_a_reason_is_refused_on_the_form(staff_client):
    application = ApplicationFactory(phase="submitted", is_eligible=False)

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/",
        {"action": "screen", "screen-eligible": "yes", "screen-reason": ""},
    )

    content = page(response)
    assert vi("Say why you override the automatic eligibility check.") in content
    application.refresh_from_db()
    assert (application.phase, application.eligibility_override) == ("submitted", None)


def test_staff_override_the_automatic_check_with_a_reason(staff_client):
    application = ApplicationFactory(phase="submitted", is_eligible=False)

    staff_client.post(
        f"/admin/startups/applications/{application.pk}/",
        {"action": "screen", "screen-eligible": "yes", "screen-reason": "Đã bổ sung giấy phép."},
    )

    application.refresh_from_db()
    assert (application.phase, application.eligibility_override) == ("review", True)
    assert application.eligibility_override_reason == "Đã bổ sung giấy phép."


def test_staff_ask_for_more_information(staff_client, submitted):
    response = staff_client.post(
        f"/admin/startups/applications/{submitted.pk}/",
        {"action": "request_info", "request_info-reason": "Thiếu báo cáo tài chính 2025."},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.phase == "more_info"
    assert submitted.phase_changes.last().reason == "Thiếu báo cáo tài chính 2025."


def test_staff_send_an_application_in_review_to_the_council(staff_client):
    application = in_review()

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/", {"action": "send_to_council"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phase == "council"


def test_a_transition_from_the_wrong_phase_is_refused_with_the_services_message(staff_client):
    application = ApplicationFactory(phase="submitted")

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/", {"action": "send_to_council"}
    )

    with translation.override("vi"):
        action = application.workflow.transition("send_to_council").name
        phase = application.current_phase.applicant_name
    assert vi(
        "“%(action)s” is not possible while the application is “%(phase)s”.",
        action=action,
        phase=phase,
    ) in page(response)
    application.refresh_from_db()
    assert application.phase == "submitted"


def test_staff_assign_a_reviewer_from_the_pool(
    staff_client, reviewer, django_capture_on_commit_callbacks
):
    application = in_review()

    content = page(staff_client.get(f"/admin/startups/applications/{application.pk}/"))
    assert f'<option value="{reviewer.pk}">' in content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/startups/applications/{application.pk}/",
            {"action": "assign_reviewer", "assign_reviewer-reviewer": str(reviewer.pk)},
        )

    assert response.status_code == 302
    review = ReviewAssignment.objects.get(application=application)
    assert (review.reviewer, review.conflict) == (reviewer, "undeclared")
    assert reviewer.email in mail.outbox[-1].to


def test_only_reviewers_of_the_pool_may_be_assigned(staff_client):
    application = in_review()
    outsider = UserFactory()

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/",
        {"action": "assign_reviewer", "assign_reviewer-reviewer": str(outsider.pk)},
    )

    assert response.status_code == 200
    assert not ReviewAssignment.objects.exists()


def test_the_application_page_shows_each_reviews_conflict_status_and_scores(staff_client):
    application = in_review()
    criteria = list(application.call.criteria.all())
    scored = ReviewAssignmentFactory(
        application=application,
        reviewer__full_name="TS. Lê Văn Cường",
        conflict=ReviewAssignment.Conflict.NONE,
        submitted_at=timezone.now(),
    )
    ScoreFactory(review=scored, criterion=criteria[0], value=9)
    ScoreFactory(review=scored, criterion=criteria[1], value=None)
    ReviewAssignmentFactory(
        application=application,
        reviewer__full_name="ThS. Phạm Thị Dung",
        conflict=ReviewAssignment.Conflict.DECLARED,
        conflict_note="Từng làm cố vấn cho nhóm.",
    )

    content = page(staff_client.get(f"/admin/startups/applications/{application.pk}/"))

    assert "TS. Lê Văn Cường" in content and "ThS. Phạm Thị Dung" in content
    assert "Từng làm cố vấn cho nhóm." in content
    # N/A is left out of the weighted mean: 9/10 on the only scored criterion.
    assert "90,00" in content


def test_staff_balance_the_reviewers_of_a_whole_call(staff_client, reviewer):
    call = CallPageFactory(reviewers_per_application=1)
    first, second = in_review(call=call), in_review(call=call)

    response = staff_client.post(f"/admin/startups/calls/{call.pk}/", {"action": "assign_balanced"})

    assert response.status_code == 302
    assert set(ReviewAssignment.objects.values_list("application", "reviewer")) == {
        (first.pk, reviewer.pk),
        (second.pk, reviewer.pk),
    }


# Council sessions ---------------------------------------------------------------------------


def test_staff_convene_a_council_for_applications_waiting_for_one(staff_client, reviewer):
    call = CallPageFactory()
    waiting = ApplicationFactory(call=call, phase="council", title="Chờ hội đồng A")
    not_yet = ApplicationFactory(call=call, phase="review", title="Đang thẩm định B")
    chair, secretary = StaffFactory(full_name="PGS. Chủ Tịch"), StaffFactory()

    form = page(staff_client.get(f"/admin/startups/calls/{call.pk}/councils/new/"))
    assert waiting.title in form and not_yet.title not in form
    response = staff_client.post(
        f"/admin/startups/calls/{call.pk}/councils/new/",
        {
            "action": "create",
            "council-title": "Hội đồng xét duyệt đợt 1",
            "council-meets_at": "2026-06-01T08:30",
            "council-place": "Phòng họp số 2",
            "council-quorum": "2",
            "council-chair": str(chair.pk),
            "council-secretary": str(secretary.pk),
            "council-members": [str(reviewer.pk), str(chair.pk)],
            "council-agenda": [str(waiting.pk)],
        },
    )

    session = CouncilSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/startups/councils/{session.pk}/"
    assert (session.call, session.title, session.quorum) == (call, "Hội đồng xét duyệt đợt 1", 2)
    assert timezone.localtime(session.meets_at).strftime("%d/%m/%Y %H:%M") == "01/06/2026 08:30"
    assert set(session.members.values_list("user", "role")) == {
        (chair.pk, "chair"),
        (secretary.pk, "secretary"),
        (reviewer.pk, "member"),
    }
    assert list(session.agenda.all()) == [waiting]


def test_an_application_not_waiting_for_a_council_cannot_be_put_on_the_agenda(staff_client):
    call = CallPageFactory()
    not_yet = ApplicationFactory(call=call, phase="review")
    chair = StaffFactory()

    response = staff_client.post(
        f"/admin/startups/calls/{call.pk}/councils/new/",
        {
            "action": "create",
            "council-title": "Hội đồng",
            "council-meets_at": "2026-06-01T08:30",
            "council-quorum": "1",
            "council-chair": str(chair.pk),
            "council-agenda": [str(not_yet.pk)],
        },
    )

    assert response.status_code == 200
    assert not CouncilSession.objects.exists()


def test_a_quorum_larger_than_the_council_is_refused(staff_client):
    call = CallPageFactory()
    waiting = ApplicationFactory(call=call, phase="council")
    chair = StaffFactory()

    response = staff_client.post(
        f"/admin/startups/calls/{call.pk}/councils/new/",
        {
            "action": "create",
            "council-title": "Hội đồng",
            "council-meets_at": "2026-06-01T08:30",
            "council-quorum": "3",
            "council-chair": str(chair.pk),
            "council-agenda": [str(waiting.pk)],
        },
    )

    assert vi("The quorum is larger than the council.") in page(response)
    assert not CouncilSession.objects.exists()


@pytest.fixture
def session():
    """A session of three members, none marked present yet, with one application on its
    agenda that two reviewers scored."""
    session = CouncilSessionFactory(quorum=2, title="Phiên họp tháng 6")
    for role in ("chair", "secretary", "member"):
        CouncilMemberFactory(session=session, role=role, is_present=False)
    application = ApplicationFactory(
        call=session.call, phase="council", title="Hệ thống tưới thông minh"
    )
    session.agenda.add(application)
    for value in (8, 6):
        review = ReviewAssignmentFactory(
            application=application,
            conflict=ReviewAssignment.Conflict.NONE,
            submitted_at=timezone.now(),
        )
        for criterion in session.call.criteria.all():
            ScoreFactory(review=review, criterion=criterion, value=value)
    return session


def test_the_session_page_shows_members_sheets_review_scores_and_quorum(staff_client, session):
    application = session.agenda.get()
    member = session.members.get(role="chair")
    CouncilScoreFactory(
        session=session, member=member, application=application, score=85, note="Khả thi."
    )

    content = page(staff_client.get(f"/admin/startups/councils/{session.pk}/"))

    assert "Phiên họp tháng 6" in content and application.title in content
    assert member.user.full_name in content
    assert "Khả thi." in content
    assert "80,00" in content and "60,00" in content and "70,00" in content
    assert vi("quorum not met: decisions cannot be recorded") in content
    assert 'value="decide"' in content


def test_staff_record_attendance(staff_client, session):
    present = [member.user for member in session.members.all()[:2]]

    response = staff_client.post(
        f"/admin/startups/councils/{session.pk}/",
        {"action": "attendance", "attendance-present": [str(user.pk) for user in present]},
    )

    assert response.status_code == 302
    assert set(session.members.filter(is_present=True).values_list("user", flat=True)) == {
        user.pk for user in present
    }
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.HELD


def test_a_decision_without_quorum_is_refused_and_says_so(staff_client, session):
    application = session.agenda.get()

    response = staff_client.post(
        f"/admin/startups/councils/{session.pk}/",
        {
            "action": "decide",
            "application": str(application.pk),
            f"decide-{application.pk}-outcome": "approve",
        },
    )

    assert vi("The quorum of %(quorum)s members present is not met.", quorum=2) in page(response)
    application.refresh_from_db()
    assert application.phase == "council"
    assert not Decision.objects.exists()


def test_a_decision_beyond_the_quota_is_refused_and_says_so(staff_client, session):
    session.members.update(is_present=True)
    call = session.call
    call.quota = 1
    call.save()
    DecisionFactory(session=session)
    application = session.agenda.get()

    response = staff_client.post(
        f"/admin/startups/councils/{session.pk}/",
        {
            "action": "decide",
            "application": str(application.pk),
            f"decide-{application.pk}-outcome": "approve",
        },
    )

    assert vi("The call's quota of %(quota)s approvals is reached.", quota=1) in page(response)
    application.refresh_from_db()
    assert application.phase == "council"


def test_staff_record_the_councils_approval_and_download_its_letter(staff_client, session):
    session.members.update(is_present=True)
    application = session.agenda.get()

    response = staff_client.post(
        f"/admin/startups/councils/{session.pk}/",
        {
            "action": "decide",
            "application": str(application.pk),
            f"decide-{application.pk}-outcome": "approve",
            f"decide-{application.pk}-reason": "Điểm cao, thị trường rõ.",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phase == "approved"
    decision = Decision.objects.get()
    assert (decision.outcome, decision.reason) == ("approve", "Điểm cao, thị trường rõ.")
    content = page(staff_client.get(f"/admin/startups/councils/{session.pk}/"))
    assert f"/admin/startups/decisions/{decision.pk}/letter.pdf" in content
    letter = staff_client.get(f"/admin/startups/decisions/{decision.pk}/letter.pdf")
    assert letter.status_code == 200
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_a_decision_on_an_application_off_the_agenda_is_not_found(staff_client, session):
    session.members.update(is_present=True)
    elsewhere = ApplicationFactory(call=session.call, phase="council")

    response = staff_client.post(
        f"/admin/startups/councils/{session.pk}/",
        {
            "action": "decide",
            "application": str(elsewhere.pk),
            f"decide-{elsewhere.pk}-outcome": "approve",
        },
        follow=True,
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.phase == "council"


def test_staff_write_the_minutes_and_download_them(staff_client, session):
    response = staff_client.post(f"/admin/startups/councils/{session.pk}/", {"action": "minutes"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.CLOSED
    content = page(staff_client.get(f"/admin/startups/councils/{session.pk}/"))
    assert f"/admin/startups/councils/{session.pk}/minutes.pdf" in content
    assert 'value="decide"' not in content
    minutes = staff_client.get(f"/admin/startups/councils/{session.pk}/minutes.pdf")
    assert minutes.status_code == 200
    assert minutes["Content-Disposition"].startswith("attachment")
    assert b"".join(minutes.streaming_content).startswith(b"%PDF")


def test_the_council_list_shows_every_session(staff_client, session):
    content = page(staff_client.get("/admin/startups/councils/"))

    assert "Phiên họp tháng 6" in content
    assert "0 / 2" in content


# Support agreements -------------------------------------------------------------------------


def agreement_data(**overrides) -> dict:
    data = {
        "action": "create",
        "agreement-number": "01/2026/HĐHT-TTĐMST",
        "agreement-signed_on": "2026-07-01",
        "agreement-grant_total": "300000000",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "1",
        "milestones-MAX_NUM_FORMS": "24",
        "milestones-0-title": "Sản phẩm mẫu",
        "milestones-0-due_on": "2026-10-01",
        "milestones-0-amount": "120000000",
        "milestones-1-title": "Thử nghiệm tại 5 vườn",
        "milestones-1-due_on": "2027-01-15",
        "milestones-1-amount": "180000000",
    }
    data.update(overrides)
    return data


def test_staff_sign_an_agreement_with_milestones_for_an_approved_application(staff_client):
    application = ApplicationFactory(phase="approved")

    page(staff_client.get(f"/admin/startups/applications/{application.pk}/agreement/new/"))
    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/agreement/new/", agreement_data()
    )

    agreement = SupportAgreement.objects.get()
    assert response["Location"] == f"/admin/startups/agreements/{agreement.pk}/"
    assert (agreement.number, agreement.signed_on, agreement.grant_total) == (
        "01/2026/HĐHT-TTĐMST",
        datetime.date(2026, 7, 1),
        300_000_000,
    )
    assert list(agreement.milestones.values_list("title", "due_on", "amount")) == [
        ("Sản phẩm mẫu", datetime.date(2026, 10, 1), 120_000_000),
        ("Thử nghiệm tại 5 vườn", datetime.date(2027, 1, 15), 180_000_000),
    ]
    application.refresh_from_db()
    assert application.phase == "in_support"


def test_milestones_beyond_the_grant_are_refused_with_the_services_message(staff_client):
    application = ApplicationFactory(phase="approved")

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/agreement/new/",
        agreement_data(**{"agreement-grant_total": "200000000"}),
    )

    assert vi(
        "The milestones disburse %(planned)s, more than the grant of %(grant)s.",
        planned="300.000.000\xa0₫",
        grant="200.000.000\xa0₫",
    ) in page(response)
    assert not SupportAgreement.objects.exists()


def test_an_agreement_needs_at_least_one_milestone(staff_client):
    application = ApplicationFactory(phase="approved")
    data = agreement_data()
    for key in [k for k in data if k.startswith("milestones-") and k[11].isdigit()]:
        del data[key]

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/agreement/new/", data
    )

    assert response.status_code == 200
    assert not SupportAgreement.objects.exists()


def test_an_application_not_approved_gets_no_agreement(staff_client):
    application = ApplicationFactory(phase="council")

    response = staff_client.post(
        f"/admin/startups/applications/{application.pk}/agreement/new/", agreement_data()
    )

    assert vi("Only an approved application gets a support agreement.") in page(response)
    assert not SupportAgreement.objects.exists()


def test_loan_support_is_shown_as_its_interest_schedule(staff_client):
    application = ApplicationFactory(phase="approved")
    staff_client.post(
        f"/admin/startups/applications/{application.pk}/agreement/new/",
        agreement_data(
            **{
                "agreement-loan_principal": "120000000",
                "agreement-loan_annual_rate": "9",
                "agreement-loan_term_months": "12",
                "agreement-loan_supported_share": "50",
            }
        ),
    )
    agreement = SupportAgreement.objects.get()

    content = page(staff_client.get(f"/admin/startups/agreements/{agreement.pk}/"))

    # First month: 120,000,000 × 9% / 12 = 900,000 interest, half of it supported.
    assert "900.000" in content and "450.000" in content
    assert agreement.loan_supported_share == Decimal("50.00")


@pytest.fixture
def reported_milestone():
    milestone = MilestoneFactory(
        agreement__application__phase="in_support",
        title="Mốc 1: sản phẩm mẫu",
        status=Milestone.Status.REPORTED,
        report="Đã hoàn thành 10 thiết bị.",
        reported_at=timezone.now(),
    )
    return milestone


def test_staff_accept_a_report_and_see_no_disburse_button(staff_client, reported_milestone):
    agreement = reported_milestone.agreement

    content = page(staff_client.get(f"/admin/startups/agreements/{agreement.pk}/"))
    assert "Đã hoàn thành 10 thiết bị." in content
    response = staff_client.post(
        f"/admin/startups/agreements/{agreement.pk}/",
        {
            "action": "review",
            "milestone": str(reported_milestone.pk),
            f"review-{reported_milestone.pk}-accept": "yes",
        },
    )

    assert response.status_code == 302
    reported_milestone.refresh_from_db()
    assert reported_milestone.status == Milestone.Status.ACCEPTED
    content = page(staff_client.get(f"/admin/startups/agreements/{agreement.pk}/"))
    assert 'value="disburse"' not in content


def test_staff_return_a_report_only_with_a_note(staff_client, reported_milestone):
    agreement = reported_milestone.agreement
    url = f"/admin/startups/agreements/{agreement.pk}/"
    field = f"review-{reported_milestone.pk}"

    refused = staff_client.post(
        url, {"action": "review", "milestone": reported_milestone.pk, f"{field}-accept": "no"}
    )
    assert vi("Say what is missing from the report.") in page(refused)
    staff_client.post(
        url,
        {
            "action": "review",
            "milestone": reported_milestone.pk,
            f"{field}-accept": "no",
            f"{field}-review_note": "Thiếu biên bản nghiệm thu.",
        },
    )

    reported_milestone.refresh_from_db()
    assert reported_milestone.status == Milestone.Status.RETURNED
    assert reported_milestone.review_note == "Thiếu biên bản nghiệm thu."


def test_staff_cannot_disburse(staff_client, reported_milestone):
    reported_milestone.status = Milestone.Status.ACCEPTED
    reported_milestone.save()

    response = staff_client.post(
        f"/admin/startups/agreements/{reported_milestone.agreement.pk}/",
        {"action": "disburse", "milestone": reported_milestone.pk},
    )

    assert response.status_code == 403
    assert not Disbursement.objects.exists()


def test_finance_disburses_an_accepted_milestone(finance_client, finance, reported_milestone):
    reported_milestone.status = Milestone.Status.ACCEPTED
    reported_milestone.save()
    agreement = reported_milestone.agreement

    content = page(finance_client.get("/admin/startups/agreements/"))
    assert agreement.number in content
    content = page(finance_client.get(f"/admin/startups/agreements/{agreement.pk}/"))
    assert 'value="disburse"' in content and 'value="review"' not in content
    response = finance_client.post(
        f"/admin/startups/agreements/{agreement.pk}/",
        {
            "action": "disburse",
            "milestone": reported_milestone.pk,
            f"disburse-{reported_milestone.pk}-reference": "UNC 0425/2026",
        },
    )

    assert response.status_code == 302
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.reference, disbursement.released_by) == (
        100_000_000,
        "UNC 0425/2026",
        finance,
    )
    reported_milestone.refresh_from_db()
    assert reported_milestone.status == Milestone.Status.DISBURSED


def test_a_milestone_of_another_agreement_is_not_found(finance_client, reported_milestone):
    other = SupportAgreementFactory(application__phase="in_support")
    reported_milestone.status = Milestone.Status.ACCEPTED
    reported_milestone.save()

    response = finance_client.post(
        f"/admin/startups/agreements/{other.pk}/",
        {"action": "disburse", "milestone": reported_milestone.pk},
        follow=True,
    )

    assert response.status_code == 404
    assert not Disbursement.objects.exists()


def test_staff_complete_an_agreement_once_everything_is_disbursed(staff_client):
    milestone = MilestoneFactory(
        agreement__application__phase="in_support", status=Milestone.Status.DISBURSED
    )
    agreement = milestone.agreement

    response = staff_client.post(
        f"/admin/startups/agreements/{agreement.pk}/", {"action": "complete"}
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == SupportAgreement.Status.COMPLETED
    agreement.application.refresh_from_db()
    assert agreement.application.phase == "completed"


def test_an_agreement_with_open_milestones_is_not_completed(staff_client, reported_milestone):
    agreement = reported_milestone.agreement

    response = staff_client.post(
        f"/admin/startups/agreements/{agreement.pk}/", {"action": "complete"}
    )

    assert vi("Milestones still open: %(titles)s.", titles="Mốc 1: sản phẩm mẫu") in page(response)
    agreement.refresh_from_db()
    assert agreement.status == SupportAgreement.Status.ACTIVE


# Who may enter ------------------------------------------------------------------------------


def staff_urls() -> list[str]:
    application = ApplicationFactory(phase="approved")
    session = CouncilSessionFactory(call=application.call)
    decision = DecisionFactory(session=session, application=application)
    agreement = SupportAgreementFactory()
    return [
        "/admin/startups/calls/",
        f"/admin/startups/calls/{application.call.pk}/",
        f"/admin/startups/calls/{application.call.pk}/councils/new/",
        f"/admin/startups/applications/{application.pk}/",
        f"/admin/startups/applications/{application.pk}/agreement/new/",
        "/admin/startups/councils/",
        f"/admin/startups/councils/{session.pk}/",
        f"/admin/startups/councils/{session.pk}/minutes.pdf",
        f"/admin/startups/decisions/{decision.pk}/letter.pdf",
        "/admin/startups/agreements/",
        f"/admin/startups/agreements/{agreement.pk}/",
    ]


def test_members_of_the_public_are_sent_to_log_in(client):
    member = MembershipFactory(role=Membership.Role.OWNER).user
    client.force_login(member)

    for url in staff_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_reviewers_are_refused_and_change_nothing(client, reviewer):
    reviewer.is_staff = True
    reviewer.save()
    logged_in(client, reviewer)
    application = ApplicationFactory(phase="submitted")

    for url in staff_urls():
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/startups/applications/{application.pk}/",
        {"action": "screen", "screen-eligible": "yes"},
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.phase == "submitted"


def test_finance_reads_agreements_but_not_the_programmes_other_screens(finance_client):
    urls = staff_urls()

    for url in urls:
        expected = 200 if "/agreements/" in url else 403
        assert finance_client.get(url).status_code == expected, url


def test_the_admin_menu_offers_startup_support_to_programme_staff(staff_client):
    content = page(staff_client.get("/admin/"))

    assert "H\\u1ed7 tr\\u1ee3 kh\\u1edfi nghi\\u1ec7p" in content  # "Hỗ trợ khởi nghiệp"
    for url in (
        "/admin/startups/calls/",
        "/admin/startups/councils/",
        "/admin/startups/agreements/",
    ):
        assert url in content


def test_the_admin_menu_offers_finance_the_agreements_only(finance_client):
    content = page(finance_client.get("/admin/"))

    assert "/admin/startups/agreements/" in content
    assert "/admin/startups/calls/" not in content
