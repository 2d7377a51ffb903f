"""The loading screen: a progress bar per stage while the corpus is clustered in a worker."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static


class LoadingScreen(Screen):
    """Shows the stage being run and its progress."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="loading"):
            yield Static(self.message, id="loading-message")
            yield Static("", id="loading-stage")
            yield ProgressBar(id="loading-bar", show_eta=False)
        yield Footer()

    def start(self, task: str, total: int) -> None:
        self.query_one("#loading-stage", Static).update(task)
        self.query_one(ProgressBar).update(total=total or None, progress=0)

    def advance(self, task: str, n: int) -> None:
        self.query_one(ProgressBar).advance(n)


class TuiProgress:
    """A ``dedup.progress.Progress`` that reports to a ``LoadingScreen`` from a worker thread."""

    def __init__(self, app, screen: LoadingScreen) -> None:  # type: ignore[no-untyped-def]
        self.app, self.screen = app, screen

    def start(self, task: str, total: int) -> None:
        self.app.call_from_thread(self.screen.start, task, total)

    def advance(self, task: str, n: int = 1) -> None:
        self.app.call_from_thread(self.screen.advance, task, n)

    def done(self) -> None:
        pass
