"""``dedup review``: open the interactive review app (Textual), or export the review decisions."""

from __future__ import annotations

import argparse
import os

from dedup.cli.common import add_common_options, add_input_options, eprint, formatter, read_inputs
from dedup.errors import UsageError

DESCRIPTION = """\
Review clusters and diffs interactively, and mark pairs or whole clusters as duplicate, same incident
or different. Each mark is saved at once in a SQLite file beside the input (INPUT.review.sqlite, or
--decisions PATH), so nothing is lost if the app or the terminal is killed; marks show on reopening.

  dedup review samples/                                 cluster the corpus (with progress), then review
  dedup review corpus.jsonl --clusters clusters.jsonl   review saved 'dedup cluster -f jsonl' output
  dedup review A.txt B.txt                              straight to the diff of two articles
  dedup review samples/ --export decisions.jsonl        write the decisions as JSON Lines (no app)

The app opens on the largest cluster of two or more articles. Press ? for the keys, ctrl+p for the
command palette, t for the light / dark theme, q to quit. 'dedup eval --decisions FILE' scores a
clustering against the decisions.
"""

EPILOG = "exit codes: 0 ok, 2 usage, 3 input (file and line named), 4 output, 70 internal, 130 interrupted"

_TEXT_EXT = (".txt", ".md")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``review`` subcommand."""
    p = subparsers.add_parser("review", help="review clusters and diffs in a terminal app; mark decisions",
                              description=DESCRIPTION, epilog=EPILOG, formatter_class=formatter())
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="the corpus (a directory, .jsonl/.json/.csv/.parquet, '-'), or two text files to diff")
    add_input_options(p)
    g = p.add_argument_group("review")
    g.add_argument("--clusters", metavar="FILE",
                   help="saved results of 'dedup cluster -f jsonl' (per-article or --pairs rows) to review "
                        "instead of clustering again")
    g.add_argument("--decisions", metavar="PATH",
                   help="the review file (SQLite; default: INPUT.review.sqlite beside the first input)")
    g.add_argument("--export", metavar="FILE",
                   help="write the decisions of the review file to FILE as JSON Lines ('-': stdout) and exit")
    g.add_argument("--mode", choices=("incident", "near-duplicate"), default="incident",
                   help="clustering mode when no --clusters are given (default: incident)")
    g.add_argument("--threshold", type=float, metavar="T", help="clustering threshold (default: the mode's)")
    g.add_argument("--light", action="store_true", help="start with the light theme (t toggles)")
    add_common_options(p)
    p.set_defaults(func=run)
    return p


def _store_path(args: argparse.Namespace) -> str:
    if args.decisions:
        return str(args.decisions)
    if not args.inputs:
        raise UsageError("name the input (or --decisions PATH) so the review file can be found")
    from dedup.review import default_store_path

    return default_store_path(args.inputs[0])


def _is_text_pair(inputs: list[str]) -> bool:
    return len(inputs) == 2 and all(os.path.isfile(p) and p.lower().endswith(_TEXT_EXT) for p in inputs)


def run(args: argparse.Namespace) -> int:
    """Export the decisions, or read the input and run the app. Returns the exit code."""
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError(f"--threshold must be between 0 and 1, got {args.threshold}")
    store = _store_path(args)
    if args.export:
        from dedup.review import export_jsonl

        n = export_jsonl(store, args.export)
        if not args.quiet:
            eprint(f"dedup: {n} decisions from {store}" + (f" -> {args.export}" if args.export != "-" else ""))
        return 0
    if not args.inputs:
        raise UsageError("name the corpus to review (a directory, a file, or two text files)")
    if "-" in args.inputs:
        raise UsageError("the review app needs the terminal: give the corpus as a file, not stdin")
    kwargs: dict[str, object] = {"store": store, "dark": not args.light}
    if not args.clusters and _is_text_pair(args.inputs):
        from dedup.io.readers import read

        a = read(args.inputs[0], fmt="txt")[0][0]
        b = read(args.inputs[1], fmt="txt")[0][0]
        if a.id == b.id:
            b.id = args.inputs[1]
            a.id = args.inputs[0]
        kwargs["pair"] = (a, b)
    else:
        articles, _rejected = read_inputs(args)
        if not articles:
            raise UsageError("no articles to review")
        if args.clusters:
            from dedup.review import load_result

            kwargs["result"] = load_result(args.clusters, articles)
        else:
            opts: dict[str, object] = {"mode": args.mode}
            if args.threshold is not None:
                opts["threshold"] = args.threshold
            kwargs["articles"] = articles
            kwargs["cluster_options"] = opts
    from tui.app import ReviewApp  # Textual is imported only here

    app = ReviewApp(**kwargs)  # type: ignore[arg-type]
    app.run()
    code = app.return_code or 0
    return int(code)
