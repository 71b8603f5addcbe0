"""Exports of a call's applications and reviews: exact rows, both file formats, staff only."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import include, path
from openpyxl import load_workbook

from accounts.models import Organisation
from startups.admin_views import exports as admin_exports
from startups.exports import applications_rows, reviews_rows
from startups.models import Outcome, ReviewAssignment
from techfloor import spreadsheets
from techfloor import urls as techfloor_urls
from tests.conftest import login_with_totp
from tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    VerifiedOrganisationFactory,
)
from tests.startups.factories import (
    ApplicationFactory,
    CallPageFactory,
    CouncilSessionFactory,
    DecisionFactory,
    ReviewAssignmentFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db

# The views on their own, outside the Wagtail admin: Wagtail wraps the patterns it mounts (in
# place) so that it redirects whoever may not enter the admin before a view runs; here the
# views' own check answers. Same routes and names, the module's functions unwrapped.
urlpatterns = [
    path(
        "exports/",
        include(
            [
                path(str(pattern.pattern), getattr(admin_exports, pattern.name), name=pattern.name)
                for pattern in admin_exports.urlpatterns
            ]
        ),
    ),
    *techfloor_urls.urlpatterns,
]

SUBMITTED = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Vietnam
SUBMITTED_LOCAL = datetime.datetime(2026, 11, 20, 10, 0)  # noqa: DTZ001 - what a sheet holds
REVIEWED = datetime.datetime(2026, 11, 22, 2, 15, tzinfo=datetime.UTC)
REVIEWED_LOCAL = datetime.datetime(2026, 11, 22, 9, 15)  # noqa: DTZ001


@pytest.fixture
def call():
    return CallPageFactory(title="Kêu gọi hỗ trợ dự án khởi nghiệp năm 2026")


def review(application, reviewer, values, **fields):
    assignment = ReviewAssignmentFactory(application=application, reviewer=reviewer, **fields)
    for criterion, value in zip(
        application.call.criteria.order_by("sort_order"), values, strict=False
    ):
        ScoreFactory(review=assignment, criterion=criterion, value=value)
    return assignment


@pytest.fixture
def applications(call):
    """In review with three reviews (two count); approved after a waitlist, with a title that
    a spreadsheet would run; a draft and another call's application, neither exported."""
    in_review = ApplicationFactory(
        call=call,
        reference="KN-2026-0001",
        title="Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
        organisation=VerifiedOrganisationFactory(
            kind=Organisation.Kind.STARTUP, legal_name="Công ty TNHH Nông nghiệp Số Đất Sen"
        ),
        phase="review",
        is_eligible=True,
        submitted_at=SUBMITTED,
    )
    approved = ApplicationFactory(
        call=call,
        reference="KN-2026-0002",
        title='=HYPERLINK("http://evil.example","Bấm vào đây")',
        organisation=VerifiedOrganisationFactory(
            kind=Organisation.Kind.STARTUP, legal_name="Công ty CP Máy sấy Mặt Trời"
        ),
        phase="approved",
        is_eligible=False,
        eligibility_override=True,
        eligibility_override_reason="Doanh thu năm đầu được miễn theo quy chế.",
        submitted_at=SUBMITTED + datetime.timedelta(hours=1),
    )
    ApplicationFactory(call=call, reference="KN-2026-0003", phase="draft")
    ApplicationFactory(reference="KN-2026-0099", phase="review", submitted_at=SUBMITTED)

    binh = UserFactory(full_name="PGS.TS. Trần Thị Bình")
    scored = {"conflict": ReviewAssignment.Conflict.NONE, "submitted_at": REVIEWED}
    review(in_review, binh, [8, 6], **scored)  # (2×0.8 + 0.6) / 3 = 73.33
    review(in_review, UserFactory(full_name="TS. Võ Minh Khoa"), [9, None], **scored)  # 90.00
    review(
        in_review,
        UserFactory(full_name="ThS. Đặng Văn Lộc"),
        [],
        conflict=ReviewAssignment.Conflict.DECLARED,
        conflict_note="Là cổ đông của công ty.",
    )
    review(approved, binh, [10, 5], conflict=ReviewAssignment.Conflict.NONE)  # not submitted

    session = CouncilSessionFactory(call=call)
    DecisionFactory(session=session, application=approved, outcome=Outcome.WAITLIST)
    DecisionFactory(session=session, application=approved, outcome=Outcome.APPROVE)
    return in_review, approved


def test_applications_rows_list_the_submitted_applications_with_score_and_decision(
    call, applications
):
    assert list(applications_rows(call=call)) == [
        [
            "Reference",
            "Title",
            "Organisation",
            "Province or city",
            "Phase",
            "Eligibility",
            "Submitted at",
            "Score",
            "Decision",
        ],
        [
            "KN-2026-0001",
            "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
            "Công ty TNHH Nông nghiệp Số Đất Sen",
            "Đồng Tháp",
            "In expert review",
            "Eligible",
            SUBMITTED_LOCAL,
            Decimal("81.67"),
            None,
        ],
        [
            "KN-2026-0002",
            '=HYPERLINK("http://evil.example","Bấm vào đây")',
            "Công ty CP Máy sấy Mặt Trời",
            "Đồng Tháp",
            "Approved",
            "Eligible (staff decision)",
            SUBMITTED_LOCAL + datetime.timedelta(hours=1),
            None,
            "Approve",
        ],
    ]


def test_reviews_rows_show_each_criterion_with_na_and_the_weighted_score(call, applications):
    assert list(reviews_rows(call=call)) == [
        [
            "Reference",
            "Title",
            "Reviewer",
            "Conflict of interest",
            "Tính đổi mới",
            "Thị trường",
            "Weighted score",
            "Submitted at",
        ],
        [
            "KN-2026-0001",
            "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
            "PGS.TS. Trần Thị Bình",
            "No conflict of interest",
            8,
            6,
            Decimal("73.33"),
            REVIEWED_LOCAL,
        ],
        [
            "KN-2026-0001",
            "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
            "TS. Võ Minh Khoa",
            "No conflict of interest",
            9,
            "N/A",
            Decimal("90.00"),
            REVIEWED_LOCAL,
        ],
        [
            "KN-2026-0001",
            "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
            "ThS. Đặng Văn Lộc",
            "Conflict of interest declared",
            None,
            None,
            None,
            None,
        ],
        # Scores saved but not submitted are the reviewer's draft: not shown, not counted.
        [
            "KN-2026-0002",
            '=HYPERLINK("http://evil.example","Bấm vào đây")',
            "PGS.TS. Trần Thị Bình",
            "No conflict of interest",
            None,
            None,
            None,
            None,
        ],
    ]


def test_reviews_rows_of_a_normalising_call_show_the_normalised_scores(call, applications):
    in_review, approved = applications
    approved.reviews.update(submitted_at=REVIEWED)  # Trần Thị Bình's second review: 83.33
    call.normalise_scores = True
    call.save(update_fields=["normalise_scores"])

    header, *rows = reviews_rows(call=call)

    assert header[6] == "Weighted score (normalised)"
    # 73.33 and 83.33 from a reviewer whose mean is 78.33 and spread 5.00, mapped onto the
    # call's mean (82.22) and spread (6.85); a reviewer with one review keeps their 90.00.
    assert [row[6] for row in rows] == [Decimal("75.37"), Decimal("90.00"), None, Decimal("89.07")]


def test_the_csv_file_defuses_formulas_and_writes_na(call, applications):
    content = spreadsheets.to_csv(reviews_rows(call=call))

    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert content.startswith("\ufeff".encode())
    assert lines[2] == [
        "KN-2026-0001",
        "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
        "TS. Võ Minh Khoa",
        "No conflict of interest",
        "9",
        "N/A",
        "90.00",
        "2026-11-22 09:15:00",
    ]
    assert lines[4][:2] == ["KN-2026-0002", '\'=HYPERLINK("http://evil.example","Bấm vào đây")']


def test_the_xlsx_file_keeps_numbers_and_dates_and_defuses_formulas(call, applications):
    content = spreadsheets.to_xlsx(applications_rows(call=call), title="Hồ sơ")

    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Hồ sơ"
    assert rows[1] == [
        "KN-2026-0001",
        "Ứng dụng IoT giám sát độ ẩm vườn sầu riêng",
        "Công ty TNHH Nông nghiệp Số Đất Sen",
        "Đồng Tháp",
        "In expert review",
        "Eligible",
        SUBMITTED_LOCAL,
        81.67,
        None,
    ]
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","Bấm vào đây")'
    assert sheet.cell(row=3, column=2).data_type == "s"


@pytest.fixture
def programme_staff_client(client):
    secret = pyotp.random_base32()
    staff = StaffFactory(groups=["Programme staff"])
    TOTP.activate(staff, secret)
    login_with_totp(client, user=staff, secret=secret)
    return client


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("dataset", ["applications", "reviews"])
@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_programme_staff_download_the_files(
    programme_staff_client, call, applications, dataset, file_format, content_type
):
    response = programme_staff_client.get(
        f"/exports/calls/{call.pk}/export/{dataset}.{file_format}"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="techfloor-call-{call.pk}-{dataset}-'
    )
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("dataset", ["applications", "reviews"])
def test_members_curators_and_visitors_are_refused(client, curator_client, applications, dataset):
    in_review, _approved = applications
    url = f"/exports/calls/{in_review.call_id}/export/{dataset}.csv"
    member = Client()
    member.force_login(MembershipFactory(organisation=in_review.organisation).user)

    for denied in (member, curator_client, Client()):
        response = denied.get(url)
        assert response.status_code == 403
        assert b"KN-2026-0001" not in response.content


@pytest.mark.urls(__name__)
def test_an_unknown_format_or_call_is_not_found(programme_staff_client, call):
    assert (
        programme_staff_client.get(f"/exports/calls/{call.pk}/export/reviews.pdf").status_code
        == 404
    )
    assert (
        programme_staff_client.get(
            f"/exports/calls/{call.pk + 1000}/export/reviews.csv"
        ).status_code
        == 404
    )
