"""Support agreements: milestones, reports, acceptance, disbursement, completion."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Membership
from startups.models import Disbursement, Milestone, SupportAgreement
from startups.selectors.applications import agreement_interest_schedule
from startups.services import agreements as services
from tests.factories import MembershipFactory
from tests.startups.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def approved(db):
    application = ApplicationFactory(phase="approved")
    MembershipFactory(
        user=application.created_by,
        organisation=application.organisation,
        role=Membership.Role.OWNER,
    )
    return application


def sign(application, staff, **extra):
    return services.agreement_create(
        application=application,
        actor=staff,
        number="HĐ-01/2026",
        signed_on=TODAY,
        grant_total=300_000_000,
        milestones=[
            {
                "title": "Sản phẩm mẫu",
                "due_on": TODAY + datetime.timedelta(days=90),
                "amount": 100_000_000,
            },
            {
                "title": "Thử nghiệm thị trường",
                "due_on": TODAY + datetime.timedelta(days=180),
                "amount": 200_000_000,
            },
        ],
        **extra,
    )


def test_signing_starts_the_support(approved, programme_staff):
    agreement = sign(approved, programme_staff)

    approved.refresh_from_db()
    assert approved.phase == "in_support"
    assert list(agreement.milestones.values_list("title", "amount")) == [
        ("Sản phẩm mẫu", 100_000_000),
        ("Thử nghiệm thị trường", 200_000_000),
    ]


def test_milestones_cannot_disburse_more_than_the_grant(approved, programme_staff):
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            application=approved,
            actor=programme_staff,
            number="HĐ-02/2026",
            signed_on=TODAY,
            grant_total=150_000_000,
            milestones=[{"title": "Một", "due_on": TODAY, "amount": 200_000_000}],
        )

    assert error.value.message_dict == {
        "milestones": [
            "The milestones disburse VND\xa0200,000,000, more than the grant of VND\xa0150,000,000."
        ]
    }
    assert not SupportAgreement.objects.exists()
    approved.refresh_from_db()
    assert approved.phase == "approved"


def test_only_approved_applications_get_an_agreement(programme_staff):
    with pytest.raises(ValidationError, match="Only an approved application"):
        sign(ApplicationFactory(phase="council"), programme_staff)


def test_report_accept_disburse_complete(approved, programme_staff, finance):
    agreement = sign(approved, programme_staff)
    startup = approved.created_by
    first, second = agreement.milestones.all()

    for milestone in (first, second):
        services.milestone_report(milestone=milestone, actor=startup, report="Đã hoàn thành.")
        services.milestone_review(milestone=milestone, actor=programme_staff, accept=True)
        services.milestone_disburse(milestone=milestone, actor=finance, reference="UNC 123")
    services.agreement_complete(agreement=agreement, actor=programme_staff)

    approved.refresh_from_db()
    agreement.refresh_from_db()
    assert approved.phase == "completed"
    assert agreement.status == SupportAgreement.Status.COMPLETED
    assert list(Disbursement.objects.order_by("pk").values_list("amount", flat=True)) == [
        100_000_000,
        200_000_000,
    ]


def test_a_returned_report_can_be_sent_again(approved, programme_staff):
    agreement = sign(approved, programme_staff)
    milestone = agreement.milestones.first()
    services.milestone_report(milestone=milestone, actor=approved.created_by, report="Bản đầu.")

    with pytest.raises(ValidationError):
        services.milestone_review(milestone=milestone, actor=programme_staff, accept=False)
    services.milestone_review(
        milestone=milestone, actor=programme_staff, accept=False, note="Thiếu biên bản nghiệm thu."
    )
    services.milestone_report(milestone=milestone, actor=approved.created_by, report="Bản bổ sung.")

    milestone.refresh_from_db()
    assert (milestone.status, milestone.report) == (Milestone.Status.REPORTED, "Bản bổ sung.")


def test_money_goes_only_against_accepted_milestones_and_only_once(
    approved, programme_staff, finance
):
    agreement = sign(approved, programme_staff)
    milestone = agreement.milestones.first()
    services.milestone_report(milestone=milestone, actor=approved.created_by, report="Xong.")

    with pytest.raises(ValidationError, match="accepted milestone"):
        services.milestone_disburse(milestone=milestone, actor=finance)
    services.milestone_review(milestone=milestone, actor=programme_staff, accept=True)
    services.milestone_disburse(milestone=milestone, actor=finance)
    with pytest.raises(ValidationError, match="accepted milestone"):
        services.milestone_disburse(milestone=milestone, actor=finance)

    assert Disbursement.objects.count() == 1


def test_only_finance_disburses_and_only_the_startup_reports(approved, programme_staff):
    agreement = sign(approved, programme_staff)
    milestone = agreement.milestones.first()

    with pytest.raises(PermissionDenied):
        services.milestone_report(
            milestone=milestone, actor=programme_staff, report="Không phải tôi."
        )
    services.milestone_report(milestone=milestone, actor=approved.created_by, report="Xong.")
    services.milestone_review(milestone=milestone, actor=programme_staff, accept=True)
    with pytest.raises(PermissionDenied):
        services.milestone_disburse(milestone=milestone, actor=programme_staff)

    assert not Disbursement.objects.exists()


def test_an_agreement_completes_only_when_everything_is_disbursed(approved, programme_staff):
    agreement = sign(approved, programme_staff)

    with pytest.raises(ValidationError, match="Milestones still open: Sản phẩm mẫu, Thử nghiệm"):
        services.agreement_complete(agreement=agreement, actor=programme_staff)


def test_the_loan_interest_schedule_is_computed_from_the_agreement(approved, programme_staff):
    agreement = sign(
        approved,
        programme_staff,
        loan_principal=120_000_000,
        loan_annual_rate=Decimal(12),
        loan_term_months=12,
        loan_supported_share=Decimal(50),
    )

    schedule = agreement_interest_schedule(agreement=agreement)

    assert len(schedule) == 12
    assert (schedule[0].interest, schedule[0].supported) == (1_200_000, 600_000)
    assert agreement_interest_schedule(agreement=None) == []


def test_grants_stay_within_the_calls_budget(approved, programme_staff):
    approved.call.budget = 500_000_000
    approved.call.save()
    sign(approved, programme_staff)  # 300 million
    second = ApplicationFactory(phase="approved", call=approved.call)

    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            application=second,
            actor=programme_staff,
            number="HĐ-09/2026",
            signed_on=TODAY,
            grant_total=250_000_000,
            milestones=[{"title": "Một", "due_on": TODAY, "amount": 250_000_000}],
        )

    assert error.value.message_dict == {
        "grant_total": [
            "The call's budget is VND\xa0500,000,000 and VND\xa0300,000,000 is already "
            "committed; at most VND\xa0200,000,000 is left."
        ]
    }
    second.refresh_from_db()
    assert second.phase == "approved"
