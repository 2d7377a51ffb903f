"""Numbers written with digits, for the figure extractor: tokens and their values.

``FIG_TOKEN_RE`` splits a sentence into the tokens figures are read from: numbers keep what is glued to
them ("1,800km", "10k", "31st", "38-drone", "4.2%", "1e10", "2½"), words keep inner hyphens and
apostrophes, everything else is one character. ``read_digits(words, starts, ends, i)`` reads the number
starting at token ``i``: separators ("12,500", "12 500"), exponents ("-12e-1"), scales
("1.5 million", "3bn", "5k", "322 hundred", "3 dozens"), fractions ("3/4", "2 1/4", "10 1/2", "½").
Signs and currency signs before it are the caller's.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import NamedTuple

from dedup.text.units import unit_of_suffix

FIG_TOKEN_RE = re.compile(
    # 1,200 / 4.2% / 1,800km / 38-drone / 1e10 / 12.32e+14 / 192.168.1.2 / 11:00 (read apart by read_digits)
    r"\d+(?:[.,:]\d+)*(?:[eE][+-]?\d+(?!\w))?(?:%|[^\W\d_]+)?(?:-[^\W\d_]+)*"
    r"|(?:[^\W\d_]\.){2,}"  # U.S. / a.m.
    r"|[^\W_]+(?:['\u2019\-][^\W_]+)*"  # words, Russia's, anti-aircraft
    r"|[^\w\s]"  # one punctuation character
)
#: ``FIG_TOKEN_RE`` rewritten to match the same tokens faster: "X*" as "(?:XX*|)" and "X?" as "(?:X|)" (an
#: alternative that fails on its first character costs nothing, a group repeat is set up even when it
#: repeats nothing), "X+" as "XX*" and the two alternatives that start with a letter ("U.S.", words: a
#: digit starts a number) as one, so each alternative starts with one character class, tested first
_L, _LN = r"[^\W\d_]", r"[^\W_]"
_FAST_TOKEN_PATTERN = (rf"\d\d*(?:[.,:]\d+(?:[.,:]\d+)*|)(?:[eE][+-]?\d+(?!\w)|)(?:%|{_L}{_L}*|)(?:-{_L}+(?:-{_L}+)*|)"
                       rf"|{_L}(?:\.{_L}\.(?:{_L}\.)*|{_LN}*(?:['\u2019\-]{_LN}+(?:['\u2019\-]{_LN}+)*|))"
                       r"|[^\w\s]")
_SPLIT_RE = re.compile("(" + _FAST_TOKEN_PATTERN + ")")  # split: gap, token, gap, ..., token, gap
#: the same for an ASCII sentence, with ASCII classes (what ``\w``, ``\d`` and ``\s`` match below 128: ``\s`` is
#: also "\x1c".."\x1f"): a bitmap test per character instead of a Unicode category lookup, a third faster
_ASCII_CLASSES = [(r"[^\W\d_]", "[A-Za-z]"), (r"[^\W_]", "[0-9A-Za-z]"), (r"[^\w\s]", r"[^0-9A-Za-z_\t-\r\x1c- ]"),
                  (r"(?!\w)", "(?![0-9A-Za-z_])"), (r"\d", "[0-9]")]
_ascii_pattern = _FAST_TOKEN_PATTERN
for _cls, _ascii in _ASCII_CLASSES:
    _ascii_pattern = _ascii_pattern.replace(_cls, _ascii)
_SPLIT_ASCII_RE = re.compile("(" + _ascii_pattern + ")")
_PARTS_RE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(%|[^\W\d_]+)?((?:-[^\W\d_]+)*)")
_EXP_RE = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
DOTTED_RE = re.compile(r"\d+(?:\.\d+){2,}")
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
          "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
SUFFIX_SCALES = {"k": 1e3, "K": 1e3, "M": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "B": 1e9, "bln": 1e9,
                 "G": 1e9, "T": 1e12, "tn": 1e12, "trn": 1e12}
WORD_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
               "mn": 1e6, "m": 1e6, "k": 1e3, "K": 1e3, "dozen": 12.0, "dozens": 12.0, "thousands": 1e3,
               "millions": 1e6, "quadrillion": 1e15}
ORDINAL_SUFFIXES = frozenset(["st", "nd", "rd", "th"])
#: proper fractions written with a slash are read as fractions only over these denominators ("9/11" is not)
_DENOMINATORS = frozenset([2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100])


def tokens(sentence: str) -> tuple[list[str], list[int], list[int]]:
    """``FIG_TOKEN_RE`` tokens of ``sentence`` as three lists: texts, starts and ends (the split keeps the
    gaps, so the summed lengths of the gaps and tokens give every span)."""
    pieces = (_SPLIT_ASCII_RE if sentence.isascii() else _SPLIT_RE).split(sentence)
    bounds = list(accumulate(map(len, pieces)))
    return pieces[1::2], bounds[0:-1:2], bounds[1::2]


class Digits(NamedTuple):
    """A number just read (from digits, or from words when ``words``): value, last token used, and what
    was glued to it."""

    value: float
    end: int
    ordinal: bool = False
    fraction: bool = False
    percent: bool = False
    unit: str | None = None  # a unit glued to the digits ("km"), or "m" (metres or millions: the caller decides)
    noun: str | None = None  # the hyphenated noun ("38-drone" -> "drone")
    words: bool = False


#: ``Digits(*fields)`` without the Python-level ``__new__`` of a NamedTuple (every field given, in order)
_new = tuple.__new__


def _frac(words: list[str], starts: list[int], ends: list[int], k: int) -> tuple[float, int] | None:
    """A proper fraction "3/4" (no spaces) at token ``k``: its value and last token, or None."""
    if k + 2 >= len(words) + 0 or not (words[k].isdecimal() and words[k + 1] == "/" and words[k + 2].isdecimal()):
        return None
    if ends[k] != starts[k + 1] or ends[k + 1] != starts[k + 2]:
        return None
    if k + 3 < len(words) and words[k + 3] == "/":  # 10/31/2023
        return None
    num, den = int(words[k]), int(words[k + 2])
    if den not in _DENOMINATORS or num >= den or num == 0:
        return None
    return num / den, k + 2


#: what, after digits, makes them more than a plain number ("5 million", "3/4", "2 ½")
_NOT_PLAIN_AFTER = frozenset([*WORD_SCALES, "/", *VULGAR])


def plain_digits(words: list[str], i: int) -> bool:
    """Whether the decimal digits of token ``i`` are a number alone, as ``read_digits`` reads them first:
    nothing after them scales them ("5 million"), makes a fraction ("3/4", "2 ½", "2 1/2") or a group of
    thousands ("12 500")."""
    n = len(words)
    if i + 1 == n:
        return True
    nxt = words[i + 1]
    return not (nxt in _NOT_PLAIN_AFTER or (len(nxt) == 3 and nxt.isdecimal()) or i + 2 < n and words[i + 2] == "/")


def read_digits(words: list[str], starts: list[int], ends: list[int], i: int) -> Digits | None:
    """The number whose digits start token ``i`` (see the module docstring), or None."""
    w = words[i]
    n = len(words)
    nxt = words[i + 1] if i + 1 < n else ""
    if w.isdecimal() and plain_digits(words, i):
        return _new(Digits, (float(w), i, False, False, False, None, None, False))  # the common case: "38 drones"
    m = _PARTS_RE.fullmatch(w)
    if m is None:
        return Digits(float(w), i) if _EXP_RE.fullmatch(w) else None
    digits, suffix, hyph = m.groups()
    value = float(digits.replace(",", ""))
    noun = hyph.strip("-").split("-")[0].lower() if hyph else None
    end = i
    ordinal = percent = fraction = False
    unit: str | None = None
    if suffix:
        if suffix in ORDINAL_SUFFIXES:
            ordinal = True
        elif suffix == "%":
            percent = True
        elif suffix in SUFFIX_SCALES:
            value *= SUFFIX_SCALES[suffix]
        elif suffix == "m":
            unit = "m"  # "200m": metres, or a million (the caller knows from what follows)
        elif suffix in VULGAR:
            value += VULGAR[suffix]
            fraction = True
        elif unit_of_suffix(suffix):
            unit = unit_of_suffix(suffix)
        else:
            return None  # "1990s", "9pm", "2a": not a figure here
    if not suffix and not hyph:
        if nxt == "/":
            got = _frac(words, starts, ends, i)
            if got is not None:
                return Digits(got[0], got[1], fraction=True)
        plain = digits.isdecimal()
        # "12 500": groups of three digits after one space
        if plain and len(digits) <= 3 and len(nxt) == 3 and nxt.isdecimal():
            k = i
            while (k + 1 < n and len(words[k + 1]) == 3 and words[k + 1].isdecimal() and starts[k + 1] - ends[k] == 1
                   and not (k + 2 < n and words[k + 2] in ("/", ".", ",") and starts[k + 2] == ends[k + 1]
                            and k + 3 < n and words[k + 3][:1].isdecimal())):
                k += 1
                value = value * 1000 + float(words[k])
            end = k
        # "2 1/4", "10 1/2": a whole number and a proper fraction
        if plain and end == i and nxt and starts[i + 1] > ends[i]:
            if i + 2 < n and words[i + 2] == "/":
                got = _frac(words, starts, ends, i + 1)
                if got is not None:
                    return Digits(value + got[0], got[1], fraction=True)
            if nxt in VULGAR:
                return Digits(value + VULGAR[nxt], i + 1, fraction=True)
        if end != i:
            nxt = words[end + 1] if end + 1 < n else ""
        scale = WORD_SCALES.get(nxt)
        if scale is not None and nxt in ("m", "k", "K") and (nxt == "m" or end + 2 < n and words[end + 2][:1].isalpha()):
            scale = None  # "5 m" is five metres; "5 k" before a word is not a thousand
        if scale is not None:
            value *= scale
            end += 1
            # "322 hundred", "2.5 million": a second scale multiplies ("1.5 hundred thousand" is rare)
            if nxt == "hundred" and end + 1 < n and words[end + 1] in ("thousand", "million", "billion"):
                value *= WORD_SCALES[words[end + 1]]
                end += 1
    return _new(Digits, (value, end, ordinal, fraction, percent, unit, noun, False))
