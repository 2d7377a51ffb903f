"""The token_set_ratio prefilter of the alignment is exact: same blocks as the full similarity matrix."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from dedup.diff import align as align_mod
from dedup.diff.align import align, fold_sentence
from dedup.diff.prefilter import token_set_upper_bound
from dedup.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
WIKIREF = Path("/work/shared/corpora/wikiref220.jsonl")


def _sentences(text: str, limit: int = 10**9) -> list[str]:
    return [s.text for s in split_sentences(text)][:limit]


def _full(fa: list[str], fb: list[str], need: np.ndarray, scorer=fuzz.token_set_ratio) -> np.ndarray:  # type: ignore[no-untyped-def]
    return process.cdist(fa, fb, scorer=scorer, dtype=np.float64, workers=-1)


def _blocks(a: list[str], b: list[str]) -> list[tuple[object, ...]]:
    return [(k.kind, k.a, k.b, k.moved, k.similarity) for k in align(a, b)]


def _texts() -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in SAMPLES]
    if WIKIREF.exists():
        with WIKIREF.open(encoding="utf-8") as fh:
            recs = [json.loads(line) for line in fh]
        out += [r["text"] for r in recs[::25]]
    return out


def test_bound_is_never_below_token_set_ratio_on_real_sentences() -> None:
    texts = _texts()
    ruled_out = 0
    for x, y in itertools.combinations(texts[:8], 2):
        fa = [fold_sentence(s) for s in _sentences(x, 60)]
        fb = [fold_sentence(s) for s in _sentences(y, 60)]
        fb += [fb[j] + " " + fb[j + 1] for j in range(len(fb) - 1)]  # the split candidates too
        exact = process.cdist(fa, fb, scorer=fuzz.token_set_ratio, dtype=np.float64)
        ub = token_set_upper_bound(fa, fb)
        assert (ub >= exact).all()
        ratio = process.cdist(fa, fb, scorer=fuzz.ratio, dtype=np.float64)
        ruled_out += int((ub < 200 * 0.55 - ratio).sum())
    assert ruled_out > 0  # the bound does prune pairs at the default threshold


_words = st.lists(st.sampled_from(["the", "a", "drones", "drone", "38", "two", "over", "belgorod", "ab", "ba",
                                   "x", "said", "downed"]), max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, min_size=1, max_size=4), st.lists(_words, min_size=1, max_size=4))
def test_bound_is_never_below_token_set_ratio_property(fa: list[str], fb: list[str]) -> None:
    exact = process.cdist(fa, fb, scorer=fuzz.token_set_ratio, dtype=np.float64)
    assert (token_set_upper_bound(fa, fb) >= exact).all()


def test_alignment_with_prefilter_equals_full_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    pairs = [(texts[3], texts[4]), (texts[1], texts[2])] + list(itertools.combinations(texts[5:10], 2))
    pairs = [(_sentences(x, 80), _sentences(y, 80)) for x, y in pairs]
    pruned = [_blocks(a, b) for a, b in pairs]
    monkeypatch.setattr(align_mod, "pruned_token_set", _full)
    full = [_blocks(a, b) for a, b in pairs]
    assert pruned == full
    assert any(kind != "only_a" and kind != "only_b" for p in full for kind, *_ in p)
