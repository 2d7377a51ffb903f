"""Framing cues: attribution verbs, hedges, certainty words, loaded terms, anonymous sourcing, and how
the event itself is described ("action").

Word lists live in ``dedup/data/framing.toml`` (chosen by hand) and ``dedup/data/framing_learned.toml``
(learned from annotated training data by ``scripts/learn_framing.py``; its ``drop`` lists remove
built-in terms); users add their own TOML files of the same shape with ``--framing-words FILE`` or the
``DEDUP_FRAMING_WORDS`` environment variable (``drop`` works there too).
A term matches whole words, case-insensitively, but only in lower case inside a sentence (so "May"
the month is not the hedge "may"); a trailing ``*`` matches any word ending.

Attribution cues come from a token tagger (:mod:`dedup.diff.cues`) when one is shipped: the attribution
lists are one of its features, and terms a user file adds to (or drops from) ``[attribution]`` are
marked (or never marked) as before.

Per block, the marks that *differ* are those whose ``(category, term)`` occurs on one side more often
than on the other; for an unmatched sentence every mark differs.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dedup.diff.cues import CueTagger, default_tagger
from dedup.diff.model import FramingMark, Sentence, Side
from dedup.errors import InputError

ENV_VAR = "DEDUP_FRAMING_WORDS"
#: the category whose marks the tagger makes
CUES = "attribution"


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Framing terms by category, compiled to one regex per category; with a ``tagger``, attribution marks
    come from it (``user``: the pattern of attribution terms that user files added, always marked;
    ``dropped``: attribution terms that user files dropped, never marked)."""

    terms: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]
    tagger: CueTagger | None = None
    user: re.Pattern[str] | None = None
    dropped: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, list[str]]:
        return {c: list(ts) for c, ts in self.terms.items()}

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]], tagger: CueTagger | None = None,
                   user: Iterable[str] = (), dropped: Iterable[str] = ()) -> Lexicon:
        clean = {c: tuple(sorted({t.strip().lower() for t in ts if t.strip()}, key=lambda t: (-len(t), t)))
                 for c, ts in sorted(terms.items())}
        pats = {cat: _compile(ts) for cat, ts in clean.items() if ts}
        added = sorted({t.strip().lower() for t in user if t.strip()}, key=lambda t: (-len(t), t))
        return cls(clean, pats, tagger, _compile(added) if tagger and added else None,
                   frozenset(t.strip().lower() for t in dropped))


def _compile(terms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + _trie(terms) + r"(?![\w-])", re.IGNORECASE)


def _atoms(term: str) -> list[str]:
    """A term as regex atoms: one per character, a space as ``\\s+``, a trailing ``*`` as ``\\w*``."""
    star = term.endswith("*")
    out = [r"\s+" if c == " " else re.escape(c) for c in (term[:-1] if star else term)]
    return out + [r"\w*"] if star else out


def _trie(terms: Iterable[str]) -> str:
    """One regex for all ``terms``, shared prefixes factored out (a long list as a plain alternation is
    tried term by term at every position; as a trie it costs about one step per character). Longer
    continuations are tried first, as the longest-first alternation did."""
    root: dict[str, dict] = {}
    for t in terms:
        node = root
        for a in _atoms(t):
            node = node.setdefault(a, {})
        node[""] = {}

    def conv(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [a + conv(child) for a, child in sorted(node.items(), key=lambda kv: (kv[0] == r"\w*", kv[0]))
                    if a]
        if not branches:
            return ""
        if len(branches) == 1:
            return "(?:" + branches[0] + ")?" if end else branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if end else "")

    return conv(root)


def _parse(text: str, source: str) -> dict[str, tuple[list[str], list[str]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not a valid framing word list: {exc}", source=source,
                         line=int(m.group(1)) if m else None) from None
    out: dict[str, tuple[list[str], list[str]]] = {}
    for cat, body in data.items():
        terms = body.get("terms", []) if isinstance(body, dict) else None
        drop = body.get("drop", []) if isinstance(body, dict) else None
        if (not isinstance(terms, list) or not isinstance(drop, list) or not (terms or drop)
                or not all(isinstance(t, str) for t in terms + drop)):
            raise InputError(f"category [{cat}] needs 'terms = [\"...\", ...]' (a list of strings)", source=source)
        out[cat] = (terms, drop)
    return out


def _merge(into: dict[str, list[str]], parsed: dict[str, tuple[list[str], list[str]]]) -> None:
    for cat, (terms, drop) in parsed.items():
        gone = {t.strip().lower() for t in drop}
        into[cat] = [t for t in into.get(cat, []) if t.strip().lower() not in gone] + terms


def load_lexicon(extra: Iterable[str | os.PathLike[str]] = (), *, use_env: bool = True,
                 learned: bool = True, tagger: bool = True) -> Lexicon:
    """The built-in word lists (hand-chosen, then ``learned`` ones) plus ``extra`` files plus those named in
    ``$DEDUP_FRAMING_WORDS``; attribution cues by the shipped tagger unless ``tagger`` is False."""
    merged: dict[str, list[str]] = {}
    for name in ("framing.toml", "framing_learned.toml") if learned else ("framing.toml",):
        data = resources.files("dedup").joinpath(f"data/{name}")
        if data.is_file():
            _merge(merged, _parse(data.read_text(encoding="utf-8"), f"dedup/data/{name}"))
    paths = [str(p) for p in extra]
    if use_env and os.environ.get(ENV_VAR):
        paths += [p for p in os.environ[ENV_VAR].split(os.pathsep) if p]
    added: list[str] = []
    gone: list[str] = []
    for p in paths:
        try:
            text = Path(p).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read framing word list: {exc.__class__.__name__}", source=p) from None
        parsed = _parse(text, p)
        _merge(merged, parsed)
        terms, drop = parsed.get(CUES, ([], []))
        added += terms
        gone += drop
    return Lexicon.from_terms(merged, default_tagger() if tagger else None, added, gone)


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
        if cat == CUES and lexicon.tagger is not None:
            marks += _cue_marks(sentence, side, lexicon, pat)
            continue
        for m in pat.finditer(text):
            if m.group()[0].isupper() and m.start() != head:
                continue
            marks.append(FramingMark(side, sentence.index, cat, re.sub(r"\s+", " ", m.group().lower()),
                                     sentence.start + m.start(), sentence.start + m.end()))
    return sorted(marks, key=lambda k: (k.start, k.category))


def _cue_marks(sentence: Sentence, side: Side, lexicon: Lexicon, pat: re.Pattern[str]) -> list[FramingMark]:
    """Attribution marks by the tagger (the list matches as a feature), plus user-added terms."""
    text = sentence.text
    assert lexicon.tagger is not None
    spans = [(a, b) for a, b in lexicon.tagger.cues(text, [m.span() for m in pat.finditer(text)])
             if _norm(text[a:b]) not in lexicon.dropped]
    if lexicon.user is not None:
        spans += [m.span() for m in lexicon.user.finditer(text)
                  if not any(m.start() < b and a < m.end() for a, b in spans)]
    return [FramingMark(side, sentence.index, CUES, _norm(text[a:b]), sentence.start + a, sentence.start + b)
            for a, b in spans]


def _norm(term: str) -> str:
    return re.sub(r"\s+", " ", term.lower())


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
