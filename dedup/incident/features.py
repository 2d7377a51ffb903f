"""Document evidence: TF-IDF vectors over content words and named entities, learned from the corpus.

A document ``d`` becomes the sparse vector ``x_d[t] = (1 + log tf(t, d)) * idf(t)`` with
``idf(t) = log((N + 1) / df(t))``, L2-normalised, over

* content words (lower-cased, stop words dropped, plural ``-s`` folded), and
* named entities (``E:`` + capitalised run not at a sentence start, e.g. ``E:sergei sobyanin``),
  counted ``entity_weight`` times.

Terms seen in one document only are dropped (``df >= 2``): they cannot be shared, and would only
dilute the norm of long articles. Terms seen in every document get the smallest weight
``log(1 + 1/N)`` (not 0, so identical articles still score 1). So "Moscow" in a corpus about Moscow
weighs almost nothing, while a rare place or name weighs the most. The cosine
``x_a . x_b`` is the *document* part of the incident score.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from dedup.incident.blocks import map_blocks, ranges
from dedup.text.numwords import UNITS

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say told tell new may might us mr mrs ms year years last first week weeks time times people
like get got make made according since still even many much well back including however yet per cent
percent day days monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
""".split())  # noqa: SIM905

_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d(?:st|nd|rd|th)?|\d(?:st|nd|rd|th)?")
# the cheap test first: the look-behinds run only where a capital starts a word (3x faster, same matches)
_ENTITY_RE = re.compile(r"\b(?=[A-Z])(?<![.!?:\"'\u201c\u2018]\s)(?<![.!?:]\s\s)(?<!\A)(?<!\n)"
                        r"([A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|al|de|bin|van|von))*(?: [A-Z][a-z]+)*)")
_POSSESSIVE_RE = re.compile(r"['\u2019]s$")
_ORDINAL_RE = re.compile(r"(?<=\d)(?:st|nd|rd|th)$")


def stem(word: str) -> str:
    """A light plural fold: "drones" -> "drone", "countries" -> "country" (keeps "bus", "news")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "news")):
        return word[:-1]
    return word


def content_words(text: str) -> Iterator[str]:
    """Lower-cased, plural-folded words of ``text`` minus stop words and 1-letter tokens.

    Numbers are kept as ``#`` + digits (commas and ordinal suffixes dropped), and number words up to
    nineteen as their digits, so "1,200" = "1200", "two" = "2" and "31st" = "31".
    """
    for m in _WORD_RE.finditer(text):
        w = _POSSESSIVE_RE.sub("", m.group().lower())
        if w[0].isdigit():
            yield "#" + _ORDINAL_RE.sub("", w.replace(",", ""))
            continue
        if w in UNITS and UNITS[w] > 0:
            yield f"#{UNITS[w]}"
            continue
        if len(w) < 2 or w in STOP_WORDS:
            continue
        yield stem(w)


def entities(text: str) -> Iterator[str]:
    """Capitalised word runs that do not start a sentence or a line ("Sergei Sobyanin", "Belgorod")."""
    for found in _ENTITY_RE.findall(text):
        name = entity_name(found)
        if name is not None:
            yield name


def entity_name(found: str) -> str | None:
    """The entity a ``_ENTITY_RE`` match names (lower-cased, possessive dropped), or None for a stop word."""
    name = _POSSESSIVE_RE.sub("", found).lower()
    return None if name in STOP_WORDS else name


#: ``content_words`` of one ``_WORD_RE`` token (a word or number) on its own, or None; shared by the term
#: bags and the passage windows, started over past ``_TERM_OF_MAX`` distinct tokens (about 40 MB).
_TERM_OF: dict[str, str | None] = {}
_TERM_OF_MAX = 1 << 18


def token_terms(toks: list[str]) -> list[str | None]:
    """The term of each ``_WORD_RE`` token (``content_words`` maps each token on its own), or None;
    each distinct token is mapped once per process."""
    term_of = _TERM_OF
    try:
        return list(map(term_of.__getitem__, toks))
    except KeyError:  # a token not seen yet
        if len(term_of) > _TERM_OF_MAX:
            term_of.clear()
        for t in toks:
            if t not in term_of:
                term_of[t] = next(content_words(t), None)
        return list(map(term_of.__getitem__, toks))


def term_counts(text: str, *, entity_weight: float = 1.0) -> Counter[str]:
    """The bag of terms of one document (content words and ``E:`` entities); counts may be fractional."""
    counts: Counter[str] = Counter(w for w in token_terms(_WORD_RE.findall(text)) if w is not None)
    if entity_weight:
        for e in entities(text):
            counts["E:" + e] += entity_weight  # type: ignore[assignment]  # fractional weights are fine
    return counts


def document_frequencies(bags: Sequence[Counter[str]]) -> Counter[str]:
    """In how many of ``bags`` each term occurs (terms in the order of their first bag)."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    return df


def tfidf_matrix(bags: Sequence[Counter[str]], *, min_df: int = 2, sublinear: bool = True,
                 df: Counter[str] | None = None) -> tuple[sp.csr_matrix, dict[str, int], np.ndarray]:
    """Row-normalised TF-IDF matrix of ``bags`` with ``idf(t) = log((N + 1) / df(t))``, ``df < min_df`` dropped
    (``df``: :func:`document_frequencies` of ``bags`` when already counted).

    Returns ``(X, vocabulary, idf)``; the vocabulary is built in sorted term order so the matrix does not
    depend on the order of the documents' terms.
    """
    n = len(bags)
    if df is None:
        df = document_frequencies(bags)
    vocab = {t: k for k, t in enumerate(sorted(t for t, c in df.items() if c >= min_df))}
    idf = np.array([np.log((n + 1) / df[t]) for t in vocab], dtype=np.float64)
    return tfidf_rows(bags, vocab, idf, sublinear=sublinear), vocab, idf


def tfidf_rows(bags: Sequence[Counter[str]], vocab: Mapping[str, int], idf: np.ndarray, *,
               sublinear: bool = True) -> sp.csr_matrix:
    """Row-normalised TF-IDF vectors of ``bags`` over a given ``vocab`` and ``idf`` (terms outside the
    vocabulary dropped; ``tf`` as ``1 + log tf`` when ``sublinear``)."""
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    get = vocab.get
    for i, bag in enumerate(bags):
        ids = [get(t, -1) for t in bag]
        if -1 in ids:
            kept = [(j, c) for j, c in zip(ids, bag.values(), strict=True) if j >= 0]
            ids, cs = [j for j, _ in kept], [c for _, c in kept]
        else:
            cs = list(bag.values())
        rows += [i] * len(ids)
        cols += ids
        counts += cs
    # one log per distinct count, the scalar expression of the per-entry loop (so the same floats)
    weight = {c: (1.0 + np.log(c)) if sublinear else float(c) for c in set(counts)}
    vals = np.array([weight[c] for c in counts], dtype=np.float64)
    x = sp.csr_matrix((vals, (rows, cols)), shape=(len(bags), len(vocab)))
    x = x @ sp.diags(idf)
    return normalize_rows(x)


def hashed_frequencies(terms: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(hashes, df)``: every distinct term hash of ``terms`` (each array sorted unique, one per
    document), sorted, with the number of documents holding it."""
    if not terms:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(terms), return_counts=True)


def hashed_tfidf(terms: Sequence[np.ndarray], counts: Sequence[np.ndarray], *, min_df: int = 2,
                 frequencies: tuple[np.ndarray, np.ndarray] | None = None,
                 ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """:func:`tfidf_matrix` of bags given as sorted term hashes and their counts: ``(X, vocab, idf)`` with
    ``vocab`` the sorted hashes of ``df >= min_df`` (``frequencies``: :func:`hashed_frequencies` of
    ``terms`` when already counted)."""
    uniq, df = hashed_frequencies(terms) if frequencies is None else frequencies
    keep = df >= min_df
    vocab = uniq[keep]
    idf = np.log((len(terms) + 1) / df[keep].astype(np.float64))
    return hashed_rows(terms, counts, vocab, idf), vocab, idf


#: Stored entries :func:`hashed_rows` reads at a time (its lookups: about 40 bytes an entry).
ROWS_PART = 1 << 21


def row_parts(lens: np.ndarray, part: int) -> list[tuple[int, int]]:
    """Row ranges of about ``part`` entries each (a row is never cut)."""
    ends = np.cumsum(lens)
    out, lo, n = [], 0, lens.size
    while lo < n:
        base = int(ends[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, base + part, side="right")))
        out.append((lo, min(hi, n)))
        lo = min(hi, n)
    return out


def hashed_rows(terms: Sequence[np.ndarray], counts: Sequence[np.ndarray], vocab: np.ndarray, idf: np.ndarray, *,
                sublinear: bool = True) -> sp.csr_matrix:
    """Row-normalised TF-IDF rows of hashed bags over a sorted hash ``vocab`` (other terms dropped).
    Each row's terms are sorted by hash, so its column indices come out sorted. Rows are read in parts
    of about ``ROWS_PART`` entries into buffers of the final size (the same floats as in one pass)."""
    n = len(terms)
    if not n or not vocab.size:
        return sp.csr_matrix((n, vocab.size), dtype=np.float64)
    lens = np.fromiter(map(len, terms), dtype=np.int64, count=n)
    cols = np.empty(int(lens.sum()), dtype=np.int32)
    vals = np.empty(cols.size, dtype=np.float64)
    kept = np.zeros(n, dtype=np.int64)
    k = 0
    for lo, hi in row_parts(lens, ROWS_PART):
        allh = np.concatenate(terms[lo:hi])
        pos = np.minimum(np.searchsorted(vocab, allh), vocab.size - 1)
        hit = vocab[pos] == allh
        del allh
        c = np.concatenate(counts[lo:hi]).astype(np.float64, copy=False)[hit]
        col = pos[hit]
        v = (1.0 + np.log(c)) if sublinear else c
        v *= idf[col]
        m = col.size
        cols[k:k + m], vals[k:k + m] = col, v
        kept[lo:hi] = np.bincount(np.repeat(np.arange(hi - lo, dtype=np.int64), lens[lo:hi])[hit], minlength=hi - lo)
        k += m
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(kept, out=indptr[1:])
    x = sp.csr_matrix((vals[:k], cols[:k], indptr), shape=(n, vocab.size), copy=False)
    x.has_sorted_indices = True
    return _normalize_own(x)


def _normalize_own(x: sp.csr_matrix) -> sp.csr_matrix:
    """:func:`normalize_rows` of a matrix this module owns (sorted unique indices, no zeros), in place (no
    copies of the matrix): the same norms (the squares of each non-empty row summed by ``np.add.reduceat``,
    as SciPy's ``x.multiply(x).sum(axis=1)`` does) and the same products."""
    full = np.flatnonzero(np.diff(x.indptr))
    norms = np.zeros(x.shape[0])
    if full.size:
        norms[full] = np.add.reduceat(x.data * x.data, x.indptr[full])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    inv = 1.0 / norms
    lens = np.diff(x.indptr)
    for lo, hi in row_parts(lens, ROWS_PART):
        a, b = int(x.indptr[lo]), int(x.indptr[hi])
        x.data[a:b] *= np.repeat(inv[lo:hi], lens[lo:hi])
    return x


def normalize_rows(x: sp.spmatrix) -> sp.csr_matrix:
    """Scale every non-empty row of ``x`` to unit L2 norm. The structure is kept (a product with a
    diagonal matrix would leave the column indices unsorted, and :func:`row_dots` and the neighbour
    search would take their slow SciPy paths); each entry is multiplied by ``1 / norm`` as before."""
    x = sp.csr_matrix(x, copy=True)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x.data *= np.repeat(1.0 / norms, np.diff(x.indptr))
    return x


#: Fewest pairs in a block of :func:`row_dots` when an engine runs it in blocks (``blocks.py``): a pair
#: costs ~1-2 us compiled, so a smaller block costs more in shipping the matrix than it saves.
BLOCK_DOTS = 1 << 20


def row_dots(a: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, b: sp.csr_matrix | None = None,
             block: int = 65536) -> np.ndarray:
    """``a_rows[k] . b_cols[k]`` for each k (``b`` defaults to ``a`` and must share its structure), the
    same floats as SciPy's ``a[rows].multiply(b[cols]).sum(axis=1)``: compiled where Numba is available
    (the products of the shared columns, summed as ``np.add.reduceat`` sums them), else SciPy a block at
    a time."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    spans = ranges(len(rows), least=BLOCK_DOTS)  # one here; an engine's parts elsewhere (blocks.py)
    if len(spans) > 1:
        return np.concatenate(map_blocks(_row_dots_part, (a, None if b is a else b, block),
                                         [(rows[lo:hi], cols[lo:hi]) for lo, hi in spans]))
    b = a if b is None else b
    out = np.zeros(len(rows), dtype=np.float64)
    if not len(rows):
        return out
    from dedup.near import jit

    if jit.use() and a.has_sorted_indices and (b is a or (
            np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices))):
        from dedup.incident._kernels import row_dots_into

        row_dots_into(a.indptr, a.indices, a.data, b.data, rows, cols, a.shape[1], out)
        return out
    for lo in range(0, len(rows), block):
        r, c = rows[lo:lo + block], cols[lo:lo + block]
        out[lo:lo + block] = np.asarray(a[r].multiply(b[c]).sum(axis=1)).ravel()
    return out


def _row_dots_part(shared: tuple, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    a, b, block = shared
    return row_dots(a, rows, cols, b, block)


def similar_codes(x: sp.csr_matrix, *, floor: float, k: int | None = None, block: int = 1024) -> np.ndarray:
    """Pairs ``i < j`` with cosine ``x_i . x_j >= floor`` as sorted unique codes ``i * n + j``; with ``k``,
    a pair is kept only when ``j`` is among the ``k`` most similar rows of ``i`` or ``i`` among those of
    ``j`` (ties broken by index): a sparse k-nearest-neighbour graph. Compiled where Numba is available: each row's cosines are summed in one dense accumulator
    from the columns of ``x`` (the additions of SciPy's product, so the same floats), no product matrix,
    each pair once when the indices are sorted; else SciPy products of ``block`` rows at a time."""
    n = x.shape[0]
    from dedup.near import jit

    if jit.use():
        from dedup.incident._kernels import knn_codes

        xc = x.tocsc()  # its columns list their documents in order
        return sorted_unique(knn_codes(x.indptr, x.indices, x.data, xc.indptr, xc.indices, xc.data, float(floor),
                                       k or 0, bool(x.has_sorted_indices)))
    xt = x.T.tocsc()
    chunks = [np.empty(0, dtype=np.int64)]
    for lo in range(0, n, block):
        row, col, val = block_entries(x, xt, lo, block)
        keep = (val >= floor) & (col != row)
        row, col, val = row[keep], col[keep], val[keep]
        if k is not None and row.size:
            row, col = top_per_row(row, col, val, k)
        chunks.append(np.minimum(row, col) * n + np.maximum(row, col))
    return sorted_unique(np.concatenate(chunks))


def block_entries(x: sp.csr_matrix, xt: sp.csc_matrix, lo: int, block: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, col, value)`` of the stored entries of rows ``lo .. lo + block`` of ``x @ xt``."""
    s = (x[lo:lo + block] @ xt).tocsr()
    row = np.repeat(np.arange(lo, lo + s.shape[0], dtype=np.int64), np.diff(s.indptr))
    return row, s.indices.astype(np.int64), s.data


def top_per_row(row: np.ndarray, col: np.ndarray, val: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest values of each row (ties: smaller column), as ``(row, col)`` sorted by row."""
    order = np.lexsort((col, -val, row))
    row, col = row[order], col[order]
    first = np.searchsorted(row, row, side="left")
    top = np.arange(row.size) - first < k
    return row[top], col[top]


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` of an integer array by sorting (NumPy's hash-based unique is slower on many)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if a.size else a


def union_sorted(*arrays: np.ndarray) -> np.ndarray:
    """``sorted_unique`` of the concatenation of integer arrays that are each sorted: merged in one pass
    each where Numba is available (``_kernels.merge_unique``), else sorted together."""
    from dedup.near import jit

    parts = [np.asarray(a, dtype=np.int64) for a in arrays]
    if not jit.use() or not all(a.size < 2 or bool((a[1:] >= a[:-1]).all()) for a in parts):
        return sorted_unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    from dedup.incident._kernels import merge_unique

    out = sorted_unique(parts[0]) if parts else np.zeros(0, dtype=np.int64)
    for a in parts[1:]:
        out = merge_unique(out, a)
    return out
