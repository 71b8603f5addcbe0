"""Decision letters and council minutes: the PDF's text, read back, says what was decided."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import Organisation
from startups.letters import decision_letter_pdf, minutes_pdf
from startups.models import CouncilMember, Decision, Outcome, ReviewAssignment
from tests.factories import UserFactory, VerifiedOrganisationFactory
from tests.startups.factories import (
    ApplicationFactory,
    CallPageFactory,
    CouncilMemberFactory,
    CouncilScoreFactory,
    CouncilSessionFactory,
    DecisionFactory,
    IncubatorFactory,
    ProgrammePageFactory,
    ReviewAssignmentFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ"


def pdf_text(content: bytes) -> str:
    """The text of every page, with the lines the layout wrapped joined by a space. (Amounts
    keep their no-break space while lines are laid out; fpdf2 then draws it as a space.)"""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


@pytest.fixture
def call():
    incubator = IncubatorFactory(name="Vườn ươm Khởi nghiệp Đổi mới Sáng tạo Đồng Tháp")
    programme = ProgrammePageFactory(
        title="Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Đồng Tháp đến năm 2030"
    )
    return CallPageFactory(
        parent=programme,
        title="Kêu gọi hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm 2026",
        support=[
            {"type": "grant", "value": {"amount": 500_000_000}},
            {"type": "incubation_seat", "value": {"incubator": incubator.pk, "months": 12}},
            {"type": "mentoring", "value": {"hours": 40}},
            {
                "type": "loan_interest",
                "value": {
                    "principal": 1_000_000_000,
                    "annual_rate": "8.5",
                    "term_months": 12,
                    "supported_share": "50",
                },
            },
            {"type": "ip_registration", "value": {"amount": 30_000_000}},
            {"type": "trade_fair_booth", "value": {"fair": "Techfest Đồng Tháp 2026", "booths": 1}},
        ],
    )


@pytest.fixture
def application(call):
    organisation = VerifiedOrganisationFactory(
        kind=Organisation.Kind.STARTUP, legal_name="Công ty TNHH Nông nghiệp Số Đất Sen Hồng"
    )
    return ApplicationFactory(
        call=call,
        organisation=organisation,
        reference="KN-2026-0007",
        title="Ứng dụng IoT giám sát độ ẩm vườn sầu riêng ở Lấp Vò",
        phase="approved",
    )


def decide(application, outcome, reason="") -> Decision:
    session = CouncilSessionFactory(
        call=application.call, title="Phiên họp Hội đồng tư vấn xét duyệt đợt 1 năm 2026"
    )
    decision = DecisionFactory(
        session=session, application=application, outcome=outcome, reason=reason
    )
    # 01:30 on 25 November in Vietnam, still the 24th in UTC.
    decided_at = datetime.datetime(2026, 11, 24, 18, 30, tzinfo=datetime.UTC)
    Decision.objects.filter(pk=decision.pk).update(decided_at=decided_at)
    decision.refresh_from_db()
    return decision


def test_a_vietnamese_approval_letter_names_the_applicant_and_the_support_in_dong(application):
    reason = f"Dự án có tính đổi mới cao. {VIETNAMESE_LETTERS} {VIETNAMESE_LETTERS.upper()}"
    decision = decide(application, Outcome.APPROVE, reason)

    text = pdf_text(decision_letter_pdf(decision=decision, language="vi"))

    assert (
        "Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Đồng Tháp đến năm 2030" in text
    )
    assert "Kêu gọi hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm 2026" in text
    assert "KN-2026-0007" in text
    assert "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng ở Lấp Vò" in text
    assert "Công ty TNHH Nông nghiệp Số Đất Sen Hồng" in text
    assert "25/11/2026" in text
    assert reason in text
    assert "500.000.000 ₫" in text
    assert "Vườn ươm Khởi nghiệp Đổi mới Sáng tạo Đồng Tháp" in text
    assert "1.000.000.000 ₫" in text
    assert "8,5%" in text
    assert "23.020.836 ₫" in text
    assert "30.000.000 ₫" in text
    assert "Techfest Đồng Tháp 2026" in text
    assert "Phiên họp Hội đồng tư vấn xét duyệt đợt 1 năm 2026" in text


def test_an_english_approval_letter_says_what_was_decided_and_offered(application):
    decision = decide(application, Outcome.APPROVE, "Clear market and a capable team.")

    text = pdf_text(decision_letter_pdf(decision=decision, language="en"))

    assert "Decision on your application" in text
    assert "Reference: KN-2026-0007" in text
    assert "Project: Ứng dụng IoT giám sát độ ẩm vườn sầu riêng ở Lấp Vò" in text
    assert "Applicant: Công ty TNHH Nông nghiệp Số Đất Sen Hồng" in text
    assert "Date: 25 Nov 2026" in text
    assert "Dear Công ty TNHH Nông nghiệp Số Đất Sen Hồng," in text
    assert (
        "The review council of the call “Kêu gọi hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm "
        "2026” has approved your application." in text
    )
    assert "Outcome: Approved" in text
    assert "Reason Clear market and a capable team." in text
    assert "Support offered" in text
    assert "Grant of up to VND 500,000,000" in text
    assert (
        "Incubation seat at Vườn ươm Khởi nghiệp Đổi mới Sáng tạo Đồng Tháp for 12 months" in text
    )
    assert "40 hours of mentoring" in text
    assert (
        "Loan interest support: 50% of the interest on a loan of up to VND 1,000,000,000 at "
        "8.5% a year for 12 months, up to VND 23,020,836 in total" in text
    )
    assert "Intellectual property registration support of up to VND 30,000,000" in text
    assert "1 booth at the trade fair “Techfest Đồng Tháp 2026”" in text
    assert "Programme staff will contact you to sign a support agreement." in text


@pytest.mark.parametrize(
    ("outcome", "sentence", "name"),
    [
        (Outcome.WAITLIST, "has placed your application on the waiting list.", "Waitlisted"),
        (Outcome.REJECT, "has not selected your application.", "Not selected"),
    ],
)
def test_a_letter_that_does_not_approve_gives_the_reason_and_offers_no_support(
    application, outcome, sentence, name
):
    decision = decide(application, outcome, "Thị trường mục tiêu chưa được chứng minh.")

    text = pdf_text(decision_letter_pdf(decision=decision, language="en"))

    assert sentence in text
    assert f"Outcome: {name}" in text
    assert "Reason Thị trường mục tiêu chưa được chứng minh." in text
    assert "Support offered" not in text
    assert "500,000,000" not in text
    assert "support agreement" not in text


def test_a_letter_in_a_language_the_site_does_not_speak_is_refused(application):
    decision = decide(application, Outcome.APPROVE)

    with pytest.raises(ValueError, match="fr"):
        decision_letter_pdf(decision=decision, language="fr")


@pytest.fixture
def session(application):
    """A session of three members, two present, with two applications on its agenda."""
    session = CouncilSessionFactory(
        call=application.call,
        title="Phiên họp Hội đồng tư vấn xét duyệt đợt 1 năm 2026",
        meets_at=datetime.datetime(2026, 11, 25, 7, 30, tzinfo=datetime.UTC),  # 14:30 in Vietnam
        place="Hội trường Sở Khoa học và Công nghệ, Cao Lãnh",
        quorum=2,
    )
    chair = CouncilMemberFactory(
        session=session,
        role=CouncilMember.Role.CHAIR,
        user=UserFactory(full_name="PGS.TS. Nguyễn Văn Hùng"),
    )
    CouncilMemberFactory(
        session=session,
        role=CouncilMember.Role.MEMBER,
        user=UserFactory(full_name="TS. Phạm Quốc Việt"),
        is_present=False,
    )
    secretary = CouncilMemberFactory(
        session=session,
        role=CouncilMember.Role.SECRETARY,
        user=UserFactory(full_name="ThS. Lê Thị Thu Hà"),
    )
    undecided = ApplicationFactory(
        call=application.call,
        reference="KN-2026-0008",
        title="Máy sấy nông sản dùng năng lượng mặt trời",
        phase="council",
    )
    session.agenda.add(application, undecided)
    # Review scores: 73.33 and 90.00 count; a conflict and an unsubmitted review do not.
    first, second = application.call.criteria.order_by("sort_order")
    submitted = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)
    for values in ((8, 6), (9, None)):
        review = ReviewAssignmentFactory(
            application=application,
            conflict=ReviewAssignment.Conflict.NONE,
            submitted_at=submitted,
        )
        ScoreFactory(review=review, criterion=first, value=values[0])
        ScoreFactory(review=review, criterion=second, value=values[1])
    ReviewAssignmentFactory(
        application=application,
        conflict=ReviewAssignment.Conflict.DECLARED,
        conflict_note="Người thân làm việc tại công ty.",
    )
    unsubmitted = ReviewAssignmentFactory(
        application=application, conflict=ReviewAssignment.Conflict.NONE
    )
    ScoreFactory(review=unsubmitted, criterion=first, value=0)
    CouncilScoreFactory(
        member=chair, application=application, score=85, recommendation=Outcome.APPROVE
    )
    CouncilScoreFactory(
        member=secretary,
        application=application,
        score=Decimal("78.5"),
        recommendation=Outcome.WAITLIST,
    )
    DecisionFactory(
        session=session,
        application=application,
        outcome=Outcome.APPROVE,
        reason="Đạt điểm cao nhất đợt.",
    )
    return session


def test_minutes_record_who_sat_the_quorum_the_scores_and_the_decisions(session):
    text = pdf_text(minutes_pdf(session=session, language="en"))

    assert "Minutes of the council session" in text
    assert "Phiên họp Hội đồng tư vấn xét duyệt đợt 1 năm 2026" in text
    assert "Call: Kêu gọi hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm 2026" in text
    assert "Date and time: 25 Nov 2026, 14:30" in text
    assert "Place: Hội trường Sở Khoa học và Công nghệ, Cao Lãnh" in text
    assert (
        "Name Role Present "
        "PGS.TS. Nguyễn Văn Hùng Chair Yes "
        "ThS. Lê Thị Thu Hà Secretary Yes "
        "TS. Phạm Quốc Việt Member No" in text
    )
    assert "2 of 3 members present: the quorum of 2 is met." in text
    assert (
        "KN-2026-0007 · Ứng dụng IoT giám sát độ ẩm vườn sầu riêng ở Lấp Vò "
        "Applicant: Công ty TNHH Nông nghiệp Số Đất Sen Hồng "
        "Review score: 81.67 (2 reviews) "
        "Member Score Recommendation "
        "PGS.TS. Nguyễn Văn Hùng 85.00 Approve "
        "ThS. Lê Thị Thu Hà 78.50 Waitlist "
        "Mean council score: 81.75 "
        "Decision: Approved "
        "Reason: Đạt điểm cao nhất đợt." in text
    )
    assert (
        "KN-2026-0008 · Máy sấy nông sản dùng năng lượng mặt trời "
        "Applicant: Công ty TNHH Công nghệ Số" in text
    )
    assert "Review score: — Mean council score: — Decision: Not yet decided" in text


def test_minutes_are_in_vietnamese_formats_unless_asked_otherwise(session):
    text = pdf_text(minutes_pdf(session=session))

    assert "14:30 25/11/2026" in text
    assert "81,67" in text
    assert "PGS.TS. Nguyễn Văn Hùng 85,00" in text
    assert "ThS. Lê Thị Thu Hà 78,50" in text
    assert "81,75" in text


def test_minutes_say_when_the_quorum_is_not_met(session):
    session.members.update(is_present=False)
    session.members.filter(role=CouncilMember.Role.CHAIR).update(is_present=True)

    text = pdf_text(minutes_pdf(session=session, language="en"))

    assert "1 of 3 members present: the quorum of 2 is not met." in text
