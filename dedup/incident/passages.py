"""Passage reuse: MinHash + LSH over sentence windows, verified by IDF-weighted overlap.

A *passage* is a window of ``window`` consecutive sentences (stride 1; a shorter article is one
window). Its feature set is its content words and numbers (``dedup.incident.features.content_words``),
hashed to 64 bits, so a reworded report that keeps its names and figures still shares most features.

1. MinHash signatures of every passage (``dedup.near.minhash.signatures``), LSH banding with
   ``optimal_params(lsh_threshold, num_perm)``: passages of *different* articles in one bucket are
   candidates.
2. Each candidate is verified by the IDF-weighted Jaccard ``sum_{t in A&B} idf(t) / sum_{t in A|B} idf(t)``
   (document-frequency IDF of the corpus): it is kept at ``>= min_overlap``, with its spans (and
   ``rapidfuzz.fuzz.token_set_ratio`` for display, computed when shown).
3. *Spread*: a passage matched in ``k`` articles (itself included) is background or boilerplate when
   ``k`` is large; its evidence is scaled by ``log(N / k) / log(N / 2)`` (1 when only the pair shares it).

The *passages* part of a pair's score is the best verified, spread-weighted overlap of its passages.

Speed: a sentence's features are looked up per distinct token (``sentence_terms``); terms get ids in
sorted order, each term is hashed once, signatures come from one flat array, and candidates are
verified in blocks as row-wise products of sparse rows (sums in term order: the same on every run).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dedup.incident.blocks import in_order
from dedup.incident.features import _WORD_RE, sorted_unique, token_terms
from dedup.incident.passage_matches import Passage, PassageMatch, PassageMatches, passage_score
from dedup.incident.passage_verify import verify as _verify
from dedup.near.lsh import MAX_BUCKET, candidate_pairs, optimal_params
from dedup.near.minhash import band_keys_flat
from dedup.text.scoped import ScopedCache
from dedup.text.sentences import split_sentences

__all__ = ["PASSAGE_BUCKET", "Passage", "PassageMatch", "PassageMatches", "match_passages", "match_windows",
           "passage_score", "passages", "sentence_terms", "weighted_jaccard"]


def passages(text: str, doc: int, *, window: int = 2) -> list[Passage]:
    """The sentence windows of one article (stride 1)."""
    return [p for p, _ in _windows(text, doc, window)]


#: sentence text -> its terms, inside ``SENTENCE_TERMS.scope()`` (one corpus's windows): a sentence that
#: recurs (wire copies, boilerplate) is tokenised once
SENTENCE_TERMS: ScopedCache[str, frozenset[str]] = ScopedCache(1 << 15)


def sentence_terms(text: str) -> frozenset[str]:
    """``set(content_words(text))``, with each distinct token's term computed once per process (and each
    distinct sentence's terms once in a ``SENTENCE_TERMS`` scope)."""
    return SENTENCE_TERMS.get(text, _sentence_terms)


def _sentence_terms(text: str) -> frozenset[str]:
    out = set(token_terms(_WORD_RE.findall(text)))
    out.discard(None)
    return frozenset(out)  # type: ignore[arg-type]  # None removed


def _window_terms(text: str, window: int) -> list[tuple[int, int, frozenset[str]]]:
    """``(start, end, terms)`` of each sentence window of ``text`` (each sentence tokenised once)."""
    sents = split_sentences(text)
    if not sents:
        return []
    words = [sentence_terms(s.text) for s in sents]
    if len(sents) <= window:
        return [(sents[0].start, sents[-1].end, frozenset().union(*words))]
    return [(sents[k].start, sents[k + window - 1].end, words[k].union(*words[k + 1:k + window]))
            for k in range(len(sents) - window + 1)]


def _windows(text: str, doc: int, window: int) -> list[tuple[Passage, frozenset[str]]]:
    """Sentence windows with their feature sets."""
    return [(Passage(doc, s, e, text[s:e]), terms) for s, e, terms in _window_terms(text, window)]


#: Match ends :func:`_spreads` sorts at a time (their partner codes: 16 bytes each).
SPREAD_PART = 1 << 22


def _spreads(u: np.ndarray, v: np.ndarray, unit_doc: np.ndarray, n: int) -> np.ndarray:
    """Spread weight of each match ``(u[k], v[k])``: ``log(n / k) / log(n / 2)`` (at least 0), ``k`` the
    articles either passage is matched in, itself included (1 when ``n <= 2``)."""
    if n <= 2:
        return np.ones(len(u))
    nd = int(unit_doc.max()) + 1 if unit_doc.size else 1
    du, dv = unit_doc[u], unit_doc[v]
    other = du != dv  # a passage's articles: its own and those of the passages it matches
    count = np.ones(unit_doc.size, dtype=np.int64)  # itself, then its distinct partner articles, counted a
    step = max(1, -(-unit_doc.size * SPREAD_PART // max(1, 2 * len(u))))  # range of units at a time
    for lo in range(0, unit_doc.size, step):
        hi = min(unit_doc.size, lo + step)
        mu, mv = other & (u >= lo) & (u < hi), other & (v >= lo) & (v < hi)
        partners = sorted_unique(np.concatenate(((u[mu].astype(np.int64) - lo) * nd + dv[mu],
                                                 (v[mv].astype(np.int64) - lo) * nd + du[mv])))
        count[lo:hi] += np.bincount(partners // nd, minlength=hi - lo)
    del du, dv, other
    k = np.maximum(count[u], count[v])
    norm = np.log(n / 2.0)
    present = np.zeros(int(k.max(initial=0)) + 1, dtype=bool)  # the distinct counts, without sorting them all
    present[k] = True
    uniq = np.flatnonzero(present)
    table = np.zeros(present.size)
    table[uniq] = [float(max(0.0, np.log(n / c)) / norm) for c in uniq.tolist()]
    return table[k]


def _candidates(keys: np.ndarray, unit_doc: np.ndarray, max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """``candidate_pairs(keys)`` without the pairs of one article, as sorted unique codes ``u * n + v``
    (``u < v``, ``n`` units).

    Compiled where Numba is available: the pairs of each band's buckets are made in one loop and only
    those of two articles kept, sorted, and the bands' runs merged pairwise as a binary counter (a run
    is merged into the one below once that one is at most twice its size), so each pair is merged about
    log2(bands) times rather than once per later band; no hash-based ``np.unique`` over all of them. The
    bands are made on the threads of ``blocks.in_order`` (the merges here meanwhile), merged in band order."""
    from dedup.near import jit

    n = len(unit_doc)
    if not jit.use():
        cands = candidate_pairs(keys, max_bucket=max_bucket)
        cands = cands[unit_doc[cands[:, 0]] != unit_doc[cands[:, 1]]]
        return cands[:, 0] * n + cands[:, 1]
    from dedup.incident._kernels import bucket_pairs
    from dedup.incident._passage_kernel import merge_runs

    def band(j: int) -> np.ndarray:  # one band's pairs of two articles, sorted (a band holds each once)
        col = keys[:, j]
        order = np.argsort(col, kind="stable").astype(np.int64)
        sk = col[order]
        starts = np.concatenate(([0], np.flatnonzero(sk[1:] != sk[:-1]) + 1)).astype(np.int64)
        lens = np.diff(np.append(starts, n))
        multi = lens >= 2
        out = bucket_pairs(order, starts[multi], lens[multi], unit_doc, max_bucket)
        out.sort()
        return out

    runs: list[np.ndarray] = []  # sorted unique runs, each less than half the size of the one below
    for got in in_order(band, range(keys.shape[1] if n >= 2 else 0)):
        runs.append(got)
        del got
        while len(runs) >= 2 and runs[-2].size <= 2 * runs[-1].size:  # a binary counter: each pair is
            last = runs.pop()  # merged about log2(bands) times
            runs.append(merge_runs(runs.pop(), last))
    while len(runs) >= 2:
        last = runs.pop()
        runs.append(merge_runs(runs.pop(), last))
    if not runs:
        return np.empty(0, dtype=np.int64)
    return runs[0].copy() if runs[0].base is not None else runs[0]  # (a merged run: cut to its size once)


def weighted_jaccard(a: set[str], b: set[str], idf: dict[str, float], *, default: float | None = None) -> float:
    """``sum idf(A & B) / sum idf(A | B)`` (unknown terms weigh ``default``, by default the largest IDF)."""
    if default is None:
        default = max(idf.values(), default=1.0)
    inter = sum(idf.get(t, default) for t in a & b)
    union = sum(idf.get(t, default) for t in a | b)
    return inter / union if union else 0.0


#: An LSH bucket of more passages than this (a sentence pair recurring in many articles: background,
#: boilerplate) gives a star (its smallest passage with each other one) instead of all its pairs, so the
#: candidates grow with the passages, not with the square of a recurring passage's count.
PASSAGE_BUCKET = 16


def match_passages(texts: Sequence[str], idf: dict[str, float], *, window: int = 2, num_perm: int = 64,
                   seed: int = 1, lsh_threshold: float = 0.25, min_overlap: float = 0.25,
                   min_terms: int = 6, workers: int = 1, max_bucket: int = MAX_BUCKET) -> PassageMatches:
    """Verified passage matches between articles, grouped by article pair ``(i, j)``, ``i < j``.

    Parameters: ``window`` sentences per passage; ``num_perm``/``seed`` of the MinHash; ``lsh_threshold``
    the Jaccard the banding targets; ``min_overlap`` the weighted Jaccard a match needs; ``min_terms``
    the fewest features a passage needs to take part (short ones match by chance); ``workers`` is
    accepted for compatibility (windows are read in this process; ``build_graph`` reads them with the
    rest of each article); ``max_bucket`` the largest LSH bucket whose pairs are all candidates (a larger
    one gives a star; ``PASSAGE_BUCKET`` bounds the work).
    """
    from dedup.incident.analysis import term_hash, windows

    with SENTENCE_TERMS.scope():
        wins = [windows(t, window=window) for t in texts]
    keys = np.array([term_hash(t) for t in idf], dtype=np.uint64)
    vals = np.fromiter(idf.values(), dtype=np.float64, count=len(idf))
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    default = max(idf.values(), default=1.0)

    def weight_of(h: np.ndarray) -> np.ndarray:
        if not keys.size:
            return np.full(h.size, default)
        pos = np.minimum(np.searchsorted(keys, h), keys.size - 1)
        return np.where(keys[pos] == h, vals[pos], default)

    return match_windows(texts, wins, weight_of, num_perm=num_perm, seed=seed, lsh_threshold=lsh_threshold,
                         min_overlap=min_overlap, min_terms=min_terms, max_bucket=max_bucket)


def match_windows(texts: Sequence[str], wins: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                  weight_of: Callable[[np.ndarray], np.ndarray], *, num_perm: int = 64, seed: int = 1,
                  lsh_threshold: float = 0.25, min_overlap: float = 0.25, min_terms: int = 6,
                  max_bucket: int = MAX_BUCKET, consume: bool = False,
                  vocab: np.ndarray | None = None) -> PassageMatches:
    """:func:`match_passages` over windows already read: ``wins[d]`` is article ``d``'s
    ``(spans, offsets, hashes)`` (``analysis.windows``), ``weight_of(hashes)`` the IDF of term hashes;
    ``consume``: ``wins`` (a list) is emptied once read, so its arrays are freed while matching;
    ``vocab``: sorted unique hashes holding every window term (the corpus's document terms), so the
    windows' own are not sorted again (the same matches: ids keep the hashes' order)."""
    unit_doc, unit_span, lengths, allh = _units(wins, min_terms, consume)
    if unit_doc.size < 2:
        none = np.zeros(0, dtype=np.int64)
        return PassageMatches(texts, none, none, none, none, none, np.zeros(0), np.zeros(0))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    # ids in sorted hash order: each unit's ids ascending, and the weighted sums below in a fixed order
    # (the vocabulary sorted once, then each hash looked up a chunk at a time: no argsort and inverse of
    # all of them; int32 ids)
    flat = _term_ids(allh, vocab) if vocab is not None else None
    if flat is None:  # (a vocabulary that misses a window term: its own, sorted once)
        vocab = np.unique(allh)
        flat = _term_ids(allh, vocab)
    assert flat is not None and vocab is not None
    del allh  # (the signatures read each window's hashes back as vocab[ids])
    bands, rows = optimal_params(lsh_threshold, num_perm)
    keys = band_keys_flat(flat, offsets, num_perm=num_perm, seed=seed, bands=bands, rows=rows, lookup=vocab,
                          map_chunks=in_order)  # (signed on the graph's threads)
    cands = _candidates(keys, unit_doc, max_bucket)
    del keys
    weight = np.asarray(weight_of(vocab), dtype=np.float64)
    del vocab
    vu, vv, vov = _verify(cands, flat, offsets, weight, min_overlap)
    del cands, flat, weight
    if unit_doc.size < 2**31:  # unit numbers: half the bytes
        vu, vv = vu.astype(np.int32), vv.astype(np.int32)
    arrays = [vu, vv, vov, _spreads(vu, vv, unit_doc, len(texts))]
    del vu, vv, vov
    return PassageMatches.taking(texts, unit_doc, unit_span[:, 0], unit_span[:, 1], arrays)


def _units(wins: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], min_terms: int,
           consume: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(article, span, length, hashes)`` of the windows of at least ``min_terms`` terms, in order (every
    article's arrays concatenated once, then cut: no NumPy call an article); ``consume``: ``wins`` is
    emptied once read and the freed memory handed back before the kept hashes are copied."""
    n = len(wins)
    nwin = np.fromiter((w[1].size - 1 for w in wins), dtype=np.int64, count=n)
    offs = np.concatenate([w[1] for w in wins]) if n else np.zeros(1, dtype=np.int64)
    inner = np.ones(max(0, offs.size - 1), dtype=bool)  # the differences within one article's offsets
    inner[np.cumsum(nwin + 1)[:-1] - 1] = False
    ln = np.diff(offs)[inner]
    del offs, inner
    spans = np.concatenate([w[0] for w in wins]).reshape(-1, 2) if n else np.zeros((0, 2), dtype=np.int64)
    allh = np.concatenate([w[2] for w in wins]) if n else np.zeros(0, dtype=np.uint64)
    if consume and isinstance(wins, list):
        from dedup.incident.analysis import trim_heap

        wins.clear()
        trim_heap()  # the windows' arrays, freed: back to the system before the large arrays below
    long = ln >= min_terms
    unit_doc = np.repeat(np.arange(n, dtype=np.int64), nwin)[long]
    if not long.all():
        spans, allh = spans[long], allh[np.repeat(long, ln)]
    return unit_doc, spans, ln[long], allh


def _term_ids(allh: np.ndarray, vocab: np.ndarray, part: int = 1 << 22) -> np.ndarray | None:
    """Position of each hash in the sorted ``vocab`` (``int32`` while it fits), a part at a time (on the
    graph's threads, ``blocks.in_order``); ``None`` when a hash is not in it."""
    flat = np.empty(allh.size, dtype=np.int32 if vocab.size < 2**31 else np.int64)

    def look_up(lo: int) -> bool:
        chunk = allh[lo:lo + part]
        pos = np.searchsorted(vocab, chunk)
        if pos.size and (pos.max() >= vocab.size or not np.array_equal(vocab[pos], chunk)):
            return False
        flat[lo:lo + part] = pos
        return True

    return flat if all(list(in_order(look_up, range(0, allh.size, part)))) else None
