"""Incident mode on gva-dev (1,500 look-alike shootings): time and ARI, against a reference checkout.

Usage: python benchmarks/bench_gva.py [--ref PATH] [--rounds N] [--corpus FILE]

``--ref PATH`` is another checkout of the project (``git worktree add /tmp/ref COMMIT``): each round runs
``incident_pairs`` on the corpus once in a fresh process for this tree and once for the reference,
alternating, and prints the median seconds (warm: a first untimed call loads the kernels) and the ARI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpora/gva-dev.jsonl")

_CHILD = r"""
import json, sys, time
from dedup.evaluate import evaluate
from dedup.incident.score import incident_clusters, incident_pairs
from dedup.io.readers import read
arts, _ = read(sys.argv[1])
incident_pairs(arts[:200])  # kernels loaded (or compiled) before the clock starts
t = time.perf_counter()
pairs = incident_pairs(arts)
secs = time.perf_counter() - t
groups = incident_clusters(arts, pairs)
pred = {x: k for k, g in enumerate(groups) for x in g}
m = evaluate(pred, {a.id: a.fields["event"] for a in arts})
print(json.dumps({"seconds": secs, "ari": m["ari"], "clusters": m["clusters"]}))
"""


def run(tree: Path, corpus: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(corpus)], cwd=tree, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, help="a reference checkout to compare with")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    trees = {"this tree": ROOT, **({"reference": args.ref} if args.ref else {})}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            results[name].append(run(tree, args.corpus))
    print(f"incident mode on {args.corpus.name}, median of {args.rounds} (warm, one process each)")
    print("| tree | seconds | ARI | clusters |\n| --- | ---: | ---: | ---: |")
    med = {}
    for name, rows in results.items():
        med[name] = statistics.median(r["seconds"] for r in rows)
        print(f"| {name} | {med[name]:.2f} | {rows[0]['ari']:.3f} | {int(rows[0]['clusters'])} |")
    if args.ref:
        print(f"this tree / reference: {med['this tree'] / med['reference']:.2f}x the time")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
