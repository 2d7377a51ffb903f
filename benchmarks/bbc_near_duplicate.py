"""Near-duplicate mode on the BBC corpus: time, and recall/precision against exact all-pairs Jaccard.

Usage: python benchmarks/bbc_near_duplicate.py BBC_DIR [--threshold 0.5] [--workers 1]
(get the corpus with ../shared/corpora/get-bbc.sh BBC_DIR).

Truth = every pair whose word-5-gram shingle sets have exact Jaccard >= threshold, computed for all
n(n-1)/2 pairs with one sparse product; the pipeline's verified pairs are compared with it. Also checks
that every exact-duplicate body is clustered with its twin.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp

import dedup
from dedup.near.shingles import shingle_hashes


def exact_pairs(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    sets = [shingle_hashes(t) for t in texts]
    allh = np.concatenate(sets)
    _, cols = np.unique(allh, return_inverse=True)
    indptr = np.concatenate([[0], np.cumsum([len(s) for s in sets])])
    x = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr), shape=(len(sets), cols.max() + 1))
    inter = (x @ x.T).tocoo()
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    keep = inter.row < inter.col
    r, c, v = inter.row[keep], inter.col[keep], inter.data[keep].astype(np.float64)
    jac = v / (sizes[r] + sizes[c] - v)
    return {(int(a), int(b)) for a, b in zip(r[jac >= threshold], c[jac >= threshold])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bbc_dir")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    articles, _ = dedup.read(args.bbc_dir)
    t_read = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = dedup.cluster(articles, mode="near-duplicate", threshold=args.threshold, workers=args.workers)
    t_cluster = time.perf_counter() - t1
    ids = [a.id for a in articles]
    pos = {i: k for k, i in enumerate(ids)}
    found = {tuple(sorted((pos[p.a], pos[p.b]))) for p in result.pairs}
    truth = exact_pairs([a.text for a in articles], args.threshold)
    tp = len(found & truth)
    recall = tp / len(truth) if truth else 1.0
    precision = tp / len(found) if found else 1.0
    where = result.cluster_of()
    bodies: dict[str, list[str]] = {}
    for a in articles:
        bodies.setdefault(a.text.strip(), []).append(a.id)
    twins = [g for g in bodies.values() if len(g) > 1]
    split = sum(1 for g in twins if len({where[i].id for i in g}) > 1)
    print(f"articles {len(articles)}  read {t_read:.2f}s  cluster {t_cluster:.2f}s  "
          f"(timings {({k: round(v, 2) for k, v in result.timings.items()})})")
    print(f"threshold {args.threshold}: exact pairs {len(truth)}, verified {len(found)}, "
          f"recall {recall:.4f}, precision {precision:.4f}")
    print(f"exact-duplicate bodies: {len(twins)} groups, {split} not clustered together")
    return 0 if recall >= 0.95 and precision == 1.0 and split == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
