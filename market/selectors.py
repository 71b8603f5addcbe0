"""Read queries of the trading floor. Who may see what is decided here and nowhere else."""

from __future__ import annotations

from datetime import datetime
from difflib import SequenceMatcher

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from accounts.models import Membership, Organisation, User
from accounts.selectors import user_list_managing
from market.models import Deal, Introduction, Listing, NdaVersion, ServiceOrder
from payments.models import PriceItem

CURATE_PERMISSION = "market.change_listing"


def is_curator(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CURATE_PERMISSION))


def _member_organisation_ids(user: User | None) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def listing_list_public(*, viewer: User | None = None) -> QuerySet[Listing]:
    """Published listings on the floor; staff-only ones for curators alone."""
    queryset = Listing.objects.filter(status=Listing.Status.PUBLISHED)
    if not is_curator(viewer):
        queryset = queryset.exclude(visibility=Listing.Visibility.STAFF)
    return queryset.select_related("organisation")


def listing_list_for_organisation(*, organisation: Organisation) -> QuerySet[Listing]:
    """All of an organisation's listings, for its members' portal."""
    return (
        Listing.objects.filter(organisation=organisation)
        .prefetch_related("sectors")
        .order_by("-updated_at")
    )


def listing_is_member(*, listing: Listing, viewer: User | None) -> bool:
    return listing.organisation_id in _member_organisation_ids(viewer)


def listing_is_visible(*, listing: Listing, viewer: User | None) -> bool:
    """The listing's page: public when published, always to its owners and curators."""
    if listing.is_public:
        return True
    return is_curator(viewer) or listing_is_member(listing=listing, viewer=viewer)


def _has_approved_introduction(*, listing: Listing, viewer: User | None) -> bool:
    organisation_ids = _member_organisation_ids(viewer)
    return (
        bool(organisation_ids)
        and listing.introductions.filter(
            status=Introduction.Status.APPROVED, requester_id__in=organisation_ids
        ).exists()
    )


def listing_confidential_visible(*, listing: Listing, viewer: User | None) -> bool:
    """Contact details, confidential sections and documents: the owner, curators, and the
    other party of an approved introduction — nobody else, whatever the visibility."""
    if is_curator(viewer) or listing_is_member(listing=listing, viewer=viewer):
        return True
    return _has_approved_introduction(listing=listing, viewer=viewer)


def listing_details_visible(*, listing: Listing, viewer: User | None) -> bool:
    """The full description: public listings show it to all; "summary" ones after approval."""
    if listing.visibility == Listing.Visibility.PUBLIC and listing.is_public:
        return True
    return listing_confidential_visible(listing=listing, viewer=viewer)


def curation_queue() -> QuerySet[Listing]:
    """Submitted listings, oldest first, as curators work them."""
    return (
        Listing.objects.filter(status=Listing.Status.SUBMITTED)
        .select_related("organisation", "created_by")
        .order_by("submitted_at")
    )


def introduction_list_for_user(*, user: User) -> QuerySet[Introduction]:
    """Introductions the user's organisations asked for or received."""
    organisation_ids = _member_organisation_ids(user)
    return (
        Introduction.objects.filter(
            Q(requester_id__in=organisation_ids) | Q(listing__organisation_id__in=organisation_ids)
        )
        .select_related("listing", "listing__organisation", "requester", "deal")
        .order_by("-created_at")
    )


def introduction_is_party(*, introduction: Introduction, user: User | None) -> bool:
    organisation_ids = _member_organisation_ids(user)
    return bool(
        {introduction.requester_id, introduction.listing.organisation_id} & organisation_ids
    )


def introduction_is_visible(*, introduction: Introduction, user: User | None) -> bool:
    return is_curator(user) or introduction_is_party(introduction=introduction, user=user)


def introduction_queue() -> QuerySet[Introduction]:
    """Introductions waiting for someone, oldest first."""
    return (
        Introduction.objects.filter(
            status__in=[Introduction.Status.REQUESTED, Introduction.Status.ACCEPTED]
        )
        .select_related("listing", "listing__organisation", "requester")
        .order_by("created_at")
    )


def deal_board(
    *, stage: str = "", transaction_type: str = "", province: str = "", query: str = ""
) -> QuerySet[Deal]:
    """Deals for the curators' board, filtered, with what they need to show."""
    deals = Deal.objects.select_related(
        "introduction__listing__organisation", "introduction__requester"
    )
    if stage:
        deals = deals.filter(stage=stage)
    if transaction_type:
        deals = deals.filter(transaction_type=transaction_type)
    if province:
        deals = deals.filter(introduction__listing__province=province)
    if query:
        deals = deals.filter(
            Q(introduction__listing__title__icontains=query)
            | Q(introduction__requester__legal_name__icontains=query)
            | Q(introduction__listing__organisation__legal_name__icontains=query)
        )
    return deals.order_by("-updated_at")


def _attachment_allowed(attachment, *, details: bool, confidential: bool) -> bool:
    """Images follow the listing's details; documents its confidential part."""
    if attachment.kind == attachment.Kind.IMAGE:
        return details
    return confidential


def attachment_is_visible(*, attachment, viewer: User | None) -> bool:
    listing = attachment.listing
    return _attachment_allowed(
        attachment,
        details=listing_details_visible(listing=listing, viewer=viewer),
        confidential=listing_confidential_visible(listing=listing, viewer=viewer),
    )


def listing_attachments_visible(
    *, listing: Listing, viewer: User | None, details: bool, confidential: bool
) -> list:
    """The listing's files this viewer may open, given what they may read of it."""
    return [
        attachment
        for attachment in listing.attachments.all()
        if _attachment_allowed(attachment, details=details, confidential=confidential)
    ]


def nda_in_force() -> NdaVersion | None:
    return NdaVersion.in_force()


def organisation_contacts(*, organisation: Organisation) -> list[User]:
    """The people of an organisation the other party may contact after an introduction."""
    return list(user_list_managing(organisation=organisation))


def listing_revision_diff(*, listing: Listing) -> list[dict]:
    """What changed between the last published revision and the one under review, field by
    field, with words marked as removed or added (``<del>``/``<ins>``, escaped)."""
    revisions = list(listing.revisions.order_by("-number")[:20])
    if not revisions:
        return []
    current = revisions[0]
    published = next((revision for revision in revisions[1:] if revision.is_published), None)
    before = published.content if published else {}
    changes = []
    for name, after_value in current.content.items():
        before_value = before.get(name)
        if before_value == after_value:
            continue
        try:
            label = Listing._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        changes.append(
            {
                "field": name,
                "label": label,
                "diff": _word_diff(_as_text(before_value), _as_text(after_value)),
            }
        )
    return changes


def _as_text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return strip_tags(str(value))


def _word_diff(before: str, after: str) -> str:
    old, new = before.split(), after.split()
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def deal_list_closed_won(*, start: datetime, end: datetime) -> QuerySet[Deal]:
    """Deals closed won at a moment in [start, end), with their listing and its sectors (the
    province's transaction figures)."""
    return (
        Deal.objects.filter(stage=Deal.Stage.CLOSED_WON, closed_at__gte=start, closed_at__lt=end)
        .select_related("introduction__listing")
        .prefetch_related("introduction__listing__sectors")
    )


def introduction_list_approved(*, start: datetime, end: datetime) -> QuerySet[Introduction]:
    """Introductions a curator approved at a moment in [start, end), with their listing and
    its sectors."""
    return (
        Introduction.objects.filter(
            status=Introduction.Status.APPROVED,
            curator_decided_at__gte=start,
            curator_decided_at__lt=end,
        )
        .select_related("listing")
        .prefetch_related("listing__sectors")
    )


def listing_list_published_between(*, start: datetime, end: datetime) -> QuerySet[Listing]:
    """Listings last published at a moment in [start, end), whatever became of them since."""
    return Listing.objects.filter(published_at__gte=start, published_at__lt=end).prefetch_related(
        "sectors"
    )


def feature_plan_list_on_sale() -> QuerySet[PriceItem]:
    """The featuring periods on sale, shortest first."""
    return PriceItem.objects.filter(kind=PriceItem.Kind.FEATURED_LISTING, is_active=True).order_by(
        "duration_days", "amount"
    )


def service_list_on_sale() -> QuerySet[PriceItem]:
    """The Innovation Center's S&T services members may order now, by name."""
    return PriceItem.objects.filter(kind=PriceItem.Kind.SERVICE, is_active=True).order_by("name")


def service_order_list_for_organisation(*, organisation: Organisation) -> QuerySet[ServiceOrder]:
    """An organisation's service orders, newest first, for its members' portal."""
    return (
        ServiceOrder.objects.filter(organisation=organisation)
        .select_related("price_item", "order", "requested_by")
        .order_by("-created_at", "-pk")
    )


def service_order_queue(*, status: str = "") -> QuerySet[ServiceOrder]:
    """Service orders for the staff: those in progress first by default, oldest paid first."""
    queryset = ServiceOrder.objects.select_related(
        "organisation", "price_item", "order", "assigned_to", "requested_by"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("started_at", "created_at", "pk")
