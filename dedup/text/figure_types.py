"""The ``Figure`` model shared by the figure extractor's modules (re-exported by ``dedup.text.figures``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, frozen=True)
class Figure:
    """A figure found in a text.

    ``value`` is normalised ("two" -> 2.0, "1,200" -> 1200.0, "a dozen" -> 12.0, "1.5 million" ->
    1500000.0, "three quarters" -> 0.75, "-5" -> -5.0; dates as ISO strings "2023-10-31" ("--10-31" when
    the year is unknown), times as "23:00"); ``kind`` is one of count, ordinal, percent, money, quantity
    (a number with a unit of measure: "200 metres"), fraction (below one: "half of"), range (two
    numbers joined: value the midpoint, ``low``/``high`` the ends), date, time, year; ``unit`` the
    currency code, "%" or unit symbol ("USD", "%", "km"); ``counts`` the lemma of what is counted
    ("drone"; a quantity counts its unit); ``where`` the place it is bound to ("Belgorod") or None;
    ``text`` the surface form and ``start``/``end`` its character span in the text it was extracted
    from; ``sentence`` the index of the sentence holding it (in ``split_sentences(text)``); ``when`` the
    date its sentence refers to, or None.
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
    when: str | None = None
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"value": self.value, "kind": self.kind, "text": self.text, "span": [self.start, self.end],
               "unit": self.unit, "counts": self.counts, "where": self.where, "sentence": self.sentence,
               "when": self.when}
        if self.kind == "range":
            out["low"], out["high"] = self.low, self.high
        return out

    def label(self) -> str:
        """How a reader says it: "38 drones" -> "38 drone", "1.5 million" -> "1,500,000", "4.2%", "$5,000,000"."""
        if not isinstance(self.value, float):
            return str(self.value)
        num = _num(self.value) if self.kind != "range" else f"{_num(self.low or 0.0)}-{_num(self.high or 0.0)}"
        if self.kind == "percent":
            return f"{num}%"
        if self.kind == "money":
            return f"{num} {self.unit}" if self.unit else num
        if self.kind == "quantity" or (self.kind == "range" and self.unit):
            return f"{num} {self.unit}"
        return num


def _num(v: float) -> str:
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.6g}" if abs(v) >= 1 else f"{v:.6g}"
