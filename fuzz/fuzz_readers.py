"""Fuzz target: the readers on arbitrary bytes, in every format.

Invariants (``dedup.io.readers.read`` with ``skip_bad=True``): either a one-file ``InputError`` naming
the file, or articles + rejects that account for every record: JSONL gives exactly one article or one
reject per non-blank line; ids are unique; texts are non-empty strings without NUL; rejects name the file.
Without ``skip_bad`` the only exception is ``InputError``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup.errors import InputError
from dedup.io.readers import read

SUFFIXES = (".jsonl", ".csv", ".txt", ".json", ".parquet")


def check_file(path: Path) -> None:
    """Assert the readers' invariants on one file."""
    try:
        arts, rej = read(path, skip_bad=True)
    except InputError as exc:
        assert exc.source == str(path) and "\n" not in str(exc)
        return
    assert len({a.id for a in arts}) == len(arts)
    for a in arts:
        assert isinstance(a.text, str) and a.text.strip() and "\x00" not in a.text
    for r in rej:
        assert r.source.startswith(str(path)) and r.reason and "\n" not in r.reason
    if path.suffix == ".jsonl":
        records = sum(1 for ln in path.read_bytes().split(b"\n") if ln.strip())
        assert len(arts) + len(rej) == records, (len(arts), len(rej), records)
    try:
        strict, _ = read(path)
    except InputError:
        return
    assert [a.id for a in strict] == [a.id for a in arts] and not rej


def check_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"input{suffix}"
        path.write_bytes(data)
        check_file(path)


def test_one_input(data: bytes) -> None:
    suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ".jsonl"
    check_bytes(data[1:], suffix)


if __name__ == "__main__":
    from _harness import main

    sys.exit(main(test_one_input))
