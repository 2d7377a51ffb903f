"""The diff screen: two articles side by side, aligned sentence to sentence, with figures and framing panels."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, LoadingIndicator, Static

from dedup.diff.model import AlignedDiff
from dedup.model import Article
from dedup.render.common import summary_line
from tui.widgets.cluster_table import VERDICT_LABEL
from tui.widgets.diff_view import DiffView
from tui.widgets.panels import FiguresPanel, FramingPanel, Legend


class DiffScreen(Screen):
    """Article A (left) against B (right). The diff is computed in a worker by ``dedup.diff.compare``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_diff", "Next diff"),
        Binding("p", "prev_diff", "Prev diff"),
        Binding("N", "next_conflict", "Next conflict"),
        Binding("P", "prev_conflict", "Prev conflict", show=False),
        Binding("slash", "search", "Search"),
        Binding("s", "swap", "Swap"),
        Binding("u", "hide_unchanged", "Hide same"),
        Binding("f", "toggle_figures", "Figures"),
        Binding("m", "toggle_framing", "Framing"),
        Binding("d", "mark('duplicate')", "Duplicate"),
        Binding("i", "mark('same_incident')", "Same incident"),
        Binding("x", "mark('different')", "Different"),
        Binding("c", "mark('')", "Clear", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, a: Article, b: Article, *, cluster: str | None = None) -> None:
        super().__init__()
        self.a, self.b, self.cluster = a, b, cluster
        self.diff: AlignedDiff | None = None
        self.hide_unchanged = False
        self.search = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="diff-title")
        yield Legend(id="legend")
        yield LoadingIndicator(id="diff-loading")
        yield DiffView(id="diff")
        with Horizontal(id="panels"):
            yield FiguresPanel(id="figures")
            yield FramingPanel(id="framing")
        yield Input(placeholder="search both sides (Enter: next match, Esc: close)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one("#diff", DiffView).display = False
        self._update_title()
        self.query_one(Legend).set_theme(self.app.current_theme.dark)
        self.compute()

    @property
    def view(self) -> DiffView:
        return self.query_one("#diff", DiffView)

    @work(thread=True, exclusive=True, group="diff")
    def compute(self) -> None:
        """Compare A with B off the main thread, then show it."""
        from dedup.diff.compare import compare

        try:
            diff = compare(self.a.text, self.b.text, a_id=self.a.id, b_id=self.b.id,
                           date_a=self.a.date, date_b=self.b.date)
        except Exception as exc:  # noqa: BLE001 - shown, the app keeps running
            self.app.call_from_thread(self.notify, f"cannot compare: {type(exc).__name__}: {exc}",
                                      severity="error")
            return
        self.app.call_from_thread(self.show_diff, diff)  # type: ignore[arg-type]

    async def show_diff(self, diff: AlignedDiff, *, first: bool = True) -> None:
        """Render ``diff`` in the rows and both panels; at first, go to where the two stories meet."""
        self.diff = diff
        dark = self.app.current_theme.dark
        self.query_one("#diff-loading").display = False
        self.view.display = True
        await self.view.show(diff, hide_unchanged=self.hide_unchanged, dark=dark, search=self.search)
        self.query_one(FiguresPanel).show(diff, dark=dark)
        self.query_one(FramingPanel).show(diff, dark=dark)
        self.query_one(Legend).set_theme(dark)
        self._update_title()
        self.view.focus()
        if first and (k := self.view.first_shared()) is not None:
            self.call_after_refresh(self.view.select, k)

    def _update_title(self) -> None:
        verdict = self.app.store.pair_verdict(self.a.id, self.b.id)  # type: ignore[attr-defined]
        head = f"A: {self.a.id}  ⟷  B: {self.b.id}"
        if verdict:
            head += f"   [reviewed: {VERDICT_LABEL[verdict]}]"
        body = summary_line(self.diff) if self.diff else "comparing…"
        self.query_one("#diff-title", Static).update(f"{head}\n{body}")

    def rerender(self) -> None:
        """Restyle the rows in place (theme or search term changed)."""
        dark = self.app.current_theme.dark
        self.view.restyle(dark=dark, search=self.search)
        self.query_one(Legend).set_theme(dark)
        if self.diff is not None:
            self.query_one(FiguresPanel).show(self.diff, dark=dark)
            self.query_one(FramingPanel).show(self.diff, dark=dark)

    def _say(self, found: bool, what: str) -> None:
        if not found:
            self.notify(f"no {what}", timeout=2)

    def action_next_diff(self) -> None:
        self._say(self.view.next_difference(1), "further difference")

    def action_prev_diff(self) -> None:
        self._say(self.view.next_difference(-1), "earlier difference")

    def action_next_conflict(self) -> None:
        self._say(self.view.next_conflict(1), "further figure conflict")

    def action_prev_conflict(self) -> None:
        self._say(self.view.next_conflict(-1), "earlier figure conflict")

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        term = event.value.strip()
        if term != self.search:
            self.search = term
            self.rerender()
        if term:
            self._say(self.view.next_match(term), f"match for {term!r}")

    async def action_back(self) -> None:
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
            self.view.focus()
        else:
            self.app.pop_screen()

    def action_swap(self) -> None:
        """Swap the sides and compare again."""
        self.a, self.b = self.b, self.a
        self.diff = None
        self._update_title()
        self.compute()

    def action_hide_unchanged(self) -> None:
        self.hide_unchanged = not self.hide_unchanged
        self.view.set_hide_unchanged(self.hide_unchanged)

    def action_toggle_figures(self) -> None:
        panel = self.query_one(FiguresPanel)
        panel.display = not panel.display
        self._panels()

    def action_toggle_framing(self) -> None:
        panel = self.query_one(FramingPanel)
        panel.display = not panel.display
        self._panels()

    def _panels(self) -> None:
        self.query_one("#panels").display = self.query_one(FiguresPanel).display or \
            self.query_one(FramingPanel).display

    def action_mark(self, verdict: str) -> None:
        """Mark this pair (saved at once)."""
        self.app.mark_pair(self.a.id, self.b.id, verdict or None, cluster=self.cluster)  # type: ignore[attr-defined]
        self._update_title()
