"""Numba kernels of incident mode (imported only where Numba is installed; see ``linkage``)."""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["bucket_pairs", "knn_codes", "merge_unique", "offdiag_rows", "row_dots_into"]

_jit = nb.njit(cache=True, nogil=True)


@_jit
def _block_sum(a, lo, n):  # pragma: no cover - compiled
    """A leaf of NumPy's ``pairwise_sum`` (``n <= 128``): in order below 8 items, else 8 running sums."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - n % 8:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@_jit
def _pairwise_sum(a, lo, n):  # pragma: no cover - compiled
    """``a[lo:lo + n]`` summed as NumPy's ``pairwise_sum`` (the inner loop of ``np.add.reduce`` /
    ``reduceat`` over contiguous float64): blocks of at most 128 items, longer runs split in two halves
    (the first a multiple of 8) and their sums added; without recursion (Numba cannot cache it)."""
    if n <= 128:
        return _block_sum(a, lo, n)
    # depth-first over the halves: frames (lo, n, children done), partial sums on a second stack
    flo = np.empty(64, np.int64)
    fn = np.empty(64, np.int64)
    fst = np.empty(64, np.int64)
    vals = np.empty(64, np.float64)
    top = 0
    nv = 0
    flo[0], fn[0], fst[0] = lo, n, 0
    while top >= 0:
        m = fn[top]
        if m <= 128:
            vals[nv] = _block_sum(a, flo[top], m)
            nv += 1
            top -= 1
            continue
        half = m // 2
        half -= half % 8
        if fst[top] == 0:
            fst[top] = 1
            flo[top + 1], fn[top + 1], fst[top + 1] = flo[top], half, 0
            top += 1
        elif fst[top] == 1:
            fst[top] = 2
            flo[top + 1], fn[top + 1], fst[top + 1] = flo[top] + half, m - half, 0
            top += 1
        else:
            nv -= 1
            vals[nv - 1] = vals[nv - 1] + vals[nv]
            top -= 1
    return vals[0]


@_jit
def row_dots_into(indptr, indices, data_a, data_b, rows, cols, ncols, out):  # pragma: no cover - compiled
    """``out[e] = a[rows[e]] . b[cols[e]]`` for two CSR matrices of one structure (sorted indices): the
    products of the shared columns in column order (zero products dropped), as in SciPy's
    ``a[rows].multiply(b[cols])``, summed as ``np.add.reduceat`` sums a segment (its first product plus the
    pairwise sum of the rest), so the floats of ``sum(axis=1)``; 0 where no product. Row ``rows[e]`` is
    scattered into a dense vector once per run of equal rows."""
    dense = np.zeros(ncols, np.float64)
    buf = np.empty(ncols, np.float64)
    cur = -1
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
        m = 0
        for t in range(indptr[c], indptr[c + 1]):  # without a branch: written always, kept if not 0
            p = dense[indices[t]] * data_b[t]
            buf[m] = p
            m += p != 0.0  # SciPy drops zero products (and columns of row r are the only non-zeros)
        out[e] = buf[0] + _pairwise_sum(buf, 1, m - 1) if m else 0.0


@_jit
def _keep_top(i, n, cs, vs, m, k, out, q):  # pragma: no cover - compiled
    """Append to ``out`` (from ``q``) the codes ``min(i, j) * n + max(i, j)`` of row ``i``'s ``m`` candidates
    ``cs`` (values ``-vs``), with ``k > 0`` only the ``k`` largest (ties: smaller column first); returns the
    new ``q``."""
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
    return q


@_jit
def _worse(va, ca, vb, cb):  # pragma: no cover - compiled
    """Candidate ``(va, ca)`` ranks after ``(vb, cb)``: a smaller cosine, or the same and a larger column."""
    return va < vb or (va == vb and ca > cb)


@_jit
def _offer(hv, hc, hs, row, v, c, k):  # pragma: no cover - compiled
    """Keep ``(v, c)`` among row ``row``'s ``k`` best so far: a heap per row, its worst entry at the root."""
    m = hs[row]
    if m < k:
        x = m
        hs[row] = m + 1
        while x > 0:
            up = (x - 1) >> 1
            if not _worse(v, c, hv[row, up], hc[row, up]):
                break
            hv[row, x] = hv[row, up]
            hc[row, x] = hc[row, up]
            x = up
    elif _worse(hv[row, 0], hc[row, 0], v, c):
        x = 0
        while True:
            w = 2 * x + 1
            if w >= k:
                break
            if w + 1 < k and _worse(hv[row, w + 1], hc[row, w + 1], hv[row, w], hc[row, w]):
                w += 1
            if not _worse(hv[row, w], hc[row, w], v, c):
                break
            hv[row, x] = hv[row, w]
            hc[row, x] = hc[row, w]
            x = w
    else:
        return
    hv[row, x] = v
    hc[row, x] = c


@_jit
def knn_codes(indptr, indices, data, pptr, pdoc, pval, floor, k, once):  # pragma: no cover - compiled
    """Codes ``min(i, j) * n + max(i, j)`` of the entries ``>= floor`` off the diagonal of each row ``i`` of
    ``x x^T``, with ``k > 0`` only a row's ``k`` largest (ties: smaller column first), without the product
    matrix: row ``i``'s cosines are summed in a dense accumulator, a term of row ``i`` at a time in its
    stored order, ``acc[j] += x[i, t] * x[j, t]``, the additions of SciPy's ``csr_matmat`` in the same order
    (so the same floats); ``x`` is CSR ``indptr, indices, data``, its columns ``pptr, pdoc, pval`` (CSC,
    documents in order).

    ``once`` (``x`` with sorted indices): half the work. ``x_i . x_j`` then sums the products of the shared
    columns in column order whichever row it starts from, so each pair is summed once, from its smaller
    row (the columns' documents past ``i``); with ``k > 0`` the cosine is also offered to the larger row's
    heap of its ``k`` best so far, which joins that row's own candidates."""
    n = indptr.size - 1
    nxt = pptr[:pptr.size - 1].copy()  # with once: per column, its first document past the current row
    acc = np.zeros(n, np.float64)
    seen = np.zeros(n, np.bool_)
    touched = np.empty(n, np.int64)
    cs = np.empty(n + k, np.int64)
    vs = np.empty(n + k, np.float64)
    heaps = k if once and k > 0 else 0
    hv = np.empty((n if heaps else 0, heaps), np.float64)
    hc = np.empty((n if heaps else 0, heaps), np.int64)
    hs = np.zeros(n, np.int64)
    rv = np.zeros(n, np.float64)  # the root (worst) of each row's heap
    rc = np.zeros(n, np.int64)
    out = np.empty(max(16, n * (k if k > 0 else 8)), np.int64)
    q = 0
    for i in range(n):
        nt = 0
        for t in range(indptr[i], indptr[i + 1]):
            v = data[t]
            c = indices[t]
            first = nxt[c]
            end = pptr[c + 1]
            if once:
                while first < end and pdoc[first] <= i:
                    first += 1
                nxt[c] = first
            for p in range(first, end):  # without a branch: j listed the first time it is seen
                j = pdoc[p]
                touched[nt] = j
                nt += not seen[j]
                seen[j] = True
                acc[j] += v * pval[p]
        m = 0
        for x in range(nt):
            j = touched[x]
            s = acc[j]
            acc[j] = 0.0
            seen[j] = False
            if s != 0.0 and s >= floor and j != i:
                cs[m] = j
                vs[m] = -s
                m += 1
                # offered to row j unless its heap is full and its worst ranks before (s, i): that test on
                # two arrays of n (a heap's root is read only when it changes)
                if heaps and (hs[j] < k or _worse(rv[j], rc[j], s, i)):
                    _offer(hv, hc, hs, j, s, i, k)
                    rv[j] = hv[j, 0]
                    rc[j] = hc[j, 0]
        for x in range(hs[i]):  # the k best of the smaller rows
            cs[m] = hc[i, x]
            vs[m] = -hv[i, x]
            m += 1
        if q + m > out.size:
            bigger = np.empty(max(2 * out.size, q + m), np.int64)
            bigger[:q] = out[:q]
            out = bigger
        q = _keep_top(i, n, cs, vs, m, k, out, q)
    return out[:q].copy()


@_jit
def offdiag_rows(indptr, indices, data, pptr, pdoc, pval, rows):  # pragma: no cover - compiled
    """Rows ``rows`` of ``x x^T`` without their diagonal entry, one after the other (``R (n - 1)`` floats):
    what ``(x[rows] @ x.T).toarray()`` holds off the diagonal, row by row, summed as in ``knn_codes``."""
    n = indptr.size - 1
    out = np.empty(rows.size * max(n - 1, 0), np.float64)
    acc = np.zeros(n, np.float64)
    q = 0
    for r in range(rows.size):
        i = rows[r]
        for t in range(indptr[i], indptr[i + 1]):
            v = data[t]
            c = indices[t]
            for p in range(pptr[c], pptr[c + 1]):
                acc[pdoc[p]] += v * pval[p]
        for j in range(n):
            if j != i:
                out[q] = acc[j]
                q += 1
            acc[j] = 0.0
    return out


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
