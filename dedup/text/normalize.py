"""Text normalisation that keeps what the diff needs.

``normalize(text)``: Unicode NFKC, curly quotes / primes unified to ``'`` and ``"``, dashes and minus
signs unified to ``-``, invisible characters (zero-width, soft hyphen, BOM) removed, every run of
whitespace collapsed to one space, ends stripped. Digits are kept as they are (figures are the point).

``fold(text)``: ``normalize`` then ``str.casefold`` -- for hashing (shingles) only, never for display.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalize"]

_TRANSLATE = str.maketrans({
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"},
    **{c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
})
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, quotes and dashes unified, invisible characters dropped, whitespace collapsed; digits kept."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """``normalize(text).casefold()``: the form that is hashed into shingles."""
    return normalize(text).casefold()
