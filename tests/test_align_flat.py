"""Prose without line structure aligns as well as prose with it (issue 4).

Removing the line breaks of an article must not change which sentences the alignment pairs: the
segmenter finds sentence ends from punctuation, not from lines. Checked on samples 003/004 and on
same-event galaxy-wikinews pairs whose paragraphs all end a sentence (where a paragraph ends without
terminal punctuation, e.g. a headline or a clipped "Lt. Col.", only the line break marks the end, and
no segmenter can recover it from flat prose).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from dedup.diff.compare import compare
from dedup.diff.model import AlignedDiff

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GALAXY = Path("/work/shared/corpora/galaxy-wikinews.jsonl")
_ENDS = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def flatten(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) turned into one space."""
    return re.sub(r"\s+", " ", text).strip()


def matched_pairs(d: AlignedDiff) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The matched blocks of ``d`` as (sentences of A, sentences of B), whitespace-normalised."""
    return {(tuple(flatten(d.sentences_a[i].text) for i in b.a), tuple(flatten(d.sentences_b[j].text) for j in b.b))
            for b in d.blocks if b.a and b.b}


def test_samples_003_004_align_the_same_without_line_breaks() -> None:
    a = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    b = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")
    assert "\n" in a and "\n" in b
    with_lines = matched_pairs(compare(a, b))
    assert any("34 were intercepted over Belgorod" in s for p in with_lines for s in p[0])
    assert matched_pairs(compare(flatten(a), flatten(b))) == with_lines
    # the whole diff, not only the pairs: same sentence texts, same block kinds in the same order
    d1, d2 = compare(a, b), compare(flatten(a), flatten(b))
    assert [flatten(s.text) for s in d1.sentences_a] == [s.text for s in d2.sentences_a]
    assert [(blk.kind, blk.a, blk.b, blk.moved) for blk in d1.blocks] == \
        [(blk.kind, blk.a, blk.b, blk.moved) for blk in d2.blocks]


def _sentence_paragraphs(text: str) -> bool:
    paras = [p for p in text.split("\n") if p.strip()]
    return len(paras) > 1 and all(_ENDS.search(p) for p in paras)


def _galaxy_pairs(limit: int) -> list[tuple[dict[str, str], dict[str, str]]]:
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    with GALAXY.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if _sentence_paragraphs(rec["text"]):
                events[rec["event"]].append(rec)
    pairs = [p for ev in sorted(events) for p in itertools.combinations(sorted(events[ev], key=lambda r: r["id"]), 2)]
    return pairs[:limit]


@pytest.mark.skipif(not GALAXY.exists(), reason="galaxy-wikinews corpus not present")
def test_galaxy_same_event_pairs_align_the_same_without_line_breaks() -> None:
    pairs = _galaxy_pairs(limit=12)
    assert len(pairs) >= 3
    found = 0
    for x, y in pairs:
        with_lines = matched_pairs(compare(x["text"], y["text"]))
        flat = matched_pairs(compare(flatten(x["text"]), flatten(y["text"])))
        assert flat == with_lines, (x["id"], y["id"])
        found += len(with_lines)
    assert found > 0  # the check compared real matches, not empty sets
