"""The clusters table: rows are added a page at a time as the cursor nears the end (100k articles stay fast).

Shared facts are computed off the main thread for the rows that are loaded, and filled in when ready.
"""

from __future__ import annotations

from textual import work
from textual.widgets import DataTable

from tui.data import ClusterIndex, ClusterRow

PAGE = 200
VERDICT_LABEL = {"duplicate": "duplicate", "same_incident": "same incident", "different": "different"}


class ClusterTable(DataTable):
    """Clusters, one per row: size, title, dates, best score, top shared facts, review verdict."""

    def __init__(self, index: ClusterIndex, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.index = index
        self.view_rows: list[ClusterRow] = []
        self.loaded = 0
        self.verdicts: dict[str, str] = {}

    def on_mount(self) -> None:
        self.add_column("size", key="size")
        self.add_column("title / first line", key="title", width=34)
        self.add_column("dates", key="dates")
        self.add_column("score", key="score")
        self.add_column("shared facts", key="facts", width=24)
        self.add_column("review", key="review")

    def show(self, rows: list[ClusterRow], verdicts: dict[str, str]) -> None:
        """Show ``rows`` (already filtered and sorted); only the first page is built now."""
        self.view_rows, self.verdicts, self.loaded = rows, verdicts, 0
        self.clear()
        self.load_more()

    def load_more(self) -> None:
        """Build the next page of rows."""
        page = self.view_rows[self.loaded:self.loaded + PAGE]
        if not page:
            return
        for r in page:
            facts = self.index._facts.get(r.cluster.id) if r.cluster.size > 1 else []
            self.add_row(str(r.cluster.size), r.title, r.dates, f"{r.score:.3f}" if r.score else "",
                         "…" if facts is None else " · ".join(facts),
                         VERDICT_LABEL.get(self.verdicts.get(r.cluster.id, ""), ""), key=r.cluster.id)
        self.loaded += len(page)
        todo = [r for r in page if r.cluster.size > 1 and r.cluster.id not in self.index._facts]
        if todo:
            self._fill_facts(todo)

    @work(thread=True, group="facts")
    def _fill_facts(self, page: list[ClusterRow]) -> None:
        batch: list[tuple[str, str]] = []
        for k, r in enumerate(page):
            batch.append((r.cluster.id, " · ".join(self.index.facts(r.cluster))))
            if len(batch) == 20 or k == len(page) - 1:  # a screenful at a time
                self.app.call_from_thread(self._set_facts, batch)
                batch = []

    def _set_facts(self, batch: list[tuple[str, str]]) -> None:
        for key, label in batch:
            if key in self.rows:
                self.update_cell(key, "facts", label)

    def set_verdict(self, cluster_id: str, verdict: str | None) -> None:
        """Show a new verdict for one cluster."""
        if verdict:
            self.verdicts[cluster_id] = verdict
        else:
            self.verdicts.pop(cluster_id, None)
        if cluster_id in self.rows:
            self.update_cell(cluster_id, "review", VERDICT_LABEL.get(verdict or "", ""))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - 20 and self.loaded < len(self.view_rows):  # wheel or scrollbar
            self.call_later(self.load_more)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - 20 and self.loaded < len(self.view_rows):
            self.load_more()

    @property
    def current(self) -> ClusterRow | None:
        """The row under the cursor."""
        if not self.row_count or self.cursor_row >= len(self.view_rows):
            return None
        return self.view_rows[self.cursor_row]
