"""Fact fingerprints: the figures an article reports, bound to what they count and where, as IDF features.

Each :class:`~dedup.text.figures.Figure` (from the one extractor, ``dedup.text.figures``) becomes one or
more string keys:

* ``n:38:drone`` (a count and what it counts), ``n:34:@belgorod`` (a count and where), or ``n:34`` alone
  when nothing is bound;
* ``d:--10-31`` / ``d:2023-10-31`` for dates (relative ones resolved against the article date),
  ``y:2014`` for years, ``%:12``, ``$:USD:5000000`` for percentages and money.

A fact's weight is its corpus IDF ``log(N / df)``: a fact many articles report ("y:2014") weighs little,
one only two articles share weighs the most. The *facts* part of the incident score is the cosine of
the IDF-weighted binary fact vectors. A *conflict* is the same slot (what and where) with another value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dedup.text.figures import SENTENCE_FIGURES, Figure, extract_figures


@dataclass(slots=True, frozen=True)
class Fact:
    """One fingerprint key and the figure it came from."""

    key: str
    slot: str | None
    figure: Figure

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "slot": self.slot, "figure": self.figure.to_dict()}


def _num(value: float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fact_keys(fig: Figure) -> list[tuple[str, str | None]]:
    """``(key, slot)`` pairs of one figure; ``slot`` is the value-free part used to spot conflicts."""
    v = _num(fig.value)
    where = fig.where.lower() if fig.where else None
    if fig.kind == "date":
        return [(f"d:{v}", None)]
    if fig.kind == "year":
        return [(f"y:{v}", None)]
    if fig.kind == "time":
        return []  # times of day are too common to tell incidents apart on their own
    if fig.kind == "percent":
        return [(f"%:{v}", None)]
    if fig.kind == "money":
        return [(f"$:{fig.unit or ''}:{v}", None)]
    if fig.kind == "ordinal" and not fig.counts:
        return []
    out: list[tuple[str, str | None]] = []
    counts = fig.counts.lower() if fig.counts else None
    if counts:
        out.append((f"n:{v}:{counts}", f"n:{counts}" if where is None else None))
    if where:
        out.append((f"n:{v}:@{where}", f"n:@{where}"))
    if not out:
        out.append((f"n:{v}", None))
    return out


def article_facts(text: str, *, date: str | None = None) -> list[Fact]:
    """Every fact of one article, in text order (a figure may yield more than one key)."""
    try:
        figures = extract_figures(text, date=date)
    except NotImplementedError:  # the extractor is not there yet: no fact evidence
        return []
    return [Fact(key, slot, fig) for fig in figures for key, slot in fact_keys(fig)]


#: Fewest articles for which ``workers > 1`` starts processes (below, start-up and pickling cost more).
PARALLEL_MIN = 5000


def _facts_of(item: tuple[str, str | None]) -> list[Fact]:
    return article_facts(item[0], date=item[1])


def corpus_facts(items: Sequence[tuple[str, str | None]], *, workers: int = 1) -> list[list[Fact]]:
    """``article_facts`` of every ``(text, date)``, in order; ``workers > 1`` spreads large corpora over
    processes (the result is the same)."""
    with SENTENCE_FIGURES.scope():  # a sentence met again is scanned once (forked workers start with it)
        if workers <= 1 or len(items) < PARALLEL_MIN:
            return [_facts_of(it) for it in items]
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_facts_of, items, chunksize=max(1, len(items) // (4 * workers))))


def fact_bag(facts: Sequence[Fact]) -> Counter[str]:
    """Binary bag of fact keys (a fact repeated in one article counts once)."""
    return Counter({f.key: 1 for f in facts})


def shared_and_conflicting(facts_a: Sequence[Fact], facts_b: Sequence[Fact]) -> tuple[list[str], list[tuple[str, str]]]:
    """Fact keys both articles report, and ``(key_a, key_b)`` pairs of the same slot with other values."""
    keys_a = {f.key for f in facts_a}
    keys_b = {f.key for f in facts_b}
    shared = sorted(keys_a & keys_b)
    slots_a: dict[str, set[str]] = {}
    slots_b: dict[str, set[str]] = {}
    for f in facts_a:
        if f.slot:
            slots_a.setdefault(f.slot, set()).add(f.key)
    for f in facts_b:
        if f.slot:
            slots_b.setdefault(f.slot, set()).add(f.key)
    conflicts = []
    for slot in sorted(slots_a.keys() & slots_b.keys()):
        only_a, only_b = slots_a[slot] - slots_b[slot], slots_b[slot] - slots_a[slot]
        if only_a and only_b and not (slots_a[slot] & slots_b[slot]):
            conflicts.append((min(only_a), min(only_b)))
    return shared, conflicts
