"""The same content in each language: the switcher's links, hreflang, and the English tree."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale, Page

from cms.management.commands.demo_data import ENGLISH_PAGES
from cms.models import EventIndexPage, EventPage, HomePage, TradingFloorPage
from cms.translations import (
    alternate_urls,
    is_single_language,
    keeps_own_records,
    page_tree_translate,
)
from startups.models import CallPage, ChallengePage, ProgrammePage
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    """The switcher's links and the alternate-language links of a page, by language."""

    def __init__(self) -> None:
        super().__init__()
        self.switcher: dict[str, dict[str, str | None]] = {}
        self.hreflang: dict[str, str | None] = {}
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "a" and "hreflang" in attributes:
            self.switcher[attributes["hreflang"]] = attributes
        elif tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            self.hreflang[attributes["hreflang"]] = attributes["href"]


def _links(client, url: str) -> _Links:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Links()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def english():
    """The English tree as demo_data makes it: the home page and the floor translated."""
    locale, _created = Locale.objects.get_or_create(language_code="en")
    page_tree_translate(locale=locale, fields_by_slug=ENGLISH_PAGES)
    return locale


def test_a_page_links_to_its_translation_under_its_english_slug(client, english):
    links = _links(client, "/vi/san-giao-dich/")

    assert links.switcher["en"]["href"] == "/en/trading-floor/"
    assert links.switcher["vi"]["href"] == "/vi/san-giao-dich/"
    assert links.switcher["vi"]["aria-current"] == "true"
    assert "aria-current" not in links.switcher["en"]
    assert links.switcher["en"]["lang"] == "en"
    assert _links(client, "/en/trading-floor/").switcher["vi"]["href"] == "/vi/san-giao-dich/"


def test_the_query_string_is_kept(client, english):
    links = _links(client, "/vi/san-giao-dich/?q=s%E1%BA%A5y&kind=offer")

    assert links.switcher["en"]["href"] == "/en/trading-floor/?q=s%E1%BA%A5y&kind=offer"


def test_a_listing_links_to_the_same_listing_in_the_other_language(client, english):
    listing = PublishedListingFactory()

    vietnamese = _links(client, f"/vi/san-giao-dich/{listing.slug}/")
    english_links = _links(client, f"/en/trading-floor/{listing.slug}/")

    assert vietnamese.switcher["en"]["href"] == f"/en/trading-floor/{listing.slug}/"
    assert english_links.switcher["vi"]["href"] == f"/vi/san-giao-dich/{listing.slug}/"
    assert vietnamese.hreflang == {
        "vi": f"http://testserver/vi/san-giao-dich/{listing.slug}/",
        "en": f"http://testserver/en/trading-floor/{listing.slug}/",
        "x-default": f"http://testserver/vi/san-giao-dich/{listing.slug}/",
    }


def test_a_page_without_translation_falls_back_to_its_nearest_translated_ancestor(english):
    home = HomePage.objects.get(locale=Locale.get_default())
    about = home.add_child(instance=Page(title="Giới thiệu", slug="gioi-thieu"))
    about.copy_for_translation(english).save_revision().publish()
    history = about.add_child(instance=Page(title="Lịch sử", slug="lich-su"))
    request = RequestFactory().get("/vi/gioi-thieu/lich-su/?tab=1")

    with translation.override("vi"):
        alternates = {a.language_code: a for a in alternate_urls(request=request, page=history)}

    assert alternates["en"].url == "/en/gioi-thieu/"  # the ancestor, without the query
    assert not alternates["en"].is_same_content
    assert alternates["vi"].url == "/vi/gioi-thieu/lich-su/?tab=1"
    assert alternates["vi"].is_current and alternates["vi"].is_same_content


def test_a_single_language_page_links_to_the_english_home_and_claims_no_alternate(client, english):
    home = HomePage.objects.get(locale=Locale.get_default())
    home.add_child(instance=EventIndexPage(title="Sự kiện kết nối", slug="su-kien"))

    links = _links(client, "/vi/su-kien/")

    assert links.switcher["en"]["href"] == "/en/"
    assert links.hreflang == {
        "vi": "http://testserver/vi/su-kien/",
        "x-default": "http://testserver/vi/su-kien/",
    }


def test_without_an_english_tree_the_switcher_offers_the_english_home(client):
    assert _links(client, "/vi/san-giao-dich/").switcher["en"]["href"] == "/en/"


def test_a_django_view_is_reversed_in_the_other_language(client):
    links = _links(client, "/vi/organisations/?q=vien")

    assert links.switcher["en"]["href"] == "/en/organisations/?q=vien"
    assert links.hreflang["en"] == "http://testserver/en/organisations/?q=vien"
    assert links.hreflang["x-default"] == "http://testserver/vi/organisations/?q=vien"


def test_html_lang_follows_the_language_of_the_address(client, english):
    assert _links(client, "/vi/san-giao-dich/").html_lang == "vi"
    assert _links(client, "/en/trading-floor/").html_lang == "en"


def test_the_alternates_of_a_listing_cost_one_query(english, django_assert_max_num_queries):
    listing = PublishedListingFactory()
    floor = TradingFloorPage.objects.get(locale=Locale.get_default())
    request = RequestFactory().get(f"/vi/san-giao-dich/{listing.slug}/")
    floor.get_url(request)  # Wagtail's site root paths, cached once per process

    with translation.override("vi"), django_assert_max_num_queries(1):
        alternates = alternate_urls(request=request, page=floor)
        alternate_urls(request=request, page=floor)  # the switcher and hreflang share it

    assert [a.url for a in alternates] == [
        f"/vi/san-giao-dich/{listing.slug}/",
        f"/en/trading-floor/{listing.slug}/",
    ]


def test_pages_that_keep_records_stay_in_one_language():
    assert {keeps_own_records(model) for model in (EventPage, CallPage, ProgrammePage)} == {True}
    assert keeps_own_records(ChallengePage)
    assert not keeps_own_records(TradingFloorPage)
    assert not keeps_own_records(HomePage)
    assert is_single_language(EventIndexPage)  # it lists only events
    assert not is_single_language(HomePage)


def test_demo_data_gives_every_vietnamese_page_an_english_page():
    call_command("demo_data")
    english = Locale.objects.get(language_code="en")
    translated = set(Page.objects.filter(locale=english).values_list("translation_key", flat=True))
    single_language_paths = [
        page.path
        for page in Page.objects.filter(locale=Locale.get_default(), depth__gt=1).specific()
        if is_single_language(type(page))
    ]

    missing = [
        page.url_path
        for page in Page.objects.filter(locale=Locale.get_default(), depth__gt=1)
        if page.translation_key not in translated
        and not any(page.path.startswith(path) for path in single_language_paths)
    ]

    assert missing == []
    assert single_language_paths  # the demo has events, calls and challenges
    floor = TradingFloorPage.objects.get(locale=english)
    assert (floor.slug, floor.title, floor.live) == (
        "trading-floor",
        "Technology trading floor",
        True,
    )


def test_a_page_whose_context_names_its_paginator_page_is_still_found(english):
    floor = TradingFloorPage.objects.get(locale=Locale.get_default())
    request = RequestFactory().get("/vi/san-giao-dich/?page=2")
    paginator_page = Paginator(["a", "b"], 1).get_page(2)
    template = Template("{% load translations %}{% language_alternates as a %}{{ a.1.url }}")

    with translation.override("vi"):
        rendered = template.render(
            Context({"request": request, "page": paginator_page, "self": floor})
        )

    assert rendered == "/en/trading-floor/?page=2"
