"""``dedup cluster --stream``: texts left in the JSONL/Parquet file give byte-identical output, with the
same rejects, and the reading process holds no texts."""

from __future__ import annotations

import gzip
import json
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _nearcopies import edit
from conftest import CORPORA, ROOT, run_dedup

from dedup.io.readers import read_many
from dedup.io.textstore import open_store

ND = ("--mode", "near-duplicate")


def _records() -> list[dict]:
    """The three development corpora (ids prefixed), edited copies of every 5th article, shuffled."""
    rng = random.Random(11)
    out: list[dict] = []
    for tag, name in (("w", "wikiref220.jsonl"), ("g", "galaxy-wikinews.jsonl"), ("m", "galaxy-wikinews-medium.jsonl")):
        path = CORPORA / name
        if not path.exists():
            pytest.skip(f"development corpus {path} not available")
        with path.open(encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                rec = json.loads(line)
                rec["id"] = f"{tag}/{rec['id']}"
                if k % 3 == 0:
                    rec["date"] = f"2014-07-{1 + k % 28:02d}"
                out.append(rec)
    copies = [dict(r, id=f"copy-{i}", text=edit(r["text"], rng)) for i, r in enumerate(out[::5])]
    for c in copies[::4]:
        c.pop("date", None)
        c.pop("title", None)
    out += copies
    rng.shuffle(out)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("stream")
    recs = _records()
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines[3] += "\r"  # a CRLF line, blank lines and a BOM: read as the normal reader reads them
    lines.insert(10, "")
    text = "\ufeff" + "\n".join(lines) + "\n\n"
    (d / "c.jsonl").write_text(text, encoding="utf-8")
    with gzip.open(d / "c.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(text)
    cols = sorted({k for r in recs for k in r})
    table = pa.table({c: [r.get(c) for r in recs] for c in cols})
    pq.write_table(table, d / "c.parquet", row_group_size=97)
    return {"jsonl": d / "c.jsonl", "gz": d / "c.jsonl.gz", "parquet": d / "c.parquet", "dir": d}


def _run(path: Path | list[Path], out: Path, *args: str) -> tuple[bytes, str]:
    paths = [str(p) for p in (path if isinstance(path, list) else [path])]
    proc = run_dedup("cluster", *paths, *ND, "-o", str(out), *args, timeout=300)
    assert proc.returncode == 0, proc.stderr
    stderr = re.sub(r"\d+\.\d+s", "T", proc.stderr).replace(str(out), "OUT")
    return out.read_bytes(), stderr


@pytest.mark.parametrize(("kind", "args"), [
    ("jsonl", ("-f", "jsonl")),
    ("jsonl", ("-f", "json", "--workers", "2")),
    ("jsonl", ("-f", "csv", "--pairs")),
    ("jsonl", ("-f", "table")),
    ("jsonl", ("-f", "jsonl", "--keep-one", "--workers", "2")),
    ("jsonl", ("-f", "parquet", "--keep-one", "--threshold", "0.3", "--shingle", "char", "--ngram", "7")),
    ("parquet", ("-f", "jsonl", "--workers", "2")),
    ("parquet", ("-f", "parquet", "--keep-one")),
    ("parquet", ("-f", "table")),
    ("gz", ("-f", "json", "--keep-one")),
])
def test_stream_output_equals_in_memory(corpus, tmp_path, kind, args):
    ref = _run(corpus[kind], tmp_path / "ref", *args)
    got = _run(corpus[kind], tmp_path / "got", "--stream", *args)
    assert got == ref
    assert b"copy-" in ref[0]


BAD = [
    '{"id": "a", "text": "The council approved the new budget for the city on Tuesday after a long debate."}',
    '{"id": "b", "text": "The council approved the new budget for the city on Tuesday after a long debate!"}',
    '{"id": "c", "text": ',  # bad JSON
    '["not", "an", "object"]',
    '{"id": "d"}',  # missing text
    '{"id": "e", "text": "   "}',  # empty text
    '{"id": "a", "text": "A duplicate id with its own text about something else entirely."}',
    '{"text": "No id at all in this record, which is therefore an error here."}',
    '{"id": "f", "text": "' + "long words " * 400 + '"}',  # over --max-bytes 2KB
    '{"id": "g", "text": "Bin\\u0000ary"}',
    '{"id": "h", "text": ["First paragraph of a list text.", "Second paragraph about the budget."]}',
    '{"id": "i", "text": "date 2021-03-04\\nThe council approved the new budget for the city on Tuesday."}',
]


@pytest.mark.parametrize("extra", [(), ("--dedupe-ids",), ("--keep-one",)])
def test_bad_records_give_the_same_rejects(tmp_path, extra):
    src = tmp_path / "bad.jsonl"
    src.write_bytes(("\n".join(BAD) + "\n").encode() + b'{"id": "j", "text": "caf\xe9 in Windows-1252"}\n')
    common = ("--skip-bad", "--max-bytes", "2KB", "-f", "jsonl", *extra)
    ref = _run(src, tmp_path / "ref", *common, "--rejects", str(tmp_path / "rej-ref"))
    got = _run(src, tmp_path / "got", "--stream", *common, "--rejects", str(tmp_path / "rej-got"))
    assert got == ref
    assert (tmp_path / "rej-got").read_bytes() == (tmp_path / "rej-ref").read_bytes()
    assert len((tmp_path / "rej-ref").read_text().splitlines()) >= 6


def test_bad_record_without_skip_bad_is_the_same_one_line_error(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(BAD[:3]) + "\n", encoding="utf-8")
    procs = [run_dedup("cluster", str(src), *ND, *flag) for flag in ((), ("--stream",))]
    assert procs[0].returncode == procs[1].returncode == 3
    assert procs[0].stderr == procs[1].stderr and procs[1].stderr.count("\n") == 1
    assert f"{src}:3:" in procs[1].stderr and "Traceback" not in procs[1].stderr


def test_duplicate_ids_renamed_in_kept_records(tmp_path):
    src = tmp_path / "two.jsonl"
    src.write_bytes((CORPORA / "galaxy-wikinews.jsonl").read_bytes()
                    + (CORPORA / "galaxy-wikinews-medium.jsonl").read_bytes())
    args = ("-f", "jsonl", "--keep-one", "--dedupe-ids", "--threshold", "0.9")
    assert _run(src, tmp_path / "got", "--stream", *args) == _run(src, tmp_path / "ref", *args)
    assert b'#2"' in (tmp_path / "got").read_bytes()


def test_renamed_ids_without_an_id_field_keep_their_records(tmp_path):
    """Records without ids are numbered by row; --dedupe-ids renames the second file's row 1 to "1#2", and
    that record, kept as a cluster of its own, comes back whole from the streamed file."""
    recs = [json.loads(x) for x in (CORPORA / "galaxy-wikinews.jsonl").read_text().splitlines()[:6]]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in recs[:3]))
    b.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in recs[3:]))
    args = ("-f", "jsonl", "--keep-one", "--dedupe-ids", *ND)
    got = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(a), str(b), "--stream", *args, "-q"],
                         capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    ref = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(a), str(b), "--no-stream", *args, "-q"],
                         capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert got.returncode == 0, got.stderr
    assert got.stdout == ref.stdout and len(got.stdout.splitlines()) == 6


@pytest.mark.parametrize("args", [("--format-in", "csv"), ("--engine", "dask")])  # incident: test_incident_stream
def test_stream_refuses_what_it_cannot_stream(corpus, args):
    proc = run_dedup("cluster", str(corpus["jsonl"]), *ND, "--stream", *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--stream needs" in proc.stderr
    proc = run_dedup("cluster", "-", *ND, "--stream", stdin=b'{"id": 1, "text": "x y"}\n')
    assert proc.returncode == 2 and "--stream needs" in proc.stderr


def test_missing_file_is_an_input_error(tmp_path):
    proc = run_dedup("cluster", str(tmp_path / "nope.jsonl"), *ND, "--stream")
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1 and "nope.jsonl" in proc.stderr


def test_auto_stream_from_size(corpus, monkeypatch):
    from dedup.cli import build_parser, cluster_cmd

    def use(*argv: str) -> bool:
        return cluster_cmd._use_stream(build_parser().parse_args(["cluster", *argv]))

    path = str(corpus["jsonl"])
    assert not use(path, *ND)  # small: in memory
    monkeypatch.setattr(cluster_cmd, "STREAM_MIN_BYTES", 1000)
    assert use(path, *ND) and use(str(corpus["parquet"]), *ND)
    assert not use(path) and not use(path, *ND, "--no-stream") and not use(str(corpus["dir"]), *ND)
    assert not use("-", *ND) and not use(path, *ND, "--engine", "dask")


@pytest.mark.parametrize("kind", ["jsonl", "gz", "parquet"])
def test_store_texts_are_the_readers_texts_in_id_order(corpus, kind):
    arts, rej = read_many([corpus[kind]])
    with open_store([str(corpus[kind])]) as store:
        assert [a.id for a in store.articles] == [a.id for a in arts] and store.rejected == rej
        want = [a.text for a in sorted(arts, key=lambda a: a.id)]
        assert list(store.texts) == want and store.texts[7] == want[7]
        part = store.texts[100:300]
        assert list(pickle.loads(pickle.dumps(part))) == want[100:300]
        assert len(pickle.dumps(part)) < 200 * 30 + 2000  # offsets, not texts
        assert all(a.text == "" and not a.fields for a in store.articles)
        spill = Path(store.texts.parts[0].data)
    assert spill.exists() == (kind == "jsonl")  # the spill file is deleted


_MEASURE = r"""
import json, re, resource, sys
from dedup.cli import main
rc = main(sys.argv[1:])
hwm = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
print(json.dumps({"rc": rc, "driver": hwm * 1024,
                  "worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}), file=sys.stderr)
"""


def _peak(path: Path, out: Path, *args: str) -> dict:
    """Peak RSS (VmHWM) of the clustering process, and the largest of its worker processes."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, "cluster", str(path), *ND, "-f", "jsonl", "-q",
                           "-o", str(out), *args], capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_stream_memory_does_not_hold_the_corpus(tmp_path):
    """50k synthetic ~3 KB articles (157 MB file), 2 workers. The process that reads the file grows
    (over the same run on 2,500 articles) by ~0.45x the file: ids, titles, clusters and output rows,
    no texts; the in-memory path grows by ~3.5x the file. The workers' peaks (the engine's chunk and
    verification working sets, ~250 MB each here) do not depend on how the input is read."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import SyntheticCorpus

    corpus = SyntheticCorpus(50_000, seed=5)
    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    with big.open("w", encoding="utf-8") as fh, small.open("w", encoding="utf-8") as sm:
        for i, text in enumerate(corpus):
            line = json.dumps({"id": f"a{i:06d}", "title": f"Article {i}", "text": text}) + "\n"
            fh.write(line)
            if i < 2500:
                sm.write(line)
    size = big.stat().st_size
    base = _peak(small, tmp_path / "o0", "--stream", "--workers", "2")  # interpreter, libraries, one chunk
    got = _peak(big, tmp_path / "o1", "--stream", "--workers", "2")
    ref = _peak(big, tmp_path / "o2", "--no-stream", "--workers", "2")
    assert (tmp_path / "o1").read_bytes() == (tmp_path / "o2").read_bytes()
    grown = got["driver"] - base["driver"]
    assert grown < 0.6 * size, (got, base, size)
    assert grown < 0.25 * (ref["driver"] - base["driver"]), (got, ref, base)
    assert got["driver"] + 2 * got["worker"] < ref["driver"] + 2 * ref["worker"]


def test_several_inputs_in_one_run(corpus, tmp_path):
    """A JSONL file and a Parquet file of other ids, read as one corpus."""
    other = tmp_path / "other.parquet"
    recs = [{"id": f"x{i}", "text": r["text"]} for i, r in enumerate(_records()[:60])]
    pq.write_table(pa.table({"id": [r["id"] for r in recs], "text": [r["text"] for r in recs]}), other)
    both, args = [corpus["jsonl"], other], ("-f", "jsonl", "--workers", "2")
    assert _run(both, tmp_path / "got", "--stream", *args) == _run(both, tmp_path / "ref", *args)
    assert b'"x1"' in (tmp_path / "got").read_bytes()


@pytest.mark.parametrize("kind", ["jsonl", "gz", "parquet"])
def test_kept_records_come_back_a_batch_at_a_time(corpus, kind):
    """``--keep-one`` of a streamed run reads the kept records back in batches: each article has its
    whole input record while it is out, and no more than one batch holds records at once."""
    arts, _ = read_many([corpus[kind]])
    want = {a.id: a.fields for a in arts}
    with open_store([str(corpus[kind])]) as store:
        order = sorted(store.articles, key=lambda a: a.id, reverse=True)[::3]
        held = []
        for a in store.iter_records(order, batch=7):
            assert a.fields == want[a.id] and "text" in a.fields
            held.append(sum(1 for b in store.articles if "text" in b.fields))
        assert max(held) <= 7 and len(held) == len(order)
        assert all(not a.fields for a in store.articles)  # light again
