"""Compiled kernels (Numba) for the hot loops of document mode: tokens, shingles, MinHash; and whether
a run uses them (here too for incident mode's kernels in :mod:`dedup.incident`).

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
cached on disk (``cache=True``). Loading it costs about 0.4 s a process (importing Numba), compiling
it the first time about 4 s (document mode) or 22 s (incident mode) on a 2-core machine, so a run
uses the kernels only when its input is large enough to repay that (:func:`worth`, :data:`MIN_TEXT`):
a small input, above all the first run after an install, takes the NumPy path and compiles nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["AVAILABLE", "COMPILE_STEP", "KERNELS", "MIN_BYTES", "MIN_TEXT", "cached", "force", "kernels", "sized", "use",  # noqa: F822
           "using", "worth"]  # AVAILABLE: module __getattr__

#: Batches smaller than this many bytes of text use the NumPy path (no compilation for tiny inputs).
MIN_BYTES = 1 << 20

#: The kernel modules of each family, as (package, file name pattern): their cache files tell whether
#: the family is compiled (:func:`cached`).
KERNELS: dict[str, tuple[str, str]] = {"near": ("dedup.near", "_kernels.py"), "incident": ("dedup.incident", "_*kernel*.py")}
#: Text (characters) from which a run uses a family's kernels: ``(when cached, when still to compile)``.
#: Measured on this 2-core machine (docs/performance.md, "Compiled kernels"): document mode saves
#: ~24 ms per MB of text against 0.4 s to load and ~4 s to compile; incident mode saves 0.1 s at
#: 0.4 MB, 1.2 s at 1.6 MB, 7.5 s at 5 MB against 0.5 s to load and ~22 s to compile.
MIN_TEXT: dict[str, tuple[int, int]] = {"near": (16 << 20, 192 << 20), "incident": (1 << 20, 12 << 20)}
#: The progress step shown while the kernels compile (once per machine and source version).
COMPILE_STEP = "compiling kernels (once)"


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


def _is_available() -> bool:
    available = globals().get("AVAILABLE")
    if available is None:  # not computed yet (or a test set it)
        available = __getattr__("AVAILABLE")
    return bool(available)


def use(nbytes: int | None = None, *, min_bytes: int | None = None) -> bool:
    """Whether a batch of ``nbytes`` bytes (None: any size) goes through the compiled kernels
    (from ``min_bytes``, default :data:`MIN_BYTES` as it is at the call)."""
    if not _is_available():
        return False
    if _FORCE is not None:
        return _FORCE
    return nbytes is None or nbytes >= (MIN_BYTES if min_bytes is None else min_bytes)


def _cache_dirs(source: str) -> list[str]:
    """Where Numba keeps the cache of functions defined in ``source`` (``NUMBA_CACHE_DIR``, else
    ``__pycache__`` beside it, else the user-wide cache), as ``numba.core.caching`` locates it."""
    import hashlib

    here = os.path.dirname(os.path.abspath(source))
    sub = "_".join([os.path.basename(here), hashlib.sha1(here.encode()).hexdigest()])
    if os.environ.get("NUMBA_CACHE_DIR"):
        return [os.path.join(os.environ["NUMBA_CACHE_DIR"], sub)]
    return [os.path.join(here, "__pycache__"), os.path.join(os.path.expanduser("~/.cache/numba"), sub)]


def cached(family: str) -> bool:
    """Whether every kernel of ``family`` (:data:`KERNELS`: each function decorated ``@..jit`` in its
    modules) has an index of compiled code on disk for the module as it is now: Numba stamps each index
    with the SHA-256 of the module's source (and its own version). Found without importing Numba."""
    import glob
    import hashlib
    import importlib.metadata
    import importlib.util
    import re

    package, pattern = KERNELS[family]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return False
    try:
        version = importlib.metadata.version("numba").encode()
    except importlib.metadata.PackageNotFoundError:
        return False
    for folder in spec.submodule_search_locations:
        for source in glob.glob(os.path.join(glob.escape(folder), pattern)):
            with open(source, "rb") as fh:
                code = fh.read()
            digest = hashlib.sha256(code).digest()
            count = len(re.findall(rb"^@(?:\w+\.)?\w*jit\b", code, flags=re.MULTILINE))
            stem = os.path.basename(source)[:-3]
            fresh = set()
            for d in _cache_dirs(source):
                for index in glob.glob(os.path.join(glob.escape(d), f"{stem}.*.nbi")):
                    with open(index, "rb") as fh:
                        data = fh.read()
                    if digest in data and version in data[:64]:
                        fresh.add(os.path.basename(index))
            if len(fresh) < count:
                return False
    return True


def worth(family: str, nchars: int, *, share: int = 1) -> bool:
    """Whether a run over ``nchars`` characters of text uses ``family``'s kernels: Numba available,
    and at least :data:`MIN_TEXT` (the first figure when they are cached, the second when they would be
    compiled now; ``share``: processes that split the work, each loading the kernels). A forced
    choice (:func:`force`) wins."""
    if not _is_available():
        return False
    if _FORCE is not None:
        return _FORCE
    warm, cold = MIN_TEXT[family]
    if nchars < warm * share:
        return False
    return nchars >= cold or cached(family)


@contextmanager
def sized(family: str, nchars: int, *, progress: Callable[[str, int, int], None] | None = None,
          warm_up: Callable[[], object] | None = None, share: int = 1) -> Iterator[bool]:
    """Within the block, :func:`use` says whether to use ``family``'s kernels, as :func:`worth` decides
    for ``nchars`` characters of text; yields the choice (see :func:`using`)."""
    with using(family, worth(family, nchars, share=share), progress=progress, warm_up=warm_up) as on:
        yield on


@contextmanager
def using(family: str, on: bool, *, progress: Callable[[str, int, int], None] | None = None,
          warm_up: Callable[[], object] | None = None) -> Iterator[bool]:
    """Within the block, :func:`use` returns ``on`` (unless a choice was forced already). When the
    kernels are used but not yet compiled, ``warm_up`` (a call on a tiny input) compiles them first,
    shown as the progress step :data:`COMPILE_STEP` (``progress(stage, done, total)``, the engines'
    callback), so that worker processes forked afterwards inherit them."""
    global _FORCE
    saved = _FORCE
    if saved is not None:
        on = saved
    if on and warm_up is not None and not cached(family):
        if progress is not None:
            progress(COMPILE_STEP, 0, 1)
        _FORCE = True
        try:
            warm_up()
        finally:
            _FORCE = saved
        if progress is not None:
            progress(COMPILE_STEP, 1, 1)
    _FORCE = on
    try:
        yield on
    finally:
        _FORCE = saved


def kernels() -> Any:
    """The module of compiled kernels (:mod:`dedup.near._kernels`; compiled or loaded from the
    on-disk cache on first call of each kernel)."""
    from dedup.near import _kernels

    return _kernels
