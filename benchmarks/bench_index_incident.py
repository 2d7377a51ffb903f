"""Benchmark: an incident-mode index (``dedup index create --mode incident``): adds and queries as it grows.

    python benchmarks/bench_index_incident.py                      # gva replicas: 1,500 and 3,000 articles
    python benchmarks/bench_index_incident.py --sizes 1000 --batch 50 --queries 20

The corpus is ``benchmarks/corpus.py``'s ``gva_replicas`` (gva-dev, 1,500 dated shooting reports,
replicated with rewording years apart), shuffled. The index is grown by adds of ``--grow`` articles;
whenever it reaches one of ``--sizes``:

* the next ``--batch`` articles are added and timed (``regrouped``: earlier articles whose company of
  earlier articles changed; ``drift``: articles of clusters without a new article that were not a
  cluster before the add, i.e. moved by the statistics alone), by stage (``AddReport.stages``: analyse the new
  articles, store them, re-score and re-group the whole index from the stored analyses, write the
  clusters), beside ``dedup.cluster(..., mode="incident")`` over the same articles from scratch (what
  the add's result equals) and the file size;
* ``--statistics frozen``: the same with frozen statistics (``dedup.index.frozen``: the first growing add
  freezes them; ``rescore`` is then scoring the new pairs and re-grouping the components they touch);
* ``--queries`` articles not in the index are queried (``query_incident``, one at a time, in this
  process: the figure a service holding the index gets; a CLI call adds Python's start-up).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import gva_replicas


def _groups(rows: list[dict]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for r in rows:
        by.setdefault(r["cluster_id"], set()).add(r["id"])
    return {frozenset(g) for g in by.values()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1500, 3000])
    ap.add_argument("--batch", type=int, default=100, help="articles per timed add (100)")
    ap.add_argument("--grow", type=int, default=1500, help="articles per untimed growing add (1,500)")
    ap.add_argument("--queries", type=int, default=30, help="articles queried at each size (30)")
    ap.add_argument("--no-batch-run", action="store_true", help="skip the from-scratch dedup.cluster timing")
    ap.add_argument("--years-apart", type=int, default=3,
                    help="years between gva replicas (3; gva-dev spans 4 years, so 3 overlaps them in time)")
    ap.add_argument("--order", choices=("shuffled", "date"), default="shuffled",
                    help="shuffled (every add spans the whole time range: the index gets denser) or date (adds "
                         "arrive in time order, as an archive grows: the index gets longer)")
    ap.add_argument("--statistics", choices=("exact", "frozen"), default="exact",
                    help="the index's statistics (frozen: the first growing add freezes them)")
    args = ap.parse_args()
    from dedup.index.incident_query import query_incident
    from dedup.index.ops import add_articles, cluster_rows
    from dedup.index.store import create_index
    from dedup.pipeline import cluster, to_articles

    top = max(args.sizes) + args.batch + args.queries
    arts = to_articles(gva_replicas(top, years_apart=args.years_apart))
    random.Random(7).shuffle(arts)
    if args.order == "date":
        arts.sort(key=lambda a: (a.date or "", a.id))
    print(f"# bench_index_incident: {os.cpu_count()} cores; {args.statistics} statistics; gva replicas "
          f"{args.years_apart} years apart, {args.order}, adds of {args.batch}, "
          f"{args.queries} queries per size")
    print(f"{'index size':>10} {'add s':>7} {'analyse':>8} {'store':>6} {'rescore':>8} {'write':>6} "
          f"{'regrouped':>9} {'drift':>5} {'cluster s':>9} {'query ms p50':>12} {'p90':>6} {'max':>6} {'file MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        idx = str(Path(tmp) / "bench.idx")
        create_index(idx, threshold=None, mode="incident", statistics=args.statistics)
        n = 0
        for size in sorted(args.sizes):
            while n < size:
                step = min(args.grow, size - n)
                add_articles(idx, arts[n:n + step])
                n += step
            before = _groups(cluster_rows(idx))
            rep = add_articles(idx, arts[n:n + args.batch])
            n += args.batch
            new = {a.id for a in arts[n - args.batch:n]}
            after = _groups(cluster_rows(idx))
            # groups of earlier articles only that are not groups of before: the statistics moved them
            drift = sum(len(g) for g in after if not g & new and g not in before)
            st = rep.stages
            if args.no_batch_run:
                full = float("nan")
            else:
                t = time.perf_counter()
                cluster(arts[:n], mode="incident")
                full = time.perf_counter() - t
            qs = []
            for a in arts[n:n + args.queries]:
                t = time.perf_counter()
                query_incident(idx, a)
                qs.append(1000 * (time.perf_counter() - t))
            qs.sort()
            p90 = qs[min(len(qs) - 1, int(0.9 * len(qs)))]
            mb = sum(os.path.getsize(idx + s) for s in ("", "-wal") if os.path.exists(idx + s)) / 1e6
            con = sqlite3.connect(idx)
            edges = con.execute("SELECT COUNT(*) FROM edges").fetchone()[0] if args.statistics == "frozen" else 0
            con.close()
            if edges:
                print(f"# {edges:,} stored edges")
            print(f"{size:>10,} {rep.seconds:>7.2f} {st['analyse']:>8.2f} {st['store']:>6.2f} {st['rescore']:>8.2f} "
                  f"{st['write']:>6.2f} {rep.regrouped:>9} {drift:>5} {full:>9.2f} {statistics.median(qs):>12.1f} {p90:>6.1f} "
                  f"{qs[-1]:>6.1f} {mb:>8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
