"""Seats of incubators and co-working spaces: allocate, release, keep occupancy current.

Every change of ``Space.occupied`` locks the space's row first (allocations, releases and the
managers' own count), so two allocations racing for the last places are served one after the
other and the second sees what the first took; the check constraint is the last line behind it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from startups import emails
from startups.models import Application, Incubator, SeatAllocation, Space
from startups.selectors.access import is_programme_staff
from startups.selectors.incubators import incubator_is_manager

SEAT_ALLOCATE = register_action(
    "techfloor.seat.allocate", gettext_lazy("Allocate seats"), gettext_lazy("Seats allocated")
)
SEAT_RELEASE = register_action(
    "techfloor.seat.release", gettext_lazy("Release seats"), gettext_lazy("Seats released")
)
SPACE_SET_OCCUPANCY = register_action(
    "techfloor.space.occupancy",
    gettext_lazy("Update occupancy"),
    gettext_lazy("Occupancy updated"),
)


def _require_allocator(*, incubator: Incubator, actor: User) -> None:
    if not (is_programme_staff(actor) or incubator_is_manager(incubator=incubator, user=actor)):
        raise PermissionDenied(
            _("Only programme staff and the incubator's managers may allocate its places.")
        )


def _approved_phases(application: Application) -> set[str]:
    # Asked of the workflow rather than spelled out, so another call type's phases work too.
    workflow = application.workflow
    return {workflow.transition("approve").target, workflow.transition("start_support").target}


def _check_application(*, application: Application, organisation: Organisation) -> None:
    if application.organisation_id != organisation.pk:
        raise ValidationError(
            {"application": _("This application belongs to another organisation.")}
        )
    if application.phase not in _approved_phases(application):
        raise ValidationError(
            {"application": _("Places go to approved applications only.")}, code="not_approved"
        )


def _held_by_allocations(space: Space) -> int:
    return (
        space.allocations.filter(released_at__isnull=True).aggregate(total=Sum("seats"))["total"]
        or 0
    )


@transaction.atomic
def seat_allocate(
    *,
    space: Space,
    organisation: Organisation,
    seats: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: User,
    application: Application | None = None,
) -> SeatAllocation:
    """Give ``seats`` places of a space to a startup, never more than are free."""
    _require_allocator(incubator=space.incubator, actor=actor)
    if seats < 1:
        raise ValidationError({"seats": _("Allocate at least one place.")}, code="min_value")
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The end date cannot be before the start date.")}, code="dates"
        )
    if application is not None:
        _check_application(application=application, organisation=organisation)
    # The lock serialises every allocation of this space: the count read below stays true
    # until this transaction commits.
    locked = Space.objects.select_for_update().get(pk=space.pk)
    if seats > locked.free:
        raise ValidationError(
            {
                "seats": ngettext(
                    "Only %(count)d place is free.", "Only %(count)d places are free.", locked.free
                )
                % {"count": locked.free}
            },
            code="no_room",
        )
    allocation = SeatAllocation(
        space=locked,
        organisation=organisation,
        application=application,
        seats=seats,
        starts_on=starts_on,
        ends_on=ends_on,
        allocated_by=actor,
    )
    allocation.full_clean()
    allocation.save()
    Space.objects.filter(pk=locked.pk).update(occupied=F("occupied") + seats)
    space.refresh_from_db(fields=["occupied"])
    audit(
        actor=actor,
        action=SEAT_ALLOCATE,
        instance=allocation,
        data={"space": locked.pk, "organisation": organisation.pk, "seats": seats},
    )
    emails.send_seat_allocated(allocation=allocation)
    return allocation


@transaction.atomic
def seat_release(*, allocation: SeatAllocation, actor: User) -> SeatAllocation:
    """Give the places back to the space; releasing twice frees them once."""
    _require_allocator(incubator=allocation.space.incubator, actor=actor)
    # Space first, then the allocation: the same order as seat_allocate, so no deadlock.
    space = Space.objects.select_for_update().get(pk=allocation.space_id)
    locked = SeatAllocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.released_at is not None:
        return locked
    locked.released_at = timezone.now()
    locked.save(update_fields=["released_at"])
    Space.objects.filter(pk=space.pk).update(occupied=F("occupied") - locked.seats)
    audit(actor=actor, action=SEAT_RELEASE, instance=locked, data={"seats": locked.seats})
    allocation.released_at = locked.released_at
    return locked


@transaction.atomic
def space_set_occupancy(*, space: Space, occupied: int, actor: User) -> Space:
    """Record how many places are taken, allocations included, as the manager counts them."""
    if not incubator_is_manager(incubator=space.incubator, user=actor):
        raise PermissionDenied(_("Only the incubator's managers may update its occupancy."))
    locked = Space.objects.select_for_update().get(pk=space.pk)
    held = _held_by_allocations(locked)
    if occupied < held:
        raise ValidationError(
            {
                "occupied": ngettext(
                    "Allocations hold %(count)d place; release them first to go lower.",
                    "Allocations hold %(count)d places; release them first to go lower.",
                    held,
                )
                % {"count": held}
            },
            code="below_allocations",
        )
    if occupied > locked.capacity:
        raise ValidationError(
            {
                "occupied": _("The space has %(capacity)d places; more cannot be taken.")
                % {"capacity": locked.capacity}
            },
            code="above_capacity",
        )
    before = locked.occupied
    locked.occupied = occupied
    locked.full_clean()
    locked.save(update_fields=["occupied"])
    audit(
        actor=actor,
        action=SPACE_SET_OCCUPANCY,
        instance=locked,
        data={"before": before, "after": occupied},
    )
    space.occupied = occupied
    return locked
