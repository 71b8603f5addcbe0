"""What makes a need and a supply listing a good pair: each feature a number from 0 to 1, and
the reasons a broker would give for it (codes with parameters, rendered by ``reasons``)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Protocol

import numpy as np
from django.utils import timezone

from accounts.provinces import REGION_OF_PROVINCE
from market.models import Listing

FEATURES = (
    "lexical",
    "concepts",
    "semantic",
    "sector",
    "trl",
    "price",
    "transfer",
    "place",
    "deadline",
    "freshness",
)
# A feature at this value is neutral: the listing did not say (no TRL, no price, no sectors).
UNKNOWN = 0.5


@dataclass
class Side:
    """One listing as the features read it: the row, its terms and concepts weighted by how
    telling they are on the floor (idf) with their norms, its semantic vector and sectors."""

    listing: Listing
    terms: dict[str, float]
    terms_norm: float
    concepts: dict[str, float]  # glossary concept number (as text) → weight
    concepts_norm: float
    surface: dict[str, str]
    vector: np.ndarray | None
    sectors: dict[str, str | None] = field(default_factory=dict)  # code → parent code


def weigh(values: dict, idf) -> tuple[dict[str, float], float]:
    """Weights times idf, and the norm of the result: what every cosine below reads."""
    weighted = {key: value * idf(key) for key, value in values.items()}
    return weighted, math.sqrt(sum(value * value for value in weighted.values()))


@dataclass(eq=False)
class Scored:
    """A pair's features; its reasons are put together only when asked for, since most
    scored pairs never make a list."""

    features: dict[str, float]
    need: Side
    supply: Side

    @cached_property
    def reasons(self) -> list[dict]:
        return explain(self.need, self.supply, self.features)


def cosine(left: dict, left_norm: float, right: dict, right_norm: float) -> float:
    # The shared keys come from a set intersection (in C) instead of a lookup per key of the
    # smaller side; ``fsum`` makes the sum independent of the set's order.
    shared = math.fsum(left[key] * right[key] for key in left.keys() & right.keys())
    return min(shared / (left_norm * right_norm or 1), 1.0)


def shared_keys(left: dict, right: dict) -> list[tuple[float, str]]:
    """Keys of both, strongest contribution first."""
    return sorted(
        ((left[key] * right[key], key) for key in left.keys() & right.keys()), reverse=True
    )


def sector_fit(need: Side, supply: Side) -> tuple[float, dict | None]:
    if not need.sectors or not supply.sectors:
        return UNKNOWN, None
    same = sorted(need.sectors.keys() & supply.sectors.keys())
    if same:
        return 1.0, {"code": "same_sector", "sector": same[0]}
    top = {parent or code for code, parent in need.sectors.items()}
    related = sorted(top & {parent or code for code, parent in supply.sectors.items()})
    if related:
        return 0.6, {"code": "related_sector", "sector": related[0]}
    return 0.0, None


def _trl(need: Listing, supply: Listing) -> tuple[float, dict | None]:
    if not need.trl or not supply.trl:
        return UNKNOWN, None
    if supply.trl >= need.trl:
        return 1.0, {"code": "trl_ok", "trl": supply.trl, "minimum": need.trl}
    gap = need.trl - supply.trl
    return max(0.0, 1 - gap / 3), {"code": "trl_low", "trl": supply.trl, "minimum": need.trl}


def _price(need: Listing, supply: Listing) -> tuple[float, dict | None]:
    budget = need.price_max or need.price_min
    price = supply.price_min or supply.price_max
    if not budget or not price:
        return UNKNOWN, None
    if price <= budget:
        return 1.0, {"code": "price_ok"}
    return budget / price, {"code": "price_over", "times": round(price / budget, 1)}


def _transfer(need: Listing, supply: Listing) -> tuple[float, dict | None]:
    if not need.transfer_modes or not supply.transfer_modes:
        return UNKNOWN, None
    shared = [mode for mode in supply.transfer_modes if mode in need.transfer_modes]
    if shared:
        return 1.0, {"code": "transfer", "modes": shared}
    return 0.0, None


class Located(Protocol):
    province: str


def place_fit(need: Located, supply: Located) -> tuple[float, dict | None]:
    if not need.province or not supply.province:
        return UNKNOWN, None
    if need.province == supply.province:
        return 1.0, {"code": "same_province", "province": need.province}
    region = REGION_OF_PROVINCE.get(need.province)
    if region and region == REGION_OF_PROVINCE.get(supply.province):
        return 0.7, {"code": "same_region", "region": region}
    return 0.3, None


def _deadline(need: Listing, today: datetime.date) -> float:
    if not need.deadline:
        return 1.0
    days = (need.deadline - today).days
    return 0.0 if days < 0 else min(1.0, 0.4 + days / 60)


def _freshness(supply: Listing, now: datetime.datetime) -> float:
    if not supply.published_at:
        return UNKNOWN
    days = (now - supply.published_at).days
    return max(0.2, 1 - max(0, days - 90) / 640)


@lru_cache(maxsize=1)
def _local_date(now: datetime.datetime) -> datetime.date:
    """Today in the site's time zone; a rebuild asks it for a million pairs at one ``now``."""
    return timezone.localdate(now)


def score_pair(
    need: Side,
    supply: Side,
    *,
    topical: tuple[float, float, float] | None = None,
    now: datetime.datetime | None = None,
) -> Scored:
    """Every feature of the pair (reasons on demand: ``Scored.reasons``). ``topical`` passes
    lexical, concept and semantic cosines already computed for many pairs at once."""
    if topical is None:
        semantic = 0.0
        if need.vector is not None and supply.vector is not None:
            semantic = max(0.0, float(np.dot(need.vector, supply.vector)))
        topical = (
            cosine(need.terms, need.terms_norm, supply.terms, supply.terms_norm),
            cosine(need.concepts, need.concepts_norm, supply.concepts, supply.concepts_norm),
            semantic,
        )
    now = now or timezone.now()
    features = {
        "lexical": topical[0],
        "concepts": topical[1],
        "semantic": topical[2],
        "sector": sector_fit(need, supply)[0],
        "trl": _trl(need.listing, supply.listing)[0],
        "price": _price(need.listing, supply.listing)[0],
        "transfer": _transfer(need.listing, supply.listing)[0],
        "place": place_fit(need.listing, supply.listing)[0],
        "deadline": _deadline(need.listing, _local_date(now)),
        "freshness": _freshness(supply.listing, now),
    }
    return Scored({name: round(value, 4) for name, value in features.items()}, need, supply)


def explain(need: Side, supply: Side, features: dict[str, float]) -> list[dict]:
    """The reasons worth telling about a pair, strongest first."""
    reasons: list[dict] = []
    shared_terms = shared_keys(need.terms, supply.terms)
    if shared_terms:
        shown = shown_terms(shared_terms, {**need.surface, **supply.surface})
        reasons.append({"code": "terms", "terms": shown})
    cross = [key for _value, key in shared_keys(need.concepts, supply.concepts)[:3]]
    if cross and features["lexical"] < 0.2:
        reasons.append({"code": "concepts", "concepts": [int(key) for key in cross]})
    if features["semantic"] >= 0.5 and features["lexical"] < 0.2 and not cross:
        reasons.append({"code": "similar_content"})
    for _value, reason in (
        sector_fit(need, supply),
        _trl(need.listing, supply.listing),
        _price(need.listing, supply.listing),
        _transfer(need.listing, supply.listing),
        place_fit(need.listing, supply.listing),
    ):
        if reason:
            reasons.append(reason)
    return reasons


def shown_terms(shared: list[tuple[float, str]], surface: dict[str, str]) -> list[str]:
    """Up to five matched words as the counterpart wrote them, pairs before their syllables
    (``shared`` is strongest first, and stays so within each group)."""
    shown: list[str] = []
    covered: set[str] = set()
    pairs = [key for _value, key in shared if "_" in key]
    for key in pairs + [key for _value, key in shared if "_" not in key]:
        parts = key.split("_")
        if covered.issuperset(parts):
            continue
        covered.update(parts)
        shown.append(" ".join(surface.get(part, part) for part in parts))
        if len(shown) == 5:
            break
    return shown
