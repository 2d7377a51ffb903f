"""``dedup review`` as a user runs it: bad input and bad options give one line and a documented exit code."""

from __future__ import annotations

from pathlib import Path

from conftest import run_dedup


def one_line(stderr: str) -> bool:
    return stderr.count("\n") == 1 and "Traceback" not in stderr


def test_missing_input_is_exit_3_naming_the_file(tmp_path: Path) -> None:
    proc = run_dedup("review", str(tmp_path / "nowhere"), "--decisions", str(tmp_path / "r.sqlite"))
    assert proc.returncode == 3 and one_line(proc.stderr) and "nowhere" in proc.stderr


def test_bad_jsonl_record_is_exit_3_naming_file_and_line(tmp_path: Path, galaxy_records: list[dict]) -> None:
    import json

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "1", "text": galaxy_records[0]["text"]}) + "\n{broken\n")
    proc = run_dedup("review", str(corpus))
    assert proc.returncode == 3 and one_line(proc.stderr) and "c.jsonl:2" in proc.stderr
    assert not (tmp_path / "c.jsonl.review.sqlite").exists()  # nothing created before the app opens


def test_usage_errors_are_exit_2(tmp_path: Path, samples_dir: Path) -> None:
    for args in (["review", str(samples_dir), "--threshold", "1.5"], ["review", "-", "--decisions", "x.sqlite"],
                 ["review"]):
        proc = run_dedup(*args, cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, args


def test_help_names_the_three_ways_to_open_and_export() -> None:
    proc = run_dedup("review", "--help")
    assert proc.returncode == 0
    for text in ("--clusters", "--decisions", "--export", "A.txt B.txt"):
        assert text in proc.stdout
