"""A cache that lives for one pass over a corpus: ``with cache.scope(): ... cache.get(key, make) ...``.

Used for per-sentence work of the incident stages (figures, passage terms): a sentence that recurs in a
corpus (wire copies, boilerplate) is processed once. Outside a scope nothing is kept (``get`` just calls
``make``); the outermost scope drops every entry when it ends, so a corpus's sentences never stay in
memory after its pass, and a second run over the same corpus does the work again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ScopedCache(Generic[K, V]):
    """``make(key)`` results kept while a :meth:`scope` is open, at most ``max_size`` (then started over)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.data: dict[K, V] | None = None

    @contextmanager
    def scope(self) -> Iterator[None]:
        if self.data is not None:  # nested: the outer scope owns the entries
            yield
            return
        self.data = {}
        try:
            yield
        finally:
            self.data = None

    def get(self, key: K, make: Callable[[K], V]) -> V:
        data = self.data
        if data is None:
            return make(key)
        found = data.get(key)
        return self.put(key, make(key)) if found is None else found

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` while a scope is open (all started over past ``max_size``); returns it."""
        data = self.data
        if data is not None:
            if len(data) >= self.max_size:
                data.clear()
            data[key] = value
        return value
