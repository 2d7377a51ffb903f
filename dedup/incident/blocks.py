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

:class:`Threads` is the local mapper: the blocks run on a thread pool of this process (the compiled
kernels release the GIL), so ``--workers 2`` uses both cores in the graph steps too. A block never
cuts its work again (a thread-local flag, so blocks on several threads do not see each other's).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol

__all__ = ["Mapper", "Threads", "in_order", "map_blocks", "mapping", "ranges", "threads"]


class Mapper(Protocol):
    """Runs ``[fn(shared, *a) for a in args]`` elsewhere, results in order; ``parts``: blocks wanted."""

    parts: int

    def __call__(self, fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]: ...


_MAPPER: Mapper | None = None
#: ``inside``: this thread runs a block (its work is not cut again)
_LOCAL = threading.local()


def _active() -> Mapper | None:
    """The installed mapper, unless this thread is inside a block."""
    return None if getattr(_LOCAL, "inside", False) else _MAPPER


class Threads:
    """Runs the blocks on ``workers`` threads of this process, results in order; each step is cut into
    ``parts = 4 * workers`` ranges so that uneven blocks still keep every thread busy."""

    in_process = True

    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))
        self.parts = 4 * self.workers

    def __call__(self, fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]:
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(lambda a: fn(shared, *a), args))


def threads(workers: int) -> AbstractContextManager[None]:
    """Within the block, :func:`map_blocks` runs on ``workers`` threads (:class:`Threads`), unless a
    mapper is installed already (an engine's) or there is one worker."""
    if workers > 1 and _active() is None:
        return mapping(Threads(workers))
    return nullcontext()


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
    mapper = _active()
    parts = 1 if mapper is None else max(1, min(mapper.parts, n // max(1, least)))
    size = -(-n // parts) if n else 1
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)] or [(0, 0)]


def _run(fn: Callable[..., Any], use_jit: bool, shared: Any, *args: Any) -> Any:
    """``fn(shared, *args)`` with the driver's kernel choice, as one block (it is not cut again)."""
    from dedup.near import jit

    with _inside(), jit.using("incident", use_jit):
        return fn(shared, *args)


def _run_here(fn: Callable[..., Any], shared: Any, *args: Any) -> Any:
    """``fn(shared, *args)`` on a thread of this process: the kernel choice is the process's own."""
    with _inside():
        return fn(shared, *args)


@contextmanager
def _inside() -> Iterator[None]:
    saved = getattr(_LOCAL, "inside", False)
    _LOCAL.inside = True
    try:
        yield
    finally:
        _LOCAL.inside = saved


def map_blocks(fn: Callable[..., Any], shared: Any, args: Sequence[tuple]) -> list[Any]:
    """``[fn(shared, *a) for a in args]``, in order: here, or on the installed mapper (``fn`` then must be
    a module-level function, ``shared`` and ``args`` picklable, unless the mapper runs in this process)."""
    mapper = _active()
    if mapper is None or len(args) < 2:
        return [fn(shared, *a) for a in args]
    if getattr(mapper, "in_process", False):
        import functools

        return mapper(functools.partial(_run_here, fn), shared, args)
    from dedup.near import jit

    return mapper(_bind(fn, jit.use()), shared, args)


def in_order(fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
    """``fn(x)`` for each of ``items``, yielded in order: on the installed :class:`Threads` mapper's
    threads when there is one (at most ``workers`` results made ahead of the one yielded, so memory holds
    a bounded number), else here one at a time. For steps whose items are large and read in order."""
    mapper = _active()
    workers = getattr(mapper, "workers", 1) if getattr(mapper, "in_process", False) else 1
    if workers <= 1:
        yield from map(fn, items)
        return
    from collections import deque

    with ThreadPoolExecutor(workers) as pool:
        ahead: deque[Any] = deque()
        for x in items:
            ahead.append(pool.submit(_run_here, fn, x))
            if len(ahead) > workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _bind(fn: Callable[..., Any], use_jit: bool) -> Callable[..., Any]:
    import functools

    return functools.partial(_run, fn, use_jit)
