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

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from dedup.errors import InputError
from dedup.io.formats import FORMATS, ITERATORS, TEXT_SUFFIXES, detect_format, source_name
from dedup.io.records import ID_FIELDS
from dedup.io.sizes import format_size
from dedup.model import Article, Rejected

__all__ = ["FORMATS", "TEXT_SUFFIXES", "detect_format", "iter_accepted", "read", "read_many", "read_options",
           "rename"]


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
            for item in ITERATORS[kind](source, opts):
                exc = item if isinstance(item, InputError) else _refusal(item, seen, max_bytes, dedupe_ids)
                if exc is None and isinstance(item, Article):
                    seen[item.id] = (item.source, item.line)
                    yield item
                elif exc is not None:
                    if not skip_bad:
                        raise exc
                    art_id = item.id if isinstance(item, Article) else getattr(item, "record_id", None)
                    rejected.append(Rejected(exc.source or source_name(source), exc.line, exc.message, id=art_id))
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
