"""Which words ask the search index for candidates."""

import math

import numpy as np
import pytest

from matching import semantic
from matching.listings import ListingMatcher, Vocabulary
from matching.services import refresh_listing_matches


def _space(frequencies: dict[str, int], documents: int = 99) -> semantic.Space:
    """A space whose words occur in the given numbers of listings."""
    vocabulary = {
        word: (row, math.log((1 + documents) / (1 + count)) + 1)
        for row, (word, count) in enumerate(frequencies.items())
    }
    return semantic.Space(
        vocabulary=vocabulary, components=np.zeros((len(vocabulary), 2)), documents=documents
    )


def test_frequency_inverts_the_idf():
    space = _space({"say": 9, "lanh": 60})
    assert space.frequency("say") == pytest.approx(9)
    assert space.frequency("lanh") == pytest.approx(60)
    assert space.frequency("never-seen") == 1


def test_selective_keeps_the_most_telling_words_that_fit_the_pool():
    vocabulary = Vocabulary(_space({"common": 60, "rare": 5, "middling": 30}))
    words = ["common", "rare", "middling", "new"]
    assert vocabulary.selective(words, pool=40) == ["rare", "middling", "new"]
    assert vocabulary.selective(words, pool=3) == ["new"]  # the rarest at least
    assert vocabulary.selective(["common", "middling"], pool=3) == ["middling"]


def test_without_a_space_every_word_is_asked_for():
    assert Vocabulary(None).selective(["a", "b"], pool=1) == ["a", "b"]


@pytest.mark.django_db
def test_function_words_typed_without_diacritics_are_not_asked_for(need, monkeypatch):
    """ "va" (và) is rare in profiles, which drop the accented function word, yet the search
    index holds it for nearly every Vietnamese listing."""
    need.summary = "Say lanh va dong goi sau rieng nhung van giu mau"
    need.save()
    refresh_listing_matches(listing_id=need.pk)  # saves the profile
    asked = []
    monkeypatch.setattr(
        "matching.listings.match_candidates", lambda *, terms, **kwargs: asked.extend(terms) or []
    )
    ListingMatcher(space_row=None, space=None).candidates(need.pk)
    assert {"say", "lanh", "rieng"} <= set(asked)
    assert not {"va", "nhung"} & set(asked)
