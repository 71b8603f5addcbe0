"""Races on real PostgreSQL: the last place of an event and one participant's slot, each
claimed by two threads at the same moment, go to exactly one of them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from cms.events import services
from cms.models import EventRegistration, Meeting, MeetingBooking, MeetingSlot
from tests.cms.eventkit import make_event, member, registered
from tests.concurrency import POSTGRES_RACE, race

pytestmark = POSTGRES_RACE

THREADS = 2


def test_two_organisations_racing_for_the_last_place_get_it_once():
    # Given an event with one place and two verified organisations
    event = make_event(capacity=1)
    people = [member() for _ in range(THREADS)]

    # When both register at the same moment
    results = race(
        lambda index: services.registration_create(
            event=event, organisation=people[index][1], actor=people[index][0]
        ),
        threads=THREADS,
    )

    # Then one holds the place and the other is told the event is full
    assert sum(isinstance(result, EventRegistration) for result in results) == 1, results
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert [error.messages for error in refused] == [["This event is full."]]
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_two_acceptances_for_the_same_person_and_slot_book_one():
    # Given Bob invited to 09:00 by both Alice and Carol
    event = make_event()
    (alice, a, _), (bob, b, _), (carol, c, _) = [registered(event) for _ in range(3)]
    start = event.starts_at + datetime.timedelta(hours=1)
    slot = MeetingSlot.objects.create(
        event=event, starts_at=start, ends_at=start + datetime.timedelta(minutes=30)
    )
    meetings = [
        services.meeting_request(slot=slot, requester=a, invitee=b, actor=alice),
        services.meeting_request(slot=slot, requester=c, invitee=b, actor=carol),
    ]

    # When Bob's two colleagues accept one each at the same moment
    results = race(
        lambda index: services.meeting_accept(meeting=meetings[index], actor=bob),
        threads=THREADS,
    )

    # Then exactly one meeting holds the slot, and the other is still only a request
    assert sum(isinstance(result, Meeting) for result in results) == 1, results
    assert sum(isinstance(result, ValidationError) for result in results) == 1, results
    statuses = sorted(Meeting.objects.values_list("status", flat=True))
    assert statuses == [Meeting.Status.ACCEPTED, Meeting.Status.REQUESTED]
    assert MeetingBooking.objects.filter(slot=slot, registration=b).count() == 1
