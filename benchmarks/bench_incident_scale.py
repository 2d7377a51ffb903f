"""Incident mode at archive scale: wall time and peak RSS per corpus size, the growth exponent, a 1M
extrapolation, and (``--quality N``) bounded candidates against the all-pairs search on the same corpus.

Usage: python benchmarks/bench_incident_scale.py [--corpus gva|synthetic] [--sizes 50000,100000,200000]
       python benchmarks/bench_incident_scale.py --corpus gva --quality 6000
       python benchmarks/bench_incident_scale.py --cli --workers 2 [--sizes ...]   # as a user runs an archive

``--cli``: the corpus is written to a JSONL file and clustered by ``dedup cluster FILE --mode incident
--stream --workers W -f jsonl -o OUT -q`` (texts read from the file, never all in memory); memory is
the peak of the whole process tree's PSS (the analysis workers included, pages they share with the
parent counted once), sampled every 0.2 s with psutil, beside the parent's own peak RSS.

Corpora: ``gva`` = ``corpus.gva_replicas(n)`` (gva-dev replicated with rewording, dated, labelled: ARI
is printed); ``synthetic`` = ``corpus.SyntheticCorpus(n, size=1500)`` (random real sentences, which
recur in many articles: the passage stress case of docs/incident.md). Each size runs in a fresh
process (``ru_maxrss`` is that run's peak, the corpus included), one at a time. The exponent is the
least-squares slope of log(seconds) against log(n); 1M is extrapolated from the largest size with it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _articles(corpus: str, n: int) -> list[Any]:
    if corpus == "gva":
        from corpus import gva_replicas

        return gva_replicas(n)
    from corpus import SyntheticCorpus

    return list(SyntheticCorpus(n, size=1500))


def _ari(res: Any, arts: list[Any]) -> float | None:
    if not arts or not isinstance(arts[0], dict):
        return None
    from collections import Counter

    pred = {m: k for k, c in enumerate(res.clusters) for m in c.members}
    truth = [a["event"] for a in arts]
    got = [pred[a["id"]] for a in arts]

    def pairs(counts: Counter[Any]) -> float:
        return float(sum(c * (c - 1) / 2 for c in counts.values()))

    # the adjusted Rand index from sparse counts (dedup.evaluate's dense table and AMI do not fit 100k labels)
    both, a_, b_ = pairs(Counter(zip(truth, got, strict=True))), pairs(Counter(truth)), pairs(Counter(got))
    total = len(arts) * (len(arts) - 1) / 2
    expected = a_ * b_ / total
    top = (a_ + b_) / 2
    return (both - expected) / (top - expected) if top != expected else 1.0


def one(corpus: str, n: int, bounded: bool = True) -> dict[str, Any]:
    """One incident run in this process: seconds, peak RSS MiB, clusters, ARI (gva)."""
    import functools

    import dedup
    from dedup.incident import score

    if not bounded:
        score.build_graph = functools.partial(score.build_graph, bounded=False)  # type: ignore[assignment]
    arts = _articles(corpus, n)
    t = time.perf_counter()
    res = dedup.cluster(arts, mode="incident")
    secs = time.perf_counter() - t
    ari = _ari(res, arts)
    return {"n": n, "bounded": bounded, "seconds": round(secs, 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "clusters": sum(1 for c in res.clusters if len(c.members) > 1), "pairs": len(res.pairs),
            "ari": None if ari is None else round(ari, 4)}


def _fresh(corpus: str, n: int, bounded: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--one", str(n), "--corpus", corpus] + ([] if bounded else ["--all-pairs"])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _tree_pss(proc: Any) -> int:
    """PSS bytes of ``proc`` and its descendants (0 for those gone)."""
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _cli(corpus: str, n: int, workers: int) -> dict[str, Any]:
    """One ``dedup cluster --mode incident --stream`` run on ``n`` articles written to a file."""
    import tempfile
    import threading

    import psutil

    arts = _articles(corpus, n)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "corpus.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(src, "w", encoding="utf-8") as fh:
            if isinstance(arts[0], dict):
                fh.writelines(json.dumps(a) + "\n" for a in arts)
            else:
                fh.writelines(json.dumps({"id": f"s{k:07d}", "text": t}) + "\n" for k, t in enumerate(arts))
        truth = [a["event"] for a in arts] if isinstance(arts[0], dict) else None
        ids = [str(a["id"]) for a in arts] if truth else None
        del arts
        cmd = [sys.executable, "-m", "dedup", "cluster", src, "--mode", "incident", "--stream", "--workers",
               str(workers), "-f", "jsonl", "-o", out, "-q"]
        t = time.perf_counter()
        proc = psutil.Popen(cmd, cwd=str(HERE.parent))
        peak, stop = [0], threading.Event()

        def poll() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_pss(proc))
                stop.wait(0.2)

        th = threading.Thread(target=poll, daemon=True)
        th.start()
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t
        stop.set()
        th.join()
        if status:
            raise SystemExit(f"{' '.join(cmd)}: exit status {status}")
        label = {}
        with open(out, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                label[str(rec["id"])] = rec["cluster"]
    ari = None
    if truth and ids:
        from types import SimpleNamespace

        groups: dict[Any, list[str]] = {}
        for i in ids:
            groups.setdefault(label[i], []).append(i)
        res = SimpleNamespace(clusters=[SimpleNamespace(members=m) for m in groups.values()])
        ari = _ari(res, [{"id": i, "event": e} for i, e in zip(ids, truth, strict=True)])
    sizes: dict[Any, int] = {}
    for c in label.values():
        sizes[c] = sizes.get(c, 0) + 1
    return {"n": n, "seconds": round(secs, 1), "peak_pss_mib": round(peak[0] / 2**20),
            "parent_rss_mib": round(usage.ru_maxrss / 1024), "clusters": sum(1 for v in sizes.values() if v > 1),
            "ari": None if ari is None else round(ari, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("gva", "synthetic"), default="gva")
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--quality", type=int, default=0, help="N: bounded vs all-pairs ARI on N articles")
    ap.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--all-pairs", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cli", action="store_true", help="run the CLI with --stream on a file (see above)")
    ap.add_argument("--workers", type=int, default=2, help="--workers of the CLI runs")
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.corpus, args.one, not args.all_pairs)))
        return 0
    print(f"# bench_incident_scale: corpus {args.corpus}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
          "one fresh process per run")
    if args.quality:
        print("| n | candidates | seconds | peak RSS MiB | clusters of 2+ | ARI |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
        for bounded in (False, True):
            r = _fresh(args.corpus, args.quality, bounded)
            print(f"| {r['n']:,} | {'bounded' if bounded else 'all pairs'} | {r['seconds']:.1f} | "
                  f"{r['peak_rss_mib']:,} | {r['clusters']:,} | {r['ari']} |", flush=True)
        return 0
    rows = []
    if args.cli:
        print(f"# the CLI, --stream --workers {args.workers}")
        print("| n | seconds | peak PSS MiB (tree) | parent peak RSS MiB | clusters of 2+ | ARI | us per article |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    else:
        print("| n | seconds | peak RSS MiB | clusters of 2+ | ARI | us per article |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in [int(s) for s in args.sizes.split(",")]:
        if args.cli:
            r = _cli(args.corpus, n, args.workers)
            rows.append(r)
            print(f"| {n:,} | {r['seconds']:.1f} | {r['peak_pss_mib']:,} | {r['parent_rss_mib']:,} | "
                  f"{r['clusters']:,} | {r['ari']} | {1e6 * r['seconds'] / n:,.0f} |", flush=True)
            continue
        r = _fresh(args.corpus, n)
        rows.append(r)
        print(f"| {n:,} | {r['seconds']:.1f} | {r['peak_rss_mib']:,} | {r['clusters']:,} | {r['ari']} | "
              f"{1e6 * r['seconds'] / n:,.0f} |", flush=True)
    if len(rows) >= 2:
        xs = [math.log(r["n"]) for r in rows]
        ys = [math.log(max(r["seconds"], 1e-3)) for r in rows]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        big = rows[-1]
        est = big["seconds"] * (1_000_000 / big["n"]) ** slope
        print(f"time exponent {slope:.2f} ({'<=' if slope <= 1.15 else '>'} 1.15); 1M extrapolated: "
              f"{est:,.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
