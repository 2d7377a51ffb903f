"""The clusters screen: every cluster with size, title, dates, score and shared facts; filter and sort."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tui.data import SORTS, ClusterIndex
from tui.widgets.cluster_table import ClusterTable


class ClustersScreen(Screen):
    """All clusters; Enter opens one. Singletons are hidden until ``a`` shows them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("o", "sort", "Sort"),
        Binding("a", "singletons", "Singletons"),
        Binding("d", "mark('duplicate')", "Duplicate"),
        Binding("i", "mark('same_incident')", "Same incident"),
        Binding("x", "mark('different')", "Different"),
        Binding("c", "mark('')", "Clear", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, index: ClusterIndex) -> None:
        super().__init__()
        self.index = index
        self.sort = "size"
        self.singletons = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: words of the title, an article or cluster id  (/)", id="filter")
        yield Static(id="clusters-status")
        yield ClusterTable(self.index, id="clusters")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(ClusterTable).focus()

    @property
    def table(self) -> ClusterTable:
        return self.query_one(ClusterTable)

    def refresh_rows(self) -> None:
        """Rebuild the table from the filter, the sort and the singleton switch."""
        query = self.query_one("#filter", Input).value
        rows = self.index.view(query=query, sort=self.sort, singletons=self.singletons)
        store = self.app.store  # type: ignore[attr-defined]
        self.table.show(rows, store.cluster_verdicts())
        total = len(self.index.rows)
        multi = sum(1 for r in self.index.rows if r.cluster.size > 1)
        self.query_one("#clusters-status", Static).update(
            f"{len(rows)} shown · {multi} clusters of 2+ · {total - multi} singletons "
            f"({'shown' if self.singletons else 'hidden: a'}) · {len(self.index.articles)} articles · "
            f"sorted by {self.sort} (o)")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def on_data_table_row_selected(self, event: ClusterTable.RowSelected) -> None:
        self.action_open()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.table.focus()

    def action_sort(self, sort: str | None = None) -> None:
        """Sort by ``sort``, or the next of size, date, score."""
        self.sort = sort or SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_rows()

    def action_singletons(self) -> None:
        self.singletons = not self.singletons
        self.refresh_rows()

    def action_open(self) -> None:
        row = self.table.current
        if row is not None:
            self.app.open_cluster(row.cluster)  # type: ignore[attr-defined]

    def action_mark(self, verdict: str) -> None:
        """Mark the whole cluster under the cursor (saved at once)."""
        row = self.table.current
        if row is None:
            return
        self.app.mark_cluster(row.cluster, verdict or None)  # type: ignore[attr-defined]
        self.table.set_verdict(row.cluster.id, verdict or None)
