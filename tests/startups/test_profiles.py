"""Startup profiles kept once per organisation; expert profiles and the public directory."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Sector
from startups.models import Expert, StartupProfile
from startups.services.profiles import startup_profile_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_profile_is_kept_once_and_its_team_replaced():
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    organisation = owner.memberships.get().organisation

    for pitch, team in (("Bản đầu", [{"name": "An", "role": "CEO"}]), ("Bản hai", [])):
        startup_profile_save(
            organisation=organisation, actor=owner, stage="mvp", pitch=pitch, team=team
        )

    profile = StartupProfile.objects.get()
    assert (profile.pitch, profile.team.count()) == ("Bản hai", 0)


def test_plain_members_cannot_change_the_profile():
    member = MembershipFactory(role=Membership.Role.MEMBER).user

    with pytest.raises(PermissionDenied):
        startup_profile_save(
            organisation=member.memberships.get().organisation,
            actor=member,
            stage="idea",
            pitch="x",
        )

    assert not StartupProfile.objects.exists()


def test_the_profile_page_parses_the_team_and_names_a_bad_line(client):
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    client.force_login(owner)
    data = {"stage": "mvp", "pitch": "IoT cho sầu riêng", "funding_raised": "0"}

    bad = client.post("/en/portal/startup-profile/", {**data, "team": "Lê An | CEO\nchỉ tên"})
    good = client.post(
        "/en/portal/startup-profile/", {**data, "team": "Lê An | CEO | 10 năm IoT\nTrần Bình | CTO"}
    )

    assert "Line 2: write the name and the role" in bad.content.decode()
    assert good.status_code == 302
    assert list(StartupProfile.objects.get().team.values_list("name", "role", "background")) == [
        ("Lê An", "CEO", "10 năm IoT"),
        ("Trần Bình", "CTO", ""),
    ]


def test_experts_choose_to_be_listed(client):
    sector = Sector.objects.exclude(parent=None).first()
    client.force_login(UserFactory(full_name="TS. Đỗ Hạnh"))
    client.post(
        "/en/portal/expert-profile/",
        {
            "headline": "Chuyên gia chế biến nông sản",
            "expertise": "Sấy, bảo quản sau thu hoạch",
            "sectors": [sector.pk],
            "is_mentor": "on",
            "mentoring_hours_per_month": "8",
            "availability": "available",
            **{
                f"{rows}-{key}": "0"
                for rows in ("degrees", "publications", "patents", "transfers")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    Expert.objects.create(user=UserFactory(full_name="Ẩn Danh"), headline="Kín", expertise="…")

    hidden = client.get("/en/experts/").content.decode()
    Expert.objects.filter(user__full_name="TS. Đỗ Hạnh").update(is_public=True)
    shown = client.get("/en/experts/?role=mentor").content.decode()

    assert "TS. Đỗ Hạnh" not in hidden and "Ẩn Danh" not in hidden
    assert "TS. Đỗ Hạnh" in shown and "Mentors 8 hours a month" in shown
    assert "Ẩn Danh" not in shown
