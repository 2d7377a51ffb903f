"""Readers: a corpus on disk (or stdin) -> ``(list[Article], list[Rejected])``.

Sources and formats (``fmt`` overrides the detection from the extension; ``.gz`` is decompressed):

* a **directory**: its ``.txt`` and ``.md`` files, recursively, in sorted order (hidden ones skipped);
  id = the path relative to the directory (POSIX ``/``); a leading `` date YYYY-MM-DD `` header is
  parsed into ``date`` and removed from the text;
* ``.txt`` / ``.md``: one article (id = the file name), same header rule;
* ``.jsonl`` / ``.ndjson``: one JSON object a line, streamed (blank lines skipped); ``-`` is JSONL on stdin;
* ``.json``: an array of objects (or ``{"articles"|"data"|"records": [...]}``); line = record number;
* ``.csv``: a header row then records; line = the physical line where the record ends; a row with more
  values than the header is an error; missing trailing values are empty fields (an error only when the
  text is among them);
* ``.parquet``: read in batches with pyarrow; line = the row number.

Field names are detected (see :mod:`dedup.io.records`) unless given; in JSON(L) a field the first records
lack (a date, say) is looked for again in later ones. Records without an id field get
their 1-based row number as id. Text is UTF-8 (BOM dropped, CRLF handled); non-UTF-8 text is decoded as
Windows-1252 when ``encoding_fallback``; NUL bytes mean binary data.

Every bad file or record raises ``InputError(message, source=file, line=n)``; with ``skip_bad`` the
record becomes a ``Rejected`` with the reason instead. Duplicate ids are an error (or rejected under
``skip_bad``) unless ``dedupe_ids``: then the second ``x`` becomes ``x#2``, the third ``x#3``, ...
(in reading order, skipping suffixes already taken).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from dedup.errors import InputError
from dedup.io.records import ID_FIELDS, Fields, decode_bytes, fields_of, split_date_header, to_article
from dedup.io.sizes import format_size
from dedup.model import Article, Rejected

__all__ = ["FORMATS", "TEXT_SUFFIXES", "detect_format", "iter_accepted", "read", "read_many", "read_options",
           "rename"]

FORMATS = ("dir", "txt", "jsonl", "json", "csv", "parquet")
TEXT_SUFFIXES = (".txt", ".md")
#: How stdin (``-``) is named in messages and ``Article.source``.
STDIN_NAME = "<stdin>"
_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet",
           ".pq": "parquet", ".txt": "txt", ".md": "txt", ".text": "txt"}

Item = Article | InputError


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
            if not raw.strip():
                continue
            row += 1
            try:
                text = decode_bytes(raw, source=name, line=lineno, fallback=opts["encoding_fallback"])
                try:
                    rec = json.loads(text)
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
        pf = pq.ParquetFile(io.BytesIO(sys.stdin.buffer.read()) if source == "-" else source)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file: {exc}", source=_name(source)) from None
    fields = Fields.resolve(pf.schema_arrow.names, **opts["names"])
    track = opts.get("track")  # a list: set to [row, 0, Fields] of each article yielded
    row = 0
    for batch in pf.iter_batches(batch_size=4096):
        for rec in batch.to_pylist():
            row += 1
            try:
                art = to_article(rec, fields, source=_name(source), line=row, row=row)
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
        name = _name(source)
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


_ITER = {"jsonl": _iter_jsonl, "json": _iter_json, "csv": _iter_csv, "parquet": _iter_parquet,
         "txt": _iter_txt, "dir": _iter_dir}


# --------------------------------------------------------------------------------------- public


def _check_source(source: str, fmt: str) -> None:
    if source == "-":
        return
    path = Path(source)
    if not path.exists():
        raise InputError("no such file or directory", source=source)
    if fmt == "dir" and not path.is_dir():
        raise InputError("not a directory", source=source)
    if fmt != "dir" and path.is_dir():
        raise InputError(f"is a directory (format {fmt!r} needs a file)", source=source)
    if fmt != "dir" and not os.access(path, os.R_OK):
        raise InputError("cannot read: permission denied", source=source)


def _name(source: str) -> str:
    return STDIN_NAME if source == "-" else source


def rename(item: Article, new_id: str) -> None:
    """Give ``item`` a new id, in its kept input fields too (the id field, else the first equal value)."""
    keys = [k for k in ID_FIELDS if k in item.fields] + list(item.fields)
    for k in keys:
        if item.fields[k] is not None and str(item.fields[k]) == item.id:
            item.fields[k] = new_id
            break
    item.id = new_id


def read_options(*, id_field: str | None = None, text_field: str | None = None, title_field: str | None = None,
                 date_field: str | None = None, encoding_fallback: bool = True) -> dict[str, Any]:
    """The reading options the format iterators take (field names, encoding fallback)."""
    return {"encoding_fallback": encoding_fallback,
            "names": {"id_field": id_field, "text_field": text_field, "title_field": title_field,
                      "date_field": date_field}}


def iter_accepted(sources: Sequence[str | os.PathLike[str]], opts: dict[str, Any], rejected: list[Rejected], *,
                  fmt: str | None = None, skip_bad: bool = False, dedupe_ids: bool = False,
                  max_bytes: int | None = None) -> Iterator[Article]:
    """The articles of ``sources`` that pass every check of :func:`read_many`, one at a time.

    Bad records raise ``InputError`` or (``skip_bad``) are appended to ``rejected``; ``opts`` comes
    from :func:`read_options`.
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})")
    seen: dict[str, tuple[str | None, int | None]] = {}
    for src in sources:
        source = os.fspath(src)
        kind = fmt or detect_format(source)
        _check_source(source, kind)
        try:
            for item in _ITER[kind](source, opts):
                exc = item if isinstance(item, InputError) else _refusal(item, seen, max_bytes, dedupe_ids)
                if exc is None and isinstance(item, Article):
                    seen[item.id] = (item.source, item.line)
                    yield item
                elif exc is not None:
                    if not skip_bad:
                        raise exc
                    art_id = item.id if isinstance(item, Article) else getattr(item, "record_id", None)
                    rejected.append(Rejected(exc.source or _name(source), exc.line, exc.message, id=art_id))
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None


def _refusal(item: Article, seen: dict[str, Any], max_bytes: int | None, dedupe_ids: bool) -> InputError | None:
    """Why ``item`` is refused (over ``max_bytes``, a repeated id), or None; renamed under ``dedupe_ids``."""
    if max_bytes and len(item.text) > max_bytes // 4:
        size = len(item.text.encode("utf-8", errors="surrogatepass"))
        if size > max_bytes:
            return InputError(f"article is {size / 1e6:.1f} MB, over --max-bytes {format_size(max_bytes)}",
                              source=item.source, line=item.line)
    if item.id in seen:
        if not dedupe_ids:
            where = ":".join(str(x) for x in seen[item.id])
            return InputError(f"duplicate id {item.id!r} (first at {where}; use --dedupe-ids to rename)",
                              source=item.source, line=item.line)
        k = 2
        while f"{item.id}#{k}" in seen:
            k += 1
        rename(item, f"{item.id}#{k}")
    return None


def read_many(sources: Sequence[str | os.PathLike[str]], *, fmt: str | None = None, id_field: str | None = None,
              text_field: str | None = None, title_field: str | None = None, date_field: str | None = None,
              skip_bad: bool = False, dedupe_ids: bool = False, encoding_fallback: bool = True,
              max_bytes: int | None = None) -> tuple[list[Article], list[Rejected]]:
    """Read several sources in order into one list; ids must be unique across all of them.

    Parameters are those of :func:`read`.
    """
    opts = read_options(id_field=id_field, text_field=text_field, title_field=title_field,
                        date_field=date_field, encoding_fallback=encoding_fallback)
    rejected: list[Rejected] = []
    articles = list(iter_accepted(sources, opts, rejected, fmt=fmt, skip_bad=skip_bad, dedupe_ids=dedupe_ids,
                                  max_bytes=max_bytes))
    return articles, rejected


def read(source: str | os.PathLike[str], *, fmt: str | None = None, id_field: str | None = None,
         text_field: str | None = None, title_field: str | None = None, date_field: str | None = None,
         skip_bad: bool = False, dedupe_ids: bool = False, encoding_fallback: bool = True,
         max_bytes: int | None = None) -> tuple[list[Article], list[Rejected]]:
    """Read one corpus: a directory, a ``.jsonl/.ndjson/.json/.csv/.parquet/.txt/.md`` file, or ``-`` (stdin).

    Parameters:
        source: the path, or ``"-"`` for JSON Lines on stdin.
        fmt: one of :data:`FORMATS`; ``None`` detects it from the extension.
        id_field, text_field, title_field, date_field: field names; ``None`` detects them.
        skip_bad: return bad records as ``Rejected`` instead of raising ``InputError``.
        dedupe_ids: rename repeated ids ``x#2``, ``x#3``, ... instead of treating them as errors.
        encoding_fallback: decode non-UTF-8 text as Windows-1252 instead of rejecting it.
        max_bytes: an article whose text is longer (UTF-8 bytes) is an input error (or rejected with
            ``skip_bad``); ``None`` or 0: no limit. The CLI's ``--max-bytes`` defaults to 5 MB.

    Returns ``(articles, rejected)`` in input order.
    """
    return read_many([source], fmt=fmt, id_field=id_field, text_field=text_field, title_field=title_field,
                     date_field=date_field, skip_bad=skip_bad, dedupe_ids=dedupe_ids,
                     encoding_fallback=encoding_fallback, max_bytes=max_bytes)
