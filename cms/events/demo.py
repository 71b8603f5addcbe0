"""Demo events: an events page, a paid connection session with B2B meetings and a free
technology fair. Idempotent: pages are found by slug, the fee by its price-list code."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.provinces import Province
from cms.events.services import meeting_slot_times
from cms.models import EventIndexPage, EventPage, HomePage, MeetingSlot
from payments.models import PriceItem

SESSION_FEE_CODE = "phi-phien-ket-noi-cung-cau"


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _agenda(*items: tuple[int, int, str, str]) -> list[tuple[str, dict]]:
    return [
        (
            "item",
            {
                "time": datetime.time(hour, minute),
                "title": title,
                "speaker": speaker,
                "description": "",
            },
        )
        for hour, minute, title, speaker in items
    ]


def _publish(index: EventIndexPage, page: EventPage) -> EventPage:
    existing = EventPage.objects.child_of(index).filter(slug=page.slug).first()
    if existing:
        return existing
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_demo_events(*, home: HomePage) -> list[EventPage]:
    """The events page under ``home`` with two events, the paid one with its meeting slots."""
    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = EventIndexPage(
            title="Sự kiện kết nối",
            slug="su-kien",
            intro="<p>Phiên kết nối cung cầu, chợ công nghệ và hội thảo của Trung tâm.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    fee, _ = PriceItem.objects.get_or_create(
        code=SESSION_FEE_CODE,
        defaults={
            "name": "Phí tham dự phiên kết nối cung cầu",
            "amount": 500_000,
            "kind": PriceItem.Kind.EVENT_FEE,
        },
    )
    session = _publish(
        index,
        EventPage(
            title="Phiên kết nối cung cầu công nghệ chế biến nông sản",
            slug="ket-noi-cung-cau-che-bien-nong-san",
            kind=EventPage.Kind.CONNECTION_SESSION,
            summary="Doanh nghiệp chế biến gặp viện, trường có công nghệ sấy, bảo quản, đóng gói.",
            starts_at=_at(30, 8),
            ends_at=_at(30, 17),
            venue="Trung tâm Hội nghị tỉnh",
            address="Số 1 Đường 30/4",
            province=Province.DONG_THAP,
            capacity=40,
            registration_closes_at=_at(28, 17),
            fee=fee,
            agenda=_agenda(
                (8, 0, "Đón khách, đăng ký", ""),
                (8, 30, "Khai mạc", "Sở Khoa học và Công nghệ"),
                (9, 0, "Giới thiệu công nghệ sấy bơm nhiệt", "Viện Công nghệ Sinh học"),
                (13, 30, "Gặp gỡ B2B theo lịch hẹn", ""),
            ),
            meeting_minutes=30,
            meetings_start=datetime.time(13, 30),
            meetings_end=datetime.time(16, 30),
        ),
    )
    for start, end in meeting_slot_times(event=session):
        MeetingSlot.objects.get_or_create(event=session, starts_at=start, defaults={"ends_at": end})
    fair = _publish(
        index,
        EventPage(
            title="Chợ công nghệ và thiết bị (Techmart) 2026",
            slug="techmart-2026",
            kind=EventPage.Kind.FAIR,
            summary="Gian trưng bày công nghệ, thiết bị của viện, trường và doanh nghiệp.",
            starts_at=_at(60, 8),
            ends_at=_at(61, 17),
            venue="Nhà thi đấu đa năng",
            province=Province.DONG_THAP,
            capacity=120,
            agenda=_agenda((8, 0, "Khai mạc chợ công nghệ", "UBND tỉnh")),
        ),
    )
    return [session, fair]
