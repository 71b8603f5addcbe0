"""Read queries about people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership, Organisation, Sector, User, VerificationRequest


def membership_get(*, user: User, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a user belongs to, with their roles."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__legal_name")
    )


def organisation_acting_for(*, user: User) -> Organisation | None:
    """The organisation the user acts for: the one chosen, else their only or first one."""
    if not user.is_authenticated:
        return None
    if user.acting_organisation_id:
        membership = (
            Membership.objects.filter(user=user, organisation_id=user.acting_organisation_id)
            .select_related("organisation")
            .first()
        )
        if membership:
            return membership.organisation
    first = membership_list_for_user(user=user).first()
    return first.organisation if first else None


def organisation_list_public(*, province: str = "", kind: str = "") -> QuerySet[Organisation]:
    """Verified organisations, as shown in the public directory."""
    queryset = Organisation.objects.filter(
        verification_status=Organisation.Verification.VERIFIED
    ).prefetch_related("sectors")
    if province:
        queryset = queryset.filter(province=province)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("legal_name")


def organisation_is_visible(*, organisation: Organisation, viewer: User) -> bool:
    """Verified organisations are public; others only to their members and staff."""
    if organisation.is_verified:
        return True
    if not viewer.is_authenticated:
        return False
    return viewer.has_perm("accounts.view_organisation") or (
        membership_get(user=viewer, organisation=organisation) is not None
    )


def verification_queue() -> QuerySet[VerificationRequest]:
    """Pending verification requests, oldest first, as staff work them."""
    return (
        VerificationRequest.objects.filter(status=VerificationRequest.Status.PENDING)
        .select_related("organisation", "submitted_by")
        .order_by("submitted_at")
    )


def verification_evidence_visible(*, request: VerificationRequest, viewer: User) -> bool:
    """Evidence is private: the organisation's members and verifying staff only."""
    if not viewer.is_authenticated:
        return False
    return viewer.has_perm("accounts.change_verificationrequest") or (
        membership_get(user=viewer, organisation=request.organisation) is not None
    )


def user_list_in_group(*, name: str) -> QuerySet[User]:
    """Active staff in a group (Curators, Reviewers, Finance), to notify them."""
    return User.objects.filter(groups__name=name, is_active=True).distinct()


def user_list_managing(*, organisation: Organisation) -> QuerySet[User]:
    """Active owners and administrators of an organisation."""
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role__in=[Membership.Role.OWNER, Membership.Role.ADMIN],
        is_active=True,
    ).distinct()


def user_list_members(*, organisation: Organisation) -> QuerySet[User]:
    """Active members of an organisation, whatever their role."""
    return User.objects.filter(memberships__organisation=organisation, is_active=True).distinct()


def sector_list_top_level() -> QuerySet[Sector]:
    """The first level of the sector taxonomy, in its order (breakdowns by sector)."""
    return Sector.objects.filter(parent__isnull=True).order_by("position", "code")
