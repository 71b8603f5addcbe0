"""The site search page finds pages and listings together, and nothing a visitor may not see."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from cms.models import DirectoryPage, SiteSearchPage
from tests.cms.sitekit import add_page, english_home, vietnamese_home
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_page() -> SiteSearchPage:
    return add_page(vietnamese_home(), SiteSearchPage(title="Tìm kiếm", slug="tim-kiem"))


def directory(title: str, slug: str, *, parent=None, publish: bool = True) -> DirectoryPage:
    return add_page(
        parent or vietnamese_home(),
        DirectoryPage(title=title, slug=slug, directory="incubators"),
        publish=publish,
    )


def found(response) -> tuple[list[str], list[str]]:
    """Titles of the pages and listings a search response shows."""
    return (
        [page.title for page in response.context["page_results"]],
        [listing.title for listing in response.context["listings_page"].object_list],
    )


def test_one_query_finds_a_page_and_a_listing(client, search_page):
    directory("Vườn ươm công nghệ cao", "vuon-uom")
    PublishedListingFactory(title="Công nghệ ươm mầm giống lúa")

    response = client.get("/vi/tim-kiem/", {"q": "ươm"})

    assert response.status_code == 200
    assert found(response) == (["Vườn ươm công nghệ cao"], ["Công nghệ ươm mầm giống lúa"])
    content = response.content.decode()
    assert 'href="/vi/vuon-uom/"' in content
    assert 'href="/vi/san-giao-dich/listing-' in content


def test_drafts_and_staff_only_listings_are_never_found(client, search_page):
    PublishedListingFactory(title="Máy sấy lạnh công khai")
    PublishedListingFactory(title="Máy sấy lạnh nội bộ", visibility="staff")
    PublishedListingFactory(title="Máy sấy lạnh bản nháp", status="draft")

    response = client.get("/vi/tim-kiem/", {"q": "máy sấy lạnh"})

    assert found(response)[1] == ["Máy sấy lạnh công khai"]


def test_unpublished_private_and_other_language_pages_are_never_found(client, search_page):
    directory("Danh bạ vườn ươm công khai", "cong-khai")
    directory("Danh bạ vườn ươm nháp", "nhap", publish=False)
    private = directory("Danh bạ vườn ươm riêng", "rieng")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat"
    )
    directory("Danh bạ vườn ươm English", "english-directory", parent=english_home())

    response = client.get("/vi/tim-kiem/", {"q": "danh bạ vườn ươm"})

    assert found(response)[0] == ["Danh bạ vườn ươm công khai"]


def test_a_page_below_a_private_page_is_not_found_even_by_members(client, search_page, user):
    directory("Danh bạ vườn ươm nội bộ", "noi-bo")
    PageViewRestriction.objects.create(
        page=vietnamese_home(), restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(user)

    response = client.get("/vi/tim-kiem/", {"q": "danh bạ vườn ươm"})

    assert response.status_code == 200
    assert found(response)[0] == []


def test_english_search_finds_english_pages(client):
    home = english_home()
    add_page(home, SiteSearchPage(title="Search", slug="search"))
    directory("Incubator directory", "incubator-directory", parent=home)
    directory("Danh bạ vườn ươm", "danh-ba")

    response = client.get("/en/search/", {"q": "directory"})

    assert found(response)[0] == ["Incubator directory"]


def test_each_section_pages_on_its_own(client, search_page, monkeypatch):
    monkeypatch.setattr(SiteSearchPage, "pages_per_page", 2)
    monkeypatch.setattr(SiteSearchPage, "listings_per_page", 2)
    for n in range(3):
        directory(f"Trang sầu riêng {n}", f"sau-rieng-{n}")
        PublishedListingFactory(title=f"Chế biến sầu riêng {n}")

    first = client.get("/vi/tim-kiem/", {"q": "sầu riêng"})
    pages_two = client.get("/vi/tim-kiem/", {"q": "sầu riêng", "page": 2})
    listings_two = client.get("/vi/tim-kiem/", {"q": "sầu riêng", "lpage": 2})

    assert [len(titles) for titles in found(first)] == [2, 2]
    assert [len(titles) for titles in found(pages_two)] == [1, 2]
    assert [len(titles) for titles in found(listings_two)] == [2, 1]
    assert first.context["page_results"].paginator.count == 3
    assert first.context["listing_results"].total == 3
    content = first.content.decode()
    assert "q=s%E1%BA%A7u+ri%C3%AAng&amp;page=2" in content
    assert "q=s%E1%BA%A7u+ri%C3%AAng&amp;lpage=2#listings" in content
    every_page = {title for response in (first, pages_two) for title in found(response)[0]}
    assert len(every_page) == 3


def test_nothing_found_shows_both_empty_sections(client, search_page):
    response = client.get("/vi/tim-kiem/", {"q": "không có gì khớp cả"})

    assert response.status_code == 200
    assert found(response) == ([], [])
    assert 'id="found-pages"' in response.content.decode()
    assert 'id="found-listings"' in response.content.decode()


def test_without_a_query_nothing_is_searched(client, search_page):
    PublishedListingFactory()

    response = client.get("/vi/tim-kiem/")

    assert response.status_code == 200
    assert response.context["query"] == ""
    assert "page_results" not in response.context
    assert 'id="found-listings"' not in response.content.decode()


def test_the_query_is_echoed_escaped(client, search_page):
    response = client.get("/vi/tim-kiem/", {"q": '"><script>alert(1)</script>'})
    content = response.content.decode()

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_header_search_box_goes_to_the_search_page(client, search_page):
    content = client.get("/vi/").content.decode()

    assert 'action="/vi/tim-kiem/"' in content


def test_only_one_search_page_per_home():
    home = vietnamese_home()
    add_page(home, SiteSearchPage(title="Tìm kiếm", slug="tim-kiem"))

    assert not SiteSearchPage.can_create_at(home)
    assert SiteSearchPage.allowed_parent_page_models() == [vietnamese_home().specific_class]
    assert SiteSearchPage.allowed_subpage_models() == []
