"""Ordered S&T tasks over HTTP: who may order a task, deliver results, decide on them and put
them on the floor — refused requests change nothing."""

from __future__ import annotations

import datetime

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Organisation
from market.models import Listing
from startups.models import Application, CallPage, TaskOrder, TaskResult
from tests.conftest import login_with_totp
from tests.factories import (
    PDF_BYTES,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    VerifiedOrganisationFactory,
)
from tests.startups.factories import ApplicationFactory, CallPageFactory, ProgrammePageFactory
from tests.startups.factories_challenges import published_need

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    login_with_totp(client, user=user, secret=secret)
    return client


@pytest.fixture
def task(db):
    """An institute's task in progress on an ``st_task`` call, with its researcher."""
    institute = VerifiedOrganisationFactory(kind=Organisation.Kind.INSTITUTE)
    application = ApplicationFactory(
        call=CallPageFactory(call_type="st_task"),
        organisation=institute,
        phase="in_progress",
        title="Sấy lạnh xoài",
    )
    MembershipFactory(user=application.created_by, organisation=institute)
    return application


def results_url(application):
    return f"/vi/portal/applications/{application.pk}/results/"


def test_the_contractor_delivers_results_with_a_file(client, task):
    client.force_login(task.created_by)
    assert client.get(results_url(task)).status_code == 200

    response = client.post(
        results_url(task),
        {
            "summary": "Quy trình sấy lạnh xoài giữ màu.",
            "report": "Báo cáo tổng hợp.",
            "trl": 6,
            "file": SimpleUploadedFile("bao-cao.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.phase == "results_submitted"
    result = TaskResult.objects.get(application=task)
    assert (result.trl, result.submitted_by) == (6, task.created_by)
    download = client.get(f"/vi/portal/task-results/{result.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_others_neither_see_nor_deliver_results(client, task):
    client.force_login(UserFactory())

    assert client.get(results_url(task)).status_code == 404
    response = client.post(results_url(task), {"summary": "S", "report": "R", "trl": 3})

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.phase == "in_progress"
    assert not TaskResult.objects.exists()


def test_a_startup_application_has_no_results_page(client, application, applicant):
    client.force_login(applicant)

    assert client.get(results_url(application)).status_code == 404


@pytest.fixture
def delivered(task):
    Application.objects.filter(pk=task.pk).update(phase="results_submitted")
    TaskResult.objects.create(
        application=task,
        summary="Quy trình sấy lạnh xoài giữ màu.",
        report="Báo cáo.",
        trl=6,
        submitted_by=task.created_by,
        submitted_at=timezone.now(),
    )
    return task


def test_programme_staff_accept_results_and_the_contractor_offers_them(
    client, delivered, programme_staff
):
    staff = logged_in(client, programme_staff)
    decide = f"/admin/startups/tasks/results/{delivered.pk}/"
    listing_page = staff.get("/admin/startups/tasks/results/")
    assert delivered.title in listing_page.content.decode()

    response = staff.post(decide, {"action": "decide", "accept": "yes"})

    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.phase == "results_accepted"

    client.logout()
    client.force_login(delivered.created_by)
    response = client.post(results_url(delivered) + "offer/")

    listing = Listing.objects.get(kind=Listing.Kind.OFFER)
    assert response.status_code == 302
    assert response["Location"] == f"/vi/portal/listings/{listing.pk}/"
    assert listing.task_result.application == delivered
    assert listing.status == Listing.Status.SUBMITTED


def test_a_rejection_needs_a_reason_and_others_may_not_decide(client, delivered):
    curator = StaffFactory(groups=["Curators"])
    refused = logged_in(client, curator).post(
        f"/admin/startups/tasks/results/{delivered.pk}/", {"action": "decide", "accept": "yes"}
    )
    assert refused.status_code == 403
    client.logout()

    staff = logged_in(client, StaffFactory(groups=["Programme staff"]))
    response = staff.post(
        f"/admin/startups/tasks/results/{delivered.pk}/", {"action": "decide", "accept": "no"}
    )

    assert response.status_code == 200
    with translation.override("vi"):
        assert gettext("Give a reason.") in response.content.decode()
    delivered.refresh_from_db()
    assert delivered.phase == "results_submitted"


def test_only_the_contractor_offers_results(client, delivered):
    Application.objects.filter(pk=delivered.pk).update(phase="results_accepted")
    client.force_login(UserFactory())

    assert client.post(results_url(delivered) + "offer/").status_code == 404
    assert not Listing.objects.filter(kind=Listing.Kind.OFFER).exists()


def test_programme_staff_order_a_task_from_a_need_in_one_action(client, programme_staff):
    need = published_need(title="Cần quy trình xử lý nước thải")
    programme = ProgrammePageFactory()
    now = timezone.localtime()
    form = {
        "action": "order",
        "need": need.pk,
        "programme": programme.pk,
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = logged_in(client, StaffFactory(groups=["Curators"])).post(
        "/admin/startups/tasks/order/", form
    )
    assert refused.status_code == 403
    assert not TaskOrder.objects.exists()
    client.logout()

    response = logged_in(client, programme_staff).post("/admin/startups/tasks/order/", form)

    call = CallPage.objects.get(call_type="st_task")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{call.pk}/edit/"
    assert call.task_order.need == need
