"""The compiled tokenising of :func:`dedup.incident.analysis.analyse`: an article's term hashes, bags and
passage windows in two kernel calls (:mod:`dedup.incident._token_kernel`), the same arrays as the
Python path (``_WORD_RE.findall`` per unit, ``token_terms``, ``hashed_terms``, ``windows``).

The text (title, a line break, the text, then the lead) becomes one array of code points; each *unit*
(the title, a leading date header, each sentence, the lead) is tokenised on its own, as ``findall`` on
its substring, with a table of the regular expression's classes (``\\w``, ``\\d``) for every code point
of the Basic Multilingual Plane, read from ``re`` itself. A token's term is looked up by a 64-bit hash
of its code points in a per-process table (filled by ``features.token_terms`` the first time a token is
met, started over past ``KNOWN_MAX`` tokens); two distinct tokens would have to share that hash to be
confused (about ``m**2 / 2**65`` for ``m`` distinct tokens: 2**-27 at the table's largest). A text
with code points beyond the BMP (or lone surrogates) takes the Python path (:func:`article_parts`
returns None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup.incident.features import entities, token_terms

__all__ = ["KNOWN_MAX", "article_parts"]

#: Distinct tokens the per-process table holds before it is started over.
KNOWN_MAX = 1 << 19
_CLASSES: np.ndarray | None = None
_KNOWN: Any = None
_EMPTY_H = np.zeros(0, dtype=np.uint64)


def _classes() -> np.ndarray:
    """``_token_kernel``'s class bits of every BMP code point, as ``re`` matches ``\\w`` and ``\\d``."""
    global _CLASSES
    if _CLASSES is None:
        from dedup.incident._token_kernel import D, W, X

        every = "".join(map(chr, range(0x10000)))
        table = np.zeros(0x10000, np.uint8)
        for pattern, bit in ((r"\w+", W), (r"\d+", D)):
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


def _learn(joined: str, found: tuple[np.ndarray, ...], known: Any) -> None:
    """Look up the terms of the tokens ``scan_units`` did not know, fill them in ``found`` and ``known``."""
    from dedup.incident._token_kernel import NONE, TERM, UNKNOWN
    from dedup.incident.analysis import term_hash

    start, end, _, key, term, state = found
    todo = np.flatnonzero(state == UNKNOWN)
    keys = key[todo].tolist()
    toks = [joined[s:e] for s, e in zip(start[todo].tolist(), end[todo].tolist(), strict=True)]
    got: dict[int, tuple[int, int]] = {}
    for k, t in zip(keys, token_terms(toks), strict=True):
        got[k] = (0, 0) if t is None else (term_hash(t), 1)
    for k, (h, has) in got.items():
        known[np.uint64(k)] = (np.uint64(h), np.uint64(has))
    term[todo] = np.array([got[k][0] for k in keys], dtype=np.uint64)
    state[todo] = np.array([TERM if got[k][1] else NONE for k in keys], dtype=np.uint8)


def _entity_hashes(text: str) -> np.ndarray:
    from dedup.incident.analysis import term_hash

    return np.fromiter((term_hash("E:" + e) for e in entities(text)), dtype=np.uint64)


def article_parts(title: str | None, full: str, sents: Sequence[Any], header: int, lead: str | None,
                  window: int) -> tuple[np.ndarray, ...] | None:
    """``(terms, counts, entities, lead terms, lead counts, spans, offsets, window terms)`` of an article
    (``full``: the title, a line break and the text, or the text; ``sents``: the text's sentences;
    ``header``: the length of its date header; ``lead``: its lead), as ``analysis.analyse`` makes them;
    None when the text needs the Python path (module docstring)."""
    from dedup.incident._token_kernel import UNKNOWN, article_arrays, scan_units

    joined = full if lead is None else full + lead
    try:
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if cp.size and int(cp.max()) > 0xFFFF:
        return None
    off = len(title) + 1 if title else 0
    nsent = len(sents)
    sent_start = np.fromiter((s.start for s in sents), dtype=np.int64, count=nsent)
    sent_end = np.fromiter((s.end for s in sents), dtype=np.int64, count=nsent)
    head_start = ([0] if title else []) + ([off] if header else [])
    head_end = ([len(title)] if title else []) + ([off + header] if header else [])
    lead_unit = -1 if lead is None else len(head_start) + nsent
    tail = ([len(full)], [len(joined)]) if lead is not None else ([], [])
    ustart = np.concatenate((np.array(head_start, np.int64), sent_start + off, np.array(tail[0], np.int64)))
    uend = np.concatenate((np.array(head_end, np.int64), sent_end + off, np.array(tail[1], np.int64)))
    known = _known()
    found = scan_units(cp, ustart, uend, _classes(), known)
    if (found[5] == UNKNOWN).any():
        _learn(joined, found, known)
    lead_ents = _EMPTY_H if lead is None else _entity_hashes(lead)
    return article_arrays(found[4], found[5], found[2], len(head_start), nsent, lead_unit, sent_start, sent_end,
                          _entity_hashes(full), lead_ents, window)
