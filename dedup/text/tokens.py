"""Word tokens with character spans, keeping numbers ("1,200", "1.5", "38-drone", "£2bn", "11:00") whole.

A token is a maximal run matched, in order of preference, by: a number with thousands separators,
decimals, times or a hyphenated suffix (optionally with a currency sign before and a scale or
percent after); a word with inner apostrophes, hyphens or dots (``U.S.``, ``Russia's``,
``anti-aircraft``); or one punctuation character. Whitespace is never a token.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_APOS = "'\u2019"
TOKEN_RE = re.compile(
    r"[$£€¥]?\d+(?:[.,:]\d+)*(?:st|nd|rd|th|%|bn|m|k)?(?:-[^\W\d_]+)*"  # numbers, "38-drone", "$5", "31st"
    r"|(?:[^\W\d_]\.){2,}"  # U.S. / a.m.
    rf"|[^\W_]+(?:[{_APOS}\-][^\W_]+)*"  # words, Russia's, anti-aircraft
    r"|[^\w\s]",  # one punctuation character
)


class Token(NamedTuple):
    """A token: its surface ``text`` and its ``start``/``end`` character offsets."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "span": [self.start, self.end]}


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order, with spans (``text[start:end] == token.text``)."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def words(text: str) -> list[str]:
    """The surface strings of :func:`tokenize`."""
    return [m.group() for m in TOKEN_RE.finditer(text)]


def is_punct(token: str) -> bool:
    """True when ``token`` holds no letter or digit."""
    return not any(ch.isalnum() for ch in token)


_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-",
                       "\u2013": "-", "\u00a0": " "})


def fold_token(token: str) -> str:
    """Case- and quote-folded form of a token, used to decide whether a change is trivial."""
    return unicodedata.normalize("NFKC", token).translate(_FOLD).casefold()
