"""Bounded candidate search: each article is compared with at most ``k`` others, found by an inverted
index over its rarest terms and ranked softly by time, so the work and the graph grow as ``n * k``.

:func:`rare_neighbours` (document and fact vectors): article ``i`` walks the postings (inverted index)
of its terms from the rarest up (document frequency, then column), as long as the postings walked stay
within ``budget`` and each term is in at most ``max_df`` articles; the postings of frequent terms, which
made the all-pairs cosine grow with ``n^2``, are never walked. Every article met gets the partial dot
product over those terms times the time factor of the two dates (``calibration.time_factor``: a report
a year away ranks below one of the same week); ``i``'s ``k`` best by that rank (ties: smaller index) are
its candidates, and a pair is kept when it is among the candidates of either end and its *exact*
cosine (all terms) reaches ``floor``. When every article's postings fit the budget and there are no
dates this is exactly the ``k``-nearest-neighbour graph of ``features.similar_codes``.

:func:`cap_per_article`: of scored pairs (passage matches), each article keeps its ``k`` best partners
(a pair stays when it is among the best of either end): a passage that recurs in thousands of articles
cannot make the graph dense.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from dedup.incident.blocks import map_blocks, ranges
from dedup.incident.calibration import time_factor
from dedup.incident.features import block_entries, row_dots, row_parts, sorted_unique, top_per_row

#: Terms in more articles than this are not walked in the candidate search (their weight still counts in
#: the exact cosine of the candidates found through rarer terms).
MAX_DF = 2000
#: Postings one article walks at most (its rarest terms first): the work per article is bounded.
BUDGET = 10000
#: Candidates per article in the fact-cosine search (documents use ``score.NEIGHBOURS``).
FACT_NEIGHBOURS = 30
#: Passage partners kept per article (the best ``passages`` scores).
PASSAGE_NEIGHBOURS = 30
#: Fewest rows in a block of the neighbour search when an engine runs it in blocks (``blocks.py``): the
#: search costs ~0.15 ms a row (gva replicas), shipping the matrices and loading the kernels on a worker
#: ~1 s, so blocks start at twice this many articles.
BLOCK_ROWS = 10_000
#: Stored entries read at a time by :func:`rarest_terms` (its sort keys: 40 bytes an entry).
RAREST_PART = 1 << 21
#: Largest day difference the time table holds (further apart: the factor of this many days).
MAX_DAYS = 1 << 16

__all__ = ["BUDGET", "FACT_NEIGHBOURS", "MAX_DF", "PASSAGE_NEIGHBOURS", "cap_per_article", "day_array",
           "rare_neighbours", "rarest_terms"]


def day_array(days: Sequence[int | None]) -> np.ndarray:
    """Day numbers as int64 from the first known day (``-1`` unknown)."""
    known = [d for d in days if d is not None]
    base = min(known) if known else 0
    return np.array([-1 if d is None else d - base for d in days], dtype=np.int64)


def _time_table(day: np.ndarray, date_scale: float) -> np.ndarray:
    span = int(min(MAX_DAYS, day.max(initial=0) + 1))
    return np.array([time_factor(d, 0, scale=date_scale) for d in range(max(1, span))], dtype=np.float64)


def rarest_terms(x: sp.csr_matrix, df: np.ndarray, *, budget: int = BUDGET, max_df: int = MAX_DF) -> np.ndarray:
    """Mask over ``x``'s stored entries: each row's terms from the rarest (``df``, then column) while the
    summed document frequencies stay ``<= budget`` and each is ``<= max_df``. Rows are read in parts of
    about ``RAREST_PART`` entries (a row's selection depends on its own entries only)."""
    sel = np.zeros(x.nnz, dtype=bool)
    ptr = x.indptr
    for lo, hi in row_parts(np.diff(ptr), RAREST_PART):
        a, b = int(ptr[lo]), int(ptr[hi])
        lens = np.diff(ptr[lo:hi + 1])
        rows = np.repeat(np.arange(hi - lo, dtype=np.int64), lens)
        d = df[x.indices[a:b]].astype(np.int64)
        order = np.lexsort((x.indices[a:b], d, rows))
        cum = np.cumsum(d[order])
        start = np.repeat(np.concatenate(([0], cum))[ptr[lo:hi] - a], lens)  # the row's sum before
        sel[a + order] = (cum - start <= budget) & (d[order] <= max_df)
    return sel


def rare_neighbours(x: sp.csr_matrix, *, floor: float, k: int, day: np.ndarray | None = None,
                    date_scale: float = 0.0, max_df: int = MAX_DF, budget: int = BUDGET) -> np.ndarray:
    """Sorted unique codes ``i * n + j`` (``i < j``) of the pairs among either end's ``k`` best candidates
    (module docstring) whose exact cosine ``x_i . x_j`` is ``>= floor``."""
    n = x.shape[0]
    if n < 2 or not x.nnz or k <= 0:
        return np.zeros(0, dtype=np.int64)
    x = sp.csr_matrix(x)
    day = np.full(n, -1, np.int64) if day is None else np.asarray(day, np.int64)
    tfac = _time_table(day, date_scale) if date_scale > 0 else np.ones(1)
    xc = x.tocsc()
    sel = rarest_terms(x, np.diff(xc.indptr), budget=budget, max_df=max_df)
    # rows in blocks (blocks.py: one here, or an engine's parts elsewhere), their codes in row order, each
    # block's already cut to the floor (a pair's exact cosine depends on the pair alone): the blocks hand
    # back the kept pairs, not all n * k candidates and their cosines at once
    return sorted_unique(np.concatenate(map_blocks(_rare_block, (x, xc, sel, day, tfac, int(k), float(floor)),
                                                   ranges(n, least=BLOCK_ROWS))))


def _rare_block(shared: tuple, lo: int, hi: int) -> np.ndarray:
    """The codes of rows ``lo:hi``'s candidates whose exact cosine reaches the floor (a row's candidates
    depend only on its own selected terms and the postings: the compiled kernel walks those rows only;
    the SciPy path clears the other rows' selection)."""
    from dedup.near import jit

    x, xc, sel, day, tfac, k, floor = shared
    n = x.shape[0]
    if jit.use():
        from dedup.incident._candidate_kernel import rare_topk

        codes = rare_topk(x.indptr, x.indices, x.data, xc.indptr, xc.indices, xc.data, sel, day, tfac, k, lo, hi)
    else:
        a, b = int(x.indptr[lo]), int(x.indptr[hi])
        if a > 0 or b < sel.size:
            part = np.zeros_like(sel)
            part[a:b] = sel[a:b]
            sel = part
        codes = _rare_topk_scipy(x, sel, day, tfac, k)
    codes = sorted_unique(codes)
    return codes[row_dots(x, codes // n, codes % n) >= floor] if codes.size else codes


def _rare_topk_scipy(x: sp.csr_matrix, sel: np.ndarray, day: np.ndarray, tfac: np.ndarray, k: int,
                     block: int = 1024) -> np.ndarray:
    """The kernel's codes (the same floats: SciPy's product of the selected entries with ``x^T``, then the
    time factor)."""
    n = x.shape[0]
    xr = x.copy()
    xr.data = np.where(sel, xr.data, 0.0)
    xr.eliminate_zeros()
    xt = x.T.tocsc()
    chunks = [np.zeros(0, dtype=np.int64)]
    for lo in range(0, n, block):
        row, col, val = block_entries(xr, xt, lo, block)
        keep = (val > 0) & (col != row)
        row, col, val = row[keep], col[keep], val[keep]
        both = (day[row] >= 0) & (day[col] >= 0)
        gap = np.minimum(np.abs(day[row] - day[col]), tfac.size - 1)
        val = np.where(both, val * tfac[gap], val)
        row, col = top_per_row(row, col, val, k)
        chunks.append(np.minimum(row, col) * n + np.maximum(row, col))
    return np.concatenate(chunks)


def cap_per_article(codes: np.ndarray, score: np.ndarray, n: int, k: int) -> np.ndarray:
    """Boolean mask of the pairs (codes ``i * n + j``) among the ``k`` best of ``i`` or of ``j`` by
    ``score`` (ties: the smaller other end first)."""
    m = codes.size
    keep = np.zeros(m, dtype=bool)
    if not m:
        return keep
    rows, cols = codes // n, codes % n
    ends = np.concatenate((rows, cols))
    other = np.concatenate((cols, rows))
    sc = np.concatenate((score, score))
    idx = np.concatenate((np.arange(m), np.arange(m)))
    order = np.lexsort((other, -sc, ends))
    ends = ends[order]
    first = np.searchsorted(ends, ends, side="left")
    keep[idx[order][np.arange(ends.size) - first < k]] = True
    return keep
