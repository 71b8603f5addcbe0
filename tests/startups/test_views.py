"""The applicants', reviewers' and council members' pages, from the outside (HTTP client):
who sees what, conflicts of interest before access, blind review everywhere a reviewer goes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from startups.models import Application, ReviewAssignment
from startups.services import applications as application_services
from startups.services import reviews as review_services
from tests.factories import PDF_BYTES, MembershipFactory, UserFactory
from tests.startups.factories import (
    ApplicationFactory,
    CallPageFactory,
    CouncilMemberFactory,
    form_block,
)

pytestmark = pytest.mark.django_db


def test_a_member_applies_saves_and_submits(client):
    call = CallPageFactory()
    member = MembershipFactory(organisation__verification_status="verified").user
    organisation = member.memberships.get().organisation
    client.force_login(member)

    response = client.post(
        f"/en/calls/{call.pk}/apply/", {"organisation": organisation.pk, "title": "Cảm biến độ mặn"}
    )
    application = Application.objects.get()
    assert response["Location"] == f"/en/portal/applications/{application.pk}/edit/"
    description, money, plan = (question["id"] for question in application.form)

    autosave = client.post(
        f"/en/portal/applications/{application.pk}/autosave/",
        {"title": "Cảm biến độ mặn", description: "Đo độ mặn", money: "abc"},
    )
    assert autosave.status_code == 400
    assert autosave.json()["errors"] == {
        money: ["“Kinh phí đề nghị”: an amount in whole dong is expected, e.g. 500000000"]
    }
    client.post(
        f"/en/portal/applications/{application.pk}/files/{plan}/",
        {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    response = client.post(
        f"/en/portal/applications/{application.pk}/edit/",
        {
            "title": "Cảm biến độ mặn",
            description: "Đo độ mặn nước tưới",
            money: "300.000.000",
            "action": "submit",
        },
    )

    assert response["Location"] == f"/en/portal/applications/{application.pk}/"
    application.refresh_from_db()
    assert (application.phase, application.answers[money]) == ("submitted", 300_000_000)
    assert application.files.get().name == "ke-hoach.pdf"
    page = client.get(f"/vi/portal/applications/{application.pk}/").content.decode()
    assert "Đã nộp" in page


def test_submitting_after_the_deadline_is_refused_over_http(client, application, applicant):
    application.call.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    application.call.save()
    client.force_login(applicant)
    description, money, _plan = (question["id"] for question in application.form)

    response = client.post(
        f"/en/portal/applications/{application.pk}/edit/",
        {"title": application.title, description: "x", money: "1", "action": "submit"},
    )

    assert response.status_code == 200
    assert "The call is closed" in response.content.decode()
    application.refresh_from_db()
    assert application.phase == "draft"


def test_other_people_cannot_open_an_application(client, application):
    client.force_login(UserFactory())

    for path in ("", "edit/"):
        assert client.get(f"/en/portal/applications/{application.pk}/{path}").status_code == 404
    assert client.post(f"/en/portal/applications/{application.pk}/withdraw/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, application):
    response = client.get(f"/en/portal/applications/{application.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def _with_file(application):
    plan = application.form[2]["id"]
    application_services.application_attach(
        application=application,
        actor=application.created_by,
        field_id=plan,
        upload=SimpleUploadedFile("Công ty Sao Mai - kế hoạch.pdf", PDF_BYTES),
    )
    return application.files.get()


def test_a_reviewer_sees_nothing_of_the_application_before_declaring(
    client, application, reviewer, programme_staff
):
    attachment = _with_file(application)
    Application.objects.filter(pk=application.pk).update(phase="review")
    application.answers[application.form[0]["id"]] = "Bí mật kinh doanh"
    Application.objects.filter(pk=application.pk).update(answers=application.answers)
    review = review_services.review_assign(
        application=Application.objects.get(pk=application.pk),
        reviewer=reviewer,
        actor=programme_staff,
    )
    client.force_login(reviewer)

    page = client.get(f"/en/portal/reviews/{review.pk}/").content.decode()
    download = client.get(f"/en/portal/application-files/{attachment.pk}/")

    assert "Conflict of interest" in page
    assert "Bí mật kinh doanh" not in page
    assert download.status_code == 404


def test_a_declared_conflict_removes_access_over_http(
    client, application, reviewer, programme_staff
):
    attachment = _with_file(application)
    Application.objects.filter(pk=application.pk).update(phase="review")
    review = review_services.review_assign(
        application=Application.objects.get(pk=application.pk),
        reviewer=reviewer,
        actor=programme_staff,
    )
    client.force_login(reviewer)

    response = client.post(
        f"/en/portal/reviews/{review.pk}/", {"has_conflict": "yes", "note": "Tôi là cổ đông."}
    )

    assert response["Location"] == "/en/portal/reviews/"
    review.refresh_from_db()
    assert review.conflict == ReviewAssignment.Conflict.DECLARED
    assert client.get(f"/en/portal/reviews/{review.pk}/").status_code == 404
    assert client.get(f"/en/portal/application-files/{attachment.pk}/").status_code == 404
    assert application.reference not in client.get("/en/portal/reviews/").content.decode()


def test_no_conflict_opens_the_application_and_the_rubric(
    client, application, reviewer, programme_staff
):
    Application.objects.filter(pk=application.pk).update(phase="review")
    review = review_services.review_assign(
        application=Application.objects.get(pk=application.pk),
        reviewer=reviewer,
        actor=programme_staff,
    )
    client.force_login(reviewer)

    client.post(f"/en/portal/reviews/{review.pk}/", {"has_conflict": "no"})
    page = client.get(f"/en/portal/reviews/{review.pk}/").content.decode()

    assert "Giám sát độ ẩm vườn sầu riêng bằng IoT." in page
    assert "Tính đổi mới" in page and "N/A" in page
    criteria = list(application.call.criteria.order_by("sort_order"))
    response = client.post(
        f"/en/portal/reviews/{review.pk}/",
        {f"score_{criteria[0].pk}": "8", f"score_{criteria[1].pk}": "na", "action": "submit"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert {score.criterion_id: score.value for score in review.scores.all()} == {
        criteria[0].pk: 8,
        criteria[1].pk: None,
    }


def test_blind_review_hides_the_applicant_everywhere_a_reviewer_goes(
    client, application, reviewer, programme_staff, django_capture_on_commit_callbacks
):
    application.call.blind_review = True
    application.call.save()
    attachment = _with_file(application)
    Application.objects.filter(pk=application.pk).update(phase="review")
    organisation = application.organisation.legal_name
    people = [application.created_by.full_name, application.created_by.email]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.review_assign(
            application=Application.objects.get(pk=application.pk),
            reviewer=reviewer,
            actor=programme_staff,
        )
    client.force_login(reviewer)

    pages = [client.get(f"/en/portal/reviews/{review.pk}/").content.decode()]
    client.post(f"/en/portal/reviews/{review.pk}/", {"has_conflict": "no"})
    pages.append(client.get(f"/en/portal/reviews/{review.pk}/").content.decode())
    pages.append(client.get("/en/portal/reviews/").content.decode())
    download = client.get(f"/en/portal/application-files/{attachment.pk}/")
    pages.append(download["Content-Disposition"])
    pages.extend(f"{message.subject}\n{message.body}" for message in mail.outbox)

    assert download.status_code == 200
    assert "Sao Mai" not in download["Content-Disposition"]
    for text in pages:
        assert organisation not in text
        for person in people:
            assert person not in text


def test_the_applicant_still_sees_their_own_file_name_under_blind_review(client, application):
    application.call.blind_review = True
    application.call.save()
    attachment = _with_file(application)
    client.force_login(application.created_by)

    download = client.get(f"/en/portal/application-files/{attachment.pk}/")

    assert "filename*=utf-8''C%C3%B4ng%20ty%20Sao%20Mai" in download["Content-Disposition"]


def test_only_council_members_open_the_score_sheet(client, programme_staff):
    member = CouncilMemberFactory()
    application = ApplicationFactory(phase="council", call=member.session.call)
    member.session.agenda.add(application)

    client.force_login(UserFactory())
    assert client.get(f"/en/portal/councils/{member.session.pk}/").status_code == 404

    client.force_login(member.user)
    response = client.post(
        f"/en/portal/councils/{member.session.pk}/",
        {
            "application": application.pk,
            f"{application.pk}-score": "77.5",
            f"{application.pk}-recommendation": "approve",
        },
    )
    assert response.status_code == 302
    assert member.session.scores.get().score == Decimal("77.5")


def test_the_call_page_shows_the_window_and_an_apply_button(client):
    call = CallPageFactory(title="Kêu gọi đợt 3")

    page = client.get(call.url).content.decode()

    assert "Kêu gọi đợt 3" in page
    assert f"/calls/{call.pk}/apply/" in page


def test_a_closed_call_has_no_apply_button_and_refuses_new_drafts(client):
    call = CallPageFactory(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    member = MembershipFactory(organisation__verification_status="verified").user
    client.force_login(member)

    page = client.get(call.url).content.decode()
    response = client.post(
        f"/en/calls/{call.pk}/apply/",
        {"organisation": member.memberships.get().organisation_id, "title": "Muộn"},
    )

    assert f"/calls/{call.pk}/apply/" not in page
    assert "This call is not open" in response.content.decode()
    assert not Application.objects.exists()


def test_blind_review_shows_team_roles_without_names(client, reviewer, programme_staff):
    call = CallPageFactory(
        blind_review=True, application_form=[form_block("team", "Đội ngũ sáng lập")]
    )
    team = call.form_definition()[0]["id"]
    application = ApplicationFactory(
        call=call,
        phase="review",
        answers={team: [{"name": "Lê Văn Cường", "role": "Giám đốc kỹ thuật", "email": "c@x.vn"}]},
    )
    review = review_services.review_assign(
        application=application, reviewer=reviewer, actor=programme_staff
    )
    review_services.review_declare(review=review, actor=reviewer, has_conflict=False)
    client.force_login(reviewer)

    page = client.get(f"/en/portal/reviews/{review.pk}/").content.decode()

    assert "Giám đốc kỹ thuật" in page
    assert "Lê Văn Cường" not in page and "c@x.vn" not in page
