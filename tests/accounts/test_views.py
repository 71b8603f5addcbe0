"""The portal and the allauth pages, exercised from the outside through the HTTP client."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, User, VerificationRequest
from accounts.provinces import Province
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    VerificationRequestFactory,
    evidence_file,
)

pytestmark = pytest.mark.django_db


def _signup(client, email="lan@vien.vn", language="vi"):
    return client.post(
        "/vi/accounts/signup/",
        {
            "full_name": "Nguyễn Thị Lan",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "preferred_language": language,
        },
    )


def test_sign_up_needs_the_emailed_link_before_login(client, mailoutbox):
    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/vi/accounts/confirm-email/"
    user = User.objects.get(email="lan@vien.vn")
    assert (user.full_name, user.preferred_language) == ("Nguyễn Thị Lan", "vi")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session

    link = re.search(r"http://testserver(/vi/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)
    assert link is not None
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=user).verified

    response = client.post("/vi/accounts/login/", {"login": "lan@vien.vn", "password": PASSWORD})
    assert response["Location"] == "/vi/portal/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unverified_email_cannot_log_in(client, mailoutbox):
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == "/en/accounts/confirm-email/"
    assert "We have sent an email to you for verification" in response.content.decode()
    assert [message.to for message in mailoutbox] == [[user.email]]


def test_login_lands_in_the_preferred_language(client):
    user = UserFactory(preferred_language="en")

    response = client.post("/vi/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response["Location"] == "/en/portal/"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/vi/accounts/login/", "Đăng nhập"),
        ("/en/accounts/login/", "Sign In"),
        ("/vi/accounts/signup/", "Họ và tên"),
        ("/vi/accounts/password/reset/", "Đặt lại mật khẩu"),
    ],
)
def test_allauth_pages_use_the_site_layout_in_each_language(client, path, text):
    response = client.get(path)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{path[1:3]}">' in content
    assert "/static/bootstrap/css/bootstrap.min.css" in content
    assert text in content


def test_login_is_rate_limited_even_for_the_right_password(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    user = UserFactory()
    for _attempt in range(3):
        client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})

    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change_requires_the_old_password(client, user):
    client.force_login(user)

    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "n3w-Passw0rd!", "password2": "n3w-Passw0rd!"},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_portal_requires_login(client):
    response = client.get("/vi/portal/")

    assert response.status_code == 302
    assert response["Location"].startswith("/vi/accounts/login/?next=")


def test_organisation_form_shows_the_tax_code_error_next_to_the_field(client, user):
    client.force_login(user)

    response = client.post(
        "/en/portal/organisations/new/",
        {
            "kind": "sme",
            "legal_name": "Công ty An Phát",
            "tax_code": "0100109107",
            "province": Province.HUE,
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "the check digit does not match" in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_tax_code_helptext id_tax_code_error"' in content
    assert '<div class="field-error" id="id_tax_code_error">' in content
    assert not Organisation.objects.exists()


def test_organisation_form_reports_a_duplicate_tax_code(client, user):
    existing = OrganisationFactory()
    client.force_login(user)

    response = client.post(
        "/en/portal/organisations/new/",
        {"kind": "sme", "legal_name": "Y", "tax_code": existing.tax_code, "province": Province.HUE},
    )

    assert "An organisation with this tax code already exists." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_organisation_created_in_the_portal_goes_on_to_verification(client, user):
    client.force_login(user)

    response = client.post(
        "/en/portal/organisations/new/",
        {"kind": "sme", "legal_name": "An Phát", "tax_code": "0100109106", "province": "hue"},
    )

    organisation = Organisation.objects.get()
    assert response["Location"] == f"/en/portal/organisations/{organisation.slug}/verification/"
    assert Membership.objects.get(organisation=organisation).user == user


def test_members_of_another_organisation_see_nothing(client):
    outsider = UserFactory()
    organisation = MembershipFactory().organisation
    client.force_login(outsider)

    for name in ["organisation_edit", "organisation_members", "verification_submit"]:
        response = client.get(reverse(f"accounts:{name}", kwargs={"slug": organisation.slug}))
        assert response.status_code == 404, name


def test_evidence_is_served_only_to_members_and_verifiers(client):
    verification = VerificationRequestFactory()
    MembershipFactory(user=verification.submitted_by, organisation=verification.organisation)
    url = reverse("accounts:verification_evidence", kwargs={"pk": verification.pk})

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory(groups=["Reviewers"]))
    assert client.get(url).status_code == 404

    client.force_login(verification.submitted_by)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(StaffFactory(groups=["Curators"]))
    assert client.get(url).status_code == 200


def test_evidence_has_no_public_url():
    verification = VerificationRequestFactory()

    with pytest.raises(ValueError, match="not accessible via a URL"):
        verification.evidence.url  # noqa: B018


def test_a_member_uploads_evidence_through_the_portal(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("accounts:verification_submit", kwargs={"slug": membership.organisation.slug}),
        {"evidence": evidence_file(), "note": "Giấy ĐKKD"},
    )

    assert response.status_code == 302
    assert VerificationRequest.objects.get().note == "Giấy ĐKKD"


def test_evidence_of_the_wrong_type_is_refused(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("accounts:verification_submit", kwargs={"slug": membership.organisation.slug}),
        {"evidence": SimpleUploadedFile("virus.exe", b"MZ", content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert not VerificationRequest.objects.exists()


def test_an_expired_invitation_page_explains_and_changes_nothing(client):
    invitee = UserFactory(email="moi@example.vn")
    invitation = InvitationFactory(
        email="moi@example.vn", expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(invitee)

    response = client.post(invitation.get_absolute_url().replace("/vi/", "/en/"))

    assert response.status_code == 200
    assert "This invitation expired on" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_directory_lists_only_verified_organisations(client):
    verified = OrganisationFactory(
        legal_name="Viện Đã Xác Minh", verification_status=Organisation.Verification.VERIFIED
    )
    hidden = OrganisationFactory(legal_name="Công ty Chưa Xác Minh")

    response = client.get("/vi/organisations/")

    content = response.content.decode()
    assert verified.legal_name in content
    assert hidden.legal_name not in content
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(verified.get_absolute_url()).status_code == 200


def test_password_reset_sends_a_link(client, user, mailoutbox):
    response = client.post("/en/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert "/en/accounts/password/reset/key/" in mailoutbox[0].body


def test_a_member_of_two_organisations_chooses_which_one_acts(client, user):
    first = MembershipFactory(user=user).organisation
    second = MembershipFactory(user=user, role=Membership.Role.MEMBER).organisation
    client.force_login(user)

    response = client.post("/en/portal/organisations/switch/", {"organisation": second.pk})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.acting_organisation == second
    dashboard = client.get("/en/portal/").content.decode()
    assert first.legal_name in dashboard and second.legal_name in dashboard


def test_accepting_an_invitation_through_the_link(client):
    invitee = UserFactory(email="moi@example.vn")
    invitation = InvitationFactory(email="moi@example.vn")
    client.force_login(invitee)

    response = client.post(f"/en/invitations/{invitation.token}/")

    assert response["Location"] == "/en/portal/"
    assert Membership.objects.get(user=invitee).organisation == invitation.organisation
