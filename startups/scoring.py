"""Weighted rubric scores, with N/A left out instead of counted as 0, and optional per-reviewer
normalisation. Plain functions over numbers so that exports, pages and councils agree."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Mark:
    """One criterion's score by one reviewer: ``value`` None is N/A."""

    value: int | None
    weight: Decimal
    scale: int


def weighted_score(marks: Iterable[Mark]) -> Decimal | None:
    """Σ weight × value/scale over Σ weight, both over the criteria not marked N/A, as 0–100;
    None when every criterion is N/A."""
    total = Decimal(0)
    weights = Decimal(0)
    for mark in marks:
        if mark.value is None:
            continue
        total += Decimal(mark.weight) * Decimal(mark.value) / Decimal(mark.scale)
        weights += Decimal(mark.weight)
    if not weights:
        return None
    return (total / weights * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def normalise(reviews: Mapping[tuple[int, int], Decimal]) -> dict[tuple[int, int], Decimal]:
    """Map each (reviewer, application) score onto the call's common scale: subtract the
    reviewer's own mean, divide by their spread, then use the mean and spread of all scores.
    Reviewers with a single review keep it as it is (one score says nothing about leniency);
    reviewers who gave everyone the same score are only shifted."""
    if len(reviews) < 2:
        return dict(reviews)
    values = [float(score) for score in reviews.values()]
    overall_mean, overall_spread = statistics.fmean(values), statistics.pstdev(values)
    by_reviewer: dict[int, list[float]] = {}
    for (reviewer, _application), score in reviews.items():
        by_reviewer.setdefault(reviewer, []).append(float(score))
    normalised = {}
    for key, score in reviews.items():
        own = by_reviewer[key[0]]
        if len(own) < 2:
            normalised[key] = score
            continue
        mean, spread = statistics.fmean(own), statistics.pstdev(own)
        if spread == 0:
            value = float(score) - mean + overall_mean
        else:
            value = (float(score) - mean) / spread * overall_spread + overall_mean
        normalised[key] = Decimal(str(min(100.0, max(0.0, value)))).quantize(
            HUNDREDTH, rounding=ROUND_HALF_UP
        )
    return normalised


def mean_score(scores: Iterable[Decimal]) -> Decimal | None:
    scores = list(scores)
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
