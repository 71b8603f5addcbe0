"""Actions that change accounts and organisations; each checks permission and is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import emails
from accounts.audit import audit, register_action
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Sector,
    User,
    VerificationRequest,
)
from accounts.selectors import membership_get

ORGANISATION_CREATE = register_action(
    "techfloor.organisation.create",
    gettext_lazy("Create organisation"),
    gettext_lazy("Organisation created"),
)
ORGANISATION_UPDATE = register_action(
    "techfloor.organisation.update",
    gettext_lazy("Update organisation"),
    gettext_lazy("Organisation updated"),
)
INVITATION_SEND = register_action(
    "techfloor.invitation.send", gettext_lazy("Invite member"), gettext_lazy("Invitation sent")
)
INVITATION_ACCEPT = register_action(
    "techfloor.invitation.accept",
    gettext_lazy("Accept invitation"),
    gettext_lazy("Invitation accepted"),
)
VERIFICATION_SUBMIT = register_action(
    "techfloor.verification.submit",
    gettext_lazy("Request verification"),
    gettext_lazy("Verification requested"),
)
VERIFICATION_APPROVE = register_action(
    "techfloor.verification.approve",
    gettext_lazy("Verify organisation"),
    gettext_lazy("Organisation verified"),
)
VERIFICATION_REJECT = register_action(
    "techfloor.verification.reject",
    gettext_lazy("Reject verification"),
    gettext_lazy("Verification rejected"),
)


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:70] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _require_manager(*, organisation: Organisation, actor: User) -> Membership:
    membership = membership_get(user=actor, organisation=organisation)
    if membership is None or not membership.can_manage:
        raise PermissionDenied(_("Only the organisation's owners and administrators may do this."))
    return membership


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    kind: str,
    legal_name: str,
    province: str,
    tax_code: str = "",
    address: str = "",
    website: str = "",
    description: str = "",
    sectors: list[Sector] | None = None,
    logo: UploadedFile | None = None,
    **facts,
) -> Organisation:
    """Create an organisation with ``actor`` as its owner, and make it the one they act for."""
    organisation = Organisation(
        kind=kind,
        legal_name=legal_name.strip(),
        province=province,
        tax_code=tax_code,
        address=address,
        website=website,
        description=description,
        slug=_unique_slug(legal_name),
        **facts,
    )
    if logo:
        organisation.logo = logo
    organisation.full_clean()
    organisation.save()
    if sectors:
        organisation.sectors.set(sectors)
    Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.OWNER)
    actor.acting_organisation = organisation
    actor.save(update_fields=["acting_organisation"])
    audit(actor=actor, action=ORGANISATION_CREATE, instance=organisation)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    """Change an organisation's profile; a verified organisation keeps its status."""
    _require_manager(organisation=organisation, actor=actor)
    sectors = fields.pop("sectors", None)
    changed = sorted(name for name, value in fields.items() if getattr(organisation, name) != value)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if sectors is not None:
        organisation.sectors.set(sectors)
    audit(actor=actor, action=ORGANISATION_UPDATE, instance=organisation, data={"fields": changed})
    return organisation


@transaction.atomic
def organisation_switch(*, user: User, organisation: Organisation) -> User:
    """Choose which of the user's organisations acts on the floor."""
    if membership_get(user=user, organisation=organisation) is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    user.acting_organisation = organisation
    user.save(update_fields=["acting_organisation"])
    return user


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, actor: User, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite someone by email to join the organisation; the link expires after a week."""
    manager = _require_manager(organisation=organisation, actor=actor)
    if role == Membership.Role.OWNER and manager.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only an owner may invite another owner."))
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit(actor=actor, action=INVITATION_SEND, instance=organisation, data={"email": email})
    transaction.on_commit(lambda: emails.send_invitation(invitation=invitation))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation named by an open invitation sent to this user's email."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation expired on %(date)s. Ask for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M")},
            code="expired",
        )
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied(_("This invitation was sent to another email address."))
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if user.acting_organisation_id is None:
        user.acting_organisation = invitation.organisation
        user.save(update_fields=["acting_organisation"])
    audit(actor=user, action=INVITATION_ACCEPT, instance=invitation.organisation)
    return membership


@transaction.atomic
def verification_submit(
    *, organisation: Organisation, actor: User, evidence: UploadedFile, note: str = ""
) -> VerificationRequest:
    """Send evidence to staff; the organisation waits in the verification queue."""
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("Only members may request verification."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        raise ValidationError(_("This organisation is already verified."))
    request = VerificationRequest(
        organisation=organisation, submitted_by=actor, evidence=evidence, note=note
    )
    request.full_clean()
    request.save()
    organisation.verification_status = Organisation.Verification.PENDING
    organisation.save(update_fields=["verification_status", "updated_at"])
    audit(actor=actor, action=VERIFICATION_SUBMIT, instance=organisation)
    transaction.on_commit(lambda: emails.send_verification_submitted(request=request))
    return request


def _require_verifier(actor: User) -> None:
    if not actor.has_perm("accounts.change_verificationrequest"):
        raise PermissionDenied(_("Only Innovation Center staff may verify organisations."))


def _decide(*, request: VerificationRequest, actor: User, status: str, reason: str):
    _require_verifier(actor)
    request = VerificationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != VerificationRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    request.status = status
    request.reason = reason.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def verification_approve(
    *, request: VerificationRequest, actor: User, reason: str = ""
) -> VerificationRequest:
    """Verify the organisation: from now on its members may publish on the floor."""
    request = _decide(
        request=request, actor=actor, status=VerificationRequest.Status.VERIFIED, reason=reason
    )
    organisation = request.organisation
    organisation.verification_status = Organisation.Verification.VERIFIED
    organisation.verified_at = request.decided_at
    organisation.save(update_fields=["verification_status", "verified_at", "updated_at"])
    audit(actor=actor, action=VERIFICATION_APPROVE, instance=organisation)
    transaction.on_commit(lambda: emails.send_verification_decided(request=request))
    return request


@transaction.atomic
def verification_reject(
    *, request: VerificationRequest, actor: User, reason: str
) -> VerificationRequest:
    """Refuse the evidence with a reason the organisation can act on."""
    request = _decide(
        request=request, actor=actor, status=VerificationRequest.Status.REJECTED, reason=reason
    )
    organisation = request.organisation
    organisation.verification_status = Organisation.Verification.REJECTED
    organisation.save(update_fields=["verification_status", "updated_at"])
    audit(actor=actor, action=VERIFICATION_REJECT, instance=organisation, data={"reason": reason})
    transaction.on_commit(lambda: emails.send_verification_decided(request=request))
    return request
