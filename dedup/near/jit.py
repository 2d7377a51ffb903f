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

__all__ = ["AVAILABLE", "MIN_BYTES", "kernels"]  # noqa: F822 - AVAILABLE: module __getattr__

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


def kernels() -> Any:
    """The module of compiled kernels (:mod:`dedup.near._kernels`; compiled or loaded from the
    on-disk cache on first call of each kernel)."""
    from dedup.near import _kernels

    return _kernels
