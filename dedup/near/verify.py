"""Verification: the exact similarity of every candidate pair, so no pair below the threshold is reported.

Default score: the exact Jaccard similarity of the two shingle sets,
``J(A, B) = |A & B| / |A | B| = |A & B| / (|A| + |B| - |A & B|)``, computed on sorted unique
``uint64`` arrays (two empty sets score 0). A rapidfuzz-style ``scorer`` may replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["PREFILTER_SIGMAS", "jaccard", "low_bytes", "prefilter", "verify_pairs"]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique arrays (0.0 when either is empty)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    if a.size > b.size:
        a, b = b, a
    pos = np.searchsorted(b, a)
    pos[pos == b.size] = 0
    inter = int(np.count_nonzero(b[pos] == a))
    return inter / (a.size + b.size - inter)


def verify_pairs(pairs: np.ndarray | Sequence[tuple[int, int]], hash_sets: Sequence[np.ndarray], *,
                 threshold: float, scorer: Callable[[Any, Any], float] | None = None,
                 texts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score candidate ``pairs`` of indices and keep those scoring ``>= threshold``.

    Parameters:
        pairs: ``(m, 2)`` integer indices into ``hash_sets``.
        hash_sets: sorted unique ``uint64`` shingle hashes per document.
        threshold: the minimum score kept, in [0, 1].
        scorer: ``None`` for exact Jaccard of the shingle sets; otherwise a callable
            ``scorer(x, y) -> float``. Without ``texts`` it gets the two hash arrays and must return
            a score in [0, 1]; with ``texts`` it gets the two texts and returns rapidfuzz's 0-100
            scale (e.g. ``rapidfuzz.fuzz.token_set_ratio``), divided by 100 here.
        texts: the documents, for a text scorer.

    Returns ``(pairs, scores)``: the kept ``(k, 2)`` int64 pairs in input order and their float64 scores.
    """
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    scores = np.empty(len(arr), dtype=np.float64)
    if scorer is None:
        for k, (i, j) in enumerate(arr):
            scores[k] = jaccard(hash_sets[i], hash_sets[j])
    elif texts is not None:
        for k, (i, j) in enumerate(arr):
            scores[k] = float(scorer(texts[i], texts[j])) / 100.0
    else:
        for k, (i, j) in enumerate(arr):
            scores[k] = float(scorer(hash_sets[i], hash_sets[j]))
    keep = scores >= threshold
    return arr[keep], scores[keep]


#: A candidate is verified exactly only if its b-bit MinHash estimate is at least ``threshold`` minus
#: this many standard errors of the estimate at the threshold (a pair at or above the threshold is
#: skipped with probability about 3e-6).
PREFILTER_SIGMAS = 4.5


def low_bytes(sigs: np.ndarray) -> np.ndarray:
    """The low 8 bits of every signature slot (``(n, num_perm)`` uint8): b-bit minwise hashing, b = 8."""
    return (np.asarray(sigs) & 0xFF).astype(np.uint8)


def prefilter(low: np.ndarray, pairs: np.ndarray, *, threshold: float, block: int = 1 << 18,
              low_b: np.ndarray | None = None) -> np.ndarray:
    """Mask of the candidate ``pairs`` worth verifying exactly, from 8-bit signatures.

    Slots agree with probability ``p = J + (1 - J) / 256``, so ``J ~ (m/k - 1/256) / (1 - 1/256)`` for
    ``m`` agreeing slots of ``k``; a pair is kept when that estimate is ``>= threshold -
    PREFILTER_SIGMAS * sqrt(t(1 - t)/k)``. ``low`` holds rows ``pairs[:, 0]`` refer to; ``low_b`` (default
    ``low``) the rows of ``pairs[:, 1]``. Deterministic: the engines and the index drop the same pairs.
    """
    low_b = low if low_b is None else low_b
    k = low.shape[1]
    floor = threshold - PREFILTER_SIGMAS * float(np.sqrt(threshold * (1 - threshold) / k))
    need = int(np.ceil((floor * (1 - 1 / 256) + 1 / 256) * k - 1e-9))  # fewest agreeing slots to keep
    keep = np.ones(len(pairs), dtype=bool)
    if need <= 0:
        return keep
    for s in range(0, len(pairs), block):
        p = pairs[s:s + block]
        agree = (low[p[:, 0]] == low_b[p[:, 1]]).sum(axis=1)
        keep[s:s + block] = agree >= need
    return keep
