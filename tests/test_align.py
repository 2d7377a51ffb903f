"""Sentence alignment: moves, splits, merges, unmatched sentences, and its invariants (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.diff.align import align, similarity_matrix
from dedup.text.sentences import split_sentences

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
S003 = [s.text for s in split_sentences((SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8"))]
S004 = [s.text for s in split_sentences((SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8"))]
POOL = S003 + S004


def covered(blocks, n: int, m: int) -> None:  # type: ignore[no-untyped-def]
    a = sorted(i for b in blocks for i in b.a)
    b = sorted(j for blk in blocks for j in blk.b)
    assert a == list(range(n))
    assert b == list(range(m))


def test_identical_lists_align_one_to_one_in_order() -> None:
    blocks = align(S003, S003)
    assert all(b.kind == "same" and b.a == b.b and not b.moved for b in blocks)
    covered(blocks, len(S003), len(S003))


def test_moved_sentence_is_matched_and_marked() -> None:
    b = list(S003)
    moved = b.pop(5)
    b.append(moved)
    blocks = align(S003, b)
    mv = [blk for blk in blocks if blk.moved]
    assert [(blk.a, blk.b) for blk in mv] == [([5], [len(b) - 1])]
    assert mv[0].kind == "same"
    covered(blocks, len(S003), len(b))


def test_split_sentence_is_one_block_with_two_sentences() -> None:
    b = list(S003)
    b[1:2] = ["The attack began at 11:00 pm on October 31 and continued until 7:00 am on November 1.",
              "It marked one of the largest drone assaults Russia has faced in recent months."]
    blocks = align(S003, b)
    split = [blk for blk in blocks if blk.a == [1]]
    assert split and split[0].b == [1, 2] and split[0].kind == "changed"
    covered(blocks, len(S003), len(b))


def test_merged_sentences_are_one_block() -> None:
    b = list(S003)
    b[12:14] = [S003[12].rstrip(".") + ", and " + S003[13][0].lower() + S003[13][1:]]
    blocks = align(S003, b)
    merged = [blk for blk in blocks if blk.b == [12]]
    assert merged and merged[0].a == [12, 13]
    covered(blocks, len(S003), len(b))


def test_unrelated_sentences_stay_unmatched() -> None:
    blocks = align(S003[:3], ["Shares of Apple rose 3 percent on Tuesday after strong iPhone sales."])
    assert sorted(b.kind for b in blocks) == ["only_a", "only_a", "only_a", "only_b"]


def test_paraphrased_report_sentence_is_paired_on_samples() -> None:
    blocks = align(S003, S004)
    i = S003.index("Of those, 34 were intercepted over Belgorod, two over Voronezh, and two over Crimea.")
    j = S004.index("Of these, 34 were downed over the Belgorod region, with two each over Voronezh and Crimea.")
    assert any(b.a == [i] and b.b == [j] and b.kind == "changed" for b in blocks)
    covered(blocks, len(S003), len(S004))


def test_similarity_matrix_bounds_and_empty() -> None:
    m = similarity_matrix(S003[:4], S004[:5])
    assert m.shape == (4, 5) and (m >= 0).all() and (m <= 1).all()
    assert similarity_matrix([], S004).shape == (0, len(S004))
    assert align([], []) == []


sentences = st.lists(st.one_of(st.sampled_from(POOL), st.text(min_size=0, max_size=40)), max_size=14)


@settings(max_examples=60, deadline=None)
@given(a=sentences, b=sentences)
def test_alignment_never_loses_or_duplicates_a_sentence(a: list[str], b: list[str]) -> None:
    blocks = align(a, b)
    covered(blocks, len(a), len(b))
    for blk in blocks:
        assert 1 <= len(blk.a) + len(blk.b) <= 4
        assert (blk.kind in ("only_a", "only_b")) == (not blk.a or not blk.b)


@settings(max_examples=40, deadline=None)
@given(a=st.lists(st.sampled_from(POOL), max_size=12, unique=True), seed=st.randoms(use_true_random=False))
def test_shuffled_text_aligns_every_sentence(a: list[str], seed) -> None:  # type: ignore[no-untyped-def]
    b = list(a)
    seed.shuffle(b)
    blocks = align(a, b)
    assert all(blk.kind == "same" for blk in blocks)
    assert all(b[blk.b[0]] == a[blk.a[0]] for blk in blocks)


def test_prose_without_line_structure_aligns_like_prose_with_it() -> None:
    t3 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
    t4 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")
    flat3 = [s.text for s in split_sentences(" ".join(t3.split()))]
    flat4 = [s.text for s in split_sentences(" ".join(t4.split()))]
    assert flat3 == S003 and flat4 == S004
    pairs = {(tuple(b.a), tuple(b.b)) for b in align(flat3, flat4) if b.a and b.b}
    assert pairs == {(tuple(b.a), tuple(b.b)) for b in align(S003, S004) if b.a and b.b}
