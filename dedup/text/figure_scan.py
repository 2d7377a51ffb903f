"""The figures of one sentence's tokens: dates, then numbers with their kind, unit and counted noun.

``scan_sentence(text, words, starts, ends, ref, taken)`` reads, left to right: dates ("October 31",
"31 Oct. 2023", weekdays), then numbers from digits (``dedup.text.numbers``) or words
(``dedup.text.numwords``) with a sign ("-5", "minus five") and a currency sign ("$ 75 million", "HK$5",
"15€") before them, and after them a currency word, "percent", a unit of measure (``dedup.text.units``)
or the noun they count. Consecutive numbers joined by "-", "to" or "between ... and" also give a
``range`` figure (value: the midpoint; ``low``/``high``: the ends), and the first end takes the kind,
unit and noun of the second when it has none ("between 30 and 40 drones", "20 to 30 percent").
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left
from itertools import compress

from dedup.text.dates import date_at, year_of
from dedup.text.figure_words import NOT_NOUN, is_word, noun_after
from dedup.text.numbers import DOTTED_RE, VULGAR, Digits, plain_digits, read_digits
from dedup.text.numwords import (
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    DENOMINATORS,
    DOLLAR_PREFIXES,
    MONTHS,
    START_WORDS,
    TENS,
    UNITS,
    WEEKDAYS,
    lemma,
    read_number_words,
    split_words,
)
from dedup.text.units import UNIT_FIRST, unit_at

_SIGNS = frozenset(["-", "\u2212", "\u2013"])
_new = tuple.__new__  # NamedTuple(*fields) without its Python-level __new__
#: currency codes written before the amount ("USD 5", "Rs 500"): case as written, so "CAD" but not "cad"
CODE_PREFIXES = {"USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY",
                 "INR": "INR", "Rs": "INR", "CHF": "CHF", "AUD": "AUD", "CAD": "CAD", "HKD": "HKD", "RUB": "RUB",
                 "UAH": "UAH", "SGD": "SGD", "NZD": "NZD", "ZAR": "ZAR", "KRW": "KRW", "BRL": "BRL", "MXN": "MXN"}
_DASHES = frozenset(["-", "\u2013", "\u2014", "\u2212"])
_PERCENT_WORDS = {"percent": 1, "percentage": 1, "percents": 1, "pct": 1, "per": 2, "percentage points": 2}
_PERCENT_FIRST = frozenset([*_PERCENT_WORDS, "%"])
#: Lower-case tokens that can start a figure besides a digit or a sign
_TRIGGERS = frozenset([*START_WORDS, *MONTHS, *WEEKDAYS, "a", "an", *CURRENCY_SIGNS, *DOLLAR_PREFIXES, *VULGAR,
                       *_SIGNS, *(c.lower() for c in CODE_PREFIXES)])
_A_NEXT = frozenset(["dozen", "hundred", "thousand", "million", "billion", "trillion", "half", "quarter", "third",
                     "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "hundredth", "thousandth", "millionth"])
#: hyphenated number-word compounds that are idioms, not figures ("one-time", "one-way", "two-thirds" is one)
_IDIOMS = frozenset(["time", "way", "off", "on", "sided", "shot", "liner", "man", "stop", "hit", "to"])
#: words after a number word that may continue it ("two hundred", "one and a half", "three fifths")
_GOES_ON = START_WORDS | frozenset(DENOMINATORS) | frozenset(["and", "-", "point", "over", "a", "an"])
TRIGGER_RUNS = (START_WORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(VULGAR)) - {"a"}


def _is_trigger(low: str) -> bool:
    """Whether a token whose lower-case form is ``low`` can start a figure (a digit has no case)."""
    return low not in _SIGNS and (
        low[0].isdigit() or low in _TRIGGERS or ("-" in low and low.split("-")[0] in START_WORDS))


class _TriggerOf(dict[str, bool]):
    """Lower-case token -> whether it can start a figure (``_is_trigger``), filled as tokens are met. A sign
    ("-5") is not one: the scan reads it from the number after it."""

    def __missing__(self, low: str) -> bool:
        flag = self[low] = _is_trigger(low)
        return flag


_TRIGGER_OF = _TriggerOf()


def _trigger_indices(lows: list[str]) -> list[int]:
    """Indices of the tokens (``lows``: their lower-case forms) that can start a figure."""
    if len(_TRIGGER_OF) > 1 << 18:
        _TRIGGER_OF.clear()
    return list(compress(range(len(lows)), map(_TRIGGER_OF.__getitem__, lows)))


def _currency_before(words: list[str], starts: list[int], ends: list[int], i: int) -> tuple[str, int] | None:
    """A currency sign starting at token ``i`` ("$", "US$", "c $", "HK$") and the token after it."""
    w = words[i]
    n = len(words)
    if w in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[w], i + 1
    low = w.lower()
    if low in DOLLAR_PREFIXES and i + 1 < n and words[i + 1] == "$" and starts[i + 1] - ends[i] <= 1:
        return DOLLAR_PREFIXES[low], i + 2
    code = CODE_PREFIXES.get(w)
    if code is not None and i + 1 < n:  # "USD 3.5 million", "Rs 500", "Rs. 500"
        k = i + 1 + (words[i + 1] == "." and w == "Rs")
        if k < n and words[k][:1].isdigit():
            return code, k
    return None


def _read_number(words: list[str], starts: list[int], ends: list[int], i: int, lows: list[str]) -> Digits | None:
    """The number (digits or words) starting at token ``i`` (``lows``: the lower-case ``words``), or None."""
    w = words[i]
    if w[0].isdigit():
        d = read_digits(words, starts, ends, i)
        # "1 over 3": a fraction written out
        if d is not None and d.value == 1 and d.end == i and i + 2 < len(words) and lows[i + 1] == "over":
            den = _read_number(words, starts, ends, i + 2, lows)
            if den is not None and den.value and not den.ordinal:
                return Digits(1 / den.value, den.end, fraction=True)
        return d
    if w in VULGAR:
        return Digits(VULGAR[w], i, fraction=True)
    low = lows[i]
    nxt = lows[i + 1] if i + 1 < len(words) else ""
    if (low in UNITS or low in TENS) and (nxt or "-").partition("-")[0 if nxt != "-" else 1] not in _GOES_ON:
        return _new(Digits, (float(UNITS.get(low, TENS.get(low, 0))), i, False, False, False, None, None, True))
    subs, owner = split_words(words[i:i + 8])
    got = read_number_words(subs)
    if got is not None and got.used >= len(subs) - 1 and i + 8 < len(words):
        subs, owner = split_words(words[i:i + 48])  # a long number: "two million three hundred ..."
        got = read_number_words(subs)
    if got is None:
        return None
    last = owner[got.used - 1]
    end = i + last
    noun = None
    if got.used < len(subs) and owner[got.used] == last:  # "two-year", "six-mile": the rest of the token
        rest = subs[got.used:]
        rest = [p for k, p in enumerate(rest) if owner[got.used + k] == last]
        if rest and (rest[0] in _IDIOMS or not rest[0].isalpha() or got.ordinal):
            return None  # "one-time", "third-party", "second-largest": idioms, not figures
        noun = rest[0] if rest else None
    value = got.value
    if not got.ordinal and not got.fraction and end + 2 < len(words) and lows[end + 1] == "over":
        den = _read_number(words, starts, ends, end + 2, lows)  # "one over 20"
        if den is not None and den.value and not den.ordinal:
            return Digits(value / den.value, den.end, fraction=True, words=True)
    return _new(Digits, (value, end, got.ordinal, got.fraction, False, None, noun, True))


def _percent_after(words: list[str], j: int) -> int:
    """How many tokens from ``j`` say "percent" ("%", "percent", "per cent"), 0 when none."""
    if j >= len(words):
        return 0
    w = words[j].lower()
    if w == "%":
        return 1
    if w == "per":
        return 2 if j + 1 < len(words) and words[j + 1].lower() == "cent" else 0
    return 1 if w in _PERCENT_WORDS else 0


def _sign_before(words: list[str], starts: list[int], ends: list[int], i: int) -> int:
    """The token index where a sign before the number at ``i`` starts ("-5", "- 5" at the start), else ``i``."""
    if i == 0:
        return i
    s = words[i - 1]
    if s in _SIGNS and (starts[i] == ends[i - 1] or i == 1) and (
            i == 1 or starts[i - 1] > ends[i - 2] or words[i - 2] in ("(", "[", ":")):
        return i - 1
    return i


#: a figure as the scan finds it: ``(value, kind, text, start, end, unit, counts, low, high)`` (the fields
#: of ``Figure`` without place, sentence and date: a tuple, built and read much faster than a Figure)
RawFigure = tuple[float | str, str, str, int, int, "str | None", "str | None", "float | None", "float | None"]
_PRONOUN_AFTER = frozenset(["of", "another", "day", "way", "thing"])
_PRONOUN_BEFORE = frozenset(["no", "any", "every", "the", "this", "that", "which", "someone", "anyone", "each"])


def lower_words(words: list[str]) -> list[str]:
    """``[w.lower() for w in words]``, in one call (a token holds no space)."""
    return " ".join(words).lower().split(" ") if words else []


def scan_sentence(text: str, words: list[str], starts: list[int], ends: list[int],
                  ref: _dt.date | None, taken: list[tuple[int, int]], lows: list[str]) -> list[RawFigure]:
    """Every figure of one sentence's tokens (``words`` with their ``starts``/``ends`` in ``text``, ``lows``
    their lower-case forms), with counts bound (no places, no inheritance yet); ``taken`` spans (ISO
    dates, times) are skipped."""
    figs: list[RawFigure] = []
    toks: list[tuple[int, int]] = []  # token span of each figure in ``figs`` (for ranges)
    n = len(words)
    # the scan moves past each figure it adds, so only the spans taken before it (ISO dates, times) can
    # overlap a later token
    pre = sorted(taken) if taken else taken
    joined = False  # whether a figure is followed by "-", "to" or "and" (else no range to look for)
    triggers = _trigger_indices(lows)
    nt = len(triggers)
    ti = 0
    i = 0
    while True:
        ti = bisect_left(triggers, i, ti)
        if ti == nt:
            break
        i = triggers[ti]
        w = words[i]
        low = lows[i]
        if pre and not all(ends[i] <= a or starts[i] >= b for a, b in pre):
            i += 1
            continue
        c0 = w[0]
        if low == "a" or low == "an":
            if i + 1 >= n:
                i += 1
                continue
            nxt = lows[i + 1]  # a unit starts with one of UNIT_FIRST (unit_at's own first test)
            got_unit = unit_at(words, i + 1, after_digits=False) if nxt not in _A_NEXT and nxt in UNIT_FIRST else None
            if nxt not in _A_NEXT and got_unit is None:
                i += 1
                continue
        else:
            got_unit = None
        if (low in MONTHS or low in WEEKDAYS) if c0.isalpha() else (
                c0.isdigit() and i + 1 < n and (lows[i + 1] in MONTHS or words[i + 1] == "of")):
            date = date_at(text, words, starts, ends, i, ref)
            if date is not None:
                figs.append(date)
                toks.append((i, i))
                if i + 1 < n and words[i + 1] in _JOINS:
                    joined = True
                i = bisect_left(ends, date[4]) + 1
                continue
        if got_unit is not None:  # "a gallon", "a mile and a half" (not "a dozen": _A_NEXT)
            sym, used = got_unit
            end, value = i + used, 1.0
            if end + 3 < n and words[end + 1] == "and" and words[end + 2] in ("a", "an") and words[end + 3] == "half":
                end, value = end + 3, 1.5
            figs.append((value, "quantity", text[starts[i]:ends[end]], starts[i], ends[end], sym, sym, None, None))
            toks.append((i, end))
            if end + 1 < n and words[end + 1] in _JOINS:
                joined = True
            i = end + 1
            continue
        first = i
        unit: str | None = None
        cur = _currency_before(words, starts, ends, i) if (
            w in CURRENCY_SIGNS or low in DOLLAR_PREFIXES or w in CODE_PREFIXES) else None
        if cur is not None:
            unit, i = cur
            if i >= n:
                break
            if words[i] in _SIGNS and i + 1 < n and words[i + 1][:1].isdigit():  # "$-99.99"
                i += 1
            negative = words[i - 1] in _SIGNS
        else:
            if i and words[i - 1] in _SIGNS:
                first = _sign_before(words, starts, ends, i)
            negative = first < i  # the sign before is one of _SIGNS
            if w in _SIGNS:
                i += 1
                continue  # a sign alone: the number after it reads it back
        if (low == "minus" or low == "negative") and i + 1 < n and words[i + 1][:1].isdigit():
            negative, i = True, i + 1  # "minus 20 degrees"
        if (words[i].isdecimal() and plain_digits(words, i)
                and not (i + 1 < n and lows[i + 1] == "over")):  # "38 drones" alone, not through Digits (nor "1 over 3")
            value, end, ordinal, fraction, percent, glued, noun, in_words = (float(words[i]), i, False, False, False,
                                                                             None, None, False)
        else:
            num = _read_number(words, starts, ends, i, lows)
            if num is None:
                if c0.isdigit() and DOTTED_RE.fullmatch(w):
                    for part in w.split("."):  # "192.168.1.2": one count per number, sharing the token's span
                        figs.append((float(part), "count", w, starts[i], ends[i], None, None, None, None))
                        toks.append((i, i))
                    if i + 1 < n and words[i + 1] in _JOINS:
                        joined = True
                    i += 1
                    continue
                i = max(i, first) + 1
                continue
            value, end, ordinal, fraction, percent, glued, noun, in_words = num
        if negative:
            value = -value
        after = words[end + 1] if end + 1 < n else ""
        nxt = lows[end + 1] if end + 1 < n else ""
        if unit is None and after in CURRENCY_SIGNS and starts[end + 1] - ends[end] <= 1:
            unit, end = CURRENCY_SIGNS[after], end + 1  # "15€"
            nxt = lows[end + 1] if end + 1 < n else ""
        if glued == "m" and (unit is not None or (is_word(nxt) and nxt not in NOT_NOUN and unit_at(
                words, end + 1) is None)):
            value, glued = value * 1e6, None  # "£5.2m", "200m people": millions
        if in_words and end == i and not fraction and (low == "one" or low == "a" or low == "an") and (
                nxt in _PRONOUN_AFTER or (i and lows[i - 1] in _PRONOUN_BEFORE)):
            i = end + 1
            continue  # "one of", "the one": a pronoun
        span_end = end
        if unit is not None or (nxt in CURRENCY_WORDS and not ordinal):
            if unit is None:
                unit, span_end = CURRENCY_WORDS[nxt], end + 1
            fig: RawFigure = (value, "money", text[starts[first]:ends[span_end]], starts[first], ends[span_end], unit,
                              None, None, None)
        elif not ordinal and (percent or (nxt in _PERCENT_FIRST and _percent_after(words, end + 1))):
            span_end = end + (0 if percent else _percent_after(words, end + 1))
            fig = (value, "percent", text[starts[first]:ends[span_end]], starts[first], ends[span_end], "%", None,
                   None, None)
        elif ordinal:
            fig = (value, "ordinal", text[starts[first]:ends[end]], starts[first], ends[end], None,
                   noun_after(words, end + 1, lows)[0], None, None)
        else:
            qunit = glued
            if qunit is None and noun:
                got = unit_at([noun], 0)
                qunit = got[0] if got else None
            if qunit is None and noun is None and nxt in UNIT_FIRST:
                got = unit_at(words, end + 1, after_digits=not in_words)
                if got is not None:
                    qunit, span_end = got[0], end + got[1]
                    # "a mile and a half": handled above; "three and a half miles" is read by the words
            if qunit is not None:
                fig = (value, "quantity", text[starts[first]:ends[span_end]], starts[first], ends[span_end], qunit,
                       qunit, None, None)
            elif (not in_words and end == i and not noun and not negative and year_of(words[i]) and (
                    not (is_word(after) and nxt.endswith("s") and nxt not in NOT_NOUN))):
                fig = (value, "year", w, starts[i], ends[i], None, None, None, None)
            elif fraction and abs(value) < 1:
                fig = (value, "fraction", text[starts[first]:ends[end]], starts[first], ends[end], None, None, None,
                       None)
            else:
                counts = lemma(noun) if noun else noun_after(words, end + 1, lows)[0]
                fig = (value, "count", text[starts[first]:ends[end]], starts[first], ends[end], None, counts, None,
                       None)
        figs.append(fig)
        toks.append((first, span_end))
        if span_end + 1 < n and words[span_end + 1] in _JOINS:
            joined = True
        i = span_end + 1
    return _ranges(text, words, figs, toks) if joined else figs


_JOINS = frozenset(["-", "\u2013", "\u2014", "to", "and"])
_NUMERIC = frozenset(["count", "quantity", "money", "percent", "fraction"])
_DASH_ONLY = (["-"], ["\u2013"], ["\u2014"], ["-", "to"], ["\u2013", "to"])


def _ranges(text: str, words: list[str], figs: list[RawFigure], toks: list[tuple[int, int]]) -> list[RawFigure]:
    """``figs`` with a ``range`` figure after each pair of numbers joined as a range (module docstring)."""
    if len(figs) < 2:
        return figs
    out: list[RawFigure] = []
    k = 0
    while k < len(figs):
        f = figs[k]
        if k + 1 < len(figs) and f[1] in _NUMERIC and figs[k + 1][1] in _NUMERIC:
            g = figs[k + 1]
            a, b = toks[k][1] + 1, toks[k + 1][0]
            between = [w.lower() for w in words[a:b]]
            before = words[toks[k][0] - 1].lower() if toks[k][0] else ""
            fv, gv = f[0], g[0]
            ok = (between in _DASH_ONLY and isinstance(fv, float) and isinstance(gv, float) and fv < gv) or (
                between == ["to"] and (before in ("from", "between") or fv < gv)) or (  # type: ignore[operator]
                between == ["and"] and before == "between")
            if ok and (f[1] == g[1] or f[6] is None and f[5] is None):
                if f[1] != g[1] or (f[5] is None and f[6] is None):  # the first end takes the second's kind
                    f = (fv, g[1], f[2], f[3], f[4], g[5], g[6], f[7], f[8])
                lo, hi = sorted((float(fv), float(gv)))
                mid = (float(fv) + float(gv)) / 2
                out.extend([f, (mid, "range", text[f[3]:g[4]], f[3], g[4], g[5], g[6], lo, hi), g])  # in order
                k += 2
                continue
        out.append(f)
        k += 1
    return out
