"""Progress reporting for long work: a tiny protocol, a no-op default and a rich bar on stderr.

Library code takes ``progress=None`` and calls :func:`as_progress` on it; the CLI passes a
:class:`RichProgress` only when stderr is a terminal and ``--quiet`` is not given.

Protocol::

    progress.start(task, total)   # a new stage of ``total`` units (total 0: unknown)
    progress.advance(task, n)     # n more units of ``task`` are done
    progress.done()               # all work finished (remove the bars)

:func:`stage_callback` adapts a progress object to the engines' ``progress(stage, done, total)`` callable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

__all__ = ["NullProgress", "Progress", "RichProgress", "as_progress", "stage_callback"]


@runtime_checkable
class Progress(Protocol):
    """What long-running functions call to report progress."""

    def start(self, task: str, total: int) -> None: ...

    def advance(self, task: str, n: int = 1) -> None: ...

    def done(self) -> None: ...


class NullProgress:
    """Progress that shows nothing (the default)."""

    def start(self, task: str, total: int) -> None:
        pass

    def advance(self, task: str, n: int = 1) -> None:
        pass

    def done(self) -> None:
        pass


class RichProgress:
    """A rich progress bar per task, drawn on stderr (transient: removed when done)."""

    def __init__(self, stream: Any = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as _P

        self._console = Console(file=stream or sys.stderr)
        self._bar = _P(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=self._console, transient=True)
        self._tasks: dict[str, Any] = {}
        self._started = False

    def start(self, task: str, total: int) -> None:
        if not self._started:
            self._bar.start()
            self._started = True
        if task in self._tasks:
            self._bar.reset(self._tasks[task], total=total or None)
        else:
            self._tasks[task] = self._bar.add_task(task, total=total or None)

    def advance(self, task: str, n: int = 1) -> None:
        if task not in self._tasks:
            self.start(task, 0)
        self._bar.advance(self._tasks[task], n)

    def done(self) -> None:
        if self._started:
            self._bar.stop()
            self._started = False
        self._tasks.clear()


def as_progress(progress: Progress | None) -> Progress:
    """``progress`` itself, or a :class:`NullProgress` for ``None``."""
    return NullProgress() if progress is None else progress


def stage_callback(progress: Progress | None) -> Callable[[str, int, int], None] | None:
    """An engine-style callback ``cb(stage, done, total)`` (cumulative ``done``) driving ``progress``."""
    if progress is None or isinstance(progress, NullProgress):
        return None
    seen: dict[str, int] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in seen:
            progress.start(stage, total)
            seen[stage] = 0
        progress.advance(stage, done - seen[stage])
        seen[stage] = done

    return cb
