"""Figures: the ONE extractor of numbers and what they count, used by incident facts and the diff.

``extract_figures(text, date=...)`` finds digits ("1,200", "1.5", "38-drone"), number words ("two",
"twenty-five", "a dozen", "two million"), ordinals ("fourth", "31st"), percentages, money ("$5 million",
"£2bn"), dates ("October 31", "Oct. 31st", "31 October 2023", "2023-10-31", "Sunday"), times ("11:00 pm")
and years. Vague plurals ("dozens", "hundreds", "thousands") are not figures: they state no value.

Each count or ordinal is bound to what it counts (the head noun after it, lemmatised simply: "38 Ukrainian
drones" -> "drone"; an elliptical "34 were downed" inherits the noun of the figure before it, within two
sentences) and where (a capitalised place after over/in/near/above/across/outside: "in the Belgorod
region" -> "Belgorod"). "two each over Voronezh and Crimea" is read distributively: one figure per place,
sharing the same span; without "each", "two over Lipetsk and Ryazan" is one figure bound to the joint place
"Lipetsk and Ryazan". A weekday ("on Monday") is resolved to an ISO date only when the article has a date;
without one it stays the weekday (value "monday") and pairs only with the same weekday. ``when`` is the date the figure's sentence refers to (the date figure nearest to
it in the same sentence, or the antecedent's), which keeps reports of different days apart.
"""


from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from typing import Any

from dedup.text.dates import day_of_month, iso_dates_and_times, resolve_day, year_of
from dedup.text.figure_words import NOT_NOUN, PLACE_PREPS, PLACE_TAIL, is_word, noun_after, places
from dedup.text.numwords import (
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    MONTHS,
    NUMBER_WORDS,
    SCALES,
    WEEKDAYS,
    lemma,
    parse_number_words,
)
from dedup.text.scoped import ScopedCache
from dedup.text.sentences import date_header, split_sentences
from dedup.text.tokens import TOKEN_RE


@dataclass(slots=True, frozen=True)
class Figure:
    """A figure found in a text.

    ``value`` is normalised ("two" -> 2.0, "1,200" -> 1200.0, "a dozen" -> 12.0; dates as ISO strings
    "2023-10-31" ("--10-31" when the year is unknown), times as "23:00"); ``kind`` is one of count,
    ordinal, percent, money, date, time, year; ``unit`` the currency or unit ("%", "USD", "km");
    ``counts`` the lemma of what is counted ("drone"); ``where`` the place it is bound to ("Belgorod")
    or None; ``text`` the surface form and ``start``/``end`` its character span in the text it was
    extracted from; ``sentence`` the index of the sentence holding it (in ``split_sentences(text)``);
    ``when`` the date its sentence refers to, or None.
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

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "kind": self.kind, "text": self.text, "span": [self.start, self.end],
                "unit": self.unit, "counts": self.counts, "where": self.where, "sentence": self.sentence,
                "when": self.when}


_NUM_RE = re.compile(r"([$£€¥]?)(\d+(?:,\d{3})*(?:\.\d+)?)(st|nd|rd|th|%|bn|m|k)?((?:-[^\W\d_]+)*)$")
#: Lower-case tokens that can start a figure besides a digit or currency sign (and "twenty-five": "-").
_TRIGGERS = frozenset([*NUMBER_WORDS, *MONTHS, *WEEKDAYS, "a"])
_DIGIT_START = frozenset("$£€¥")
_A_SCALES = frozenset(["dozen", "hundred", "thousand", "million", "billion"])  # parse_number_words' "a ..."
#: Letter runs (lower-case) a figure's first token can be or start with ("a dozen": "dozen" counts).
_TRIGGER_RUNS = _TRIGGERS - {"a"} | _A_SCALES
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_DIGIT_RE = re.compile(r"\d")
#: a token (``TOKEN_RE``) and the gap before it: only whitespace and "_" are in no token, so the lengths
#: of the gaps and tokens, summed in order, give every token's span without a match object per token
_GAP_TOKEN_RE = re.compile(r"([\s_]*)(" + TOKEN_RE.pattern + ")")


def _tokens(sentence: str) -> tuple[list[str], list[int], list[int]]:
    """``tokenize(sentence)`` as three lists: the token texts, their starts and their ends."""
    pairs = _GAP_TOKEN_RE.findall(sentence)
    bounds = list(accumulate(map(len, chain.from_iterable(pairs)), initial=0))
    return [w for _, w in pairs], bounds[1::2], bounds[2::2]


#: token text -> whether it can start a figure (a pure function of the text, so cached per distinct token)
_TRIGGER_OF: dict[str, bool] = {}


def _is_trigger(tok: str) -> bool:
    low = tok.lower()
    return tok[0].isdigit() or tok[0] in _DIGIT_START or low in _TRIGGERS or "-" in low


def _trigger_indices(words: list[str]) -> list[int]:
    """Indices of the tokens that can start a figure (``_is_trigger``), looked up per distinct token."""
    cache = _TRIGGER_OF
    try:
        flags = list(map(cache.__getitem__, words))
    except KeyError:
        if len(cache) > 1 << 18:
            cache.clear()
        for w in words:
            if w not in cache:
                cache[w] = _is_trigger(w)
        flags = list(map(cache.__getitem__, words))
    return list(compress(range(len(words)), flags))


def _scan_sentence(text: str, words: list[str], starts: list[int], ends: list[int], ref: _dt.date | None,
                   taken: list[tuple[int, int]]) -> list[Figure]:
    """Every figure of one sentence's tokens (``words`` with their ``starts``/``ends`` in ``text``), with
    counts bound (no places, no inheritance yet)."""
    figs: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(fig: Figure) -> None:
        taken.append((fig.start, fig.end))
        figs.append(fig)

    i = 0
    n = len(words)
    triggers = _trigger_indices(words)  # the branches below skip any other token
    ti = 0
    while True:
        ti = bisect_left(triggers, i, ti)
        if ti == len(triggers):
            break
        i = triggers[ti]
        w = words[i]
        low = w.lower()
        if not free(starts[i], ends[i]):
            i += 1
            continue
        nxt = words[i + 1] if i + 1 < n else ""
        if low == "a" and nxt.lower() not in _A_SCALES:  # "a" counts only as "a dozen" (... "a billion")
            i += 1
            continue
        # dates: "October 31(, 2023)", "Oct. 31st", "31 October 2023", "October 2023", weekdays
        if low in MONTHS and not (w == "May" and day_of_month(nxt) is None):
            j = i + 1 + (nxt == ".")
            d = day_of_month(words[j]) if j < n else None
            if d is not None:
                end, year = j, None
                k = j + 1 + (j + 1 < n and words[j + 1] == ",")
                if k < n and year_of(words[k]):
                    end, year = k, year_of(words[k])
                val = resolve_day(MONTHS[low], d, year, ref)
                if val:
                    add(Figure(val, "date", text[starts[i]:ends[end]], starts[i], ends[end]))
                    i = end + 1
                    continue
            if j < n and year_of(words[j]):
                add(Figure(f"{year_of(words[j])}-{MONTHS[low]:02d}", "date",
                           text[starts[i]:ends[j]], starts[i], ends[j]))
                i = j + 1
                continue
        if day_of_month(w) is not None:
            j = i + 1 + (nxt.lower() == "of")
            if j < n and words[j].lower() in MONTHS:
                end, year = j + (j + 1 < n and words[j + 1] == "."), None
                if end + 1 < n and year_of(words[end + 1]):
                    end, year = end + 1, year_of(words[end + 1])
                val = resolve_day(MONTHS[words[j].lower()], day_of_month(w) or 1, year, ref)
                if val:
                    add(Figure(val, "date", text[starts[i]:ends[end]], starts[i], ends[end]))
                    i = end + 1
                    continue
        if low in WEEKDAYS and w[0].isupper():
            val = low
            if ref is not None:
                back = (ref.weekday() - WEEKDAYS[low]) % 7
                val = (ref - _dt.timedelta(days=back)).isoformat()
            add(Figure(val, "date", w, starts[i], ends[i]))
            i += 1
            continue
        m = _NUM_RE.match(w)
        if m:
            sign, digits, suffix, hyph = m.groups()
            value = float(digits.replace(",", ""))
            end = i
            scale = SCALES.get(nxt.lower())
            if suffix in ("bn", "m", "k"):
                value *= {"bn": 1e9, "m": 1e6, "k": 1e3}[suffix]
            elif scale and not hyph:
                value *= scale
                end = i + 1
            after = words[end + 1].lower() if end + 1 < n else ""
            span = (starts[i], ends[end])
            if sign or after in CURRENCY_WORDS:
                unit = CURRENCY_SIGNS.get(sign) or CURRENCY_WORDS[after]
                if not sign:
                    end += 1
                add(Figure(value, "money", text[starts[i]:ends[end]], starts[i], ends[end], unit=unit))
            elif suffix == "%" or after in ("%", "percent") or (after == "per" and end + 2 < n
                                                                 and words[end + 2] == "cent"):
                end += {"%": 0, "percent": 1, "per": 2}[suffix if suffix == "%" else after]
                add(Figure(value, "percent", text[starts[i]:ends[end]], starts[i], ends[end], unit="%"))
            elif suffix in ("st", "nd", "rd", "th"):
                counts, _ = noun_after(words, end + 1)
                add(Figure(value, "ordinal", text[span[0]:span[1]], *span, counts=counts))
            elif year_of(digits) and not hyph and end == i and not (
                    is_word(after) and after.endswith("s") and after not in NOT_NOUN):
                add(Figure(value, "year", w, starts[i], ends[i]))
            else:
                counts = lemma(hyph.strip("-").split("-")[0]) if hyph else noun_after(words, end + 1)[0]
                add(Figure(value, "count", text[span[0]:span[1]], *span, counts=counts))
            i = end + 1
            continue
        parsed = parse_number_words(words[i:i + 6])
        if parsed is not None:
            value, used, ordinal = parsed
            end = i + used - 1
            prev = words[i - 1].lower() if i else ""
            after = words[end + 1].lower() if end + 1 < n else ""
            if low == "one" and used == 1 and (after in ("of", "another", "day", "way", "thing") or prev in (
                    "no", "any", "every", "the", "this", "that", "which", "someone", "anyone", "each")):
                i += 1
                continue
            if after in CURRENCY_WORDS and not ordinal:
                add(Figure(value, "money", text[starts[i]:ends[end + 1]], starts[i], ends[end + 1],
                           unit=CURRENCY_WORDS[after]))
                i = end + 2
                continue
            counts, _ = noun_after(words, end + 1)
            add(Figure(value, "ordinal" if ordinal else "count", text[starts[i]:ends[end]], starts[i],
                       ends[end], counts=counts))
            i = end + 1
            continue
        i += 1
    return figs


#: One figure of a sentence, in the sentence's own offsets: the figure (no sentence index), the date its
#: sentence refers to and the places it is bound to (counts and ordinals; None for the other kinds).
_Local = tuple[Figure, "str | None", "tuple[str | None, ...] | None"]
#: ``(sentence text, reference date)`` -> its figures, inside ``SENTENCE_FIGURES.scope()`` (the facts of a
#: corpus): the same sentence (recurring in many articles, as wire copies and boilerplate do) is scanned
#: once; only the antecedents of elliptical counts and the offsets depend on where it stands
SENTENCE_FIGURES: ScopedCache[tuple[str, _dt.date | None], tuple[_Local, ...]] = ScopedCache(1 << 16)


def _sentence_figures(sentence: str, ref: _dt.date | None) -> tuple[_Local, ...]:
    """The figures of one sentence, places bound, in ``sentence``'s offsets (cached in a scope)."""
    return SENTENCE_FIGURES.get((sentence, ref), _scan_and_bind)


def _scan_and_bind(key: tuple[str, _dt.date | None]) -> tuple[_Local, ...]:
    sentence, ref = key
    # a figure needs a digit or a number, month or weekday word as a whole letter run (without digits in
    # the sentence, a token never starts inside one); ISO dates and clock times need a digit
    digit = _DIGIT_RE.search(sentence) is not None
    if not digit and _TRIGGER_RUNS.isdisjoint(_LETTER_RUN_RE.findall(sentence.lower())):
        return ()
    pre = [Figure(value, kind, surface, st, en) for value, kind, surface, st, en in iso_dates_and_times(sentence)
           ] if digit else []
    taken = [(f.start, f.end) for f in pre]
    words, starts, ends = _tokens(sentence)
    figs = sorted(pre + _scan_sentence(sentence, words, starts, ends, ref, taken), key=lambda f: (f.start, f.end))
    dates = [f for f in figs if f.kind == "date"]
    out: list[_Local] = []
    for idx, f in enumerate(figs):
        if f.kind not in ("count", "ordinal"):
            out.append((f, None, None))
            continue
        when: str | None = str(min(dates, key=lambda d: abs(d.start - f.start)).value) if dates else None
        stop_at = next((g.start for g in figs[idx + 1:] if g.start >= f.end), len(sentence))
        ti = bisect_left(starts, f.end) if f.end < ends[-1] else len(words)
        stop = next((k for k in range(ti, len(words)) if starts[k] >= stop_at or words[k] in (";", "while")),
                    len(words))
        prep = next((k for k in range(ti, stop) if words[k].lower() in PLACE_PREPS), stop)
        distributive = any(words[k].lower() == "each" for k in range(ti, prep))  # "two (drones) each over"
        out.append((f, when, tuple(places(words, ti, stop, distributive)) or (None,)))
    return tuple(out)


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


def extract_figures(text: str, *, date: str | None = None) -> list[Figure]:
    """Every figure in ``text`` in order of position; relative dates resolved against ``date``.

    ``date`` (ISO ``YYYY-MM-DD``) is the article's date; when None, a leading `` date ... `` header is
    used. Month-day dates get the year of the reference date (or "--MM-DD" without one).
    """
    header, _ = date_header(text)
    date = date or header
    try:
        ref = _dt.date.fromisoformat(date) if date else None
    except ValueError:
        ref = None
    out: list[Figure] = []
    recent: list[tuple[int, str, float, str | None]] = []  # counts bound to a noun: (sentence, counts, value, when)
    for si, sent in enumerate(split_sentences(text)):
        local = _sentence_figures(sent.text, ref)
        if not local:
            continue
        off = sent.start
        for f, when, where in local:
            if where is None:
                out.append(Figure(f.value, f.kind, f.text, f.start + off, f.end + off, f.unit, f.counts, f.where,
                                  si, f.when))
                continue
            counts = f.counts
            if counts is None and f.kind == "count":
                ante = _antecedent(recent, f.value, si)
                if ante is not None:
                    counts, when = ante[1], when or ante[3]
            for place in where:
                out.append(Figure(f.value, f.kind, f.text, f.start + off, f.end + off, f.unit, counts, place, si,
                                  when))
            if counts is not None and f.kind == "count":
                recent.append((si, counts, f.value, when))  # type: ignore[arg-type]  # counts are floats
    return out
