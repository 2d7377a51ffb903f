"""Per-article analysis for incident mode: everything the graph needs from one article's text, in one pass.

``analyse(article)`` reads an article once (its sentences are split once) and keeps only compact
evidence, so a corpus's analyses fit in memory at archive scale and travel cheaply between processes
(``workers``), Dask workers (``dedup.engines.dask_incident``) and the on-disk index:

* ``terms`` / ``counts``: the document bag (``features.term_counts`` of title + text) as sorted 64-bit
  term hashes (xxh64 of the term) and their counts (``float32`` when that is exact: read them as ``float64``);
* ``lead_terms`` / ``lead_counts``: the same for the lead (``lead.lead_text``);
* ``entities``: the sorted unique hashes of the bag's entity terms (``E:`` + name), for the group-level
  actor conflicts of ``cores``;
* ``fact_keys``: the distinct fact keys (``facts.article_facts``), in text order;
* ``profile``: the :class:`~dedup.incident.facts.ConflictProfile` (lead figure slots, dates, places);
* ``win_spans`` / ``win_offsets`` / ``win_terms``: the sentence windows of the passage index, each as its
  span and its sorted unique term hashes.

An analysis depends on the article alone (never on the corpus), so analysing a corpus in parts, in
any order, on any number of workers gives the same analyses; the corpus-wide steps (IDF, candidates,
scores, clustering) are ``score.build_graph``'s.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

import numpy as np
import xxhash

from dedup.incident.facts import ConflictProfile, article_facts, conflict_profile
from dedup.incident.features import _WORD_RE, entities, token_terms
from dedup.incident.lead import titled_lead
from dedup.incident.token_scan import article_parts
from dedup.model import Article
from dedup.near import jit
from dedup.text.figures import SENTENCE_FIGURES
from dedup.text.sentences import date_header, split_sentences

#: Sentences per passage window (stride 1).
WINDOW = 2
#: Fewest articles for which ``workers > 1`` starts processes (below, start-up costs more than it saves).
PARALLEL_MIN = 2000
#: Texts read at a time by :func:`analyse_texts` (a streamed corpus holds one block of texts at once).
STREAM_BLOCK = 5000

_EMPTY_H = np.zeros(0, dtype=np.uint64)
_EMPTY_F = np.zeros(0, dtype=np.float32)
#: term -> its 64-bit hash, per process (started over past ``_HASH_MAX`` distinct terms)
_HASH: dict[str, int] = {}
_HASH_MAX = 1 << 19


def term_hash(term: str) -> int:
    """xxh64 of the UTF-8 term (the id of a term everywhere in the incident stages)."""
    h = _HASH.get(term)
    if h is None:
        if len(_HASH) > _HASH_MAX:
            _HASH.clear()
        h = _HASH[term] = xxhash.xxh64_intdigest(term.encode())
    return h


@dataclass(slots=True)
class ArticleAnalysis:
    """The compact incident evidence of one article (see the module docstring)."""

    terms: np.ndarray
    counts: np.ndarray
    lead_terms: np.ndarray
    lead_counts: np.ndarray
    fact_keys: tuple[str, ...]
    profile: ConflictProfile
    win_spans: np.ndarray
    win_offsets: np.ndarray
    win_terms: np.ndarray
    entities: np.ndarray = field(default_factory=lambda: _EMPTY_H)

    @property
    def total_terms(self) -> float:
        """Term count of the document bag (its length in terms)."""
        return float(self.counts.sum(dtype=np.float64))


#: what :func:`release` leaves in each part of an analysis
_RELEASED: dict[str, Any] = {"terms": _EMPTY_H, "counts": _EMPTY_F, "lead_terms": _EMPTY_H, "lead_counts": _EMPTY_F,
                             "fact_keys": (), "win_spans": np.zeros((0, 2), dtype=np.int64),
                             "win_offsets": np.zeros(1, dtype=np.int64), "win_terms": _EMPTY_H,
                             "profile": None, "entities": _EMPTY_H}


def release(analyses: Iterable[ArticleAnalysis], *parts: str) -> None:
    """Drop ``parts`` (field names) of each analysis once they have been read, so their memory is freed
    while the rest is still in use (``score.build_graph`` with ``consume``); a released part is empty."""
    empty = [(name, _RELEASED[name]) for name in parts]
    for r in analyses:
        for name, value in empty:
            setattr(r, name, value)
    trim_heap()


def trim_heap() -> None:
    """Hand the C heap's free pages back to the system (glibc ``malloc_trim``; nothing elsewhere): the
    analyses' arrays are small allocations, freed into the heap, which the large arrays of the next
    steps (mapped apart) would not reuse."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


#: ``_WORD_RE`` token -> the hash of its term (``features.token_terms``), or None for a token without one
_TOKEN_HASH: dict[str, int | None] = {}


def _sentence_hashes(text: str) -> list[int]:
    """The term hashes of ``text``'s tokens, repeats kept (``sentence_terms`` hashed, without the set),
    each distinct token mapped once per process."""
    toks = _WORD_RE.findall(text)
    known = _TOKEN_HASH
    try:
        got = list(map(known.__getitem__, toks))
    except KeyError:
        if len(known) > _HASH_MAX:
            known.clear()
        new = [t for t in dict.fromkeys(toks) if t not in known]
        for t, term in zip(new, token_terms(new), strict=True):
            known[t] = None if term is None else term_hash(term)
        got = list(map(known.__getitem__, toks))
    return [x for x in got if x is not None]


def windows(text: str, sentences: Sequence[Any] | None = None, *, window: int = WINDOW,
            sentence_hashes: Sequence[list[int]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(spans, offsets, hashes)`` of the sentence windows of ``text``: window ``k`` spans
    ``spans[k]`` and has the terms ``hashes[offsets[k]:offsets[k + 1]]`` (sorted unique).
    ``sentence_hashes``: each sentence's term hashes (``_sentence_hashes``), when already made.

    Every sentence's term hashes are placed in each window that holds the sentence, then sorted by
    (window, hash) once and deduplicated: one sort an article, not one ``np.unique`` a sentence and a window."""
    sents = split_sentences(text) if sentences is None else sentences
    if not sents:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(1, dtype=np.int64), _EMPTY_H
    # with repeats: deduplicated per window below
    terms = [_sentence_hashes(s.text) for s in sents] if sentence_hashes is None else sentence_hashes
    counts = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    h = np.fromiter(chain.from_iterable(terms), dtype=np.uint64, count=int(counts.sum()))
    sid = np.repeat(np.arange(len(sents), dtype=np.int64), counts)
    if len(sents) <= window:
        nwin = 1
        spans = np.array([[sents[0].start, sents[-1].end]], dtype=np.int64)
        wid, wh = np.zeros(h.size, dtype=np.int64), h
    else:  # window k holds sentences k .. k + window - 1
        nwin = len(sents) - window + 1
        spans = np.array([(sents[k].start, sents[k + window - 1].end) for k in range(nwin)], dtype=np.int64)
        ids = [sid - back for back in range(window)]
        keep = [(w >= 0) & (w < nwin) for w in ids]
        wid = np.concatenate([w[k] for w, k in zip(ids, keep, strict=True)])
        wh = np.concatenate([h[k] for k in keep])
    order = np.lexsort((wh, wid))
    wid, wh = wid[order], wh[order]
    first = np.ones(wh.size, dtype=bool)
    first[1:] = (wid[1:] != wid[:-1]) | (wh[1:] != wh[:-1])
    wid, wh = wid[first], wh[first]
    offsets = np.zeros(nwin + 1, dtype=np.int64)
    np.cumsum(np.bincount(wid, minlength=nwin), out=offsets[1:])
    return spans, offsets, wh


def hashed_terms(word_hashes: Sequence[list[int]], entity_names: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(terms, counts, entities)``: the bag of ``features.term_counts`` as sorted term hashes and their
    counts, made from term hashes already read (``word_hashes``: the text's tokens' term hashes, in parts,
    repeats kept) and the text's entity names, without a bag of strings; ``entities`` the sorted unique
    hashes of the ``E:`` terms."""
    nw = sum(map(len, word_hashes))
    wh, wc = np.unique(np.fromiter(chain.from_iterable(word_hashes), dtype=np.uint64, count=nw),
                       return_counts=True)
    eh, ec = np.unique(np.fromiter((term_hash("E:" + e) for e in entity_names), dtype=np.uint64),
                       return_counts=True)
    if not (wh.size or eh.size):
        return _EMPTY_H, _EMPTY_F, _EMPTY_H
    h = np.concatenate((wh, eh))
    order = np.argsort(h, kind="stable")
    return *_counted(h[order], np.concatenate((wc, ec))[order]), eh


def analyse(article: Article) -> ArticleAnalysis:
    """The :class:`ArticleAnalysis` of one article.

    The text is tokenised once: every sentence's term hashes serve both the passage windows and the
    document bag (the sentences hold every token of the text but a leading date header's, read apart),
    by the compiled kernels (``token_scan``) where they are in use, else in Python (the same arrays)."""
    text, title = article.text, article.title
    full = f"{title}\n{text}" if title else text
    sents = split_sentences(text)
    _, header = date_header(text)
    lead = titled_lead(title, full, bool(sents) or header > 0)  # (in ``full`` a date header is a sentence)
    got = article_parts(title, full, sents, header, lead, WINDOW) if jit.use() else None
    if got is not None:
        terms, counts, ents, lead_terms, lead_counts, spans, offsets, hashes = got
        terms, counts = _counted(terms, counts)
        lead_terms, lead_counts = _counted(lead_terms, lead_counts)
        ents = ents if terms.size else _EMPTY_H
    else:
        sent_hashes = [_sentence_hashes(s.text) for s in sents]
        parts = [_sentence_hashes(title)] if title else []
        if header:
            parts.append(_sentence_hashes(text[:header]))
        terms, counts, ents = hashed_terms(parts + sent_hashes, entities(full))
        if lead is None:
            lead_terms, lead_counts = _EMPTY_H, _EMPTY_F
        else:
            lead_terms, lead_counts, _ = hashed_terms([_sentence_hashes(lead)], entities(lead))
        spans, offsets, hashes = windows(text, sents, sentence_hashes=sent_hashes)
    facts = article_facts(text, date=article.date, sentences=sents)
    keys = tuple(dict.fromkeys(f.key for f in facts))
    return ArticleAnalysis(terms, counts, lead_terms, lead_counts, keys, conflict_profile(facts),
                           spans, offsets, hashes, ents)


def _counted(terms: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A bag's sorted terms and whole counts as an analysis keeps them: counts in ``float32`` (exact below
    2**24), else ``float64``; the shared empty arrays for an empty bag."""
    if not terms.size:
        return _EMPTY_H, _EMPTY_F
    return terms, counts.astype(np.float32 if counts.max() < 2**24 else np.float64)


def _analyse_all(articles: Sequence[Article]) -> list[ArticleAnalysis]:
    with SENTENCE_FIGURES.scope():  # a recurring sentence's figures are read once per part
        return [analyse(a) for a in articles]


def _part_size(n: int, workers: int) -> int:
    """Articles a process analyses at a time: about eight parts a worker, 200 to 2,000 articles each."""
    return max(200, min(2000, n // (8 * workers)))


def analyse_corpus(articles: Sequence[Article], *, workers: int = 1,
                   progress: Callable[[str, int, int], Any] | None = None,
                   stage: str = "reading articles") -> list[ArticleAnalysis]:
    """``analyse`` of every article, in order; ``workers > 1`` spreads large corpora over processes
    (the result is the same); ``progress(stage, done, total)`` after each part."""
    n = len(articles)
    part = 500 if workers <= 1 or n < PARALLEL_MIN else _part_size(n, workers)
    chunks = [articles[lo:lo + part] for lo in range(0, n, part)]
    out: list[ArticleAnalysis] = []
    if progress:
        progress(stage, 0, n)
    if workers <= 1 or n < PARALLEL_MIN:
        for chunk in chunks:
            out += _analyse_all(chunk)
            if progress:
                progress(stage, len(out), n)
        return out
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from dedup.incident.packing import analyse_packed, unpack

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for res in pool.map(analyse_packed, chunks):  # (a part's arrays joined: a few buffers to pickle)
            out += unpack(res)
            if progress:
                progress(stage, len(out), n)
    return out


def analyse_texts(articles: Sequence[Article], texts: Sequence[str], *, workers: int = 1,
                  progress: Callable[[str, int, int], Any] | None = None, stage: str = "reading articles",
                  block: int = STREAM_BLOCK) -> list[ArticleAnalysis]:
    """:func:`analyse_corpus` of ``articles`` whose texts are ``texts[k]`` (same order) instead of their
    ``text``: a lazy sequence (``dedup.io.textstore.TextSeq``, ``--stream``) is read ``block`` texts at a
    time, so only about one block of texts is in memory; the analyses are those of the full articles.
    With ``workers > 1`` one pool of processes serves the whole stream, a bounded number of parts in
    flight (the next block is read while the last one's parts are analysed)."""
    n = len(articles)
    if len(texts) != n:
        raise ValueError(f"{len(texts)} texts for {n} articles")
    if progress:
        progress(stage, 0, n)

    def blocks() -> Iterator[list[Article]]:
        for lo in range(0, n, block):
            part = texts[lo:lo + block]
            read = part.read_all() if hasattr(part, "read_all") else list(part)  # a TextSeq: in file order
            yield [replace(a, text=t) for a, t in zip(articles[lo:lo + block], read, strict=True)]

    out: list[ArticleAnalysis] = []
    if workers <= 1 or n < PARALLEL_MIN:
        for arts in blocks():
            out += analyse_corpus(arts, workers=1)
            if progress:
                progress(stage, len(out), n)
        return out
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    from dedup.incident.packing import Packed, analyse_packed, unpack

    size = _part_size(min(n, block), workers)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    pending: deque[Future[Packed]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for arts in blocks():
            for lo in range(0, len(arts), size):
                pending.append(pool.submit(analyse_packed, arts[lo:lo + size]))
            while len(pending) > 2 * workers:  # keep the workers busy while the next block is read
                out += unpack(pending.popleft().result())
                if progress:
                    progress(stage, len(out), n)
        while pending:
            out += unpack(pending.popleft().result())
            if progress:
                progress(stage, len(out), n)
    return out


__all__ = ["ArticleAnalysis", "analyse", "analyse_corpus", "analyse_texts", "hashed_terms", "release", "term_hash",
           "windows"]
