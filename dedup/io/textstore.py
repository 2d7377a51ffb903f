"""Streaming input: the articles' metadata in memory, their texts left in the file and read on demand.

:func:`open_store` reads JSONL or Parquet sources once, with every check of
:func:`dedup.io.readers.read_many` (the same rejects, ids, ``--max-bytes``, duplicate-id handling), and
keeps for each accepted article only its id, title, date and place (no text, no other fields). Texts
are read again on demand through :class:`TextSeq`, a lazy, picklable ``Sequence[str]`` in **id order**
(the order :func:`dedup.pipeline.cluster` processes articles in):

* plain JSONL: the record's byte offset and length; the line is read (``os.pread``), parsed and turned
  into the same text as the reader's again;
* Parquet and gzipped JSONL: the texts are spilled once, as UTF-8, to a temporary file (in ``$TMPDIR``,
  deleted by :meth:`TextStore.close`), and read back by offset. (Parquet's row groups cannot be read
  in id order without decoding a whole row group per article.)

A slice pickles as the paths plus its own offsets, so worker processes read their texts themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import weakref
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, BinaryIO, Self

import numpy as np

from dedup.errors import InputError
from dedup.io.readers import detect_format, iter_accepted, read_options, rename
from dedup.io.records import Fields, decode_bytes, to_article
from dedup.model import Article, Rejected

__all__ = ["STREAM_FORMATS", "TextSeq", "TextStore", "open_store", "streamable"]

#: Input formats that can be streamed (anything else is read into memory).
STREAM_FORMATS = ("jsonl", "parquet")
#: One record's place: part (source), fields used, offset and length of its bytes.
_INDEX = np.dtype([("part", "<u2"), ("fld", "<u2"), ("off", "<i8"), ("len", "<i8")])
_NO_FIELDS: dict[str, Any] = {}
#: Texts read at a time when a sequence is iterated.
_BLOCK = 2000
#: Records restored at once by ``TextStore.iter_records`` (``--keep-one`` of a streamed run).
RESTORE_BATCH = 50_000


@dataclass(frozen=True, slots=True)
class Part:
    """One source: ``path`` as named by the user, ``data`` the file its texts are read from."""

    path: str
    fmt: str
    data: str
    raw: bool  # True: ``data`` holds UTF-8 texts (a spill file); False: JSONL lines parsed again
    fallback: bool = True


_FDS: dict[str, int] = {}  # per process: read with os.pread, so forked workers share no file offset


def _fd(path: str) -> int:
    fd = _FDS.get(path)
    if fd is None:
        fd = _FDS[path] = os.open(path, os.O_RDONLY)
    return fd


def _read_text(part: Part, fields: Fields, off: int, length: int) -> str:
    raw = os.pread(_fd(part.data), length, off)
    if part.raw:
        return raw.decode("utf-8", errors="surrogatepass")
    line = decode_bytes(raw, source=part.path, line=None, fallback=part.fallback)
    return to_article(json.loads(line), fields, source=part.path, line=0, row=0).text


class TextSeq(Sequence[str]):
    """The texts of a :class:`TextStore` in id order, read from the files on access."""

    #: slices pickle in a few bytes per text: the local engine sends this with indices, not texts
    lazy_texts = True

    def __init__(self, parts: tuple[Part, ...], fields: tuple[Fields, ...], recs: np.ndarray) -> None:
        self.parts, self.fields, self.recs = parts, fields, recs

    def __len__(self) -> int:
        return len(self.recs)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            s, e, step = k.indices(len(self))
            return TextSeq(self.parts, self.fields, self.recs[s:e:step].copy())
        r = self.recs[k]
        return _read_text(self.parts[r["part"]], self.fields[r["fld"]], int(r["off"]), int(r["len"]))

    def __iter__(self) -> Iterator[str]:
        """The texts in order, read in blocks (each block in file order)."""
        for s in range(0, len(self.recs), _BLOCK):
            yield from self[s:s + _BLOCK].read_all()

    def read_all(self) -> list[str]:
        """All texts of this (slice of the) sequence, read in file order and given back in id order."""
        out: list[str] = [""] * len(self.recs)
        for i in np.lexsort((self.recs["off"], self.recs["part"])).tolist():
            r = self.recs[i]
            out[i] = _read_text(self.parts[r["part"]], self.fields[r["fld"]], int(r["off"]), int(r["len"]))
        return out


class TextStore:
    """Accepted articles without their texts (``articles``, input order), the rejects, and ``texts``.

    ``texts[k]`` is the text of the ``k``-th article by id (``sorted(articles, key=id)``).
    """

    def __init__(self, articles: list[Article], rejected: list[Rejected], texts: TextSeq,
                 spill_dir: str | None, stats: dict[str, tuple[int, int]]) -> None:
        self.articles, self.rejected, self.texts = articles, rejected, texts
        self._stats = stats
        self._cleanup = weakref.finalize(self, _remove, spill_dir, tuple(p.data for p in texts.parts))

    def close(self) -> None:
        """Delete the spill file, if any."""
        self._cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_unchanged(self) -> None:
        """Raise ``InputError`` if an input file changed since it was read."""
        for path, stat in self._stats.items():
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is None or (st.st_size, st.st_mtime_ns) != stat:
                raise InputError("the file changed while it was clustered; run again", source=path)

    def iter_records(self, articles: Sequence[Article], *, batch: int = RESTORE_BATCH) -> Iterator[Article]:
        """Yield ``articles`` in order, each with its whole input record in ``fields`` while it is out;
        records are read ``batch`` at a time and dropped again after, so memory stays bounded."""
        for lo in range(0, len(articles), batch):
            chunk = articles[lo:lo + batch]
            light = [a.fields for a in chunk]
            try:
                self.full_records(chunk)
                yield from chunk
            finally:
                for a, f in zip(chunk, light):
                    a.fields = f
        self.check_unchanged()  # inside the writer's atomic file: a changed input leaves no output

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Article id -> its row in ``texts`` (id order), made once for every batch of ``iter_records``."""
        return {a.id: k for k, a in enumerate(sorted(self.articles, key=lambda a: a.id))}

    def full_records(self, articles: Sequence[Article]) -> None:
        """Give each of ``articles`` (from ``self.articles``) its whole input record in ``fields`` again."""
        pos = self._positions
        seq = self.texts
        by_part: dict[int, list[tuple[np.void, Article]]] = {}
        for a in articles:
            r = seq.recs[pos[a.id]]
            by_part.setdefault(int(r["part"]), []).append((r, a))
        for p, items in by_part.items():
            part = seq.parts[p]
            if part.raw:  # Parquet or gzipped JSONL: one pass, by row / line number
                _records_by_line(part, {int(a.line or 0): (a, seq.fields[r["fld"]]) for r, a in items})
                continue
            for r, a in sorted(items, key=lambda x: int(x[0]["off"])):
                raw = os.pread(_fd(part.data), int(r["len"]), int(r["off"]))
                line = decode_bytes(raw, source=part.path, line=a.line, fallback=part.fallback)
                _restore(a, json.loads(line), seq.fields[r["fld"]])


def _restore(art: Article, rec: dict[str, Any], fields: Fields) -> None:
    full = to_article(rec, fields, source=art.source or "", line=art.line or 0,
                      row=int(art.id.partition("#")[0]) if fields.id is None else 0)  # "7#2": row 7, renamed
    if full.id != art.id:  # renamed by --dedupe-ids
        rename(full, art.id)
    art.fields = full.fields


def _records_by_line(part: Part, want: dict[int, tuple[Article, Fields]]) -> None:
    """Restore the records at these lines (JSONL) or rows (Parquet) of ``part``, in one pass."""
    if part.fmt == "parquet":
        import pyarrow.parquet as pq

        row = 0
        for batch in pq.ParquetFile(part.path).iter_batches(batch_size=4096):
            lo, row = row, row + batch.num_rows
            hits = [r for r in range(lo + 1, row + 1) if r in want]
            recs = batch.to_pylist() if hits else []
            for r in hits:
                _restore(want[r][0], recs[r - lo - 1], want[r][1])
        return
    import gzip

    with gzip.open(part.path, "rb") as fh:
        for lineno, full in enumerate(fh, start=1):
            if lineno in want:
                line = decode_bytes(full.rstrip(b"\r\n"), source=part.path, line=lineno, fallback=part.fallback)
                _restore(want[lineno][0], json.loads(line), want[lineno][1])


def _remove(spill_dir: str | None, paths: tuple[str, ...] = ()) -> None:
    for path in [p for p in _FDS if p in paths or (spill_dir and p.startswith(spill_dir + os.sep))]:
        os.close(_FDS.pop(path))
    if spill_dir:
        shutil.rmtree(spill_dir, ignore_errors=True)


def streamable(sources: Sequence[str], fmt: str | None = None) -> bool:
    """Whether every source is a JSONL or Parquet file (not stdin) that :func:`open_store` can stream."""
    try:
        return bool(sources) and all(s != "-" and not os.path.isdir(s) and (fmt or detect_format(s)) in STREAM_FORMATS
                                     for s in sources)
    except InputError:
        return False


def open_store(sources: Sequence[str], *, fmt: str | None = None, id_field: str | None = None,
               text_field: str | None = None, title_field: str | None = None, date_field: str | None = None,
               skip_bad: bool = False, dedupe_ids: bool = False, encoding_fallback: bool = True,
               max_bytes: int | None = None, snippets: bool = False) -> TextStore:
    """Read ``sources`` (JSONL or Parquet files) once into a :class:`TextStore`; options as ``read_many``.

    ``snippets``: keep, as the text of an article without a title, a short stand-in that gives the
    same ``-f table`` cell (the table shows the first words of such articles).
    """
    from dedup.io.table import cell_stand_in

    opts = read_options(id_field=id_field, text_field=text_field, title_field=title_field,
                        date_field=date_field, encoding_fallback=encoding_fallback)
    track: list[Any] = [0, 0, None]
    opts["track"] = track
    parts: list[Part] = []
    part_of: dict[str, int] = {}
    spill_dir: str | None = None
    spill: BinaryIO | None = None
    spill_pos = 0
    for s in sources:
        if not os.path.isfile(s):
            raise InputError("no such file" if not os.path.exists(s) else "not a file", source=s)
        kind = fmt or detect_format(s)
        if kind not in STREAM_FORMATS or s == "-":
            raise InputError(f"cannot stream format {kind!r} (only JSONL and Parquet files)", source=s)
        raw = kind == "parquet" or s.lower().endswith(".gz")
        if raw and spill is None:
            spill_dir = tempfile.mkdtemp(prefix="dedup-stream-")
            spill = open(os.path.join(spill_dir, "texts"), "wb")  # noqa: SIM115 - closed below
        part_of[s] = len(parts)
        parts.append(Part(s, kind, os.path.join(spill_dir, "texts") if raw and spill_dir else s, raw,
                          encoding_fallback))
    stats = {s: (st.st_size, st.st_mtime_ns) for s in sources for st in [os.stat(s)]}
    fields_no: dict[tuple[Any, ...], int] = {}
    fields: list[Fields] = []
    articles: list[Article] = []
    rejected: list[Rejected] = []
    cols = {"part": array("H"), "fld": array("H"), "off": array("q"), "len": array("q")}
    try:
        for art in iter_accepted(sources, opts, rejected, fmt=fmt, skip_bad=skip_bad, dedupe_ids=dedupe_ids,
                                 max_bytes=max_bytes):
            f: Fields = track[2]
            key = (f.id, f.text, f.title, f.date, f.text_given)
            if key not in fields_no:
                fields_no[key] = len(fields)
                fields.append(f)
            p = part_of[art.source or ""]
            off, length = int(track[0]), int(track[1])
            if parts[p].raw:
                data = art.text.encode("utf-8", errors="surrogatepass")
                spill.write(data)  # type: ignore[union-attr]
                off, length, spill_pos = spill_pos, len(data), spill_pos + len(data)
            for name, value in (("part", p), ("fld", fields_no[key]), ("off", off), ("len", length)):
                cols[name].append(value)
            art.text = cell_stand_in(art.text) if snippets and not art.title else ""
            art.fields = _NO_FIELDS
            if art.date is not None:
                art.date = sys.intern(art.date)
            articles.append(art)
    except BaseException:
        if spill is not None:
            spill.close()
        _remove(spill_dir)
        raise
    if spill is not None:
        spill.close()
    index = np.empty(len(articles), dtype=_INDEX)
    for name, values in cols.items():
        index[name] = np.frombuffer(values, dtype=values.typecode) if len(values) else 0
    order = np.array(sorted(range(len(articles)), key=lambda i: articles[i].id), dtype=np.int64)
    texts = TextSeq(tuple(parts), tuple(fields), index[order])
    return TextStore(articles, rejected, texts, spill_dir, stats)
