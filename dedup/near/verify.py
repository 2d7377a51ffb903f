"""Verification: the exact similarity of every candidate pair, so no pair below the threshold is reported.

Default score: the exact Jaccard similarity of the two shingle sets,
``J(A, B) = |A & B| / |A | B| = |A & B| / (|A| + |B| - |A & B|)``, computed on sorted unique
``uint64`` arrays (two empty sets score 0). A rapidfuzz-style ``scorer`` may replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["jaccard", "verify_pairs"]


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
