"""The side-by-side diff: one scroll container of rows ``[A | B]``, so both columns scroll in step.

Each row is one aligned block (or a run of unmatched sentences paired up), built by
``dedup.render.common.rows``; the text of a side is cut into tagged runs by ``dedup.render.common.runs``
and every tag gets its own style (word changes, only-in-one, moved, figures same / in conflict, framing).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from dedup.diff.model import AlignedDiff, Block
from dedup.render.common import Row, rows, runs

#: Styles per tag, for dark and light themes (text colours readable on either background).
STYLES: dict[bool, dict[str, Style]] = {
    True: {"chg": Style(color="bright_yellow", bold=True), "del": Style(color="bright_red"),
           "ins": Style(color="bright_green"), "triv": Style(color="yellow", dim=True),
           "fig:same": Style(color="bright_cyan", underline=True),
           "fig:conflict": Style(color="white", bgcolor="red", bold=True),
           "frame": Style(color="bright_magenta", italic=True, underline=True),
           "moved": Style(color="cyan", bold=True), "search": Style(reverse=True)},
    False: {"chg": Style(color="dark_orange3", bold=True), "del": Style(color="red3"),
            "ins": Style(color="green4"), "triv": Style(color="orange3", dim=True),
            "fig:same": Style(color="blue", underline=True),
            "fig:conflict": Style(color="white", bgcolor="red3", bold=True),
            "frame": Style(color="magenta", italic=True, underline=True),
            "moved": Style(color="dark_cyan", bold=True), "search": Style(reverse=True)},
}


def tag_style(tags: frozenset[str], dark: bool) -> Style:
    """The style of a run: figures over framing over word changes."""
    table = STYLES[dark]
    style = Style()
    order = sorted(tags, key=lambda t: (t.startswith("fig:"), t.startswith("frame:"), t))
    for t in order:
        style += table.get(t, table["frame"] if t.startswith("frame:") else Style())
    return style


def cell_text(diff: AlignedDiff, block: Block | None, side: str, *, dark: bool, search: str = "") -> Text:
    """The styled text of one side of a row, with the moved marker and the framing terms listed below."""
    if block is None:
        return Text("")
    text = Text()
    table = STYLES[dark]
    if block.moved:
        text.append("⇅ moved ", style=table["moved"])
    if block.kind == "only_a":
        text.append("− ", style=table["del"])
    elif block.kind == "only_b":
        text.append("+ ", style=table["ins"])
    for chunk, tags in runs(diff, block, side, figures_win=True):
        text.append(chunk, style=tag_style(tags, dark))
    marks = sorted({f"{m.category}: {m.term}" for m in block.framing if m.side == side})
    if marks:
        text.append("\n⚑ framing " + ", ".join(marks), style=table["frame"] + Style(underline=False))
    if search:
        text.highlight_words([search], style=table["search"], case_sensitive=False)
    return text


def row_kind(row: Row) -> str:
    """``same``, ``changed``, ``moved``, ``only`` or ``skipped``: how a row differs."""
    if row.skipped:
        return "skipped"
    blk = row.a or row.b
    assert blk is not None
    if blk.moved:
        return "moved"
    if row.a is not row.b:
        return "only"
    return "same" if blk.kind == "same" else "changed"


def row_figures(diff: AlignedDiff, row: Row) -> set[str]:
    """The statuses (same, conflict, only_a, only_b) of the figures in either side of ``row``."""
    sa = set(row.a.a) if row.a else set()
    sb = set(row.b.b) if row.b else set()
    return {fp.status for fp in diff.figures
            if (fp.a is not None and fp.a.sentence in sa) or (fp.b is not None and fp.b.sentence in sb)}


class DiffRow(Horizontal):
    """One aligned row ``[A | B]`` of equal-width cells, or a placeholder for a run of identical rows."""

    def __init__(self, row: Row | None, *, kind: str, figures: set[str], skipped: int = 0) -> None:
        classes = f"diff-row -{kind}" + (" -conflict" if "conflict" in figures else "")
        super().__init__(classes=classes)
        self.row, self.kind, self.figures, self.skipped = row, kind, figures, skipped
        self.conflict = "conflict" in figures
        self._left, self._right = Text(""), Text("")

    def texts(self, diff: AlignedDiff, *, dark: bool, search: str) -> tuple[Text, Text]:
        if self.row is None:
            return Text(f"… {self.skipped} identical sentence(s) hidden (u shows them)", style="dim"), Text("")
        return (cell_text(diff, self.row.a, "a", dark=dark, search=search),
                cell_text(diff, self.row.b, "b", dark=dark, search=search))

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(self._left, classes="cell side-a")
        yield Static(self._right, classes="cell side-b")

    def restyle(self, diff: AlignedDiff, *, dark: bool, search: str) -> None:
        """Set both cells' text (before mounting, or again for a new theme or search term)."""
        self._left, self._right = self.texts(diff, dark=dark, search=search)
        if self.is_mounted:
            cells = list(self.query(Static))
            cells[0].update(self._left)
            cells[1].update(self._right)

    @property
    def plain(self) -> str:
        return self._left.plain + "\n" + self._right.plain


class DiffView(VerticalScroll):
    """The rows of an ``AlignedDiff``; a current row for n/p/N/P and search jumps.

    Rows are mounted in batches (a long diff never blocks input for long); identical rows are hidden by
    ``hide_unchanged`` (a placeholder row counts them), not rebuilt.
    """

    can_focus = True
    BATCH = 40

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff: AlignedDiff | None = None
        self.current_row: DiffRow | None = None
        self.hide_unchanged = False

    async def show(self, diff: AlignedDiff, *, hide_unchanged: bool = False, dark: bool = True,
                   search: str = "") -> None:
        """Replace the rows with those of ``diff``."""
        import asyncio

        self.diff, self.current_row = diff, None
        await self.remove_children()
        widgets: list[DiffRow] = []
        run: list[DiffRow] = []

        def close_run() -> None:
            if run:
                widgets.append(DiffRow(None, kind="skipped", figures=set(), skipped=len(run)))
                widgets.extend(run)
                run.clear()

        for row in rows(diff, separate_unmatched=True):
            w = DiffRow(row, kind=row_kind(row), figures=row_figures(diff, row))
            w.restyle(diff, dark=dark, search=search)
            if w.kind == "same":
                run.append(w)
                continue
            close_run()
            widgets.append(w)
        close_run()
        for w in widgets:
            if w.kind == "skipped":
                w.restyle(diff, dark=dark, search=search)
        self.set_hide_unchanged(hide_unchanged, widgets)
        for k in range(0, len(widgets), self.BATCH):
            await self.mount_all(widgets[k:k + self.BATCH])
            await asyncio.sleep(0)
        self.scroll_home(animate=False)

    def restyle(self, *, dark: bool, search: str) -> None:
        """Restyle every row in place (theme or search term changed)."""
        if self.diff is not None:
            for w in self.query(DiffRow):
                w.restyle(self.diff, dark=dark, search=search)

    def set_hide_unchanged(self, hide: bool, widgets: list[DiffRow] | None = None) -> None:
        """Hide (or show) identical rows; a placeholder row stands for each hidden run."""
        self.hide_unchanged = hide
        for w in widgets if widgets is not None else self.query(DiffRow):
            if w.kind == "same":
                w.display = not hide
            elif w.kind == "skipped":
                w.display = hide
        if self.current_row is not None and not self.current_row.display:
            self.current_row.remove_class("-current")
            self.current_row = None

    @property
    def diff_rows(self) -> list[DiffRow]:
        """The rows shown (hidden identical rows left out)."""
        return [w for w in self.query(DiffRow) if w.display]

    @property
    def current(self) -> int:
        """Index of the current row among :attr:`diff_rows` (-1: none)."""
        if self.current_row is None:
            return -1
        try:
            return self.diff_rows.index(self.current_row)
        except ValueError:
            return -1

    @current.setter
    def current(self, k: int) -> None:
        if k < 0:
            if self.current_row is not None:
                self.current_row.remove_class("-current")
            self.current_row = None
        else:
            self.select(k)

    def _jump(self, step: int, want) -> bool:  # type: ignore[no-untyped-def]
        rows_ = self.diff_rows
        k = self.current + step
        while 0 <= k < len(rows_):
            if want(rows_[k]):
                self.select(k)
                return True
            k += step
        return False

    def select(self, k: int) -> None:
        """Make row ``k`` of :attr:`diff_rows` the current one and scroll it into view (at the top)."""
        rows_ = self.diff_rows
        if not 0 <= k < len(rows_):
            return
        if self.current_row is not None:
            self.current_row.remove_class("-current")
        self.current_row = rows_[k]
        self.current_row.add_class("-current")
        self.scroll_to_widget(self.current_row, animate=False, top=True)
        # once more after the next layout (rows restyled or shown just now may change height)
        self.call_after_refresh(self.scroll_to_widget, self.current_row, animate=False, top=True)

    def first_shared(self) -> int | None:
        """The first aligned row sharing a figure (where the two stories meet), else the first aligned row."""
        rows_ = self.diff_rows
        aligned = [k for k, r in enumerate(rows_) if r.kind in ("same", "changed", "moved")]
        shared = [k for k in aligned if rows_[k].figures & {"same", "conflict"}]
        return (shared or aligned or [-1])[0] if (shared or aligned) else None

    def next_difference(self, step: int = 1) -> bool:
        """Jump to the next (``step=-1``: previous) row that is not identical."""
        return self._jump(step, lambda r: r.kind not in ("same", "skipped"))

    def next_conflict(self, step: int = 1) -> bool:
        """Jump to the next (``step=-1``: previous) row holding a figure in conflict."""
        return self._jump(step, lambda r: r.conflict)

    def next_match(self, term: str, step: int = 1) -> bool:
        """Jump to the next row whose A or B text contains ``term`` (case-insensitive), wrapping around."""
        t = term.casefold()
        rows_ = self.diff_rows
        n = len(rows_)
        for d in range(1, n + 1):
            k = (self.current + step * d) % n
            if t in rows_[k].plain.casefold():
                self.select(k)
                return True
        return False
