"""The compiled tokenising of :func:`dedup.incident.analysis.analyse`: an article's term hashes, entities,
bags and passage windows in three kernel calls (:mod:`dedup.incident._token_kernel`), the same arrays
as the Python path (``_WORD_RE.findall`` per unit, ``token_terms``, ``features.entities``,
``hashed_terms``, ``windows``).

The text (title, a line break, the text, then the lead) becomes one array of code points; each *unit*
(the title, a leading date header, each sentence, the lead) is tokenised on its own, as ``findall`` on
its substring, with a table of the regular expression's classes (``\\w``, ``\\d``) for every code point
of the Basic Multilingual Plane, read from ``re`` itself. A token's term is looked up by a 64-bit hash
of its code points in a per-process table (filled by ``features.token_terms`` the first time a token is
met, started over past ``KNOWN_MAX`` tokens; entity names likewise, their hashes seeded apart); two
distinct tokens would have to share that hash to be
confused (about ``m**2 / 2**65`` for ``m`` distinct tokens: 2**-27 at the table's largest). A text
with code points beyond the BMP (or lone surrogates) takes the Python path (:func:`article_parts`
returns None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup.incident.features import STOP_WORDS, token_terms

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


def _learn(joined: str, found: tuple[np.ndarray, ...], known: Any, entity: bool) -> None:
    """Look up the terms of the tokens (``entity``: the entity names) a scan did not know, fill them in
    ``found`` and ``known``."""
    from dedup.incident._token_kernel import NONE, TERM, UNKNOWN
    from dedup.incident.analysis import term_hash

    start, end, _, key, term, state = found
    todo = np.flatnonzero(state == UNKNOWN)
    keys = key[todo].tolist()
    toks = [joined[s:e] for s, e in zip(start[todo].tolist(), end[todo].tolist(), strict=True)]
    if entity:  # ``features.entities`` of the name alone (no possessive: the names hold no apostrophe)
        terms: list[str | None] = [None if t in STOP_WORDS else "E:" + t for t in (x.lower() for x in toks)]
    else:
        terms = token_terms(toks)
    got: dict[int, tuple[int, int]] = {}
    for k, t in zip(keys, terms, strict=True):
        got[k] = (0, 0) if t is None else (term_hash(t), 1)
    for k, (h, has) in got.items():
        known[np.uint64(k)] = (np.uint64(h), np.uint64(has))
    term[todo] = np.array([got[k][0] for k in keys], dtype=np.uint64)
    state[todo] = np.array([TERM if got[k][1] else NONE for k in keys], dtype=np.uint8)


def article_parts(title: str | None, full: str, sents: Sequence[Any], header: int, lead: str | None,
                  window: int) -> tuple[np.ndarray, ...] | None:
    """``(terms, counts, entities, lead terms, lead counts, spans, offsets, window terms)`` of an article
    (``full``: the title, a line break and the text, or the text; ``sents``: the text's sentences;
    ``header``: the length of its date header; ``lead``: its lead), as ``analysis.analyse`` makes them;
    None when the text needs the Python path (module docstring)."""
    from dedup.incident._token_kernel import TERM, UNKNOWN, article_arrays, scan_entities, scan_units

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
    cls = _classes()
    found = scan_units(cp, ustart, uend, cls, known)
    if (found[5] == UNKNOWN).any():
        _learn(joined, found, known, False)
    # the entities of the title and text, then of the lead (each findall on its own string)
    named = scan_entities(cp, np.array([0, len(full)], np.int64), np.array([len(full), len(joined)], np.int64),
                          cls, known)
    if (named[5] == UNKNOWN).any():
        _learn(joined, named, known, True)
    has = named[5] == TERM
    return article_arrays(found[4], found[5], found[2], len(head_start), nsent, lead_unit, sent_start, sent_end,
                          named[4][has & (named[2] == 0)], named[4][has & (named[2] == 1)], window)
