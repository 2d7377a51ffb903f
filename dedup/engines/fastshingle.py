"""Word shingles of a whole batch at once, vectorised over the bytes of the batch.

The shingles are exactly those of :func:`dedup.near.shingles.shingle_hashes` with ``kind="word"``:
the ``n``-grams of the word tokens of ``fold(text)`` (``\\w+(?:[.,'’]\\w+)*``). Only the *label* of
each shingle differs: instead of hashing the joined gram string, tokens are hashed from their bytes
as up to three 8-byte words mixed with the length (xxh3 above 24 bytes), and a gram of tokens
``t_0..t_{n-1}`` gets ``fmix64(sum_j t_j * M_j mod 2**64)``. A relabelling does not change a set's size
or any Jaccard similarity (up to 64-bit collisions, probability ~ m**2 / 2**64), so verification scores
equal those computed on ``shingle_hashes``; the labels are what the engines and the index sign.

Tokenising bytes: a byte is a word byte if it is ``[0-9A-Za-z_]`` or non-ASCII (``>= 0x80``); ``.``,
``,`` and ``'`` join two word bytes. This equals the regex on ASCII text and on text whose non-ASCII
characters are all word characters, and every other non-ASCII character is first replaced by a space
(a separator either way). Texts with fewer than ``n`` tokens use ``shingle_hashes``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from dedup.near import jit
from dedup.near.lsh import _fmix64
from dedup.text.normalize import _TRANSLATE

__all__ = ["word_shingle_sets", "word_shingles"]

_M = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
               0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5],
              dtype=np.uint64)

# _LEN_MASK[k][L]: the bytes of word k (bytes 8k..8k+7) that lie inside a token of length L <= 24
_LEN_MASK = [np.array([(1 << (8 * min(max(L - 8 * k, 0), 8))) - 1 for L in range(25)], dtype=np.uint64)
             for k in range(3)]
_LEN_MASK2 = np.stack(_LEN_MASK)
_WORDB = np.zeros(256, dtype=bool)
for _c in b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_":
    _WORDB[_c] = True
_WORDB[0x80:] = True
_CONNB = np.zeros(256, dtype=bool)
for _c in b".,'":
    _CONNB[_c] = True

_TR_TABLE = {chr(k): ("" if v is None else (v if isinstance(v, str) else chr(v))) for k, v in _TRANSLATE.items()}
_NONWORD_NONASCII = re.compile(r"[^\x00-\x7f\w]")


def _canonical(text: str) -> bytes:
    """UTF-8 bytes whose byte tokens are exactly the regex tokens of ``fold(text)``.

    ``fold`` is NFKC, then a per-character translation, then ``casefold`` (also per character); so
    after NFKC only the distinct non-ASCII characters present need work, each replaced by its image
    (:func:`_image`), and the ASCII letters are lowered on the bytes.
    """
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        for ch in set(_NON_ASCII.findall(text)):
            img = _image(ch)
            if img != ch:
                text = text.replace(ch, img)
    # after NFKC, as in fold(): U+FF40 and U+1FEF become "`" there
    return text.replace("`", "'").encode("utf-8").lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=65536)
def _image(ch: str) -> str:
    """What one (NFKC-normal) non-ASCII character becomes: translated, casefolded, and a non-ASCII
    character that is not a word character replaced by a space (it only ever separates tokens: the one
    non-ASCII connector, U+2019, was translated to "'")."""
    folded = _TR_TABLE.get(ch, ch).casefold()
    return "".join(" " if _NONWORD_NONASCII.match(c) else c for c in folded)


def word_shingles(texts: Sequence[str], *, n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Shingle labels of every text, flat: ``(values uint64, offsets int64 of length len(texts)+1)``.

    ``values[offsets[i]:offsets[i+1]]`` are text ``i``'s shingles in order of appearance (repeats kept:
    harmless for MinHash; use :func:`word_shingle_sets` for sorted unique sets).
    """
    if n < 1 or n > len(_M):
        raise ValueError(f"n must be in 1..{len(_M)}")
    canon = [_canonical(t) for t in texts]
    nd = len(canon)
    if nd == 0:
        return np.empty(0, np.uint64), np.zeros(1, np.int64)
    blen = np.fromiter((len(c) + 1 for c in canon), dtype=np.int64, count=nd)
    buf = np.frombuffer(b" ".join(canon) + b" ", dtype=np.uint8)
    doc_start = np.concatenate(([0], np.cumsum(blen)[:-1]))
    if jit.use(buf.size):
        vals, counts, ntok = _grams_jit(buf, doc_start, nd, n)
    else:
        vals, counts, ntok = _grams_numpy(buf, doc_start, nd, n)
    short = np.flatnonzero(ntok < n)
    if short.size:  # texts with fewer than n tokens: the reference shingler's single shingle (or none)
        from dedup.near.shingles import shingle_hashes

        pieces, lens, k0 = [], counts.copy(), 0
        starts = np.concatenate(([0], np.cumsum(counts)))
        for i in short.tolist():
            pieces.append(vals[k0:starts[i]])
            extra = shingle_hashes(texts[i], kind="word", n=n)
            pieces.append(extra)
            lens[i] = extra.size
            k0 = starts[i + 1]
        pieces.append(vals[k0:])
        vals = np.concatenate(pieces)
        counts = lens
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return vals, offsets


def _grams_numpy(buf: np.ndarray, doc_start: np.ndarray, nd: int, n: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(gram labels, grams per document, tokens per document)`` of a batch buffer, in NumPy passes."""
    isw = _WORDB[buf]
    conn = np.zeros_like(isw)
    conn[1:-1] = _CONNB[buf[1:-1]] & isw[:-2] & isw[2:]
    w = isw | conn
    edge = np.diff(np.concatenate(([False], w, [False])).astype(np.int8))
    ts = np.flatnonzero(edge == 1)
    te = np.flatnonzero(edge == -1)
    th = _token_hashes(buf, ts, te)
    with np.errstate(over="ignore"):
        mark = np.zeros(buf.size, np.int32)
        mark[doc_start[1:]] = 1
        tdoc = np.cumsum(mark, dtype=np.int32)[ts]
        ntok = np.bincount(tdoc, minlength=nd)
        m = max(th.size - n + 1, 0)
        g = np.zeros(m, np.uint64)
        for j in range(n):
            g += th[j:j + m] * _M[j]
        g = _fmix64(g)
    valid = tdoc[:m] == tdoc[n - 1:n - 1 + m] if m else np.zeros(0, bool)
    counts = np.bincount(tdoc[:m][valid], minlength=nd).astype(np.int64)
    return g[valid], counts, ntok


def _grams_jit(buf: np.ndarray, doc_start: np.ndarray, nd: int, n: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_grams_numpy` in compiled single passes (:mod:`dedup.near.jit`); same integers."""
    import xxhash

    k = jit.kernels()
    th, tdoc, ls, le, li = k.token_hashes(buf, _words(buf), _LEN_MASK2, _WORDB, _CONNB, doc_start, k.MULT)
    if li.size:  # tokens over 24 bytes: xxh3 of their bytes, as _token_hashes does
        raw = buf.tobytes()
        th[li] = _fmix64(np.array([xxhash.xxh3_64_intdigest(raw[a:b]) for a, b in zip(ls.tolist(), le.tolist())],
                                  dtype=np.uint64))
    vals, counts = k.gram_hashes(th, tdoc, nd, n, k.MULT)
    return vals, counts, np.bincount(tdoc, minlength=nd)


def _words(buf: np.ndarray) -> np.ndarray:
    """Every byte offset of ``buf`` as the start of a little-endian 8-byte word (an unaligned,
    overlapping view of ``buf`` and 24 zero bytes)."""
    pad = np.concatenate((buf, np.zeros(24, np.uint8)))
    return np.ndarray(shape=(buf.size + 17,), dtype="<u8", buffer=pad.data, offset=0, strides=(1,))


def _token_hashes(buf: np.ndarray, ts: np.ndarray, te: np.ndarray) -> np.ndarray:
    """A 64-bit label per token ``buf[ts:te]``: its bytes as up to three little-endian words
    (zero-padded), mixed with its length; tokens over 24 bytes hash their bytes with xxh3."""
    import xxhash

    lens = te - ts
    words = _words(buf)
    clen = np.minimum(lens, 24)
    with np.errstate(over="ignore"):
        h = lens.astype(np.uint64) * _M[7]
        for k in range(3):
            w = words[ts + 8 * k].astype(np.uint64) & _LEN_MASK[k][clen]
            h = _fmix64(h ^ (w * _M[k]))
        for i in np.flatnonzero(lens > 24).tolist():
            h[i] = _fmix64(np.array([xxhash.xxh3_64_intdigest(buf[ts[i]:te[i]].tobytes())], np.uint64))[0]
    return h


def word_shingle_sets(texts: Sequence[str], *, n: int = 5) -> list[np.ndarray]:
    """Sorted unique shingle labels per text (the sets that verification compares)."""
    vals, off = word_shingles(texts, n=n)
    return [np.unique(vals[off[i]:off[i + 1]]) for i in range(len(texts))]
