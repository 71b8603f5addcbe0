"""Expert profiles: the record's rules, ORCID iDs, and what each viewer sees over HTTP."""

from __future__ import annotations

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError

from accounts.models import Sector
from startups import demo
from startups.models import Expert
from startups.science import field_name, orcid_checksum, orcid_is_valid
from startups.services.profiles import expert_profile_save
from tests.factories import StaffFactory, UserFactory
from tests.startups.test_admin import logged_in

pytestmark = pytest.mark.django_db

SECTIONS = set(Expert.SECTIONS)


def make_expert(**fields) -> Expert:
    user = fields.pop("user", None) or UserFactory(
        full_name=fields.pop("full_name", "TS. Lê Văn Sấy"),
        email=fields.pop("email", None) or f"expert{Expert.objects.count()}@example.vn",
    )
    defaults = {
        "headline": "Chuyên gia công nghệ sấy lạnh",
        "expertise": "Sấy lạnh trái cây, bảo quản sau thu hoạch.",
        "is_public": True,
        "field_of_science": "211",
        "academic_title": Expert.AcademicTitle.ASSOCIATE_PROFESSOR,
        "degrees": [{"degree": "doctor", "institution": "Đại học Cần Thơ", "year": 2010}],
        "publications": [{"title": "Sấy lạnh xoài cát", "venue": "Tạp chí KH&CN", "year": 2020}],
        "patents": [{"title": "Buồng sấy bơm nhiệt", "number": "1-0012345", "year": 2019}],
        "transfers": [{"title": "Dây chuyền sấy mít", "partner": "HTX Tân Phú", "value": 10}],
        "languages": ["vi", "en"],
        "availability": Expert.Availability.LIMITED,
        "orcid": "0000-0002-1825-0097",
    }
    expert = Expert(user=user, **{**defaults, **fields})
    expert.full_clean()
    expert.save()
    return expert


def sections_in(html: str) -> set[str]:
    return set(re.findall(r'data-section="(\w+)"', html))


# ORCID iDs


@pytest.mark.parametrize(
    ("identifier", "valid"),
    [
        ("0000-0002-1825-0097", True),  # ORCID's own examples
        ("0000-0001-5109-3700", True),
        ("0000-0002-1694-233X", True),  # check character 10 is written X
        ("0000-0002-1825-0098", False),  # one digit off
        ("0000-0002-1694-2330", False),
        ("0000000218250097", False),  # without hyphens
        ("0000-0002-1694-233x", False),  # the service writes X in capitals before checking
        ("0000-0002-1825-009", False),
    ],
)
def test_orcid_ids_are_checked_by_iso_7064_mod_11_2(identifier, valid):
    assert orcid_is_valid(identifier) is valid


def test_the_check_character_of_orcids_examples():
    assert (orcid_checksum("000000021825009"), orcid_checksum("000000021694233")) == ("7", "X")


def test_a_typed_orcid_with_a_wrong_check_character_is_refused_naming_the_field():
    expert = Expert(user=UserFactory(), headline="h", expertise="e", orcid="0000-0002-1825-0098")

    with pytest.raises(ValidationError) as error:
        expert.full_clean()

    assert list(error.value.message_dict) == ["orcid"]


def test_a_connected_orcid_account_is_shown_verified_and_a_typed_one_unverified(client):
    typed = make_expert(full_name="Người Gõ Tay", visibility={"orcid": "public"})
    connected = make_expert(
        full_name="Người Kết Nối", orcid="", visibility={"orcid": "public"}, email="orcid@ex.vn"
    )
    SocialAccount.objects.create(user=connected.user, provider="orcid", uid="0000-0001-5109-3700")

    typed_page = client.get(f"/en/experts/{typed.pk}/").content.decode()
    connected_page = client.get(f"/en/experts/{connected.pk}/").content.decode()

    assert 'data-orcid="unverified"' in typed_page and 'data-orcid="verified"' not in typed_page
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in typed_page
    assert 'data-orcid="verified"' in connected_page
    assert 'href="https://orcid.org/0000-0001-5109-3700"' in connected_page


def test_the_connected_orcid_wins_over_a_typed_one(client):
    expert = make_expert(visibility={"orcid": "public"})
    SocialAccount.objects.create(user=expert.user, provider="orcid", uid="0000-0001-5109-3700")

    content = client.get(f"/en/experts/{expert.pk}/").content.decode()

    assert "0000-0001-5109-3700" in content and "0000-0002-1825-0097" not in content


# The record's rules


def test_rows_are_checked_and_each_error_names_its_list_and_row():
    expert = Expert(
        user=UserFactory(),
        headline="h",
        expertise="e",
        publications=[
            {"title": "Đúng", "year": 2020},
            {"title": "Sai", "year": 1800, "link": "ftp://x"},
        ],
        transfers=[{"partner": "Không tên"}],
        languages=["vi", "xx"],
        visibility={"degrees": "everyone"},
        field_of_science="999",
    )

    with pytest.raises(ValidationError) as error:
        expert.full_clean()

    messages = error.value.message_dict
    assert set(messages) == {
        "publications",
        "transfers",
        "languages",
        "visibility",
        "field_of_science",
    }
    assert messages["publications"][0].startswith("Row 2: the year is between 1950 and")
    assert messages["publications"][1] == "Row 2: the link is a web address (https://…)."
    assert messages["transfers"] == ["Row 1: fill in “title”."]


def test_sections_the_form_does_not_name_stay_with_staff():
    user = UserFactory()

    expert = expert_profile_save(
        actor=user,
        headline="Chuyên gia",
        expertise="Sấy",
        sectors=[],
        is_mentor=False,
        is_reviewer=True,
        mentoring_hours_per_month=0,
        is_public=True,
        orcid="0000-0002-1694-233x",
        visibility={"publications": "public"},
    )

    assert expert.orcid == "0000-0002-1694-233X"
    assert expert.visibility == {
        section: "public" if section == "publications" else "staff" for section in SECTIONS
    }


def test_the_field_of_science_is_named_in_the_readers_language():
    assert (field_name("401", "vi"), field_name("401", "en")) == ("Trồng trọt", "Crop science")


# What each viewer sees, over HTTP


@pytest.fixture
def opened():
    """An expert who opened sections to three different audiences and kept the rest closed."""
    return make_expert(
        visibility={
            "publications": "public",
            "languages": "public",
            "patents": "members",
            "availability": "members",
            "transfers": "staff",
            # degrees and orcid: not named, so staff only
        }
    )


def test_each_audience_sees_exactly_the_sections_opened_to_it(client, opened, programme_staff):
    url = f"/en/experts/{opened.pk}/"

    anonymous = client.get(url).content.decode()
    client.force_login(UserFactory())
    member = client.get(url).content.decode()
    client.force_login(programme_staff)
    staff = client.get(url).content.decode()

    assert sections_in(anonymous) == {"publications", "languages"}
    assert sections_in(member) == {"publications", "languages", "patents", "availability"}
    assert sections_in(staff) == SECTIONS
    assert "Buồng sấy bơm nhiệt" in member and "Buồng sấy bơm nhiệt" not in anonymous
    assert "Dây chuyền sấy mít" in staff and "Dây chuyền sấy mít" not in member


def test_the_directory_shows_each_audience_only_its_sections(client, opened):
    anonymous = client.get("/en/experts/").content.decode()
    client.force_login(UserFactory())
    member = client.get("/en/experts/").content.decode()

    assert "Languages: Vietnamese, English" in anonymous
    assert "Availability: Limited availability" not in anonymous
    assert "Availability: Limited availability" in member


def test_contact_details_are_never_shown(client, opened, programme_staff):
    opened.visibility = dict.fromkeys(SECTIONS, "public")
    opened.save()
    email = opened.user.email

    for viewer in (None, UserFactory(), programme_staff):
        if viewer:
            client.force_login(viewer)
        detail = client.get(f"/en/experts/{opened.pk}/").content.decode()
        listing = client.get("/en/experts/").content.decode()
        assert email not in detail and email not in listing


def test_an_unlisted_expert_is_not_found_except_by_staff(client, programme_staff):
    hidden = make_expert(full_name="Chuyên Gia Kín", is_public=False)
    url = f"/en/experts/{hidden.pk}/"

    anonymous = client.get(url)
    client.force_login(UserFactory())
    member = client.get(url)
    member_list = client.get("/en/experts/").content.decode()
    client.force_login(programme_staff)
    staff = client.get(url)
    staff_list = client.get("/en/experts/").content.decode()

    assert (anonymous.status_code, member.status_code, staff.status_code) == (404, 404, 200)
    assert "Chuyên Gia Kín" not in member_list
    assert "Chuyên Gia Kín" in staff_list and "Not listed: staff only" in staff_list


def test_a_filter_never_reveals_a_closed_section(client, programme_staff):
    make_expert(full_name="Nói Tiếng Nhật", languages=["ja"], visibility={})

    anonymous = client.get("/en/experts/", {"language": "ja"}).content.decode()
    client.force_login(programme_staff)
    staff = client.get("/en/experts/", {"language": "ja"}).content.decode()

    assert "Nói Tiếng Nhật" not in anonymous
    assert "Nói Tiếng Nhật" in staff


# Search and filters


def test_search_finds_the_same_experts_with_and_without_diacritics(client):
    make_expert(full_name="Nguyễn Thị Đào", headline="Công nghệ sấy lạnh nông sản")
    make_expert(full_name="Trần Văn Mô", headline="Nuôi cấy mô", expertise="Giống lan")

    found = {
        query: client.get("/en/experts/", {"q": query}).content.decode()
        for query in ("công nghệ sấy", "cong nghe say", "CÔNG NGHỆ SẤY", "nguyen thi dao")
    }

    for content in found.values():
        assert "Nguyễn Thị Đào" in content and "Trần Văn Mô" not in content


def test_search_does_not_read_closed_sections(client):
    make_expert(
        full_name="Nhà Vi Sinh",
        publications=[{"title": "Chủng vi khuẩn lactic mới"}],
        visibility={},
    )

    content = client.get("/en/experts/", {"q": "vi khuan lactic"}).content.decode()

    assert "Nhà Vi Sinh" not in content
    assert "No expert matches these filters yet." in content


def test_filters_by_field_of_science_role_and_availability(client):
    sector = Sector.objects.exclude(parent=None).first()
    crops = make_expert(
        full_name="Chuyên Gia Trồng Trọt",
        field_of_science="401",
        is_reviewer=True,
        availability=Expert.Availability.AVAILABLE,
        visibility={"availability": "public"},
    )
    crops.sectors.set([sector])
    make_expert(full_name="Chuyên Gia Thực Phẩm", field_of_science="211", is_mentor=True)

    def names(**params) -> set[str]:
        content = client.get("/en/experts/", params).content.decode()
        return {
            name for name in ("Chuyên Gia Trồng Trọt", "Chuyên Gia Thực Phẩm") if name in content
        }

    assert names(field_of_science="4") == {"Chuyên Gia Trồng Trọt"}
    assert names(field_of_science="211") == {"Chuyên Gia Thực Phẩm"}
    assert names(role="mentor") == {"Chuyên Gia Thực Phẩm"}
    assert names(role="reviewer") == {"Chuyên Gia Trồng Trọt"}
    assert names(availability="available") == {"Chuyên Gia Trồng Trọt"}
    assert names(sector=sector.parent.code) == {"Chuyên Gia Trồng Trọt"}


def test_the_directory_is_paginated(client):
    for number in range(21):
        make_expert(full_name=f"Chuyên gia {number:02d}", email=f"page{number}@example.vn")

    first = client.get("/en/experts/").content.decode()
    second = client.get("/en/experts/", {"page": 2}).content.decode()

    assert first.count("data-expert=") == 20 and second.count("data-expert=") == 1
    assert "1 / 2" in first


# The portal form


def management(**totals) -> dict:
    return {
        f"{rows}-{key}": str(totals.get(rows, 0)) if key == "TOTAL_FORMS" else "0"
        for rows in ("degrees", "publications", "patents", "transfers")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


PROFILE = {
    "headline": "Chuyên gia sấy lạnh",
    "expertise": "Sấy lạnh trái cây.",
    "field_of_science": "211",
    "availability": "available",
    "languages": ["vi", "en"],
    "mentoring_hours_per_month": "0",
    "is_public": "on",
    "show_publications": "public",
    "show_patents": "members",
}


def test_the_expert_keeps_rows_and_visibility_in_the_portal(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/en/portal/expert-profile/",
        {
            **PROFILE,
            **management(publications=2, patents=1),
            "publications-0-title": "Sấy lạnh xoài",
            "publications-0-year": "2021",
            "publications-0-link": "https://doi.org/10.1/xyz",
            "publications-1-title": "Bài đã xoá",
            "publications-1-DELETE": "on",
            "patents-0-title": "Buồng sấy",
            "patents-0-number": "1-0001",
        },
    )

    assert response.status_code == 302
    expert = Expert.objects.get(user=user)
    assert expert.publications == [
        {"title": "Sấy lạnh xoài", "year": 2021, "link": "https://doi.org/10.1/xyz"}
    ]
    assert expert.patents == [{"title": "Buồng sấy", "number": "1-0001"}]
    assert (expert.audience_of("publications"), expert.audience_of("patents")) == (
        "public",
        "members",
    )
    assert expert.audience_of("transfers") == "staff"


def test_a_bad_row_is_refused_beside_its_field_and_nothing_is_saved(client):
    client.force_login(UserFactory())

    response = client.post(
        "/en/portal/expert-profile/",
        {
            **PROFILE,
            **management(publications=2),
            "publications-0-title": "Đúng",
            "publications-1-title": "Sai năm",
            "publications-1-year": "1800",
            "orcid": "0000-0002-1825-0098",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1950." in content
    assert "An ORCID iD reads 0000-0000-0000-000X" in content
    assert not Expert.objects.exists()


def test_the_form_offers_to_connect_orcid_only_when_orcid_is_configured(client):
    client.force_login(UserFactory())

    content = client.get("/en/portal/expert-profile/").content.decode()

    assert "Connect your ORCID account" not in content
    assert 'name="orcid"' in content


def test_staff_edit_experts_in_the_admin_under_the_same_rules(client):
    expert = make_expert()
    logged_in(client, StaffFactory(is_superuser=True))
    url = f"/admin/snippets/startups/expert/edit/{expert.pk}/"
    data = {
        "user": expert.user.pk,
        "headline": "Chuyên gia sấy (sửa)",
        "expertise": expert.expertise,
        "field_of_science": "211",
        "academic_title": "",
        "degrees": "[]",
        "publications": '[{"title": "Bài báo", "year": 1800}]',
        "patents": "[]",
        "transfers": "[]",
        "languages": '["vi"]',
        "orcid": "",
        "mentoring_hours_per_month": "0",
        "availability": "available",
        "visibility": "{}",
    }

    refused = client.post(url, data)
    expert.refresh_from_db()
    unchanged = expert.headline
    saved = client.post(url, {**data, "publications": '[{"title": "Bài báo", "year": 2020}]'})
    expert.refresh_from_db()

    assert refused.status_code == 200
    assert "Dòng 1: năm phải nằm trong khoảng từ 1950 đến" in refused.content.decode()
    assert unchanged == "Chuyên gia công nghệ sấy lạnh"
    assert saved.status_code == 302
    assert (expert.headline, expert.publications) == (
        "Chuyên gia sấy (sửa)",
        [{"title": "Bài báo", "year": 2020}],
    )


# Demo data


def test_the_demo_mentors_get_a_record_once_however_often_it_runs():
    for email, full_name, *_profile in demo.DEMO_MENTORS:
        UserFactory(email=email, full_name=full_name)
    demo.create_demo_mentors()

    first = {expert.pk: expert.publications for expert in demo.enrich_demo_experts()}
    again = {expert.pk: expert.publications for expert in demo.enrich_demo_experts()}

    iot = Expert.objects.get(user__email="mentor.iot@techfloor.local")
    assert first == again and len(first) == 2
    assert (iot.field_of_science, iot.audience_of("transfers")) == ("202", "staff")
    assert Expert.objects.get(user__email="mentor.food@techfloor.local").availability == "limited"


def test_programme_staff_keep_experts_in_the_admin(client, programme_staff):
    expert = make_expert(full_name="Chuyên Gia Trong Admin")
    logged_in(client, programme_staff)

    listing = client.get("/admin/snippets/startups/expert/").content.decode()
    edit = client.get(f"/admin/snippets/startups/expert/edit/{expert.pk}/")

    assert "Chuyên Gia Trong Admin" in listing
    assert edit.status_code == 200
