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
from dataclasses import dataclass, replace
from typing import Any

from dedup.text.dates import day_of_month, iso_dates_and_times, resolve_day, year_of
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
from dedup.text.sentences import date_header, split_sentences
from dedup.text.tokens import TOKEN_RE, Token


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
PLACE_PREPS = frozenset(["over", "in", "near", "above", "across", "outside", "around", "inside", "into"])
PLACE_TAIL = frozenset([
    "region", "regions", "oblast", "province", "district", "city", "area", "areas", "border", "territory"
])
NOT_NOUN = frozenset([
    "were", "was", "are", "is", "be", "been", "being", "had", "have", "has", "will", "would",
    "could", "can", "may", "might", "must", "do", "did", "does", "of", "each", "over", "in", "on",
    "at", "to", "from", "by", "with", "and", "or", "but", "nor", "than", "the", "a", "an", "per",
    "who", "which", "that", "those", "these", "this", "more", "less", "fewer", "most", "other",
    "others", "additional", "closer", "further", "about", "some", "all", "both", "either",
    "another", "such", "so", "as", "out", "up", "down", "off", "into", "onto", "its", "their",
    "his", "her", "our", "your", "my", "not", "no", "yet", "also", "just", "only", "still", "then",
    "percent", "per-cent", "cent", "times", "time", "ago", "earlier", "later", "previously",
    "aboard", "apiece", "away", "overall", "together", "altogether", "total", "them", "us", "you",
    "it", "him", "me", "they", "we", "he", "she", "whom", "for", "against", "after", "before", "since",
    "during", "under", "near", "through", "across", "around", "among", "between", "within", "without",
    "toward", "towards", "if", "when", "while", "because", "though", "although", "where", "there", "here",
])
PLURALS = frozenset(["people", "men", "women", "children", "police", "troops", "personnel", "staff"])
GENERIC_HEADS = frozenset([
    "aircraft", "system", "systems", "unit", "units", "device", "devices", "type", "types", "model",
    "models"
])
_ADJ_SUFFIXES = ("ed", "al", "ian", "ive", "ous", "ful", "ic", "ish", "ese", "ing", "ary", "ble")
#: Lower-case tokens that can start a figure besides a digit or currency sign (and "twenty-five": "-").
_TRIGGERS = frozenset([*NUMBER_WORDS, *MONTHS, *WEEKDAYS, "a"])
_DIGIT_START = frozenset("$£€¥")
#: Letter runs (lower-case) a figure's first token can be or start with ("a dozen": "dozen" counts).
_TRIGGER_RUNS = _TRIGGERS - {"a"} | {"dozen", "hundred", "thousand", "million", "billion"}
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_DIGIT_RE = re.compile(r"\d")


def _may_hold_figures(sentence: str) -> bool:
    """False only when ``sentence`` holds no figure: every figure needs a digit or a number, month or
    weekday word as a whole letter run (without digits in the sentence, a token never starts inside one)."""
    return bool(_DIGIT_RE.search(sentence)) or not _TRIGGER_RUNS.isdisjoint(
        _LETTER_RUN_RE.findall(sentence.lower()))


def _is_word(tok: str) -> bool:
    return tok[:1].isalpha()


def _plural(w: str) -> bool:
    low = w.lower()
    return low in PLURALS or (len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")))


def _noun_after(toks: list[Token], j: int) -> tuple[str | None, int]:
    """Head noun lemma of the phrase starting at token ``j`` (skipping modifiers) and its token index.

    Capitalised words modify ("38 Ukrainian drones") unless plural and last ("two Singaporeans");
    a singular word followed by a plural one is a compound whose head is the plural ("cruise missiles").
    """
    if j < len(toks) and toks[j].text.lower() == "of" and j + 1 < len(toks):  # "six of the drones"
        j += 1
        if toks[j].text.lower() in ("the", "those", "these", "its", "their"):
            j += 1
    k = j
    while k < len(toks) and k - j < 4:
        w = toks[k].text
        low = w.lower()
        if not _is_word(w) or low in NOT_NOUN or (low.endswith("ly") and low not in ("family", "ally")):
            return None, -1
        nxt = toks[k + 1].text if k + 1 < len(toks) else ""
        nxt_ok = _is_word(nxt) and nxt.lower() not in NOT_NOUN and not nxt.lower().endswith("ly")
        nxt_content = nxt_ok and (nxt[0].islower() or (_plural(nxt) and not nxt.isupper()))
        acronym = w.rstrip("s").isupper() and len(w) > 1  # UAVs, AADF
        proper = w[0].isupper() and not acronym
        modifier = (proper and not _plural(w)) or (low.endswith(_ADJ_SUFFIXES) and not low.endswith("s"))
        if modifier and nxt_content:
            k += 1
            continue
        if proper and not _plural(w):
            return None, -1
        if acronym or len(low) < 2:
            return (lemma(low) if acronym else None), k
        if not _plural(w) and nxt_content and _plural(nxt) and nxt.lower() not in GENERIC_HEADS:
            return lemma(nxt), k + 1  # noun compound: "cruise missiles" -> missile
        return lemma(low), k
    return None, -1


def _places(toks: list[Token], j: int, stop: int, distributive: bool) -> list[str]:
    """Capitalised places after the first place preposition in ``toks[j:stop]`` that has one.

    "over the Belgorod region" -> Belgorod; "in Russia's Kursk region" -> Kursk; with ``distributive``,
    "over Voronezh and Crimea" -> both.
    """
    for p in range(j, stop):
        if toks[p].text.lower() in PLACE_PREPS:
            found = _place_list(toks, p + 1, stop, distributive)
            if found:
                return found
    return []


def _place_list(toks: list[Token], k: int, stop: int, distributive: bool) -> list[str]:
    """Places coordinated from ``toks[k]``: each one with ``distributive``; else one joint place.

    Without "each", "two over Lipetsk and Ryazan" counts two in all over both: the figure is bound to
    the joint place "Lipetsk and Ryazan" (names sorted, so word order does not matter), and only when
    the list ends with "and" ("in Gaza, Israel said" binds Gaza alone).
    """
    places: list[str] = []
    conns: list[str] = []
    while k < stop:
        if toks[k].text.lower() == "the":
            k += 1
            continue
        run: list[str] = []
        while k < stop and _is_word(toks[k].text) and toks[k].text[0].isupper():
            word = toks[k].text
            if word.endswith(("'s", "\u2019s")):  # "Russia's Kursk region": the place is Kursk
                run = [] if k + 1 < stop and toks[k + 1].text[:1].isupper() else [word[:-2]]
            else:
                run.append(word)
            k += 1
        while run and run[-1].lower() in PLACE_TAIL:
            run.pop()
        while k < stop and toks[k].text.lower() in PLACE_TAIL:
            k += 1
        if not run or run[0].lower() in MONTHS or run[0].lower() in WEEKDAYS:
            break
        places.append(" ".join(run))
        if k < stop and toks[k].text.lower() in ("and", ","):
            conn = toks[k].text.lower()
            k += 1
            if k < stop and toks[k].text.lower() == "and":
                conn = "and"
                k += 1
            conns.append(conn)
            continue
        break
    if distributive or len(places) < 2:
        return places
    if conns[len(places) - 2] != "and":
        return places[:1]
    return [" and ".join(sorted(places))]


def _scan_sentence(text: str, toks: list[Token], ref: _dt.date | None, taken: list[tuple[int, int]],
                   sentence: int) -> list[Figure]:
    """Every figure of one sentence's tokens, with counts and places bound (no inheritance yet)."""
    figs: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(fig: Figure) -> None:
        taken.append((fig.start, fig.end))
        figs.append(fig)

    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        low = t.text.lower()
        trigger = t.text[0].isdigit() or t.text[0] in _DIGIT_START or low in _TRIGGERS or "-" in low
        if not trigger or not free(t.start, t.end):  # the branches below skip any other token
            i += 1
            continue
        nxt = toks[i + 1].text if i + 1 < n else ""
        # dates: "October 31(, 2023)", "Oct. 31st", "31 October 2023", "October 2023", weekdays
        if low in MONTHS and not (t.text == "May" and day_of_month(nxt) is None):
            j = i + 1 + (nxt == ".")
            d = day_of_month(toks[j].text) if j < n else None
            if d is not None:
                end, year = j, None
                k = j + 1 + (j + 1 < n and toks[j + 1].text == ",")
                if k < n and year_of(toks[k].text):
                    end, year = k, year_of(toks[k].text)
                val = resolve_day(MONTHS[low], d, year, ref)
                if val:
                    add(Figure(val, "date", text[t.start:toks[end].end], t.start, toks[end].end,
                               sentence=sentence))
                    i = end + 1
                    continue
            if j < n and year_of(toks[j].text):
                add(Figure(f"{year_of(toks[j].text)}-{MONTHS[low]:02d}", "date",
                           text[t.start:toks[j].end], t.start, toks[j].end, sentence=sentence))
                i = j + 1
                continue
        if day_of_month(t.text) is not None:
            j = i + 1 + (nxt.lower() == "of")
            if j < n and toks[j].text.lower() in MONTHS:
                end, year = j + (j + 1 < n and toks[j + 1].text == "."), None
                if end + 1 < n and year_of(toks[end + 1].text):
                    end, year = end + 1, year_of(toks[end + 1].text)
                val = resolve_day(MONTHS[toks[j].text.lower()], day_of_month(t.text) or 1, year, ref)
                if val:
                    add(Figure(val, "date", text[t.start:toks[end].end], t.start, toks[end].end,
                               sentence=sentence))
                    i = end + 1
                    continue
        if low in WEEKDAYS and t.text[0].isupper():
            val = low
            if ref is not None:
                back = (ref.weekday() - WEEKDAYS[low]) % 7
                val = (ref - _dt.timedelta(days=back)).isoformat()
            add(Figure(val, "date", t.text, t.start, t.end, sentence=sentence))
            i += 1
            continue
        m = _NUM_RE.match(t.text)
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
            after = toks[end + 1].text.lower() if end + 1 < n else ""
            span = (t.start, toks[end].end)
            if sign or after in CURRENCY_WORDS:
                unit = CURRENCY_SIGNS.get(sign) or CURRENCY_WORDS[after]
                if not sign:
                    end += 1
                add(Figure(value, "money", text[t.start:toks[end].end], t.start, toks[end].end, unit=unit,
                           sentence=sentence))
            elif suffix == "%" or after in ("%", "percent") or (after == "per" and end + 2 < n
                                                                 and toks[end + 2].text == "cent"):
                end += {"%": 0, "percent": 1, "per": 2}[suffix if suffix == "%" else after]
                add(Figure(value, "percent", text[t.start:toks[end].end], t.start, toks[end].end, unit="%",
                           sentence=sentence))
            elif suffix in ("st", "nd", "rd", "th"):
                counts, _ = _noun_after(toks, end + 1)
                add(Figure(value, "ordinal", text[span[0]:span[1]], *span, counts=counts, sentence=sentence))
            elif year_of(digits) and not hyph and end == i and not (
                    _is_word(after) and after.endswith("s") and after not in NOT_NOUN):
                add(Figure(value, "year", t.text, t.start, t.end, sentence=sentence))
            else:
                counts = lemma(hyph.strip("-").split("-")[0]) if hyph else _noun_after(toks, end + 1)[0]
                add(Figure(value, "count", text[span[0]:span[1]], *span, counts=counts, sentence=sentence))
            i = end + 1
            continue
        parsed = parse_number_words([x.text for x in toks[i:i + 6]])
        if parsed is not None:
            value, used, ordinal = parsed
            end = i + used - 1
            prev = toks[i - 1].text.lower() if i else ""
            after = toks[end + 1].text.lower() if end + 1 < n else ""
            if low == "one" and used == 1 and (after in ("of", "another", "day", "way", "thing") or prev in (
                    "no", "any", "every", "the", "this", "that", "which", "someone", "anyone", "each")):
                i += 1
                continue
            if after in CURRENCY_WORDS and not ordinal:
                add(Figure(value, "money", text[t.start:toks[end + 1].end], t.start, toks[end + 1].end,
                           unit=CURRENCY_WORDS[after], sentence=sentence))
                i = end + 2
                continue
            counts, _ = _noun_after(toks, end + 1)
            add(Figure(value, "ordinal" if ordinal else "count", text[t.start:toks[end].end], t.start,
                       toks[end].end, counts=counts, sentence=sentence))
            i = end + 1
            continue
        i += 1
    return figs


def _antecedent(recent: list[Figure], fig: Figure, sentence: int) -> Figure | None:
    """The count an elliptical figure ("34 were downed") refers to: the latest one of the last three
    sentences that counts no place-like noun and is at least as large (a part is not larger than its whole)."""
    for prev in reversed(recent):
        if sentence - (prev.sentence or 0) > 3:
            return None
        if prev.counts not in PLACE_TAIL and isinstance(prev.value, float) and prev.value >= float(fig.value):
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
    recent: list[Figure] = []
    for si, sent in enumerate(split_sentences(text)):
        if not _may_hold_figures(sent.text):
            continue
        taken: list[tuple[int, int]] = []
        pre = [Figure(value, kind, surface, sent.start + st, sent.start + en, sentence=si)
               for value, kind, surface, st, en in iso_dates_and_times(sent.text)]
        taken.extend((f.start, f.end) for f in pre)
        # = tokenize(sent.text) shifted by sent.start (TOKEN_RE has no look-around)
        toks = [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text, sent.start, sent.end)]
        figs = sorted(pre + _scan_sentence(text, toks, ref, taken, si), key=lambda f: (f.start, f.end))
        if not figs:
            continue
        starts = [t.start for t in toks]
        dates = [f for f in figs if f.kind == "date"]
        bound: list[Figure] = []
        for idx, f in enumerate(figs):
            if f.kind not in ("count", "ordinal"):
                bound.append(f)
                continue
            when: str | None = str(min(dates, key=lambda d: abs(d.start - f.start)).value) if dates else None
            counts = f.counts
            if counts is None and f.kind == "count":
                ante = _antecedent(recent, f, si)
                if ante is not None:
                    counts, when = ante.counts, when or ante.when
            stop_at = next((g.start for g in figs[idx + 1:] if g.start >= f.end), sent.end)
            ti = bisect_left(starts, f.end) if f.end < toks[-1].end else len(toks)
            stop = next((k for k in range(ti, len(toks))
                         if toks[k].start >= stop_at or toks[k].text in (";", "while")), len(toks))
            prep = next((k for k in range(ti, stop) if toks[k].text.lower() in PLACE_PREPS), stop)
            distributive = any(toks[k].text.lower() == "each" for k in range(ti, prep))  # "two (drones) each over"
            places = _places(toks, ti, stop, distributive) or [None]  # type: ignore[list-item]
            for place in places:
                g = replace(f, counts=counts, where=place, when=when)
                bound.append(g)
            if counts is not None and f.kind == "count":
                recent.append(replace(f, counts=counts, when=when))
        out.extend(bound)
    return out
