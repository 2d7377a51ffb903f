"""Numba kernels of incident mode (imported only where Numba is installed; see ``linkage``)."""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["bucket_pairs", "merge_unique", "row_products", "top_pairs"]

_jit = nb.njit(cache=True, nogil=True)


@_jit
def row_products(indptr, indices, data_a, data_b, rows, cols, ncols):  # pragma: no cover - compiled
    """Products ``a[rows[k], t] * b[cols[k], t]`` over the shared columns ``t`` of two CSR matrices of one
    structure (sorted indices), in column order, as ``(products, offsets)``: the data of SciPy's
    ``a[rows].multiply(b[cols])`` (zero products dropped), so ``np.add.reduceat`` over it sums them as
    SciPy's ``sum(axis=1)``. Row ``rows[k]`` is scattered into a dense vector once per run of equal rows."""
    cap = 0
    for e in range(rows.size):
        cap += min(indptr[rows[e] + 1] - indptr[rows[e]], indptr[cols[e] + 1] - indptr[cols[e]])
    out = np.empty(cap, np.float64)
    off = np.zeros(rows.size + 1, np.int64)
    dense = np.zeros(ncols, np.float64)
    cur = -1
    q = 0
    for e in range(rows.size):
        r = rows[e]
        if r != cur:
            if cur >= 0:
                for t in range(indptr[cur], indptr[cur + 1]):
                    dense[indices[t]] = 0.0
            for t in range(indptr[r], indptr[r + 1]):
                dense[indices[t]] = data_a[t]
            cur = r
        c = cols[e]
        for t in range(indptr[c], indptr[c + 1]):
            x = dense[indices[t]]
            if x != 0.0:
                p = x * data_b[t]
                if p != 0.0:  # SciPy drops zero products
                    out[q] = p
                    q += 1
        off[e + 1] = q
    return out[:q], off


@_jit
def top_pairs(indptr, indices, data, lo, n, floor, k):  # pragma: no cover - compiled
    """Codes ``min(i, j) * n + max(i, j)`` of the entries ``>= floor`` off the diagonal of each row ``i``
    (``lo + r``) of a CSR block; with ``k > 0`` only a row's ``k`` largest (ties: smaller column first)."""
    rows = indptr.size - 1
    out = np.empty(data.size, np.int64)
    q = 0
    cs = np.empty(0, np.int64)
    vs = np.empty(0, np.float64)
    for r in range(rows):
        i = lo + r
        a, b = indptr[r], indptr[r + 1]
        if b - a > cs.size:
            cs = np.empty(b - a, np.int64)
            vs = np.empty(b - a, np.float64)
        m = 0
        for t in range(a, b):
            j = indices[t]
            if data[t] >= floor and j != i:
                cs[m] = j
                vs[m] = -data[t]
                m += 1
        if k > 0 and m > k:
            # the k smallest by (-value, column): all below the k-th value, then its ties by column
            t = np.partition(vs[:m], k - 1)[k - 1]
            need = k
            for x in range(m):
                if vs[x] < t:
                    need -= 1
            ties = np.sort(cs[:m][vs[:m] == t])[:need]
            for x in range(m):
                if vs[x] < t:
                    j = cs[x]
                    out[q] = min(i, j) * n + max(i, j)
                    q += 1
            for j in ties:
                out[q] = min(i, j) * n + max(i, j)
                q += 1
        else:
            for x in range(m):
                j = cs[x]
                out[q] = min(i, j) * n + max(i, j)
                q += 1
    return out[:q].copy()


@_jit
def bucket_pairs(order, starts, lens, unit_doc, max_bucket):  # pragma: no cover - compiled
    """Codes ``lo * N + hi`` of the pairs of one LSH band whose units belong to different articles:
    every pair of a bucket (a run ``order[starts[b]:starts[b] + lens[b]]``) of at most ``max_bucket``
    units, the smallest unit with each other one in a larger bucket (``dedup.near.lsh.candidate_pairs``)."""
    nu = unit_doc.size
    cap = 0
    for b in range(starts.size):
        m = lens[b]
        cap += m * (m - 1) // 2 if m <= max_bucket else m - 1
    out = np.empty(cap, np.int64)
    q = 0
    for b in range(starts.size):
        m = lens[b]
        mem = order[starts[b]:starts[b] + m]
        if m <= max_bucket:
            for x in range(m):
                u = mem[x]
                for y in range(x + 1, m):
                    v = mem[y]
                    if unit_doc[u] != unit_doc[v]:
                        out[q] = min(u, v) * nu + max(u, v)
                        q += 1
        else:
            u = mem.min()
            for y in range(m):
                v = mem[y]
                if v != u and unit_doc[u] != unit_doc[v]:
                    out[q] = u * nu + v
                    q += 1
    return out[:q].copy()


@_jit
def merge_unique(a, b):  # pragma: no cover - compiled
    """The sorted union of two sorted arrays without repeats (``b`` may hold repeats), allocated at its
    exact size (one pass to count, one to fill)."""
    out = np.empty(0, a.dtype)
    for fill in (False, True):
        i = j = q = 0
        last = 0
        while i < a.size or j < b.size:
            if j >= b.size or (i < a.size and a[i] <= b[j]):
                x = a[i]
                i += 1
            else:
                x = b[j]
                j += 1
            if q == 0 or last != x:
                if fill:
                    out[q] = x
                q += 1
                last = x
        if not fill:
            out = np.empty(q, a.dtype)
    return out
