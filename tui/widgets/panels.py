"""The diff screen's side panels: the legend, the figures table and the framing table."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Static

from dedup.diff.model import AlignedDiff
from dedup.render.common import figure_rows
from tui.widgets.diff_view import STYLES

LEGEND = [("chg", "words changed"), ("del", "only in A"), ("ins", "only in B"), ("moved", "⇅ moved"),
          ("fig:same", "figure same"), ("fig:conflict", "figure conflict"), ("frame", "framing")]
STATUS_LABEL = {"same": "same", "conflict": "CONFLICT", "only_a": "only A", "only_b": "only B"}


def legend_text(dark: bool) -> Text:
    """One line naming each style."""
    text = Text("legend: ", style="dim")
    for tag, label in LEGEND:
        text.append(label, style=STYLES[dark][tag])
        text.append("  ")
    return text


class Legend(Static):
    """The style legend of the diff."""

    def set_theme(self, dark: bool) -> None:
        self.update(legend_text(dark))


class FiguresPanel(DataTable):
    """Paired figures: status (same / conflict / only in one), the text on each side, what they count."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in (("figures", 8), ("A", 12), ("B", 12), ("counts", 8), ("where", 10)):
            self.add_column(label, width=width)

    def show(self, diff: AlignedDiff, *, dark: bool) -> None:
        self.clear()
        colour = {"same": STYLES[dark]["fig:same"], "conflict": STYLES[dark]["fig:conflict"],
                  "only_a": STYLES[dark]["del"], "only_b": STYLES[dark]["ins"]}
        for status, fa, fb, counts, where, _when in figure_rows(diff):
            self.add_row(Text(STATUS_LABEL[status], style=colour[status]), fa, fb, counts, where)


class FramingPanel(DataTable):
    """Framing marks per category on each side, and the terms one side uses and the other does not."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, width in (("framing", 11), ("A", 3), ("B", 3), ("terms only in A", 22), ("terms only in B", 22)):
            self.add_column(label, width=width)

    def show(self, diff: AlignedDiff, *, dark: bool) -> None:
        self.clear()
        terms: dict[tuple[str, str], set[str]] = {}
        for m in diff.framing:
            terms.setdefault((m.category, m.side), set()).add(m.term.casefold())
        fa, fb = diff.summary.framing_a, diff.summary.framing_b
        for cat in sorted(set(fa) | set(fb)):
            ta, tb = terms.get((cat, "a"), set()), terms.get((cat, "b"), set())
            self.add_row(Text(cat, style=STYLES[dark]["frame"]), str(fa.get(cat, 0)), str(fb.get(cat, 0)),
                         ", ".join(sorted(ta - tb)), ", ".join(sorted(tb - ta)))
