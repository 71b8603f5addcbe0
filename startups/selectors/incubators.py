"""Read queries of the incubator directory and of its managers' pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import Membership, User
from startups.models import Incubator, IncubatorUpgrade, SeatAllocation, Space

MANAGING_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _with_directory_details(queryset: QuerySet[Incubator]) -> QuerySet[Incubator]:
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("spaces", queryset=Space.objects.order_by("kind")), "focus_sectors"
    )


def incubator_list_public(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Incubator]:
    """Incubators shown in the directory, filtered by ``kind``, ``province``, ``sector`` (a
    sector's code; a top-level code matches its sub-sectors too) and ``has_free_places``."""
    filters = filters or {}
    queryset = Incubator.objects.filter(is_public=True)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("province"):
        queryset = queryset.filter(province=filters["province"])
    if filters.get("sector"):
        code = filters["sector"]
        # A subquery rather than a join: a join would repeat an incubator once per sector.
        in_sector = Incubator.focus_sectors.through.objects.filter(
            Q(sector__code=code) | Q(sector__parent__code=code), incubator=OuterRef("pk")
        )
        queryset = queryset.filter(Exists(in_sector))
    if filters.get("has_free_places"):
        queryset = queryset.filter(
            Exists(Space.objects.filter(incubator=OuterRef("pk"), capacity__gt=F("occupied")))
        )
    return _with_directory_details(queryset).order_by("name")


def incubator_get_public(*, slug: str) -> Incubator | None:
    """One incubator of the directory, with its spaces and sectors, or None."""
    return _with_directory_details(Incubator.objects.filter(is_public=True, slug=slug)).first()


def incubator_is_manager(*, incubator: Incubator, user: User | None) -> bool:
    """Owners and administrators of the organisation that runs the incubator."""
    return bool(
        user
        and user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=incubator.organisation_id, role__in=MANAGING_ROLES
        ).exists()
    )


def incubator_list_managed(*, user: User | None) -> QuerySet[Incubator]:
    """The incubators a user manages, public or not, each space with the places that
    allocations hold (``held``), below which occupancy cannot go."""
    if not (user and user.is_authenticated):
        return Incubator.objects.none()
    spaces = Space.objects.annotate(
        held=Coalesce(Sum("allocations__seats", filter=Q(allocations__released_at__isnull=True)), 0)
    ).order_by("kind")
    allocations = (
        SeatAllocation.objects.filter(released_at__isnull=True)
        .select_related("organisation", "space")
        .order_by("ends_on", "pk")
    )
    return (
        Incubator.objects.filter(
            organisation__memberships__user=user, organisation__memberships__role__in=MANAGING_ROLES
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch("spaces", queryset=spaces),
            Prefetch("spaces__allocations", queryset=allocations, to_attr="active_allocations"),
        )
        .distinct()
        .order_by("name")
    )


def incubator_upgrade_list(*, year: int) -> QuerySet[IncubatorUpgrade]:
    """Incubator upgrades recorded for ``year`` by any programme, with the incubator and its
    focus sectors. Upgrades are recorded by year only, without a date."""
    return (
        IncubatorUpgrade.objects.filter(year=year)
        .select_related("incubator")
        .prefetch_related("incubator__focus_sectors")
    )
