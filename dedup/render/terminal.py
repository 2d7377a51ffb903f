"""Side-by-side terminal rendering of an ``AlignedDiff`` with rich.

A ``rich.table.Table`` with two ratio columns fits the console width; each row is one aligned block,
so wrapped prose stays level with its counterpart. Colours: changed words yellow, only-in-A red,
only-in-B green, moved blocks marked "⇅", figures in conflict reversed red, same figures underlined
green, differing framing terms underlined magenta. A summary line, a figures table and a framing
table follow.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from dedup.diff.model import AlignedDiff
from dedup.render.common import figure_rows, rows, runs, summary_line

STYLES: dict[str, Style] = {
    "chg": Style(color="yellow", bold=True),
    "del": Style(color="red"),
    "ins": Style(color="green"),
    "triv": Style(color="yellow", dim=True),
    "fig:same": Style(underline=True, color="bright_green"),
    "fig:conflict": Style(reverse=True, color="red", bold=True),
    "fig:only_a": Style(),
    "fig:only_b": Style(),
    "frame": Style(underline=True, color="magenta"),
}


def _style(tags: frozenset[str]) -> Style:
    style = Style()
    for t in sorted(tags, key=lambda x: (x.startswith("fig:"), x)):  # figures win over changes
        style += STYLES.get(t, STYLES["frame"] if t.startswith("frame:") else Style())
    return style


def _cell(diff: AlignedDiff, block, side: str, hide_trivial: bool) -> Text:  # type: ignore[no-untyped-def]
    if block is None:
        return Text("")
    text = Text()
    if block.moved:
        text.append("⇅ ", style="bold cyan")
    if block.kind in ("only_a", "only_b"):
        text.append("− " if side == "a" else "+ ", style="bold red" if side == "a" else "bold green")
    for chunk, tags in runs(diff, block, side, hide_trivial=hide_trivial, figures_win=True):
        text.append(chunk, style=_style(tags))
    idx = block.a if side == "a" else block.b
    marks = [m for m in block.framing if m.side == side]
    if marks:
        text.append("\n  framing: " + ", ".join(sorted({f"{m.category}:{m.term}" for m in marks})),
                    style="magenta dim")
    text.append(f"  [{','.join(str(i + 1) for i in idx)}]", style="dim")
    return text


def render_terminal(diff: AlignedDiff, *, console: Console | None = None, hide_trivial: bool = False,
                    only_changes: bool = False, width: int | None = None) -> None:
    """Print ``diff`` side by side on ``console`` (default: stdout) at ``width`` columns (default: terminal)."""
    console = console or Console(width=width)
    if width:
        console.width = width
    table = Table(expand=True, show_lines=True, title=f"{diff.a_id}  ⟷  {diff.b_id}", title_style="bold")
    table.add_column(f"A: {diff.a_id}", ratio=1, overflow="fold")
    table.add_column(f"B: {diff.b_id}", ratio=1, overflow="fold")
    for row in rows(diff, only_changes=only_changes, hide_trivial=hide_trivial, separate_unmatched=True):
        if row.skipped:
            table.add_row(Text(f"… {row.skipped} identical sentence(s)", style="dim"), Text(""))
            continue
        table.add_row(_cell(diff, row.a, "a", hide_trivial), _cell(diff, row.b, "b", hide_trivial))
    figs = Table(title="Figures", expand=False, show_edge=True)
    for col in ("status", "A", "B", "counts", "where", "when"):
        figs.add_column(col, overflow="fold")
    colour = {"same": "green", "conflict": "bold red", "only_a": "red", "only_b": "green"}
    for st, fa, fb, counts, where, when in figure_rows(diff):
        figs.add_row(Text(st, style=colour[st]), fa, fb, counts, where, when)
    fr = Table(title="Framing marks by category", expand=False)
    fr.add_column("category")
    fr.add_column(f"A: {diff.a_id}", justify="right")
    fr.add_column(f"B: {diff.b_id}", justify="right")
    s = diff.summary
    for cat in sorted(set(s.framing_a) | set(s.framing_b)):
        fr.add_row(cat, str(s.framing_a.get(cat, 0)), str(s.framing_b.get(cat, 0)))
    legend = Text("legend: ")
    for tag, label in (("chg", "changed"), ("del", "only in A"), ("ins", "only in B"),
                       ("fig:same", "figure same"), ("fig:conflict", "figure conflict"), ("frame", "framing")):
        legend.append(label, style=STYLES[tag])
        legend.append("  ")
    legend.append("⇅ moved", style="bold cyan")
    console.print(Group(table, legend, Text(summary_line(diff), style="bold"), figs, fr))
