"""Ranking every listing at once, for ``rebuild_matches``.

The three topical features of a pair (lexical, concepts, semantic) are cosines of weighted
vectors, so for all pairs at once they are matrix products: sparse for words and concepts,
dense for the semantic vectors. Those products, with the same-sector rule, give each listing a
shortlist; the exact features, reasons and fused score of a shortlisted pair then come from the
same ``score_pair`` and ``fuse`` as the incremental refresh. Needs are shortlisted against
supply, then supply against needs; a pair is scored once and offered to both lists.
"""

from __future__ import annotations

import datetime
import heapq
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils import timezone
from scipy.sparse import csr_matrix

from market.models import Listing
from matching.engine import Ranked, fuse
from matching.features import Scored, Side, score_pair
from matching.listings import TOPICAL

SHORTLIST = 30  # scored exactly per listing; each keeps its best 20
CHUNK = 128
SLICE = 1024  # supply rows per task: what a worker scores between two progress reports
# Processes that score supply at once on a large floor (the target machine has 2 cores); a
# small floor is scored in this process, sooner than workers would start.
RANK_PROCESSES = 2
PARALLEL_FROM = 20_000


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

    def offer(index: int, entry: Ranked) -> None:
        heap = best[index]
        item = (entry.score, -entry.item, entry)  # equal scores: the smaller id stays
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    def take(pairs: list[tuple[int, int, float, dict]]) -> None:
        for need, other, score, features in pairs:
            pair = Scored(features, sides[need], sides[other])
            offer(need, Ranked(sides[other].listing.pk, score, pair))
            offer(other, Ranked(sides[need].listing.pk, score, pair))

    global _work  # what forked workers read: set only while they run
    _work = _Work(floor, weights, keep, timezone.now(), scored=set())
    try:
        # Needs against supply first (a few hundred rows); the pairs it scored are not scored
        # again from the supply's side.
        for _row, pairs in _scored_rows(needs, supply, rows_are_needs=True):
            take(pairs)
        done = len(needs)
        progress(done)
        slices = [supply[start : start + SLICE] for start in range(0, len(supply), SLICE)]
        if len(supply) >= PARALLEL_FROM and RANK_PROCESSES > 1 and _can_fork():
            # Scoring is pure Python, so one process keeps one core busy: fork after the
            # matrices are built (the workers share them) and score slices of supply in each.
            with multiprocessing.get_context("fork").Pool(RANK_PROCESSES) as pool:
                results = pool.imap(_supply_slice, [(rows, needs) for rows in slices])
                for rows, pairs in zip(slices, results, strict=True):
                    take(pairs)
                    done += len(rows)
                    progress(done)
        else:
            for rows in slices:
                take(_supply_slice((rows, needs)))
                done += len(rows)
                progress(done)
    finally:
        _work = None
    return {
        sides[index].listing.pk: [
            entry for _score, _key, entry in sorted(heap, key=lambda item: (-item[0], -item[1]))
        ]
        for index, heap in best.items()
    }


@dataclass
class _Work:
    floor: _Floor
    weights: dict[str, float]
    keep: Callable
    now: datetime.datetime
    scored: set[tuple[int, int]]  # (need, other) pairs already scored from the needs' side


_work: _Work | None = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _scored_rows(rows: np.ndarray, columns: np.ndarray, *, rows_are_needs: bool):
    """Each row with its shortlisted pairs that are matches: ``(need, other, score,
    features)``, sides by index."""
    work = _work
    sides = work.floor.sides
    for row, shortlist in work.floor.shortlists(rows, columns, work.weights):
        pairs = []
        for column, *topical in shortlist:
            if rows_are_needs:
                need, other = row, column
                work.scored.add((need, other))
            else:
                need, other = column, row
                if (need, other) in work.scored:
                    continue
            pair = score_pair(sides[need], sides[other], topical=tuple(topical), now=work.now)
            if work.keep(pair):
                pairs.append((need, other, fuse(pair.features, work.weights), pair.features))
        yield row, pairs


def _supply_slice(task: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int, float, dict]]:
    """The matches of a slice of supply rows against the needs (run in a worker or here)."""
    rows, needs = task
    return [
        pair for _row, pairs in _scored_rows(rows, needs, rows_are_needs=False) for pair in pairs
    ]
