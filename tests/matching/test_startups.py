"""Startups matched to open calls, incubators and mentors through the engine, with reasons."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation, Sector
from matching.reasons import render_all
from matching.startups import recommendations_for
from startups.models import Expert, StartupProfile
from tests.factories import MembershipFactory, UserFactory, VerifiedOrganisationFactory
from tests.startups.factories import CallPageFactory, IncubatorFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sector():
    return Sector.objects.exclude(parent=None).first()


@pytest.fixture
def startup(sector):
    organisation = VerifiedOrganisationFactory(
        kind=Organisation.Kind.STARTUP,
        description="Khởi nghiệp nông nghiệp thông minh ở Đồng Tháp.",
    )
    organisation.sectors.set([sector])
    StartupProfile.objects.create(
        organisation=organisation,
        stage=StartupProfile.Stage.MVP,
        pitch="Cảm biến IoT đo độ ẩm đất cho vườn sầu riêng, cảnh báo qua điện thoại.",
    )
    return organisation


def test_open_calls_the_startup_is_eligible_for(startup, sector):
    fitting = CallPageFactory(
        title="Hỗ trợ khởi nghiệp IoT nông nghiệp", eligible_kinds=["startup"]
    )
    fitting.eligible_sectors.set([sector])
    fitting.save()
    CallPageFactory(title="Hỗ trợ khởi nghiệp IoT cho viện", eligible_kinds=["institute"])
    CallPageFactory(
        title="Hỗ trợ khởi nghiệp IoT đã đóng",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    calls = recommendations_for(organisation=startup).calls

    assert [entry.item.pk for entry in calls] == [fitting.pk]
    reasons = render_all(calls[0].scored.reasons)
    assert any("<mark>iot</mark>" in reason for reason in reasons)
    assert any(
        reason.startswith("You meet every condition; applications close on") for reason in reasons
    )
    assert any(reason.startswith("Same sector:") for reason in reasons)


def test_incubators_with_free_places_in_the_startups_field(startup, sector):
    open_one = IncubatorFactory(
        name="Vườn ươm nông nghiệp công nghệ cao", province=startup.province
    )
    open_one.focus_sectors.set([sector])
    SpaceFactory(incubator=open_one, capacity=10, occupied=4)
    full = IncubatorFactory(name="Vườn ươm nông nghiệp đã kín chỗ")
    full.focus_sectors.set([sector])
    SpaceFactory(incubator=full, capacity=5, occupied=5)

    incubators = recommendations_for(organisation=startup).incubators

    assert [entry.item.pk for entry in incubators] == [open_one.pk]
    reasons = render_all(incubators[0].scored.reasons)
    assert "6 free places" in reasons
    assert any(reason.startswith("Same province:") for reason in reasons)


def test_public_mentors_with_time(startup, sector):
    mentor = Expert.objects.create(
        user=UserFactory(full_name="TS. Phạm Minh"),
        headline="Chuyên gia IoT nông nghiệp",
        expertise="Cảm biến độ ẩm, hệ thống tưới thông minh cho cây ăn trái.",
        is_mentor=True,
        mentoring_hours_per_month=6,
        is_public=True,
    )
    mentor.sectors.set([sector])
    Expert.objects.create(
        user=UserFactory(),
        headline="Chuyên gia IoT kín",
        expertise="IoT",
        is_mentor=True,
        mentoring_hours_per_month=4,
        is_public=False,
    )

    mentors = recommendations_for(organisation=startup).mentors

    assert [entry.item.pk for entry in mentors] == [mentor.pk]
    assert "6 mentoring hours a month" in render_all(mentors[0].scored.reasons)


def test_nothing_unrelated_is_proposed(startup):
    CallPageFactory(title="Hỗ trợ du lịch cộng đồng", eligible_kinds=["startup"])

    assert recommendations_for(organisation=startup).calls == []


def test_the_page_lists_suggestions_for_the_acting_organisation(client, startup, sector):
    member = MembershipFactory(organisation=startup).user
    call = CallPageFactory(title="Hỗ trợ khởi nghiệp IoT nông nghiệp")
    call.eligible_sectors.set([sector])
    call.save()
    client.force_login(member)

    page = client.get("/en/portal/startup-matches/").content.decode()

    assert "Hỗ trợ khởi nghiệp IoT nông nghiệp" in page
    assert "You meet every condition" in page


def test_a_call_open_to_a_whole_sector_counts_its_sub_sectors_as_the_same(startup, sector):
    call = CallPageFactory(title="Hỗ trợ khởi nghiệp", eligible_kinds=["startup"])
    call.eligible_sectors.set([sector.parent])
    call.save()

    calls = recommendations_for(organisation=startup).calls

    assert [entry.item.pk for entry in calls] == [call.pk]
    assert {"code": "same_sector", "sector": sector.code} in calls[0].scored.reasons
