"""Tuning the fusion weights: examples from feedback and introductions, fit, compare, adopt."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from market.models import Listing
from matching.features import FEATURES
from matching.models import FusionWeights, Match, MatchFeedback
from matching.services import weights_in_use
from matching.tuning import (
    Example,
    evaluate,
    fit_logistic,
    is_held_out,
    training_examples,
    tune,
)
from tests.factories import IntroductionFactory, PublishedListingFactory, UserFactory

pytestmark = pytest.mark.django_db

# Weights in use that trust a feature which says nothing about relevance in these tests.
FRESHNESS_ONLY = {"bias": 0.0, "freshness": 4.0}
LEXICAL_ONLY = {"bias": -3.0, "lexical": 6.0}


def _features(**values: float) -> dict[str, float]:
    return {name: values.get(name, 0.5) for name in FEATURES}


def _pairs(needs: int, supplies: int) -> list[tuple[Listing, Listing]]:
    need_rows = [PublishedListingFactory(kind=Listing.Kind.NEED) for _ in range(needs)]
    supply_rows = [PublishedListingFactory() for _ in range(supplies)]
    return [(need, supply) for need in need_rows for supply in supply_rows]


def _held_out(need: Listing, supply: Listing) -> bool:
    return is_held_out(need_id=need.pk, supply_id=supply.pk, holdout=0.3)


def _weights_in_use(weights: dict[str, float]) -> FusionWeights:
    return FusionWeights.objects.create(weights=weights, method="hand-set")


def _lexical_feedback() -> list[tuple[Listing, Listing]]:
    """60 verdicts that follow the lexical feature alone; every other feature is noise."""
    user = UserFactory()
    noise = random.Random(7)
    pairs = _pairs(6, 10)
    for index, (need, supply) in enumerate(pairs):
        relevant = index % 2 == 0
        features = {name: noise.random() for name in FEATURES}
        features["lexical"] = noise.uniform(0.7, 1.0) if relevant else noise.uniform(0.0, 0.3)
        MatchFeedback.objects.create(
            need=need, supply=supply, user=user, relevant=relevant, features=features
        )
    return pairs


def test_feedback_that_follows_one_feature_is_learned_and_adopted():
    _weights_in_use(FRESHNESS_ONLY)
    _lexical_feedback()

    result = tune()

    assert result.adopted
    assert result.examples == 60
    assert result.after == 1.0
    assert result.after > result.before
    assert max(FEATURES, key=result.weights.get) == "lexical"
    assert FusionWeights.objects.count() == 2
    adopted = FusionWeights.objects.latest()
    assert adopted.weights == result.weights == weights_in_use()
    assert (adopted.quality_before, adopted.quality_after) == (result.before, result.after)
    assert adopted.examples == 60
    assert adopted.method == f"logistic regression, L2=1, {60 - result.held_out} examples"


def test_worse_weights_are_refused():
    """The weights in use rank the held-out part perfectly; the training part says the
    opposite, so the fit ranks it backwards and must not replace them."""
    current = _weights_in_use(LEXICAL_ONLY)
    user = UserFactory()
    counts = {True: 0, False: 0}
    for need, supply in _pairs(5, 8):
        held_out = _held_out(need, supply)
        relevant = counts[held_out] % 2 == 0
        counts[held_out] += 1
        high = relevant if held_out else not relevant
        MatchFeedback.objects.create(
            need=need,
            supply=supply,
            user=user,
            relevant=relevant,
            features=_features(lexical=0.9 if high else 0.1),
        )
    output = StringIO()

    call_command("tune_matching", stdout=output)

    assert output.getvalue().splitlines() == [
        f"Examples: 40 ({counts[True]} held out)",
        "Ranking accuracy on held-out feedback: before 1.000, after 0.000",
        "The new weights rank held-out feedback no better (0.000 against 1.000); nothing "
        "adopted, the weights in use stay.",
    ]
    assert list(FusionWeights.objects.all()) == [current]
    assert weights_in_use() == LEXICAL_ONLY


def test_too_few_examples_are_refused():
    user = UserFactory()
    for index, (need, supply) in enumerate(_pairs(1, 5)):
        MatchFeedback.objects.create(
            need=need, supply=supply, user=user, relevant=index % 2 == 0, features=_features()
        )

    result = tune()

    assert not result.adopted
    assert result.examples == 5
    assert result.before is None
    assert result.message == "Too few examples to tune: 5, at least 20 needed; nothing adopted."
    assert not FusionWeights.objects.exists()


def test_held_out_part_without_both_classes_is_refused():
    user = UserFactory()
    for need, supply in _pairs(4, 6):
        MatchFeedback.objects.create(
            need=need, supply=supply, user=user, relevant=True, features=_features()
        )

    result = tune()

    assert not result.adopted
    assert result.message.startswith("The held-out part (")
    assert "lacks relevant or irrelevant examples" in result.message
    assert not FusionWeights.objects.exists()


@pytest.mark.parametrize("requested", ["supply", "need"])
def test_an_introduction_on_a_matched_pair_is_a_positive_example(requested):
    need = PublishedListingFactory(kind=Listing.Kind.NEED)
    supply = PublishedListingFactory()
    features = _features(lexical=0.8, semantic=0.6)
    Match.objects.create(source=need, target=supply, score=0.8, features=features)
    Match.objects.create(source=supply, target=need, score=0.8, features=features)
    if requested == "supply":
        IntroductionFactory(listing=supply, requester=need.organisation)
    else:
        IntroductionFactory(listing=need, requester=supply.organisation)
    # Taken up but never proposed by the engine: no features to learn from.
    IntroductionFactory(listing=PublishedListingFactory(), requester=need.organisation)

    assert training_examples() == [
        Example(features=features, label=1, need_id=need.pk, supply_id=supply.pk)
    ]


def test_feedback_outranks_an_introduction_on_the_same_pair():
    need = PublishedListingFactory(kind=Listing.Kind.NEED)
    supply = PublishedListingFactory()
    Match.objects.create(source=supply, target=need, score=0.8, features=_features(lexical=0.8))
    IntroductionFactory(listing=supply, requester=need.organisation)
    MatchFeedback.objects.create(
        need=need, supply=supply, user=UserFactory(), relevant=False, features=_features()
    )

    assert training_examples() == [
        Example(features=_features(), label=0, need_id=need.pk, supply_id=supply.pk)
    ]


def test_ranking_accuracy_counts_ties_as_half():
    examples = [
        Example(_features(lexical=value), label, need_id=index, supply_id=index)
        for index, (value, label) in enumerate([(0.9, 1), (0.5, 1), (0.5, 0), (0.1, 0)])
    ]

    assert evaluate(examples, {"bias": 0.0, "lexical": 1.0}) == 3.5 / 4
    assert evaluate(examples, {"bias": 0.0, "lexical": -1.0}) == 0.5 / 4


def test_the_fit_is_reproducible():
    _lexical_feedback()
    examples = training_examples()

    assert fit_logistic(examples) == fit_logistic(examples)


def test_the_command_prints_the_figures_and_the_next_step():
    _weights_in_use(FRESHNESS_ONLY)
    pairs = _lexical_feedback()
    output = StringIO()

    call_command("tune_matching", "--holdout", "0.3", "--min-examples", "20", stdout=output)

    adopted = FusionWeights.objects.latest()
    held_out = sum(_held_out(need, supply) for need, supply in pairs)
    assert output.getvalue().splitlines() == [
        f"Examples: 60 ({held_out} held out)",
        "Ranking accuracy on held-out feedback: "
        f"before {adopted.quality_before:.3f}, after {adopted.quality_after:.3f}",
        "New weights adopted: held-out ranking accuracy "
        f"{adopted.quality_before:.3f} → {adopted.quality_after:.3f}.",
        "Run `python manage.py rebuild_matches` to re-rank the stored matches.",
    ]


@pytest.mark.parametrize(
    "arguments", [["--holdout", "0"], ["--holdout", "1.5"], ["--min-examples", "0"]]
)
def test_the_command_rejects_impossible_arguments(arguments):
    with pytest.raises(CommandError):
        call_command("tune_matching", *arguments, stdout=StringIO())

    assert not FusionWeights.objects.exists()
