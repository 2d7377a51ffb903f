"""Fuzz target: ``dedup.text.sentences.split_sentences`` never crashes, loses or duplicates text.

Invariants: spans are in order and do not overlap; ``span.text == text[start:end]`` and is stripped and
non-empty; every non-space character after the date header lies in exactly one span.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup.text.sentences import date_header, split_sentences


def check_text(text: str) -> None:
    """Assert the segmenter's invariants on ``text``."""
    spans = split_sentences(text)
    _, offset = date_header(text)
    last = offset
    for s in spans:
        assert last <= s.start < s.end <= len(text), (s, last)
        assert text[s.start:s.end] == s.text and s.text == s.text.strip() and s.text
        last = s.end
    covered = sum(len("".join(s.text.split())) for s in spans)
    assert covered == len("".join(text[offset:].split())), "text lost or duplicated"
    assert [s.paragraph for s in spans] == sorted(s.paragraph for s in spans)


def test_one_input(data: bytes) -> None:
    check_text(data.decode("utf-8", errors="replace"))


if __name__ == "__main__":
    from _harness import main

    sys.exit(main(test_one_input))
