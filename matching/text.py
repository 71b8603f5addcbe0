"""How the matching engine reads a text: folded syllables, syllable pairs and glossary concepts.

Vietnamese words are mostly two syllables ("cà phê", "sấy lạnh"), so a text becomes its folded
syllables (NFC, lower case, no diacritics, đ → d: ``techfloor.text.fold``) plus each pair of
neighbouring syllables. The bilingual glossary (``matching/data/glossary.tsv``) maps terms in
either language to one concept, so "sấy" and "drying" meet across languages.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from techfloor.text import fold

GLOSSARY_PATH = Path(__file__).resolve().parent / "data" / "glossary.tsv"
WORD = re.compile(r"\w+")
# Function words, compared before folding and only where that is safe: folded, "trong" (in)
# would also drop "trồng" (to plant), and a text typed without diacritics must lose exactly the
# words its accented twin loses. So Vietnamese function words are listed with their diacritics
# only, and English ones only where no Vietnamese syllable folds to them ("to", "an", "in",
# "can" do). What stays is quietened by its low weight across the floor.
_STOPWORDS = """
    và của các là với để được những một có không từ tại này đó như nhiều hơn đã đang sẽ bằng
    về trên dưới trước cùng còn rất hoặc nếu thì mà vào lên nên vì bởi chúng tôi chỉ mỗi cần
    muốn đến nhằm giúp
    and of for with that this from by is are our into which using used will not based need
    needs want seeking looking its at or we
"""
STOPWORDS = frozenset(_STOPWORDS.split())
# Folded, they are safe to leave out of a query for candidates: the search index keeps every
# word, so "va" (và) or "nhung" (những) would match most of the floor.
QUERY_STOPWORDS = frozenset(fold(word) for word in STOPWORDS)
# A pair of syllables counts more than a syllable: "sấy lạnh" is one word, "sấy" alone is not.
PAIR_WEIGHT = 1.5
# A floor writes with a few thousand syllables: each is folded once per process, not once per use.
fold_word = lru_cache(maxsize=200_000)(fold)


def _runs(text: str) -> list[list[str]]:
    """Folded syllables in runs that function words interrupt."""
    runs: list[list[str]] = [[]]
    for word in WORD.findall(unicodedata.normalize("NFC", text).casefold()):
        if word in STOPWORDS:
            runs.append([])
        else:
            runs[-1].append(fold_word(word))
    return [run for run in runs if run]


def words(text: str) -> list[str]:
    """Folded syllables of a text, function words dropped: "Sấy lạnh và đóng gói" →
    ["say", "lanh", "dong", "goi"]."""
    return [word for run in _runs(text) for word in run]


def terms(text: str) -> Counter:
    """Syllables and pairs of neighbouring syllables, weighted: the lexical signal's unit."""
    counted: Counter = Counter()
    for run in _runs(text):
        counted.update(run)
        for first, second in zip(run, run[1:], strict=False):
            counted[f"{first}_{second}"] += PAIR_WEIGHT
    return counted


@dataclass(frozen=True)
class Concept:
    number: int
    vi: tuple[str, ...]
    en: tuple[str, ...]

    def label(self, language: str) -> str:
        names = self.vi if language == "vi" else self.en
        return names[0] if names else (self.en or self.vi)[0]


@dataclass
class Glossary:
    """Terms of both languages, folded to syllable tuples, each pointing at its concept."""

    concepts: list[Concept] = field(default_factory=list)
    # First syllable → the lengths of the terms starting with it, longest first, each with its
    # terms (syllable tuples) → concept: a text is read with a few dict lookups per syllable.
    by_first_word: dict[str, list[tuple[int, dict[tuple[str, ...], int]]]] = field(
        default_factory=dict
    )

    def add(self, vi: list[str], en: list[str]) -> None:
        concept = Concept(len(self.concepts), tuple(vi), tuple(en))
        self.concepts.append(concept)
        for term in [*vi, *en]:
            key = tuple(WORD.findall(fold(term)))
            if not key:
                continue
            lengths = self.by_first_word.setdefault(key[0], [])
            for length, terms in lengths:
                if length == len(key):
                    terms.setdefault(key, concept.number)  # the first concept keeps a term
                    break
            else:
                lengths.append((len(key), {key: concept.number}))
                lengths.sort(key=lambda entry: -entry[0])

    def concepts_in(self, syllables: list[str]) -> Counter:
        """Concept numbers found in a text, longest term first, each stretch counted once."""
        found: Counter = Counter()
        position = 0
        while position < len(syllables):
            for length, terms in self.by_first_word.get(syllables[position], ()):
                number = terms.get(tuple(syllables[position : position + length]))
                if number is not None:
                    found[number] += 1
                    position += length
                    break
            else:
                position += 1
        return found

    def expansion(self, numbers) -> set[str]:
        """Every syllable of every term of these concepts: what to look for in both languages."""
        syllables = set()
        for number in numbers:
            concept = self.concepts[number]
            for term in [*concept.vi, *concept.en]:
                syllables.update(words(term))
        return syllables


def _read_glossary(path: Path) -> Glossary:
    glossary = Glossary()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)  # header: vi, en
        for row in rows:
            if not row or row[0].startswith("#") or len(row) != 2:
                continue
            vi, en = ([term.strip() for term in cell.split("|") if term.strip()] for cell in row)
            glossary.add(vi, en)
    return glossary


@cache
def glossary() -> Glossary:
    """The shipped glossary, read once per process."""
    return _read_glossary(GLOSSARY_PATH)


def concepts(text: str) -> Counter:
    # The glossary is matched on syllables with function words kept: "bảo vệ thực vật".
    syllables = WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return glossary().concepts_in([fold_word(syllable) for syllable in syllables])
