"""Options and helpers shared by every subcommand: input reading, rejects report, quiet/debug, progress.

Typical use in a subcommand module::

    def register(sub):
        p = sub.add_parser("cmd", help=..., formatter_class=formatter())
        p.add_argument("inputs", nargs="+", metavar="INPUT")
        add_input_options(p)
        add_common_options(p)
        p.set_defaults(func=run)

    def run(args) -> int:
        articles, rejected = read_inputs(args)     # reports rejects on stderr and to --rejects FILE
        progress = progress_for(args)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from dedup.errors import OutputError
from dedup.model import Article, Rejected
from dedup.progress import NullProgress, Progress, RichProgress

__all__ = [
    "INPUT_FORMATS",
    "MAX_REJECT_LINES",
    "add_common_options",
    "add_input_options",
    "eprint",
    "formatter",
    "handle_rejects",
    "progress_for",
    "read_inputs",
    "read_kwargs",
    "report_rejects",
    "write_rejects",
]

#: Input formats accepted by ``--format-in`` (``auto``: from the file extension; directories are ``dir``).
INPUT_FORMATS = ("auto", "jsonl", "json", "csv", "parquet", "txt", "dir")
#: At most this many rejected records are listed on stderr; the rest are counted.
MAX_REJECT_LINES = 10


def formatter() -> type[argparse.HelpFormatter]:
    """The help formatter of every subcommand (rich-argparse, keeping the description's line breaks)."""
    from rich_argparse import RawDescriptionRichHelpFormatter

    return RawDescriptionRichHelpFormatter


def eprint(*parts: Any) -> None:
    """Print a line on stderr."""
    print(*parts, file=sys.stderr)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add the reading options: input format, field names, ``--skip-bad``, ``--dedupe-ids``, ``--rejects``."""
    g = parser.add_argument_group("input")
    g.add_argument("--format-in", "--input-format", dest="format_in", choices=INPUT_FORMATS, default="auto",
                   help="input format (default: from the extension: .jsonl/.ndjson, .json, .csv, .parquet, "
                        ".txt/.md; a directory reads its .txt and .md files recursively; '-' is JSONL on stdin)")
    g.add_argument("--id-field", metavar="NAME",
                   help="field holding the article id (default: first of id, ID, doc_id, uuid, ...; "
                        "CSV rows without one get their row number)")
    g.add_argument("--text-field", metavar="NAME",
                   help="field holding the article body (default: first of text, body, content, article, ...)")
    g.add_argument("--title-field", metavar="NAME", help="field holding the title (default: title, TITLE, headline)")
    g.add_argument("--date-field", metavar="NAME",
                   help="field holding the date (default: date, published, timestamp, ...); "
                        "read as an ISO date or a Unix timestamp")
    g.add_argument("--skip-bad", action="store_true",
                   help="skip unreadable records (listed on stderr and in --rejects) instead of stopping "
                        "with exit code 3")
    g.add_argument("--dedupe-ids", action="store_true",
                   help="rename repeated ids to ID#2, ID#3, ... instead of stopping with exit code 3")
    g.add_argument("--rejects", metavar="FILE",
                   help="write the rejected records (source, line, id, reason) to FILE as JSONL")
    g.add_argument("--max-bytes", metavar="SIZE", type=_size, default=DEFAULT_MAX_BYTES,
                   help="an article longer than SIZE (e.g. 5MB, 500KB, 0 for no limit) is an input error, "
                        "or rejected with --skip-bad (default: 5MB)")


#: default of ``--max-bytes``: larger "articles" are scraping accidents (whole sites, binary dumps)
DEFAULT_MAX_BYTES = 5_000_000


def _size(text: str) -> int:
    from dedup.io.sizes import parse_size

    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 5MB, 500KB or a number of bytes)") from None


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add ``-q/--quiet`` (no progress, no summary) and ``--debug`` (tracebacks for internal errors)."""
    g = parser.add_argument_group("general")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress bars and no summary on stderr")
    g.add_argument("--debug", action="store_true",
                   help="show the Python traceback of internal errors (also DEDUP_DEBUG=1)")


def _sources(args: argparse.Namespace) -> list[str]:
    for name in ("inputs", "input", "sources", "source"):
        value = getattr(args, name, None)
        if value is None:
            continue
        return [value] if isinstance(value, str) else list(value)
    raise AttributeError("read_inputs: the parser has no 'inputs' positional")


def read_inputs(args: argparse.Namespace, sources: Sequence[str] | None = None
                ) -> tuple[list[Article], list[Rejected]]:
    """Read ``sources`` (default: ``args.inputs``) with the options of :func:`add_input_options`.

    Rejected records (only with ``--skip-bad``) are listed on stderr (unless ``--quiet``) and written
    to ``--rejects FILE``. Raises :class:`dedup.errors.InputError` for bad input without ``--skip-bad``.
    """
    from dedup.io.readers import read_many

    articles, rejected = read_many(list(sources) if sources is not None else _sources(args), **read_kwargs(args))
    handle_rejects(args, rejected)
    return articles, rejected


def read_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`dedup.io.readers.read_many` given by :func:`add_input_options`."""
    fmt = getattr(args, "format_in", None)
    return {"fmt": None if fmt in (None, "auto") else fmt,
            "id_field": getattr(args, "id_field", None), "text_field": getattr(args, "text_field", None),
            "title_field": getattr(args, "title_field", None), "date_field": getattr(args, "date_field", None),
            "skip_bad": bool(getattr(args, "skip_bad", False)), "dedupe_ids": bool(getattr(args, "dedupe_ids", False)),
            "max_bytes": getattr(args, "max_bytes", None)}


def handle_rejects(args: argparse.Namespace, rejected: Sequence[Rejected]) -> None:
    """List ``rejected`` on stderr (unless ``--quiet``) and write them to ``--rejects FILE``."""
    if rejected and not getattr(args, "quiet", False):
        report_rejects(rejected)
    if getattr(args, "rejects", None):
        write_rejects(rejected, args.rejects)


def report_rejects(rejected: Sequence[Rejected], *, limit: int = MAX_REJECT_LINES) -> None:
    """List rejected records on stderr, one line each, at most ``limit`` then a count of the rest."""
    for r in rejected[:limit]:
        eprint(f"dedup: rejected: {r}")
    if len(rejected) > limit:
        eprint(f"dedup: ... and {len(rejected) - limit} more rejected records (see --rejects FILE)")


def write_rejects(rejected: Sequence[Rejected], path: str) -> None:
    """Write the rejected records to ``path`` as JSONL (atomically; ``-`` is stderr)."""
    lines = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rejected)
    if path == "-":
        sys.stderr.write(lines)
        return
    from dedup.io.atomic import atomic_write_text

    try:
        atomic_write_text(path, lines)
    except OSError as exc:
        raise OutputError(f"cannot write rejects: {exc.strerror or exc}", source=path) from None


def progress_for(args: argparse.Namespace) -> Progress:
    """A rich progress bar on stderr when stderr is a terminal and not ``--quiet``; else a no-op."""
    if getattr(args, "quiet", False) or os.environ.get("DEDUP_NO_PROGRESS") == "1":
        return NullProgress()
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return RichProgress(sys.stderr) if tty else NullProgress()
