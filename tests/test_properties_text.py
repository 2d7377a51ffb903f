"""Property tests (hypothesis) for the segmenter, the figure extractor, the diff and the readers.

The invariants live in the fuzz targets (``fuzz/fuzz_*.py``); here hypothesis feeds them structured
news-like text as well as arbitrary bytes, so CI checks them without atheris.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))

import fuzz_diff
import fuzz_figures
import fuzz_readers
import fuzz_sentences

from dedup.io.readers import read

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))
WORDS = ["Gen.", "Mr.", "U.S.", "a.m.", "Oct.", "31", "38", "1,200", "1.5", "two", "dozen", "drones", "over",
         "Belgorod", "region", "said", "the", "The", "ministry", "$5", "million", "12%", "11:00", "pm", "Sunday",
         "\u201cquoted\u201d", "(Reuters)", "\u2013", "J.", "No.", "1.", "2023-10-31", "fourth", "e.g.", "..."]
ENDS = [". ", "? ", "! ", ".\" ", ".\n", "\n\n", "\r\n", " ", ", ", ".", ""]

news = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(ENDS)), max_size=60).map(
    lambda ts: "".join(w + e for w, e in ts))
texts = st.one_of(news, st.text(max_size=300),
                  st.sampled_from([p.read_text(encoding="utf-8") for p in SAMPLES] or [""]))
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(texts)
def test_sentences_lose_and_duplicate_nothing(text):
    fuzz_sentences.check_text(text)


@fast
@given(texts, st.sampled_from([None, "2023-10-31", "2024-02-29", "2023-02-30"]))
def test_figures_stay_in_the_text(text, date):
    fuzz_figures.check_text(text, date)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_diff_keeps_every_sentence_once(a, b):
    fuzz_diff.check_pair(a, b)
    fuzz_diff.check_self(a)


def test_diff_of_the_two_ministry_reports_keeps_every_sentence():
    a, b = (p.read_text(encoding="utf-8") for p in SAMPLES[3:5])
    fuzz_diff.check_pair(a, b)
    fuzz_diff.check_pair(b, a)


@fast
@given(st.binary(max_size=400), st.sampled_from(fuzz_readers.SUFFIXES))
def test_readers_on_arbitrary_bytes(data, suffix):
    fuzz_readers.check_bytes(data, suffix)


records = st.lists(st.fixed_dictionaries({
    "id": st.one_of(st.text(min_size=1, max_size=8).filter(lambda s: s.strip() and "\x00" not in s),
                    st.integers(-5, 10**6)),
    "text": st.text(min_size=1, max_size=80).filter(lambda s: s.strip() and "\x00" not in s),
}), max_size=12)


@fast
@given(records, st.sampled_from(["jsonl", "json", "csv", "parquet"]))
def test_readers_round_trip_every_record_once(tmp_path_factory, recs, fmt):
    """Written in any format, every record comes back once: as an article or as a duplicate-id reject."""
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = [dict(r, id=str(r["id"])) for r in recs]
    path = tmp_path_factory.mktemp("rt") / f"c.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(recs), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, ["id", "text"])
            w.writeheader()
            w.writerows(recs)
    else:
        pq.write_table(pa.table({"id": pa.array([r["id"] for r in recs], pa.string()),
                                 "text": pa.array([r["text"] for r in recs], pa.string())}), path)
    arts, rej = read(path, skip_bad=True)
    assert len(arts) + len(rej) == len(recs)
    first: dict[str, str] = {}
    for r in recs:
        first.setdefault(r["id"], r["text"])
    assert [a.id for a in arts] == list(first)
    for a in arts:  # the text comes back (a leading "date YYYY-MM-DD" header aside), CR/LF as written
        assert a.text.strip() and a.text in first[a.id] or a.text.replace("\r\n", "\n") in first[a.id]
    assert all("duplicate id" in r.reason for r in rej)


@pytest.mark.parametrize("target", [fuzz_readers, fuzz_sentences, fuzz_figures, fuzz_diff])
def test_fuzz_targets_run_without_atheris(target):
    from _harness import main

    assert main(target.test_one_input, ["--runs", "60", "--seed", "7"]) == 0
