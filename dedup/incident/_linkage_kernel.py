"""Numba kernel of ``linkage.average_link`` over arrays (imported only where Numba is installed).

Cluster pairs live in one open-addressing table (key ``lo * n + hi`` -> cross sum, count of pairs
``>= threshold``; key and sum side by side in one array, so a lookup reads one cache line, the counts in
their own array, read only where the average passes; the pairs of a cluster that merges away are deleted, so it never holds more than the
graph's edges) instead of one dictionary per cluster; each cluster keeps a list of neighbour ids in a
shared pool (dead ids skipped and dropped when its list is walked); ``deg`` counts the live neighbours
(the ``len(adj[i])`` of the Python loop, which decides which cluster folds into which).
"""

from __future__ import annotations

import heapq

import numba as nb
import numpy as np

__all__ = ["average_link_table"]

_jit = nb.njit(cache=True, nogil=True)


@_jit
def _home(key, cap):  # pragma: no cover - compiled
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)
    return np.int64(((h >> np.uint64(32)) * np.uint64(cap)) >> np.uint64(32))  # in [0, cap), cap < 2^32


@_jit
def _find(tab, key):  # pragma: no cover - compiled
    """Slot of ``key`` in the table (``tab[2 s]``: key, -1 empty, -2 deleted; linear probing), or -1."""
    cap = tab.size // 2
    s = _home(key, cap)
    while tab[2 * s] != -1:
        if tab[2 * s] == key:
            return s
        s += 1
        if s == cap:
            s = 0
    return -1


@_jit
def _free(tab, key):  # pragma: no cover - compiled
    """The first deleted or empty slot on ``key``'s probe path (``key`` is not in the table)."""
    cap = tab.size // 2
    s = _home(key, cap)
    while tab[2 * s] >= 0:
        s += 1
        if s == cap:
            s = 0
    return s


@_jit
def _ok(i, k, avg, c, size, inner, threshold, min_coverage, min_relative):  # pragma: no cover - compiled
    if avg < threshold or c < min_coverage * size[i] * size[k]:
        return False
    if min_relative > 0:
        m = np.inf
        if size[i] > 1:
            m = inner[i] / (size[i] * (size[i] - 1) / 2)
        if size[k] > 1:
            m = min(m, inner[k] / (size[k] * (size[k] - 1) / 2))
        if m < np.inf and avg < min_relative * m:
            return False
    return True


@_jit
def _group_miss(core, nc, mine, size, theirs, other, w, share, absent, min_core):  # pragma: no cover
    """``cores._miss``: the IDF share of a group's core unknown to the other group (-1: too small a core)."""
    core[:nc].sort()
    ncore, total, missing = 0, 0.0, 0.0
    for t in range(nc):
        e = core[t]
        c = mine[e]
        if c >= 2 and c >= share * size:
            ncore += 1
            total += w[e]
            if theirs[e] <= absent * other:
                missing += w[e]
    if ncore < min_core or total <= 0:
        return -1.0
    return missing / total


@_jit
def _count_names(c, head, nxt, ptr, ids, cnt, buf):  # pragma: no cover - compiled
    """Count in ``cnt`` how many members of cluster ``c`` name each entity; the distinct ones go to ``buf``
    (their number is returned)."""
    m = 0
    x = head[c]
    while x >= 0:
        for t in range(ptr[x], ptr[x + 1]):
            e = ids[t]
            if cnt[e] == 0:
                buf[m] = e
                m += 1
            cnt[e] += 1
        x = nxt[x]
    return m


@_jit
def _group_conflict(i, j, head, nxt, size, ptr, ids, w, params, min_core, cnt_a, cnt_b, buf_a,
                    buf_b):  # pragma: no cover
    """``cores.group_conflict`` of clusters ``i`` and ``j`` (members walked through ``head`` / ``nxt``)."""
    na = _count_names(i, head, nxt, ptr, ids, cnt_a, buf_a)
    nb = _count_names(j, head, nxt, ptr, ids, cnt_b, buf_b)
    share, absent, conflict = params[0], params[1], params[2]
    ab = _group_miss(buf_a, na, cnt_a, size[i], cnt_b, size[j], w, share, absent, min_core)
    ba = _group_miss(buf_b, nb, cnt_b, size[j], cnt_a, size[i], w, share, absent, min_core)
    for t in range(na):
        cnt_a[buf_a[t]] = 0
    for t in range(nb):
        cnt_b[buf_b[t]] = 0
    return ab >= 0 and ba >= 0 and min(ab, ba) >= conflict


@_jit
def average_link_table(n, rows, cols, vals, threshold, min_coverage, min_relative, tcnt, ptr, ids, w, params,
                       min_group, min_core):  # pragma: no cover
    """Labels of ``linkage.average_link`` (same float operations in the same order). ``tcnt``: zeros of
    the integer type of the pair counts, one per table slot (``rows.size / 0.6`` + 16 of them).
    ``ptr``, ``ids``, ``w``, ``params``, ``min_group``, ``min_core``: the ``cores.EntityCores`` whose
    group conflicts refuse merges (``min_group > n``: none)."""
    cap = tcnt.size  # load <= 0.6
    tab = np.full(2 * cap, -1, np.int64)  # slot p: key tab[2 p], cross sum tf[2 p + 1]
    tf = tab.view(np.float64)
    used = 0  # slots not empty: pairs and deleted ones
    deg = np.zeros(n, np.int64)
    ordered = True  # every edge i < j, codes strictly increasing
    last = -1
    for e in range(rows.size):
        i, j, s = rows[e], cols[e], vals[e]
        ordered = ordered and i < j and i * n + j > last
        last = i * n + j
        if i == j:
            continue
        key = min(i, j) * n + max(i, j)
        p = _find(tab, key)
        if p < 0:
            p = _free(tab, key)
            tab[2 * p] = key
            tf[2 * p + 1] = 0.0
            used += 1
            deg[i] += 1
            deg[j] += 1
        tf[2 * p + 1] += s
        if s >= threshold:
            tcnt[p] = 1
    # neighbour lists in one pool: start, length, capacity per cluster
    start = np.zeros(n, np.int64)
    length = np.zeros(n, np.int64)
    capa = np.maximum(deg, 2)
    start[1:] = np.cumsum(capa)[:-1]
    pool = np.empty(int(capa.sum()) + int(capa.sum()) // 4 + 16, np.int32)
    top = int(capa.sum())
    for p in range(cap):
        key = tab[2 * p]
        if key >= 0:
            i, j = key // n, key % n
            pool[start[i] + length[i]] = j
            length[i] += 1
            pool[start[j] + length[j]] = i
            length[j] += 1
    size = np.ones(n, np.int64)
    version = np.zeros(n, np.int64)
    alive = np.ones(n, np.bool_)
    parent = np.arange(n)
    low = np.arange(n)
    inner = np.zeros(n, np.float64)
    head = np.arange(n)  # each cluster's members: head, next, tail (a merge links two lists)
    nxt = np.full(n, -1, np.int64)
    tail = np.arange(n)
    m_ent = w.size
    cnt_a = np.zeros(m_ent, np.int64)
    cnt_b = np.zeros(m_ent, np.int64)
    buf_a = np.empty(m_ent, np.int64)
    buf_b = np.empty(m_ent, np.int64)
    # candidate merges (-average, lo * n + hi, version[lo] << 32 | version[hi]), taken in the order of the
    # tuples (-average, lo, hi, version[lo], version[hi]) of the Python loop's heap: the first ones (all
    # versions 0) as one sorted array, read in order; those pushed after a merge (a version >= 1) in a heap
    # of 24-byte entries; each step takes the smaller head of the two (the heap's order, as one heap)
    scode = np.empty(0, np.int64)
    sneg = np.empty(0, np.float64)
    for fill in (False, True):  # count, then fill at the exact size
        ns = 0
        if ordered:  # edges given sorted by code, no repeats: the pairs in code order already
            for e in range(rows.size):
                s = 0.0 + vals[e]  # the table's sum
                if _ok(rows[e], cols[e], s, 1 if vals[e] >= threshold else 0, size, inner, threshold,
                       min_coverage, min_relative):
                    if fill:
                        scode[ns] = rows[e] * n + cols[e]
                        sneg[ns] = -s
                    ns += 1
        else:
            for p in range(cap):
                key = tab[2 * p]
                if key >= 0 and _ok(key // n, key % n, tf[2 * p + 1], tcnt[p], size, inner, threshold,
                                    min_coverage, min_relative):
                    if fill:
                        scode[ns] = key
                        sneg[ns] = -tf[2 * p + 1]
                    ns += 1
        if not fill:
            scode = np.empty(ns, np.int64)
            sneg = np.empty(ns, np.float64)
    if not ordered:
        order = np.argsort(scode)  # codes are unique
        scode, sneg = scode[order], sneg[order]
    order = np.argsort(sneg, kind="mergesort")  # stable: by -average, then code
    scode, sneg = scode[order], sneg[order]
    sp = 0
    heap = [(0.0, 0, 0)]
    heap.pop()
    limit = 1 << 16
    while sp < ns or len(heap) > 0:
        if len(heap) > limit:  # drop the stale entries (they would only be popped and skipped)
            live = [(0.0, 0, 0)]
            live.pop()
            for ent in heap:
                a, b = ent[1] // n, ent[1] % n
                if alive[a] and alive[b] and version[a] == ent[2] >> 32 and version[b] == ent[2] & 0xFFFFFFFF:
                    live.append(ent)
            heap = live
            heapq.heapify(heap)
            limit = max(1 << 16, 2 * len(heap))
            continue
        if len(heap) > 0 and (sp == ns or heap[0][0] < sneg[sp] or (heap[0][0] == sneg[sp] and (
                heap[0][1] < scode[sp]))):  # on equal (average, code) the version 0 entry comes first
            _, code, vv = heapq.heappop(heap)
        else:
            code, vv = scode[sp], 0
            sp += 1
        i, j = code // n, code % n
        if not (alive[i] and alive[j]) or version[i] != vv >> 32 or version[j] != vv & 0xFFFFFFFF:
            continue
        if size[i] >= min_group and size[j] >= min_group and _group_conflict(
                i, j, head, nxt, size, ptr, ids, w, params, min_core, cnt_a, cnt_b, buf_a, buf_b):
            continue  # refused now; the pair is looked at again when either group changes
        if deg[j] > deg[i]:
            i, j = j, i
        if (used + length[j]) * 4 > 3 * cap:  # load 0.75: rebuild without the deleted slots
            live_slots = np.flatnonzero(tab[0::2] >= 0)
            ok_keys, ok_sum, ok_cnt = tab[2 * live_slots], tf[2 * live_slots + 1], tcnt[live_slots]
            while (ok_keys.size + length[j]) * 5 > 3 * cap:  # load <= 0.6 after (live pairs never grow)
                cap *= 2
            if 2 * cap != tab.size:
                tab = np.empty(2 * cap, np.int64)
                tf = tab.view(np.float64)
                tcnt = np.zeros(cap, tcnt.dtype)
            tab[:] = -1
            for q in range(ok_keys.size):
                p = _free(tab, ok_keys[q])
                tab[2 * p] = ok_keys[q]
                tf[2 * p + 1] = ok_sum[q]
                tcnt[p] = ok_cnt[q]
            used = ok_keys.size
        alive[j] = False
        parent[j] = i
        nxt[tail[i]] = head[j]
        tail[i] = tail[j]
        pij = _find(tab, min(i, j) * n + max(i, j))
        inner[i] += inner[j] + (tf[2 * pij + 1] if pij >= 0 else 0.0)
        low[i] = min(low[i], low[j])
        if pij >= 0:
            deg[i] -= 1
            tab[2 * pij] = -2
        for t in range(start[j], start[j] + length[j]):
            k = np.int64(pool[t])
            if k == i or not alive[k]:
                continue
            pj = _find(tab, min(j, k) * n + max(j, k))
            sj, cj = tf[2 * pj + 1], tcnt[pj]
            tab[2 * pj] = -2
            deg[k] -= 1
            key = min(i, k) * n + max(i, k)
            p = _find(tab, key)
            if p < 0:
                p = _free(tab, key)
                if tab[2 * p] == -1:
                    used += 1
                tab[2 * p] = key
                tf[2 * p + 1] = 0.0
                tcnt[p] = 0
                deg[k] += 1
                deg[i] += 1
                for c, x in ((i, k), (k, i)):  # append x to c's list, moving it to the pool's end when full
                    if length[c] == capa[c]:
                        nc = 2 * capa[c]
                        if top + nc > pool.size:
                            bigger = np.empty(top + nc + (top + nc) // 2, np.int32)
                            bigger[:top] = pool[:top]
                            pool = bigger
                        pool[top:top + length[c]] = pool[start[c]:start[c] + length[c]]
                        start[c] = top
                        capa[c] = nc
                        top += nc
                    pool[start[c] + length[c]] = x
                    length[c] += 1
            tf[2 * p + 1] += sj
            tcnt[p] += cj
        deg[j] = 0
        size[i] += size[j]
        version[i] += 1
        m = 0
        for t in range(start[i], start[i] + length[i]):
            k = np.int64(pool[t])
            if k == i or not alive[k]:
                continue
            pool[start[i] + m] = k
            m += 1
            p = _find(tab, min(i, k) * n + max(i, k))
            avg = tf[2 * p + 1] / (size[i] * size[k])
            # the count is read only when the average passes (``_ok`` is False below the threshold)
            if not avg < threshold and _ok(i, k, avg, tcnt[p], size, inner, threshold, min_coverage,
                                           min_relative):
                lo, hi = min(i, k), max(i, k)
                heapq.heappush(heap, (-avg, lo * n + hi, (version[lo] << 32) | version[hi]))
        length[i] = m
    out = np.empty(n, np.int64)
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        out[x] = low[r]
    return out
