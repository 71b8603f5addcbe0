"""No overbooking under concurrent allocations: real threads, each on its own connection to a
real PostgreSQL, racing for the same space's places."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Membership, Organisation
from startups.models import SeatAllocation
from startups.services import incubators as services
from tests.concurrency import POSTGRES_RACE, race
from tests.factories import MembershipFactory
from tests.startups.factories import SpaceFactory

pytestmark = POSTGRES_RACE

THREADS = 8


def test_eight_startups_racing_for_ten_places_get_exactly_five_allocations():
    # Given a space of 10 desks, its manager, and 8 startups each with a manager of its own
    space = SpaceFactory(capacity=10, occupied=0)
    manager = MembershipFactory(
        organisation=space.incubator.organisation, role=Membership.Role.ADMIN
    ).user
    startups = [
        MembershipFactory(organisation__kind=Organisation.Kind.STARTUP).organisation
        for _ in range(THREADS)
    ]

    # When 8 threads each ask for 2 places at the same moment
    results = race(
        lambda index: services.seat_allocate(
            space=space,
            organisation=startups[index],
            seats=2,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
            actor=manager,
        ),
        threads=THREADS,
    )

    # Then exactly 5 succeed, the space is full, and the other 3 were told no place is free
    allocations = [result for result in results if isinstance(result, SeatAllocation)]
    refusals = [result for result in results if isinstance(result, ValidationError)]
    assert (len(allocations), len(refusals)) == (5, 3)
    assert {tuple(refusal.messages) for refusal in refusals} == {("Only 0 places are free.",)}
    space.refresh_from_db()
    assert (space.occupied, space.free) == (10, 0)
    assert SeatAllocation.objects.filter(space=space).count() == 5
    assert sum(SeatAllocation.objects.values_list("seats", flat=True)) == 10
    assert len(mail.outbox) == 5


def test_an_allocation_released_by_many_at_once_frees_its_places_once():
    # Given 4 of 10 places allocated
    space = SpaceFactory(capacity=10, occupied=0)
    manager = MembershipFactory(
        organisation=space.incubator.organisation, role=Membership.Role.ADMIN
    ).user
    allocation = services.seat_allocate(
        space=space,
        organisation=MembershipFactory().organisation,
        seats=4,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 8, 31),
        actor=manager,
    )

    # When 8 threads release it at the same moment
    results = race(
        lambda index: services.seat_release(allocation=allocation, actor=manager), threads=THREADS
    )

    # Then every thread sees it released, and its places came back exactly once
    assert all(isinstance(result, SeatAllocation) for result in results)
    assert len({result.released_at for result in results}) == 1
    space.refresh_from_db()
    assert space.occupied == 0


def test_occupancy_counts_and_allocations_racing_never_overbook():
    # Given a space of 10 with 4 taken and its manager
    space = SpaceFactory(capacity=10, occupied=4)
    manager = MembershipFactory(
        organisation=space.incubator.organisation, role=Membership.Role.ADMIN
    ).user
    startup = MembershipFactory().organisation

    # When half the threads record 8 taken while the other half each allocate 3 places
    def work(index: int):
        if index % 2:
            return services.space_set_occupancy(space=space, occupied=8, actor=manager)
        return services.seat_allocate(
            space=space,
            organisation=startup,
            seats=3,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
            actor=manager,
        )

    results = race(work, threads=THREADS)

    # Then whatever order they ran in, the space is never past its capacity and never below
    # what the allocations hold
    assert not [
        result
        for result in results
        if isinstance(result, Exception) and not isinstance(result, ValidationError)
    ]
    space.refresh_from_db()
    held = sum(
        SeatAllocation.objects.filter(space=space, released_at=None).values_list("seats", flat=True)
    )
    assert held <= space.occupied <= space.capacity
