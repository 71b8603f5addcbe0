"""Builders shared by the event tests: an events page under the Vietnamese home page, an
event under it, and organisations registered through the service."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from accounts.models import Membership
from accounts.provinces import Province
from cms.events import services
from cms.models import EventIndexPage, EventPage, EventRegistration, HomePage
from tests.factories import MembershipFactory, PublishedListingFactory, VerifiedOrganisationFactory


def event_index() -> EventIndexPage:
    existing = EventIndexPage.objects.first()
    if existing:
        return existing
    # A race test's flush takes the migrations' page tree away from the tests after it.
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code="vi")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        home = root.add_child(instance=HomePage(title="Trang chủ", slug="home"))
    if not Site.objects.filter(root_page=home).exists():
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home.add_child(instance=EventIndexPage(title="Sự kiện", slug="su-kien"))


def make_event(**fields) -> EventPage:
    start = timezone.localtime() + datetime.timedelta(days=10)
    start = start.replace(hour=8, minute=0, second=0, microsecond=0)
    values = {
        "title": "Phiên kết nối cung cầu công nghệ nông nghiệp",
        "slug": f"ket-noi-{EventPage.objects.count() + 1}",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=9),
        "venue": "Trung tâm Hội nghị tỉnh",
        "province": Province.DONG_THAP,
        "capacity": 10,
        "meeting_minutes": 30,
        "meetings_start": datetime.time(9, 0),
        "meetings_end": datetime.time(11, 0),
        **fields,
    }
    return event_index().add_child(instance=EventPage(**values))


def member(*, role: str = Membership.Role.MEMBER, **organisation_fields):
    """A user in a verified organisation (or the one given) that has one published listing."""
    organisation = organisation_fields.pop("organisation", None) or VerifiedOrganisationFactory(
        **organisation_fields
    )
    membership = MembershipFactory(organisation=organisation, role=role)
    return membership.user, organisation


def registered(event: EventPage, **organisation_fields) -> tuple:
    """A confirmed participant of a free event, bringing one published listing."""
    user, organisation = member(**organisation_fields)
    listing = PublishedListingFactory(organisation=organisation)
    registration = services.registration_create(
        event=event, organisation=organisation, actor=user, listings=[listing]
    )
    assert registration.status == EventRegistration.Status.CONFIRMED
    return user, registration, listing
