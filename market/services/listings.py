"""The life of a listing: draft → submitted → published (or changes requested / rejected)
→ expired / withdrawn / closed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, Sector, User
from accounts.selectors import membership_get
from market import emails
from market.models import Listing, ListingAttachment, ListingRevision
from market.models.listings import DEFAULT_VALIDITY, REVISION_FIELDS
from market.selectors import is_curator
from market.services.featuring import listing_feature_stop
from market.signals import listing_published, listing_unpublished

LISTING_CREATE = register_action(
    "techfloor.listing.create", gettext_lazy("Create listing"), gettext_lazy("Listing created")
)
LISTING_UPDATE = register_action(
    "techfloor.listing.update", gettext_lazy("Edit listing"), gettext_lazy("Listing edited")
)
LISTING_SUBMIT = register_action(
    "techfloor.listing.submit", gettext_lazy("Submit listing"), gettext_lazy("Listing submitted")
)
LISTING_APPROVE = register_action(
    "techfloor.listing.approve", gettext_lazy("Publish listing"), gettext_lazy("Listing published")
)
LISTING_REQUEST_CHANGES = register_action(
    "techfloor.listing.request_changes",
    gettext_lazy("Request changes"),
    gettext_lazy("Changes requested"),
)
LISTING_REJECT = register_action(
    "techfloor.listing.reject", gettext_lazy("Reject listing"), gettext_lazy("Listing rejected")
)
LISTING_WITHDRAW = register_action(
    "techfloor.listing.withdraw",
    gettext_lazy("Withdraw listing"),
    gettext_lazy("Listing withdrawn"),
)
LISTING_CLOSE = register_action(
    "techfloor.listing.close", gettext_lazy("Close listing"), gettext_lazy("Listing closed")
)
LISTING_RENEW = register_action(
    "techfloor.listing.renew", gettext_lazy("Renew listing"), gettext_lazy("Listing renewed")
)
LISTING_REVISE = register_action(
    "techfloor.listing.revise",
    gettext_lazy("Revise listing"),
    gettext_lazy("Listing taken back to draft"),
)
LISTING_EXPIRE = register_action(
    "techfloor.listing.expire", gettext_lazy("Expire listing"), gettext_lazy("Listing expired")
)
LISTING_FEATURE = register_action(
    "techfloor.listing.feature",
    gettext_lazy("Feature listing"),
    gettext_lazy("Listing featured or unfeatured"),
)

# Expiry reminders go out this long before a listing leaves the floor.
REMINDER_LEAD = datetime.timedelta(days=14)


def _require_member(*, listing: Listing | None = None, organisation=None, actor: User) -> None:
    organisation = organisation or listing.organisation
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("Only members of %(name)s may do this.") % {"name": organisation})


def _require_curator(actor: User) -> None:
    if not is_curator(actor):
        raise PermissionDenied(_("Only Innovation Center curators may do this."))


def _require_status(listing: Listing, *statuses: str) -> None:
    if listing.status not in statuses:
        raise ValidationError(
            _("This cannot be done to a listing that is “%(status)s”.")
            % {"status": listing.get_status_display()},
            code="wrong_status",
        )


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().get(pk=listing.pk)


def _announce(signal, listing: Listing) -> None:
    listing_id = listing.pk
    transaction.on_commit(lambda: signal.send(sender=Listing, listing_id=listing_id))


@transaction.atomic
def listing_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    sectors: list[Sector] | None = None,
    **fields,
) -> Listing:
    """Start a draft for the organisation; drafts may be incomplete."""
    _require_member(organisation=organisation, actor=actor)
    listing = Listing(
        organisation=organisation, created_by=actor, kind=kind, title=title.strip(), **fields
    )
    listing.slug = listing.unique_slug()
    listing.full_clean()
    listing.save()
    if sectors:
        listing.sectors.set(sectors)
    audit(actor=actor, action=LISTING_CREATE, instance=listing)
    return listing


@transaction.atomic
def listing_update(
    *, listing: Listing, actor: User, sectors: list[Sector] | None = None, **fields
) -> Listing:
    """Change a draft (also used by autosave), or a listing sent back for changes."""
    listing = _locked(listing)
    _require_member(listing=listing, actor=actor)
    _require_status(listing, *Listing.EDITABLE_STATUSES)
    changed = sorted(name for name, value in fields.items() if getattr(listing, name) != value)
    for name, value in fields.items():
        setattr(listing, name, value)
    if "title" in changed:
        listing.slug = listing.unique_slug()
    listing.full_clean()
    listing.save()
    if sectors is not None:
        listing.sectors.set(sectors)
    if changed:
        audit(actor=actor, action=LISTING_UPDATE, instance=listing, data={"fields": changed})
    return listing


def _snapshot(listing: Listing) -> dict:
    content = {}
    for name in REVISION_FIELDS:
        value = getattr(listing, name)
        content[name] = value.isoformat() if isinstance(value, datetime.date) else value
    content["sectors"] = sorted(listing.sectors.values_list("code", flat=True))
    return content


@transaction.atomic
def listing_submit(*, listing: Listing, actor: User) -> Listing:
    """Send the listing to the curators, with a frozen copy of what they will review."""
    listing = _locked(listing)
    _require_member(listing=listing, actor=actor)
    if not listing.organisation.is_verified:
        raise PermissionDenied(
            _("Only verified organisations may publish. Ask staff to verify %(name)s first.")
            % {"name": listing.organisation}
        )
    _require_status(listing, *Listing.EDITABLE_STATUSES)
    errors = listing.submission_errors()
    if errors:
        raise ValidationError(errors)
    number = (listing.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    ListingRevision.objects.create(
        listing=listing, number=number, content=_snapshot(listing), created_by=actor
    )
    listing.status = Listing.Status.SUBMITTED
    listing.submitted_at = timezone.now()
    listing.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(actor=actor, action=LISTING_SUBMIT, instance=listing, data={"revision": number})
    transaction.on_commit(lambda: emails.listing_submitted(listing=listing))
    return listing


@transaction.atomic
def listing_approve(*, listing: Listing, actor: User, comment: str = "") -> Listing:
    """Publish the submitted revision on the floor."""
    _require_curator(actor)
    listing = _locked(listing)
    _require_status(listing, Listing.Status.SUBMITTED)
    now = timezone.now()
    listing.status = Listing.Status.PUBLISHED
    listing.published_at = now
    if not listing.valid_until or listing.valid_until <= timezone.localdate():
        listing.valid_until = timezone.localdate() + DEFAULT_VALIDITY
    listing.reminded_at = None
    listing.save(
        update_fields=["status", "published_at", "valid_until", "reminded_at", "updated_at"]
    )
    listing.revisions.filter(is_published=True).update(is_published=False)
    latest = listing.revisions.order_by("-number").first()
    if latest:
        latest.is_published = True
        latest.save(update_fields=["is_published"])
    audit(actor=actor, action=LISTING_APPROVE, instance=listing, data={"comment": comment})
    transaction.on_commit(lambda: emails.listing_decided(listing=listing, reason=comment))
    _announce(listing_published, listing)
    return listing


def _send_back(*, listing: Listing, actor: User, reason: str, status: str, action: str):
    _require_curator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the owner why.")})
    listing = _locked(listing)
    _require_status(listing, Listing.Status.SUBMITTED)
    listing.status = status
    listing.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=action, instance=listing, data={"reason": reason.strip()})
    transaction.on_commit(lambda: emails.listing_decided(listing=listing, reason=reason.strip()))
    return listing


@transaction.atomic
def listing_request_changes(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Send the listing back to its owner with what to change."""
    return _send_back(
        listing=listing,
        actor=actor,
        reason=reason,
        status=Listing.Status.CHANGES_REQUESTED,
        action=LISTING_REQUEST_CHANGES,
    )


@transaction.atomic
def listing_reject(*, listing: Listing, actor: User, reason: str) -> Listing:
    """Refuse the listing with a reason."""
    return _send_back(
        listing=listing,
        actor=actor,
        reason=reason,
        status=Listing.Status.REJECTED,
        action=LISTING_REJECT,
    )


def _take_down(*, listing: Listing, actor: User, status: str, action: str, allowed) -> Listing:
    listing = _locked(listing)
    _require_member(listing=listing, actor=actor)
    _require_status(listing, *allowed)
    was_public = listing.status == Listing.Status.PUBLISHED
    listing.status = status
    listing.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=action, instance=listing)
    if status != Listing.Status.DRAFT:
        # Gone for good, unlike a revision, which returns to the floor with its featuring.
        listing_feature_stop(listing=listing, actor=actor)
    if was_public:
        _announce(listing_unpublished, listing)
    return listing


@transaction.atomic
def listing_withdraw(*, listing: Listing, actor: User) -> Listing:
    """Take the listing off the floor (or out of the curators' queue)."""
    return _take_down(
        listing=listing,
        actor=actor,
        status=Listing.Status.WITHDRAWN,
        action=LISTING_WITHDRAW,
        allowed=[
            Listing.Status.SUBMITTED,
            Listing.Status.PUBLISHED,
            Listing.Status.CHANGES_REQUESTED,
        ],
    )


@transaction.atomic
def listing_close(*, listing: Listing, actor: User) -> Listing:
    """Close a published listing: the need is met, the offer taken."""
    return _take_down(
        listing=listing,
        actor=actor,
        status=Listing.Status.CLOSED,
        action=LISTING_CLOSE,
        allowed=[Listing.Status.PUBLISHED],
    )


@transaction.atomic
def listing_revise(*, listing: Listing, actor: User) -> Listing:
    """Turn a listing back into a draft to edit it; it leaves the floor until re-approved."""
    return _take_down(
        listing=listing,
        actor=actor,
        status=Listing.Status.DRAFT,
        action=LISTING_REVISE,
        allowed=[
            Listing.Status.PUBLISHED,
            Listing.Status.WITHDRAWN,
            Listing.Status.EXPIRED,
            Listing.Status.CLOSED,
        ],
    )


@transaction.atomic
def listing_renew(*, listing: Listing, actor: User) -> Listing:
    """Keep the listing on the floor for another validity period; an expired one returns."""
    listing = _locked(listing)
    _require_member(listing=listing, actor=actor)
    _require_status(listing, Listing.Status.PUBLISHED, Listing.Status.EXPIRED)
    returning = listing.status == Listing.Status.EXPIRED
    listing.valid_until = timezone.localdate() + DEFAULT_VALIDITY
    listing.status = Listing.Status.PUBLISHED
    listing.reminded_at = None
    listing.save(update_fields=["valid_until", "status", "reminded_at", "updated_at"])
    audit(
        actor=actor,
        action=LISTING_RENEW,
        instance=listing,
        data={"valid_until": listing.valid_until.isoformat()},
    )
    if returning:
        _announce(listing_published, listing)
    return listing


@transaction.atomic
def listing_feature(*, listing: Listing, actor: User, featured: bool) -> Listing:
    """Put a published listing at the top of the floor with no end, or take it down from
    there (ending any paid featuring: curators have the last word on the floor)."""
    _require_curator(actor)
    listing = _locked(listing)
    if not featured:
        listing_feature_stop(listing=listing, actor=actor)
    listing.featured = featured
    listing.save(update_fields=["featured", "updated_at"])
    audit(actor=actor, action=LISTING_FEATURE, instance=listing, data={"featured": featured})
    return listing


def listing_expire_due(*, today: datetime.date | None = None) -> int:
    """Expire every published listing whose validity ended; each in its own transaction."""
    today = today or timezone.localdate()
    expired = 0
    due = Listing.objects.filter(status=Listing.Status.PUBLISHED, valid_until__lt=today)
    for listing_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            listing = Listing.objects.select_for_update().get(pk=listing_id)
            if listing.status != Listing.Status.PUBLISHED or listing.valid_until >= today:
                continue  # renewed meanwhile
            listing.status = Listing.Status.EXPIRED
            listing.save(update_fields=["status", "updated_at"])
            audit(actor=None, action=LISTING_EXPIRE, instance=listing)
            listing_feature_stop(listing=listing, actor=None)
            transaction.on_commit(lambda listing=listing: emails.listing_expired(listing=listing))
            _announce(listing_unpublished, listing)
            expired += 1
    return expired


def listing_remind_expiring(*, today: datetime.date | None = None) -> int:
    """Remind owners once, two weeks before their listing leaves the floor."""
    today = today or timezone.localdate()
    reminded = 0
    due = Listing.objects.filter(
        status=Listing.Status.PUBLISHED,
        reminded_at__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + REMINDER_LEAD,
    )
    for listing_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Claim the reminder first, so two workers never send it twice.
            claimed = Listing.objects.filter(pk=listing_id, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            listing = Listing.objects.get(pk=listing_id)
            transaction.on_commit(lambda listing=listing: emails.listing_expiring(listing=listing))
            reminded += 1
    return reminded


@transaction.atomic
def listing_attachment_add(
    *, listing: Listing, actor: User, file: UploadedFile, kind: str, title: str = ""
) -> ListingAttachment:
    """Attach an image or document; its type and size are checked, it is stored privately."""
    _require_member(listing=listing, actor=actor)
    _require_status(listing, *Listing.EDITABLE_STATUSES)
    attachment = ListingAttachment(
        listing=listing, kind=kind, file=file, title=title, size=file.size, uploaded_by=actor
    )
    attachment.full_clean()
    attachment.save()
    audit(
        actor=actor,
        action=LISTING_UPDATE,
        instance=listing,
        data={"attachment_added": attachment.filename},
    )
    return attachment


@transaction.atomic
def listing_attachment_remove(*, attachment: ListingAttachment, actor: User) -> None:
    """Remove an attachment from a listing that is being edited."""
    listing = attachment.listing
    _require_member(listing=listing, actor=actor)
    _require_status(listing, *Listing.EDITABLE_STATUSES)
    name = attachment.filename
    attachment.file.delete(save=False)
    attachment.delete()
    audit(actor=actor, action=LISTING_UPDATE, instance=listing, data={"attachment_removed": name})
