"""compare() on the sample corpus and on real corpus excerpts; figure pairing; self-diff property."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.diff.compare import compare
from dedup.diff.figures import pair_figures
from dedup.text.figures import extract_figures

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")
GALAXY = Path("/work/shared/corpora/galaxy-wikinews.jsonl")
S_A = "Of those, 34 were intercepted over Belgorod, two over Voronezh, and two over Crimea."
S_B = "Of these, 34 were downed over the Belgorod region, with two each over Voronezh and Crimea."


@pytest.fixture(scope="module")
def d34():  # type: ignore[no-untyped-def]
    return compare(T003, T004, a_id="003", b_id="004")


def test_reexported() -> None:
    assert dedup.compare is compare


def test_report_sentences_side_by_side_with_word_change(d34) -> None:  # type: ignore[no-untyped-def]
    i = next(s.index for s in d34.sentences_a if s.text == S_A)
    j = next(s.index for s in d34.sentences_b if s.text == S_B)
    blk = next(b for b in d34.blocks if i in b.a)
    assert blk.b == [j] and blk.kind == "changed"
    assert any(c.op == "replace" and c.a == "intercepted" and c.b == "downed" for c in blk.changes)
    assert {(m.side, m.term) for m in blk.framing} >= {("a", "intercepted"), ("b", "downed")}


def test_oct31_figures_same_and_no_false_conflicts(d34) -> None:  # type: ignore[no-untyped-def]
    same = {(f.a.value, f.a.counts, f.a.where) for f in d34.figures if f.status == "same" and f.a.kind == "count"}
    assert {(38.0, "drone", None), (34.0, "drone", "Belgorod"), (2.0, "drone", "Voronezh"),
            (2.0, "drone", "Crimea")} <= same
    assert not [f for f in d34.figures if f.status == "conflict"]
    alone = {(f.a or f.b).value for f in d34.figures if f.status in ("only_a", "only_b")}  # type: ignore[union-attr]
    assert {98.0, 45.0, 130.0} <= alone
    s = d34.summary
    assert s.figures_same == sum(f.status == "same" for f in d34.figures)
    json.dumps(d34.to_dict())


def test_real_conflict_is_found() -> None:
    a = "Officials said 38 drones were destroyed over Belgorod on October 31. Nobody was hurt."
    b = "Officials said 41 drones were destroyed over Belgorod on October 31. Nobody was hurt."
    d = compare(a, b)
    conf = [f for f in d.figures if f.status == "conflict"]
    assert [(f.a.value, f.b.value) for f in conf] == [(38.0, 41.0)]  # type: ignore[union-attr]
    assert d.summary.figures_conflict == 1


def test_unrelated_counts_of_other_places_are_not_conflicts() -> None:
    fa = extract_figures("Drones hit the city. Russia said 45 drones were shot down over Belgorod.")
    fb = extract_figures("Russia said 12 drones were shot down over Samara.")
    assert sorted(p.status for p in pair_figures(fa, fb)) == ["only_a", "only_b"]


def test_alignment_hint_breaks_ties_between_equal_figures() -> None:
    fa = extract_figures("Two people died in Kyiv. Later, two people died in Lviv.")
    fb = extract_figures("Two people died in Lviv.")
    pairs = pair_figures(fa, fb, aligned=[(1, 0)])
    same = [p for p in pairs if p.status == "same"]
    assert len(same) == 1 and same[0].a.where == "Lviv"  # type: ignore[union-attr]


def test_self_diff_of_samples_has_no_change() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        d = compare(text, text)
        assert all(b.kind == "same" and not b.moved for b in d.blocks)
        assert d.summary.words_changed_pct == 0.0
        assert all(f.status == "same" for f in d.figures)


@pytest.mark.skipif(not GALAXY.exists(), reason="development corpus not present")
def test_two_reports_of_one_event_from_galaxy() -> None:
    rows = [json.loads(line) for line in GALAXY.read_text(encoding="utf-8").splitlines()[:40]]
    by_event: dict[str, list[dict]] = {}
    for r in rows:
        by_event.setdefault(r["event"], []).append(r)
    a, b = next(v for v in by_event.values() if len(v) >= 2)[:2]
    d = compare(a["text"], b["text"])
    assert sorted(i for blk in d.blocks for i in blk.a) == list(range(len(d.sentences_a)))
    assert sorted(j for blk in d.blocks for j in blk.b) == list(range(len(d.sentences_b)))
    assert 0.0 < d.summary.words_changed_pct <= 100.0


texts = st.one_of(
    st.lists(st.sampled_from([s for s in (T003 + "\n" + T004).splitlines() if s]), max_size=8).map("\n".join),
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "Cc"]), max_size=300),
)


@settings(max_examples=50, deadline=None)
@given(text=texts)
def test_diff_of_a_text_with_itself_has_no_change(text: str) -> None:
    d = compare(text, text)
    assert all(b.kind == "same" for b in d.blocks)
    assert all(c.op == "equal" for b in d.blocks for c in b.changes)
    assert all(not b.framing and not b.moved for b in d.blocks)
    assert all(f.status == "same" for f in d.figures)
    assert d.summary.words_changed_pct == 0.0


def test_dates_of_different_forms_do_not_conflict() -> None:
    d = compare("Police said the man was arrested on Friday in Dallas.",
                "Police said the man was arrested on March 14 in Dallas.")
    assert not [f for f in d.figures if f.status == "conflict"]
    d = compare("Police said the man was arrested on Friday in Dallas.",
                "Police said the man was arrested on Saturday in Dallas.")
    assert [f.status for f in d.figures] == ["conflict"]
