"""Matching listings: needs against offers, equipment and services, in both directions."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cached_property

from market.models import Listing
from market.search import match_candidates
from matching import semantic, text
from matching.features import Scored, Side, score_pair, weigh
from matching.models import ListingProfile, SemanticSpace

SUPPLY_KINDS = [Listing.Kind.OFFER, Listing.Kind.EQUIPMENT, Listing.Kind.SERVICE]
# Title > summary > keywords > description, as a broker reads a listing.
FIELD_WEIGHTS = (("title", 3.0), ("summary", 2.0), ("keywords", 1.5), ("body", 1.0))
QUERY_TERMS = 14  # the source's most telling words, plus its concepts' words in both languages
QUERY_EXPANSION = 16
# About how many listings the candidate query may touch: its words are taken most telling first
# while their document frequencies fit. On a large floor the common words would otherwise match
# most of it, and the query would rank all of those to keep its 80 candidates (ADR 7).
CANDIDATE_POOL = 1200
# What the features read of a listing row (the texts are in its profile).
FEATURE_FIELDS = (
    "kind",
    "organisation",
    "trl",
    "price_min",
    "price_max",
    "transfer_modes",
    "province",
    "deadline",
    "published_at",
)
# A pair is a match only on evidence about its subject: shared words, a shared glossary
# concept, close meaning or the same (second-level) sector. Fitting TRL, budget and province
# alone propose nothing. On the labelled set this costs 0.02 of nDCG@10 (see the benchmark).
TOPICAL = {"lexical": 0.03, "concepts": 0.08, "semantic": 0.2, "sector": 1.0}


def counterpart_kinds(listing: Listing) -> list[str]:
    return SUPPLY_KINDS if listing.kind == Listing.Kind.NEED else [Listing.Kind.NEED]


def _fields(listing: Listing) -> dict[str, str]:
    return {
        "title": listing.title,
        "summary": listing.summary,
        "keywords": " ".join(listing.keywords or []),
        "body": listing.public_body(),
    }


def profile_of(listing: Listing, space: semantic.Space | None) -> dict:
    """What ``ListingProfile`` keeps for a listing: weighted terms, concepts, surface forms and
    the semantic vector in ``space``."""
    fields = _fields(listing)
    terms: Counter = Counter()
    concepts: Counter = Counter()
    for name, weight in FIELD_WEIGHTS:
        for term, count in text.terms(fields[name]).items():
            terms[term] += weight * count
        concepts.update(text.concepts(fields[name]))
    surface = {}
    for word in text.WORD.findall(
        unicodedata.normalize("NFC", f"{listing.title} {listing.summary}")
    ):
        surface.setdefault(text.fold_word(word), word.lower())
    vector = space.vector(semantic.document(terms, concepts)) if space else None
    return {
        "terms": {term: round(weight, 3) for term, weight in terms.items()},
        "concepts": {str(number): count for number, count in concepts.items()},
        "surface": surface,
        "vector": semantic.to_bytes(vector) if vector is not None else None,
    }


class Vocabulary:
    """Inverse document frequencies from the space in use; unknown words count as rare."""

    def __init__(self, space: semantic.Space | None) -> None:
        self.space = space
        self.idf: Callable[[str], float] = space.idf.__getitem__ if space else _no_idf

    def selective(self, words: list[str], *, pool: int = CANDIDATE_POOL) -> list[str]:
        """``words`` in their order, leaving out those that would take the listings holding
        any of them past ``pool``; the rarest word at least."""
        if not self.space or not words:
            return words
        kept, total = [], 0.0
        for word in words:
            frequency = self.space.frequency(word)
            if total + frequency <= pool:
                kept.append(word)
                total += frequency
        return kept or [min(words, key=self.space.frequency)]


def sector_ids_of(**link_filter) -> dict[int, list[int]]:
    """Listing id → its sector ids, for the listings that ``link_filter`` selects."""
    sector_ids: dict[int, list[int]] = defaultdict(list)
    for listing_id, sector_id in Listing.sectors.through.objects.filter(**link_filter).values_list(
        "listing_id", "sector_id"
    ):
        sector_ids[listing_id].append(sector_id)
    return sector_ids


def _no_idf(token: str) -> float:
    return 1.0


_spaces: dict[tuple, semantic.Space] = {}


def load_space() -> tuple[SemanticSpace | None, semantic.Space | None]:
    """The newest space; its matrix is read once per process (a rebuild makes a new row)."""
    row = SemanticSpace.objects.order_by("-created_at").defer("vocabulary", "components").first()
    if row is None:
        return None, None
    key = (row.pk, row.created_at)
    if key not in _spaces:
        stored = SemanticSpace.objects.get(pk=row.pk)
        components = semantic.from_bytes(stored.components).reshape(-1, stored.dimensions)
        vocabulary = {token: (index, idf) for token, (index, idf) in stored.vocabulary.items()}
        _spaces.clear()
        _spaces[key] = semantic.Space(
            vocabulary=vocabulary, components=components, documents=stored.documents
        )
    return row, _spaces[key]


class ListingMatcher:
    """Candidates through the search interface; sides from stored profiles."""

    def __init__(self, *, space_row: SemanticSpace | None, space: semantic.Space | None) -> None:
        self.space_row, self.space = space_row, space
        self.vocabulary = Vocabulary(space)
        self._sides: dict[int, Side] = {}

    @cached_property
    def sector_parents(self) -> dict[int, tuple[str, str | None]]:
        from accounts.models import Sector

        return {
            sector.pk: (sector.code, sector.parent.code if sector.parent else None)
            for sector in Sector.objects.select_related("parent")
        }

    def candidates(self, source: int) -> list[int]:
        side = self.describe([source]).get(source)
        if side is None:
            return []
        idf = self.vocabulary.idf
        telling = sorted(
            (term for term in side.terms if "_" not in term and term not in text.QUERY_STOPWORDS),
            key=lambda term: -side.terms[term] * idf(term),
        )[:QUERY_TERMS]
        ranked_concepts = sorted(side.concepts, key=lambda number: -side.concepts[number])
        expansion = sorted(
            text.glossary().expansion(int(number) for number in ranked_concepts[:8])
            - set(telling)
            - text.QUERY_STOPWORDS,
            key=lambda word: -idf(word),
        )[:QUERY_EXPANSION]
        return match_candidates(
            terms=self.vocabulary.selective([*telling, *expansion]),
            kinds=counterpart_kinds(side.listing),
            exclude_organisation_id=side.listing.organisation_id,
        )

    def know(self, listing: Listing, profile: dict) -> None:
        """Take a listing whose profile was just computed, instead of reading it back."""
        self._sides[listing.pk] = self.side(listing, profile)

    def describe(self, items: list[int]) -> dict[int, Side]:
        missing = [pk for pk in items if pk not in self._sides]
        if missing:
            listings = list(
                Listing.objects.filter(pk__in=missing, status=Listing.Status.PUBLISHED).only(
                    *FEATURE_FIELDS
                )
            )
            sector_ids = sector_ids_of(listing_id__in=missing)
            profiles = {
                listing_id: {
                    "terms": terms,
                    "concepts": concepts,
                    "surface": surface,
                    "vector": vector,
                }
                for listing_id, terms, concepts, surface, vector in ListingProfile.objects.filter(
                    listing_id__in=missing
                ).values_list("listing_id", "terms", "concepts", "surface", "vector")
            }
            # Published before the engine saw them: read their texts, in one query.
            unprofiled = [listing.pk for listing in listings if listing.pk not in profiles]
            if unprofiled:
                for listing in Listing.objects.filter(pk__in=unprofiled):
                    profiles[listing.pk] = profile_of(listing, self.space)
            for listing in listings:
                self._sides[listing.pk] = self.side(
                    listing, profiles[listing.pk], sector_ids=sector_ids[listing.pk]
                )
        return {pk: self._sides[pk] for pk in items if pk in self._sides}

    def side(self, listing: Listing, profile: dict, *, sector_ids: list[int] | None = None) -> Side:
        """A listing with its stored (or just computed) profile, weighted for the features;
        its sectors from ``sector_ids`` when given, else from the listing (prefetched)."""
        idf = self.vocabulary.idf
        terms, terms_norm = weigh(profile["terms"], idf)
        concepts, concepts_norm = weigh(profile["concepts"], lambda number: idf(f"c{number}"))
        return Side(
            listing=listing,
            terms=terms,
            terms_norm=terms_norm,
            concepts=concepts,
            concepts_norm=concepts_norm,
            surface=profile["surface"],
            vector=semantic.from_bytes(profile["vector"]),
            sectors=dict(
                self.sector_parents[pk]
                for pk in (
                    sector_ids
                    if sector_ids is not None
                    else [sector.pk for sector in listing.sectors.all()]
                )
            ),
        )

    def keep(self, scored: Scored) -> bool:
        return any(scored.features[name] >= floor for name, floor in TOPICAL.items())

    def score(self, source: Side, candidate: Side) -> Scored:
        if source.listing.kind == Listing.Kind.NEED:
            return score_pair(source, candidate)
        return score_pair(candidate, source)
