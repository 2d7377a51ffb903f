"""The collected figure suite (tests/data/figures_suite.jsonl) and the forms news text is full of."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from dedup import compare
from dedup.text.figures import extract_figures

SUITE = Path(__file__).resolve().parent / "data" / "figures_suite.jsonl"


def _values(text: str) -> list[float]:
    return [f.value for f in extract_figures(text) if isinstance(f.value, float)]


def test_suite_values_found() -> None:
    rows = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    hit = total = 0
    words = [0, 0]
    for row in rows:
        vals = _values(row["text"])
        for value, kind in row["expect"]:
            ok = any(math.isclose(value, v, rel_tol=1e-6, abs_tol=1e-9) for v in vals)
            hit += ok
            total += 1
            if kind in ("number", "words"):
                words[0] += ok
                words[1] += 1
    assert hit / total >= 0.95
    assert words[0] / words[1] >= 0.90


@pytest.mark.parametrize("text,value,kind", [
    ("Russia said it downed thirty-eight drones.", 38.0, "count"),
    ("About two hundred and fifty people attended.", 250.0, "count"),
    ("The city has 1.5 million residents.", 1.5e6, "count"),
    ("The deal is worth 3bn.", 3e9, "count"),
    ("They raised 5k for the fund.", 5e3, "count"),
    ("Three quarters of the voters agreed.", 0.75, "fraction"),
    ("Half of the cost was paid.", 0.5, "fraction"),
    ("Some 12 500 people fled.", 12500.0, "count"),
    ("Temperatures fell to -5 overnight.", -5.0, "count"),
    ("The quake struck at a depth of 10 km.", 10.0, "quantity"),
    ("Tickets cost HK$ 120 each.", 120.0, "money"),
])
def test_news_forms(text: str, value: float, kind: str) -> None:
    assert (value, kind) in [(f.value, f.kind) for f in extract_figures(text)]


def test_ranges_give_both_ends_and_the_midpoint() -> None:
    figs = extract_figures("Officials said between 30 and 40 drones were launched.")
    assert sorted((f.value, f.kind, f.counts) for f in figs) == [
        (30.0, "count", "drone"), (35.0, "range", "drone"), (40.0, "count", "drone")]
    rng = next(f for f in figs if f.kind == "range")
    assert (rng.low, rng.high) == (30.0, 40.0)
    assert [f.value for f in extract_figures("It lasted 30-40 minutes.") if f.kind == "range"] == [35.0]


def test_idioms_are_not_figures() -> None:
    assert extract_figures("It was a one-time payment to third-party actors.") == []
    assert extract_figures("A third brother was not involved.")[0].kind == "ordinal"


def test_conflict_label_says_what_is_counted() -> None:
    a = "Russia said it downed 38 drones over the Belgorod region."
    b = "Russia said it downed 130 drones over the Belgorod region."
    pairs = compare(a, b).figures
    assert [(p.status, p.label()) for p in pairs] == [("conflict", "38 -> 130 drones")]
    assert pairs[0].to_dict()["label"] == "38 -> 130 drones"
