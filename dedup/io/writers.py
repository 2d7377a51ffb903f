"""Writers: a ``ClusterResult`` -> table, JSON Lines, CSV, Parquet or JSON, to a file or stdout.

What is written (see :mod:`dedup.io.rows` for columns and order):

* default: one record per input article (``id, cluster, cluster_size, representative, best_match,
  similarity, title, date``);
* ``keep_one=True``: only each cluster's representative, with all its input fields kept;
* ``pairs=True``: the verified pairs (``a, b, cluster, score`` and the evidence parts).

``fmt``: ``table`` (rich table: clusters grouped, every article listed), ``jsonl``, ``csv``, ``parquet``
or ``json`` (one document: options, clusters, per-article records and rejects; with ``keep_one`` or
``pairs``, an array of those records). ``dest`` is a path or ``None``/``"-"`` for stdout. File writes
are atomic (a temporary file in the same folder, then ``os.replace``). Parquet on stdout is refused
when stdout is a terminal. Output bytes depend only on the result, not on input order or workers.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from dedup.errors import OutputError, UsageError
from dedup.io.atomic import atomic_open
from dedup.io.rows import ARTICLE_COLUMNS, article_rows, columns_of, keep_one_rows, pair_rows, to_json
from dedup.model import ClusterResult

__all__ = ["FORMATS", "render", "write"]

FORMATS = ("table", "jsonl", "csv", "parquet", "json")
#: Options left out of JSON output because they do not change the result.
_RUN_ONLY = ("workers", "engine", "scheduler")


def _row_source(result: ClusterResult, *, keep_one: bool, pairs: bool,
                flat: bool) -> Callable[[], Iterator[dict[str, Any]]]:
    """A function giving the rows afresh on each call (CSV reads them twice: columns, then values)."""
    if keep_one and pairs:
        raise UsageError("--keep-one and --pairs cannot be combined")
    if pairs:
        return lambda: pair_rows(result, flat=flat)
    if keep_one:
        return lambda: keep_one_rows(result)
    return lambda: article_rows(result)


def _selected(result: ClusterResult, *, keep_one: bool, pairs: bool, flat: bool,
              columns: Sequence[str] | None) -> Callable[[], Iterator[dict[str, Any]]]:
    """:func:`_row_source` with only ``columns`` kept (checked against the rows first)."""
    rows = _row_source(result, keep_one=keep_one, pairs=pairs, flat=flat)
    if not columns:
        return rows
    _check_columns(rows(), columns)
    return lambda: ({c: r.get(c) for c in columns} for r in rows())


def _rows(result: ClusterResult, *, keep_one: bool, pairs: bool, flat: bool) -> list[dict[str, Any]]:
    return list(_row_source(result, keep_one=keep_one, pairs=pairs, flat=flat)())


def _check_columns(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    if set(columns) <= set(ARTICLE_COLUMNS):
        return  # always known: no pass over the rows
    known = set(columns_of(rows)) | set(ARTICLE_COLUMNS)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise UsageError(f"unknown column(s): {', '.join(unknown)}")


def _select(rows: list[dict[str, Any]], columns: Sequence[str] | None) -> list[dict[str, Any]]:
    if not columns:
        return rows
    _check_columns(rows, columns)
    return [{c: r.get(c) for c in columns} for r in rows]


def _csv_values(r: dict[str, Any], cols: list[str]) -> list[Any]:
    out = []
    for c in cols:
        v = r.get(c)
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, (dict, list)):
            out.append(to_json(v))
        else:
            out.append(v)
    return out


def _pieces(result: ClusterResult, *, fmt: str, keep_one: bool, pairs: bool,
            columns: Sequence[str] | None) -> Iterator[str]:
    """The ``jsonl`` or ``csv`` output in pieces, 1,000 rows (JSONL) or ~1 MB (CSV) at a time, never all
    rows at once; :func:`render` joins them, :func:`write` writes them as they come."""
    rows = _selected(result, keep_one=keep_one, pairs=pairs, flat=fmt == "csv", columns=columns)
    if fmt == "jsonl":  # lines joined ~1,000 at a time (fewer writes)
        lines: list[str] = []
        for r in rows():
            lines.append(to_json(r))
            if len(lines) >= 1000:
                lines.append("")
                yield "\n".join(lines)
                lines = []
        if lines:
            lines.append("")
            yield "\n".join(lines)
        return
    cols = columns_of(rows())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows():
        w.writerow(_csv_values(r, cols))
        if buf.tell() > 1 << 20:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _json_doc(result: ClusterResult, rows: list[dict[str, Any]], whole: bool) -> Any:
    if not whole:
        return rows
    opts = {k: v for k, v in result.options.items() if k not in _RUN_ONLY}
    return {"options": opts, "summary": summary(result), "clusters": [c.to_dict() for c in result.clusters],
            "articles": rows, "rejected": [r.to_dict() for r in result.rejected]}


def summary(result: ClusterResult) -> dict[str, int]:
    """Counts: articles, clusters, duplicates (articles beyond the first of each cluster), pairs, rejected."""
    n = sum(c.size for c in result.clusters)
    return {"articles": n, "clusters": len(result.clusters), "duplicates": n - len(result.clusters),
            "pairs": len(result.pairs), "rejected": len(result.rejected)}


def render(result: ClusterResult, *, fmt: str = "jsonl", keep_one: bool = False, pairs: bool = False,
           columns: Sequence[str] | None = None, width: int | None = None) -> str | bytes:
    """The output as text (``bytes`` for Parquet), without writing it anywhere."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in ("jsonl", "csv"):
        return "".join(_pieces(result, fmt=fmt, keep_one=keep_one, pairs=pairs, columns=columns))
    if fmt == "parquet":
        from dedup.io.parquet_out import write_parquet

        sink = io.BytesIO()
        write_parquet(_selected(result, keep_one=keep_one, pairs=pairs, flat=True, columns=columns), sink)
        return sink.getvalue()
    rows = _select(_rows(result, keep_one=keep_one, pairs=pairs, flat=fmt == "table"), columns)
    if fmt == "json":
        whole = not (keep_one or pairs or columns)
        return to_json(_json_doc(result, rows, whole), indent=2) + "\n"
    from dedup.io.table import table_text

    return table_text(result, rows, keep_one=keep_one, pairs=pairs, width=width)


def write(result: ClusterResult, dest: str | os.PathLike[str] | None, *, fmt: str = "jsonl",
          keep_one: bool = False, pairs: bool = False, columns: Sequence[str] | None = None) -> None:
    """Write ``result`` to ``dest`` (a path, or ``None``/``"-"`` for stdout) in format ``fmt``.

    Parameters:
        fmt: one of :data:`FORMATS`.
        keep_one: write only each cluster's representative, with all its input fields.
        pairs: write the verified pairs instead of the articles.
        columns: keep only these columns, in this order (article or pair rows).

    Raises ``OutputError`` when the file cannot be written, ``UsageError`` for Parquet to a terminal.
    """
    to_stdout = dest is None or os.fspath(dest) == "-"
    if fmt == "table" and to_stdout:
        _table_to_terminal(result, keep_one=keep_one, pairs=pairs, columns=columns)
        return
    if fmt == "parquet" and to_stdout and _isatty(sys.stdout):
        raise UsageError("Parquet is binary: give -o FILE (or pipe stdout to a file)")
    if fmt in ("jsonl", "csv"):
        _write_pieces(_pieces(result, fmt=fmt, keep_one=keep_one, pairs=pairs, columns=columns), dest)
        return
    if fmt == "parquet" and not to_stdout:  # a batch of rows at a time, straight into the file
        from dedup.io.parquet_out import write_parquet

        rows = _selected(result, keep_one=keep_one, pairs=pairs, flat=True, columns=columns)
        path = os.fspath(dest)  # type: ignore[arg-type]
        try:
            with atomic_open(path, "wb") as fh:
                write_parquet(rows, fh)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", source=path) from None
        return
    data = render(result, fmt=fmt, keep_one=keep_one, pairs=pairs, columns=columns)
    if to_stdout:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    path = os.fspath(dest)  # type: ignore[arg-type]
    try:
        mode = "wb" if isinstance(data, bytes) else "w"
        with atomic_open(path, mode, encoding=None if mode == "wb" else "utf-8", newline="") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", source=path) from None


def _write_pieces(pieces: Iterator[str], dest: str | os.PathLike[str] | None) -> None:
    """Write text pieces to ``dest`` as they come (atomically to a file); a bad option fails first."""
    first = next(pieces, "")
    if dest is None or os.fspath(dest) == "-":
        sys.stdout.write(first)
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    path = os.fspath(dest)
    try:
        with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(first)
            for piece in pieces:
                fh.write(piece)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", source=path) from None


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _table_to_terminal(result: ClusterResult, *, keep_one: bool, pairs: bool,
                       columns: Sequence[str] | None) -> None:
    from rich.console import Console

    from dedup.io.table import build_table

    rows = _select(_rows(result, keep_one=keep_one, pairs=pairs, flat=True), columns)
    width = None if _isatty(sys.stdout) else 160
    Console(file=sys.stdout, width=width, soft_wrap=False).print(build_table(result, rows, keep_one=keep_one, pairs=pairs))
