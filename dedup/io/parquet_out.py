"""Parquet output written a batch of rows at a time, so a large output is never held whole.

Two passes over the rows (they are made afresh by a function, as for CSV): the first finds the columns
(in order of first appearance) and each column's Arrow type, the second writes each batch of
:data:`BATCH` rows as one row group. A column whose values Arrow cannot put in one type (a field
that is a number in one record and text in another) is written as text, values other than strings as
JSON: the same table a single ``pa.array`` over all the rows gives.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from dedup.io.rows import ARTICLE_COLUMNS, to_json

__all__ = ["BATCH", "parquet_schema", "write_parquet"]

#: Rows in one row group (and held at once).
BATCH = 16_384
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError)


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_text(values: Sequence[Any]) -> pa.Array:
    return pa.array([None if v is None else (v if isinstance(v, str) else to_json(v)) for v in values],
                    type=pa.string())


def _unify(name: str, types: list[pa.DataType]) -> pa.DataType | None:
    if not types:
        return pa.null()
    if len(types) == 1:
        return types[0]
    try:
        return pa.unify_schemas([pa.schema([(name, t)]) for t in types],
                                promote_options="permissive").field(name).type
    except _ARROW_ERRORS:
        return None


def parquet_schema(rows: Callable[[], Iterator[dict[str, Any]]], *,
                   batch: int = BATCH) -> tuple[pa.Schema, frozenset[str]]:
    """The schema of the rows and the names of the columns written as text (first pass)."""
    names: dict[str, None] = {}
    types: dict[str, list[pa.DataType]] = {}
    text: set[str] = set()
    for chunk in _batches(rows(), batch):
        for r in chunk:
            names.update(dict.fromkeys(r))
        for c in names:
            if c in text:
                continue
            try:
                t = pa.array([r.get(c) for r in chunk]).type
            except _ARROW_ERRORS:
                text.add(c)
                continue
            if t != pa.null() and t not in types.setdefault(c, []):
                types[c].append(t)
    fields = []
    for c in names or ARTICLE_COLUMNS:
        t = None if c in text else _unify(c, types.get(c, []))
        if t is None:
            text.add(c)
        fields.append(pa.field(c, pa.string() if t is None else t))
    return pa.schema(fields), frozenset(text)


class _Forward(io.RawIOBase):
    """A write-only stream that hands each write straight to ``fh`` (any object with ``write``), so
    Arrow sees an ordinary open stream and ``fh``'s own errors (disk full) come through unchanged."""

    def __init__(self, fh: IO[bytes]) -> None:
        super().__init__()
        self._fh, self._pos = fh, 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._fh.write(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos


def write_parquet(rows: Callable[[], Iterator[dict[str, Any]]], sink: str | os.PathLike[str] | IO[bytes], *,
                  batch: int = BATCH) -> None:
    """Write the rows to ``sink`` (a path or a binary file object) as Parquet, ``batch`` rows at a time."""
    schema, text = parquet_schema(rows, batch=batch)
    writer = pq.ParquetWriter(sink if isinstance(sink, (str, os.PathLike)) else _Forward(sink), schema)
    try:
        wrote = False
        for chunk in _batches(rows(), batch):
            arrays = [_as_text([r.get(f.name) for r in chunk]) if f.name in text
                      else pa.array([r.get(f.name) for r in chunk], type=f.type) for f in schema]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            wrote = True
        if not wrote:
            writer.write_table(schema.empty_table())
    except BaseException:
        # the sink is broken (disk full, closed): the footer cannot be written; keep the first error
        with contextlib.suppress(Exception):
            writer.close()
        raise
    writer.close()
