"""Weighted rubric scores: N/A is left out of the mean, never counted as 0."""

from decimal import Decimal

from startups.scoring import Mark, mean_score, normalise, weighted_score

INNOVATION, MARKET, TEAM = (Decimal(2), 10), (Decimal(1), 10), (Decimal(1), 5)


def marks(*values):
    return [
        Mark(value=value, weight=weight, scale=scale)
        for value, (weight, scale) in zip(values, (INNOVATION, MARKET, TEAM), strict=True)
    ]


def test_n_a_is_left_out_of_the_weighted_mean():
    # (2 × 8/10 + 1 × 4/5) / (2 + 1): the N/A market criterion weighs nothing.
    assert weighted_score(marks(8, None, 4)) == Decimal("80.00")


def test_counting_n_a_as_zero_would_have_given_sixty():
    assert weighted_score(marks(8, 0, 4)) == Decimal("60.00")


def test_weights_and_scales_are_applied():
    # (2 × 0.6 + 1 × 0.9) / 3 = 0.7
    assert weighted_score(marks(6, 9, None)) == Decimal("70.00")
    assert weighted_score(marks(10, 10, 5)) == Decimal("100.00")


def test_all_n_a_gives_no_score():
    assert weighted_score(marks(None, None, None)) is None


def test_an_application_scores_the_mean_of_its_reviews():
    assert mean_score([Decimal("80.00"), Decimal("70.00")]) == Decimal("75.00")
    assert mean_score([Decimal("80.00"), Decimal("70.00"), Decimal("70.00")]) == Decimal("73.33")
    assert mean_score([]) is None


def test_normalisation_removes_a_reviewers_leniency():
    lenient, strict = 1, 2
    reviews = {
        (lenient, 10): Decimal(90),
        (lenient, 11): Decimal(70),
        (strict, 10): Decimal(60),
        (strict, 11): Decimal(40),
    }

    normalised = normalise(reviews)

    # Both reviewers rank 10 over 11 by the same margin; on the common scale they agree.
    assert normalised[(lenient, 10)] == normalised[(strict, 10)] == Decimal("83.03")
    assert normalised[(lenient, 11)] == normalised[(strict, 11)] == Decimal("46.97")


def test_a_reviewer_with_one_review_keeps_it():
    reviews = {(1, 10): Decimal(90), (1, 11): Decimal(70), (2, 10): Decimal(55)}

    assert normalise(reviews)[(2, 10)] == Decimal(55)


def test_a_reviewer_who_gave_everyone_the_same_score_is_shifted_to_the_common_mean():
    reviews = {
        (1, 10): Decimal(90),
        (1, 11): Decimal(70),
        (2, 10): Decimal(50),
        (2, 11): Decimal(50),
    }

    normalised = normalise(reviews)

    assert normalised[(2, 10)] == normalised[(2, 11)] == Decimal("65.00")
