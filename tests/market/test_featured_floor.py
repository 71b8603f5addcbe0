"""Featured listings on the floor: the search contract (featured matches first in relevance
order, whichever database path answers) and the page a visitor sees, with its badge."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from market import services
from market.search import SearchFilters, search_listings
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db
FLOOR = "/vi/san-giao-dich/"


@pytest.fixture
def floor():
    """Three dryers: the best title match is not featured; a weaker match is."""
    now = timezone.now()
    return {
        "best": PublishedListingFactory(
            title="Máy sấy lạnh sấy sầu riêng",
            keywords=["sấy lạnh"],
            published_at=now,
            price_min=100_000_000,
            price_max=200_000_000,
        ),
        "featured": PublishedListingFactory(
            title="Dây chuyền chế biến trái cây",
            summary="Rửa, cắt và đóng gói trái cây.",
            description="<p>Công suất hai tấn mỗi giờ.</p>",
            keywords=["sấy"],
            featured=True,
            featured_until=now + datetime.timedelta(days=7),
            published_at=now - datetime.timedelta(days=30),
            price_min=900_000_000,
            price_max=900_000_000,
        ),
        "other": PublishedListingFactory(
            title="Buồng sấy nông sản",
            summary="Buồng sấy nóng cho lúa và ngô.",
            description="<p>Đốt trấu.</p>",
            keywords=["sấy"],
            published_at=now - datetime.timedelta(days=1),
            price_min=300_000_000,
            price_max=400_000_000,
        ),
    }


def _titles(**kwargs) -> list[str]:
    return [listing.title for listing in search_listings(**kwargs).page.object_list]


def test_featured_matches_come_first_by_relevance(floor):
    featured = floor["featured"]
    # The order of the others, as if the featured listing were not there.
    ranked = _titles(query="sấy", filters=SearchFilters(exclude_id=featured.pk))

    assert sorted(ranked) == ["Buồng sấy nông sản", "Máy sấy lạnh sấy sầu riêng"]
    assert _titles(query="sấy") == [featured.title, *ranked]
    assert _titles(query="sấy", filters=SearchFilters(kind="offer")) == [featured.title, *ranked]


def test_featured_first_on_the_whole_floor_and_with_filters(floor):
    expected_first = "Dây chuyền chế biến trái cây"

    assert _titles()[0] == expected_first
    assert _titles(filters=SearchFilters(kind="offer"))[0] == expected_first
    assert _titles(sort="newest")[:2] == [expected_first, "Máy sấy lạnh sấy sầu riêng"]


def test_a_featured_listing_that_does_not_match_is_not_shown(floor):
    assert "Dây chuyền chế biến trái cây" not in _titles(query="sấy lạnh")


def test_price_order_ignores_featuring(floor):
    assert _titles(sort="price") == [
        "Máy sấy lạnh sấy sầu riêng",
        "Buồng sấy nông sản",
        "Dây chuyền chế biến trái cây",
    ]


def test_the_floor_shows_featured_first_with_a_badge(client, floor):
    content = client.get(FLOOR).content.decode()

    positions = {name: content.index(listing.title) for name, listing in floor.items()}
    assert positions["featured"] < positions["best"]
    assert positions["featured"] < positions["other"]
    badges = re.findall(r'<span class="badge text-bg-warning">([^<]+)</span>', content)
    assert badges == ["Nổi bật"]


def test_a_searched_floor_shows_the_featured_match_first(client, floor):
    content = client.get(FLOOR, {"q": "say"}).content.decode()

    assert content.index(floor["featured"].title) < content.index(floor["best"].title)
    assert content.count("text-bg-warning") == 1


def test_after_the_beat_task_the_badge_is_gone(client, floor):
    services.listing_feature_end_due(now=timezone.now() + datetime.timedelta(days=8))

    content = client.get(FLOOR).content.decode()
    assert "text-bg-warning" not in content
    assert content.index(floor["best"].title) < content.index(floor["featured"].title)
