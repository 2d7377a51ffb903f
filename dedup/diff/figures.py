"""Pairing the figures of A with the figures of B: same, conflict, only in A, only in B.

Two figures are *compatible* when they have the same ``kind`` and no attribute that both carry
differs: ``counts`` (what is counted), ``where`` (place) and ``when`` (the date of their sentence).

* same: compatible and equal ``value``. Candidates are scored ``1 + 2[counts equal] + 2[where equal]
  + 1[when equal] + 3[sentences aligned]`` and taken greedily, best first (ties by position).
* conflict: different value, and really the same thing: the same counted noun AND the same place AND
  the same date context (None only equals None), and either a place or date to tie them or sentences
  that the alignment paired. Dates, times, money and percents without a noun conflict only inside
  aligned sentences.
* the rest are only_a / only_b: figures are never forced into a pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from dedup.diff.model import FigurePair
from dedup.text.figures import Figure


def _compatible(x: Figure, y: Figure) -> bool:
    if x.kind != y.kind or x.unit != y.unit:
        return False
    return all(p is None or q is None or p == q for p, q in ((x.counts, y.counts), (x.where, y.where),
                                                               (x.when, y.when)))


def _score(x: Figure, y: Figure, aligned: bool) -> int:
    return (1 + 2 * (x.counts is not None and x.counts == y.counts) + 2 * (x.where is not None and x.where == y.where)
            + (x.when is not None and x.when == y.when) + 3 * aligned)


def _date_form(value: float | str) -> str:
    """"iso", "month-day", "month" or "weekday": dates of different forms are not comparable."""
    v = str(value)
    if v.startswith("--"):
        return "month-day"
    return {10: "iso", 7: "month"}.get(len(v), "weekday") if v[:1].isdigit() else "weekday"


def _conflict(x: Figure, y: Figure, aligned: bool) -> bool:
    if x.value == y.value or not _compatible(x, y):
        return False
    if x.kind == "date" and _date_form(x.value) != _date_form(y.value):
        return False
    if x.counts is None or y.counts is None:
        return aligned and x.counts is None and y.counts is None and x.kind in ("date", "time", "money", "percent")
    if x.counts != y.counts or x.where != y.where or x.when != y.when:
        return False
    return aligned or x.where is not None or x.when is not None


def pair_figures(figs_a: list[Figure], figs_b: list[Figure], *,
                 aligned: Iterable[tuple[int, int]] = ()) -> list[FigurePair]:
    """Pair figures (see the module docstring). ``aligned`` holds (sentence of A, sentence of B) pairs
    that the sentence alignment matched. Result: pairs in A order, then B-only figures in B order."""
    hint = set(aligned)

    def is_aligned(x: Figure, y: Figure) -> bool:
        return (x.sentence, y.sentence) in hint

    used_a: dict[int, tuple[str, int]] = {}
    used_b: set[int] = set()
    for status in ("same", "conflict"):
        cands = []
        for i, x in enumerate(figs_a):
            if i in used_a:
                continue
            for j, y in enumerate(figs_b):
                if j in used_b:
                    continue
                al = is_aligned(x, y)
                ok = (x.value == y.value and _compatible(x, y)) if status == "same" else _conflict(x, y, al)
                if ok:
                    cands.append((-_score(x, y, al), abs(x.start / max(1, figs_a[-1].end) - y.start /
                                                         max(1, figs_b[-1].end)), i, j))
        for _, _, i, j in sorted(cands):
            if i not in used_a and j not in used_b:
                used_a[i] = (status, j)
                used_b.add(j)
    out: list[FigurePair] = []
    for i, x in enumerate(figs_a):
        if i in used_a:
            status, j = used_a[i]
            out.append(FigurePair(status, x, figs_b[j]))  # type: ignore[arg-type]
        else:
            out.append(FigurePair("only_a", x, None))
    out.extend(FigurePair("only_b", None, y) for j, y in enumerate(figs_b) if j not in used_b)
    return out
