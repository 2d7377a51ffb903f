"""Numba kernels of :mod:`dedup.incident.token_scan` (imported only where Numba is installed).

:func:`scan_units` finds the ``features._WORD_RE`` tokens of an article's units (``re.findall`` on each
unit's substring, emulated on code points with a class table) and looks up each token's term hash in a
per-process table; :func:`scan_entities` does the same for ``features._ENTITY_RE``'s names;
:func:`article_arrays` makes the document bag, the lead bag and the passage windows from the terms
found, as ``analysis.hashed_terms`` and ``analysis.windows`` make them; :func:`analyse_article` runs
the three on one article in one call (a call from Python costs microseconds an argument).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from dedup.near._kernels import fmix64 as _fmix64

__all__ = ["UNKNOWN", "analyse_article", "article_arrays", "scan_entities", "scan_units"]

#: the GIL is kept: the kernels read the per-process table that Python writes between calls, so two
#: threads analysing at once (a Dask worker's threads) never read it while it is being written
_jit = nb.njit(cache=True)

#: class bits of a code point: ``\w``, ``\d``, one of ``'`` ``\u2019`` ``-``, ``\s``
W, D, X, S = 1, 2, 4, 8
_UNDERSCORE = 95
#: a token's state: its term is known (0), it has none (1), not yet looked up (2)
TERM, NONE, UNKNOWN = 0, 1, 2
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_ENTITY_OFFSET = np.uint64(0x9E3779B97F4A7C15)  # the keys of entities start elsewhere than tokens'
#: code points of ``.!?:"'\u201c\u2018`` (before one space) and ``.!?:`` (before two) that keep an entity
#: from starting a sentence
_AFTER_ONE = (46, 33, 63, 58, 34, 39, 0x201C, 0x2018)
_AFTER_TWO = (46, 33, 63, 58)
#: the lower-case particles inside a name (``al``, ``de``, ``bin``, ``van``, ``von``), as code points
_PARTICLES = ((97, 108, 0), (100, 101, 0), (98, 105, 110), (118, 97, 110), (118, 111, 110))
_FNV_PRIME = np.uint64(0x100000001B3)


@_jit
def _token_end(cp, p, hi, cls):  # pragma: no cover - compiled
    """End of the ``_WORD_RE`` match at ``p`` (the findall of ``cp[..hi]``), or ``p`` for none."""
    c = cp[p]
    f = cls[c]
    if not f & W or c == _UNDERSCORE:
        return p
    last = -1
    q = p + 1
    if not f & D:  # a letter: [^\W\d_][\w'\u2019-]*[^\W_] (the longest), else the letter alone
        while q < hi:
            c2 = cp[q]
            g = cls[c2]
            if not g & (W | X):
                break
            if g & W and c2 != _UNDERSCORE:
                last = q
            q += 1
        return last + 1 if last > p else p + 1
    while q < hi:  # a digit: \d[\d,.]*\d (the longest), else the digit alone; then st|nd|rd|th
        c2 = cp[q]
        if cls[c2] & D:
            last = q
        elif c2 != 44 and c2 != 46:
            break
        q += 1
    end = last + 1 if last > p else p + 1
    if end + 2 <= hi:
        a, b = cp[end], cp[end + 1]
        if (a == 115 and b == 116) or (a == 110 and b == 100) or (a == 114 and b == 100) or (a == 116 and b == 104):
            end += 2
    return end


@_jit
def _lower_run(cp, q, hi):  # pragma: no cover - compiled
    """End of the run of ``[a-z]`` from ``q``."""
    while q < hi and 97 <= cp[q] <= 122:
        q += 1
    return q


@_jit
def _entity_end(cp, p, lo, hi, cls):  # pragma: no cover - compiled
    """End of the ``features._ENTITY_RE`` match at ``p`` (its findall on ``cp[lo:hi]``), or ``p`` for
    none: a capitalised word not at the start, not after a word character or a line break, nor after
    ``.!?:`` or a quote and a space, nor ``.!?:`` and two spaces; then ``[ -]`` and a capitalised word or
    a particle, again and again (the pattern's last group adds nothing: its words are the first's)."""
    c = cp[p]
    if c < 65 or c > 90 or p == lo:
        return p
    b = cp[p - 1]
    if cls[b] & W or b == 10:
        return p
    if cls[b] & S and p - 2 >= lo:
        a = cp[p - 2]
        for x in _AFTER_ONE:
            if a == x:
                return p
        if cls[a] & S and p - 3 >= lo:
            for x in _AFTER_TWO:
                if cp[p - 3] == x:
                    return p
    end = _lower_run(cp, p + 1, hi)
    if end == p + 1:
        return p
    while end < hi and (cp[end] == 32 or cp[end] == 45):
        r = end + 1
        if r < hi and 65 <= cp[r] <= 90:
            q = _lower_run(cp, r + 1, hi)
            if q == r + 1:
                break
            end = q
            continue
        nxt = -1
        for word in _PARTICLES:
            size = 2 if word[2] == 0 else 3
            if r + size <= hi and cp[r] == word[0] and cp[r + 1] == word[1] and (size == 2 or cp[r + 2] == word[2]):
                nxt = r + size
                break
        if nxt < 0:
            break
        end = nxt
    return end


@_jit
def _look_up(cp, p, e, u, offset, known, start, end, unit, key, term, state, n):  # pragma: no cover - compiled
    """Record the token ``cp[p:e]`` of unit ``u`` as entry ``n`` (key from ``offset``; term from ``known``)."""
    h = offset
    for r in range(p, e):
        h = (h ^ np.uint64(cp[r])) * _FNV_PRIME
    h = _fmix64(h ^ np.uint64(e - p))
    start[n], end[n], unit[n], key[n] = p, e, u, h
    if h not in known:
        state[n] = UNKNOWN
    else:
        got = known[h]
        term[n] = got[0]
        state[n] = TERM if got[1] else NONE


@_jit
def _found(cap):  # pragma: no cover - compiled
    return (np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap, np.uint64),
            np.zeros(cap, np.uint64), np.empty(cap, np.uint8))


@_jit
def _scan(cp, ustart, uend, cls, known, entity):  # pragma: no cover - compiled
    """The tokens (``entity``: the names) of every unit with their keys and terms (:func:`scan_units`)."""
    cap = 1
    for u in range(ustart.size):
        cap += uend[u] - ustart[u]
    start, end, unit, key, term, state = _found(cap)
    offset = _ENTITY_OFFSET if entity else _FNV_OFFSET
    n = 0
    for u in range(ustart.size):
        lo, hi = ustart[u], uend[u]
        p = lo
        while p < hi:
            e = _entity_end(cp, p, lo, hi, cls) if entity else _token_end(cp, p, hi, cls)
            if e == p:
                p += 1
                continue
            _look_up(cp, p, e, u, offset, known, start, end, unit, key, term, state, n)
            n += 1
            p = e
    return start[:n], end[:n], unit[:n], key[:n], term[:n], state[:n]


@_jit
def scan_entities(cp, ustart, uend, cls, known):  # pragma: no cover - compiled
    """:func:`scan_units` for the ``features._ENTITY_RE`` matches of each unit (keys apart from tokens')."""
    return _scan(cp, ustart, uend, cls, known, True)


@_jit
def scan_units(cp, ustart, uend, cls, known):  # pragma: no cover - compiled
    """``(start, end, unit, key, term, state)`` of every token of every unit ``cp[ustart[u]:uend[u]]``, in
    order: ``key`` a 64-bit hash of the token's code points (FNV-1a, then fmix64, with its length),
    ``term`` and ``state`` from ``known`` (key -> ``(term hash, has term)``), ``UNKNOWN`` where absent."""
    return _scan(cp, ustart, uend, cls, known, False)


@_jit
def _runs(sorted_values):  # pragma: no cover - compiled
    """Unique values of a sorted array and their counts."""
    m = sorted_values.size
    vals = np.empty(m, np.uint64)
    cnt = np.zeros(m, np.int64)
    k = -1
    for i in range(m):
        if k < 0 or sorted_values[i] != vals[k]:
            k += 1
            vals[k] = sorted_values[i]
        cnt[k] += 1
    return vals[:k + 1], cnt[:k + 1]


@_jit
def _bag(words, ents):  # pragma: no cover - compiled
    """``(terms, counts, entity terms)``: the sorted unique words and entities with their counts (a word
    before an entity of the same hash: the stable sort of ``hashed_terms``)."""
    wv, wc = _runs(np.sort(words))
    ev, ec = _runs(np.sort(ents))
    m = wv.size + ev.size
    terms = np.empty(m, np.uint64)
    counts = np.empty(m, np.int64)
    i = j = 0
    for k in range(m):
        if j >= ev.size or (i < wv.size and wv[i] <= ev[j]):
            terms[k], counts[k] = wv[i], wc[i]
            i += 1
        else:
            terms[k], counts[k] = ev[j], ec[j]
            j += 1
    return terms, counts, ev


@_jit
def _split(term, state, unit, apart):  # pragma: no cover - compiled
    """The known terms of a scan, in order: those of the units other than ``apart``, and those of ``apart``."""
    rest = np.empty(term.size, np.uint64)
    own = np.empty(term.size, np.uint64)
    nr = no = 0
    for t in range(term.size):
        if state[t] != TERM:
            continue
        if unit[t] == apart:
            own[no] = term[t]
            no += 1
        else:
            rest[nr] = term[t]
            nr += 1
    return rest[:nr], own[:no]


@_jit
def article_arrays(term, state, unit, first_sent, nsent, lead_unit, sent_start, sent_end, ents, lead_ents,
                   window):  # pragma: no cover - compiled
    """The document bag (units before ``lead_unit``), the lead bag (unit ``lead_unit``) and the passage
    windows of sentences ``0 .. nsent - 1`` (units ``first_sent ..``; window ``k`` holds sentences
    ``k .. k + window - 1``, one window for ``nsent <= window``) as ``(terms, counts, entity terms,
    lead terms, lead counts, spans, offsets, window terms)``."""
    m = term.size
    words, lead = _split(term, state, unit, lead_unit)
    terms, counts, ev = _bag(words, ents)
    lead_terms, lead_counts, _ = _bag(lead, lead_ents)
    if nsent == 0:
        return (terms, counts, ev, lead_terms, lead_counts, np.zeros((0, 2), np.int64), np.zeros(1, np.int64),
                np.zeros(0, np.uint64))
    nwin = 1 if nsent <= window else nsent - window + 1
    per = 1 if nsent <= window else window  # sentences a window spans
    spans = np.empty((nwin, 2), np.int64)
    for k in range(nwin):
        spans[k, 0] = sent_start[k]
        spans[k, 1] = sent_end[nsent - 1 if nsent <= window else k + window - 1]
    # the terms of each sentence, in order: sentence s's are sterm[sptr[s]:sptr[s + 1]]
    sptr = np.zeros(nsent + 1, np.int64)
    sterm = np.empty(m, np.uint64)
    q = 0
    for t in range(m):
        s = unit[t] - first_sent
        if state[t] == TERM and 0 <= s < nsent:
            sterm[q] = term[t]
            sptr[s + 1] += 1
            q += 1
    for s in range(nsent):
        sptr[s + 1] += sptr[s]
    offsets = np.zeros(nwin + 1, np.int64)
    out = np.empty(q * per, np.uint64)
    o = 0
    for k in range(nwin):
        lo = sptr[k]
        hi = sptr[nsent] if nsent <= window else sptr[k + window]
        part = np.sort(sterm[lo:hi])
        for i in range(part.size):
            if i == 0 or part[i] != part[i - 1]:
                out[o] = part[i]
                o += 1
        offsets[k + 1] = o
    return terms, counts, ev, lead_terms, lead_counts, spans, offsets, out[:o].copy()


@_jit
def _misses(found, entity, miss):  # pragma: no cover - compiled
    """Append the unknown entries of a scan to ``miss`` (start, end, key, entity) and count them."""
    start, end, _, key, _, state = found
    k = 0
    for t in range(state.size):
        if state[t] == UNKNOWN:
            miss.append((start[t], end[t], key[t], entity))
            k += 1
    return k


@_jit
def analyse_article(cp, sent_start, sent_end, title_len, header, full_len, has_lead, window, cls,
                    known):  # pragma: no cover - compiled
    """Everything :func:`scan_units`, :func:`scan_entities` and :func:`article_arrays` make of one
    article in one call: ``cp`` holds the title (``title_len`` code points, 0 for none), a line break,
    the text (its date header ``header`` long, its sentences ``sent_start``/``sent_end``), ``full_len``
    code points in all, then the lead when ``has_lead``. Returns ``(misses, arrays)``: the tokens and
    names not in ``known`` as ``(start, end, key, is entity)`` (then ``arrays`` is None: learn them, call
    again), else no misses and the eight arrays of :func:`article_arrays`."""
    off = title_len + 1 if title_len > 0 else 0
    nsent = sent_start.size
    nhead = (1 if title_len > 0 else 0) + (1 if header > 0 else 0)
    nunit = nhead + nsent + (1 if has_lead else 0)
    ustart = np.empty(nunit, np.int64)
    uend = np.empty(nunit, np.int64)
    u = 0
    if title_len > 0:
        ustart[u], uend[u] = 0, title_len
        u += 1
    if header > 0:
        ustart[u], uend[u] = off, off + header
        u += 1
    for s in range(nsent):
        ustart[u], uend[u] = sent_start[s] + off, sent_end[s] + off
        u += 1
    if has_lead:
        ustart[u], uend[u] = full_len, cp.size
    found = scan_units(cp, ustart, uend, cls, known)
    estart = np.array([0, full_len], np.int64)
    eend = np.array([full_len, cp.size], np.int64)
    named = scan_entities(cp, estart, eend, cls, known)
    miss = [(np.int64(0), np.int64(0), np.uint64(0), False) for _ in range(0)]
    if _misses(found, False, miss) + _misses(named, True, miss) > 0:
        return miss, None
    ents, lead_ents = _split(named[4], named[5], named[2], 1)  # (unit 0: the title and text, 1: the lead)
    lead_unit = nhead + nsent if has_lead else -1
    return miss, article_arrays(found[4], found[5], found[2], nhead, nsent, lead_unit, sent_start, sent_end,
                                ents, lead_ents, window)
