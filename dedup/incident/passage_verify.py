"""Verification of passage candidates: the IDF-weighted Jaccard of two sentence windows, for many pairs.

``verify(cands, flat, offsets, weight, min_overlap)`` keeps the candidate pairs of units (windows) whose
``sum idf(A & B) / sum idf(A | B)`` reaches ``min_overlap``. The units are CSR integer sets (vocabulary
ids); the weights are looked up per id, so the weighted rows are never stored (at archive scale they
would be 8 bytes for every term of every window). Cut into blocks of pairs (``blocks.py``: here, on
threads, or on an engine's workers), each pair on its own: the same result in any cutting.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from dedup.incident.blocks import map_blocks, ranges
from dedup.incident.features import row_dots

__all__ = ["BLOCK_PAIRS", "verify"]

#: Fewest candidate pairs in a block of the verification when an engine runs it in blocks (``blocks.py``;
#: about 150 ns a pair, so a smaller block costs more in shipping than it saves).
BLOCK_PAIRS = 1 << 20


def verify(cands: np.ndarray, flat: np.ndarray, offsets: np.ndarray, weight: np.ndarray, min_overlap: float,
           block: int = 1 << 20) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(u, v, overlap)`` arrays of the candidate pairs (codes ``u * n + v``, ``n`` units) whose
    IDF-weighted Jaccard reaches ``min_overlap``.

    Unit ``u``'s terms are ``flat[offsets[u]:offsets[u+1]]`` (vocabulary ids, each once), ``weight`` the
    IDF of each id; ``|A & B|`` weighted is a row-wise product of sparse rows (``features.row_dots``), a
    block of pairs at a time; where Numba is available, one compiled loop per block
    (``_passage_kernel.verify_block``: the same floats, the overlap and the test in the loop, each term's
    weight looked up, so the weighted rows are never stored).
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    indices = _sorted_units(np.asarray(flat), offsets).astype(np.int32 if weight.size < 2**31 else np.int64,
                                                               copy=False)
    mass = _mass(indices, offsets, weight)  # sum idf(A); union = |A| + |B| - |A & B|
    # in parts (blocks.py: one here, or an engine's parts elsewhere): each pair's overlap on its own
    parts = map_blocks(_verify_part, (offsets, indices, weight, mass, float(min_overlap), block),
                       [(cands[lo:hi],) for lo, hi in ranges(len(cands), least=BLOCK_PAIRS)])
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]


def _sorted_units(flat: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """``flat`` with each unit's ids in increasing order (as they come from ``match_windows``: unchanged)."""
    step = flat[1:] > flat[:-1]  # (a comparison: no copy or difference array of every term)
    inner = offsets[1:-1]
    step[inner[(inner > 0) & (inner < flat.size)] - 1] = True  # (a unit's first id follows the last one's)
    if step.all():
        return flat
    unit = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    return flat[np.lexsort((flat, unit))]


def _mass(indices: np.ndarray, offsets: np.ndarray, weight: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Each unit's summed weight, as the weighted rows' ``sum(axis=1)`` (a row at a time, so in chunks of
    rows the same floats) without storing all of them."""
    n = offsets.size - 1
    out = np.empty(n)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        a, b = int(offsets[lo]), int(offsets[hi])
        idx = indices[a:b]
        rows = sp.csr_matrix((weight[idx], idx, offsets[lo:hi + 1] - a), shape=(hi - lo, weight.size))
        out[lo:hi] = np.asarray(rows.sum(axis=1)).ravel()
    return out


def _verify_part(shared: tuple, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_verify`` of some candidates, a block of ``block`` at a time."""
    from dedup.near import jit

    indptr, indices, weight, mass, min_overlap, block = shared
    n = indptr.size - 1
    us, vs, ovs = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], [np.empty(0)]
    dense, buf = np.zeros(weight.size), np.empty(max(1, int(np.diff(indptr).max(initial=0))))
    weighted = ones = None
    for lo in range(0, len(cands), block):
        if jit.use():
            from dedup.incident._passage_kernel import verify_block

            part = cands[lo:lo + block]
            u, v, ov = np.empty(part.size, np.int64), np.empty(part.size, np.int64), np.empty(part.size)
            q = verify_block(indptr, indices, weight, mass, part, n, min_overlap, dense, buf, u, v, ov)
            us.append(u[:q].copy())
            vs.append(v[:q].copy())
            ovs.append(ov[:q].copy())
            continue
        if weighted is None:
            weighted = sp.csr_matrix((weight[indices], indices, indptr), shape=(n, weight.size))
            ones = sp.csr_matrix((np.ones(indices.size), indices, indptr), shape=(n, weight.size))
        u, v = np.divmod(cands[lo:lo + block], n)
        inter = row_dots(weighted, u, v, b=ones)
        union = mass[u] + mass[v] - inter
        ov = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        keep = np.flatnonzero(ov >= min_overlap)
        us.append(u[keep])
        vs.append(v[keep])
        ovs.append(ov[keep])
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ovs)


