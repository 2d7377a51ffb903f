"""Figures extraction per article on gva-dev: this tree against a reference commit, measured in one run.

The reference is the ``dedup`` package of ``--ref`` (default: the commit before the issue-16 extractor),
``git archive``d into a temporary folder and timed in a subprocess, alternating with this tree's
extractor (``--rounds`` rounds each, best round of CPU time reported), so both see the same machine load.

    .venv/bin/python benchmarks/bench_figures.py [--ref 0fe0ea6] [--rounds 5] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/gva-dev.jsonl")
_TIMER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from dedup.text.figures import extract_figures
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
for t in texts[:50]:
    extract_figures(t)  # warm the caches a sentence scan builds (tokens, triggers)
t0 = time.process_time()
n = sum(len(extract_figures(t)) for t in texts)
print(json.dumps({"seconds": time.process_time() - t0, "articles": len(texts), "figures": n}))
"""


def _time(pkg_root: str, corpus: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH="")
    out = subprocess.run([sys.executable, "-c", _TIMER, pkg_root, str(corpus)], check=True, capture_output=True,
                         text=True, env=env, cwd=pkg_root).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="0fe0ea6", help="reference commit (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref, "dedup"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        runs: dict[str, list[dict[str, float]]] = {"reference": [], "this tree": []}
        for _ in range(args.rounds):
            runs["reference"].append(_time(tmp, args.corpus))
            runs["this tree"].append(_time(str(ROOT), args.corpus))
    print(f"corpus: {args.corpus.name}, best of {args.rounds} alternating rounds")
    best = {}
    for name, rs in runs.items():
        r = min(rs, key=lambda x: x["seconds"])
        best[name] = r["seconds"] / r["articles"]
        rounds = ", ".join(f"{x['seconds']:.2f}" for x in rs)
        print(f"  {name:<10} {1e3 * best[name]:.3f} ms/article  ({r['figures']} figures in {r['articles']} articles;"
              f" rounds {rounds} s)")
    print(f"  ratio this/reference: {best['this tree'] / best['reference']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
