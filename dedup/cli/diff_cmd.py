"""``dedup diff``: show where two versions of a story differ (sentences, words, figures, framing)."""

from __future__ import annotations

import argparse
import json
import sys

from dedup.cli.common import add_common_options, add_input_options, formatter, read_inputs
from dedup.errors import InputError, OutputError, UsageError
from dedup.model import Article

FORMATS = ("terminal", "json", "markdown", "html")

DESCRIPTION = """\
Compare two articles: two files (.txt, or one-record .jsonl/.json/.csv), or two ids of a corpus.

  dedup diff samples/003_9d6c7fdfd1e655bd.txt samples/004_1363d7abf5fa0263.txt
  dedup diff --corpus corpus.jsonl ID_A ID_B -f html -o diff.html
  dedup diff A.txt B.txt -f json | jq '.figures[] | select(.status=="conflict")'

Sentences are aligned (moved, merged and split sentences included), word changes marked, figures
paired (same / conflict / only in A / only in B) and framing cues compared. The JSON schema is in
docs/diff-schema.md. Exit codes: 0 ok, 2 usage, 3 input, 4 output.
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("diff", help="aligned diff of two articles: sentences, words, figures, framing",
                       description=DESCRIPTION, formatter_class=formatter())
    p.add_argument("a", metavar="A", help="first article: a file, or an id with --corpus")
    p.add_argument("b", metavar="B", help="second article: a file, or an id with --corpus")
    p.add_argument("--corpus", metavar="FILE", help="read A and B as ids of the articles in FILE")
    p.add_argument("-f", "--format", dest="fmt", choices=FORMATS, default="terminal",
                   help="output format (default: terminal, side by side)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout (atomically)")
    p.add_argument("--hide-trivial", action="store_true", help="do not mark punctuation- or case-only changes")
    p.add_argument("--only-changes", action="store_true", help="fold runs of identical sentences")
    p.add_argument("--width", type=int, metavar="N", help="terminal width in columns (default: the terminal's)")
    p.add_argument("--min-similarity", type=float, metavar="S", default=None,
                   help="least sentence similarity (0-1) to pair two sentences (default: 0.55)")
    p.add_argument("--framing-words", metavar="FILE", action="append", default=[],
                   help="extra framing word list (TOML, like dedup/data/framing.toml); repeatable; "
                        "also $DEDUP_FRAMING_WORDS")
    add_input_options(p)
    add_common_options(p)
    p.set_defaults(func=run)


def _one(args: argparse.Namespace, path: str) -> Article:
    articles, _ = read_inputs(args, [path])
    if len(articles) != 1:
        raise InputError(f"expected one article, found {len(articles)} (use --corpus FILE ID_A ID_B)", source=path)
    return articles[0]


def load_pair(args: argparse.Namespace) -> tuple[Article, Article]:
    """The two articles named on the command line."""
    if args.corpus:
        articles, _ = read_inputs(args, [args.corpus])
        by_id = {a.id: a for a in articles}
        found = []
        for wanted in (args.a, args.b):
            if wanted not in by_id:
                raise InputError(f"no article with id {wanted!r} ({len(by_id)} articles read)", source=args.corpus)
            found.append(by_id[wanted])
        return found[0], found[1]
    return _one(args, args.a), _one(args, args.b)


def render(diff, args: argparse.Namespace, *, to_file: bool) -> str | None:  # type: ignore[no-untyped-def]
    """Render ``diff`` in ``args.fmt``; the terminal format prints directly when not writing a file."""
    opts = {"hide_trivial": args.hide_trivial, "only_changes": args.only_changes}
    if args.fmt == "json":
        return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if args.fmt == "markdown":
        from dedup.render.markdown import render_markdown

        return render_markdown(diff, **opts)
    if args.fmt == "html":
        from dedup.render.html import render_html

        return render_html(diff, **opts)
    from rich.console import Console

    from dedup.render.terminal import render_terminal

    if to_file:
        console = Console(record=True, width=args.width or 120, file=open("/dev/null", "w"),  # noqa: SIM115
                          force_terminal=False, color_system=None)
        render_terminal(diff, console=console, width=args.width, **opts)
        return console.export_text()
    render_terminal(diff, width=args.width, **opts)
    return None


def run(args: argparse.Namespace) -> int:
    from dedup.diff.align import DEFAULT_MIN_SIMILARITY
    from dedup.diff.compare import compare
    from dedup.diff.framing import load_lexicon

    if args.width is not None and args.width < 40:
        raise UsageError("--width must be at least 40")
    sim = DEFAULT_MIN_SIMILARITY if args.min_similarity is None else args.min_similarity
    if not 0.0 < sim <= 1.0:
        raise UsageError("--min-similarity must be in (0, 1]")
    lexicon = load_lexicon(args.framing_words)
    a, b = load_pair(args)
    diff = compare(a.text, b.text, a_id=a.id, b_id=b.id, date_a=a.date, date_b=b.date, min_similarity=sim,
                   lexicon=lexicon)
    text = render(diff, args, to_file=bool(args.output))
    if args.output:
        from dedup.io.atomic import atomic_write_text

        try:
            atomic_write_text(args.output, text or "")
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", source=args.output) from None
    elif text is not None:
        sys.stdout.write(text)
    return 0
