"""Events in both APIs: the same visibility cases against the event's page, /api/v1/events/ and
Wagtail's /api/v2/pages/; the list's filters; the exact fields; and nothing about who takes part."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from cms.models import EventPage, EventRegistration, StatisticsPage
from payments.models import PriceItem
from tests.cms.eventkit import event_index, make_event, member
from tests.factories import MembershipFactory, VerifiedOrganisationFactory
from tests.payments.factories import PriceItemFactory
from tests.startups.factories import CallPageFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
PAGES = "/api/v2/pages/"
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")
STATES = ["live", "past", "draft", "private_login", "private_groups"]
VIEWERS = ["anonymous", "member"]


def _event(state: str) -> EventPage:
    now = timezone.now()
    fields = {"title": f"Sự kiện {state}"}
    if state == "past":
        fields |= {"starts_at": now - datetime.timedelta(days=3)}
        fields |= {"ends_at": fields["starts_at"] + datetime.timedelta(hours=8)}
    event = make_event(**fields)
    if state == "draft":
        event.unpublish()
    elif state == "private_login":
        PageViewRestriction.objects.create(page=event, restriction_type=PageViewRestriction.LOGIN)
    elif state == "private_groups":
        restriction = PageViewRestriction.objects.create(
            page=event, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.create(name="Invited guests"))
    return event


def _expected(viewer: str, state: str) -> tuple[int, bool, bool]:
    """(the page's status, in the REST API, in the page API).

    The page and Wagtail's page API follow Wagtail's view restrictions for the viewer: a
    restricted page sends the visitor to log in. /api/v1/events/ is the events page's list
    (``event_list_public``): public events only, whoever asks."""
    if state == "draft":
        return 404, False, False
    if state == "private_login" and viewer == "member":
        return 200, False, True
    if state.startswith("private"):
        return 302, False, False
    return 200, True, True


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_page_and_both_apis_show_the_same(client, viewer, state):
    event = _event(state)
    if viewer == "member":
        client.force_login(member()[0])
    page_status, in_rest, in_pages = _expected(viewer, state)

    page = client.get(f"/vi/su-kien/{event.slug}/")
    detail = client.get(f"{EVENTS}{event.pk}/")
    listed = {item["id"] for item in client.get(EVENTS).json()["results"]}
    page_detail = client.get(f"{PAGES}{event.pk}/")
    pages_listed = {
        item["id"] for item in client.get(PAGES, {"type": "cms.EventPage"}).json()["items"]
    }

    assert page.status_code == page_status
    if page_status == 302:
        assert page["Location"].startswith("/vi/accounts/login/")
    assert detail.status_code == (200 if in_rest else 404)
    assert (event.pk in listed) is in_rest
    assert page_detail.status_code == (200 if in_pages else 404)
    assert (event.pk in pages_listed) is in_pages
    if not in_rest:
        assert event.title not in detail.content.decode()


def test_the_events_page_lists_what_the_api_lists(client):
    events = {state: _event(state) for state in STATES}

    page = client.get("/vi/su-kien/").content.decode()
    listed = {item["id"] for item in client.get(EVENTS).json()["results"]}

    assert listed == {events["live"].pk, events["past"].pk}
    for event in events.values():
        assert (event.pk in listed) is (f"/su-kien/{event.slug}/" in page)


@pytest.fixture
def fair() -> EventPage:
    """A paid fair with an agenda, two places held and one given back."""
    fee = PriceItemFactory(kind=PriceItem.Kind.EVENT_FEE, amount=1_500_000)
    start = datetime.datetime(2031, 3, 12, 8, 0, tzinfo=HO_CHI_MINH)
    event = make_event(
        title="Techmart Đồng Tháp 2031",
        slug="techmart-2031",
        kind=EventPage.Kind.FAIR,
        summary="Chợ công nghệ và thiết bị của tỉnh.",
        body='<p>Gian hàng cho <a href="https://example.vn/">doanh nghiệp</a>.</p>',
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1, hours=9),
        venue="Nhà thi đấu tỉnh",
        address="12 Lê Lợi, Cao Lãnh",
        capacity=40,
        fee=fee,
        registration_opens_at=start - datetime.timedelta(days=60),
        registration_closes_at=start - datetime.timedelta(days=2),
        agenda=[
            (
                "item",
                {
                    "time": datetime.time(8, 30),
                    "title": "Khai mạc",
                    "speaker": "Sở Khoa học và Công nghệ",
                    "description": "",
                },
            ),
            (
                "item",
                {
                    "time": datetime.time(9, 15),
                    "title": "Kết nối B2B",
                    "speaker": "",
                    "description": "Gặp gỡ theo lịch hẹn.",
                },
            ),
        ],
    )
    for status in ("confirmed", "awaiting_payment", "cancelled"):
        registration = MembershipFactory(
            organisation=VerifiedOrganisationFactory(legal_name=f"Công ty {status}")
        )
        EventRegistration.objects.create(
            event=event,
            organisation=registration.organisation,
            registered_by=registration.user,
            status=status,
            order_reference=f"EV-{status}",
        )
    return event


def test_an_event_reads_as_its_page_shows_it(client, fair):
    data = client.get(f"{EVENTS}{fair.pk}/", {"lang": "en"}).json()

    assert data == {
        "id": fair.pk,
        "title": "Techmart Đồng Tháp 2031",
        "slug": "techmart-2031",
        "url": "http://localhost/vi/su-kien/techmart-2031/",
        "language": "vi",
        "kind": "fair",
        "kind_label": "Technology fair (Techmart)",
        "summary": "Chợ công nghệ và thiết bị của tỉnh.",
        "body": '<p>Gian hàng cho <a href="https://example.vn/">doanh nghiệp</a>.</p>',
        "starts_at": "2031-03-12T08:00:00+07:00",
        "ends_at": "2031-03-13T17:00:00+07:00",
        "venue": "Nhà thi đấu tỉnh",
        "address": "12 Lê Lợi, Cao Lãnh",
        "province": "dong-thap",
        "province_label": "Đồng Tháp",
        "capacity": 40,
        "seats_left": 38,
        "fee": 1_500_000,
        "registration_opens_at": "2031-01-11T08:00:00+07:00",
        "registration_closes_at": "2031-03-10T08:00:00+07:00",
        "registration_open": False,
        "agenda": [
            {
                "time": "08:30:00",
                "title": "Khai mạc",
                "speaker": "Sở Khoa học và Công nghệ",
                "description": "",
            },
            {
                "time": "09:15:00",
                "title": "Kết nối B2B",
                "speaker": "",
                "description": "Gặp gỡ theo lịch hẹn.",
            },
        ],
    }


def test_a_free_event_has_no_fee_and_is_open_for_registration(client):
    event = make_event()

    data = client.get(f"{EVENTS}{event.pk}/").json()

    assert data["fee"] is None
    assert data["registration_open"] is True
    assert data["seats_left"] == event.capacity == 10


def test_the_page_api_gives_the_same_public_fields(client, fair):
    fields = "kind,starts_at,ends_at,venue,address,province,capacity,fee,agenda"
    data = client.get(PAGES, {"type": "cms.EventPage", "fields": fields}).json()

    (item,) = data["items"]
    assert item["id"] == fair.pk
    assert item["meta"]["html_url"] == "http://localhost/vi/su-kien/techmart-2031/"
    assert item["kind"] == "fair"
    assert item["starts_at"] == "2031-03-12T08:00:00+07:00"
    assert item["venue"] == "Nhà thi đấu tỉnh"
    assert item["capacity"] == 40
    assert item["fee"] == 1_500_000
    assert [entry["value"]["title"] for entry in item["agenda"]] == ["Khai mạc", "Kết nối B2B"]
    assert item["agenda"][0]["value"]["time"] == "08:30:00"


@pytest.mark.parametrize(
    "field", ["registrations", "slots", "meeting_minutes", "meetings_start", "meetings_end"]
)
def test_the_page_api_refuses_fields_about_participants_and_meetings(client, fair, field):
    response = client.get(PAGES, {"type": "cms.EventPage", "fields": field})

    assert response.status_code == 400
    assert response.json() == {"message": f"unknown fields: {field}"}


def test_no_registration_leaks_through_either_api(client, fair):
    texts = [
        client.get(EVENTS).content.decode(),
        client.get(f"{EVENTS}{fair.pk}/").content.decode(),
        client.get(PAGES, {"type": "cms.EventPage", "fields": "*"}).content.decode(),
        client.get(f"{PAGES}{fair.pk}/").content.decode(),
    ]

    for text in texts:
        assert "techmart-2031" in text
        for status in ("confirmed", "awaiting_payment", "cancelled"):
            assert f"Công ty {status}" not in text
            assert f"EV-{status}" not in text
        for word in ("registrations", "participants", "meeting_minutes", "slots"):
            assert f'"{word}"' not in text


@pytest.fixture
def calendar():
    """A past event, one under way, two to come, and one on the English events page."""
    now = timezone.now()

    def at(days: float, title: str, **fields) -> EventPage:
        start = now + datetime.timedelta(days=days)
        return make_event(
            title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=6), **fields
        )

    english = Locale.objects.get_or_create(language_code="en")[0]
    index = event_index()
    home = index.get_parent()
    if not home.has_translation(english):
        home.copy_for_translation(english).save_revision().publish()
    english_index = index.copy_for_translation(english)
    english_index.save_revision().publish()
    start = now + datetime.timedelta(days=20)
    english_event = english_index.add_child(
        instance=EventPage(
            title="Technology fair",
            slug="technology-fair",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            venue="Exhibition hall",
            province="dong-thap",
            capacity=30,
        )
    )
    return {
        "past": at(-10, "Đã qua"),
        "under_way": at(-0.1, "Đang diễn ra"),
        "soon": at(5, "Sắp tới"),
        "later": at(40, "Sau này"),
        "english": english_event,
    }


def _ids(client, **params) -> list[int]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_the_list_is_ordered_by_start_and_filtered(client, calendar):
    c = calendar
    now = timezone.now()

    assert _ids(client) == [
        c[name].pk for name in ("past", "under_way", "soon", "english", "later")
    ]
    assert _ids(client, ordering="-starts_at") == [
        c[name].pk for name in ("later", "english", "soon", "under_way", "past")
    ]
    assert _ids(client, upcoming="true") == [
        c[name].pk for name in ("under_way", "soon", "english", "later")
    ]
    assert _ids(client, upcoming="false") == [c["past"].pk]
    assert _ids(client, language="en") == [c["english"].pk]
    assert _ids(client, language="vi", upcoming="true") == [
        c[name].pk for name in ("under_way", "soon", "later")
    ]
    assert _ids(
        client,
        starts_after=(now + datetime.timedelta(days=1)).isoformat(),
        starts_before=c["later"].starts_at.isoformat(),
    ) == [c["soon"].pk, c["english"].pk]
    assert _ids(client, starts_after=c["later"].starts_at.isoformat()) == [c["later"].pk]


def test_the_list_pages_as_the_other_endpoints(client, calendar):
    first = client.get(EVENTS, {"page_size": 2}).json()
    last = client.get(EVENTS, {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"] == "http://testserver/api/v1/events/?page=2&page_size=2"
    assert [item["id"] for item in last["results"]] == [calendar["later"].pk]
    assert client.get(EVENTS, {"page": 4, "page_size": 2}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"upcoming": "maybe"}, "upcoming"),
        ({"language": "fr"}, "language"),
        ({"starts_after": "tomorrow"}, "starts_after"),
        ({"starts_before": "2031-13-01"}, "starts_before"),
        ({"ordering": "title"}, "ordering"),
    ],
)
def test_a_wrong_filter_is_a_400_naming_it(client, params, field):
    response = client.get(EVENTS, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_api_is_read_only(client):
    event = make_event()
    client.force_login(member()[0])

    assert client.post(EVENTS, {"title": "x"}).status_code == 405
    assert client.patch(f"{EVENTS}{event.pk}/", {"title": "x"}).status_code == 405
    assert client.delete(f"{EVENTS}{event.pk}/").status_code == 405
    assert EventPage.objects.get(pk=event.pk).title == event.title


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(EVENTS).status_code == 200
    return len(queries)


def test_more_events_do_not_mean_more_queries(client, fair):
    client.get(EVENTS)  # fills the site and locale caches
    one = _queries(client)
    for days in range(1, 6):
        start = fair.starts_at + datetime.timedelta(days=days)
        make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=4), fee=fair.fee)

    assert _queries(client) == one


@pytest.fixture
def public_pages() -> dict:
    """One page of each public type that lacked API fields, under the Vietnamese home page."""
    home = event_index().get_parent().specific
    home.hero_title = "Sàn giao dịch công nghệ"
    home.hero_text = "Kết nối cung và cầu công nghệ."
    home.save_revision().publish()
    statistics = home.add_child(
        instance=StatisticsPage(title="Thống kê", slug="thong-ke", intro="<p>Chỉ tiêu năm</p>")
    )
    call = CallPageFactory(quota=12, budget=2_000_000_000, eligible_provinces=["dong-thap"])
    return {"home": home, "statistics": statistics, "call": call, "programme": call.programme}


@pytest.mark.parametrize(
    ("page_type", "fields"),
    [
        ("cms.HomePage", ["hero_title", "hero_text", "body"]),
        ("cms.TradingFloorPage", ["intro"]),
        ("cms.StatisticsPage", ["intro"]),
        ("cms.EventIndexPage", ["intro"]),
        ("startups.ProgrammePage", ["intro", "starts_in", "ends_in"]),
        (
            "startups.CallPage",
            [
                "call_type",
                "intro",
                "opens_at",
                "closes_at",
                "eligible_kinds",
                "eligible_provinces",
                "max_years_established",
                "support",
                "quota",
                "budget",
            ],
        ),
    ],
)
def test_each_public_page_type_gives_its_public_fields(client, public_pages, page_type, fields):
    response = client.get(PAGES, {"type": page_type, "fields": ",".join(fields)})

    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) == 1
    assert set(fields) <= set(items[0])


def test_the_page_api_gives_exact_values_of_a_call_and_the_home_page(client, public_pages):
    call = client.get(f"{PAGES}{public_pages['call'].pk}/").json()
    home = client.get(f"{PAGES}{public_pages['home'].pk}/").json()
    programme = client.get(f"{PAGES}{public_pages['programme'].pk}/").json()

    assert (call["quota"], call["budget"]) == (12, 2_000_000_000)
    assert call["eligible_provinces"] == ["dong-thap"]
    assert call["call_type"] == "startup_support"
    assert (home["hero_title"], home["hero_text"]) == (
        "Sàn giao dịch công nghệ",
        "Kết nối cung và cầu công nghệ.",
    )
    assert (programme["starts_in"], programme["ends_in"]) == (2026, 2030)


@pytest.mark.parametrize(
    "field",
    ["application_form", "criteria", "blind_review", "normalise_scores", "review_deadline"],
)
def test_the_page_api_keeps_a_calls_form_and_review_settings_out(client, public_pages, field):
    response = client.get(PAGES, {"type": "startups.CallPage", "fields": field})

    assert response.status_code == 400
    assert response.json() == {"message": f"unknown fields: {field}"}
