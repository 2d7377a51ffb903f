"""Markdown rendering of an ``AlignedDiff``: a side-by-side table, the summary, figures and framing.

Inside the table, words only in A are ``~~struck~~``, words only in B or changed are ``**bold**``,
figures in conflict are marked ``⚠``, differing framing terms are ``_italic_``; a moved block starts
with "⇅", an unmatched sentence with "−" (only in A) or "+" (only in B).
"""

from __future__ import annotations

from dedup.diff.model import AlignedDiff, Block
from dedup.render.common import figure_rows, rows, runs, summary_line


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("~", "\\~") \
        .replace("_", "\\_").replace("\n", " ")


def _cell(diff: AlignedDiff, block: Block | None, side: str, hide_trivial: bool) -> str:
    if block is None:
        return ""
    out = []
    if block.moved:
        out.append("⇅ ")
    whole = block.kind in ("only_a", "only_b")  # the prefix says it all: no strike-through of a sentence
    if whole:
        out.append("− " if side == "a" else "+ ")
    for chunk, tags in runs(diff, block, side, hide_trivial=hide_trivial, figures_win=True):
        if whole:
            tags = tags - {"del", "ins"}
        piece = _esc(chunk)
        core = piece.strip()
        if core:
            lead, trail = piece[:len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
            if any(t.startswith("frame:") for t in tags):
                core = f"_{core}_"
            if "chg" in tags or "ins" in tags or "triv" in tags:
                core = f"**{core}**"
            elif "del" in tags:
                core = f"~~{core}~~"
            if "fig:conflict" in tags:
                core = f"⚠{core}"
            piece = lead + core + trail
        out.append(piece)
    return "".join(out)


def render_markdown(diff: AlignedDiff, *, hide_trivial: bool = False, only_changes: bool = False) -> str:
    """The diff as a Markdown document (GitHub-flavoured tables)."""
    lines = [f"# {_esc(diff.a_id)} ⟷ {_esc(diff.b_id)}", "", summary_line(diff), "",
             f"| A: {_esc(diff.a_id)} | B: {_esc(diff.b_id)} |", "| --- | --- |"]
    for row in rows(diff, only_changes=only_changes, hide_trivial=hide_trivial, separate_unmatched=True):
        if row.skipped:
            lines.append(f"| … {row.skipped} identical sentence(s) | |")
            continue
        lines.append(f"| {_cell(diff, row.a, 'a', hide_trivial)} | {_cell(diff, row.b, 'b', hide_trivial)} |")
    lines += ["", "## Figures", "", "| status | A | B | counts | where | when |", "| --- | --- | --- | --- | --- | --- |"]
    for r in figure_rows(diff):
        lines.append("| " + " | ".join(_esc(x) for x in r) + " |")
    s = diff.summary
    lines += ["", "## Framing marks by category", "", "| category | A | B |", "| --- | ---: | ---: |"]
    for cat in sorted(set(s.framing_a) | set(s.framing_b)):
        lines.append(f"| {cat} | {s.framing_a.get(cat, 0)} | {s.framing_b.get(cat, 0)} |")
    differing = sorted({(m.side, m.category, m.term) for b in diff.blocks if b.a and b.b for m in b.framing})
    if differing:
        lines += ["", "Framing that differs inside matched sentences: "
                  + ", ".join(f"{side.upper()} {cat}: _{_esc(term)}_" for side, cat, term in differing)]
    lines += ["", ("Legend: **bold** changed or only in B · ~~struck~~ only in A · _italic_ framing differs · "
                   "⚠ figure in conflict · ⇅ moved · − only in A · + only in B"), ""]
    return "\n".join(lines)
