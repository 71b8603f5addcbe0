"""Brokered introductions: interest → owner's answer (and NDA) → curator's approval → thread
and deal. Contact details and confidential sections are released only by the approval."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from accounts.selectors import membership_get
from market import emails
from market.models import Deal, Introduction, Listing, Message, NdaVersion
from market.selectors import introduction_is_party, is_curator

INTRODUCTION_REQUEST = register_action(
    "techfloor.introduction.request",
    gettext_lazy("Express interest"),
    gettext_lazy("Interest expressed"),
)
INTRODUCTION_ACCEPT = register_action(
    "techfloor.introduction.accept",
    gettext_lazy("Accept interest"),
    gettext_lazy("Interest accepted by the owner"),
)
INTRODUCTION_DECLINE = register_action(
    "techfloor.introduction.decline",
    gettext_lazy("Decline interest"),
    gettext_lazy("Interest declined by the owner"),
)
INTRODUCTION_APPROVE = register_action(
    "techfloor.introduction.approve",
    gettext_lazy("Approve introduction"),
    gettext_lazy("Introduction approved"),
)
INTRODUCTION_REJECT = register_action(
    "techfloor.introduction.reject",
    gettext_lazy("Reject introduction"),
    gettext_lazy("Introduction not approved"),
)
INTRODUCTION_PROPOSE = register_action(
    "techfloor.introduction.propose",
    gettext_lazy("Propose introduction"),
    gettext_lazy("Introduction proposed by a curator"),
)
DEAL_UPDATE = register_action(
    "techfloor.deal.update", gettext_lazy("Update deal"), gettext_lazy("Deal updated")
)


def needs_nda(listing: Listing) -> bool:
    """Confidential listings are introduced only under the NDA in force."""
    return listing.visibility == Listing.Visibility.SUMMARY or bool(listing.confidential.strip())


def _locked(introduction: Introduction) -> Introduction:
    return (
        Introduction.objects.select_for_update()
        .select_related("listing", "listing__organisation", "requester")
        .get(pk=introduction.pk)
    )


def _require_status(introduction: Introduction, *statuses: str) -> None:
    if introduction.status not in statuses:
        raise ValidationError(
            _("This introduction is already “%(status)s”.")
            % {"status": introduction.get_status_display()},
            code="wrong_status",
        )


def _require_owner_manager(introduction: Introduction, actor: User) -> None:
    membership = membership_get(user=actor, organisation=introduction.listing.organisation)
    if membership is None or not membership.can_manage:
        raise PermissionDenied(
            _("Only the listing organisation's owners and administrators may answer.")
        )


def _open_introduction(
    *,
    listing: Listing,
    requester: Organisation,
    actor: User,
    message: str,
    intended_use: str,
    action: str,
) -> Introduction:
    """Create the introduction, record who opened it, and tell the listing's owners."""
    introduction = Introduction(
        listing=listing,
        requester=requester,
        requested_by=actor,
        message=message.strip(),
        intended_use=intended_use.strip(),
    )
    introduction.full_clean()
    introduction.save()
    audit(actor=actor, action=action, instance=introduction)
    transaction.on_commit(lambda: emails.introduction_requested(introduction=introduction))
    return introduction


@transaction.atomic
def introduction_request(
    *,
    listing: Listing,
    actor: User,
    organisation: Organisation,
    message: str,
    intended_use: str,
) -> Introduction:
    """Express the interest of ``organisation`` (the actor's) in someone else's listing."""
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("You may only speak for your own organisations."))
    if not organisation.is_verified:
        raise PermissionDenied(_("Only verified organisations may ask for introductions."))
    if listing.organisation_id == organisation.pk:
        raise ValidationError(_("This is your own organisation's listing."), code="own")
    if not listing.is_public:
        raise ValidationError(_("This listing is not on the floor."), code="not_public")
    return _open_introduction(
        listing=listing,
        requester=organisation,
        actor=actor,
        message=message,
        intended_use=intended_use,
        action=INTRODUCTION_REQUEST,
    )


@transaction.atomic
def introduction_propose(
    *, listing: Listing, requester: Organisation, actor: User, message: str, intended_use: str
) -> Introduction:
    """A curator puts ``requester`` in touch with ``listing`` (from the broker workbench). It
    starts as if the organisation had asked: the owner still answers before anything is
    released, and nothing is proposed twice while an earlier introduction is open or done."""
    if not is_curator(actor):
        raise PermissionDenied(_("Only curators may propose introductions."))
    if not requester.is_verified:
        raise ValidationError(
            _("Only verified organisations may be introduced."), code="unverified"
        )
    if listing.organisation_id == requester.pk:
        raise ValidationError(_("This is the organisation's own listing."), code="own")
    if not listing.is_public:
        raise ValidationError(_("This listing is not on the floor."), code="not_public")
    taken = Introduction.objects.filter(listing=listing, requester=requester).exclude(
        status__in=[Introduction.Status.DECLINED, Introduction.Status.REJECTED]
    )
    if taken.exists():
        raise ValidationError(_("These two are already being introduced."), code="exists")
    return _open_introduction(
        listing=listing,
        requester=requester,
        actor=actor,
        message=message,
        intended_use=intended_use,
        action=INTRODUCTION_PROPOSE,
    )


@transaction.atomic
def introduction_owner_accept(
    *, introduction: Introduction, actor: User, accept_nda: bool = False
) -> Introduction:
    """The owner agrees to be introduced; for confidential listings, under the NDA in force."""
    introduction = _locked(introduction)
    _require_owner_manager(introduction, actor)
    _require_status(introduction, Introduction.Status.REQUESTED)
    now = timezone.now()
    if needs_nda(introduction.listing):
        nda = NdaVersion.in_force()
        if nda is None:
            raise ValidationError(_("No NDA is in force; ask the Innovation Center."))
        if not accept_nda:
            raise ValidationError(
                {"accept_nda": _("Accept the NDA to share the confidential details.")}
            )
        introduction.nda, introduction.nda_accepted_at = nda, now
    introduction.status = Introduction.Status.ACCEPTED
    introduction.owner_decided_by, introduction.owner_decided_at = actor, now
    introduction.save()
    audit(
        actor=actor,
        action=INTRODUCTION_ACCEPT,
        instance=introduction,
        data={"nda": introduction.nda.version if introduction.nda else None},
    )
    transaction.on_commit(lambda: emails.introduction_accepted(introduction=introduction))
    return introduction


@transaction.atomic
def introduction_owner_decline(
    *, introduction: Introduction, actor: User, reason: str
) -> Introduction:
    """The owner does not want this introduction."""
    introduction = _locked(introduction)
    _require_owner_manager(introduction, actor)
    _require_status(introduction, Introduction.Status.REQUESTED)
    introduction.status = Introduction.Status.DECLINED
    introduction.reason = reason.strip()
    introduction.owner_decided_by, introduction.owner_decided_at = actor, timezone.now()
    introduction.save()
    audit(actor=actor, action=INTRODUCTION_DECLINE, instance=introduction)
    transaction.on_commit(lambda: emails.introduction_decided(introduction=introduction))
    return introduction


@transaction.atomic
def introduction_approve(*, introduction: Introduction, actor: User) -> Introduction:
    """Introduce the two parties: contacts and confidential details are released, a thread
    opens, and a deal starts at "introduced"."""
    if not is_curator(actor):
        raise PermissionDenied(_("Only Innovation Center curators may approve introductions."))
    introduction = _locked(introduction)
    _require_status(introduction, Introduction.Status.ACCEPTED)
    introduction.status = Introduction.Status.APPROVED
    introduction.curator, introduction.curator_decided_at = actor, timezone.now()
    introduction.save()
    Deal.objects.create(introduction=introduction)
    audit(actor=actor, action=INTRODUCTION_APPROVE, instance=introduction)
    transaction.on_commit(lambda: emails.introduction_decided(introduction=introduction))
    return introduction


@transaction.atomic
def introduction_reject(*, introduction: Introduction, actor: User, reason: str) -> Introduction:
    """A curator stops the introduction, with a reason for the interested organisation."""
    if not is_curator(actor):
        raise PermissionDenied(_("Only Innovation Center curators may do this."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    introduction = _locked(introduction)
    _require_status(introduction, Introduction.Status.REQUESTED, Introduction.Status.ACCEPTED)
    introduction.status = Introduction.Status.REJECTED
    introduction.reason = reason.strip()
    introduction.curator, introduction.curator_decided_at = actor, timezone.now()
    introduction.save()
    audit(
        actor=actor,
        action=INTRODUCTION_REJECT,
        instance=introduction,
        data={"reason": introduction.reason},
    )
    transaction.on_commit(lambda: emails.introduction_decided(introduction=introduction))
    return introduction


@transaction.atomic
def message_post(*, introduction: Introduction, actor: User, body: str) -> Message:
    """Write in the thread of an approved introduction."""
    if not (introduction_is_party(introduction=introduction, user=actor) or is_curator(actor)):
        raise PermissionDenied(_("Only the two parties and curators may write here."))
    if not introduction.is_approved:
        raise ValidationError(_("The thread opens when a curator approves the introduction."))
    message = Message(introduction=introduction, author=actor, body=body.strip())
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: emails.message_posted(introduction=introduction, author=actor))
    return message


@transaction.atomic
def deal_update(
    *,
    deal: Deal,
    actor: User,
    stage: str,
    transaction_type: str = "",
    value_vnd: int | None = None,
    lost_reason: str = "",
) -> Deal:
    """Move a deal along its pipeline; closed deals count toward the province's targets."""
    deal = (
        Deal.objects.select_for_update()
        .select_related("introduction__listing", "introduction__requester")
        .get(pk=deal.pk)
    )
    curator = is_curator(actor)
    if not (curator or introduction_is_party(introduction=deal.introduction, user=actor)):
        raise PermissionDenied(_("Only the two parties and curators may update this deal."))
    if deal.stage in Deal.CLOSED_STAGES and stage != deal.stage and not curator:
        raise PermissionDenied(_("Only a curator may reopen a closed deal."))
    before = deal.stage
    deal.stage = stage
    deal.transaction_type = transaction_type
    deal.value_vnd = value_vnd
    deal.lost_reason = lost_reason.strip()
    if stage in Deal.CLOSED_STAGES:
        deal.closed_at = deal.closed_at or timezone.now()
    else:
        deal.closed_at = None
    deal.full_clean()
    deal.save()
    audit(
        actor=actor,
        action=DEAL_UPDATE,
        instance=deal,
        data={"from": before, "to": stage, "value_vnd": value_vnd},
    )
    return deal
