"""Fuzz target: ``dedup.text.figures.extract_figures`` never crashes and keeps to the text.

Invariants: figures come in order of position, each span lies in the text and (as the docstring says)
``text[start:end]`` is the figure's surface form; kinds are the documented ones; sentences index the
segmenter's sentences; the result does not depend on being called twice.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup.text.figures import extract_figures
from dedup.text.sentences import split_sentences

KINDS = {"count", "ordinal", "percent", "money", "quantity", "fraction", "range", "date", "time", "year"}


def check_text(text: str, date: str | None = None) -> None:
    """Assert the extractor's invariants on ``text``."""
    figs = extract_figures(text, date=date)
    n = len(split_sentences(text))
    starts = [f.start for f in figs]
    assert starts == sorted(starts)
    for f in figs:
        assert 0 <= f.start < f.end <= len(text), f
        assert f.kind in KINDS, f
        assert f.sentence is None or 0 <= f.sentence < n, f
        assert f.to_dict()["span"] == [f.start, f.end]
    assert extract_figures(text, date=date) == figs


def test_one_input(data: bytes) -> None:
    check_text(data.decode("utf-8", errors="replace"), date="2023-10-31" if data[:1] == b"d" else None)


if __name__ == "__main__":
    from _harness import main

    sys.exit(main(test_one_input))
