"""Directory pages show the same directory as the existing views, to the same viewers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Organisation
from accounts.provinces import Province
from cms.models import DirectoryPage, HomePage
from tests.cms.sitekit import add_page, vietnamese_home
from tests.factories import OrganisationFactory, StaffFactory, VerifiedOrganisationFactory
from tests.startups.factories import IncubatorFactory
from tests.startups.test_experts import make_expert

pytestmark = pytest.mark.django_db


def directory_page(directory: str, slug: str) -> DirectoryPage:
    return add_page(
        vietnamese_home(),
        DirectoryPage(
            title=f"Danh bạ {slug}",
            slug=slug,
            directory=directory,
            intro="<p>Giới thiệu do biên tập viên viết.</p>",
        ),
    )


def shown(response) -> list:
    return list(response.context["page"].object_list)


def test_the_organisation_page_hides_unverified_organisations_as_the_view_does(client):
    verified = VerifiedOrganisationFactory(legal_name="Viện Công nghệ sinh học")
    OrganisationFactory(legal_name="Công ty chưa xác minh")
    directory_page("organisations", "to-chuc")

    page = client.get("/vi/to-chuc/")
    view = client.get("/vi/organisations/")

    assert page.status_code == 200
    assert shown(page) == shown(view) == [verified]
    content = page.content.decode()
    assert "Viện Công nghệ sinh học" in content
    assert "Công ty chưa xác minh" not in content
    assert "<h1>Danh bạ to-chuc</h1>" in content
    assert "Giới thiệu do biên tập viên viết." in content


def test_the_organisation_page_filters_like_the_view(client):
    VerifiedOrganisationFactory(legal_name="Viện Lâm Đồng", province=Province.LAM_DONG)
    VerifiedOrganisationFactory(
        legal_name="Trường Đồng Tháp",
        province=Province.DONG_THAP,
        kind=Organisation.Kind.UNIVERSITY,
    )
    directory_page("organisations", "to-chuc")
    params = {"province": Province.DONG_THAP}

    page = client.get("/vi/to-chuc/", params)

    assert [o.legal_name for o in shown(page)] == ["Trường Đồng Tháp"]
    assert shown(page) == shown(client.get("/vi/organisations/", params))


def test_the_incubator_page_shows_public_incubators_only(client):
    listed = IncubatorFactory(name="Vườn ươm Đà Lạt")
    IncubatorFactory(name="Vườn ươm chưa công bố", is_public=False)
    directory_page("incubators", "vuon-uom")

    page = client.get("/vi/vuon-uom/")

    assert page.status_code == 200
    assert shown(page) == shown(client.get("/vi/incubators/")) == [listed]
    assert "Vườn ươm chưa công bố" not in page.content.decode()


def test_the_expert_page_shows_each_viewer_what_the_view_shows_them(client):
    public = make_expert(full_name="TS. Công Khai")
    unlisted = make_expert(full_name="TS. Không Công Khai", is_public=False)
    directory_page("experts", "chuyen-gia")

    anonymous = client.get("/vi/chuyen-gia/")
    keeper = StaffFactory()  # keeps expert profiles, so sees unlisted ones too
    keeper.user_permissions.add(Permission.objects.get(codename="change_expert"))
    client.force_login(keeper)
    staff = client.get("/vi/chuyen-gia/")

    assert shown(anonymous) == [public]
    assert "TS. Không Công Khai" not in anonymous.content.decode()
    assert set(shown(staff)) == {public, unlisted}
    assert shown(staff) == shown(client.get("/vi/experts/"))


def test_the_views_are_unchanged_for_their_own_addresses(client):
    VerifiedOrganisationFactory(legal_name="Viện Cơ điện")

    content = client.get("/vi/organisations/").content.decode()

    assert "Viện Cơ điện" in content
    assert "Giới thiệu do biên tập viên viết." not in content


def test_directory_pages_live_under_the_home_page_without_children():
    assert DirectoryPage.allowed_parent_page_models() == [HomePage]
    assert DirectoryPage.allowed_subpage_models() == []
    assert DirectoryPage.can_create_at(vietnamese_home())
