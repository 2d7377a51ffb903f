"""``dedup eval CORPUS --label FIELD``: score the clustering against labels (ARI, AMI, pair P/R/F1)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Hashable, Sequence
from typing import Any

from dedup.cli.common import add_common_options, add_input_options, formatter, read_inputs
from dedup.errors import EXIT_FAILED, UsageError
from dedup.evaluate import evaluate, parse_range, score_decisions
from dedup.model import Article

COLUMNS = ("threshold", "ari", "ami", "precision", "recall", "f1", "clusters", "labels", "n")
HEADERS = ("threshold", "ARI", "AMI", "P", "R", "F1", "clusters", "labels", "n")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "eval", help="score the clustering against a label field (ARI, AMI, pairwise P/R/F1)",
        description="Cluster CORPUS and compare the clusters with the labels in --label FIELD.\n\n"
                    "Examples:\n  dedup eval corpus.jsonl --label event\n"
                    "  dedup eval corpus.jsonl --label event --sweep threshold=0.05:0.3:0.025\n"
                    "  dedup eval headlines.csv --label STORY --text-field TITLE --min-ari 0.5\n\n"
                    "Exit code 1 when --min-ari is given and the (best) ARI is below it.",
        formatter_class=formatter())
    p.add_argument("inputs", nargs="+", metavar="CORPUS", help="corpus files or folders")
    p.add_argument("--label", required=True, metavar="FIELD", help="input field holding the true group")
    p.add_argument("--mode", choices=("incident", "near-duplicate"), default="incident",
                   help="clustering mode (default: incident)")
    p.add_argument("--threshold", type=float, default=None,
                   help="threshold (default: the mode's default; incident: adaptive)")
    p.add_argument("--sweep", metavar="NAME=START:STOP:STEP",
                   help="evaluate a range of values, e.g. threshold=0.2:0.8:0.05 (or threshold=0.1,0.2)")
    p.add_argument("-f", "--format", dest="out_format", choices=("table", "json"), default="table",
                   help="output format (default: table)")
    p.add_argument("--min-ari", type=float, default=None, metavar="X", help="exit 1 when the ARI is below X")
    p.add_argument("--decisions", metavar="FILE",
                   help="also score against review decisions (the review SQLite store, or JSONL a/b/verdict)")
    add_input_options(p)
    add_common_options(p)
    p.set_defaults(func=run)


def labels_of(articles: Sequence[Article], field: str) -> dict[str, Hashable]:
    """``{id: label}`` from each article's input field ``field`` (articles without it are left out)."""
    out: dict[str, Hashable] = {}
    for a in articles:
        value = a.fields.get(field)
        if value is None or value == "":
            continue
        out[a.id] = json.dumps(value, sort_keys=True) if isinstance(value, (list, dict)) else value
    if not out:
        fields = sorted({k for a in articles[:50] for k in a.fields})
        raise UsageError(f"no article has the label field {field!r} (fields seen: {', '.join(fields) or 'none'})")
    return out


def _incident_runner(articles: list[Article], low: float | None):
    from dedup.incident.score import build_graph, group

    graph = build_graph(articles, threshold=low)
    ids = [a.id for a in graph.articles]

    def run(threshold: float | None = None) -> dict[str, Hashable]:
        labels = group(graph, threshold=threshold)
        return {ids[k]: ids[labels[k]] for k in range(len(ids))}

    return run, graph.threshold


def _pipeline_runner(articles: list[Article], mode: str):
    try:
        from dedup.pipeline import cluster
    except ImportError:
        raise UsageError(f"mode {mode} needs dedup.pipeline, which is not available") from None

    def run(threshold: float | None = None) -> Any:
        kwargs: dict[str, Any] = {"mode": mode}
        if threshold is not None:
            kwargs["threshold"] = threshold
        return cluster(articles, **kwargs)

    return run


def run(args: argparse.Namespace) -> int:
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError(f"--threshold must be in [0, 1], got {args.threshold}")
    values: list[float | None] = [args.threshold]
    if args.sweep:
        try:
            name, swept = parse_range(args.sweep)
        except ValueError as exc:
            raise UsageError(f"--sweep: {exc}") from None
        if name != "threshold":
            raise UsageError(f"--sweep: only 'threshold' can be swept, not {name!r}")
        if not swept or min(swept) < 0 or max(swept) > 1:
            raise UsageError("--sweep: threshold values must lie in [0, 1]")
        values = list(swept)
    articles, _ = read_inputs(args)
    truth = labels_of(articles, args.label)
    if args.mode == "incident":
        low = min(v for v in values if v is not None) if any(v is not None for v in values) else None
        runner, used = _incident_runner(articles, low)
    else:
        runner, used = _pipeline_runner(articles, args.mode), None
    from dedup.review import read_decisions

    decisions = read_decisions(args.decisions) if args.decisions else None
    rows = []
    for v in values:
        result = runner(threshold=v)
        row: dict[str, Any] = {"threshold": used if v is None else v}
        row.update(evaluate(result, truth))
        if decisions is not None:
            row["decisions"] = score_decisions(result, decisions)
        rows.append(row)
    best = max(range(len(rows)), key=lambda k: (rows[k]["ari"], -k))
    for k, row in enumerate(rows):
        row["best"] = k == best and len(rows) > 1
    if args.out_format == "json":
        json.dump({"mode": args.mode, "label": args.label, "rows": rows}, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        _table(rows, mode=args.mode)
    if args.min_ari is not None and rows[best]["ari"] < args.min_ari:
        print(f"dedup: ARI {rows[best]['ari']:.4f} is below --min-ari {args.min_ari}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _table(rows: list[dict[str, Any]], *, mode: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"dedup eval ({mode})")
    cols = list(HEADERS) + (["reviewed P", "agree"] if "decisions" in rows[0] else [])
    for c in cols:
        t.add_column(c, justify="right", no_wrap=True)
    t.add_column("", no_wrap=True)
    for row in rows:
        cells = [_fmt(row.get(c)) for c in COLUMNS]
        if "decisions" in row:
            cells += [_fmt(row["decisions"]["precision"]), _fmt(row["decisions"]["agreement"])]
        style = "bold green" if row.get("best") else None
        t.add_row(*cells, "<- best" if row.get("best") else "", style=style)
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=120)
    console.print(t)
