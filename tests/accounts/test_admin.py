"""The Wagtail admin: two factors for staff, the verification queue and the audit trail."""

import time

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.models import Organisation, VerificationRequest
from tests.conftest import login_with_totp
from tests.factories import PASSWORD, MembershipFactory, StaffFactory, VerificationRequestFactory

pytestmark = pytest.mark.django_db


def test_wagtails_own_login_form_is_replaced_by_allauths(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/vi/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_staff_without_totp_must_set_it_up_before_the_admin(client):
    staff = StaffFactory()
    client.post("/en/accounts/login/", {"login": staff.email, "password": PASSWORD})

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/vi/accounts/2fa/totp/activate/?next=")


def test_staff_with_totp_must_give_the_code_to_log_in(client, curator):
    response = client.post("/en/accounts/login/", {"login": curator.email, "password": PASSWORD})

    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("steps_back", "accepted"), [(1, True), (2, False)])
def test_a_code_of_the_step_before_is_still_accepted_but_not_older(
    client, staff_totp_secret, steps_back, accepted
):
    staff = StaffFactory()
    TOTP.activate(staff, staff_totp_secret)
    client.post("/en/accounts/login/", {"login": staff.email, "password": PASSWORD})
    totp = pyotp.TOTP(staff_totp_secret)

    client.post(
        "/en/accounts/2fa/authenticate/",
        {"code": totp.at(time.time() - steps_back * totp.interval)},
    )

    assert ("_auth_user_id" in client.session) is accepted


def test_staff_with_totp_reach_the_admin(curator_client):
    response = curator_client.get("/admin/")

    assert response.status_code == 200


def test_members_of_the_public_do_not_reach_the_admin(client):
    member = MembershipFactory().user
    client.force_login(member)

    response = client.get("/admin/verification/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_reviewers_do_not_see_the_verification_queue(client, staff_totp_secret):
    reviewer = StaffFactory(groups=["Reviewers"])
    TOTP.activate(reviewer, staff_totp_secret)
    login_with_totp(client, user=reviewer, secret=staff_totp_secret)

    response = client.get("/admin/verification/")

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/" in response["Location"]


def test_the_queue_lists_pending_requests_oldest_first(curator_client):
    first = VerificationRequestFactory(organisation__legal_name="Viện Thứ Nhất")
    second = VerificationRequestFactory(organisation__legal_name="Công ty Thứ Hai")
    decided = VerificationRequestFactory(
        organisation__legal_name="Đã Quyết", status=VerificationRequest.Status.VERIFIED
    )

    content = curator_client.get("/admin/verification/").content.decode()

    assert content.index(first.organisation.legal_name) < content.index(
        second.organisation.legal_name
    )
    assert decided.organisation.legal_name not in content


def test_a_curator_rejects_with_a_reason_in_the_admin(curator_client, curator):
    verification = VerificationRequestFactory()
    url = reverse("accounts_admin:verification_decide", kwargs={"pk": verification.pk})

    response = curator_client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    verification.refresh_from_db()
    assert verification.status == VerificationRequest.Status.PENDING

    response = curator_client.post(url, {"decision": "reject", "reason": "Ảnh mờ, gửi lại bản rõ"})
    assert response.status_code == 302
    verification.refresh_from_db()
    assert verification.status == VerificationRequest.Status.REJECTED
    assert verification.decided_by == curator


def test_staff_actions_appear_in_the_audit_trail(curator_client, curator):
    verification = VerificationRequestFactory()
    curator_client.post(
        reverse("accounts_admin:verification_decide", kwargs={"pk": verification.pk}),
        {"decision": "verify", "reason": ""},
    )

    entry = ModelLogEntry.objects.for_instance(verification.organisation).get()
    assert (entry.action, entry.user) == ("techfloor.verification.approve", curator)
    response = curator_client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert "Đã xác minh tổ chức" in response.content.decode()  # the curator reads Vietnamese
    assert verification.organisation.legal_name in response.content.decode()
    verification.organisation.refresh_from_db()
    assert verification.organisation.verification_status == Organisation.Verification.VERIFIED


def test_staff_groups_exist_with_admin_access():
    groups = {
        group.name: group
        for group in Group.objects.filter(name__in=["Curators", "Reviewers", "Finance"])
    }

    assert set(groups) == {"Curators", "Reviewers", "Finance"}
    for group in groups.values():
        assert group.permissions.filter(codename="access_admin").exists(), group.name
    assert groups["Curators"].permissions.filter(codename="change_verificationrequest").exists()
    assert (
        not groups["Reviewers"].permissions.filter(codename="change_verificationrequest").exists()
    )


def test_the_admin_user_form_has_full_name_and_language(client, staff_totp_secret):
    superuser = StaffFactory(is_superuser=True)
    TOTP.activate(superuser, staff_totp_secret)
    login_with_totp(client, user=superuser, secret=staff_totp_secret)

    response = client.get(reverse("wagtailusers_users:add"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="full_name"' in content
    assert 'name="preferred_language"' in content
    assert 'name="first_name"' not in content
    edit = client.get(reverse("wagtailusers_users:edit", args=[superuser.pk])).content.decode()
    assert f'value="{superuser.full_name}"' in edit
