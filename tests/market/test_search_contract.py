"""The contract every search backend keeps: run against the database backend on the database
the suite runs on (SQLite FTS5, or PostgreSQL full-text search with trigrams), and against
Elasticsearch when ELASTICSEARCH_URL is set in the environment."""

import datetime
import os

import pytest
from django.db import connection

from accounts.models import Sector
from accounts.provinces import Province
from market.models import Listing
from market.search import SearchFilters, match_candidates, percolate, search_listings
from market.search.elastic.connection import _client
from tests.factories import PublishedListingFactory, StaffFactory
from tests.market.elastic.conftest import NEEDS_SERVER, live_listing_index

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "elasticsearch"], autouse=True)
def backend(request, settings):
    """Every test once per backend; Elasticsearch only when a server is named."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""
        yield request.param
        return
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        pytest.skip(NEEDS_SERVER)
    settings.ELASTICSEARCH_URL = url
    with live_listing_index():
        yield request.param
    _client.cache_clear()


@pytest.fixture
def floor():
    drying = Sector.objects.get(code="drying-preservation")
    herbs = Sector.objects.get(code="medicinal-herbs")
    listings = {
        "dryer": PublishedListingFactory(
            title="Công nghệ sấy lạnh sầu riêng",
            summary="Giữ màu và hương vị",
            keywords=["sấy lạnh", "sầu riêng"],
            province=Province.DAK_LAK,
            trl=7,
            description="<p>Buồng sấy nhiệt độ thấp.</p>",
            problem="Mất màu khi sấy.",
            transfer_modes=["license"],
            price_min=300_000_000,
            price_max=500_000_000,
        ),
        "herbs": PublishedListingFactory(
            kind=Listing.Kind.NEED,
            title="Cần quy trình chiết xuất dược liệu Đương quy",
            summary="Doanh nghiệp cần công nghệ chiết xuất",
            keywords=["dược liệu"],
            description="<p>Chiết xuất cao khô.</p>",
            problem="Hiệu suất chiết thấp.",
            province=Province.LAO_CAI,
            trl=5,
            transfer_modes=["assignment"],
            price_min=None,
            price_max=None,
            ip_status="none",
        ),
        "english": PublishedListingFactory(
            title="Solar dryer for coffee beans",
            summary="Low-cost solar drying",
            language="en",
            keywords=["solar", "coffee"],
            province=Province.LAM_DONG,
            description="<p>Greenhouse dryer.</p>",
            problem="Wet season losses.",
            trl=8,
            price_min=80_000_000,
            price_max=120_000_000,
        ),
        "hidden": PublishedListingFactory(
            title="Công nghệ sấy bí mật", visibility=Listing.Visibility.STAFF
        ),
        "draft": PublishedListingFactory(title="Máy sấy chưa duyệt", status="draft"),
    }
    listings["dryer"].sectors.set([drying])
    listings["herbs"].sectors.set([herbs])
    listings["english"].sectors.set([drying])
    return listings


def _titles(**kwargs) -> list[str]:
    return [listing.title for listing in search_listings(**kwargs).page.object_list]


@pytest.mark.parametrize("query", ["sấy lạnh", "say lanh", "SẤY LẠNH", "Say Lạnh"])
def test_diacritics_and_case_do_not_matter(floor, query):
    assert _titles(query=query) == ["Công nghệ sấy lạnh sầu riêng"]


@pytest.mark.parametrize("query", ["Đương quy", "duong quy", "đương QUY"])
def test_d_with_stroke_folds_both_ways(floor, query):
    assert _titles(query=query) == ["Cần quy trình chiết xuất dược liệu Đương quy"]


def test_english_listings_are_found_in_english(floor):
    assert _titles(query="solar coffee") == ["Solar dryer for coffee beans"]


def test_the_last_word_is_a_prefix(floor):
    assert _titles(query="chiết xu") == ["Cần quy trình chiết xuất dược liệu Đương quy"]


def test_all_words_must_match(floor):
    assert _titles(query="sấy dược liệu") == []


def test_drafts_and_staff_only_listings_stay_off_the_public_floor(floor):
    assert sorted(_titles(query="sấy")) == ["Công nghệ sấy lạnh sầu riêng"]
    staff = StaffFactory()
    assert sorted(_titles(query="sấy", viewer=staff)) == [
        "Công nghệ sấy bí mật",
        "Công nghệ sấy lạnh sầu riêng",
    ]


def test_title_matches_rank_above_keyword_matches(floor):
    PublishedListingFactory(
        title="Kho lạnh nông sản",
        summary="Bảo quản",
        keywords=["sầu riêng"],
        description="<p>Kho</p>",
        problem="",
    )

    assert _titles(query="sầu riêng")[0] == "Công nghệ sấy lạnh sầu riêng"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(kind="need"), ["Cần quy trình chiết xuất dược liệu Đương quy"]),
        (SearchFilters(province=Province.LAM_DONG), ["Solar dryer for coffee beans"]),
        (
            SearchFilters(sector="food-processing"),
            ["Công nghệ sấy lạnh sầu riêng", "Solar dryer for coffee beans"],
        ),
        (SearchFilters(trl=5), ["Cần quy trình chiết xuất dược liệu Đương quy"]),
        (
            SearchFilters(transfer_mode="assignment"),
            ["Cần quy trình chiết xuất dược liệu Đương quy"],
        ),
        (SearchFilters(price_band="under-100m"), ["Solar dryer for coffee beans"]),
        (SearchFilters(price_band="negotiable"), ["Cần quy trình chiết xuất dược liệu Đương quy"]),
        (SearchFilters(language="en"), ["Solar dryer for coffee beans"]),
        (SearchFilters(ip_status="none"), ["Cần quy trình chiết xuất dược liệu Đương quy"]),
    ],
)
def test_filters(floor, filters, expected):
    assert sorted(_titles(filters=filters)) == sorted(expected)


def test_facets_count_the_current_results(floor):
    results = search_listings(query="", filters=SearchFilters(kind="offer"))
    facets = {
        facet.name: {v.value: (v.count, v.selected) for v in facet.values}
        for facet in results.facets
    }

    assert results.total == 2
    assert facets["kind"] == {"offer": (2, True)}
    assert facets["sector"] == {"food-processing": (2, False)}
    assert facets["language"] == {"vi": (1, False), "en": (1, False)}
    assert facets["price_band"] == {"under-100m": (1, False), "100m-500m": (1, False)}
    assert facets["transfer_mode"]["license"] == (2, False)
    assert facets["province"] == {Province.LAM_DONG: (1, False), Province.DAK_LAK: (1, False)}


def test_pagination_and_sorting(floor):
    results = search_listings(per_page=2, page=2, sort="price")

    assert results.total == 3
    assert [listing.title for listing in results.page.object_list] == [
        "Cần quy trình chiết xuất dược liệu Đương quy"
    ]


def test_any_terms_finds_related_listings(floor):
    titles = _titles(query="sấy cà phê solar", any_terms=True)

    assert "Công nghệ sấy lạnh sầu riêng" in titles
    assert "Solar dryer for coffee beans" in titles


def test_index_stays_in_step_with_edits(floor):
    listing = floor["dryer"]
    listing.title = "Công nghệ đông khô thanh long"
    listing.keywords = ["đông khô"]
    listing.save()

    assert _titles(query="thanh long") == ["Công nghệ đông khô thanh long"]
    assert _titles(query="sầu riêng") == []
    listing.delete()
    assert _titles(query="thanh long") == []


def test_the_database_keeps_its_own_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                "'market_listing_fts_%' ORDER BY name"
            )
            assert [row[0] for row in cursor.fetchall()] == [
                "market_listing_fts_delete",
                "market_listing_fts_insert",
                "market_listing_fts_update",
            ]
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'market_listing_search' "
                "AND indexdef LIKE '%USING gin%' ORDER BY indexname"
            )
            assert [row[0] for row in cursor.fetchall()] == [
                "market_listing_search_title",
                "market_listing_search_words",
            ]
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'market_listing_search_%' "
                "ORDER BY tgname"
            )
            assert [row[0] for row in cursor.fetchall()] == [
                "market_listing_search_listing",
                "market_listing_search_sectors",
                "market_listing_search_truncate",
            ]


def test_details_of_summary_listings_cannot_be_probed_by_search():
    PublishedListingFactory(
        title="Công nghệ A",
        visibility=Listing.Visibility.SUMMARY,
        description="<p>Dùng enzyme pectinase bí mật</p>",
        problem="",
        summary="Tóm tắt",
    )

    assert _titles(query="pectinase") == []
    assert _titles(query="công nghệ a") == ["Công nghệ A"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["Solar dryer for coffee beans", "Công nghệ sấy lạnh sầu riêng"]),
        ("deadline", ["Solar dryer for coffee beans", "Công nghệ sấy lạnh sầu riêng"]),
    ],
)
def test_sorting_a_text_search(floor, sort, expected):
    floor["dryer"].deadline = datetime.date(2027, 6, 1)
    floor["dryer"].save()
    floor["english"].deadline = datetime.date(2027, 3, 1)
    floor["english"].save()

    assert _titles(query="lạnh solar", any_terms=True, sort=sort) == expected


def test_percolation_finds_the_saved_searches_that_find_the_listing(floor):
    searches = [
        (1, "sấy lạnh", SearchFilters()),
        (2, "say", SearchFilters(kind="need")),
        (3, "", SearchFilters(province=Province.DAK_LAK)),
        (4, "dược liệu", SearchFilters()),
        (5, "SAY LAN", SearchFilters(price_band="100m-500m")),
    ]

    assert percolate(listing_id=floor["dryer"].pk, searches=searches) == [1, 3, 5]
    assert percolate(listing_id=floor["hidden"].pk, searches=searches) == []
    assert percolate(listing_id=floor["draft"].pk, searches=searches) == []


def test_candidates_are_published_listings_of_the_kinds_sharing_a_word(floor):
    dryer, hidden = floor["dryer"], floor["hidden"]

    found = match_candidates(terms=["say"], kinds=["offer"], exclude_organisation_id=None)
    others = match_candidates(
        terms=["say"], kinds=["offer"], exclude_organisation_id=dryer.organisation_id
    )
    needs = match_candidates(terms=["say", "chiet"], kinds=["need"], exclude_organisation_id=None)

    assert sorted(found) == sorted([dryer.pk, hidden.pk])
    assert others == [hidden.pk]
    assert needs == [floor["herbs"].pk]
