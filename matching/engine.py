"""The matching pipeline, generic over what is matched: candidates → features → fusion → ranked.

A matcher supplies the three domain steps (``candidates``, ``describe``, ``score``); the engine
fuses the features with the weights in use and keeps the best. Listings are matched by
``matching.listings``; startups, programmes and mentors can bring their own matcher.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from matching.features import Scored

Item = TypeVar("Item")
Side = TypeVar("Side")

# Hand-set starting weights (logistic fusion): text and meaning first, then the structured fit.
# ``tune_matching`` replaces them from feedback when that does better on held-out feedback.
DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -6.0,
    "lexical": 5.0,
    "concepts": 3.0,
    "semantic": 3.0,
    "sector": 1.5,
    "trl": 1.2,
    "price": 1.2,
    "transfer": 0.4,
    "place": 0.3,
    "deadline": 0.5,
    "freshness": 0.2,
}


def fuse(features: dict[str, float], weights: dict[str, float]) -> float:
    """One score from 0 to 1: the logistic of the weighted features. The weights name the
    features they read, so other matchers (startups) bring their own set."""
    total = weights.get("bias", 0.0) + sum(
        weight * features.get(name, 0.0) for name, weight in weights.items() if name != "bias"
    )
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, total))))


@dataclass
class Ranked(Generic[Item]):
    item: Item
    score: float
    scored: Scored


class Matcher(Protocol[Item, Side]):
    def candidates(self, source: Item) -> Iterable[Item]: ...

    def describe(self, items: list[Item]) -> dict[Item, Side]: ...

    def score(self, source: Side, candidate: Side) -> Scored: ...

    def keep(self, scored: Scored) -> bool:
        """Whether a scored pair is a match at all, whatever its rank."""


def rank(
    source: Item,
    *,
    matcher: Matcher,
    weights: dict[str, float],
    limit: int | None = None,
) -> list[Ranked]:
    """The candidates of ``source``, scored and fused, best first."""
    candidates = list(dict.fromkeys(matcher.candidates(source)))
    sides = matcher.describe([source, *candidates])
    if source not in sides:
        return []
    ranked = []
    for candidate in candidates:
        if candidate not in sides:
            continue
        scored = matcher.score(sides[source], sides[candidate])
        if matcher.keep(scored):
            ranked.append(Ranked(candidate, fuse(scored.features, weights), scored))
    ranked.sort(key=lambda entry: (-entry.score, entry.item))  # items are orderable ids
    return ranked[:limit] if limit else ranked
