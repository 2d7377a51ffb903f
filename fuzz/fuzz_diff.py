"""Fuzz target: ``dedup.diff.compare.compare`` never crashes, loses or duplicates a sentence.

Invariants: the diff's sentences are the segmenter's; every sentence of A and of B is in exactly one
block; the summary counts match; ``to_dict()`` is JSON-serialisable; comparing a text with itself
changes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup.diff.compare import compare
from dedup.text.sentences import split_sentences


def check_pair(a: str, b: str) -> None:
    """Assert the diff's invariants on the pair ``(a, b)``."""
    d = compare(a, b)
    assert [s.text for s in d.sentences_a] == [s.text for s in split_sentences(a)]
    assert [s.text for s in d.sentences_b] == [s.text for s in split_sentences(b)]
    assert sorted(i for blk in d.blocks for i in blk.a) == list(range(len(d.sentences_a)))
    assert sorted(j for blk in d.blocks for j in blk.b) == list(range(len(d.sentences_b)))
    assert d.summary.sentences_a == len(d.sentences_a) and d.summary.sentences_b == len(d.sentences_b)
    assert 0.0 <= d.summary.words_changed_pct <= 100.0
    json.dumps(d.to_dict())


def check_self(a: str) -> None:
    d = compare(a, a)
    assert d.summary.words_changed_pct == 0.0
    assert all(blk.a and blk.b for blk in d.blocks)
    assert d.summary.figures_conflict == 0


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    cut = len(text) // 2
    check_pair(text[:cut], text[cut:])
    check_self(text)


if __name__ == "__main__":
    from _harness import main

    sys.exit(main(test_one_input))
