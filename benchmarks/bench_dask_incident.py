"""Benchmark: ``dedup cluster --mode incident`` on Dask against the local engine, same output bytes.

    python benchmarks/bench_dask_incident.py                          # gva-dev, 1,500 articles
    python benchmarks/bench_dask_incident.py --n 10000 --repeats 1    # gva replicas
    python benchmarks/bench_dask_incident.py --corpus synthetic --n 50000 --workers 2 --repeats 1

Each run is the CLI as a user runs it, in a fresh process (``-f json``: every cluster with its pairs,
scores and evidence; ``-q``): ``--engine local --workers W`` (processes for the per-article analysis
from 2,000 articles up) and ``--engine dask --workers W`` (a ``LocalCluster`` of ``W`` single-threaded
worker processes, its start-up included, as a user pays it). Runs alternate between the
configurations; the median wall time of the repeats is shown, and every output is checked
byte-identical to the first local run's; speed-up is against the first configuration (local, the
first ``--workers``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _run(src: str, engine: str, workers: int) -> tuple[float, bytes]:
    cmd = [sys.executable, "-m", "dedup", "cluster", src, "--mode", "incident", "--engine", engine,
           "--workers", str(workers), "-f", "json", "-q"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    dt = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return dt, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=0, help="articles: 0 = gva-dev as it is, else gva replicas")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--corpus", choices=["gva", "synthetic"], default="gva",
                    help="gva: gva-dev or its replicas; synthetic: corpus.SyntheticCorpus (random real sentences, "
                         "every 10th article an edited copy)")
    args = ap.parse_args()
    from corpus import SyntheticCorpus, gva_replicas

    if args.corpus == "synthetic":
        texts = SyntheticCorpus(args.n or 1500, size=1500)
        records = [{"id": f"s{k:07d}", "text": texts[k]} for k in range(len(texts))]
    else:
        records = gva_replicas(args.n or 1500)
    configs = [("local", w) for w in args.workers] + [("dask", w) for w in args.workers]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "corpus.jsonl")
        with open(src, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
        print(f"# bench_dask_incident: {len(records):,} articles ({args.corpus if args.corpus != 'gva' else 'gva-dev' if not args.n else 'gva replicas'}), "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; CLI wall time, fresh process per run, "
              f"median of {args.repeats}")
        _run(src, "local", 1)  # compiled kernels cached, files in the page cache
        times: dict[tuple[str, int], list[float]] = {c: [] for c in configs}
        ref: bytes | None = None
        same = dict.fromkeys(configs, True)
        for _ in range(args.repeats):
            for c in configs:
                dt, out = _run(src, *c)
                times[c].append(dt)
                ref = out if ref is None else ref
                same[c] &= out == ref
        base = statistics.median(times[configs[0]])
        doc = json.loads(ref or b"{}")
        for c in configs:
            med = statistics.median(times[c])
            runs = ", ".join(f"{t:.1f}" for t in times[c])
            print(f"{c[0]:5s} --workers {c[1]}: {med:6.1f} s ({runs})  speed-up {base / med:4.2f}x  "
                  f"same output: {same[c]}")
        print(f"# {doc['summary']['clusters']:,} clusters, {doc['summary']['pairs']:,} pairs; "
              f"load at the end {os.getloadavg()[0]:.1f}")
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
