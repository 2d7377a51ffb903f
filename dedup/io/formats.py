"""Formats: one iterator per input format, turning a source into ``Article`` items or ``InputError``s.

The rules of each format (ids, lines, fields, encodings) are described in :mod:`dedup.io.readers`,
which picks the iterator (:data:`ITERATORS`) and decides what is accepted or rejected.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dedup.errors import InputError
from dedup.io.records import Fields, decode_bytes, fields_of, split_date_header, to_article
from dedup.model import Article

__all__ = ["FORMATS", "ITERATORS", "STDIN_NAME", "TEXT_SUFFIXES", "Item", "detect_format", "source_name"]

FORMATS = ("dir", "txt", "jsonl", "json", "csv", "parquet")
TEXT_SUFFIXES = (".txt", ".md")
#: How stdin (``-``) is named in messages and ``Article.source``.
STDIN_NAME = "<stdin>"
_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet",
           ".pq": "parquet", ".txt": "txt", ".md": "txt", ".text": "txt"}

Item = Article | InputError


def source_name(source: str) -> str:
    """How a source is named in messages and ``Article.source`` (stdin ``-`` as :data:`STDIN_NAME`)."""
    return STDIN_NAME if source == "-" else source


def detect_format(source: str) -> str:
    """The format of ``source`` from its kind and extension (``-`` is ``jsonl``)."""
    if source == "-":
        return "jsonl"
    path = Path(source)
    if path.is_dir():
        return "dir"
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIX:
        return _SUFFIX[suffixes[-1]]
    try:
        with _open_binary(source) as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"PAR1"):
        return "parquet"
    raise InputError("cannot tell the input format from the extension; use --format-in", source=source)


def _open_binary(source: str) -> IO[bytes]:
    if source == "-":
        return sys.stdin.buffer
    if source.lower().endswith(".gz"):
        return gzip.open(source, "rb")  # type: ignore[return-value]
    return open(source, "rb")


# --------------------------------------------------------------------------------------- formats


_DECODER = json.JSONDecoder()


def _loads(text: str) -> Any:
    """``json.loads(text)`` (the same value or the same error), without its whitespace matches for a
    line that starts with its value and has nothing after it."""
    try:
        value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def _iter_jsonl(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    name = STDIN_NAME if source == "-" else source
    state: dict[str, Any] = {}
    track = opts.get("track")  # a list: set to [byte offset, length, Fields] of each article yielded
    row = pos = 0
    fh = _open_binary(source)
    try:
        for lineno, full in enumerate(fh, start=1):
            raw, start = full.rstrip(b"\r\n"), pos
            pos += len(full)
            if not raw or raw.isspace():  # (as `not raw.strip()`, without copying the line)
                continue
            row += 1
            try:
                text = decode_bytes(raw, source=name, line=lineno, fallback=opts["encoding_fallback"])
                try:
                    rec = _loads(text)
                except json.JSONDecodeError as exc:
                    raise InputError(f"bad JSON: {exc.msg} (column {exc.colno})", source=name,
                                     line=lineno) from None
                if not isinstance(rec, dict):
                    raise InputError(f"expected a JSON object, got {type(rec).__name__}", source=name,
                                     line=lineno)
                fields = fields_of(rec, opts, state)
                art = to_article(rec, fields, source=name, line=lineno, row=row)
                if track is not None:
                    track[:] = [start, len(raw), fields]
                yield art
            except InputError as exc:
                yield exc
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _iter_json(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    name = STDIN_NAME if source == "-" else source
    with _open_binary(source) as fh:
        data = fh.read()
    text = decode_bytes(data, source=name, line=None, fallback=opts["encoding_fallback"])
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and exc.msg == "Extra data":  # JSON Lines named .json
            yield from _iter_jsonl(source, opts)
            return
        raise InputError(f"bad JSON: {exc.msg} (column {exc.colno})", source=name, line=exc.lineno) from None
    if isinstance(doc, dict):
        for key in ("articles", "data", "records", "items", "documents"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            doc = [doc]
    if not isinstance(doc, list):
        raise InputError("expected a JSON array of objects", source=name, line=1)
    state: dict[str, Any] = {}
    for i, rec in enumerate(doc, start=1):
        try:
            if not isinstance(rec, dict):
                raise InputError(f"record {i}: expected a JSON object, got {type(rec).__name__}",
                                 source=name, line=i)
            yield to_article(rec, fields_of(rec, opts, state), source=name, line=i, row=i)
        except InputError as exc:
            yield exc


def _decoded_lines(fh: IO[bytes], source: str, fallback: bool, bad: dict[int, InputError]) -> Iterator[str]:
    for lineno, raw in enumerate(fh, start=1):
        try:
            yield decode_bytes(raw, source=source, line=lineno, fallback=fallback)
        except InputError as exc:
            bad[lineno] = exc
            yield raw.replace(b"\x00", b"").decode("utf-8", errors="replace")


def _iter_csv(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    name = STDIN_NAME if source == "-" else source
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    bad: dict[int, InputError] = {}
    with _open_binary(source) as fh:
        reader = csv.reader(_decoded_lines(fh, name, opts["encoding_fallback"], bad))
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("empty CSV file (no header row)", source=name, line=1) from None
        except csv.Error as exc:
            raise InputError(f"bad CSV: {exc}", source=name, line=1) from None
        if 1 in bad:
            raise bad[1]
        header = [h.strip() for h in header]
        fields = Fields.resolve(header, **opts["names"])
        row, prev = 0, reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield InputError(f"bad CSV: {exc}", source=name, line=reader.line_num)
                prev = reader.line_num
                continue
            lineno, first = reader.line_num, prev + 1
            prev = lineno
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            row += 1
            errs = [bad[n] for n in range(first, lineno + 1) if n in bad]
            if errs:
                yield errs[0]
                continue
            if len(values) > len(header):
                yield InputError(f"expected {len(header)} values, got {len(values)}", source=name, line=lineno)
                continue
            rec = dict(zip(header, values))
            try:
                yield to_article(rec, fields, source=name, line=lineno, row=row)
            except InputError as exc:
                yield exc


def _iter_parquet(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # stdin as an Arrow buffer: pyarrow reading through a Python file object can abort at exit
        pf = pq.ParquetFile(pa.BufferReader(sys.stdin.buffer.read()) if source == "-" else source)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file: {exc}", source=source_name(source)) from None
    fields = Fields.resolve(pf.schema_arrow.names, **opts["names"])
    track = opts.get("track")  # a list: set to [row, 0, Fields] of each article yielded
    row = 0
    for batch in pf.iter_batches(batch_size=4096):
        for rec in batch.to_pylist():
            row += 1
            try:
                art = to_article(rec, fields, source=source_name(source), line=row, row=row)
            except InputError as exc:
                yield exc
                continue
            if track is not None:
                track[:] = [row, 0, fields]
            yield art


def _text_file(path: Path, art_id: str, source: str, fallback: bool) -> Article:
    try:
        data = sys.stdin.buffer.read() if source == STDIN_NAME else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary data (NUL bytes), not text", source=source, line=data.count(b"\n", 0, nul) + 1)
    try:
        text = decode_bytes(data, source=source, line=None, fallback=fallback)
    except InputError as exc:
        line = None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as ude:
            line = data.count(b"\n", 0, ude.start) + 1
        raise InputError(exc.message, source=source, line=line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    date, body = split_date_header(text)
    if not body.strip():
        raise InputError("empty text", source=source, line=1)
    return Article(id=art_id, text=body, date=date, fields={}, source=source, line=1)


def _iter_txt(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    try:
        name = source_name(source)
        yield _text_file(Path(source), "stdin" if source == "-" else Path(source).name, name,
                         opts["encoding_fallback"])
    except InputError as exc:
        yield exc


def _iter_dir(source: str, opts: dict[str, Any]) -> Iterator[Item]:
    root = Path(source)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and Path(name).suffix.lower() in TEXT_SUFFIXES:
                found.append(Path(dirpath) / name)
    if not found:
        raise InputError("no .txt or .md files in this directory", source=source)
    for path in sorted(found, key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root).as_posix()
        try:
            yield _text_file(path, rel, str(path), opts["encoding_fallback"])
        except InputError as exc:
            yield exc


ITERATORS = {"jsonl": _iter_jsonl, "json": _iter_json, "csv": _iter_csv, "parquet": _iter_parquet,
         "txt": _iter_txt, "dir": _iter_dir}
