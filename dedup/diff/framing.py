"""Framing cues: attribution verbs, hedges, certainty words, loaded terms, anonymous sourcing, and how
the event itself is described ("action").

Word lists live in ``dedup/data/framing.toml`` (package data); users add their own TOML files of the
same shape with ``--framing-words FILE`` or the ``DEDUP_FRAMING_WORDS`` environment variable.
A term matches whole words, case-insensitively, but only in lower case inside a sentence (so "May"
the month is not the hedge "may"); a trailing ``*`` matches any word ending.

Per block, the marks that *differ* are those whose ``(category, term)`` occurs on one side more often
than on the other; for an unmatched sentence every mark differs.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dedup.diff.model import FramingMark, Sentence, Side
from dedup.errors import InputError

ENV_VAR = "DEDUP_FRAMING_WORDS"


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Framing terms by category, compiled to one regex per category."""

    terms: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]

    def to_dict(self) -> dict[str, list[str]]:
        return {c: list(ts) for c, ts in self.terms.items()}

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]]) -> Lexicon:
        clean = {c: tuple(sorted({t.strip().lower() for t in ts if t.strip()}, key=lambda t: (-len(t), t)))
                 for c, ts in sorted(terms.items())}
        pats = {}
        for cat, ts in clean.items():
            alts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) for t in ts]
            alts = [a.replace(r"\ ", r"\s+") for a in alts]
            if alts:
                pats[cat] = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)
        return cls(clean, pats)


def _parse(text: str, source: str) -> dict[str, list[str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not a valid framing word list: {exc}", source=source,
                         line=int(m.group(1)) if m else None) from None
    out: dict[str, list[str]] = {}
    for cat, body in data.items():
        terms = body.get("terms") if isinstance(body, dict) else None
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise InputError(f"category [{cat}] needs 'terms = [\"...\", ...]' (a list of strings)", source=source)
        out[cat] = terms
    return out


def load_lexicon(extra: Iterable[str | os.PathLike[str]] = (), *, use_env: bool = True) -> Lexicon:
    """The built-in word lists plus ``extra`` files plus those named in ``$DEDUP_FRAMING_WORDS``."""
    builtin = resources.files("dedup").joinpath("data/framing.toml").read_text(encoding="utf-8")
    merged: dict[str, list[str]] = _parse(builtin, "dedup/data/framing.toml")
    paths = [str(p) for p in extra]
    if use_env and os.environ.get(ENV_VAR):
        paths += [p for p in os.environ[ENV_VAR].split(os.pathsep) if p]
    for p in paths:
        try:
            text = Path(p).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read framing word list: {exc.__class__.__name__}", source=p) from None
        for cat, terms in _parse(text, p).items():
            merged.setdefault(cat, []).extend(terms)
    return Lexicon.from_terms(merged)


_DEFAULT: Lexicon | None = None


def default_lexicon() -> Lexicon:
    """The built-in lists plus ``$DEDUP_FRAMING_WORDS`` (loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_lexicon()
    return _DEFAULT


def find_marks(sentence: Sentence, side: Side, lexicon: Lexicon) -> list[FramingMark]:
    """Framing marks in one sentence; spans are character offsets into the article (like the sentence's)."""
    text = sentence.text
    head = len(text) - len(text.lstrip("\"'\u2018\u201c(["))
    marks = []
    for cat, pat in lexicon.patterns.items():
        for m in pat.finditer(text):
            if m.group()[0].isupper() and m.start() != head:
                continue
            marks.append(FramingMark(side, sentence.index, cat, re.sub(r"\s+", " ", m.group().lower()),
                                     sentence.start + m.start(), sentence.start + m.end()))
    return sorted(marks, key=lambda k: (k.start, k.category))


def differing(marks_a: list[FramingMark], marks_b: list[FramingMark]) -> list[FramingMark]:
    """Marks of either side whose (category, term) the other side has fewer of."""
    ca = Counter((m.category, m.term) for m in marks_a)
    cb = Counter((m.category, m.term) for m in marks_b)
    out = []
    for marks, mine, other in ((marks_a, ca, cb), (marks_b, cb, ca)):
        seen: Counter[tuple[str, str]] = Counter()
        for m in marks:
            key = (m.category, m.term)
            seen[key] += 1
            if seen[key] > other[key]:
                out.append(m)
    return out


def summary(marks: list[FramingMark]) -> dict[str, dict[str, int]]:
    """Per side, the count of marks by category: ``{"a": {"hedge": 2, ...}, "b": {...}}``."""
    out: dict[str, dict[str, int]] = {"a": {}, "b": {}}
    for m in marks:
        out[m.side][m.category] = out[m.side].get(m.category, 0) + 1
    return {s: dict(sorted(c.items())) for s, c in out.items()}
