"""Figures: the ONE extractor of numbers and what they count, used by incident facts and the diff.

``extract_figures(text, date=...)`` finds digits ("1,200", "12 500", "1.5", "1e10", "38-drone"; ".40 caliber" is 40),
scaled numbers ("1.5 million", "3bn", "5k"), number words ("two", "twenty-five", "a dozen", "two hundred
and fifty", "twelve hundred"), fractions ("three quarters", "half of", "3/4", "2 1/2", "½"), signs ("-5",
"minus five"), ordinals ("fourth", "31st"), percentages, money ("$5 million", "£2bn", "HK$ 5", "USD 3.5
million", "15€"), quantities with a unit ("200 metres", "10kg", "80 mph"), ranges ("between 30 and 40",
"30-40": both ends and a ``range`` figure), dates ("October 31", "Oct. 31st", "31 October 2023",
"2023-10-31", "Sunday"), times ("11:00 pm") and years. Vague plurals ("dozens", "hundreds", "thousands")
are not figures: they state no value. The reading is in ``figure_scan`` (tokens and values in
``numbers``, ``numwords``, ``units``); this module binds places and antecedents and caches per sentence.

Each count or ordinal is bound to what it counts (the head noun after it, lemmatised simply: "38 Ukrainian
drones" -> "drone"; an elliptical "34 were downed" inherits the noun of the figure before it, within two
sentences) and where (a capitalised place after over/in/near/above/across/outside: "in the Belgorod
region" -> "Belgorod"). "two each over Voronezh and Crimea" is read distributively: one figure per place,
sharing the same span; without "each", "two over Lipetsk and Ryazan" is one figure bound to the joint place
"Lipetsk and Ryazan". A weekday ("on Monday") is resolved to an ISO date only when the article has a date;
without one it stays the weekday (value "monday") and pairs only with the same weekday. ``when`` is the date
the figure's sentence refers to (the date figure nearest to it in the same sentence, or the antecedent's),
which keeps reports of different days apart.
"""


from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import compress

from dedup.text.dates import iso_dates_and_times
from dedup.text.figure_scan import TRIGGER_RUNS, RawFigure, lower_words, scan_sentence
from dedup.text.figure_types import Figure
from dedup.text.figure_words import PLACE_PREPS, PLACE_TAIL, places
from dedup.text.numbers import tokens as _tokens
from dedup.text.numwords import MONTHS, WEEKDAYS
from dedup.text.scoped import ScopedCache
from dedup.text.sentences import Span, date_header, split_sentences

__all__ = ["SENTENCE_FIGURES", "Figure", "extract_figures"]
#: every character of the Basic Multilingual Plane that is not in a letter run (``[^\W\d_]``) -> a space, so
#: ``text.translate(_NOT_LETTER).split()`` gives the letter runs of ``text`` (a regex findall, faster)
_NOT_LETTER = {c: " " for c in range(0x10000) if not (chr(c).isalnum() and not chr(c).isdecimal())}
_DIGIT_RE = re.compile(r"\d")  # vulgar fractions ("½") are letter runs: TRIGGER_RUNS has them
#: the same for an ASCII sentence, on its bytes (three times faster): letters lower-cased, the rest a space
_ASCII_NOT_LETTER = bytes(c | 0x20 if chr(c).isalpha() else 0x20 for c in range(128)) + b" " * 128
_ASCII_DIGIT_RE = re.compile(r"[0-9]")
_ASCII_TRIGGER_RUNS = frozenset(w.encode() for w in TRIGGER_RUNS if w.isascii())


#: One figure of a sentence, in the sentence's own offsets: the figure as the scan found it, the date its
#: sentence refers to and the places it is bound to (counts, ordinals and ranges; None for the other kinds).
_Local = tuple[RawFigure, "str | None", "tuple[str | None, ...] | None"]
#: a sentence's figures, inside ``SENTENCE_FIGURES.scope()`` (the facts of a corpus): the same sentence
#: (recurring in many articles, as wire copies and boilerplate do) is scanned once; only the antecedents of
#: elliptical counts and the offsets depend on where it stands. The key is the sentence text, or ``(text,
#: reference date)`` for a sentence with a month or weekday word (only these read the reference date)
SENTENCE_FIGURES: ScopedCache[str | tuple[str, _dt.date | None], tuple[_Local, ...]] = ScopedCache(1 << 16)
_DATED = frozenset([*MONTHS, *WEEKDAYS])  # the words a reference date resolves (``dates.date_at``)
_BOUND = frozenset(["count", "ordinal", "range"])  # the kinds bound to places (and dates)
_NO_PLACE: tuple[str | None, ...] = (None,)


def _scan_and_bind(sentence: str, ref: _dt.date | None) -> tuple[tuple[_Local, ...], bool]:
    """The figures of one sentence, places bound, in the sentence's offsets, and whether they depend on the
    reference date ``ref`` (``SENTENCE_FIGURES``)."""
    # a figure needs a digit or a number, month or weekday word as a whole letter run (without digits in
    # the sentence, a token never starts inside one); ISO dates and clock times need a digit
    if sentence.isascii():
        digit = _ASCII_DIGIT_RE.search(sentence) is not None
        if not digit and _ASCII_TRIGGER_RUNS.isdisjoint(sentence.encode().translate(_ASCII_NOT_LETTER).split()):
            return (), False
    else:
        digit = _DIGIT_RE.search(sentence) is not None
        if not digit and TRIGGER_RUNS.isdisjoint(sentence.lower().translate(_NOT_LETTER).split()):
            return (), False
    iso = iso_dates_and_times(sentence) if digit else None
    words, starts, ends = _tokens(sentence)
    lows = lower_words(words)
    dated = not _DATED.isdisjoint(lows)
    if iso:
        pre: list[RawFigure] = [(value, kind, surface, st, en, None, None, None, None)
                                for value, kind, surface, st, en in iso]
        figs = scan_sentence(sentence, words, starts, ends, ref, [(f[3], f[4]) for f in pre], lows)
        figs = sorted(pre + figs, key=lambda f: (f[3], f[4]))
    else:
        figs = scan_sentence(sentence, words, starts, ends, ref, [], lows)  # in (start, end) order
    if not figs:
        return (), dated
    dates = [f for f in figs if f[1] == "date"]
    n = len(words)
    # token indices of the place prepositions, and of what ends a clause (";", "while")
    preps = list(compress(range(n), map(PLACE_PREPS.__contains__, lows))) if not PLACE_PREPS.isdisjoint(lows) else []
    stops = [k for k, w in enumerate(words) if w == ";" or w == "while"] if ";" in sentence or "while" in sentence else []
    out: list[_Local] = []
    when: str | None = str(dates[0][0]) if len(dates) == 1 else None  # several: the nearest to each figure
    for idx, f in enumerate(figs):
        if f[1] not in _BOUND:
            out.append((f, None, None))
            continue
        start, end = f[3], f[4]
        if len(dates) > 1:
            when = str(min(dates, key=lambda d: abs(d[3] - start))[0])
        if not preps:
            out.append((f, when, _NO_PLACE))
            continue
        stop_at = len(sentence)
        for g in figs[idx + 1:]:
            if g[3] >= end:
                stop_at = g[3]
                break
        ti = bisect_left(starts, end) if end < ends[-1] else n
        stop = bisect_left(starts, stop_at, ti)
        for k in stops:
            if k >= stop:
                break
            if k >= ti:
                stop = k
                break
        p = bisect_left(preps, ti)
        if p == len(preps) or preps[p] >= stop:
            out.append((f, when, _NO_PLACE))
            continue
        prep = preps[p]
        distributive = "each" in lows[ti:prep]  # "two (drones) each over"
        out.append((f, when, tuple(places(words, prep, stop, distributive)) or _NO_PLACE))
    return tuple(out), dated


def _antecedent(recent: list[tuple[int, str, float, str | None]], value: float | str,
                sentence: int) -> tuple[int, str, float, str | None] | None:
    """The count an elliptical figure ("34 were downed") refers to, as ``(sentence, counts, value, when)``:
    the latest one of the last three sentences that counts no place-like noun and is at least as large (a
    part is not larger than its whole)."""
    for prev in reversed(recent):
        if sentence - prev[0] > 3:
            return None
        if prev[1] not in PLACE_TAIL and isinstance(prev[2], float) and prev[2] >= float(value):
            return prev
    return None


def _cached_figures(data: dict[str | tuple[str, _dt.date | None], tuple[_Local, ...]], sentence: str,
                    ref: _dt.date | None) -> tuple[_Local, ...]:
    """The figures of a sentence not cached under its text alone: cached under ``(text, ref)``, or scanned
    and cached (under the text when they do not depend on ``ref``)."""
    key = (sentence, ref)
    local = data.get(key)
    if local is None:
        local, dated = _scan_and_bind(sentence, ref)
        SENTENCE_FIGURES.put(key if dated else sentence, local)
    return local


def extract_figures(text: str, *, date: str | None = None, sentences: Sequence[Span] | None = None) -> list[Figure]:
    """Every figure in ``text`` in order of position; relative dates resolved against ``date``.

    ``date`` (ISO ``YYYY-MM-DD``) is the article's date; when None, a leading `` date ... `` header is
    used. Month-day dates get the year of the reference date (or "--MM-DD" without one).
    ``sentences``: ``split_sentences(text)`` when already split.
    """
    header, _ = date_header(text)
    date = date or header
    try:
        ref = _dt.date.fromisoformat(date) if date else None
    except ValueError:
        ref = None
    out: list[Figure] = []
    recent: list[tuple[int, str, float, str | None]] = []  # counts bound to a noun: (sentence, counts, value, when)
    data = SENTENCE_FIGURES.data
    for si, sent in enumerate(split_sentences(text) if sentences is None else sentences):
        if data is None:
            local = _scan_and_bind(sent.text, ref)[0]
        else:
            local = data.get(sent.text)
            if local is None:
                local = _cached_figures(data, sent.text, ref)
        if not local:
            continue
        off = sent.start
        for (value, kind, surface, start, end, unit, counts, low, high), when, where in local:
            if where is None:
                out.append(_figure(value, kind, surface, start + off, end + off, unit, counts, None, si, None, low,
                                   high))
                continue
            if counts is None and kind == "count":
                ante = _antecedent(recent, value, si)
                if ante is not None:
                    counts, when = ante[1], when or ante[3]
            for place in where:
                out.append(_figure(value, kind, surface, start + off, end + off, unit, counts, place, si, when, low,
                                   high))
            if counts is not None and kind == "count":
                recent.append((si, counts, value, when))  # type: ignore[arg-type]  # counts are floats
    return out


_new = object.__new__
(_set_value, _set_kind, _set_text, _set_start, _set_end, _set_unit, _set_counts, _set_where, _set_sentence, _set_when,
 _set_low, _set_high) = (getattr(Figure, name).__set__ for name in Figure.__slots__)  # type: ignore[attr-defined]


def _figure(value: float | str, kind: str, text: str, start: int, end: int, unit: str | None, counts: str | None,
            where: str | None, sentence: int, when: str | None, low: float | None, high: float | None) -> Figure:
    """``Figure(value, kind, ...)`` (every field, in order), twice as fast: the frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, this sets its slots directly."""
    fig = _new(Figure)
    _set_value(fig, value)
    _set_kind(fig, kind)
    _set_text(fig, text)
    _set_start(fig, start)
    _set_end(fig, end)
    _set_unit(fig, unit)
    _set_counts(fig, counts)
    _set_where(fig, where)
    _set_sentence(fig, sentence)
    _set_when(fig, when)
    _set_low(fig, low)
    _set_high(fig, high)
    return fig
