"""The ``dedup`` command: one module per subcommand, each with ``register(subparsers)``.

Every subcommand's ``run(args) -> int`` returns an exit code (see ``dedup.errors``). Errors meant for
the user (``DedupError``) are printed as one line on stderr; anything else is an internal error,
printed as one line too (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from dedup import __version__
from dedup.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, DedupError

SUBCOMMANDS = ("cluster", "diff", "explain", "eval", "index", "review")
#: Each subcommand's one-line help, for the list in ``dedup --help`` without importing every subcommand
#: (some import SciPy or the incident stage at the top); a test checks them against each module's own.
SUMMARIES = {
    "cluster": "cluster a corpus into groups telling the same story",
    "diff": "aligned diff of two articles: sentences, words, figures, framing",
    "explain": "show why two articles are or are not grouped (incident evidence)",
    "eval": "score the clustering against a label field (ARI, AMI, pairwise P/R/F1)",
    "index": "a persistent, incremental index (SQLite): create, add, query, export",
    "review": "review clusters and diffs in a terminal app; mark decisions",
}


def _command(args: Sequence[str]) -> str | None:
    """The subcommand named in ``args`` (the first word not starting with '-'), if it is one."""
    first = next((a for a in args if not a.startswith("-")), None)
    return first if first in SUBCOMMANDS else None


def build_parser(only: str | None = None, *, every: bool = True) -> argparse.ArgumentParser:
    """The ``dedup`` parser. With ``every``, each subcommand's module registers its options; else only
    ``only``'s does, and the others are listed by name and :data:`SUMMARIES` (a fast start)."""
    from rich_argparse import RawDescriptionRichHelpFormatter

    parser = argparse.ArgumentParser(
        prog="dedup",
        description="Find the news articles that tell the same story, and show where their versions differ.",
        epilog="Run 'dedup COMMAND --help' for the options of each command. "
        "Exit codes: 0 ok, 1 check failed, 2 usage, 3 input, 4 output, 5 index, 70 internal, 130 interrupted.",
        formatter_class=RawDescriptionRichHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dedup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        if not every and name != only:
            sub.add_parser(name, help=SUMMARIES[name])
            continue
        try:
            module = importlib.import_module(f"dedup.cli.{name.replace('-', '_')}_cmd")
        except ModuleNotFoundError as exc:  # a subcommand still being built
            if exc.name != f"dedup.cli.{name}_cmd":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dedup`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or os.environ.get("DEDUP_DEBUG") == "1"
    try:
        parser = build_parser(_command(args_list), every=False)
        args = parser.parse_args(args_list)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = args.func(args)
        return int(code or 0)
    except DedupError as exc:
        print(f"dedup: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dedup: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `dedup cluster ... | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except SystemExit:
        raise
    except MemoryError:
        print("dedup: error: out of memory (try a smaller batch or --skip-bad with --max-bytes)", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # last line of defence: never a traceback
        if debug:
            raise
        print(f"dedup: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
