"""``dedup explain INPUT... A B``: why two articles are or are not grouped as one incident."""

from __future__ import annotations

import argparse
import json
import sys

from dedup.cli.common import add_common_options, add_input_options, formatter, read_inputs
from dedup.errors import UsageError
from dedup.incident.explain import Explanation, explain


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "explain", help="show why two articles are or are not grouped (incident evidence)",
        description="Score the input as incident mode does, then show for articles A and B: each score "
                    "(document, passages, facts, lead, combined), the shared passages side by side, the shared "
                    "and conflicting facts with their weights, and whether they are grouped and why.\n\n"
                    "Example: dedup explain samples/ 003_9d6c7fdfd1e655bd.txt 004_1363d7abf5fa0263.txt",
        formatter_class=formatter())
    p.add_argument("args", nargs="+", metavar="INPUT... A B",
                   help="input files or folders, then the ids of the two articles")
    p.add_argument("--threshold", type=float, default=None,
                   help="combined-score threshold (default: adaptive, mean + 1.75 sd of the corpus's "
                        "document similarities)")
    p.add_argument("-f", "--format", dest="out_format", choices=("text", "json"), default="text",
                   help="output format (default: text)")
    p.add_argument("--max-passages", type=int, default=3, metavar="N", help="passages shown (default 3)")
    add_input_options(p)
    add_common_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if len(args.args) < 3:
        raise UsageError("explain needs at least one INPUT and two article ids: dedup explain INPUT... A B")
    inputs, a, b = args.args[:-2], args.args[-2], args.args[-1]
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError(f"--threshold must be in [0, 1], got {args.threshold}")
    articles, _ = read_inputs(args, inputs)
    result = explain(articles, a, b, threshold=args.threshold)
    if args.out_format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        render(result, max_passages=args.max_passages)
    return 0


def render(e: Explanation, *, max_passages: int = 3) -> None:
    """Print an explanation with rich (plain text when stdout is not a terminal)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console(soft_wrap=False)
    verdict = "[bold green]GROUPED[/]" if e.grouped else "[bold red]NOT GROUPED[/]"
    con.print(f"{verdict}  {e.a}  <->  {e.b}")
    con.print(e.reason, markup=False)
    scores = Table(title="scores", show_header=True)
    # the time factor is shown only when the two articles' dates lowered the score
    dated = ("time",) if e.scores.get("time", 1.0) < 1.0 else ()
    conflicting = tuple(k for k in ("figure_conflict", "date_conflict", "place_conflict", "actor_conflict")
                        if e.scores.get(k, 0.0))
    cols = ("document", "passages", "facts", "lead", *dated, *conflicting, "combined")
    for col in (*cols, "threshold"):
        scores.add_column(col, justify="right")
    scores.add_row(*(f"{e.scores.get(k, 0.0):.3f}" for k in cols), f"{e.threshold:.3f}")
    con.print(scores)
    if any(e.leads):
        t = Table(title="leads (title or first sentence)", show_lines=True)
        t.add_column(escape(e.a), ratio=1)
        t.add_column(escape(e.b), ratio=1)
        t.add_row(*(escape(x) if x else "(one sentence: no separate lead)" for x in e.leads))
        con.print(t)
    if e.passages:
        t = Table(title=f"shared passages ({len(e.passages)})", show_lines=True)
        t.add_column(escape(e.a), ratio=1)
        t.add_column(escape(e.b), ratio=1)
        t.add_column("overlap / spread / score", justify="right")
        for m in e.passages[:max_passages]:
            t.add_row(escape(m.a.text), escape(m.b.text), f"{m.overlap:.3f} / {m.spread:.2f} / {m.score:.3f}")
        con.print(t)
    else:
        con.print("shared passages: none")
    same = [f for f in e.facts if f.status == "same"]
    conflicts = [f for f in e.facts if f.status == "conflict"]
    if e.facts:
        t = Table(title=f"facts: {len(same)} shared, {len(conflicts)} in conflict")
        for col in ("status", "fact", "weight", escape(e.a), escape(e.b)):
            t.add_column(col, overflow="fold")
        for f in e.facts:
            key = f.key if f.key_b is None else f"{f.key} vs {f.key_b}"
            t.add_row(f.status, escape(key), f"{f.weight:.3f}", escape(f.text_a), escape(f.text_b))
        con.print(t)
    else:
        con.print("shared facts: none")
    if e.conflicts:
        con.print("conflicts:", markup=False)
        for note in e.conflicts:
            con.print(f"  {note}", markup=False)
    if e.grouped and len(e.cluster_a) > 2:
        con.print(f"cluster: {', '.join(e.cluster_a)}", markup=False)
