"""Passage reuse: MinHash + LSH over sentence windows, verified by IDF-weighted overlap.

A *passage* is a window of ``window`` consecutive sentences (stride 1; a shorter article is one
window). Its feature set is its content words and numbers (``dedup.incident.features.content_words``),
hashed to 64 bits, so a reworded report that keeps its names and figures still shares most features.

1. MinHash signatures of every passage (``dedup.near.minhash.signatures``), LSH banding with
   ``optimal_params(lsh_threshold, num_perm)``: passages of *different* articles in one bucket are
   candidates.
2. Each candidate is verified by the IDF-weighted Jaccard ``sum_{t in A&B} idf(t) / sum_{t in A|B} idf(t)``
   (document-frequency IDF of the corpus): it is kept at ``>= min_overlap``, with its spans and
   ``rapidfuzz.fuzz.token_set_ratio`` for display.
3. *Spread*: a passage matched in ``k`` articles (itself included) is background or boilerplate when
   ``k`` is large; its evidence is scaled by ``log(N / k) / log(N / 2)`` (1 when only the pair shares it).

The *passages* part of a pair's score is the best verified, spread-weighted overlap of its passages.

Speed: a sentence's features are looked up per distinct token (``sentence_terms``); terms get ids in
sorted order, each term is hashed once, signatures come from one flat array, and candidates are
verified in blocks as row-wise products of sparse rows (sums in term order: the same on every run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import xxhash

from dedup.incident.features import _WORD_RE, content_words
from dedup.near.lsh import band_keys, candidate_pairs, optimal_params
from dedup.near.minhash import signatures_flat
from dedup.text.sentences import split_sentences


@dataclass(slots=True, frozen=True)
class Passage:
    """A window of sentences of article ``doc`` (index), with its character span and text."""

    doc: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": [self.start, self.end], "text": self.text}


@dataclass(slots=True, frozen=True)
class PassageMatch:
    """Two passages of two articles that tell the same thing: overlap (IDF-weighted Jaccard), the
    rapidfuzz token-set ratio (0-1), the spread weight, and the two passages."""

    a: Passage
    b: Passage
    overlap: float
    ratio: float
    spread: float

    @property
    def score(self) -> float:
        return self.overlap * self.spread

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "overlap": round(self.overlap, 4),
                "ratio": round(self.ratio, 4), "spread": round(self.spread, 4), "score": round(self.score, 4)}


def passages(text: str, doc: int, *, window: int = 2) -> list[Passage]:
    """The sentence windows of one article (stride 1)."""
    return [p for p, _ in _windows(text, doc, window)]


#: ``content_words`` of one ``_WORD_RE`` token (a word or number), or None: that function maps each token
#: on its own, so a sentence's terms are those of its tokens, looked up here instead of recomputed.
_TERMS: dict[str, str | None] = {}
_TERMS_MAX = 1 << 18  # distinct tokens kept (about 40 MB at most); the cache starts over when full


def sentence_terms(text: str) -> set[str]:
    """``set(content_words(text))``, with each distinct token's term computed once per process."""
    toks = _WORD_RE.findall(text)
    terms = _TERMS
    try:
        out = {terms[t] for t in toks}
    except KeyError:  # a token not seen yet
        if len(terms) > _TERMS_MAX:
            terms.clear()
        for tok in toks:
            if tok not in terms:
                terms[tok] = next(content_words(tok), None)
        out = {terms[t] for t in toks}
    out.discard(None)
    return out  # type: ignore[return-value]  # None removed


def _windows(text: str, doc: int, window: int) -> list[tuple[Passage, set[str]]]:
    """Sentence windows with their feature sets (each sentence tokenised once)."""
    sents = split_sentences(text)
    if not sents:
        return []
    words = [sentence_terms(s.text) for s in sents]
    if len(sents) <= window:
        return [(Passage(doc, sents[0].start, sents[-1].end, text[sents[0].start:sents[-1].end]),
                 set().union(*words))]
    out = []
    for k in range(len(sents) - window + 1):
        s, e = sents[k].start, sents[k + window - 1].end
        out.append((Passage(doc, s, e, text[s:e]), set().union(*words[k:k + window])))
    return out


def _hashes(terms: Iterable[str]) -> np.ndarray:
    """64-bit xxh64 of each term (the MinHash input)."""
    return np.fromiter((xxhash.xxh64_intdigest(t.encode()) for t in terms), dtype=np.uint64)


def _verify(cands: np.ndarray, flat: np.ndarray, offsets: np.ndarray, weight: np.ndarray, min_overlap: float,
            block: int = 1 << 16) -> list[tuple[int, int, float]]:
    """``(u, v, overlap)`` of the candidate pairs whose IDF-weighted Jaccard reaches ``min_overlap``.

    Unit ``u``'s terms are ``flat[offsets[u]:offsets[u+1]]`` (vocabulary ids, each once), ``weight`` the
    IDF of each id; ``|A & B|`` weighted is a row-wise product of sparse rows, a block of pairs at a time.
    """
    n = offsets.size - 1
    ones = sp.csr_matrix((np.ones(flat.size), flat, offsets), shape=(n, weight.size))
    ones.sort_indices()
    weighted = sp.csr_matrix((weight[ones.indices], ones.indices, ones.indptr), shape=ones.shape)
    mass = np.asarray(weighted.sum(axis=1)).ravel()  # sum idf(A); union = |A| + |B| - |A & B|
    out: list[tuple[int, int, float]] = []
    for lo in range(0, len(cands), block):
        u, v = cands[lo:lo + block, 0], cands[lo:lo + block, 1]
        inter = np.asarray(weighted[u].multiply(ones[v]).sum(axis=1)).ravel()
        union = mass[u] + mass[v] - inter
        ov = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        keep = np.flatnonzero(ov >= min_overlap)
        out.extend(zip(u[keep].tolist(), v[keep].tolist(), ov[keep].tolist(), strict=True))
    return out


def weighted_jaccard(a: set[str], b: set[str], idf: dict[str, float], *, default: float | None = None) -> float:
    """``sum idf(A & B) / sum idf(A | B)`` (unknown terms weigh ``default``, by default the largest IDF)."""
    if default is None:
        default = max(idf.values(), default=1.0)
    inter = sum(idf.get(t, default) for t in a & b)
    union = sum(idf.get(t, default) for t in a | b)
    return inter / union if union else 0.0


#: Fewest articles for which ``workers > 1`` starts processes.
PARALLEL_MIN = 5000


def _windows_of(item: tuple[str, int, int]) -> list[tuple[Passage, set[str]]]:
    return _windows(*item)


def corpus_windows(texts: Sequence[str], *, window: int = 2,
                   workers: int = 1) -> list[list[tuple[Passage, set[str]]]]:
    """The windows and feature sets of every text; ``workers > 1`` spreads large corpora over processes."""
    items = [(t, d, window) for d, t in enumerate(texts)]
    if workers <= 1 or len(items) < PARALLEL_MIN:
        return [_windows_of(it) for it in items]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_windows_of, items, chunksize=max(1, len(items) // (4 * workers))))


def match_passages(texts: Sequence[str], idf: dict[str, float], *, window: int = 2, num_perm: int = 64,
                   seed: int = 1, lsh_threshold: float = 0.25, min_overlap: float = 0.25,
                   min_terms: int = 6, workers: int = 1) -> dict[tuple[int, int], list[PassageMatch]]:
    """Verified passage matches between articles, grouped by article pair ``(i, j)``, ``i < j``.

    Parameters: ``window`` sentences per passage; ``num_perm``/``seed`` of the MinHash; ``lsh_threshold``
    the Jaccard the banding targets; ``min_overlap`` the weighted Jaccard a match needs; ``min_terms``
    the fewest features a passage needs to take part (short ones match by chance); ``workers`` the
    processes that split and tokenise large corpora (same result).
    """
    from rapidfuzz import fuzz

    units: list[Passage] = []
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths: list[int] = []
    for wins in corpus_windows(texts, window=window, workers=workers):
        for p, terms in wins:
            if len(terms) >= min_terms:
                units.append(p)
                ids.extend([vocab.setdefault(t, len(vocab)) for t in terms])
                lengths.append(len(terms))
    if len(units) < 2:
        return {}
    # ids in sorted term order, so the weighted sums below do not depend on set (hash) order
    terms = sorted(vocab)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[np.fromiter((vocab[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms))
    flat = rank[np.asarray(ids, dtype=np.int64)]
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    sigs = signatures_flat(_hashes(terms)[flat], offsets, num_perm=num_perm, seed=seed)
    bands, rows = optimal_params(lsh_threshold, num_perm)
    cands = candidate_pairs(band_keys(sigs, bands, rows))
    unit_doc = np.fromiter((p.doc for p in units), dtype=np.int64, count=len(units))
    cands = cands[unit_doc[cands[:, 0]] != unit_doc[cands[:, 1]]]
    default = max(idf.values(), default=1.0)
    weight = np.fromiter((idf.get(t, default) for t in terms), dtype=np.float64, count=len(terms))
    verified = _verify(cands, flat, offsets, weight, min_overlap)
    # spread: how many articles each passage is matched in (itself included)
    docs_of: dict[int, set[int]] = defaultdict(set)
    for u, v, _ in verified:
        docs_of[u].update((units[u].doc, units[v].doc))
        docs_of[v].update((units[u].doc, units[v].doc))
    n = len(texts)
    norm = np.log(n / 2.0) if n > 2 else 1.0
    out: dict[tuple[int, int], list[PassageMatch]] = defaultdict(list)
    for u, v, ov in verified:
        k = max(len(docs_of[u]), len(docs_of[v]))
        spread = 1.0 if n <= 2 else float(max(0.0, np.log(n / k)) / norm)
        a, b = (units[u], units[v]) if units[u].doc < units[v].doc else (units[v], units[u])
        ratio = fuzz.token_set_ratio(a.text, b.text) / 100.0
        out[(a.doc, b.doc)].append(PassageMatch(a, b, ov, ratio, spread))
    for matches in out.values():
        matches.sort(key=lambda m: (-m.score, m.a.start, m.b.start))
    return dict(out)


def passage_score(matches: Sequence[PassageMatch]) -> float:
    """The passages part of a pair's score: its best spread-weighted overlap (0 if none)."""
    if not matches:  # most candidate pairs: no passage match
        return 0.0
    return max(m.score for m in matches)
