"""Dates and times for the figure extractor: ISO dates, clock times, month-day resolution.

``resolve_day(10, 31, None, ref=date(2023, 11, 7))`` -> "2023-10-31": a date without a year takes the
reference year, or the year before when that would put it more than 31 days after the reference;
without a reference it is "--10-31" (ISO 8601 without year). Times are normalised to 24 h "HH:MM".
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from dedup.text.numwords import MONTHS, WEEKDAYS

TIME_RE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])(?:\.\s?m\b\.?|m\b)"  # 11 pm, 7 a.m., 1.35pm
                     r"|\b(\d{1,2}):(\d{2})\b(?![:.,]\d)")  # 23:00
ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# what a match of each needs, with a digit first (a regex that starts with a character set skips ahead to it;
# one that starts with "\b" is tried at every position): no hint, no match
_TIME_HINT_RE = re.compile(r"\d(?:[:.]\d\d)?\s*[ap][.m]|\d:\d\d")
_ISO_HINT_RE = re.compile(r"\d-\d\d-\d")
_DAY_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR_RE = re.compile(r"1[89]\d\d|20\d\d|2100")
#: a date as ``figure_scan`` keeps figures (its ``RawFigure``)
DateFigure = tuple[str, str, str, int, int, None, None, None, None]


@lru_cache(maxsize=1 << 14)  # pure; an article's dates recur (its own date, the days around it)
def resolve_day(month: int, day: int, year: int | None, ref: _dt.date | None) -> str:
    """ISO date of ``day``/``month`` (``year`` or resolved against ``ref``); "" when not a real date."""
    if year is None and ref is not None:
        year = ref.year
        try:
            if _dt.date(year, month, day) > ref + _dt.timedelta(days=31):
                year -= 1
        except ValueError:
            pass
    try:
        if year is not None:
            return _dt.date(year, month, day).isoformat()
        _dt.date(2000, month, day)
        return f"--{month:02d}-{day:02d}"
    except ValueError:
        return ""


def day_of_month(tok: str) -> int | None:
    """1..31 from "31" or "31st", else None."""
    m = _DAY_RE.fullmatch(tok)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def year_of(tok: str) -> int | None:
    """A year 1800..2100 written as four digits, else None."""
    return int(tok) if _YEAR_RE.fullmatch(tok) else None


def iso_dates_and_times(text: str) -> list[tuple[str, str, str, int, int]]:
    """``(value, kind, surface, start, end)`` of every ISO date ("date") and clock time ("time") in ``text``."""
    out: list[tuple[str, str, str, int, int]] = []
    if "-" in text and _ISO_HINT_RE.search(text):  # an ISO date has two
        out.extend(_iso_dates(text))
    if (":" in text or "am" in text or "pm" in text or "a." in text or "p." in text) and _TIME_HINT_RE.search(text):
        out.extend(_times(text))
    return out


def _iso_dates(text: str) -> list[tuple[str, str, str, int, int]]:
    out: list[tuple[str, str, str, int, int]] = []
    for m in ISO_RE.finditer(text):
        val = resolve_day(int(m.group(2)), int(m.group(3)), int(m.group(1)), None)
        if val:
            out.append((val, "date", m.group(), m.start(), m.end()))
    return out


def _times(text: str) -> list[tuple[str, str, str, int, int]]:
    out: list[tuple[str, str, str, int, int]] = []
    for m in TIME_RE.finditer(text):
        if m.group(1):
            h, mi, ap = int(m.group(1)), m.group(2), m.group(3)
        else:
            h, mi, ap = int(m.group(4)), m.group(5), None
        h = (h % 12 + (12 if ap.lower() == "p" else 0)) if ap else h
        surface = m.group().rstrip()
        if h < 24 and int(mi or 0) < 60:
            out.append((f"{h:02d}:{int(mi or 0):02d}", "time", surface, m.start(), m.start() + len(surface)))
    return out


def date_at(text: str, words: list[str], starts: list[int], ends: list[int], i: int,
            ref: _dt.date | None) -> DateFigure | None:
    """A date starting at token ``i``: "October 31(, 2023)", "Oct. 31st", "31 October 2023", "October 2023",
    a capitalised weekday; as a raw figure ``(value, "date", text, start, end, None, None, None, None)``."""
    w = words[i]
    low = w.lower()
    n = len(words)
    nxt = words[i + 1] if i + 1 < n else ""
    if low in MONTHS and not (w == "May" and day_of_month(nxt) is None) and w[0].isupper() | (low != w):
        j = i + 1 + (nxt == ".")
        d = day_of_month(words[j]) if j < n else None
        if d is not None:
            end, year = j, None
            k = j + 1 + (j + 1 < n and words[j + 1] == ",")
            if k < n and year_of(words[k]):
                end, year = k, year_of(words[k])
            val = resolve_day(MONTHS[low], d, year, ref)
            if val:
                return val, "date", text[starts[i]:ends[end]], starts[i], ends[end], None, None, None, None
        if j < n and year_of(words[j]):
            return (f"{year_of(words[j])}-{MONTHS[low]:02d}", "date", text[starts[i]:ends[j]], starts[i], ends[j], None,
                    None, None, None)
    if day_of_month(w) is not None:
        j = i + 1 + (nxt.lower() == "of")
        if j < n and words[j].lower() in MONTHS and words[j][0].isupper():
            end, year = j + (j + 1 < n and words[j + 1] == "."), None
            if end + 1 < n and year_of(words[end + 1]):
                end, year = end + 1, year_of(words[end + 1])
            val = resolve_day(MONTHS[words[j].lower()], day_of_month(w) or 1, year, ref)
            if val:
                return val, "date", text[starts[i]:ends[end]], starts[i], ends[end], None, None, None, None
    if low in WEEKDAYS and w[0].isupper():
        val = low if ref is None else _weekday_before(ref, WEEKDAYS[low])
        return val, "date", w, starts[i], ends[i], None, None, None, None
    return None


@lru_cache(maxsize=1 << 12)
def _weekday_before(ref: _dt.date, weekday: int) -> str:
    """ISO date of the last ``weekday`` (0 = Monday) on or before ``ref``."""
    return (ref - _dt.timedelta(days=(ref.weekday() - weekday) % 7)).isoformat()
