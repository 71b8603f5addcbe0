"""Latent semantic vectors learned from the floor's own listings: no model to download.

Each published listing is a bag of its terms and glossary concepts, weighted by tf-idf; a
truncated SVD of that matrix (latent semantic analysis) gives each term a short vector, and a
listing the normalised sum of its terms' vectors. Words that keep the same company end up near
each other ("phơi" and "sấy" beside "cà phê nhân"; "dryer" beside "sấy" through the concepts), so
paraphrases with few shared words still score. With no space trained yet, or a floor too small
to learn from, the signal is absent and the fusion leaves it out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds

DIMENSIONS = 96
MIN_DOCUMENTS = 20  # below this the "meaning" is noise


def document(terms: dict[str, float], concepts: dict[str, int]) -> Counter:
    """One bag of tokens: terms as they are, concepts as ``c<number>`` weighted like a pair."""
    bag = Counter(terms)
    for number, count in concepts.items():
        bag[f"c{number}"] += 2.0 * count
    return bag


class _Idf(dict):
    def __init__(self, values: dict[str, float], unknown: float) -> None:
        super().__init__(values)
        self.unknown = unknown

    def __missing__(self, token: str) -> float:
        return self.unknown


@dataclass
class Space:
    vocabulary: dict[str, tuple[int, float]]  # token → (row, idf)
    components: np.ndarray  # tokens × dimensions, float32
    documents: int  # listings it was learned from

    def frequency(self, token: str) -> float:
        """About how many of those listings hold ``token`` (the inverse of its idf); an unknown
        token was in at most one."""
        known = self.vocabulary.get(token)
        if known is None:
            return 1.0
        return (1 + self.documents) / math.exp(known[1] - 1) - 1

    @cached_property
    def rarest(self) -> float:
        """The idf of the rarest known token: what an unknown one counts as."""
        return max((idf for _row, idf in self.vocabulary.values()), default=1.0)

    @cached_property
    def idf(self) -> dict[str, float]:
        """Token → idf, read as a dict: sides weigh hundreds of words each. An unknown token
        counts as the rarest."""
        return _Idf({token: idf for token, (_row, idf) in self.vocabulary.items()}, self.rarest)

    def vector(self, bag: Counter) -> np.ndarray | None:
        """The normalised latent vector of a bag of tokens, or None when none is known."""
        rows, weights = [], []
        for token, count in bag.items():
            known = self.vocabulary.get(token)
            if known:
                rows.append(known[0])
                weights.append((1 + math.log(count)) * known[1] if count > 0 else 0.0)
        if not rows:
            return None
        vector = np.asarray(weights, dtype=np.float32) @ self.components[rows]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else None


def train(bags: Iterable[Counter], *, dimensions: int = DIMENSIONS) -> Space | None:
    """Learn a space from the listings' bags of tokens; None when there are too few."""
    bags = list(bags)
    if len(bags) < MIN_DOCUMENTS:
        return None
    frequency = Counter(token for bag in bags for token in bag)
    tokens = sorted(token for token, count in frequency.items() if count >= 2)
    if len(tokens) < 2:
        return None
    index = {token: row for row, token in enumerate(tokens)}
    idf = np.array(
        [math.log((1 + len(bags)) / (1 + frequency[token])) + 1 for token in tokens],
        dtype=np.float32,
    )
    data, rows, columns = [], [], []
    for number, bag in enumerate(bags):
        for token, count in bag.items():
            column = index.get(token)
            if column is not None and count > 0:
                rows.append(number)
                columns.append(column)
                data.append((1 + math.log(count)) * idf[column])
    matrix = csr_matrix((data, (rows, columns)), shape=(len(bags), len(tokens)), dtype=np.float32)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1
    matrix = csr_matrix(matrix.multiply(1 / norms[:, None]))
    rank = min(dimensions, min(matrix.shape) - 1)
    # A fixed starting vector: the same listings give the same space on every machine.
    start = np.full(min(matrix.shape), 1 / math.sqrt(min(matrix.shape)), dtype=np.float32)
    _left, _values, right = svds(matrix, k=rank, v0=start)
    vocabulary = {token: (index[token], float(idf[index[token]])) for token in tokens}
    return Space(
        vocabulary=vocabulary,
        components=np.ascontiguousarray(right.T, np.float32),
        documents=len(bags),
    )


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=np.float32)
