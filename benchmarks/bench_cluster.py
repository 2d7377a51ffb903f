"""Benchmark: document-mode near-duplicate clustering, this project vs datasketch vs rensa, in one run.

    python benchmarks/bench_cluster.py                    # 10k and 100k articles
    python benchmarks/bench_cluster.py --sizes 10000 100000 --million   # also 1M (lazy corpus, ours only)

For each size the corpus (see ``benchmarks/corpus.py``) is generated first, then timed (128 permutations,
threshold 0.5, word 5-grams):

* ``ours``: ``dedup.engines.local.near_duplicate_pairs`` end to end (shingles, signatures, LSH
  candidates, exact verification) with ``--workers`` processes; per-stage docs/s in one process;
* ``datasketch``: per-document ``MinHash.update_batch`` + ``MinHashLSH`` insert and query (the same
  5-gram shingle strings, from ``dedup.near.shingles.tokens``), on the first ``--baseline-docs``
  articles (10,000 and 20,000; the targets are judged at the largest);
* ``rensa``: ``RMinHash.update`` + ``RMinHashLSH`` (32 bands: rensa needs bands dividing num_perm),
  single process, on the same documents.

Recall is the share of planted (original, edited copy) pairs that a method reports (ours: verified
pairs; the others: LSH candidates). Peak memory is the summed PSS of this process and its children.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import SyntheticCorpus, sentence_pool

_SAMPLER = r"""
import os, select, sys, psutil
root, me, peak = psutil.Process(int(sys.argv[1])), os.getpid(), 0
while True:
    total = 0
    for p in [root, *root.children(recursive=True)]:
        if p.pid != me:
            try:
                total += p.memory_full_info().pss
            except Exception:
                pass
    peak = max(peak, total)
    if select.select([sys.stdin], [], [], 0.05)[0]:
        break
print(peak)
"""


class PeakRSS:
    """The peak memory of this process and its children, sampled every 50 ms by a separate process.

    Each process counts its proportional set size (PSS: pages shared between processes, as forked
    workers share their parent's, are split between them), so the sum is the memory in use; summed RSS
    would count every shared page once per process.

    (A sampling thread in this process would change what is measured: with a second thread running,
    the local engine starts its workers with ``forkserver`` instead of ``fork``.)
    """

    def __init__(self) -> None:
        self.peak = 0

    def __enter__(self) -> PeakRSS:  # noqa: PYI034
        import subprocess

        self._proc = subprocess.Popen([sys.executable, "-c", _SAMPLER, str(os.getpid())],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self._proc.communicate("stop\n")
        self.peak = int(out.strip() or 0)


def recall(found: set[tuple[int, int]], planted: np.ndarray) -> float:
    if len(planted) == 0:
        return float("nan")
    return sum((int(a), int(b)) in found for a, b in planted.tolist()) / len(planted)


def grams(text: str, n: int = 5) -> list[str]:
    from dedup.near.shingles import tokens

    t = tokens(text)
    return [" ".join(t[i:i + n]) for i in range(max(1, len(t) - n + 1))]


def run_ours(texts, planted, workers: int) -> dict:
    from dedup.engines.local import near_duplicate_pairs

    stats: dict = {}
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        pairs, _ = near_duplicate_pairs(texts, threshold=0.5, num_perm=128, workers=workers, stats=stats)
        dt = time.perf_counter() - t0
    found = set(map(tuple, pairs.tolist()))
    return {"seconds": dt, "docs_s": len(texts) / dt, "rss": mem.peak, "recall": recall(found, planted),
            "pairs": len(pairs), "candidates": stats.get("candidates"), "capped": stats.get("capped_buckets")}


def stages_ours(texts) -> dict[str, float]:
    """Docs/s of each stage in one process (word shingles, signatures, LSH candidates, verification)."""
    from dedup.engines.fastshingle import word_shingles
    from dedup.engines.local import verify_block
    from dedup.near.lsh import band_keys, candidate_pairs
    from dedup.near.minhash import signatures_flat

    n = len(texts)
    out = {}
    t = time.perf_counter()
    parts = [word_shingles(texts[s:s + 2000]) for s in range(0, n, 2000)]
    out["shingles"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    sigs = np.concatenate([signatures_flat(v, o, num_perm=128, dtype=np.uint32) for v, o in parts])
    out["signatures"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    cand = candidate_pairs(band_keys(sigs, 25, 5))
    out["lsh"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    docs, local = np.unique(cand, return_inverse=True)
    verify_block(local.reshape(-1, 2), [texts[int(i)] for i in docs])
    out["verify"] = n / (time.perf_counter() - t)
    return out


def run_datasketch(texts, planted) -> dict:
    from datasketch import MinHash, MinHashLSH

    with PeakRSS() as mem:
        t0 = time.perf_counter()
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        mhs = []
        for i, text in enumerate(texts):
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([g.encode("utf-8") for g in grams(text)])
            lsh.insert(i, m)
            mhs.append(m)
        found = {(min(i, j), max(i, j)) for i, m in enumerate(mhs) for j in lsh.query(m) if j != i}
        dt = time.perf_counter() - t0
    return {"seconds": dt, "docs_s": len(texts) / dt, "rss": mem.peak, "recall": recall(found, planted),
            "pairs": len(found)}


def run_rensa(texts, planted) -> dict:
    from rensa import RMinHash, RMinHashLSH

    with PeakRSS() as mem:
        t0 = time.perf_counter()
        lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)
        mhs = []
        for i, text in enumerate(texts):
            m = RMinHash(num_perm=128, seed=1)
            m.update(grams(text))
            lsh.insert(i, m)
            mhs.append(m)
        found = {(min(i, j), max(i, j)) for i, m in enumerate(mhs) for j in lsh.query(m) if j != i}
        dt = time.perf_counter() - t0
    return {"seconds": dt, "docs_s": len(texts) / dt, "rss": mem.peak, "recall": recall(found, planted),
            "pairs": len(found)}


def mb(x: float) -> str:
    return f"{x / 2**20:,.0f} MB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--million", action="store_true", help="also run 1,000,000 articles (ours, lazy corpus)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--baseline-docs", type=int, nargs="*", default=[10_000, 20_000],
                    help="corpus sizes at which datasketch and rensa are timed against ours (the first N "
                         "articles of the first size that has N; none: skip them); the targets are "
                         "judged at the largest (default: 10000 20000)")
    ap.add_argument("--copy-every", type=int, default=10, help="every k-th article is an edited copy (10)")
    args = ap.parse_args()
    print(f"# bench_cluster: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, workers={args.workers}, 128 perms, threshold 0.5, word 5-grams")
    print(f"# sentence pool: {len(sentence_pool()):,} real sentences; every {args.copy_every}th article "
          f"is an edited copy; peak mem = summed PSS of the process tree")
    # the 1M run goes first, in a process that has not yet held a smaller corpus in memory
    sizes = ([1_000_000] if args.million else []) + list(args.sizes)
    targets: list[tuple[str, bool, str]] = []
    ratios: dict[int, tuple[float, float]] = {}
    for n in sizes:
        lazy = SyntheticCorpus(n, copy_every=args.copy_every)
        planted = lazy.planted()
        materialise = n <= 200_000
        t = time.perf_counter()
        texts = list(lazy) if materialise else lazy
        gen = time.perf_counter() - t
        mean = np.mean([len(texts[i]) for i in range(0, n, max(1, n // 1000))])
        print(f"\n## {n:,} articles (mean {mean:,.0f} chars, {len(planted):,} planted copies; "
              f"{'generated in ' + format(gen, '.1f') + ' s before timing' if materialise else 'generated lazily inside the timed run'})")
        ours = run_ours(texts, planted, args.workers)
        print(f"ours        end-to-end {ours['docs_s']:>9,.0f} docs/s  {ours['seconds']:7.1f} s  peak mem "
              f"{mb(ours['rss']):>9}  recall {ours['recall']:.3f}  ({ours['pairs']:,} verified of "
              f"{ours['candidates']:,} candidates, {ours['capped']} capped buckets)")
        if materialise:
            st = stages_ours(texts[: min(n, 20_000)])
            print(f"ours stages (1 process, first {min(n, 20_000):,}): "
                  + ", ".join(f"{k} {v:,.0f} docs/s" for k, v in st.items()))
        if n == 1_000_000:
            targets.append(("1M articles in < 120 s", ours["seconds"] < 120, f"{ours['seconds']:.1f} s"))
            targets.append(("1M peak memory (process tree, PSS) < 2 GB", ours["rss"] < 2 * 2**30, mb(ours["rss"])))
        for nb in sorted(x for x in args.baseline_docs or [] if 0 < x <= n and x not in ratios):
            if not materialise:
                continue
            sub = texts[:nb]
            sub_planted = planted[(planted < nb).all(axis=1)]
            ours_b = run_ours(sub, sub_planted, args.workers) if nb != n else ours
            ds = run_datasketch(sub, sub_planted)
            rs = run_rensa(sub, sub_planted)
            print(f"baselines on the first {nb:,} articles:")
            for name, r in (("ours", ours_b), ("datasketch", ds), ("rensa", rs)):
                print(f"  {name:10s} {r['docs_s']:>9,.0f} docs/s  {r['seconds']:7.1f} s  peak mem {mb(r['rss']):>9}"
                      f"  recall {r['recall']:.3f}")
            ratios[nb] = (ours_b["docs_s"] / ds["docs_s"], ours_b["docs_s"] / rs["docs_s"])
            print(f"  ratios: ours/datasketch {ratios[nb][0]:.1f}x, ours/rensa {ratios[nb][1]:.1f}x")
    if ratios:
        nb = max(ratios)
        r_ds, r_rs = ratios[nb]
        others = ", ".join(f"{k:,}: {v[0]:.1f}x / {v[1]:.1f}x" for k, v in sorted(ratios.items()) if k != nb)
        note = f" at {nb:,} articles" + (f" (datasketch / rensa at {others})" if others else "")
        targets.append((">= 10x datasketch docs/s", r_ds >= 10, f"{r_ds:.1f}x{note}"))
        targets.append((">= 2x single-process rensa docs/s", r_rs >= 2, f"{r_rs:.1f}x at {nb:,} articles"))
    print("\n## targets")
    for name, ok, val in targets:
        print(f"{'MET    ' if ok else 'NOT MET'}  {name}: {val}")
    if not args.million:
        print("(1M run not requested: add --million)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
