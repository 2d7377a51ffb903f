"""Independent blocks of the corpus-wide incident stages, run here or by an engine (Dask), same result.

Three steps of ``score.build_graph`` split into blocks whose results, concatenated in block order, are
the one-pass result bit for bit: the neighbour search of :func:`dedup.incident.candidates.rare_neighbours`
(each row's candidates depend only on that row and the corpus's postings), the passage verification
of ``passages._verify`` (each candidate pair's overlap on its own) and the pair scores of
:func:`dedup.incident.features.row_dots` (each pair's dot product on its own). They cut their work with
:func:`ranges` and run it with :func:`map_blocks`. By default there is one range and the blocks run
here, in order, as before; inside :func:`mapping` an engine's mapper runs them (``dask_incident``: the
shared data scattered to the workers once, one task per block), and :func:`ranges` cuts the work into
the mapper's ``parts`` ranges. The compiled-kernel choice (``jit.use()``) is made here and carried to
the blocks, so a worker takes the same path (both paths give the same floats anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["Mapper", "map_blocks", "mapping", "ranges"]


class Mapper(Protocol):
    """Runs ``[fn(shared, *a) for a in args]`` elsewhere, results in order; ``parts``: blocks wanted."""

    parts: int

    def __call__(self, fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]: ...


_MAPPER: Mapper | None = None


@contextmanager
def mapping(mapper: Mapper) -> Iterator[None]:
    """Within the block, :func:`map_blocks` runs on ``mapper`` and :func:`ranges` cuts ``mapper.parts``."""
    global _MAPPER
    saved, _MAPPER = _MAPPER, mapper
    try:
        yield
    finally:
        _MAPPER = saved


def ranges(n: int, *, least: int = 1) -> list[tuple[int, int]]:
    """``[(lo, hi), ...]`` covering ``range(n)``: one range, or the installed mapper's ``parts`` (each of
    at least ``least`` items)."""
    parts = 1 if _MAPPER is None else max(1, min(_MAPPER.parts, n // max(1, least)))
    size = -(-n // parts) if n else 1
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)] or [(0, 0)]


def _run(fn: Callable[..., Any], use_jit: bool, shared: Any, *args: Any) -> Any:
    """``fn(shared, *args)`` with the driver's kernel choice, as one block (it is not cut again)."""
    global _MAPPER
    from dedup.near import jit

    saved, _MAPPER = _MAPPER, None
    try:
        with jit.using("incident", use_jit):
            return fn(shared, *args)
    finally:
        _MAPPER = saved


def map_blocks(fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]:
    """``[fn(shared, *a) for a in args]``, in order: here, or on the installed mapper (``fn`` then must be
    a module-level function, ``shared`` and ``args`` picklable)."""
    if _MAPPER is None or len(args) < 2:
        return [fn(shared, *a) for a in args]
    from dedup.near import jit

    return _MAPPER(_bind(fn, jit.use()), shared, args)


def _bind(fn: Callable[..., Any], use_jit: bool) -> Callable[..., Any]:
    import functools

    return functools.partial(_run, fn, use_jit)
