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
    for chunk, tags in runs(diff, block, side):
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
    """One aligned row: ``[A | B]`` cells of equal width."""

    def __init__(self, left: Text, right: Text, *, kind: str, figures: set[str], index: int) -> None:
        classes = f"diff-row -{kind}" + (" -conflict" if "conflict" in figures else "")
        super().__init__(classes=classes)
        self.kind = kind
        self.figures = figures
        self.conflict = "conflict" in figures
        self.index = index
        self._left, self._right = left, right

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(self._left, classes="cell side-a")
        yield Static(self._right, classes="cell side-b")

    @property
    def plain(self) -> str:
        return self._left.plain + "\n" + self._right.plain


class DiffView(VerticalScroll):
    """The rows of an ``AlignedDiff``; a current row for n/p/N/P and search jumps."""

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.diff: AlignedDiff | None = None
        self.current = -1
        self.search = ""

    async def show(self, diff: AlignedDiff, *, hide_unchanged: bool = False, dark: bool = True,
                   search: str = "") -> None:
        """Replace the rows with those of ``diff`` (``hide_unchanged`` folds identical sentences)."""
        self.diff, self.search, self.current = diff, search, -1
        await self.remove_children()
        widgets = []
        for k, row in enumerate(rows(diff, only_changes=hide_unchanged)):
            if row.skipped:
                widgets.append(DiffRow(Text(f"… {row.skipped} identical sentence(s) hidden (u shows them)",
                                            style="dim"), Text(""), kind="skipped", figures=set(), index=k))
                continue
            widgets.append(DiffRow(cell_text(diff, row.a, "a", dark=dark, search=search),
                                   cell_text(diff, row.b, "b", dark=dark, search=search),
                                   kind=row_kind(row), figures=row_figures(diff, row), index=k))
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    @property
    def diff_rows(self) -> list[DiffRow]:
        return list(self.query(DiffRow))

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
        """Make row ``k`` the current one and scroll it into view (at the top)."""
        rows_ = self.diff_rows
        for r in rows_:
            r.remove_class("-current")
        self.current = k
        rows_[k].add_class("-current")
        self.scroll_to_widget(rows_[k], animate=False, top=True)

    def first_shared(self) -> int | None:
        """The first aligned row sharing a figure (where the two stories meet), else the first aligned row."""
        rows_ = self.diff_rows
        aligned = [k for k, r in enumerate(rows_) if r.kind in ("same", "changed", "moved")]
        shared = [k for k in aligned if rows_[k].figures & {"same", "conflict"}]
        return (shared or aligned or [None])[0]

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
