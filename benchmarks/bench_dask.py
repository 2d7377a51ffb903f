"""Benchmark: the Dask engine's speed-up against the local engine, at 1, 2, ... workers.

    python benchmarks/bench_dask.py --docs 20000 --workers 1 2

Each Dask run uses a fresh ``LocalCluster`` of single-threaded worker processes (its start-up time
is reported apart and not counted); the local engine runs with 1 process. Results are checked equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import SyntheticCorpus


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    from dedup.engines import dask_engine, local

    texts = list(SyntheticCorpus(args.docs))
    print(f"# bench_dask: {args.docs:,} articles (~3 KB, in memory), {os.cpu_count()} cores; "
          "speed-up = local engine with 1 process / this run")
    local.near_duplicate_pairs(texts[:3000], workers=1)  # compiled kernels loaded before timing
    t = time.perf_counter()
    ref, _ = local.near_duplicate_pairs(texts, workers=1)
    base = time.perf_counter() - t
    print(f"local engine, 1 process:    {base:6.1f} s  {args.docs / base:8,.0f} docs/s  ({len(ref):,} pairs)")
    for w in args.workers:  # all local runs first: once Dask has started threads here, the local
        if w > 1:           # engine would start its workers with forkserver instead of fork
            t = time.perf_counter()
            pairs, _ = local.near_duplicate_pairs(texts, workers=w)
            dt = time.perf_counter() - t
            print(f"local engine, {w} processes:{dt:6.1f} s  {args.docs / dt:8,.0f} docs/s  speed-up {base / dt:4.2f}x"
                  f"  (same pairs: {np.array_equal(pairs, ref)})")
    dask1 = None
    for w in args.workers:
        t = time.perf_counter()
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=":0") as cl, \
                Client(cl) as c:
            c.wait_for_workers(w)
            start = time.perf_counter() - t
            t = time.perf_counter()
            pairs, _ = dask_engine.near_duplicate_pairs(texts, client=c)
            dt = time.perf_counter() - t
        dask1 = dask1 or dt
        same = np.array_equal(pairs, ref)
        print(f"dask, {w} worker(s):        {dt:6.1f} s  {args.docs / dt:8,.0f} docs/s  speed-up {base / dt:4.2f}x"
              f"  (vs dask with {args.workers[0]} worker(s): {dask1 / dt:4.2f}x; cluster start {start:.1f} s"
              f" not counted; same pairs as local: {same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
