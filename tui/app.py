"""The ``dedup review`` app: clusters -> cluster -> diff, with review decisions saved as you mark them.

The app only shows what the library computes: ``dedup.pipeline.cluster`` (in a worker, with progress)
gives the ``ClusterResult``; ``dedup.diff.compare`` gives each ``AlignedDiff``; ``dedup.review`` keeps
the decisions.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from dedup.errors import EXIT_INTERNAL, DedupError
from dedup.model import Article, Cluster, ClusterResult
from dedup.review import ReviewStore
from tui.commands import DedupCommands
from tui.data import ClusterIndex
from tui.screens.cluster import ClusterScreen
from tui.screens.clusters import ClustersScreen
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.loading import LoadingScreen, TuiProgress

DARK, LIGHT = "textual-dark", "textual-light"


class ReviewApp(App[int]):
    """Review clusters and diffs. Give ``result`` (ready), ``articles`` (clustered in a worker with
    ``cluster_options``) or ``pair`` (straight to one diff); decisions go to the SQLite file ``store``."""

    CSS_PATH = "app.tcss"
    TITLE = "dedup review"
    COMMANDS = App.COMMANDS | {DedupCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("t", "toggle_dark", "Theme"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, *, result: ClusterResult | None = None, articles: list[Article] | None = None,
                 pair: tuple[Article, Article] | None = None, store: str = ":memory:",
                 cluster_options: dict[str, Any] | None = None, dark: bool = True) -> None:
        super().__init__()
        self.result = result
        self.pair = pair
        self.input_articles = articles
        self.cluster_options = dict(cluster_options or {})
        self.store = ReviewStore(store)
        self.index: ClusterIndex | None = None
        self.articles: dict[str, Article] = {}
        self._dark = dark

    def on_mount(self) -> None:
        self.theme = DARK if self._dark else LIGHT
        if self.pair is not None:
            a, b = self.pair
            self.articles = {a.id: a, b.id: b}
            self.sub_title = "diff"
            self.push_screen(DiffScreen(a, b))
        elif self.result is not None:
            self.show_result(self.result)
        elif self.input_articles is not None:
            screen = LoadingScreen(f"Clustering {len(self.input_articles)} articles…")
            self.push_screen(screen)
            self.run_clustering(screen)

    @work(thread=True, exclusive=True, group="cluster")
    def run_clustering(self, screen: LoadingScreen) -> None:
        """Cluster the articles off the main thread, reporting progress on ``screen``."""
        from dedup.pipeline import cluster

        try:
            result = cluster(self.input_articles or [], progress=TuiProgress(self, screen),
                             **self.cluster_options)
        except DedupError as exc:
            self.call_from_thread(self.exit, exc.exit_code, exc.exit_code, f"dedup: error: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - a bug: one line, exit 70, never a traceback
            self.call_from_thread(self.exit, EXIT_INTERNAL, EXIT_INTERNAL,
                                  f"dedup: internal error: {type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self.show_result, result, screen)

    def show_result(self, result: ClusterResult, loading: LoadingScreen | None = None) -> None:
        """Open the clusters screen, then the largest cluster of two or more articles."""
        self.result = result
        self.index = ClusterIndex(result)
        self.articles = self.index.articles
        # the subtitle first: a Header still composing would miss the change (Textual race)
        self.sub_title = f"{len(result.articles)} articles · {len(result.clusters)} clusters"
        if loading is not None:
            self.switch_screen(ClustersScreen(self.index))
        else:
            self.push_screen(ClustersScreen(self.index))
        largest = self.index.largest()
        if largest is not None:
            self.open_cluster(largest)

    def open_cluster(self, cluster: Cluster) -> None:
        """Show the members of ``cluster``."""
        assert self.index is not None
        self.push_screen(ClusterScreen(self.index, cluster))

    def open_diff(self, a: str, b: str) -> None:
        """Show the diff of articles ``a`` and ``b``."""
        cluster = None
        if self.result is not None:
            cluster = next((c.id for c in self.result.clusters if a in c.members), None)
        self.push_screen(DiffScreen(self.articles[a], self.articles[b], cluster=cluster))

    def mark_pair(self, a: str, b: str, verdict: str | None, *, cluster: str | None = None) -> None:
        """Save (or clear, with ``None``) the verdict of a pair at once."""
        if verdict:
            self.store.mark_pair(a, b, verdict, cluster=cluster)
            self.notify(f"{a} / {b}: {verdict.replace('_', ' ')} (saved)", timeout=2)
        else:
            self.store.clear_pair(a, b)
            self.notify(f"{a} / {b}: verdict cleared", timeout=2)

    def mark_cluster(self, cluster: Cluster, verdict: str | None) -> None:
        """Save (or clear) the verdict of a whole cluster at once."""
        if verdict:
            self.store.mark_cluster(cluster, verdict)
            self.notify(f"cluster {cluster.id}: {verdict.replace('_', ' ')} (saved)", timeout=2)
        else:
            self.store.clear_cluster(cluster.id)
            self.notify(f"cluster {cluster.id}: verdict cleared", timeout=2)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK
        for screen in self.screen_stack:
            if isinstance(screen, DiffScreen):
                screen.rerender()

    def on_unmount(self) -> None:
        self.store.close()
