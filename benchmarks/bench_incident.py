"""Incident mode against document (near-duplicate) mode on news-length articles, in one process.

Usage: python benchmarks/bench_incident.py [--target-chars 700] [--repeat 3] [--workers 1] [--limit N]
       python benchmarks/bench_incident.py --scale 2000,5000,10000 [--size 1500]

The corpus: the bodies of ``/work/shared/corpora/*.jsonl`` (galaxy-wikinews, wikiref220) split into
articles of whole paragraphs, each at least ``--target-chars`` characters (the last part of an article
may be shorter): 7,261 articles, mean 828 characters, with the five seed articles of
``/work/shared/seeds``. Galaxy articles keep their title on the first part. Both modes run once cold
(imports, caches, compilation), then ``--repeat`` times each, alternating, in the same process with the
same ``workers``; the median wall time counts (CPU time is shown too: the machine may be shared).
Incident mode's stages are timed in one more run by wrapping the functions it calls. The last line says
whether incident mode costs less than 5x document mode (issues 3 and 6). About 35 s on 2 cores.

``--scale`` instead times ``dedup.cluster(texts, mode="incident")`` on ``benchmarks/corpus.py``'s
``SyntheticCorpus(n, size=--size)`` for each ``n`` in a fresh process and prints wall seconds and peak RSS
(``ru_maxrss``, the texts included): the scaling table of docs/incident.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import dedup
import dedup.incident.analysis as analysis_mod
import dedup.incident.score as score_mod
import dedup.pipeline as pipeline_mod

CORPORA = Path("/work/shared/corpora")
SEEDS = Path("/work/shared/seeds")
TARGET_RATIO = 5.0
MODES = ("near-duplicate", "incident")


def build_articles(target_chars: int = 700) -> list[dict[str, Any]]:
    """News-length articles: paragraph groups of the dev corpora bodies, then the seed articles."""
    out: list[dict[str, Any]] = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                paras = [p.strip() for p in (rec.get("text") or "").split("\n") if p.strip()]
                title = rec.get("title")
                group: list[str] = []
                for p in paras:
                    group.append(p)
                    if sum(len(g) for g in group) >= target_chars:
                        out.append({"id": f"{path.stem}/{rec['id']}/{len(out)}", "text": "\n\n".join(group),
                                    "title": title})
                        group, title = [], None
                if group:
                    out.append({"id": f"{path.stem}/{rec['id']}/{len(out)}", "text": "\n\n".join(group),
                                "title": title})
    for path in sorted(SEEDS.glob("*.txt")):
        out.append({"id": f"seed/{path.stem}", "text": path.read_text(encoding="utf-8")})
    return out


class StageTimer:
    """Accumulates wall and CPU time of wrapped module functions while installed."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, module: Any, name: str, label: str) -> None:
        """Time ``module.name`` under ``label`` (nothing when the module has no such function any more)."""
        orig: Callable[..., Any] | None = getattr(module, name, None)
        if orig is None:
            return

        @functools.wraps(orig)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return orig(*args, **kwargs)
            finally:
                self.wall[label] += time.perf_counter() - t
                self.cpu[label] += time.process_time() - c

        setattr(module, name, timed)
        self._undo.append((module, name, orig))

    def remove(self) -> None:
        for module, name, orig in reversed(self._undo):
            setattr(module, name, orig)
        self._undo.clear()


#: (depth, module, function, label) of the incident stages timed, each inside the last one less deep;
#: a "rest" line per level holds the time of its parent not spent in the stages listed.
WRAPPED: list[tuple[int, Any, str, str]] = [
    (0, score_mod, "build_graph", "graph: candidate pairs and their evidence"),
    (1, score_mod, "analyse_corpus", "per-article analysis"),
    (2, analysis_mod, "split_sentences", "sentence split"),
    (2, analysis_mod, "article_parts", "tokens, names, bags, windows (compiled)"),
    (2, analysis_mod, "_sentence_hashes", "token term hashes (Python path)"),
    (2, analysis_mod, "hashed_terms", "document + lead bags (Python path)"),
    (2, analysis_mod, "windows", "sentence windows (Python path)"),
    (2, analysis_mod, "article_facts", "figures and facts"),
    (2, analysis_mod, "titled_lead", "lead"),
    (2, analysis_mod, "conflict_profile", "conflict profiles"),
    (1, score_mod, "hashed_tfidf", "document + fact TF-IDF matrices"),
    (1, score_mod, "hashed_rows", "document + fact TF-IDF matrices"),
    (1, score_mod, "tfidf_matrix", "document + fact TF-IDF matrices"),
    (1, score_mod, "adaptive_threshold", "adaptive threshold"),
    (1, score_mod, "similar_codes", "document + fact neighbours"),
    (1, score_mod, "rare_neighbours", "document + fact neighbours"),
    (1, score_mod, "match_windows", "passages (MinHash, candidates, verification)"),
    (1, score_mod, "row_dots", "edge scores (row dots)"),
    (1, score_mod, "edge_conflicts", "edge conflicts"),
    (0, score_mod, "average_link_edges", "average-link"),
    (0, score_mod, "safe_pairs", "pairs inside clusters"),
    (0, pipeline_mod, "unique_pairs", "pipeline: unique pairs + clusters"),
    (0, pipeline_mod, "build_clusters", "pipeline: unique pairs + clusters"),
]


def incident_stages(articles: list[dict[str, Any]], workers: int) -> list[tuple[int, str, float, float]]:
    """One timed incident run: ``(depth, label, wall s, cpu s)`` rows, total first (wrappers add a little)."""
    st = StageTimer()
    for _, module, name, label in WRAPPED:
        st.wrap(module, name, label)
    try:
        t, c = time.perf_counter(), time.process_time()
        dedup.cluster(articles, mode="incident", workers=workers)
        total = (time.perf_counter() - t, time.process_time() - c)
    finally:
        st.remove()
    rows: list[tuple[int, str, float, float]] = [(0, "incident mode, total", *total)]
    stack: list[list[Any]] = [[*total, False]]  # per open stage: wall and cpu not yet in a sub-stage, has subs
    seen: set[str] = set()

    def close(depth: int) -> None:
        while len(stack) > depth + 1:
            w, c, subs = stack.pop()
            if subs:
                rows.append((len(stack) + 1, "rest", w, c))

    for depth, _, _, label in WRAPPED:
        if label in seen:
            continue
        seen.add(label)
        close(depth)
        w, c = st.wall.get(label, 0.0), st.cpu.get(label, 0.0)
        stack[depth][0] -= w
        stack[depth][1] -= c
        stack[depth][2] = True
        rows.append((depth + 1, label, w, c))
        stack.append([w, c, False])
    close(0)
    w, c, _ = stack.pop()
    rows.append((1, "rest (articles, sorting)", w, c))
    return rows


def scale_one(n: int, size: int) -> dict[str, Any]:
    """One incident run on ``SyntheticCorpus(n, size=size)`` texts in this process: wall s, peak RSS."""
    import resource

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import SyntheticCorpus

    texts = list(SyntheticCorpus(n, size=size))
    t = time.perf_counter()
    res = dedup.cluster(texts, mode="incident")
    secs = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"n": n, "seconds": round(secs, 1), "peak_rss_mib": round(rss), "pairs": len(res.pairs),
            "clusters": sum(1 for c in res.clusters if len(c.members) > 1)}


def scale(ns: list[int], size: int) -> int:
    """``scale_one`` of each ``n`` in a fresh process (so peak RSS is that run's), as a table."""
    import subprocess

    print(f"# incident mode on SyntheticCorpus(n, size={size}) (random real sentences: many recur across "
          f"articles), {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; one fresh process per n")
    print("| n | seconds | peak RSS MiB | pairs | clusters of 2+ |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in ns:
        out = subprocess.run([sys.executable, __file__, "--scale-one", str(n), "--size", str(size)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"| {r['n']:,} | {r['seconds']:.1f} | {r['peak_rss_mib']:,} | {r['pairs']:,} | {r['clusters']:,} |",
              flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="", help="comma-separated corpus sizes: time and peak RSS of incident "
                    "mode on synthetic articles, one process each (e.g. 2000,5000,10000)")
    ap.add_argument("--size", type=int, default=1500, help="characters per synthetic article of --scale (1500)")
    ap.add_argument("--scale-one", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--target-chars", type=int, default=700, help="fewest characters per article (700)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per mode; the median counts (3)")
    ap.add_argument("--workers", type=int, default=1, help="workers for both modes (1)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles (0 = all)")
    args = ap.parse_args(argv)
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one, args.size)))
        return 0
    if args.scale:
        return scale([int(x) for x in args.scale.split(",")], args.size)

    articles = build_articles(args.target_chars)
    if args.limit:
        articles = articles[:args.limit]
    n = len(articles)
    chars = sum(len(a["text"]) for a in articles)
    print(f"# bench_incident: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"workers={args.workers}, load {os.getloadavg()[0]:.2f}")
    print(f"# {n:,} articles (dev corpora bodies split into paragraph groups of >= {args.target_chars} chars, "
          f"plus seeds), mean {chars / n:,.0f} chars")

    def run(mode: str) -> tuple[float, float, Any]:
        t, c = time.perf_counter(), time.process_time()
        res = dedup.cluster(articles, mode=mode, workers=args.workers)
        return time.perf_counter() - t, time.process_time() - c, res

    cold_near, _, near_res = run("near-duplicate")
    cold_inc, _, inc_res = run("incident")
    print(f"# first (cold) runs: near-duplicate {cold_near:.2f} s, incident {cold_inc:.2f} s "
          f"({cold_inc / cold_near:.1f}x); the medians below are warm")
    wall: dict[str, list[float]] = {"near-duplicate": [], "incident": []}
    cpu: dict[str, list[float]] = {"near-duplicate": [], "incident": []}
    for _ in range(args.repeat):
        for mode in MODES:
            w, c, _ = run(mode)
            wall[mode].append(w)
            cpu[mode].append(c)
    med = {m: statistics.median(wall[m]) for m in MODES}
    med_cpu = {m: statistics.median(cpu[m]) for m in MODES}
    for mode in MODES:
        runs = ", ".join(f"{s:.2f}" for s in wall[mode])
        print(f"{mode:<15} {n / med[mode]:>9,.0f} docs/s  {med[mode]:6.2f} s wall (median of {runs}), "
              f"{med_cpu[mode]:.2f} s CPU")
    res = {"near-duplicate": near_res, "incident": inc_res}
    for mode, r in res.items():
        big = sum(1 for c in r.clusters if len(c.members) > 1)
        print(f"{mode:<15} {len(r.pairs):,} pairs, {big:,} clusters of 2+ articles")

    rows = incident_stages(articles, args.workers)
    total_cpu = rows[0][3]
    print("\nincident stages (one extra run with timing wrappers; % of CPU time):")
    print(f"  {'stage':<48} {'wall s':>7} {'cpu s':>7} {'cpu %':>6}")
    for depth, label, secs, cpu_secs in rows:
        name = "  " * depth + label
        print(f"  {name:<48} {secs:7.2f} {cpu_secs:7.2f} {100 * cpu_secs / total_cpu:6.1f}")

    ratio = med["incident"] / med["near-duplicate"]
    ratio_cpu = med_cpu["incident"] / med_cpu["near-duplicate"]
    verdict = "MET    " if ratio < TARGET_RATIO else "NOT MET"
    print(f"\n{verdict} incident mode < {TARGET_RATIO:g}x near-duplicate mode (warm, wall): {ratio:.1f}x "
          f"({med['incident']:.2f} s / {med['near-duplicate']:.2f} s; CPU time {ratio_cpu:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
