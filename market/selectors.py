"""Read queries of the trading floor. Who may see what is decided here and nowhere else."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Membership, Organisation, User
from market.models import Deal, Introduction, Listing

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


def organisation_has_open_introduction(*, listing: Listing, organisation: Organisation) -> bool:
    return Introduction.objects.filter(
        listing=listing,
        requester=organisation,
        status__in=[
            Introduction.Status.REQUESTED,
            Introduction.Status.ACCEPTED,
            Introduction.Status.APPROVED,
        ],
    ).exists()


def listing_annotate_open_introductions(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.annotate(
        has_open_introduction=Exists(
            Introduction.objects.filter(
                listing=OuterRef("pk"),
                status__in=[Introduction.Status.REQUESTED, Introduction.Status.ACCEPTED],
            )
        )
    )
