"""Event pages: where they may stand in the page tree, what they check, how they list."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.models import EventIndexPage, EventPage, HomePage, TradingFloorPage
from payments.models import PriceItem
from tests.cms.eventkit import event_index, make_event
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


def test_events_page_sits_under_the_home_page_and_holds_only_events():
    assert EventIndexPage.parent_page_types == ["cms.HomePage"]
    assert EventIndexPage.allowed_subpage_models() == [EventPage]
    assert EventPage.allowed_parent_page_models() == [EventIndexPage]
    assert EventPage.allowed_subpage_models() == []
    assert EventIndexPage in HomePage.allowed_subpage_models()
    assert not EventPage.can_exist_under(HomePage.objects.first())
    assert EventIndexPage not in TradingFloorPage.allowed_subpage_models()


def test_an_event_ending_before_it_starts_is_refused_on_the_field():
    event = make_event()
    event.ends_at = event.starts_at - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["ends_at"] == ["The event must end after it starts."]


def test_registration_must_close_before_the_event_ends():
    event = make_event()
    event.registration_closes_at = event.ends_at + datetime.timedelta(minutes=1)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["registration_closes_at"] == [
        "Registration must close before the event ends."
    ]


def test_the_fee_must_be_an_event_fee_and_meetings_need_a_whole_window():
    event = make_event()
    event.fee = PriceItemFactory(kind=PriceItem.Kind.SERVICE)
    event.meetings_end = None

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["fee"] == [
        f"price item instance with id {event.fee.pk} is not a valid choice."
    ]
    assert error.value.message_dict["meeting_minutes"] == [
        "B2B meetings need a length, a start time and an end time."
    ]


def test_the_events_page_lists_upcoming_events_first_then_past_ones(client):
    now = timezone.now()
    make_event(
        title="Hội chợ đã qua",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=29),
    )
    make_event(
        title="Phiên sau",
        starts_at=now + datetime.timedelta(days=20),
        ends_at=now + datetime.timedelta(days=20, hours=4),
    )
    make_event(
        title="Phiên gần",
        starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5, hours=4),
    )

    content = client.get("/vi/su-kien/").content.decode()

    assert content.index("Phiên gần") < content.index("Phiên sau") < content.index("Hội chợ đã qua")


def test_the_events_page_says_so_when_there_is_none(client):
    event_index()

    response = client.get("/en/su-kien/")

    assert response.status_code == 200
    assert "No events are announced yet." in response.content.decode()


def test_the_event_page_shows_agenda_fee_and_register_button(client):
    event = make_event(
        fee=PriceItemFactory(kind=PriceItem.Kind.EVENT_FEE, amount=500_000),
        agenda=[
            (
                "item",
                {
                    "time": datetime.time(8, 30),
                    "title": "Khai mạc",
                    "speaker": "Sở KH&CN",
                    "description": "",
                },
            )
        ],
    )

    content = client.get(event.url).content.decode()

    assert "Khai mạc" in content
    assert "500.000" in content
    assert f"/vi/portal/events/{event.pk}/register/" in content


def test_demo_events_are_created_once():
    from cms.events.demo import create_demo_events
    from cms.models import MeetingSlot

    home = HomePage.objects.get(depth=2, slug="home")
    session, fair = create_demo_events(home=home)
    again = create_demo_events(home=home)

    assert [page.pk for page in again] == [session.pk, fair.pk]
    assert EventPage.objects.count() == 2
    assert session.fee.amount == 500_000
    assert fair.fee is None
    assert MeetingSlot.objects.filter(event=session).count() == 6
    assert session.live and fair.live
