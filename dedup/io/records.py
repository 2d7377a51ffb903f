"""From raw input records to ``Article``: decoding, field detection, dates, the ``date`` header.

Used by :mod:`dedup.io.readers`; every problem is raised as :class:`dedup.errors.InputError` naming
the file and line, which the reader turns into a ``Rejected`` record under ``skip_bad``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from dedup.errors import InputError
from dedup.model import Article

__all__ = [
    "DATE_FIELDS",
    "ID_FIELDS",
    "TEXT_FIELDS",
    "TITLE_FIELDS",
    "Fields",
    "decode_bytes",
    "decode_line",
    "fields_of",
    "parse_date",
    "split_date_header",
    "to_article",
]

#: Field names tried, in order, when the caller does not name them.
ID_FIELDS = ("id", "ID", "Id", "doc_id", "docid", "document_id", "article_id", "uuid", "guid", "key", "url_id")
TEXT_FIELDS = ("text", "TEXT", "Text", "body", "BODY", "Body", "content", "CONTENT", "Content", "article",
               "article_text", "full_text", "fulltext", "maintext", "document")
TITLE_FIELDS = ("title", "TITLE", "Title", "headline", "HEADLINE", "Headline", "heading")
DATE_FIELDS = ("date", "DATE", "Date", "published", "published_at", "publish_date", "pubdate", "pub_date",
               "date_publish", "datetime", "created_at", "timestamp", "TIMESTAMP", "Timestamp", "time")

_DATE_HEADER = re.compile(r"\A[\ufeff\s]*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|\Z)", re.IGNORECASE)
_ISO = re.compile(r"\A\s*(\d{4})-(\d{2})-(\d{2})")


def decode_bytes(data: bytes, *, source: str, line: int | None, fallback: bool = True) -> str:
    """Decode one line/file: UTF-8 (a leading BOM dropped), else Windows-1252 when ``fallback``.

    NUL bytes mean binary data; bytes that are neither UTF-8 nor Windows-1252 are invalid.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("UTF-16 text is not supported: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)",
                         source=source, line=line)
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not text", source=source, line=line)
    try:  # (as data.decode("utf-8-sig"), without its Python-level codec)
        return data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        also = " (nor Windows-1252)" if fallback else ""
        raise InputError(f"invalid UTF-8{also}: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                         source=source, line=line) from None


decode_line = decode_bytes


def parse_date(value: Any) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from an ISO string, an RFC 2822 date or a Unix time (s or ms); else None."""
    if value is None or value == "":
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\s*\d{9,13}\s*", value)):
        t = float(value)
        if t > 1e11:  # milliseconds
            t /= 1000.0
        try:
            return _dt.datetime.fromtimestamp(t, tz=_dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value)
    m = _ISO.match(text)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def split_date_header(text: str) -> tuple[str | None, str]:
    """``(date, body)``: a leading `` date YYYY-MM-DD `` header parsed and removed (else ``(None, text)``)."""
    m = _DATE_HEADER.match(text)
    if not m:
        return None, text
    return parse_date(m[1]), text[m.end():]


def _pick(names: Iterable[str], given: str | None, candidates: tuple[str, ...]) -> str | None:
    if given:
        return given
    keys = list(names)
    present = set(keys)
    for c in candidates:
        if c in present:
            return c
    lower = {k.lower(): k for k in keys if isinstance(k, str)}
    for c in candidates:
        if c.lower() in lower:
            return lower[c.lower()]
    return None


@dataclass(slots=True)
class Fields:
    """The field names of one source, resolved once from its header or first record.

    When no text-like field exists but a title does (a headlines-only corpus such as the UCI news
    headlines), the title is used as the text.
    """

    id: str | None
    text: str | None
    title: str | None
    date: str | None
    text_given: bool = False

    @classmethod
    def resolve(cls, names: Iterable[str], *, id_field: str | None = None, text_field: str | None = None,
                title_field: str | None = None, date_field: str | None = None) -> Fields:
        names = list(names)
        title = _pick(names, title_field, TITLE_FIELDS)
        text = _pick(names, text_field, TEXT_FIELDS) or title
        return cls(id=_pick(names, id_field, ID_FIELDS), text=text, title=title,
                   date=_pick(names, date_field, DATE_FIELDS), text_given=bool(text_field))


def _error(message: str, source: str, line: int, record_id: str | None) -> InputError:
    exc = InputError(message, source=source, line=line)
    exc.record_id = record_id  # type: ignore[attr-defined]  # reported in Rejected.id
    return exc


def to_article(rec: Mapping[str, Any], fields: Fields, *, source: str, line: int, row: int) -> Article:
    """Build an ``Article`` from one record; ``row`` (1-based) is the id when the source has no id field.

    A list of strings as text (paragraphs) is joined with blank lines.
    """
    if fields.id is None:
        art_id: str | None = str(row)
    else:
        raw = rec.get(fields.id)
        art_id = None if raw is None or raw == "" else str(raw)
    if fields.text is None:
        raise _error("missing text field (none of: text, body, content, article, ...; "
                     "name it with --text-field)", source, line, art_id)
    if fields.text not in rec:
        raise _error(f"missing text field {fields.text!r}", source, line, art_id)
    text = rec[fields.text]
    if text is None:
        raise _error(f"empty text in field {fields.text!r}", source, line, art_id)
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        text = "\n\n".join(text)
    if not isinstance(text, str):
        raise _error(f"text field {fields.text!r} is not a string ({type(text).__name__})", source, line, art_id)
    if "\x00" in text:
        raise _error("binary data (NUL characters) in the text", source, line, art_id)
    if art_id is None:
        raise _error(f"missing id in field {fields.id!r}", source, line, None)
    header_date, body = split_date_header(text)
    if not body or body.isspace():  # (as `not body.strip()`, without copying the text)
        raise _error("empty text", source, line, art_id)
    title = rec.get(fields.title) if fields.title else None
    date = parse_date(rec.get(fields.date)) if fields.date else None
    return Article(id=art_id, text=body, title=None if title is None else str(title),
                   date=date or header_date, fields=dict(rec), source=source, line=line)


def fields_of(rec: dict[str, Any], opts: dict[str, Any], state: dict[str, Any]) -> Fields:
    """The fields of one file: resolved from its first record, and a field the records so far lacked
    (a date missing in the first record, say) is looked for again in each later record with a set of
    keys not seen before (so a file without dates costs one resolution per distinct key set)."""
    fields: Fields | None = state.get("fields")
    if fields is not None and None not in (fields.id, fields.text, fields.title, fields.date):
        return fields
    seen: set[tuple[str, ...]] = state.setdefault("seen", set())
    keys = tuple(rec)
    if fields is not None and keys in seen:
        return fields
    seen.add(keys)
    found = Fields.resolve(keys, **opts["names"])
    if fields is not None:
        found = Fields(id=fields.id or found.id, text=fields.text or found.text,
                       title=fields.title or found.title, date=fields.date or found.date,
                       text_given=fields.text_given)
    state["fields"] = found
    return found
