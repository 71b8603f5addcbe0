"""Learn the fusion weights from what owners, curators and introductions said about matches.

New weights are adopted only when they rank held-out feedback strictly better than the weights
in use, so a run on thin or noisy feedback leaves the ranking as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from market.models import Listing
from matching.engine import fuse
from matching.features import FEATURES
from matching.models import FusionWeights, Match, MatchFeedback
from matching.selectors import pair_brokered
from matching.services import weights_in_use

L2 = 1.0
CONVERGED = 1e-9  # the largest Newton step at which the fit counts as settled
NAMES = ("bias", *FEATURES)


@dataclass(frozen=True)
class Example:
    features: dict[str, float]
    label: int  # 1 relevant, 0 not
    need_id: int
    supply_id: int


@dataclass
class TuningResult:
    adopted: bool
    before: float | None  # None when the run stopped before measuring anything
    after: float | None
    examples: int
    message: str
    weights: dict[str, float] = field(default_factory=dict)
    held_out: int = 0


def _vector(features: dict) -> dict[str, float]:
    # A feature missing from an old copy reads as 0, exactly as ``fuse`` reads it.
    return {name: float(features.get(name) or 0.0) for name in FEATURES}


def training_examples() -> list[Example]:
    """Every feedback row, then one positive for each pair an introduction took up.

    An introduction (and so a deal, which always grows from one) between a need's organisation
    and a supply listing, or a supply's organisation and a need, says the pair was worth
    pursuing; it counts only where a stored match gives the pair's features. An explicit
    verdict outranks it, so a pair with feedback keeps only its feedback.
    """
    examples = [
        Example(_vector(row.features), int(row.relevant), row.need_id, row.supply_id)
        for row in MatchFeedback.objects.exclude(features={}).order_by("pk")
    ]
    judged = {(example.need_id, example.supply_id) for example in examples}
    taken_up = Match.objects.filter(
        (Q(source__kind=Listing.Kind.NEED) & pair_brokered("source", "target"))
        | (Q(target__kind=Listing.Kind.NEED) & pair_brokered("target", "source"))
    ).order_by("-computed_at", "pk")
    for match in taken_up.values("source_id", "target_id", "source__kind", "features"):
        if match["source__kind"] == Listing.Kind.NEED:
            pair = (match["source_id"], match["target_id"])
        else:
            pair = (match["target_id"], match["source_id"])
        if pair in judged:
            continue
        judged.add(pair)  # both directions are stored; the freshest speaks for the pair
        examples.append(Example(_vector(match["features"]), 1, *pair))
    return examples


def _objective(design: np.ndarray, labels: np.ndarray, coefficients, penalty) -> float:
    margins = design @ coefficients
    loss = np.logaddexp(0.0, margins) - labels * margins
    return float(loss.sum() + 0.5 * (penalty * coefficients**2).sum())


def fit_logistic(
    examples: list[Example], *, l2: float = 1.0, iterations: int = 500
) -> dict[str, float]:
    """Weights for ``fuse``: L2-regularised logistic regression over FEATURES plus "bias".

    Minimises the summed log-loss plus ``l2 / 2 · ‖w‖²`` (the bias is not penalised) by
    Newton's method, i.e. iteratively reweighted least squares, halving a step whenever it
    would raise the objective. It starts from zero and draws nothing at random, so the same
    examples always give the same weights; it stops once no weight moves by more than
    ``CONVERGED`` or after ``iterations`` steps.
    """
    if l2 < 0:
        raise ValueError("l2 must not be negative")
    if not examples:
        raise ValueError("No examples to fit.")
    design = np.array(
        [[1.0, *(example.features[name] for name in FEATURES)] for example in examples]
    )
    labels = np.array([example.label for example in examples], dtype=float)
    penalty = np.full(len(NAMES), float(l2))
    penalty[0] = 0.0
    # A whisper of ridge keeps the Hessian invertible when the bias alone is unpenalised.
    ridge = np.diag(penalty + 1e-9)
    coefficients = np.zeros(len(NAMES))
    current = _objective(design, labels, coefficients, penalty)
    for _step in range(iterations):
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(design @ coefficients, -500, 500)))
        gradient = design.T @ (probabilities - labels) + penalty * coefficients
        curvature = (design * (probabilities * (1 - probabilities))[:, None]).T @ design
        step = np.linalg.solve(curvature + ridge, gradient)
        for _halving in range(40):
            candidate = coefficients - step
            value = _objective(design, labels, candidate, penalty)
            if value <= current:
                break
            step = step / 2
        else:
            break  # no step lowers the objective: already at the floor of float precision
        coefficients, current = candidate, value
        if np.abs(step).max() < CONVERGED:
            break
    # Rounded for readable JSON; adding 0.0 turns a -0.0 into 0.0.
    return {
        name: round(float(weight), 6) + 0.0
        for name, weight in zip(NAMES, coefficients, strict=True)
    }


def evaluate(examples: list[Example], weights: dict[str, float]) -> float:
    """Pairwise ranking accuracy (the AUC) of ``fuse`` with ``weights`` on the examples.

    The share of (relevant, not relevant) pairs in which the relevant one scores higher, ties
    counting half: 1 ranks every relevant pair first, 0.5 is no better than chance. It judges
    the order, which is all a ranked list shows, not the calibration of the scores. Needs
    both classes; raises ValueError otherwise.
    """
    scores = [fuse(example.features, weights) for example in examples]
    positives = np.array([score for score, ex in zip(scores, examples, strict=True) if ex.label])
    negatives = np.sort([score for score, ex in zip(scores, examples, strict=True) if not ex.label])
    if not len(positives) or not len(negatives):
        raise ValueError("The ranking accuracy needs relevant and irrelevant examples.")
    below = np.searchsorted(negatives, positives, side="left")
    tied = np.searchsorted(negatives, positives, side="right") - below
    return float((below + tied / 2).sum() / (len(positives) * len(negatives)))


def is_held_out(*, need_id: int, supply_id: int, holdout: float) -> bool:
    """Whether the pair's examples are kept back for comparison, the same on every run.

    A hash of the pair, not a random draw, so reruns agree and one pair's several verdicts
    never sit on both sides (which would let the fit see the answers it is judged on).
    """
    digest = hashlib.sha256(f"{need_id}:{supply_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < holdout


def _has_both(examples: list[Example]) -> bool:
    return len({example.label for example in examples}) == 2


def tune(*, holdout: float = 0.3, minimum_examples: int = 20) -> TuningResult:
    """Fit weights on part of the feedback; adopt them only if they rank the rest better."""
    if not 0 < holdout < 1:
        raise ValueError("holdout must be between 0 and 1")
    examples = training_examples()
    total = len(examples)
    if total < minimum_examples:
        return TuningResult(
            adopted=False,
            before=None,
            after=None,
            examples=total,
            message=(
                f"Too few examples to tune: {total}, at least {minimum_examples} needed; "
                "nothing adopted."
            ),
        )
    held_out, training = [], []
    for example in examples:
        kept_back = is_held_out(
            need_id=example.need_id, supply_id=example.supply_id, holdout=holdout
        )
        (held_out if kept_back else training).append(example)
    for part, name in ((held_out, "held-out"), (training, "training")):
        if not _has_both(part):
            return TuningResult(
                adopted=False,
                before=None,
                after=None,
                examples=total,
                held_out=len(held_out),
                message=(
                    f"The {name} part ({len(part)} examples) lacks relevant or irrelevant "
                    "examples, so the weights cannot be fitted and compared; nothing adopted."
                ),
            )
    weights = fit_logistic(training, l2=L2)
    before = evaluate(held_out, weights_in_use())
    after = evaluate(held_out, weights)
    result = TuningResult(
        adopted=after > before,
        before=before,
        after=after,
        examples=total,
        weights=weights,
        held_out=len(held_out),
        message="",
    )
    if not result.adopted:
        result.message = (
            f"The new weights rank held-out feedback no better ({after:.3f} against "
            f"{before:.3f}); nothing adopted, the weights in use stay."
        )
        return result
    FusionWeights.objects.create(
        weights=weights,
        method=f"logistic regression, L2={L2:g}, {len(training)} examples",
        quality_before=before,
        quality_after=after,
        examples=total,
    )
    result.message = f"New weights adopted: held-out ranking accuracy {before:.3f} → {after:.3f}."
    return result
