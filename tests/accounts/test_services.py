from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import Invitation, Membership, Organisation, VerificationRequest
from accounts.provinces import Province
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    VerificationRequestFactory,
    evidence_file,
)

pytestmark = pytest.mark.django_db


def _logged_actions(organisation: Organisation) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(organisation)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def test_organisation_create_makes_the_creator_its_acting_owner(user):
    organisation = services.organisation_create(
        actor=user,
        kind=Organisation.Kind.INSTITUTE,
        legal_name="Viện Cơ điện Nông nghiệp ",
        province=Province.CAN_THO,
        tax_code="0100109106",
    )

    user.refresh_from_db()
    assert organisation.legal_name == "Viện Cơ điện Nông nghiệp"
    assert organisation.slug == "vien-co-ien-nong-nghiep"
    assert organisation.verification_status == Organisation.Verification.UNVERIFIED
    assert Membership.objects.get(user=user, organisation=organisation).role == "owner"
    assert user.acting_organisation == organisation
    assert _logged_actions(organisation) == ["techfloor.organisation.create"]


def test_organisation_slugs_stay_unique(user):
    first = services.organisation_create(
        actor=user, kind="sme", legal_name="An Phát", province=Province.HUE
    )
    second = services.organisation_create(
        actor=user, kind="sme", legal_name="An Phát", province=Province.HUE
    )

    assert (first.slug, second.slug) == ("an-phat", "an-phat-2")


def test_invalid_tax_code_creates_nothing(user):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=user, kind="sme", legal_name="X", province=Province.HUE, tax_code="0100109107"
        )

    assert "tax_code" in error.value.message_dict
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_duplicate_tax_code_creates_nothing(user):
    existing = OrganisationFactory()

    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=user,
            kind="sme",
            legal_name="Y",
            province=Province.HUE,
            tax_code=existing.tax_code,
        )

    assert error.value.message_dict == {
        "tax_code": ["An organisation with this tax code already exists."]
    }
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()


def test_a_plain_member_cannot_change_the_profile():
    membership = MembershipFactory(role=Membership.Role.MEMBER)
    organisation = membership.organisation
    name_before = organisation.legal_name

    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation, actor=membership.user, legal_name="Hijacked"
        )

    organisation.refresh_from_db()
    assert organisation.legal_name == name_before
    assert _logged_actions(organisation) == []


def test_an_admin_changes_the_profile_and_the_change_is_audited():
    membership = MembershipFactory(role=Membership.Role.ADMIN)

    services.organisation_update(
        organisation=membership.organisation,
        actor=membership.user,
        website="https://example.vn",
        address="12 Nguyễn Huệ",
    )

    entry = ModelLogEntry.objects.for_instance(membership.organisation).get()
    assert entry.action == "techfloor.organisation.update"
    assert entry.user == membership.user
    assert entry.data == {"fields": ["address", "website"]}


def test_switching_to_a_foreign_organisation_is_refused(user):
    foreign = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        services.organisation_switch(user=user, organisation=foreign)

    user.refresh_from_db()
    assert user.acting_organisation is None


def test_invitation_is_emailed_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    owner = MembershipFactory().user
    organisation = owner.memberships.get().organisation

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=organisation, actor=owner, email="Moi@Example.VN"
        )

    assert invitation.email == "moi@example.vn"
    assert abs(invitation.expires_at - timezone.now() - timedelta(days=7)) < timedelta(seconds=5)
    assert [message.to for message in mailoutbox] == [["moi@example.vn"]]
    assert invitation.token in mailoutbox[0].body
    assert organisation.legal_name in mailoutbox[0].body


def test_a_member_cannot_invite(mailoutbox):
    membership = MembershipFactory(role=Membership.Role.MEMBER)

    with pytest.raises(PermissionDenied):
        services.invitation_create(
            organisation=membership.organisation, actor=membership.user, email="x@example.vn"
        )

    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_an_admin_cannot_invite_an_owner():
    membership = MembershipFactory(role=Membership.Role.ADMIN)

    with pytest.raises(PermissionDenied):
        services.invitation_create(
            organisation=membership.organisation,
            actor=membership.user,
            email="x@example.vn",
            role=Membership.Role.OWNER,
        )

    assert not Invitation.objects.exists()


def test_accepting_an_invitation_makes_a_membership():
    invitee = UserFactory(email="moi@example.vn")
    invitation = InvitationFactory(email="moi@example.vn", role=Membership.Role.ADMIN)

    membership = services.invitation_accept(invitation=invitation, user=invitee)

    invitation.refresh_from_db()
    invitee.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert invitation.accepted_by == invitee
    assert invitee.acting_organisation == invitation.organisation


def test_an_expired_invitation_changes_nothing():
    invitee = UserFactory(email="moi@example.vn")
    expired_at = timezone.now() - timedelta(minutes=1)
    invitation = InvitationFactory(email="moi@example.vn", expires_at=expired_at)

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=invitee)

    assert error.value.code == "expired"
    assert "This invitation expired on" in error.value.messages[0]
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_for_someone_else_is_refused():
    stranger = UserFactory(email="stranger@example.vn")
    invitation = InvitationFactory(email="moi@example.vn")

    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=stranger)

    assert not Membership.objects.filter(user=stranger).exists()


def test_an_invitation_is_used_once():
    invitee = UserFactory(email="moi@example.vn")
    invitation = InvitationFactory(email="moi@example.vn")
    services.invitation_accept(invitation=invitation, user=invitee)

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=invitee)

    assert error.value.code == "used"


def test_verification_request_goes_to_the_curators(django_capture_on_commit_callbacks, mailoutbox):
    membership = MembershipFactory()
    curator = StaffFactory(email="curator@ttdmst.vn", preferred_language="en")
    StaffFactory(email="finance@ttdmst.vn", groups=["Finance"])

    with django_capture_on_commit_callbacks(execute=True):
        request = services.verification_submit(
            organisation=membership.organisation, actor=membership.user, evidence=evidence_file()
        )

    membership.organisation.refresh_from_db()
    assert request.status == VerificationRequest.Status.PENDING
    assert membership.organisation.verification_status == Organisation.Verification.PENDING
    assert [message.to for message in mailoutbox] == [[curator.email]]
    assert "/admin/verification/" in mailoutbox[0].body


def test_a_second_pending_request_is_refused():
    request = VerificationRequestFactory()
    MembershipFactory(user=request.submitted_by, organisation=request.organisation)

    with pytest.raises(ValidationError):
        services.verification_submit(
            organisation=request.organisation, actor=request.submitted_by, evidence=evidence_file()
        )

    assert VerificationRequest.objects.count() == 1


def test_an_outsider_cannot_request_verification(user):
    organisation = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        services.verification_submit(
            organisation=organisation, actor=user, evidence=evidence_file()
        )

    assert not VerificationRequest.objects.exists()


def test_staff_verify_an_organisation(django_capture_on_commit_callbacks, mailoutbox):
    request = VerificationRequestFactory()
    curator = StaffFactory()

    with django_capture_on_commit_callbacks(execute=True):
        request = services.verification_approve(request=request, actor=curator)

    request.organisation.refresh_from_db()
    assert request.status == VerificationRequest.Status.VERIFIED
    assert request.decided_by == curator
    assert request.organisation.is_verified
    assert request.organisation.verified_at == request.decided_at
    assert _logged_actions(request.organisation) == ["techfloor.verification.approve"]
    assert [message.to for message in mailoutbox] == [[request.submitted_by.email]]


def test_rejection_needs_a_reason():
    request = VerificationRequestFactory()

    with pytest.raises(ValidationError) as error:
        services.verification_reject(request=request, actor=StaffFactory(), reason="  ")

    assert "reason" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == VerificationRequest.Status.PENDING


def test_rejection_reason_reaches_the_organisation(django_capture_on_commit_callbacks, mailoutbox):
    request = VerificationRequestFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.verification_reject(
            request=request, actor=StaffFactory(), reason="Giấy phép đã hết hạn"
        )

    request.organisation.refresh_from_db()
    assert request.organisation.verification_status == Organisation.Verification.REJECTED
    assert "Giấy phép đã hết hạn" in mailoutbox[0].body


def test_a_non_verifier_cannot_decide():
    request = VerificationRequestFactory()
    reviewer = StaffFactory(groups=["Reviewers"])

    with pytest.raises(PermissionDenied):
        services.verification_approve(request=request, actor=reviewer)

    request.refresh_from_db()
    assert request.status == VerificationRequest.Status.PENDING
    assert request.organisation.verification_status == Organisation.Verification.PENDING


def test_a_decided_request_cannot_be_decided_again():
    request = VerificationRequestFactory()
    curator = StaffFactory()
    services.verification_approve(request=request, actor=curator)

    with pytest.raises(ValidationError) as error:
        services.verification_reject(request=request, actor=curator, reason="Changed my mind")

    assert error.value.code == "decided"
    request.organisation.refresh_from_db()
    assert request.organisation.is_verified
