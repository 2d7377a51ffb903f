"""Self-contained HTML rendering of an ``AlignedDiff``: one file, inline CSS, no scripts or fetches.

Side by side in a two-column table (one row per aligned block, so both sides stay level), with
colours for changed / only-in-A / only-in-B words, figures (same, conflict), framing terms that differ
(dotted underline, the category in a tooltip), moved blocks; a summary, a legend and a figures table.
"""

from __future__ import annotations

from html import escape

from dedup.diff.model import AlignedDiff, Block
from dedup.render.common import figure_rows, rows, runs, summary_line

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
.summary{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0}
table.diff{width:100%;border-collapse:collapse;table-layout:fixed}
table.diff th{background:#f6f8fa;text-align:left;padding:6px 10px;border:1px solid #d0d7de}
table.diff td{vertical-align:top;padding:6px 10px;border:1px solid #d0d7de;width:50%}
td.only_a{background:#ffebe9} td.only_b{background:#e6ffec} td.empty{background:#f6f8fa}
td.moved{box-shadow:inset 4px 0 0 #0969da}
.n{color:#8c959f;font-size:12px;margin-right:6px}
.chg{background:#fff8c5;font-weight:600} .del{background:#ffcecb;text-decoration:line-through}
.ins{background:#abf2bc} .triv{color:#8c959f}
td.only_a .del,td.only_b .ins{background:none;text-decoration:none}
.fig-same{border-bottom:2px solid #1a7f37} .fig-conflict{background:#cf222e;color:#fff;border-radius:3px;padding:0 2px}
.frame{text-decoration:underline dotted #8250df 2px;text-underline-offset:3px}
.badge{display:inline-block;font-size:11px;border-radius:8px;padding:0 6px;margin-right:4px;color:#fff}
.b-moved{background:#0969da} .b-only_a{background:#cf222e} .b-only_b{background:#1a7f37}
.marks{display:block;color:#8250df;font-size:12px}
table.figs{border-collapse:collapse} table.figs td,table.figs th{border:1px solid #d0d7de;padding:3px 8px}
tr.conflict td{background:#ffebe9} tr.same td{background:#e6ffec}
.legend span{margin-right:14px}
"""


def _cls(tags: frozenset[str]) -> tuple[str, str]:
    cls = sorted(t.replace("fig:", "fig-") for t in tags if not t.startswith("frame:"))
    frames = sorted(t.split(":", 1)[1] for t in tags if t.startswith("frame:"))
    if frames:
        cls.append("frame")
    return " ".join(cls), ", ".join(frames)


def _cell(diff: AlignedDiff, block: Block | None, side: str, hide_trivial: bool) -> str:
    if block is None:
        return '<td class="empty"></td>'
    kinds = [block.kind if block.kind.startswith("only") else ""] + (["moved"] if block.moved else [])
    parts = []
    if block.moved:
        parts.append('<span class="badge b-moved">moved</span>')
    if block.kind.startswith("only"):
        parts.append(f'<span class="badge b-{block.kind}">only in {block.kind[-1].upper()}</span>')
    idx = block.a if side == "a" else block.b
    parts.append(f'<span class="n">{",".join(str(i + 1) for i in idx)}</span>')
    for chunk, tags in runs(diff, block, side, hide_trivial=hide_trivial, figures_win=True):
        cls, title = _cls(tags)
        if cls:
            t = f' title="framing: {escape(title)}"' if title else ""
            parts.append(f'<span class="{cls}"{t}>{escape(chunk)}</span>')
        else:
            parts.append(escape(chunk))
    marks = sorted({f"{m.category}: {m.term}" for m in block.framing if m.side == side})
    if marks:
        parts.append(f'<span class="marks">framing · {escape("; ".join(marks))}</span>')
    return f'<td class="{" ".join(k for k in kinds if k)}">{"".join(parts)}</td>'


def render_html(diff: AlignedDiff, *, hide_trivial: bool = False, only_changes: bool = False) -> str:
    """The diff as one self-contained HTML document."""
    a, b = escape(diff.a_id), escape(diff.b_id)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>dedup diff: {a} vs {b}</title>", f"<style>{CSS}</style></head><body>",
           f"<h1>{a} ⟷ {b}</h1>", f'<div class="summary">{escape(summary_line(diff))}</div>',
           ('<div class="legend"><span class="chg">changed</span><span class="del">only in A</span>'
            '<span class="ins">only in B</span><span class="fig-same">figure same</span>'
            '<span class="fig-conflict">figure conflict</span><span class="frame">framing differs</span>'
            '<span class="badge b-moved">moved</span></div>'),
           f'<table class="diff"><thead><tr><th>A: {a}</th><th>B: {b}</th></tr></thead><tbody>']
    for row in rows(diff, only_changes=only_changes, hide_trivial=hide_trivial, separate_unmatched=True):
        if row.skipped:
            out.append(f'<tr><td colspan="2" class="empty">… {row.skipped} identical sentence(s)</td></tr>')
            continue
        out.append("<tr>" + _cell(diff, row.a, "a", hide_trivial) + _cell(diff, row.b, "b", hide_trivial) + "</tr>")
    out.append("</tbody></table><h2>Figures</h2><table class=\"figs\"><tr><th>status</th><th>A</th><th>B</th>"
               "<th>counts</th><th>where</th><th>when</th></tr>")
    for r in figure_rows(diff):
        out.append(f'<tr class="{r[0]}">' + "".join(f"<td>{escape(x)}</td>" for x in r) + "</tr>")
    s = diff.summary
    out.append(f"</table><h2>Framing marks by category</h2><table class=\"figs\"><tr><th>category</th>"
               f"<th>A: {a}</th><th>B: {b}</th></tr>")
    for cat in sorted(set(s.framing_a) | set(s.framing_b)):
        out.append(f"<tr><td>{escape(cat)}</td><td>{s.framing_a.get(cat, 0)}</td><td>{s.framing_b.get(cat, 0)}</td></tr>")
    out.append("</table></body></html>\n")
    return "\n".join(out)
