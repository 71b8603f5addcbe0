"""Reasons for constructed pairs: right codes, right numbers, both languages, no raw score."""

import datetime

import pytest
from django.utils import timezone, translation

from accounts.models import Sector
from accounts.provinces import Province
from market.models import Listing
from matching.listings import ListingMatcher
from matching.reasons import as_text, render_all
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


def _pair(need_fields: dict, supply_fields: dict):
    need = PublishedListingFactory(
        kind=Listing.Kind.NEED,
        title="Cần công nghệ sấy lạnh sầu riêng",
        summary="Giữ màu và hương cho sầu riêng xuất khẩu",
        keywords=["sấy lạnh"],
        deadline=timezone.localdate() + datetime.timedelta(days=90),
        **need_fields,
    )
    supply = PublishedListingFactory(
        title="Công nghệ sấy lạnh sầu riêng giữ màu",
        summary="Sấy lạnh ở 45°C",
        **supply_fields,
    )
    matcher = ListingMatcher(space_row=None, space=None)
    sides = matcher.describe([need.pk, supply.pk])
    return matcher.score(sides[need.pk], sides[supply.pk])


def _codes(scored) -> dict[str, dict]:
    return {reason["code"]: reason for reason in scored.reasons}


def test_a_good_fit_says_why():
    scored = _pair(
        {
            "trl": 6,
            "price_min": None,
            "price_max": 600_000_000,
            "transfer_modes": ["license"],
            "province": Province.DAK_LAK,
        },
        {
            "trl": 7,
            "price_min": 400_000_000,
            "price_max": 500_000_000,
            "transfer_modes": ["license", "consulting"],
            "province": Province.DAK_LAK,
        },
    )
    codes = _codes(scored)
    assert codes["trl_ok"] == {"code": "trl_ok", "trl": 7, "minimum": 6}
    assert "price_ok" in codes
    assert codes["transfer"]["modes"] == ["license"]
    assert codes["same_province"]["province"] == Province.DAK_LAK
    assert "sấy lạnh" in codes["terms"]["terms"]
    assert scored.features["trl"] == scored.features["price"] == 1.0

    with translation.override("vi"):
        vietnamese = as_text(scored.reasons, language="vi", sectors={})
    assert "TRL 7 ≥ yêu cầu 6" in vietnamese
    assert "Giá trong ngân sách" in vietnamese
    english = as_text(scored.reasons, language="en", sectors={})
    assert "TRL 7 ≥ required 6" in english
    assert "Price within budget" in english
    assert not any("0." in reason for reason in english)  # never a raw score


def test_a_poor_fit_says_what_is_wrong():
    scored = _pair(
        {"trl": 7, "price_min": None, "price_max": 100_000_000, "province": Province.HA_NOI},
        {"trl": 3, "price_min": 450_000_000, "price_max": None, "province": Province.LAM_DONG},
    )
    codes = _codes(scored)
    assert codes["trl_low"] == {"code": "trl_low", "trl": 3, "minimum": 7}
    assert codes["price_over"]["times"] == 4.5
    assert "same_province" not in codes and "same_region" not in codes
    assert scored.features["trl"] == 0.0
    assert "TRL 3 below the required 7" in as_text(scored.reasons, language="en", sectors={})


def test_sectors_same_and_related():
    coffee = Sector.objects.get(code="coffee-processing")
    drying = Sector.objects.get(code="drying-preservation")
    need = PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần máy sấy")
    same = PublishedListingFactory(title="Máy sấy")
    related = PublishedListingFactory(title="Máy sấy khác")
    need.sectors.set([coffee])
    same.sectors.set([coffee])
    related.sectors.set([drying])
    matcher = ListingMatcher(space_row=None, space=None)
    sides = matcher.describe([need.pk, same.pk, related.pk])

    same_reasons = matcher.score(sides[need.pk], sides[same.pk]).reasons
    related_reasons = matcher.score(sides[need.pk], sides[related.pk]).reasons
    assert {"code": "same_sector", "sector": "coffee-processing"} in same_reasons
    assert {"code": "related_sector", "sector": "food-processing"} in related_reasons
    with translation.override("vi"):
        assert f"Cùng lĩnh vực: {coffee.name_vi}" in [str(r) for r in render_all(same_reasons)]


def test_matched_words_are_marked_and_escaped():
    rendered = render_all([{"code": "terms", "terms": ["sấy lạnh", "<script>"]}])
    assert str(rendered[0]) == (
        "Matching words: <mark>sấy lạnh</mark>, <mark>&lt;script&gt;</mark>"
    )


def test_cross_language_pairs_explain_the_shared_idea():
    need = PublishedListingFactory(
        kind=Listing.Kind.NEED,
        title="Cần máy sấy bơm nhiệt cho cà phê nhân",
        summary="Giảm độ ẩm hạt",
        keywords=[],
        description="<p>Mùa mưa.</p>",
        problem="",
    )
    offer = PublishedListingFactory(
        title="Heat pump dryer for green coffee",
        summary="Low temperature drying",
        language="en",
        keywords=[],
        description="<p>Dryer.</p>",
        problem="",
    )
    matcher = ListingMatcher(space_row=None, space=None)
    sides = matcher.describe([need.pk, offer.pk])
    scored = matcher.score(sides[need.pk], sides[offer.pk])
    assert scored.features["concepts"] > 0.3
    text = as_text(scored.reasons, language="en", sectors={})
    assert any("green coffee" in reason and "cà phê nhân" in reason for reason in text)
