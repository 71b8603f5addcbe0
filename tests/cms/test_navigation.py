"""The menu and footer come from the site's navigation settings, in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Site

from cms.context_processors import site_navigation
from cms.management.commands.demo_data import Command as DemoCommand
from cms.models import DirectoryPage, NavigationSettings, SiteSearchPage
from cms.models.navigation import LinkBlock
from tests.cms.sitekit import add_page, english_floor, english_home, vietnamese_home

pytestmark = pytest.mark.django_db


def page_link(page, **label) -> dict:
    return {
        "type": "link",
        "value": {"page": page.pk, "destination": "", "url": "", "label": label},
    }


def destination_link(name: str, **label) -> dict:
    return {"type": "link", "value": {"page": None, "destination": name, "url": "", "label": label}}


def url_link(url: str, **label) -> dict:
    return {"type": "link", "value": {"page": None, "destination": "", "url": url, "label": label}}


def configure(**fields) -> NavigationSettings:
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def menu_links(content: str) -> list[tuple[str, str]]:
    """(href, text) of each main menu link, in order."""
    menu = content.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    return [
        (href, text.strip())
        for href, text in re.findall(r'<a class="nav-link" href="([^"]*)"[^>]*>([^<]*)</a>', menu)
    ]


def footer(content: str) -> str:
    return content.split("<footer", 1)[1].split("</footer>", 1)[0]


def test_an_unconfigured_menu_keeps_the_links_it_always_had(client):
    content = client.get("/vi/").content.decode()

    assert [href for href, _text in menu_links(content)] == [
        "/vi/san-giao-dich/",
        "/vi/organisations/",
        "/vi/incubators/",
        "/vi/experts/",
    ]


def test_configured_items_show_in_order_with_page_titles_in_each_language(client):
    floor_en = english_floor()
    floor_vi = floor_en.get_translation(vietnamese_home().locale)
    configure(
        main_menu=[
            destination_link("experts", vi="Chuyên gia", en="Our experts"),
            page_link(floor_vi),
            url_link("https://dost.example.vn/", vi="Sở KH&CN", en="Department of S&T"),
        ]
    )

    vietnamese = menu_links(client.get("/vi/").content.decode())
    english = menu_links(client.get("/en/").content.decode())

    assert vietnamese == [
        ("/vi/experts/", "Chuyên gia"),
        ("/vi/san-giao-dich/", floor_vi.title),
        ("https://dost.example.vn/", "Sở KH&amp;CN"),
    ]
    assert english == [
        ("/en/experts/", "Our experts"),
        ("/en/trading-floor/", "Technology trading floor"),
        ("https://dost.example.vn/", "Department of S&amp;T"),
    ]


def test_a_label_override_missing_in_english_falls_back_to_vietnamese(client):
    english_home()
    configure(main_menu=[destination_link("incubators", vi="Vườn ươm", en="")])

    assert menu_links(client.get("/en/").content.decode()) == [("/en/incubators/", "Vườn ươm")]


def test_a_page_without_translation_shows_in_its_own_language(client):
    english_home()
    directory = add_page(
        vietnamese_home(),
        DirectoryPage(title="Danh bạ tổ chức", slug="to-chuc", directory="organisations"),
    )
    configure(main_menu=[page_link(directory)])

    assert menu_links(client.get("/en/").content.decode()) == [("/vi/to-chuc/", "Danh bạ tổ chức")]


def test_an_unpublished_page_leaves_the_menu_and_a_new_title_shows_at_once(client):
    directory = add_page(
        vietnamese_home(), DirectoryPage(title="Chuyên gia", slug="chuyen-gia", directory="experts")
    )
    configure(main_menu=[page_link(directory), destination_link("experts")])
    assert menu_links(client.get("/vi/").content.decode())[0] == ("/vi/chuyen-gia/", "Chuyên gia")

    directory.title = "Mạng lưới chuyên gia"
    directory.save_revision().publish()
    assert menu_links(client.get("/vi/").content.decode())[0] == (
        "/vi/chuyen-gia/",
        "Mạng lưới chuyên gia",
    )

    directory.unpublish()
    assert [href for href, _text in menu_links(client.get("/vi/").content.decode())] == [
        "/vi/experts/"
    ]


def test_saving_the_settings_changes_the_cached_menu(client):
    configure(main_menu=[destination_link("experts")])
    assert len(menu_links(client.get("/vi/").content.decode())) == 1

    configure(main_menu=[destination_link("experts"), destination_link("incubators")])

    assert len(menu_links(client.get("/vi/").content.decode())) == 2


def test_the_footer_shows_columns_contact_and_text_in_each_language(client):
    english_floor()
    floor_vi = vietnamese_home().get_children().get(slug="san-giao-dich")
    configure(
        footer_columns=[
            {
                "type": "column",
                "value": {
                    "heading": {"vi": "Sàn giao dịch", "en": "Marketplace"},
                    "links": [
                        page_link(floor_vi)["value"],
                        destination_link("organisations", vi="Tổ chức", en="Organisations")[
                            "value"
                        ],
                    ],
                },
            }
        ],
        footer_text=[
            {"type": "text", "value": {"vi": "Trung tâm ĐMST tỉnh", "en": "The Innovation Center"}}
        ],
        contact_address="Số 2 Trần Hưng Đạo\nĐà Lạt",
        phone="0263 3822 123",
        email="ttdmst@example.gov.vn",
    )

    vietnamese = footer(client.get("/vi/").content.decode())
    english = footer(client.get("/en/").content.decode())

    assert "Sàn giao dịch</h2>" in vietnamese
    assert '<a href="/vi/san-giao-dich/">' in vietnamese
    assert '<a href="/vi/organisations/">Tổ chức</a>' in vietnamese
    assert "Trung tâm ĐMST tỉnh" in vietnamese
    assert "Số 2 Trần Hưng Đạo<br>Đà Lạt" in vietnamese
    assert 'href="tel:02633822123"' in vietnamese
    assert 'href="mailto:ttdmst@example.gov.vn"' in vietnamese
    assert "Marketplace</h2>" in english
    assert '<a href="/en/trading-floor/">Technology trading floor</a>' in english
    assert "The Innovation Center" in english


def test_the_menu_costs_the_same_queries_for_two_pages_or_six(client):
    home = vietnamese_home()
    pages = [
        add_page(
            home, DirectoryPage(title=f"Danh bạ {n}", slug=f"danh-ba-{n}", directory="experts")
        )
        for n in range(6)
    ]

    def queries_with(links: list[dict]) -> int:
        configure(
            main_menu=links,
            footer_columns=[
                {
                    "type": "column",
                    "value": {
                        "heading": {"vi": "A", "en": ""},
                        "links": [link["value"] for link in links],
                    },
                }
            ],
        )
        client.get("/vi/incubators/")  # warm everything but the navigation
        cache.clear()
        client.get("/vi/incubators/")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/vi/incubators/")
        return len(queries)

    two = queries_with([page_link(page) for page in pages[:2]])
    six = queries_with([page_link(page) for page in pages])

    assert two == six


def test_a_cached_menu_costs_no_query(rf, django_assert_num_queries):
    pages = [
        add_page(
            vietnamese_home(), DirectoryPage(title=f"D {n}", slug=f"d-{n}", directory="experts")
        )
        for n in range(3)
    ]
    configure(main_menu=[page_link(page) for page in pages])
    built = site_navigation(rf.get("/vi/"), "vi")

    with django_assert_num_queries(0):
        cached = site_navigation(rf.get("/vi/"), "vi")

    assert [item.label for item in cached.menu] == ["D 0", "D 1", "D 2"]
    assert cached == built


def test_the_404_page_has_the_menu_the_footer_and_a_search_box(client):
    search = add_page(vietnamese_home(), SiteSearchPage(title="Tìm kiếm", slug="tim-kiem"))
    configure(main_menu=[destination_link("experts", vi="Chuyên gia", en="Experts")])

    response = client.get("/vi/khong-co-trang-nay/")
    content = response.content.decode()

    assert response.status_code == 404
    assert menu_links(content) == [("/vi/experts/", "Chuyên gia")]
    assert "<footer" in content
    assert content.count(f'action="{search.url}"') == 2  # the header's box and the page's
    assert 'name="q"' in content


def test_without_a_search_page_no_search_box_is_shown(client):
    content = client.get("/vi/khong-co-trang-nay/").content.decode()

    assert 'name="q"' not in content


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"page": None, "destination": "", "url": "", "label": {}}, "page"),
        ({"page": None, "destination": "experts", "url": "https://a.vn/", "label": {}}, "page"),
        ({"page": None, "destination": "", "url": "https://a.vn/", "label": {"en": "A"}}, "label"),
    ],
    ids=["no target", "two targets", "address without a Vietnamese label"],
)
def test_a_link_needs_one_target_and_an_address_needs_a_label(value, field):
    block = LinkBlock()

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(value))

    assert list(error.value.block_errors) == [field]


def test_a_link_to_a_directory_needs_no_label():
    block = LinkBlock()
    value = block.clean(
        block.to_python({"page": None, "destination": "experts", "url": "", "label": {}})
    )

    assert value["destination"] == "experts"


def test_staff_who_may_change_the_navigation_open_it_in_the_admin(curator, curator_client):
    curator.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_navigationsettings"),
    )
    configure(main_menu=[destination_link("experts", vi="Chuyên gia", en="Expert network")])
    site = Site.objects.get(is_default_site=True)

    response = curator_client.get(f"/admin/settings/cms/navigationsettings/{site.pk}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Expert network" in content  # the stored label, in the block's form state
    assert 'id="footer_columns"' in content  # the footer's StreamField is on the form


def test_staff_without_the_permission_cannot_open_the_navigation(curator, curator_client):
    curator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    site = Site.objects.get(is_default_site=True)

    response = curator_client.get(f"/admin/settings/cms/navigationsettings/{site.pk}/")

    assert response.status_code in (302, 403)
    assert 'id="main_menu"' not in response.content.decode()


def test_demo_navigation_links_its_pages_and_leaves_an_edited_menu_alone(client):
    demo = DemoCommand()
    demo._navigation()
    demo._navigation()

    assert DirectoryPage.objects.count() == 3
    assert SiteSearchPage.objects.count() == 1
    hrefs = [href for href, _text in menu_links(client.get("/vi/").content.decode())]
    assert hrefs == ["/vi/san-giao-dich/", "/vi/to-chuc/", "/vi/vuon-uom/", "/vi/chuyen-gia/"]

    configure(main_menu=[destination_link("experts")])
    demo._navigation()

    assert [href for href, _text in menu_links(client.get("/vi/").content.decode())] == [
        "/vi/experts/"
    ]
