"""Bad-input suite over every command: a correct result or a one-line error naming file and line, never a
traceback or an internal error; with --skip-bad every rejected record is listed and the rest is processed.

The full matrix (every case x every command) runs in-process through ``dedup.cli.main`` (the same code a
user runs); a representative subset also runs as a subprocess (``python -m dedup``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import Case, build

from dedup.cli import main
from dedup.errors import EXIT_INPUT, EXIT_INTERNAL

COMMANDS = ("cluster", "index-add", "eval", "explain", "diff")


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, Case]:
    return {c.name: c for c in build(tmp_path_factory.mktemp("bad"))}


def _argv(cmd: str, case: Case, tmp: Path, *extra: str) -> list[str]:
    src = str(case.path)
    if cmd == "cluster":
        return ["cluster", src, "-f", "jsonl", "-q", *extra]
    if cmd == "index-add":
        idx = tmp / "x.idx"
        if not idx.exists():
            assert main(["index", "create", str(idx), "-q"]) == 0
        return ["index", "add", str(idx), src, "--json", *extra]
    if cmd == "eval":
        return ["eval", src, "--label", "id", *extra]
    if cmd == "explain":
        return ["explain", src, "a", "b", *extra]
    return ["diff", "--corpus", src, "a", "b", "-f", "json", *extra]


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def check_error(code: int, err: str, case: Case) -> None:
    """A user error: one line, ``dedup: error: FILE:LINE: reason`` for input errors; never a traceback."""
    assert "Traceback" not in err
    assert code != EXIT_INTERNAL, err
    lines = _lines(err)
    assert len(lines) == 1, err
    assert lines[0].startswith("dedup: error: "), err
    if code == EXIT_INPUT:
        where = str(case.error_source) + (f":{case.bad[0]}:" if case.bad else ":")
        assert where in lines[0], (where, err)


#: cases that expose a bug in a module this suite does not own: excluded from the matrix, each kept
#: as a strict xfail below so the fix turns it into a failure to remove from this list
KNOWN_BUGS: dict[str, str] = {}


def _matrix(cases: dict[str, Case]) -> list[Case]:
    return [c for n, c in cases.items() if n not in KNOWN_BUGS]


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_case_is_a_result_or_a_one_line_error(cases, cmd, tmp_path, capsys):
    for case in _matrix(cases):
        code, _, err = _run(capsys, _argv(cmd, case, tmp_path))
        if case.bad or case.fatal:
            assert code == EXIT_INPUT, (case.name, cmd, code, err)
        if code != 0:
            check_error(code, err, case)
        assert "Traceback" not in err


def test_cluster_accounts_for_every_record(cases, tmp_path, capsys):
    """--skip-bad: every good id exactly once in the output, every bad line listed once in --rejects."""
    for case in _matrix(cases):
        rej = tmp_path / f"{case.name}.rejects.jsonl"
        code, out, err = _run(capsys, ["cluster", str(case.path), "-f", "jsonl", "--skip-bad",
                                       "--rejects", str(rej)])
        if case.fatal:
            assert code == EXIT_INPUT, (case.name, err)
            check_error(code, err, case)
            continue
        assert code == 0, (case.name, err)
        ids = [json.loads(ln)["id"] for ln in out.splitlines() if ln.strip()]
        assert sorted(ids) == sorted(case.good), case.name  # exactly once each
        rejected = [json.loads(ln) for ln in rej.read_text(encoding="utf-8").splitlines()]
        assert sorted(r["line"] for r in rejected) == sorted(case.bad), case.name
        assert all(r["reason"] and r["source"] for r in rejected)
        assert len(ids) + len(rejected) == case.records  # nothing lost, nothing doubled
        listed = [ln for ln in _lines(err) if ln.startswith("dedup: rejected: ")]
        assert len(listed) == len(case.bad), err
        for r in rejected:
            assert any(f"{r['source']}:{r['line']}: {r['reason']}" in ln for ln in listed), (r, err)


def test_index_add_skip_bad_adds_exactly_the_good_records(cases, tmp_path, capsys):
    for case in _matrix(cases):
        if case.fatal:
            continue
        idx = tmp_path / f"{case.name}.idx"
        assert main(["index", "create", str(idx), "-q"]) == 0
        code, out, err = _run(capsys, ["index", "add", str(idx), str(case.path), "--json", "--skip-bad"])
        assert code == 0, (case.name, err)
        report = json.loads(out)
        assert report["added"] == len(case.good) and sorted(report["joined"]) == sorted(case.good), case.name
        assert "Traceback" not in err


def test_decoding_dates_and_whitespace_are_read_correctly(cases, tmp_path, capsys):
    """Windows-1252 decoded (not rejected), BOM and CRLF gone, impossible dates treated as missing."""
    from dedup.io.readers import read

    for case in _matrix(cases):
        if not (case.texts or case.dates):
            continue
        arts = {a.id: a for a in read(case.path, skip_bad=True)[0]}
        for art_id, snippet in case.texts.items():
            assert snippet in arts[art_id].text, (case.name, arts[art_id].text)
        for art_id, date in case.dates.items():
            assert arts[art_id].date == date, (case.name, art_id)
    for case in cases.values():
        if not case.good or case.fatal:
            continue
        for art in read(case.path, skip_bad=True)[0]:
            assert "\ufeff" not in art.text and art.text.strip(), (case.name, art.id)
            if case.path.suffix == ".txt":  # CRLF files; a quoted CSV field or a JSON string keeps its own "\r"
                assert "\r" not in art.text, (case.name, art.id)


def test_duplicate_ids_dedupe_renames_and_keeps_all(cases, capsys):
    case = cases["duplicate-ids.jsonl"]
    code, out, err = _run(capsys, ["cluster", str(case.path), "-f", "jsonl", "-q", "--dedupe-ids"])
    assert code == 0, err
    assert sorted(json.loads(ln)["id"] for ln in out.splitlines()) == ["a", "a#2", "b"]


def test_csv_row_with_too_many_values_is_rejected(cases, capsys):
    case = cases["long-row.csv"]
    code, _, err = _run(capsys, ["cluster", str(case.path), "-f", "jsonl", "-q"])
    assert code == EXIT_INPUT
    check_error(code, err, case)


def test_dates_are_read_when_the_first_record_has_none(cases):
    from dedup.io.readers import read

    case = cases["first-record-undated.jsonl"]
    arts = {a.id: a.date for a in read(case.path)[0]}
    assert arts == case.dates


# ------------------------------------------------------------------ as a user runs it (subprocess)

SUBSET = ("malformed.jsonl", "binary.txt", "cp1252-mixed.jsonl", "short-row.csv", "mixed-dir",
          "no-text-column.parquet", "duplicate-ids.jsonl", "empty.csv")


def _dedup(*args: str, stdin: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="120")
    env.pop("DEDUP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL if stdin is None else stdin, check=False)


@pytest.mark.parametrize("name", SUBSET)
def test_subprocess_cluster_and_explain(cases, name):
    case = cases[name]
    for argv in (["cluster", str(case.path), "-f", "jsonl", "-q"], ["explain", str(case.path), "a", "b"]):
        proc = _dedup(*argv)
        assert "Traceback" not in proc.stderr
        if case.bad or case.fatal:
            assert proc.returncode == EXIT_INPUT, proc.stderr
        if proc.returncode:
            check_error(proc.returncode, proc.stderr, case)


def test_subprocess_diff_of_bad_files(cases, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(cases["cp1252.txt"].path.read_bytes().decode("cp1252"), encoding="utf-8")
    for name in ("binary.txt", "empty.txt", "whitespace.txt"):
        case = cases[name]
        proc = _dedup("diff", str(good), str(case.path), "-f", "json")
        assert proc.returncode == EXIT_INPUT, proc.stderr
        check_error(proc.returncode, proc.stderr, case)
    proc = _dedup("diff", str(good), str(cases["cp1252.txt"].path), "-f", "json")  # cp1252 vs its UTF-8 self
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["words_changed_pct"] == 0.0


def test_subprocess_review_start_up_rejects_bad_input_before_any_ui(cases):
    if _dedup("review", "--help").returncode != 0:
        pytest.skip("dedup review is not registered yet (engineer D)")
    for name in ("malformed.jsonl", "binary.txt", "empty.csv", "mixed-dir", "truncated.parquet"):
        case = cases[name]
        proc = _dedup("review", str(case.path))  # stdin closed: a UI would hang or crash
        assert proc.returncode == EXIT_INPUT, proc.stderr
        check_error(proc.returncode, proc.stderr, case)
        assert "\x1b[?1049h" not in proc.stdout  # never entered the alternate screen


def test_subprocess_eval_and_index_add(cases, tmp_path):
    case = cases["malformed.jsonl"]
    proc = _dedup("eval", str(case.path), "--label", "id")
    check_error(proc.returncode, proc.stderr, case)
    assert proc.returncode == EXIT_INPUT
    idx = tmp_path / "s.idx"
    assert _dedup("index", "create", str(idx)).returncode == 0
    proc = _dedup("index", "add", str(idx), str(case.path))
    assert proc.returncode == EXIT_INPUT
    check_error(proc.returncode, proc.stderr, case)
    proc = _dedup("index", "add", str(idx), str(case.path), "--skip-bad", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["added"] == len(case.good)
    assert proc.stderr.count("dedup: rejected: ") == len(case.bad)
