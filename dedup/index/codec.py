"""Bytes of an :class:`~dedup.incident.analysis.ArticleAnalysis` for the index (and back), without pickle.

Layout: a 4-byte little-endian header length, a JSON header (the fact keys, the conflict profile, and the
name, dtype and shape of each array field), then the arrays' raw bytes in that order. Hashes stay
``uint64``, spans and offsets ``int64``; float arrays (counts) are stored as ``uint16`` when they are
small whole numbers (they always are with the default entity weight), else as ``float64``, so ``decode(encode(a))`` gives back the same numbers, bit for
bit. Loading an index never runs code from the file (unlike pickle).
"""

from __future__ import annotations

import dataclasses
import json
import math
import struct
from typing import Any

import numpy as np

from dedup.incident.analysis import ArticleAnalysis
from dedup.incident.facts import ConflictProfile

__all__ = ["ARRAYS", "FIELDS", "decode", "encode"]

#: Every field of an analysis, and the array fields, whose bytes follow the header in this order
#: (``fact_keys`` and ``profile`` are in the header). An index records :data:`FIELDS` when it is made and
#: refuses adds when they have changed (its stored analyses would lack the new evidence).
FIELDS = tuple(f.name for f in dataclasses.fields(ArticleAnalysis))
ARRAYS = tuple(f for f in FIELDS if f not in ("fact_keys", "profile"))
_DTYPES = {"u8": np.uint64, "u2": np.uint16, "f8": np.float64, "i8": np.int64}


def _packed(a: np.ndarray) -> tuple[str, np.ndarray]:
    if a.dtype.kind == "f":  # counts: small whole numbers as uint16 (read back as the same float32)
        small = a.astype(np.uint16)
        if a.size == 0 or (a.min() >= 0 and np.array_equal(small.astype(np.float64), a)):
            return "u2", small
        return "f8", a.astype(np.float64)
    return ("i8", a.astype(np.int64)) if a.dtype.kind == "i" else ("u8", a.astype(np.uint64))


def encode(a: ArticleAnalysis) -> bytes:
    """The bytes of ``a`` (see the module docstring)."""
    arrays: list[bytes] = []
    shapes: list[list[Any]] = []
    for name in ARRAYS:
        code, packed = _packed(np.asarray(getattr(a, name)))
        shapes.append([name, code, list(packed.shape)])
        arrays.append(np.ascontiguousarray(packed).astype(packed.dtype.newbyteorder("<"), copy=False).tobytes())
    p = a.profile
    head = json.dumps({"facts": list(a.fact_keys),
                       "slots": {k: sorted(v) for k, v in sorted(p.slots.items())},
                       "dates": [list(d) for d in p.dates], "places": sorted(p.places),
                       "arrays": shapes}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return struct.pack("<I", len(head)) + head + b"".join(arrays)


def decode(data: bytes) -> ArticleAnalysis:
    """The :class:`ArticleAnalysis` whose :func:`encode` is ``data``; ``ValueError`` if it is not one."""
    try:
        (hlen,) = struct.unpack_from("<I", data, 0)
        head = json.loads(bytes(data[4:4 + hlen]).decode("utf-8"))
        pos = 4 + hlen
        out: dict[str, Any] = {}
        for name, code, shape in head["arrays"]:
            dt = np.dtype(_DTYPES[code]).newbyteorder("<")
            count = math.prod(shape)
            arr = np.frombuffer(data, dtype=dt, count=count, offset=pos).reshape(shape)
            pos += count * dt.itemsize
            out[name] = arr.astype(np.float32) if code == "u2" else arr.astype(dt.newbyteorder("="), copy=False)
        out["fact_keys"] = tuple(head["facts"])
        out["profile"] = ConflictProfile({k: frozenset(v) for k, v in head["slots"].items()},
                                         tuple(tuple(d) for d in head["dates"]), frozenset(head["places"]))
        if set(out) != set(FIELDS):
            raise ValueError(f"fields {sorted(set(out) ^ set(FIELDS))} differ from this dedup's")
        analysis = ArticleAnalysis(**out)
    except (struct.error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not an encoded article analysis ({exc})") from None
    if pos != len(data):
        raise ValueError(f"not an encoded article analysis ({len(data) - pos} bytes left over)")
    return analysis
