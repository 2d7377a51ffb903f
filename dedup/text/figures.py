"""Figures: the ONE extractor of numbers and what they count, used by incident facts and the diff.

(Work in progress: the extractor is being written; the ``Figure`` type is the contract.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, frozen=True)
class Figure:
    """A figure found in a text.

    ``value`` is normalised ("two" -> 2.0, "1,200" -> 1200.0, "a dozen" -> 12.0; dates as ISO strings
    "2023-10-31", times as "23:00"); ``kind`` is one of count, ordinal, percent, money, date, time, year;
    ``unit`` the currency or unit ("%", "USD", "km"); ``counts`` the lemma of what is counted ("drone");
    ``where`` the place it is bound to ("Belgorod") or None; ``text`` the surface form and
    ``start``/``end`` its character span in the text it was extracted from; ``sentence`` the index
    of the sentence holding it when extracted per sentence, else None.
    """

    value: float | str
    kind: str
    text: str
    start: int
    end: int
    unit: str | None = None
    counts: str | None = None
    where: str | None = None
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "kind": self.kind, "text": self.text, "span": [self.start, self.end],
                "unit": self.unit, "counts": self.counts, "where": self.where, "sentence": self.sentence}


def extract_figures(text: str, *, date: str | None = None) -> list[Figure]:
    """Every figure in ``text`` in order of position; relative dates resolved against ``date``."""
    raise NotImplementedError
