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

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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
    if fig.kind in ("range", "fraction"):
        return []  # a range's ends are figures of their own; a fraction counts nothing
    out: list[tuple[str, str | None]] = []
    counts = fig.counts.lower() if fig.counts else None
    if counts:
        out.append((f"n:{v}:{counts}", f"n:{counts}" if where is None else None))
    if where:
        out.append((f"n:{v}:@{where}", f"n:@{where}"))
    if not out:
        out.append((f"n:{v}", None))
    return out


def article_facts(text: str, *, date: str | None = None, sentences: Sequence[Any] | None = None) -> list[Fact]:
    """Every fact of one article, in text order (a figure may yield more than one key); ``sentences``:
    ``split_sentences(text)`` when already split."""
    try:
        figures = extract_figures(text, date=date, sentences=sentences)
    except NotImplementedError:  # the extractor is not there yet: no fact evidence
        return []
    keys_of = _KEYS.get
    out: list[Fact] = []
    for fig in figures:
        what = (fig.kind, fig.value, fig.unit, fig.counts, fig.where)  # all that fact_keys reads
        got = keys_of(what)
        if got is None:
            if len(_KEYS) > _KEYS_MAX:
                _KEYS.clear()
            got = _KEYS[what] = fact_keys(fig)
        for key, slot in got:
            fact = _new(Fact)  # Fact(key, slot, fig) without the frozen dataclass's __init__
            _set_key(fact, key)
            _set_slot(fact, slot)
            _set_figure(fact, fig)
            out.append(fact)
    return out


#: ``(kind, value, unit, counts, where)`` of a figure -> its :func:`fact_keys`, per process (figures recur)
_KEYS: dict[tuple[Any, ...], list[tuple[str, str | None]]] = {}
_KEYS_MAX = 1 << 16
_new = object.__new__
_set_key, _set_slot, _set_figure = (getattr(Fact, name).__set__ for name in Fact.__slots__)  # type: ignore[attr-defined]


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


#: Figures of the first ``LEAD_SENTENCES`` sentences are the ones checked for conflicts: news states the
#: event's own figures first ("38 drones", "two killed"); later sentences carry background and history.
LEAD_SENTENCES = 3
#: Counts of time ("after 130 years", "three hours") are durations, not the incident's own figures: two
#: reports of one incident give different ones. Ages ("a 22-year-old") are kept, in their own slot.
DURATION_SLOTS = frozenset(f"n:{u}" for u in ("year", "month", "week", "day", "hour", "minute", "second", "time"))
#: Stated dates at most this many days apart agree ("on the night of October 30" and "on October 31").
DATE_TOLERANCE_DAYS = 1


def _date_key(value: str) -> tuple[int | None, int, int] | None:
    """``(year or None, month, day)`` of an ISO ``2023-10-31`` or year-less ``--10-31`` date value."""
    try:
        if value.startswith("--"):
            return None, int(value[2:4]), int(value[5:7])
        d = _dt.date.fromisoformat(value[:10])
        return d.year, d.month, d.day
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)  # a corpus states the same dates again and again
def _day_code(date: tuple[int | None, int, int]) -> tuple[int, int | None] | None:
    """``(month-day code, full code or None)`` of ``(year, month, day)``, or None for no such day."""
    y, m, d = date
    try:
        return _dt.date(2000, m, d).toordinal(), None if y is None else _dt.date(y, m, d).toordinal()
    except ValueError:
        return None


def _day_codes(dates: Sequence[tuple[int | None, int, int]]) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Day numbers of ``dates``: those with a year, every date's month and day (in the leap year 2000),
    and those of the year-less dates only."""
    full, md, yearless = set(), set(), set()
    for date in dates:
        got = _day_code(date)
        if got is None:
            continue
        code, whole = got
        if whole is not None:
            full.add(whole)
        md.add(code)
        if date[0] is None:
            yearless.add(code)
    return frozenset(full), frozenset(md), frozenset(yearless)


def _near(days: frozenset[int]) -> set[int]:
    return {x + k for x in days for k in range(-DATE_TOLERANCE_DAYS, DATE_TOLERANCE_DAYS + 1)}


_NO_CODES: tuple[tuple[frozenset[int], frozenset[int], frozenset[int]], tuple[set[int], set[int]]] = (
    (frozenset(), frozenset(), frozenset()), (set(), set()))


def day_codes(dates: Sequence[tuple[int | None, int, int]]
              ) -> tuple[tuple[frozenset[int], frozenset[int], frozenset[int]], tuple[set[int], set[int]]]:
    """``(days, near)`` of ``dates``: :func:`_day_codes` and the codes within the tolerance of the full
    and the year-less ones."""
    if not dates:
        return _NO_CODES
    days = _day_codes(dates)
    return days, (_near(days[0]), _near(days[2]))


@dataclass(slots=True)
class ConflictProfile:
    """What one article states that another could contradict: the lead's figure slots and every date.

    The day codes of ``dates`` are made when first compared (``dates_meet``), not kept by every profile:
    a corpus holds one profile an article, and most are never compared by date in Python (the compiled
    edge conflicts encode them once, ``conflicts.encode_profiles``)."""

    slots: dict[str, frozenset[str]]
    dates: tuple[tuple[int | None, int, int], ...]
    #: The places counts are bound to anywhere in the text ("34 over Belgorod"), lower-cased.
    places: frozenset[str] = frozenset()
    _codes: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def _days(self) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
        """``dates`` as day numbers (see ``_day_codes``)."""
        return self._cached()[0]

    @property
    def _near(self) -> tuple[set[int], set[int]]:
        """The day numbers within the tolerance of the full and the year-less dates."""
        return self._cached()[1]

    def _cached(self) -> tuple[tuple[frozenset[int], frozenset[int], frozenset[int]], tuple[set[int], set[int]]]:
        if self._codes is None:
            self._codes = day_codes(self.dates)
        return self._codes  # type: ignore[no-any-return]

    def dates_meet(self, other: ConflictProfile) -> bool:
        """Some date of each is within :data:`DATE_TOLERANCE_DAYS` of the other's (by month and day
        when either has no year)."""
        (days, near), (odays, onear) = self._cached(), other._cached()
        return bool(near[0] & odays[0] or near[1] & odays[1] or onear[1] & days[1])


def conflict_profile(facts: Sequence[Fact], *, lead_sentences: int = LEAD_SENTENCES) -> ConflictProfile:
    """The slots (``n:drone``, ``n:@belgorod``) filled by counts (not ordinals: "a fourth drone") in the
    first ``lead_sentences`` sentences, with their keys, and the distinct dates stated anywhere in the text (resolved ones: ``d:`` keys)."""
    slots: dict[str, set[str]] = {}
    dates: set[tuple[int | None, int, int]] = set()
    for f in facts:
        if f.figure.kind == "date" and isinstance(f.figure.value, str):
            d = _date_key(f.figure.value)
            if d is not None:
                dates.add(d)
        elif f.slot and f.figure.kind == "count" and (f.figure.sentence or 0) < lead_sentences:
            if f.slot not in DURATION_SLOTS:
                slots.setdefault(f.slot, set()).add(f.key)
            elif f.figure.text.endswith("-old"):  # an age ("a 22-year-old") tells two victims apart
                slots.setdefault("n:age", set()).add(f"n:{_num(f.figure.value)}:age")
    return ConflictProfile({k: frozenset(v) for k, v in slots.items()},
                           tuple(sorted(dates, key=lambda d: (d[0] or 0, d[1], d[2]))),
                           frozenset(p.lower() for p in bound_places(facts)))


def pair_conflicts(a: ConflictProfile, b: ConflictProfile) -> tuple[float, bool, bool]:
    """``(figure conflict, date conflict, place conflict)`` of two articles.

    Figure conflict: over the lead slots both fill, the mean of ``1 - |A & B| / min(|A|, |B|)`` for the
    values ``A``, ``B`` each gives the slot (``n:drone`` 38 against 130: 1), in [0, 1]. Date conflict:
    both state dates and no two of them are within :data:`DATE_TOLERANCE_DAYS` (two nights' reports;
    a follow-up names the day of the event again). Place conflict: both bind counts to places and
    share none (two drones over Bryansk and Kursk, two over Kaluga and Tver).
    """
    both = sorted(a.slots.keys() & b.slots.keys())  # summed in slot order: the same floats on every run
    total = 0.0
    for s in both:
        total += 1.0 - len(a.slots[s] & b.slots[s]) / min(len(a.slots[s]), len(b.slots[s]))
    fig = total / len(both) if both else 0.0
    date = bool(a.dates and b.dates) and not a.dates_meet(b)
    place = bool(a.places and b.places) and not a.places & b.places
    return fig, date, place


def bound_places(facts: Sequence[Fact]) -> list[str]:
    """The places the article's counts are bound to ("34 over Belgorod"), in text order, each once."""
    return list(dict.fromkeys(f.figure.where for f in facts if f.figure.kind == "count" and f.figure.where))


def conflict_notes(facts_a: Sequence[Fact], facts_b: Sequence[Fact], *, date_a: str | None = None,
                   date_b: str | None = None) -> list[str]:
    """Plain sentences naming what two articles contradict: stated dates that never meet, the places their
    counts are bound to when they share none, the article dates when they differ."""
    pa, pb = conflict_profile(facts_a), conflict_profile(facts_b)
    fig, date, place = pair_conflicts(pa, pb)
    notes: list[str] = []

    def show(d: tuple[int | None, int, int]) -> str:
        return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}" if d[0] else f"--{d[1]:02d}-{d[2]:02d}"

    if date:
        notes.append(f"dates: a states {', '.join(map(show, pa.dates))}; b states {', '.join(map(show, pb.dates))}")
    if place:
        places_a, places_b = bound_places(facts_a), bound_places(facts_b)
        notes.append(f"places: a counts over {', '.join(places_a)}; b over {', '.join(places_b)}")
    if fig:
        slots = sorted(s for s in pa.slots.keys() & pb.slots.keys() if not pa.slots[s] & pb.slots[s])
        for slot in slots:
            notes.append(f"figures: {', '.join(sorted(pa.slots[slot]))} vs {', '.join(sorted(pb.slots[slot]))}")
    if date_a and date_b and date_a[:10] != date_b[:10]:
        notes.append(f"article dates: {date_a[:10]} vs {date_b[:10]}")
    return notes
