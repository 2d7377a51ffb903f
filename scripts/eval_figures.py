"""Score the figure extractor on ``tests/data/figures_suite.jsonl``: share of expected values found, by kind and source.

A value counts as found when ``dedup.compare(t, t).figures`` holds a figure of that numeric value (relative
tolerance 1e-6), which is how the diff sees it. ``--ref COMMIT`` also scores the extractor of an older commit
(``git archive`` into a temporary folder, run in a subprocess); ``--quantulum`` scores quantulum3 when it is
installed. ``--misses`` prints what was not found.

    .venv/bin/python scripts/eval_figures.py [--ref 0fe0ea6] [--quantulum] [--misses]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "data" / "figures_suite.jsonl"


def load(path: Path = SUITE) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def found(expected: float, values: Iterable[float]) -> bool:
    return any(math.isclose(expected, v, rel_tol=1e-6, abs_tol=1e-9) for v in values)


def ours(text: str) -> list[float]:
    from dedup import compare

    out: list[float] = []
    for fp in compare(text, text).figures:
        for f in (fp.a, fp.b):
            if f is not None and isinstance(f.value, float):
                out.append(f.value)
    return out


def quantulum(text: str) -> list[float]:
    from quantulum3 import parser  # type: ignore[import-not-found]

    return [float(q.value) for q in parser.parse(text)]


def score(rows: list[dict[str, object]], values_of: Callable[[str], list[float]]) -> dict[str, object]:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for row in rows:
        text = str(row["text"])
        vals = values_of(text)
        for value, kind in row["expect"]:  # type: ignore[attr-defined]
            ok = found(float(value), vals)
            src = str(row["source"]).split("/")[0]
            for tally, key in ((by_kind, kind), (by_source, src)):
                tally[key][0] += ok
                tally[key][1] += 1
            if not ok:
                misses.append((kind, value, text))
    hit = sum(v[0] for v in by_kind.values())
    total = sum(v[1] for v in by_kind.values())
    return {"all": (hit, total), "kinds": dict(by_kind), "sources": dict(by_source), "misses": misses}


def _line(name: str, hit: int, total: int) -> str:
    return f"  {name:<12} {100.0 * hit / total:5.1f}%  ({hit}/{total})"


def report(title: str, res: dict[str, object]) -> None:
    hit, total = res["all"]  # type: ignore[misc]
    print(f"{title}: {100.0 * hit / total:.1f}% of {total} expected values")
    for key in ("kinds", "sources"):
        for name, (h, t) in sorted(res[key].items()):  # type: ignore[attr-defined]
            print(_line(name, h, t))


def reference(commit: str) -> dict[str, object]:
    """Score the extractor of ``commit`` (its whole ``dedup`` package, in a subprocess)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "dedup"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        code = ("import json,sys;sys.path.insert(0,sys.argv[1]);sys.path.insert(1,sys.argv[2]);"
                "import eval_figures as e;"
                "print(json.dumps(e.score(e.load(), e.ours)))")
        env = dict(os.environ, PYTHONPATH="")
        out = subprocess.run([sys.executable, "-c", code, tmp, str(ROOT / "scripts")], check=True,
                             capture_output=True, text=True, env=env, cwd=tmp).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", help="also score the extractor of this commit")
    ap.add_argument("--quantulum", action="store_true", help="also score quantulum3 (if installed)")
    ap.add_argument("--misses", action="store_true", help="print the values not found")
    args = ap.parse_args(argv)
    rows = load()
    print(f"suite: {len(rows)} sentences ({SUITE.relative_to(ROOT)})")
    res = score(rows, ours)
    report("dedup (this tree)", res)
    if args.ref:
        report(f"dedup at {args.ref}", reference(args.ref))
    if args.quantulum:
        try:
            report("quantulum3", score(rows, quantulum))
        except ImportError:
            print("quantulum3: not installed")
    if args.misses:
        for kind, value, text in res["misses"]:  # type: ignore[attr-defined]
            print(f"MISS {kind:<10} {value!r:<14} {text[:150]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
