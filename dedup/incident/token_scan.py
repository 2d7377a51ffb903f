"""The compiled tokenising of :func:`dedup.incident.analysis.analyse`: an article's term hashes, entities,
bags and passage windows in one kernel call (:mod:`dedup.incident._token_kernel`), the same arrays
as the Python path (``_WORD_RE.findall`` per unit, ``token_terms``, ``features.entities``,
``hashed_terms``, ``windows``).

The text (title, a line break, the text, then the lead) becomes one array of code points; each *unit*
(the title, a leading date header, each sentence, the lead) is tokenised on its own, as ``findall`` on
its substring, with a table of the regular expressions' classes (``\\w``, ``\\d``, ``\\s``) for every
code point of the Basic Multilingual Plane, read from ``re`` itself. A token's term is looked up by a
64-bit hash of its code points in a per-process table; entity names likewise, their hashes seeded
apart. The kernel reports what the table does not hold yet; that is learnt (``features.token_terms``,
``features.entity_name``) and the article read again. The table is started over past
``KNOWN_MAX`` entries. Two distinct tokens would have to share a hash to be confused (about
``m**2 / 2**65`` for ``m`` distinct tokens: 2**-27 at the table's largest). A text with code points
beyond the BMP (or lone surrogates) takes the Python path (:func:`article_parts` returns None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup.incident.features import entity_name, token_terms

__all__ = ["KNOWN_MAX", "article_parts"]

#: Distinct tokens the per-process table holds before it is started over.
KNOWN_MAX = 1 << 19
_CLASSES: np.ndarray | None = None
_KNOWN: Any = None


def _classes() -> np.ndarray:
    """``_token_kernel``'s class bits of every BMP code point, as ``re`` matches ``\\w``, ``\\d`` and ``\\s``."""
    global _CLASSES
    if _CLASSES is None:
        from dedup.incident._token_kernel import D, S, W, X

        every = "".join(map(chr, range(0x10000)))
        table = np.zeros(0x10000, np.uint8)
        for pattern, bit in ((r"\w+", W), (r"\d+", D), (r"\s+", S)):
            for m in re.finditer(pattern, every):
                table[m.start():m.end()] |= bit
        for ch in "'\u2019-":
            table[ord(ch)] |= X
        _CLASSES = table
    return _CLASSES


def _known() -> Any:
    """The per-process table: token hash -> ``(term hash, 1)``, or ``(0, 0)`` for a token without a term."""
    global _KNOWN
    if _KNOWN is None or len(_KNOWN) > KNOWN_MAX:
        from numba import types
        from numba.typed import Dict

        _KNOWN = Dict.empty(types.uint64, types.UniTuple(types.uint64, 2))
    return _KNOWN


def _learn(joined: str, misses: list[tuple[int, int, int, bool]], known: Any) -> None:
    """Put the terms of the tokens and entity names a scan did not know in ``known``: a token's is
    ``features.token_terms``'s, a name's ``E:`` and ``features.entity_name``'s."""
    from dedup.incident.analysis import term_hash

    todo = {(int(k), bool(e)): joined[int(s):int(t)] for s, t, k, e in misses}
    words = [(k, tok) for (k, e), tok in todo.items() if not e]
    terms: list[tuple[int, str | None]] = list(zip([k for k, _ in words], token_terms([t for _, t in words]),
                                                   strict=True))
    terms += [(k, None if (name := entity_name(tok)) is None else "E:" + name) for (k, e), tok in todo.items() if e]
    for k, t in terms:
        known[np.uint64(k)] = (np.uint64(0), np.uint64(0)) if t is None else (np.uint64(term_hash(t)), np.uint64(1))


def article_parts(title: str | None, full: str, sents: Sequence[Any], header: int, lead: str | None,
                  window: int) -> tuple[np.ndarray, ...] | None:
    """``(terms, counts, entities, lead terms, lead counts, spans, offsets, window terms)`` of an article
    (``full``: the title, a line break and the text, or the text; ``sents``: the text's sentences;
    ``header``: the length of its date header; ``lead``: its lead), as ``analysis.analyse`` makes them;
    None when the text needs the Python path (module docstring)."""
    from dedup.incident._token_kernel import analyse_article

    joined = full if lead is None else full + lead
    try:
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if cp.size and int(cp.max()) > 0xFFFF:
        return None
    nsent = len(sents)
    sent_start = np.fromiter((s.start for s in sents), dtype=np.int64, count=nsent)
    sent_end = np.fromiter((s.end for s in sents), dtype=np.int64, count=nsent)
    known = _known()
    args = (cp, sent_start, sent_end, len(title) if title else 0, header, len(full), lead is not None, window,
            _classes(), known)
    misses, arrays = analyse_article(*args)
    if arrays is None:  # tokens or names met for the first time: learnt, then read again
        _learn(joined, misses, known)
        misses, arrays = analyse_article(*args)
    assert arrays is not None
    return arrays
