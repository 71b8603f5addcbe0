"""Applying: frozen form, autosave, the window checked on the server, withdrawal, the "more
information" loop, co-applicants and eligibility screening."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Membership, Organisation
from startups.models import Application
from startups.services import applications as services
from tests.factories import MembershipFactory, UserFactory, VerifiedOrganisationFactory
from tests.startups.factories import CallPageFactory, form_block

pytestmark = pytest.mark.django_db


def at(moment: datetime.datetime):
    return mock.patch.object(timezone, "now", return_value=moment)


def test_a_new_application_keeps_the_form_it_answered(applicant):
    call = CallPageFactory()
    organisation = VerifiedOrganisationFactory(kind=Organisation.Kind.STARTUP)
    MembershipFactory(user=applicant, organisation=organisation)

    application = services.application_create(
        call=call, organisation=organisation, actor=applicant, title="Máy sấy năng lượng mặt trời"
    )
    call.application_form = [form_block("short_text", "Câu hỏi mới")]
    call.save()

    application.refresh_from_db()
    assert application.reference == f"HS-{call.pk}-{application.pk:05d}"
    assert application.phase == "draft"
    assert [question["label"] for question in application.form] == [
        "Mô tả dự án",
        "Kinh phí đề nghị",
        "Kế hoạch kinh doanh",
    ]


def test_one_application_per_organisation_and_call(application, applicant):
    with pytest.raises(ValidationError, match="already applied"):
        services.application_create(
            call=application.call,
            organisation=application.organisation,
            actor=applicant,
            title="Lần hai",
        )


def test_only_members_apply_for_an_organisation(application):
    outsider = UserFactory()

    with pytest.raises(PermissionDenied):
        services.application_create(
            call=application.call,
            organisation=application.organisation,
            actor=outsider,
            title="Không phải của tôi",
        )


def test_autosave_keeps_good_answers_and_names_the_bad_question(application, applicant):
    description, money, _file = (question["id"] for question in application.form)

    services.application_save(
        application=application, actor=applicant, answers={description: "Bản mới"}
    )
    with pytest.raises(ValidationError) as error:
        services.application_save(
            application=application, actor=applicant, answers={money: "năm trăm triệu"}
        )

    application.refresh_from_db()
    assert application.answers[description] == "Bản mới"
    assert application.answers[money] == 450_000_000
    assert error.value.message_dict == {
        money: ["“Kinh phí đề nghị”: an amount in whole dong is expected, e.g. 500000000"]
    }


def test_money_answers_are_whole_dong(application, applicant):
    money = application.form[1]["id"]

    services.application_save(
        application=application, actor=applicant, answers={money: "1.250.000.000"}
    )

    application.refresh_from_db()
    assert application.answers[money] == 1_250_000_000


def test_submission_one_second_before_closing_is_accepted(application, applicant):
    with at(application.call.closes_at - datetime.timedelta(seconds=1)):
        services.application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.phase == "submitted"
    assert application.phase_changes.get().transition == "submit"


def test_submission_at_or_after_closing_is_refused(application, applicant):
    for moment in (
        application.call.closes_at,
        application.call.closes_at + datetime.timedelta(seconds=1),
    ):
        with at(moment), pytest.raises(ValidationError, match="The call is closed"):
            services.application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.phase == "draft"
    assert application.submitted_at is None


def test_a_required_answer_missing_blocks_submission(application, applicant):
    description = application.form[0]["id"]
    application.answers.pop(description)
    application.save()

    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, actor=applicant)

    assert error.value.message_dict == {description: ["“Mô tả dự án” needs an answer."]}


def test_an_unverified_organisation_cannot_submit(application, applicant):
    Organisation.objects.filter(pk=application.organisation_id).update(
        verification_status=Organisation.Verification.PENDING
    )
    application.refresh_from_db()

    with pytest.raises(ValidationError, match="Only verified organisations"):
        services.application_submit(application=application, actor=applicant)


def test_submission_records_the_automatic_eligibility_check(application, applicant):
    application.call.eligible_kinds = ["sme"]
    application.call.save()

    services.application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.is_eligible is False
    assert application.eligibility == [
        {
            "rule": "kind",
            "passed": False,
            "message": "Organisation kind: Startup; the call accepts Small or medium enterprise.",
        }
    ]


def test_more_information_reopens_editing_and_additions_may_come_after_closing(
    application, applicant, programme_staff
):
    services.application_submit(application=application, actor=applicant)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.application_save(application=application, actor=applicant, answers={})

    services.application_request_info(
        application=application, actor=programme_staff, reason="Thiếu kế hoạch kinh doanh."
    )
    services.application_save(application=application, actor=applicant, answers={})
    with at(application.call.closes_at + datetime.timedelta(days=3)):
        services.application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.phase == "submitted"
    assert list(application.phase_changes.values_list("transition", "reason")) == [
        ("submit", ""),
        ("request_info", "Thiếu kế hoạch kinh doanh."),
        ("resubmit", ""),
    ]


def test_asking_for_more_information_needs_a_reason(application, applicant, programme_staff):
    services.application_submit(application=application, actor=applicant)

    with pytest.raises(ValidationError) as error:
        services.application_request_info(
            application=application, actor=programme_staff, reason=" "
        )

    assert error.value.message_dict == {"reason": ["Give a reason."]}


def test_withdrawal(application, applicant):
    services.application_submit(application=application, actor=applicant)

    services.application_withdraw(application=application, actor=applicant, reason="Đổi hướng.")

    application.refresh_from_db()
    assert application.phase == "withdrawn"


def test_an_outsider_can_neither_edit_nor_withdraw_and_nothing_changes(application):
    outsider = UserFactory()
    before = dict(application.answers)

    with pytest.raises(PermissionDenied):
        services.application_save(application=application, actor=outsider, answers={})
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, actor=outsider)

    application.refresh_from_db()
    assert (application.phase, application.answers) == ("draft", before)
    assert not application.phase_changes.exists()


def test_co_applicants_come_from_the_same_organisation(application, applicant):
    colleague = MembershipFactory(
        organisation=application.organisation, role=Membership.Role.MEMBER
    ).user
    stranger = UserFactory(full_name="Người Ngoài")

    services.application_set_co_applicants(
        application=application, actor=applicant, users=[colleague]
    )
    with pytest.raises(ValidationError, match="Người Ngoài"):
        services.application_set_co_applicants(
            application=application, actor=applicant, users=[colleague, stranger]
        )

    assert list(application.co_applicants.all()) == [colleague]
    # A co-applicant may then edit, as a member who is not a manager could not otherwise.
    services.application_save(application=application, actor=colleague, answers={})


def test_staff_override_of_eligibility_needs_a_reason(application, applicant, programme_staff):
    application.call.eligible_kinds = ["sme"]
    application.call.save()
    services.application_submit(application=application, actor=applicant)

    with pytest.raises(ValidationError) as error:
        services.application_screen(application=application, actor=programme_staff, eligible=True)
    services.application_screen(
        application=application,
        actor=programme_staff,
        eligible=True,
        reason="Đã chuyển đổi thành doanh nghiệp nhỏ tháng trước.",
    )

    assert error.value.message_dict == {
        "reason": ["Say why you override the automatic eligibility check."]
    }
    application.refresh_from_db()
    assert application.phase == "review"
    assert (application.is_eligible, application.eligibility_override, application.eligible) == (
        False,
        True,
        True,
    )


def test_ineligible_needs_a_reason_and_ends_the_application(
    application, applicant, programme_staff
):
    services.application_submit(application=application, actor=applicant)

    services.application_screen(
        application=application, actor=programme_staff, eligible=False, reason="Ngoài tỉnh."
    )

    application.refresh_from_db()
    assert application.phase == "ineligible"
    assert application.workflow.available(phase="ineligible", role="applicant") == []


def test_applicants_cannot_screen(application, applicant):
    services.application_submit(application=application, actor=applicant)

    with pytest.raises(PermissionDenied):
        services.application_screen(application=application, actor=applicant, eligible=True)

    assert Application.objects.get(pk=application.pk).phase == "submitted"
