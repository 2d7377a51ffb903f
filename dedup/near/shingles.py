"""Shingles: the sets that MinHash summarises and that verification compares exactly.

A document is ``fold(text)`` (NFKC, quotes/dashes unified, whitespace collapsed, casefolded; see
:mod:`dedup.text.normalize`), then

* ``kind="word"``: its word tokens (``\\w+`` runs, keeping ``5,000``, ``3.5`` and ``don't`` whole)
  joined by one space in sliding windows of ``n`` tokens;
* ``kind="char"``: its sliding windows of ``n`` characters.

Each shingle is hashed (UTF-8 bytes) with xxh3-64 (seed 0) and the set is returned as a sorted unique ``uint64``
array. A non-empty text shorter than ``n`` gives one shingle (the whole folded text), so only an
empty (or whitespace-only) text gives an empty set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import xxhash

from dedup.text.normalize import fold

__all__ = ["KINDS", "shingle_batch", "shingle_hashes", "tokens"]

KINDS = ("word", "char")
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
_xxh3 = xxhash.xxh3_64_intdigest


def _h(gram: str) -> int:
    return _xxh3(gram.encode("utf-8"))
_EMPTY = np.empty(0, dtype=np.uint64)


def tokens(text: str) -> list[str]:
    """The word tokens of ``fold(text)`` used by ``kind="word"``."""
    return _WORD.findall(fold(text))


def shingle_hashes(text: str, *, kind: str = "word", n: int = 5) -> np.ndarray:
    """Sorted unique 64-bit xxh3 hashes of the word or character ``n``-grams of ``fold(text)``.

    Parameters:
        text: the article body (any Unicode; normalised here).
        kind: ``"word"`` (n-grams of word tokens) or ``"char"`` (n-grams of characters).
        n: the window length (>= 1). Texts with fewer than ``n`` tokens/characters give one shingle.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    folded = fold(text)
    if not folded:
        return _EMPTY
    if kind == "word":
        toks = _WORD.findall(folded)
        if len(toks) < n:
            grams: Iterable[str] = [" ".join(toks) if toks else folded]
        elif n == 1:
            grams = toks
        else:
            grams = map(" ".join, zip(*(toks[k:] for k in range(n))))
    elif kind == "char":
        if len(folded) <= n:
            grams = [folded]
        else:
            grams = (folded[i:i + n] for i in range(len(folded) - n + 1))
    else:
        raise ValueError(f"unknown shingle kind {kind!r} (choose from {', '.join(KINDS)})")
    return np.unique(np.fromiter(map(_h, grams), dtype=np.uint64))


def shingle_batch(texts: Iterable[str], *, kind: str = "word", n: int = 5) -> list[np.ndarray]:
    """``[shingle_hashes(t, kind=kind, n=n) for t in texts]``."""
    return [shingle_hashes(t, kind=kind, n=n) for t in texts]
