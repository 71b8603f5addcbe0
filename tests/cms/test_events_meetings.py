"""B2B meetings: slots, requests between confirmed participants, answers, no double booking
(service and database), the personal agenda, and outcomes that start an introduction."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.events import services
from cms.models import Meeting, MeetingBooking, MeetingSlot
from market.models import Introduction
from tests.cms.eventkit import make_event, member, registered
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def slots_for(event) -> list[MeetingSlot]:
    editor = StaffFactory(groups=["Editors"])
    services.meeting_slots_generate(event=event, actor=editor)
    return list(event.slots.order_by("starts_at"))


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def three(event):
    """Three confirmed participants: (user, registration, listing) each."""
    return [registered(event) for _ in range(3)]


def test_slots_cut_the_daily_window_and_generating_again_adds_nothing(event):
    slots = slots_for(event)

    local = [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots]
    assert local == ["09:00", "09:30", "10:00", "10:30"]
    assert slots[0].ends_at - slots[0].starts_at == datetime.timedelta(minutes=30)
    assert services.meeting_slots_generate(event=event, actor=StaffFactory(groups=["Editors"])) == 0


def test_a_curator_who_does_not_edit_the_event_cannot_generate_slots(event):
    with pytest.raises(PermissionDenied):
        services.meeting_slots_generate(event=event, actor=StaffFactory())

    assert not event.slots.exists()


def test_request_and_accept_book_the_slot_for_both_and_tell_each_side(
    event, three, django_capture_on_commit_callbacks
):
    (alice, a, a_listing), (bob, b, _), _ = three
    slot = slots_for(event)[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_request(
            slot=slot, requester=a, invitee=b, actor=alice, listing=a_listing, message="Gặp nhé"
        )
    assert [message.to for message in mail.outbox] == [[bob.email]]

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_accept(meeting=meeting, actor=bob)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED
    assert set(MeetingBooking.objects.values_list("slot_id", "registration_id")) == {
        (slot.pk, a.pk),
        (slot.pk, b.pk),
    }
    assert mail.outbox[-1].to == [alice.email]


def test_decline_books_nothing(event, three):
    (alice, a, _), (bob, b, _), _ = three
    meeting = services.meeting_request(
        slot=slots_for(event)[0], requester=a, invitee=b, actor=alice
    )

    services.meeting_decline(meeting=meeting, actor=bob)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DECLINED
    assert not MeetingBooking.objects.exists()


def test_only_the_invitee_answers(event, three):
    (alice, a, _), (_, b, _), (carol, _, _) = three
    meeting = services.meeting_request(
        slot=slots_for(event)[0], requester=a, invitee=b, actor=alice
    )

    for intruder in (alice, carol):
        with pytest.raises(PermissionDenied):
            services.meeting_accept(meeting=meeting, actor=intruder)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED


def test_only_confirmed_participants_meet(event, three):
    (alice, a, _), _, _ = three
    slot = slots_for(event)[0]
    user, organisation = member()
    other = make_event(slug="khac")
    stranger = services.registration_create(event=other, organisation=organisation, actor=user)

    with pytest.raises(ValidationError) as error:
        services.meeting_request(slot=slot, requester=a, invitee=stranger, actor=alice)

    assert error.value.message_dict == {
        "slot": ["The slot and both participants must belong to the same event."]
    }
    with pytest.raises(PermissionDenied):
        services.meeting_request(slot=slot, requester=a, invitee=a, actor=user)


def test_a_listing_nobody_brings_is_refused_on_its_field(event, three):
    (alice, a, _), (_, b, _), (_, _, carol_listing) = three

    with pytest.raises(ValidationError) as error:
        services.meeting_request(
            slot=slots_for(event)[0], requester=a, invitee=b, actor=alice, listing=carol_listing
        )

    assert error.value.message_dict == {
        "listing": ["Choose a listing that one of you brings to the event."]
    }


def test_the_service_refuses_a_double_booking(event, three):
    """Bob accepted Alice for 09:00; Carol's request for Bob at 09:00 accepted earlier stays
    pending and cannot be accepted, and nobody can ask Bob for 09:00 any more."""
    (alice, a, _), (bob, b, _), (carol, c, _) = three
    slot = slots_for(event)[0]
    first = services.meeting_request(slot=slot, requester=a, invitee=b, actor=alice)
    second = services.meeting_request(slot=slot, requester=c, invitee=b, actor=carol)
    services.meeting_accept(meeting=first, actor=bob)

    with pytest.raises(ValidationError) as error:
        services.meeting_accept(meeting=second, actor=bob)
    assert error.value.messages == [
        f"{b.organisation.legal_name} already has a meeting in this slot."
    ]
    second.refresh_from_db()
    assert second.status == Meeting.Status.REQUESTED

    with pytest.raises(ValidationError) as error:
        services.meeting_request(slot=slot, requester=c, invitee=b, actor=carol)
    assert error.value.message_dict == {
        "slot": [f"{b.organisation.legal_name} already has a meeting in this slot."]
    }
    assert MeetingBooking.objects.filter(registration=b).count() == 1


def test_the_database_refuses_a_second_booking_of_the_same_slot(event, three):
    (alice, a, _), (bob, b, _), (carol, c, _) = three
    slot = slots_for(event)[0]
    first = services.meeting_request(slot=slot, requester=a, invitee=b, actor=alice)
    services.meeting_accept(meeting=first, actor=bob)
    second = Meeting.objects.create(slot=slot, requester=c, invitee=b, requested_by=carol)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingBooking.objects.create(slot=slot, registration=b, meeting=second)

    assert MeetingBooking.objects.filter(slot=slot, registration=b).count() == 1


def test_cancelling_a_registration_frees_the_other_sides_slot(event, three):
    (alice, a, _), (bob, b, _), (carol, c, _) = three
    slot = slots_for(event)[0]
    services.meeting_accept(
        meeting=services.meeting_request(slot=slot, requester=a, invitee=b, actor=alice),
        actor=bob,
    )

    services.registration_cancel(registration=a, actor=alice)

    assert not MeetingBooking.objects.exists()
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    assert services.meeting_request(slot=slot, requester=c, invitee=b, actor=carol)


def past_meeting(event, three):
    """An accepted meeting whose slot has begun, Alice asking Bob about Bob's listing."""
    (alice, a, _), (bob, b, b_listing), _ = three
    now = timezone.now()
    slot = MeetingSlot.objects.create(
        event=event, starts_at=now - datetime.timedelta(hours=1), ends_at=now
    )
    meeting = services.meeting_request(
        slot=slot, requester=a, invitee=b, actor=alice, listing=b_listing
    )
    return services.meeting_accept(meeting=meeting, actor=bob)


def test_an_outcome_can_start_an_introduction_on_the_floor(event, three):
    (alice, a, _), (_, b, b_listing), _ = three
    meeting = past_meeting(event, three)

    services.meeting_record_outcome(
        meeting=meeting,
        actor=alice,
        outcome=Meeting.Outcome.INTRODUCTION,
        note="Sấy sầu riêng xuất khẩu",
    )

    introduction = Introduction.objects.get()
    meeting.refresh_from_db()
    assert meeting.introduction == introduction
    assert (introduction.listing, introduction.requester) == (b_listing, a.organisation)
    assert introduction.status == Introduction.Status.REQUESTED
    assert introduction.intended_use == "Sấy sầu riêng xuất khẩu"
    assert event.title in introduction.message


def test_an_introduction_needs_the_intended_use_and_the_other_sides_listing(event, three):
    (_, _, _), (bob, _, b_listing), _ = three
    meeting = past_meeting(event, three)

    with pytest.raises(ValidationError) as error:
        services.meeting_record_outcome(
            meeting=meeting, actor=bob, outcome=Meeting.Outcome.INTRODUCTION, note="x"
        )
    assert error.value.message_dict == {
        "listing": ["Choose a listing of the organisation you met."]
    }
    assert not Introduction.objects.exists()


def test_only_the_two_sides_record_an_outcome_and_only_after_it_began(event, three):
    (alice, a, _), (bob, b, _), (carol, _, _) = three
    meeting = past_meeting(event, three)
    with pytest.raises(PermissionDenied):
        services.meeting_record_outcome(
            meeting=meeting, actor=carol, outcome=Meeting.Outcome.NO_FIT
        )

    future = services.meeting_accept(
        meeting=services.meeting_request(
            slot=slots_for(event)[-1], requester=a, invitee=b, actor=alice
        ),
        actor=bob,
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_record_outcome(
            meeting=future, actor=alice, outcome=Meeting.Outcome.FOLLOW_UP
        )
    assert error.value.code == "too_early"


def test_the_agenda_shows_meetings_and_requests_only_to_the_participant(client, event, three):
    (alice, a, _), (bob, b, _), (carol, c, _) = three
    slots = slots_for(event)
    services.meeting_accept(
        meeting=services.meeting_request(slot=slots[0], requester=a, invitee=b, actor=alice),
        actor=bob,
    )
    services.meeting_request(slot=slots[1], requester=c, invitee=b, actor=carol)
    outsider, _ = member()
    url = f"/en/portal/events/{event.pk}/agenda/"

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(bob)
    content = client.get(url).content.decode()
    assert a.organisation.legal_name in content  # accepted meeting
    assert c.organisation.legal_name in content  # request waiting for Bob
    assert "09:00" in content


def test_accepting_through_the_page_books_and_outsiders_get_404(client, event, three):
    (alice, a, _), (bob, b, _), (carol, _, _) = three
    meeting = services.meeting_request(
        slot=slots_for(event)[0], requester=a, invitee=b, actor=alice
    )
    url = f"/en/portal/events/meetings/{meeting.pk}/accept/"

    client.force_login(carol)
    assert client.post(url).status_code == 404
    client.force_login(alice)
    client.post(url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED

    client.force_login(bob)
    response = client.post(url)
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.ACCEPTED


def test_requesting_through_the_page_names_the_slot_already_booked(client, event, three):
    (alice, a, _), (bob, b, _), (carol, c, _) = three
    slot = slots_for(event)[0]
    services.meeting_accept(
        meeting=services.meeting_request(slot=slot, requester=a, invitee=b, actor=alice),
        actor=bob,
    )
    client.force_login(carol)

    response = client.post(
        f"/en/portal/events/{event.pk}/meetings/new/", {"invitee": b.pk, "slot": slot.pk}
    )

    assert response.status_code == 200
    assert "already has a meeting in this slot." in response.content.decode()
    assert not Meeting.objects.filter(requester=c).exists()


def test_the_outcome_page_starts_an_introduction_for_curators(client, event, three):
    (alice, a, _), (_, _, b_listing), (carol, _, _) = three
    meeting = past_meeting(event, three)
    url = f"/en/portal/events/meetings/{meeting.pk}/outcome/"

    client.force_login(carol)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    response = client.post(
        url,
        {
            "outcome": Meeting.Outcome.INTRODUCTION,
            "listing": b_listing.pk,
            "note": "Sấy sầu riêng xuất khẩu",
        },
    )

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.listing, introduction.requester) == (b_listing, a.organisation)
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.introduction) == (Meeting.Outcome.INTRODUCTION, introduction)
