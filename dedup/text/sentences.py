"""Sentence segmentation for news prose.

``split_sentences(text)`` returns :class:`Span` s ``(start, end, text, paragraph)`` with
``text == source[start:end]`` (stripped). Rules, in order:

* a line break ends a sentence (headlines, bullet-less lists, one-sentence lines); a blank line or
  a line break also starts a new paragraph;
* a leading `` date YYYY-MM-DD `` header (as in the sample corpus) is not a sentence;
* inside a line, a sentence ends after ``.``, ``!`` or ``?`` (plus closing quotes or brackets)
  when whitespace follows and the next word starts with a capital, a digit or an opening quote,
  unless the period closes an abbreviation ("Gen.", "Mr.", "Oct.", initials "J."), or a dotted
  abbreviation ("U.S.", "a.m.") that is followed by a word that does not usually start a sentence.
  Decimals ("1.5") never split because no whitespace follows the period; a list number ("1.", "a.")
  at the start of a line does not end a sentence. A full stop glued to the next sentence ("the
  party.Her car") splits when a lower-case word precedes and a capitalised word follows.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DATE_HEADER_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")

# Abbreviations that (almost) never end a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr", "cpl",
        "pvt", "rep", "sen", "gov", "pres", "supt", "insp", "det", "rev", "st", "jr", "sr", "mt", "ft",
        "fig", "no", "nos", "vol", "vs", "approx", "dept", "est", "inc", "ltd", "co", "corp", "bros",
        "messrs", "mme", "mlle", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec"
    ]
)
# Words that often start a sentence: after "U.S." or "a.m." they signal a boundary.
STARTERS = frozenset(
    [
        "the", "a", "an", "it", "he", "she", "they", "we", "i", "in", "on", "at", "but", "and", "this",
        "that", "these", "those", "there", "his", "her", "their", "its", "our", "after", "before", "when",
        "while", "however", "meanwhile", "officials", "police", "earlier", "later", "according"
    ]
)
# "[.!?][.!?]*", not "[.!?]+": a pattern that starts with a character set lets the engine skip to the marks
_BOUNDARY_RE = re.compile(r"[.!?][.!?]*[\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[]?[A-Z0-9\u00C0-\u024F])")
# a missing space after a full stop ("the party.Her car"): only after a lower-case word, before a capitalised one
_GLUED_RE = re.compile(r"[.!?](?<=[a-z]{2}[.!?])[\"\u201d\u2019]?(?=[\"\u201c]?[A-Z][a-z])")  # mark first: fast scan
#: both in one scan: their matches never overlap (a boundary needs whitespace after its marks and closers, a
#: glued mark a letter or quote), so the alternation finds both sets, in order
_MARK_RE = re.compile(f"{_BOUNDARY_RE.pattern}|{_GLUED_RE.pattern}")
_LIST_MARK_RE = re.compile(r"\s*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})\.")
_WORD_BEFORE_RE = re.compile(r"([^\s\"'\u2018\u201c(]*)$")
_NEXT_WORD_RE = re.compile(r"\.\s+[\"'\u2018\u201c]?([^\W\d_]+)")


class Span(NamedTuple):
    """A sentence: character offsets into the source, its stripped text and its paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "span": [self.start, self.end], "paragraph": self.paragraph}


def date_header(text: str) -> tuple[str | None, int]:
    """``(date, offset)`` of a leading `` date YYYY-MM-DD `` header, or ``(None, 0)``."""
    m = DATE_HEADER_RE.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


#: characters looked back from a full stop for the word it closes (longer "words" are no abbreviation)
_LOOKBACK = 64


def _word_before(line: str, dot: int) -> str:
    """The run of characters before ``line[dot]`` up to a space, quote or "(" (``_WORD_BEFORE_RE``), looked
    back a bounded window only: from the line start, long lines were quadratic. Found from the right with
    ``rsplit`` and ``rfind`` (``\\s`` is ``str.isspace``), not by trying each start position."""
    lo = max(0, dot - _LOOKBACK)
    space = line.rfind(" ", lo, dot)
    if space >= 0:  # most words: after a plain space, and neither a space nor a quote or bracket in them
        run = line[space + 1:dot]
        if run.isalnum():
            return run
    seg = line[lo:dot]
    if not seg or seg[-1].isspace():
        return ""
    run = seg.rsplit(None, 1)[-1]
    if run.isalnum():  # most words: no quote or bracket in them
        return run
    cut = max(run.rfind('"'), run.rfind("'"), run.rfind("\u2018"), run.rfind("\u201c"), run.rfind("("))
    return run[cut + 1:]


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the period at ``line[dot]`` closes an abbreviation rather than a sentence."""
    if line[dot] != ".":
        return False
    word = _word_before(line, dot)
    if not word:
        return False
    bare = word.rstrip(".").lower()
    if bare in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():  # initial "J."
        return True
    if "." in word and re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word):  # U.S / a.m / e.g
        nxt = _NEXT_WORD_RE.match(line, dot)
        return bool(nxt) and nxt.group(1).lower() not in STARTERS  # type: ignore[union-attr]
    return False


def _split_line(line: str) -> list[tuple[int, int]]:
    if "." not in line and "!" not in line and "?" not in line:  # both patterns need one
        return [(0, len(line))]
    out: list[tuple[int, int]] = []
    begin = 0
    for m in _MARK_RE.finditer(line):  # in order of their ends
        end = m.end()
        if end <= begin:
            continue
        dot = end - 1 if end - m.start() == 1 else _last_mark(line, m)  # (most marks: one ".")
        if line[dot] == ".":
            space = line.rfind(" ", max(0, dot - _LOOKBACK), dot)
            run = line[space + 1:dot] if space >= 0 else ""
            if run.isalnum():  # most words (as _word_before finds them): no dot, so no "U.S." to look at
                if run.lower() in ABBREVIATIONS or (len(run) == 1 and run.isalpha() and run.isupper()):
                    continue
            elif _is_abbreviation(line, dot):
                continue
        # "1. The first point": a list number (at most five characters after the spaces the pattern allows)
        if (end - begin <= 5 or line[begin].isspace()) and _LIST_MARK_RE.fullmatch(line, begin, end):
            continue
        out.append((begin, end))
        begin = end
    out.append((begin, len(line)))
    return out


def _last_mark(line: str, m: re.Match[str]) -> int:
    """Index of the last ``.!?`` of a boundary match."""
    stripped = m.group().rstrip("\"'\u2019\u201d)]")
    return m.start() + len(stripped) - 1


def split_sentences(text: str) -> list[Span]:
    """Sentences of ``text`` in order (see the module docstring for the rules)."""
    _, offset = date_header(text)
    spans: list[Span] = []
    new = tuple.__new__  # Span(*fields) without the Python-level __new__ of a NamedTuple
    paragraph = 0
    pos = offset
    seen_text = False
    for line in text[offset:].split("\n"):
        base = pos
        pos += len(line) + 1
        if not line or line.isspace():
            continue
        if seen_text:
            paragraph += 1
        seen_text = True
        for s, e in _split_line(line):
            chunk = line[s:e]
            left = chunk.lstrip()
            body = left.rstrip()
            if body:
                lead = len(chunk) - len(left)
                start = base + s + lead
                spans.append(new(Span, (start, start + len(body), body, paragraph)))
    return spans
