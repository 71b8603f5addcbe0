"""Suggested challenges: published needs of different enterprises that say the same thing,
grouped so that a curator can pool them into one challenge (startups.services.challenges).

Two needs are linked when the engine's own topical signals — the idf-weighted lexical cosine
of their profiles, or the cosine of their semantic vectors — reach a threshold; a suggestion
is a connected group of linked needs from at least two organisations. Needs already pooled
are left out. Everything is ordered by ids, so the same floor gives the same suggestions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from market.models import Listing
from matching import text
from matching.features import Side, cosine
from matching.listings import ListingMatcher, load_space
from startups.models import ChallengeNeed

LEXICAL_THRESHOLD = 0.3
SEMANTIC_THRESHOLD = 0.6
# Pairs are compared only when they share one of each need's most telling words, as the
# engine's candidate generation does; this keeps the work near-linear on a large floor.
TELLING_TERMS = 12
MAX_NEEDS = 5000


@dataclass(frozen=True)
class Suggestion:
    """Needs to pool, in id order, and how alike the closest pairs holding them are."""

    needs: tuple[Listing, ...]
    similarity: float

    @property
    def organisation_count(self) -> int:
        return len({need.organisation_id for need in self.needs})


def closeness(left: Side, right: Side) -> tuple[float, float]:
    """The lexical and the semantic cosine of two needs (0 without vectors)."""
    lexical = cosine(left.terms, left.terms_norm, right.terms, right.terms_norm)
    semantic = 0.0
    if left.vector is not None and right.vector is not None:
        semantic = max(0.0, float(np.dot(left.vector, right.vector)))
    return lexical, semantic


def is_linked(lexical: float, semantic: float) -> bool:
    return lexical >= LEXICAL_THRESHOLD or semantic >= SEMANTIC_THRESHOLD


def _candidate_pairs(sides: dict[int, Side], idf) -> set[tuple[int, int]]:
    holders: dict[str, list[int]] = defaultdict(list)
    for pk, side in sides.items():
        telling = sorted(
            (term for term in side.terms if term not in text.QUERY_STOPWORDS),
            key=lambda term: (-side.terms[term] * idf(term), term),
        )[:TELLING_TERMS]
        for term in telling:
            holders[term].append(pk)
    pairs = {pair for pks in holders.values() for pair in combinations(sorted(pks), 2)}
    with_vectors = sorted(pk for pk, side in sides.items() if side.vector is not None)
    if len(with_vectors) > 1:
        matrix = np.stack([sides[pk].vector for pk in with_vectors])
        close = np.argwhere(np.triu(matrix @ matrix.T, k=1) >= SEMANTIC_THRESHOLD)
        pairs.update((with_vectors[i], with_vectors[j]) for i, j in close)
    return pairs


def _root(parents: dict[int, int], pk: int) -> int:
    while parents[pk] != pk:
        parents[pk] = parents[parents[pk]]
        pk = parents[pk]
    return pk


def suggest_challenges() -> list[Suggestion]:
    """Groups of similar unpooled published needs from at least two organisations, the
    largest and closest first."""
    pooled = ChallengeNeed.objects.values("need_id")
    need_ids = list(
        Listing.objects.filter(kind=Listing.Kind.NEED, status=Listing.Status.PUBLISHED)
        .exclude(pk__in=pooled)
        .order_by("pk")
        .values_list("pk", flat=True)[:MAX_NEEDS]
    )
    space_row, space = load_space()
    matcher = ListingMatcher(space_row=space_row, space=space)
    sides = matcher.describe(need_ids)
    parents = {pk: pk for pk in sides}
    strength: dict[int, float] = defaultdict(float)
    for left, right in sorted(_candidate_pairs(sides, matcher.vocabulary.idf)):
        lexical, semantic = closeness(sides[left], sides[right])
        if not is_linked(lexical, semantic):
            continue
        score = max(lexical, semantic)
        strength[left] = max(strength[left], score)
        strength[right] = max(strength[right], score)
        root_left, root_right = _root(parents, left), _root(parents, right)
        if root_left != root_right:
            parents[max(root_left, root_right)] = min(root_left, root_right)
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(sides):
        groups[_root(parents, pk)].append(pk)
    groups = {
        root: members
        for root, members in groups.items()
        if len({sides[pk].listing.organisation_id for pk in members}) > 1
    }
    # The engine reads only the fields it scores; the screen needs titles and owners.
    listings = Listing.objects.select_related("organisation").in_bulk(
        [pk for members in groups.values() for pk in members]
    )
    suggestions = [
        Suggestion(
            needs=tuple(listings[pk] for pk in members),
            similarity=round(min(strength[pk] for pk in members), 4),
        )
        for members in groups.values()
    ]
    return sorted(suggestions, key=lambda s: (-len(s.needs), -s.similarity, s.needs[0].pk))
