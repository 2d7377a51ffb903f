"""Compiled kernels (Numba) for the hot loops of document mode: tokens, shingles, MinHash.

Each kernel computes exactly what its NumPy counterpart computes (same bytes in, same integers out;
tests compare them), in one pass over memory instead of one NumPy pass per operation:

* :func:`token_hashes`: the word tokens of a batch buffer (see :mod:`dedup.engines.fastshingle`) and
  their 64-bit labels (up to three little-endian 8-byte words of the token, masked to its length, each
  mixed as ``h = fmix64(h ^ w_k * M_k)`` from ``h = len * M_7``);
* :func:`gram_hashes`: ``fmix64(sum_j t_{i+j} * M_j)`` for every window of ``n`` tokens inside a document;
* :func:`minhash`: ``sig[d, k] = min over h in set d of (a_k * fmix32(h mod 2**32) + b_k) mod 2**32``
  (datasketch's ``affine32`` scheme).

Numba is imported lazily: :data:`AVAILABLE` is False where it cannot be imported (or when the
environment variable ``DEDUP_NO_JIT`` is set), and callers then use the NumPy path. Compiled code is
cached on disk (``cache=True``), so only the first run on a machine pays the compilation (about 2 s).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["AVAILABLE", "MIN_BYTES", "force", "kernels", "use"]  # noqa: F822 - AVAILABLE: module __getattr__

#: Batches smaller than this many bytes of text use the NumPy path (no compilation for tiny inputs).
MIN_BYTES = 1 << 20


def _available() -> bool:
    """Numba is installed (found without importing it) and ``DEDUP_NO_JIT`` is not set."""
    import importlib.util

    return not os.environ.get("DEDUP_NO_JIT") and importlib.util.find_spec("numba") is not None


def __getattr__(name: str) -> Any:
    # AVAILABLE is computed on first use, so importing the engines does not look for Numba
    if name == "AVAILABLE":
        globals()["AVAILABLE"] = value = _available()
        return value
    raise AttributeError(name)


_FORCE: bool | None = None


def force(flag: bool | None) -> None:
    """Use the kernels for every batch (True), for none (False), or by batch size (None) in this
    process; the local engine sets it in its workers from the corpus size (:func:`use`)."""
    global _FORCE
    _FORCE = flag


def use(nbytes: int | None = None, *, min_bytes: int | None = None) -> bool:
    """Whether a batch of ``nbytes`` bytes (None: any size) goes through the compiled kernels
    (from ``min_bytes``, default :data:`MIN_BYTES` as it is at the call)."""
    available = globals().get("AVAILABLE")
    if available is None:  # not computed yet (or a test set it)
        available = __getattr__("AVAILABLE")
    if not available:
        return False
    if _FORCE is not None:
        return _FORCE
    return nbytes is None or nbytes >= (MIN_BYTES if min_bytes is None else min_bytes)


def kernels() -> Any:
    """The module of compiled kernels (:mod:`dedup.near._kernels`; compiled or loaded from the
    on-disk cache on first call of each kernel)."""
    from dedup.near import _kernels

    return _kernels
