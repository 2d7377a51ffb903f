"""Bytes of an :class:`~dedup.incident.analysis.ArticleAnalysis` for the index (and back), without pickle.

Layout: a 4-byte little-endian header length, a JSON header (the fact keys, the conflict profile, and the
dtype and shape of each array), then the arrays' raw bytes in :data:`ARRAYS` order. Term hashes stay
``uint64``; counts are stored as ``uint16`` when they are small whole numbers (they always are with the
default entity weight), else as ``float64``, so ``decode(encode(a))`` gives back the same numbers, bit for
bit. Loading an index never runs code from the file (unlike pickle).
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import numpy as np

from dedup.incident.analysis import ArticleAnalysis
from dedup.incident.facts import ConflictProfile

__all__ = ["ARRAYS", "decode", "encode"]

#: The array fields of an analysis, in the order their bytes follow the header.
ARRAYS = ("terms", "counts", "lead_terms", "lead_counts", "win_spans", "win_offsets", "win_terms")
_DTYPES = {"u8": np.uint64, "u2": np.uint16, "f8": np.float64, "i8": np.int64}


def _packed(name: str, a: np.ndarray) -> tuple[str, np.ndarray]:
    if name.endswith("counts"):
        small = a.astype(np.uint16)
        if a.size == 0 or np.array_equal(small.astype(np.float64), a):
            return "u2", small
        return "f8", a.astype(np.float64)
    if name == "win_spans" or name == "win_offsets":
        return "i8", a.astype(np.int64)
    return "u8", a.astype(np.uint64)


def encode(a: ArticleAnalysis) -> bytes:
    """The bytes of ``a`` (see the module docstring)."""
    arrays: list[bytes] = []
    shapes: list[list[Any]] = []
    for name in ARRAYS:
        code, packed = _packed(name, np.asarray(getattr(a, name)))
        shapes.append([code, list(packed.shape)])
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
        out: dict[str, np.ndarray] = {}
        for name, (code, shape) in zip(ARRAYS, head["arrays"], strict=True):
            dt = np.dtype(_DTYPES[code]).newbyteorder("<")
            count = math.prod(shape)
            arr = np.frombuffer(data, dtype=dt, count=count, offset=pos).reshape(shape)
            pos += count * dt.itemsize
            out[name] = arr.astype(np.float64) if name.endswith("counts") else arr.astype(dt.newbyteorder("="),
                                                                                        copy=False)
        profile = ConflictProfile({k: frozenset(v) for k, v in head["slots"].items()},
                                  tuple(tuple(d) for d in head["dates"]), frozenset(head["places"]))
    except (struct.error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not an encoded article analysis ({exc})") from None
    if pos != len(data):
        raise ValueError(f"not an encoded article analysis ({len(data) - pos} bytes left over)")
    return ArticleAnalysis(out["terms"], out["counts"], out["lead_terms"], out["lead_counts"], tuple(head["facts"]),
                           profile, out["win_spans"], out["win_offsets"], out["win_terms"])
