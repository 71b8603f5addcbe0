"""Experts ranked for a published need (curators only), and mentors' availability in a
startup's recommendations."""

from __future__ import annotations

import pytest

from accounts.models import Organisation, Sector
from market.models import Listing
from matching.experts import experts_for_need
from matching.startups import recommendations_for
from startups.models import Expert, StartupProfile
from tests.factories import UserFactory, VerifiedOrganisationFactory

pytestmark = pytest.mark.django_db


def make_expert(name: str, *, sectors=(), **fields) -> Expert:
    expert = Expert.objects.create(user=UserFactory(full_name=name), **fields)
    expert.sectors.set(sectors)
    return expert


@pytest.fixture
def sector():
    return Sector.objects.exclude(parent=None).order_by("pk").first()


@pytest.fixture
def experts(need, sector):
    """Four experts around the durian-drying need: two drying experts (available, limited),
    one whose drying work shows only in a patent, one in payroll software; and one unavailable
    drying expert."""
    need.sectors.set([sector])
    drying = {
        "headline": "Chuyên gia công nghệ sấy lạnh trái cây",
        "expertise": "Sấy lạnh sầu riêng, xoài; giữ màu và hương sau khi sấy.",
        "sectors": [sector],
    }
    return {
        "available": make_expert("Sấy Sẵn Sàng", **drying),
        "limited": make_expert(
            "Sấy Ít Thời Gian", availability=Expert.Availability.LIMITED, **drying
        ),
        "patent": make_expert(
            "Chủ Bằng Sáng Chế",
            headline="Kỹ sư cơ khí",
            expertise="Thiết kế máy móc chế biến.",
            field_of_science="211",
            patents=[{"title": "Buồng sấy lạnh sầu riêng bơm nhiệt"}],
        ),
        "payroll": make_expert(
            "Phần Mềm Nhân Sự", headline="Phần mềm quản lý nhân sự", expertise="Chấm công."
        ),
        "unavailable": make_expert(
            "Sấy Đang Bận", availability=Expert.Availability.UNAVAILABLE, **drying
        ),
    }


def test_experts_for_a_need_are_ranked_by_topic_sector_and_availability(need, experts):
    ranked = experts_for_need(listing=need)

    order = [entry.item for entry in ranked]
    assert order == [experts["available"], experts["limited"], experts["patent"]]
    assert ranked[0].score > ranked[1].score > ranked[2].score
    assert ranked[0].scored.features["sector"] == 1.0
    assert {reason["code"] for reason in ranked[0].scored.reasons} >= {"terms", "same_sector"}


def test_the_ranking_is_the_same_every_time(need, experts):
    first = [(entry.item.pk, entry.score) for entry in experts_for_need(listing=need)]
    second = [(entry.item.pk, entry.score) for entry in experts_for_need(listing=need)]

    assert first == second


def test_only_needs_have_experts_ranked(offer, experts):
    assert experts_for_need(listing=offer) == []


def test_curators_see_experts_for_a_need_and_members_do_not(client, curator_client, need, experts):
    url = f"/admin/matches/needs/{need.pk}/experts/"

    content = curator_client.get(url).content.decode()
    client.force_login(UserFactory())
    member = client.get(url)

    assert content.index("Sấy Sẵn Sàng") < content.index("Sấy Ít Thời Gian")
    assert "Phần Mềm Nhân Sự" not in content and "Sấy Đang Bận" not in content
    assert member.status_code in (302, 403)
    assert "Sấy Sẵn Sàng" not in member.content.decode()


def test_an_unpublished_need_has_no_experts_page(curator_client, need):
    Listing.objects.filter(pk=need.pk).update(status=Listing.Status.DRAFT)

    # (LocaleMiddleware first tries the path under /vi/, which is not found either.)
    response = curator_client.get(f"/admin/matches/needs/{need.pk}/experts/", follow=True)

    assert response.status_code == 404


def test_startup_mentors_use_availability(sector):
    startup = VerifiedOrganisationFactory(kind=Organisation.Kind.STARTUP)
    startup.sectors.set([sector])
    StartupProfile.objects.create(
        organisation=startup,
        stage=StartupProfile.Stage.MVP,
        pitch="Cảm biến IoT đo độ ẩm đất cho vườn sầu riêng.",
    )
    mentor = {
        "headline": "Chuyên gia IoT nông nghiệp",
        "expertise": "Cảm biến độ ẩm đất, tưới thông minh cho vườn sầu riêng.",
        "is_mentor": True,
        "is_public": True,
        "mentoring_hours_per_month": 6,
        "sectors": [sector],
    }
    available = make_expert("Cố Vấn Rảnh", **mentor)
    limited = make_expert("Cố Vấn Bận Vừa", availability=Expert.Availability.LIMITED, **mentor)
    make_expert("Cố Vấn Đang Bận", availability=Expert.Availability.UNAVAILABLE, **mentor)

    mentors = recommendations_for(organisation=startup).mentors

    assert [entry.item for entry in mentors] == [available, limited]
    assert mentors[0].score > mentors[1].score


def test_a_startup_never_reads_words_from_a_mentors_record(sector):
    startup = VerifiedOrganisationFactory(kind=Organisation.Kind.STARTUP)
    StartupProfile.objects.create(
        organisation=startup, stage=StartupProfile.Stage.IDEA, pitch="Chế phẩm vi khuẩn lactic."
    )
    make_expert(
        "Cố Vấn Kín",
        headline="Cố vấn khởi nghiệp",
        expertise="Gọi vốn.",
        is_mentor=True,
        is_public=True,
        mentoring_hours_per_month=4,
        publications=[{"title": "Chủng vi khuẩn lactic mới"}],
    )

    assert recommendations_for(organisation=startup).mentors == []
