"""The cluster screen: the members with their scores; pick any two to compare (default: representative
and the member most similar to it); mark a pair or the whole cluster."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from dedup.model import Cluster
from tui.data import ClusterIndex, default_pair, first_line, members_order, scores_with
from tui.widgets.cluster_table import VERDICT_LABEL


class ClusterScreen(Screen):
    """Members of one cluster. ``A`` is the left side of the next diff; the cursor row is the right side."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "compare", "Compare A with row"),
        Binding("space", "pick", "Set as A"),
        Binding("d", "mark('duplicate')", "Duplicate"),
        Binding("i", "mark('same_incident')", "Same incident"),
        Binding("x", "mark('different')", "Different"),
        Binding("c", "mark('')", "Clear", show=False),
        Binding("D", "mark_cluster('duplicate')", "Cluster dup", show=False),
        Binding("I", "mark_cluster('same_incident')", "Cluster same incident", show=False),
        Binding("X", "mark_cluster('different')", "Cluster different", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, index: ClusterIndex, cluster: Cluster) -> None:
        super().__init__()
        self.index = index
        self.cluster = cluster
        pair = default_pair(cluster)
        self.side_a = pair[0] if pair else cluster.representative
        self.target = pair[1] if pair else None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="cluster-info")
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_column("", key="role")
        table.add_column("article", key="id")
        table.add_column("date", key="date")
        table.add_column("score with A", key="score")
        table.add_column("review", key="review")
        table.add_column("first line", key="line")
        self.refresh_rows(focus=self.target)
        table.focus()

    def refresh_rows(self, *, focus: str | None = None) -> None:
        """Rebuild the member rows around the current ``A``; put the cursor on ``focus``."""
        table = self.query_one("#members", DataTable)
        store = self.app.store  # type: ignore[attr-defined]
        verdicts = store.pair_verdicts()
        table.clear()
        order = members_order(self.cluster, self.side_a)
        scores = scores_with(self.cluster, self.side_a)
        for m in order:
            art = self.index.articles[m]
            role = ("A" if m == self.side_a else "") + (" rep" if m == self.cluster.representative else "")
            s = scores.get(m)
            lo, hi = sorted((self.side_a, m))
            verdict = verdicts.get((lo, hi)) if m != self.side_a else None
            table.add_row(Text(role.strip(), style="bold"), m, art.date or "",
                          "" if s is None else f"{s:.3f}", VERDICT_LABEL.get(verdict or "", ""),
                          first_line(art, 70), key=m)
        if focus in order:
            table.move_cursor(row=order.index(focus))
        cverdict = store.cluster_verdicts().get(self.cluster.id)
        self.query_one("#cluster-info", Static).update(
            f"cluster {self.cluster.id} · {self.cluster.size} articles · representative "
            f"{self.cluster.representative} · shared facts: {' · '.join(self.index.facts(self.cluster)) or '-'}"
            + (f" · cluster marked {VERDICT_LABEL[cverdict]}" if cverdict else "")
            + "\nEnter compares A with the row under the cursor; Space makes the row A.")

    @property
    def cursor_member(self) -> str | None:
        table = self.query_one("#members", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_compare()

    def action_compare(self) -> None:
        """Open the diff of A with the member under the cursor (or with the default partner)."""
        other = self.cursor_member
        if other == self.side_a:
            other = next((m for m in members_order(self.cluster, self.side_a) if m != self.side_a), None)
        if other is None:
            self.notify("a single article: nothing to compare", severity="warning")
            return
        self.app.open_diff(self.side_a, other)  # type: ignore[attr-defined]

    def action_pick(self) -> None:
        """Make the member under the cursor side A."""
        member = self.cursor_member
        if member:
            old = self.side_a
            self.side_a = member
            self.refresh_rows(focus=old if old != member else None)

    def action_mark(self, verdict: str) -> None:
        """Mark the pair (A, row under the cursor), saved at once."""
        member = self.cursor_member
        if member is None or member == self.side_a:
            self.notify("put the cursor on another member than A", severity="warning")
            return
        self.app.mark_pair(self.side_a, member, verdict or None, cluster=self.cluster.id)  # type: ignore[attr-defined]
        self.refresh_rows(focus=member)

    def action_mark_cluster(self, verdict: str) -> None:
        """Mark the whole cluster, saved at once."""
        self.app.mark_cluster(self.cluster, verdict)  # type: ignore[attr-defined]
        self.refresh_rows(focus=self.cursor_member)
