"""Readers on real files: samples/, corpus excerpts written in every format, and every kind of bad input."""

from __future__ import annotations

import csv
import gzip
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dedup.errors import InputError
from dedup.io.readers import read, read_many


def test_directory_ids_dates_and_header_removed(samples_dir):
    arts, rej = read(samples_dir)
    files = sorted(p.name for p in samples_dir.glob("*.txt"))
    assert [a.id for a in arts] == files and rej == []
    for a in arts:
        raw = (samples_dir / a.id).read_text(encoding="utf-8")
        if raw.lstrip().startswith("date "):
            assert a.date == raw.split()[1]
            assert not a.text.lstrip().startswith("date")
            assert a.text.strip() == raw.strip()[len("date ") + 10:].strip()
        else:
            assert a.date is None and a.text == raw


def test_nested_directory_uses_relative_posix_paths(tmp_path, samples_dir):
    (tmp_path / "x" / "y").mkdir(parents=True)
    shutil.copy(samples_dir / "003_9d6c7fdfd1e655bd.txt", tmp_path / "x" / "y" / "a.md")
    shutil.copy(samples_dir / "004_1363d7abf5fa0263.txt", tmp_path / "b.txt")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    arts, _ = read(tmp_path)
    assert [a.id for a in arts] == ["b.txt", "x/y/a.md"]
    single, _ = read(tmp_path / "b.txt")
    assert single[0].id == "b.txt" and single[0].text == arts[0].text


def _write_formats(tmp_path, records):
    jl = tmp_path / "c.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    js = tmp_path / "c.json"
    js.write_text(json.dumps(records), encoding="utf-8")
    cs = tmp_path / "c.csv"
    with cs.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(records[0]))
        w.writeheader()
        w.writerows(records)
    pa_path = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pylist(records), pa_path)
    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(gzip.compress(jl.read_bytes()))
    return [jl, js, cs, pa_path, gz]


def test_every_format_reads_the_same_articles(tmp_path, galaxy_records):
    records = galaxy_records[:15]
    for path in _write_formats(tmp_path, records):
        arts, rej = read(path)
        assert rej == [], path
        assert [a.id for a in arts] == [r["id"] for r in records], path
        assert [a.text for a in arts] == [r["text"] for r in records], path
        assert [a.title for a in arts] == [r["title"] for r in records], path
        assert arts[0].fields["url"] == records[0]["url"]  # every input field kept


def test_format_override_and_named_fields(tmp_path, galaxy_records):
    path = tmp_path / "corpus.data"
    path.write_text("".join(json.dumps({"key": r["id"], "headline": r["title"], "body_html": r["text"],
                                        "when": 1405641600 + k}) + "\n" for k, r in enumerate(galaxy_records[:5])),
                    encoding="utf-8")
    arts, _ = read(path, fmt="jsonl", id_field="key", text_field="body_html", date_field="when")
    assert [a.id for a in arts] == [r["id"] for r in galaxy_records[:5]]
    assert arts[0].title == galaxy_records[0]["title"]  # "headline" detected
    assert arts[0].date == "2014-07-18"
    with pytest.raises(InputError, match="missing text field 'nope'"):
        read(path, fmt="jsonl", text_field="nope")


def test_headline_csv_uses_title_as_text_and_timestamp_ms(tmp_path, uci_head):
    path = tmp_path / "uci.csv"
    path.write_text("".join(uci_head), encoding="utf-8")
    arts, rej = read(path)
    rows = list(csv.DictReader(uci_head))
    assert [a.id for a in arts] == [r["ID"] for r in rows] and not rej
    assert [a.text for a in arts] == [r["TITLE"] for r in rows]
    assert all(a.date and a.date.startswith("2014-") for a in arts)


def test_csv_without_id_gets_row_numbers_bom_crlf_multiline(tmp_path, galaxy_records):
    path = tmp_path / "x.csv"
    body = galaxy_records[0]["text"][:300].replace('"', "'")
    path.write_bytes(("\ufeffheadline,text\r\nA,\"" + body.replace("\n", "\r\n") + "\"\r\nB,second one\r\n")
                     .encode("utf-8"))
    arts, _ = read(path)
    assert [a.id for a in arts] == ["1", "2"]
    assert arts[0].title == "A" and "\r" not in arts[0].text.replace("\r\n", "")


def test_windows_1252_is_decoded_not_rejected(tmp_path):
    path = tmp_path / "w.jsonl"
    path.write_bytes('{"id": "w", "text": "Caf\u00e9 \u201cquoted\u201d \u2013 38 drones"}\n'.encode("cp1252"))
    arts, rej = read(path)
    assert arts[0].text == "Caf\u00e9 \u201cquoted\u201d \u2013 38 drones" and not rej
    with pytest.raises(InputError, match="invalid UTF-8") as exc:
        read(path, encoding_fallback=False)
    assert exc.value.line == 1


BAD = [
    ("bad.jsonl", b'{"id": "a", "text": "fine text"}\n{"id": "b", "text": oops}\n', 2, "bad JSON"),
    ("miss.jsonl", b'{"id": "a", "text": "fine text"}\n\n{"id": "b", "body": "x"}\n', 3, "missing text field"),
    ("empty.jsonl", b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "  "}\n', 2, "empty text"),
    ("bin.jsonl", b'{"id": "a", "text": "fine"}\n\x00\x01\x02\x03\n', 2, "binary data"),
    ("inv.jsonl", b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "\x81\x8d"}\n', 2, "invalid UTF-8"),
    ("arr.jsonl", b'{"id": "a", "text": "fine"}\n[1, 2]\n', 2, "expected a JSON object"),
    ("dup.jsonl", b'{"id": "a", "text": "fine"}\n{"id": "a", "text": "again"}\n', 2, "duplicate id"),
    ("bin.txt", b"abc\ndef\x00\x00", 2, "binary data"),
    ("empty.md", b" date 2024-01-01  \n", 1, "empty text"),
    ("utf16.txt", "Drones over Belgorod\n".encode("utf-16"), 1, "UTF-16"),
    ("bad.csv", b'id,text\n1,ok\n2,"\x81\x8d\x8f"\n', 3, "invalid UTF-8"),
]


@pytest.mark.parametrize("name,data,line,reason", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_and_line_or_is_rejected(tmp_path, name, data, line, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read(path)
    assert exc.value.source == str(path) and exc.value.line == line
    assert reason in str(exc.value) and str(exc.value).startswith(f"{path}:{line}: ")
    arts, rej = read(path, skip_bad=True)
    assert len(rej) == 1 and rej[0].line == line and reason in rej[0].reason
    if name in ("miss.jsonl", "empty.jsonl", "dup.jsonl"):
        assert rej[0].id == json.loads(data.splitlines()[line - 1])["id"]  # the reject names the record
    assert len(arts) == (0 if name.endswith((".txt", ".md")) else 1)  # nothing lost, nothing doubled


def test_unreadable_sources(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.jsonl")
    (tmp_path / "odd.bin").write_bytes(b"\x89PNG....")
    with pytest.raises(InputError, match="format"):
        read(tmp_path / "odd.bin")
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(InputError, match="no .txt or .md files"):
        read(tmp_path / "empty_dir")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="Parquet"):
        read(tmp_path / "bad.parquet")


def test_dedupe_ids_and_non_string_ids(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"text number {k}"}) + "\n"
                            for k, i in enumerate([7, 7, "7#2", 7, 8.5])), encoding="utf-8")
    arts, _ = read(path, dedupe_ids=True)
    assert [a.id for a in arts] == ["7", "7#2", "7#2#2", "7#3", "8.5"]
    assert [a.fields["id"] for a in arts] == [7, "7#2", "7#2#2", "7#3", 8.5]  # --keep-one writes the new ids
    assert len({a.id for a in arts}) == len(arts)


def test_read_many_checks_ids_across_sources(tmp_path, samples_dir):
    with pytest.raises(InputError, match="duplicate id"):
        read_many([samples_dir, samples_dir])
    arts, _ = read_many([samples_dir, samples_dir], dedupe_ids=True)
    assert len(arts) == 10 and len({a.id for a in arts}) == 10


# ------------------------------------------------------------------ hardening fixes: rows, fields, sizes


def _galaxy_csv(path, records, rows):
    """Write galaxy records as CSV (id,title,text,date) and then the extra raw ``rows``."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text", "date"])
        for r in records:
            w.writerow([r["id"], r["title"], r["text"], "2014-07-13"])
        for row in rows:
            w.writerow(row)


def test_csv_row_with_more_values_than_the_header_is_an_error(tmp_path, galaxy_records):
    path = tmp_path / "long.csv"
    recs = galaxy_records[:3]
    _galaxy_csv(path, recs, [["x1", "t", "some text", "2014-07-14", "extra", "more"]])
    last = path.read_bytes().count(b"\n")  # texts span several lines; the bad row is the last line
    with pytest.raises(InputError, match="expected 4 values, got 6") as err:
        read(path)
    assert err.value.line == last and str(path) in str(err.value)
    arts, rej = read(path, skip_bad=True)
    assert [a.id for a in arts] == [r["id"] for r in recs]
    assert [(r.line, r.reason) for r in rej] == [(last, "expected 4 values, got 6")]


def test_csv_short_rows(tmp_path, galaxy_records):
    """Missing trailing values are empty fields; a row without its text value is an error."""
    path = tmp_path / "short.csv"
    rec = galaxy_records[0]
    _galaxy_csv(path, [], [[rec["id"], rec["title"], rec["text"]], ["x2", "title only"]])
    last = path.read_bytes().count(b"\n")
    with pytest.raises(InputError, match="text") as err:
        read(path)
    assert err.value.line == last
    arts, rej = read(path, skip_bad=True)
    assert [a.id for a in arts] == [rec["id"]] and arts[0].date is None
    assert arts[0].text.strip() == rec["text"].strip()
    assert [r.line for r in rej] == [last]


@pytest.mark.parametrize("suffix", ["jsonl", "json"])
def test_fields_missing_from_the_first_record_are_found_later(tmp_path, galaxy_records, suffix):
    recs = [{"id": r["id"], "text": r["text"]} for r in galaxy_records[:6]]
    for k, r in enumerate(recs[1:], start=1):
        r["date"] = f"2014-07-{10 + k:02d}"
        if k % 2:
            r["title"] = galaxy_records[k]["title"]
    path = tmp_path / f"undated.{suffix}"
    if suffix == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    else:
        path.write_text(json.dumps(recs), encoding="utf-8")
    arts, rej = read(path)
    assert rej == [] and [a.date for a in arts] == [r.get("date") for r in recs]
    assert [a.title for a in arts] == [r.get("title") for r in recs]


def test_max_bytes_limits_each_article(tmp_path, samples_dir):
    sizes = {p.name: len(p.read_bytes()) for p in samples_dir.glob("*.txt")}
    limit = sorted(sizes.values())[2]  # two samples are longer than this
    over = sorted(name for name, n in sizes.items() if n > limit)
    assert len(over) == 2
    with pytest.raises(InputError, match=r"article is 0\.0 MB, over --max-bytes") as err:
        read(samples_dir, max_bytes=limit)
    assert err.value.source is not None and err.value.source.endswith(over[0])
    arts, rej = read(samples_dir, max_bytes=limit, skip_bad=True)
    assert sorted(a.id for a in arts) == sorted(set(sizes) - set(over))
    assert sorted(r.source.rsplit("/", 1)[-1] for r in rej) == over
    assert all(f"over --max-bytes {limit} bytes" in r.reason for r in rej)
    for no_limit in (0, None):
        assert len(read(samples_dir, max_bytes=no_limit)[0]) == len(sizes)


@pytest.mark.parametrize(("text", "expected"), [("5MB", 5_000_000), ("500 KB", 500_000), ("4096", 4096),
                                                ("1.5gb", 1_500_000_000), ("0", 0), ("12B", 12)])
def test_parse_size(text, expected):
    from dedup.io.sizes import format_size, parse_size

    assert parse_size(text) == expected
    assert parse_size(format_size(expected)) == expected


@pytest.mark.parametrize("text", ["", "MB", "-1KB", "five", "inf", "nan"])
def test_parse_size_rejects(text):
    from dedup.io.sizes import parse_size

    with pytest.raises(ValueError):
        parse_size(text)


def test_cli_max_bytes(dedup_cli, samples_dir):
    res = dedup_cli("cluster", str(samples_dir), "-q", "--max-bytes", "3KB")
    assert res.returncode == 3 and res.stdout == ""
    err = res.stderr.strip()
    assert "\n" not in err and "over --max-bytes 3 KB" in err and "Traceback" not in err
    res = dedup_cli("cluster", str(samples_dir), "-q", "--max-bytes", "3KB", "--skip-bad", "-f", "jsonl")
    assert res.returncode == 0 and len(res.stdout.splitlines()) == 3  # 003 and 004 are over 3 KB
    res = dedup_cli("cluster", str(samples_dir), "-q", "--max-bytes", "lots")
    assert res.returncode == 2 and "--max-bytes" in res.stderr and "Traceback" not in res.stderr
    assert dedup_cli("cluster", str(samples_dir), "-q", "--max-bytes", "0", "-f", "jsonl").returncode == 0
