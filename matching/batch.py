"""Ranking every listing at once, for ``rebuild_matches``.

The three topical features of a pair (lexical, concepts, semantic) are cosines of weighted
vectors, so for all pairs at once they are matrix products: sparse for words and concepts,
dense for the semantic vectors. Those products, with the same-sector rule, give each listing a
shortlist; the exact features, reasons and fused score of a shortlisted pair then come from the
same ``score_pair`` and ``fuse`` as the incremental refresh. Needs are shortlisted against
supply, then supply against needs; a pair is scored once and offered to both lists.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np
from django.utils import timezone
from scipy.sparse import csr_matrix

from market.models import Listing
from matching.engine import Ranked, fuse
from matching.features import Side, score_pair
from matching.listings import TOPICAL

SHORTLIST = 30  # scored exactly per listing; each keeps its best 20
CHUNK = 128


def _sparse(sides: list[Side], values: Callable[[Side], dict], norm: Callable[[Side], float]):
    index: dict[str, int] = {}
    data, rows, columns = [], [], []
    for row, side in enumerate(sides):
        scale = norm(side) or 1.0
        for key, value in values(side).items():
            rows.append(row)
            columns.append(index.setdefault(key, len(index)))
            data.append(value / scale)
    shape = (len(sides), max(len(index), 1))
    return csr_matrix((data, (rows, columns)), shape=shape, dtype=np.float32)


def _dense_vectors(sides: list[Side]) -> np.ndarray | None:
    dimensions = next((len(side.vector) for side in sides if side.vector is not None), 0)
    if not dimensions:
        return None
    matrix = np.zeros((len(sides), dimensions), dtype=np.float32)
    for row, side in enumerate(sides):
        if side.vector is not None:
            matrix[row] = side.vector
    return matrix


class _Floor:
    """All listings as matrices, rows in the order of ``sides``."""

    def __init__(self, sides: list[Side]) -> None:
        self.sides = sides
        self.terms = _sparse(sides, lambda side: side.terms, lambda side: side.terms_norm)
        self.concepts = _sparse(sides, lambda side: side.concepts, lambda side: side.concepts_norm)
        # The matrices hold the words now, and scoring reads only their cosines: let the dicts
        # go (tens of millions of entries on a floor of 100,000: gigabytes of peak memory).
        for side in sides:
            side.terms, side.concepts, side.surface = {}, {}, {}
        self.vectors = _dense_vectors(sides)
        self.sectors = _sparse(
            sides, lambda side: dict.fromkeys(side.sectors, 1.0), lambda side: 1.0
        )
        self.organisations = np.array([side.listing.organisation_id for side in sides])

    def shortlists(self, rows: np.ndarray, columns: np.ndarray, weights: dict[str, float]):
        """For each row, the columns worth scoring exactly: a preliminary score from the
        topical features, and only pairs that pass the topical rule."""
        terms, concepts_of = self.terms[columns].T.tocsr(), self.concepts[columns].T.tocsr()
        sectors, organisations = self.sectors[columns].T.tocsr(), self.organisations[columns]
        vectors = self.vectors[columns].T if self.vectors is not None else None
        column_ids = columns.tolist()  # Python ints: they key dicts and sets
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK].tolist()
            lexical = (self.terms[chunk] @ terms).toarray()
            concepts = (self.concepts[chunk] @ concepts_of).toarray()
            same_sector = (self.sectors[chunk] @ sectors).toarray() > 0
            preliminary = (
                weights.get("lexical", 0) * lexical + weights.get("concepts", 0) * concepts
            )
            topical = (
                (lexical >= TOPICAL["lexical"]) | (concepts >= TOPICAL["concepts"]) | same_sector
            )
            meaning = None
            if self.vectors is not None:
                meaning = np.clip(self.vectors[chunk] @ vectors, 0, None)
                preliminary += weights.get("semantic", 0) * meaning
                topical |= meaning >= TOPICAL["semantic"]
            preliminary += weights.get("sector", 0) * same_sector
            preliminary[~topical] = -np.inf
            preliminary[self.organisations[chunk][:, None] == organisations[None, :]] = -np.inf
            keep = min(SHORTLIST, len(columns))
            best = np.argpartition(-preliminary, keep - 1, axis=1)[:, :keep]
            # Gathered for the whole chunk at once: per pair, numpy's scalar access costs more
            # than the exact scoring that follows.
            finite = np.isfinite(np.take_along_axis(preliminary, best, axis=1)).tolist()
            lexical = np.take_along_axis(lexical, best, axis=1).tolist()
            concepts = np.take_along_axis(concepts, best, axis=1).tolist()
            meaning = (
                np.take_along_axis(meaning, best, axis=1).tolist()
                if meaning is not None
                else [[0.0] * keep] * len(chunk)
            )
            for offset, (row, shortlist) in enumerate(zip(chunk, best.tolist(), strict=True)):
                yield (
                    row,
                    [
                        (column_ids[column], *topical)
                        for column, *topical, is_topical in zip(
                            shortlist,
                            lexical[offset],
                            concepts[offset],
                            meaning[offset],
                            finite[offset],
                            strict=True,
                        )
                        if is_topical
                    ],
                )


def rank_all(
    sides: list[Side],
    *,
    weights: dict[str, float],
    keep: Callable,
    limit: int,
    progress: Callable[[int], None] = lambda done: None,
) -> dict[int, list[Ranked]]:
    """Every listing's best ``limit`` counterparts, keyed by listing id. The sides' words
    are read into matrices and then dropped from them (see ``_Floor``)."""
    floor = _Floor(sides)
    is_need = np.array([side.listing.kind == Listing.Kind.NEED for side in sides])
    needs, supply = np.flatnonzero(is_need), np.flatnonzero(~is_need)
    best: dict[int, list[tuple[float, str, Ranked]]] = {index: [] for index in range(len(sides))}
    # Pairs scored from the needs' side, so that supply does not score them again. Within a
    # pass a pair comes up once, so only the needs' pass (the smaller) is remembered.
    scored: set[tuple[int, int]] = set()

    def offer(index: int, entry: Ranked) -> None:
        heap = best[index]
        item = (entry.score, -entry.item, entry)  # equal scores: the smaller id stays
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    done, now = 0, timezone.now()
    for rows, columns, rows_are_needs in ((needs, supply, True), (supply, needs, False)):
        for row, shortlist in floor.shortlists(rows, columns, weights):
            for column, *topical in shortlist:
                if rows_are_needs:
                    need, other = row, column
                    scored.add((need, other))
                else:
                    need, other = column, row
                    if (need, other) in scored:
                        continue
                pair = score_pair(sides[need], sides[other], topical=tuple(topical), now=now)
                if not keep(pair):
                    continue
                score = fuse(pair.features, weights)
                offer(need, Ranked(sides[other].listing.pk, score, pair))
                offer(other, Ranked(sides[need].listing.pk, score, pair))
            done += 1
            if done % CHUNK == 0:
                progress(done)
    progress(done)
    return {
        sides[index].listing.pk: [
            entry for _score, _key, entry in sorted(heap, key=lambda item: (-item[0], -item[1]))
        ]
        for index, heap in best.items()
    }
