"""Writers: round trips in every format, keep-one, pairs, atomic writes, the table lists every article."""

from __future__ import annotations

import csv
import io
import json
import os

import pyarrow.parquet as pq
import pytest

import dedup
from dedup.errors import OutputError
from dedup.io import atomic
from dedup.io.writers import render, write


@pytest.fixture(scope="module")
def result(galaxy_records):
    recs = [dict(r) for r in galaxy_records[:20]]
    recs.append(dict(recs[3], id="copy-of-3", url="http://example.org/copy"))  # an exact copy
    return dedup.cluster(recs, mode="near-duplicate", threshold=0.5)


def _check_records(rows, result):
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(a.id for a in result.articles)  # every article exactly once
    where = result.cluster_of()
    for r in rows:
        c = where[r["id"]]
        assert r["cluster"] == c.id and int(r["cluster_size"]) == c.size
        assert str(r["representative"]).lower() == str(r["id"] == c.representative).lower()
        if c.size == 1:
            assert r["best_match"] in (None, "")
        else:
            assert r["best_match"] in c.members and r["best_match"] != r["id"]
            assert 0.5 <= float(r["similarity"]) <= 1.0


def test_jsonl_csv_parquet_json_round_trip(tmp_path, result):
    assert any(c.size == 2 and "copy-of-3" in c.members for c in result.clusters)
    write(result, tmp_path / "o.jsonl", fmt="jsonl")
    _check_records([json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()], result)
    write(result, tmp_path / "o.csv", fmt="csv")
    with (tmp_path / "o.csv").open(newline="", encoding="utf-8") as fh:
        _check_records(list(csv.DictReader(fh)), result)
    write(result, tmp_path / "o.parquet", fmt="parquet")
    _check_records(pq.read_table(tmp_path / "o.parquet").to_pylist(), result)
    write(result, tmp_path / "o.json", fmt="json")
    doc = json.loads((tmp_path / "o.json").read_text())
    _check_records(doc["articles"], result)
    assert doc["summary"]["articles"] == 21 and doc["summary"]["duplicates"] == 1
    assert [c["id"] for c in doc["clusters"]] == [c.id for c in result.clusters]


def test_keep_one_keeps_all_input_fields_and_reads_back(tmp_path, result, galaxy_records):
    write(result, tmp_path / "k.parquet", fmt="parquet", keep_one=True)
    back, rej = dedup.read(tmp_path / "k.parquet")
    assert not rej and len(back) == len(result.clusters) == 20
    assert "copy-of-3" not in {a.id for a in back} or galaxy_records[3]["id"] not in {a.id for a in back}
    originals = {r["id"]: r for r in galaxy_records}
    for a in back:
        if a.id in originals:
            assert a.fields == originals[a.id]
    write(result, tmp_path / "k.jsonl", fmt="jsonl", keep_one=True)
    lines = [json.loads(x) for x in (tmp_path / "k.jsonl").read_text().splitlines()]
    assert {tuple(sorted(x)) for x in lines} == {("event", "id", "text", "title", "url")}


def test_pairs_output_has_scores_and_evidence(tmp_path, result):
    text = render(result, fmt="csv", pairs=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["a"], r["b"]) for r in rows] == [(p.a, p.b) for p in result.pairs]
    assert all(float(r["score"]) == pytest.approx(float(r["evidence_jaccard"])) for r in rows)
    jl = [json.loads(x) for x in render(result, fmt="jsonl", pairs=True).splitlines()]
    assert jl and all(set(x["evidence"]) == {"jaccard"} and x["a"] < x["b"] for x in jl)


def test_table_lists_every_article(result):
    text = render(result, fmt="table", width=200)
    assert all(a.id in text for a in result.articles)
    assert all(c.id in text for c in result.clusters)


def test_atomic_write_replaces_and_leaves_old_file_on_failure(tmp_path, result, monkeypatch):
    dest = tmp_path / "out.jsonl"
    dest.write_text("old\n")
    write(result, dest, fmt="jsonl")
    assert dest.read_text() != "old\n" and os.listdir(tmp_path) == ["out.jsonl"]
    before = dest.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OutputError, match="No space left"):
        write(result, dest, fmt="csv")
    assert dest.read_bytes() == before and os.listdir(tmp_path) == ["out.jsonl"]


def test_output_to_missing_folder_is_an_output_error(tmp_path, result):
    with pytest.raises(OutputError) as exc:
        write(result, tmp_path / "nope" / "x.csv", fmt="csv")
    assert exc.value.exit_code == 4 and "nope" in str(exc.value)


def _mixed_records(galaxy_records):
    """Real records with fields of shifting types: int then text, int and float, nested, sometimes absent."""
    recs = []
    for i, r in enumerate(galaxy_records[:40]):
        rec = dict(r, n=i if i < 25 else f"x{i}", score=2 if i % 5 else 1.5)
        if i % 2:
            rec["meta"] = {"k": i, "tags": ["a", "b"][: i % 3]}
        if i > 30:
            rec["late"] = [i, i + 1]
        recs.append(rec)
    return recs


def test_parquet_in_batches_equals_one_table(tmp_path, galaxy_records):
    """Written 4 rows at a time, the Parquet file holds the same table as written in one batch:
    a column that turns from numbers to text is text, ints and floats are floats, late columns kept."""
    import pyarrow as pa

    from dedup.io import parquet_out

    res = dedup.cluster(_mixed_records(galaxy_records), mode="near-duplicate")
    rows = _keep_rows(res)
    one = pq.read_table(pa.BufferReader(render(res, fmt="parquet", keep_one=True)))  # not BytesIO: see io/formats.py
    assert one.num_rows == len(rows) == len(res.clusters)
    assert one.schema.field("n").type == pa.string() and one.schema.field("score").type == pa.float64()
    assert one.column("n").to_pylist() == [str(r["n"]) for r in rows]
    assert one.column("meta").to_pylist() == [r.get("meta") for r in rows]
    parquet_out.write_parquet(lambda: iter(rows), tmp_path / "b.parquet", batch=4)
    many = pq.read_table(tmp_path / "b.parquet")
    assert many.equals(one) and pq.ParquetFile(tmp_path / "b.parquet").num_row_groups == -(-len(rows) // 4)
    assert many.column("late").to_pylist() == [r.get("late") for r in rows]


def _keep_rows(res):
    from dedup.io.rows import keep_one_rows

    return list(keep_one_rows(res))
