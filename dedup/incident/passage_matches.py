"""The passage matches of a corpus: passages (sentence windows of an article), the verified matches
between two articles' passages, and all of a corpus's matches kept as arrays, grouped by article pair.

``passages.match_windows`` finds them; ``graph.IncidentGraph`` keeps them for ``explain`` and the TUI.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Passage", "PassageMatch", "PassageMatches", "passage_score"]


@dataclass(slots=True, frozen=True)
class Passage:
    """A window of sentences of article ``doc`` (index), with its character span and text."""

    doc: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": [self.start, self.end], "text": self.text}


@dataclass(slots=True, frozen=True)
class PassageMatch:
    """Two passages of two articles that tell the same thing: overlap (IDF-weighted Jaccard), the spread
    weight, the two passages, and (computed when asked: only ``explain`` shows it) the rapidfuzz
    token-set ratio (0-1)."""

    a: Passage
    b: Passage
    overlap: float
    spread: float

    @property
    def ratio(self) -> float:
        from rapidfuzz import fuzz

        return fuzz.token_set_ratio(self.a.text, self.b.text) / 100.0

    @property
    def score(self) -> float:
        return self.overlap * self.spread

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "overlap": round(self.overlap, 4),
                "ratio": round(self.ratio, 4), "spread": round(self.spread, 4), "score": round(self.score, 4)}


class PassageMatches(Mapping[tuple[int, int], list[PassageMatch]]):
    """The verified matches grouped by article pair ``(i, j)``, ``i < j`` (keys in sorted order), kept as
    arrays: a pair's :class:`PassageMatch` list (best first; ties by the spans, then by unit order) is
    made when asked for (``explain``), and :meth:`best` gives every pair's passages score at once. The
    passages (units) are kept as their article, start and end: a :class:`Passage` is made when shown."""

    def __init__(self, texts: Sequence[str], unit_doc: np.ndarray, unit_start: np.ndarray, unit_end: np.ndarray,
                 u: np.ndarray, v: np.ndarray, overlap: np.ndarray, spread: np.ndarray) -> None:
        self._fill(texts, unit_doc, unit_start, unit_end, [u, v, overlap, spread])

    @classmethod
    def taking(cls, texts: Sequence[str], unit_doc: np.ndarray, unit_start: np.ndarray, unit_end: np.ndarray,
               arrays: list[np.ndarray]) -> PassageMatches:
        """The matches of ``arrays = [u, v, overlap, spread]``, a list emptied as it is read: each array is
        freed once sorted (at archive scale the matches are the passage step's largest arrays)."""
        self = cls.__new__(cls)
        self._fill(texts, unit_doc, unit_start, unit_end, arrays)
        return self

    def _fill(self, texts: Sequence[str], unit_doc: np.ndarray, unit_start: np.ndarray, unit_end: np.ndarray,
              arrays: list[np.ndarray]) -> None:
        u, v, overlap, spread = arrays
        arrays.clear()
        n = len(texts)
        first = unit_doc[u] < unit_doc[v]
        a, b = np.where(first, u, v), np.where(first, v, u)
        del u, v, first
        code = unit_doc[a] * n + unit_doc[b]
        order = np.argsort(code, kind="stable")  # within a pair: the order the matches were found in
        self._texts, self._n = texts, n
        self._unit_doc, self._unit_start, self._unit_end = unit_doc, unit_start, unit_end
        self._a = a[order]
        del a
        self._b = b[order]
        del b
        self._overlap = overlap[order]
        del overlap
        self._spread = spread[order]
        del spread
        code = code[order]
        del order
        starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1]))) if code.size else code
        self._codes = code[starts]
        self._bounds = np.append(starts, code.size).astype(np.int64)

    def codes(self) -> np.ndarray:
        """``i * n + j`` of every pair with a match, sorted."""
        return self._codes

    def best(self) -> np.ndarray:
        """Each pair's best ``overlap * spread`` (:func:`passage_score`), in :meth:`codes` order."""
        if not self._codes.size:
            return np.zeros(0)
        return np.maximum.reduceat(self._overlap * self._spread, self._bounds[:-1])

    def _pos(self, key: object) -> int:
        if not (isinstance(key, tuple) and len(key) == 2):
            return -1
        code = key[0] * self._n + key[1]
        k = int(np.searchsorted(self._codes, code))
        return k if k < self._codes.size and self._codes[k] == code else -1

    def __getitem__(self, key: tuple[int, int]) -> list[PassageMatch]:
        k = self._pos(key)
        if k < 0:
            raise KeyError(key)
        unit = self._unit
        lo, hi = int(self._bounds[k]), int(self._bounds[k + 1])
        out = [PassageMatch(unit(a), unit(b), ov, sp) for a, b, ov, sp in zip(
            self._a[lo:hi].tolist(), self._b[lo:hi].tolist(), self._overlap[lo:hi].tolist(),
            self._spread[lo:hi].tolist(), strict=True)]
        out.sort(key=lambda m: (-m.score, m.a.start, m.b.start))
        return out

    def _unit(self, k: int) -> Passage:
        doc, start, end = int(self._unit_doc[k]), int(self._unit_start[k]), int(self._unit_end[k])
        return Passage(doc, start, end, self._texts[doc][start:end])

    def __contains__(self, key: object) -> bool:
        return self._pos(key) >= 0

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((c // self._n, c % self._n) for c in self._codes.tolist())

    def __len__(self) -> int:
        return int(self._codes.size)


def passage_score(matches: Sequence[PassageMatch]) -> float:
    """The passages part of a pair's score: its best spread-weighted overlap (0 if none)."""
    if not matches:  # most candidate pairs: no passage match
        return 0.0
    return max(m.score for m in matches)
