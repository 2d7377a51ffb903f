"""Layout of the renderers: unmatched sentences never share a row; figures drawn by their status (issue 4)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from dedup.diff.compare import compare
from dedup.render.common import rows, runs
from dedup.render.html import render_html
from dedup.render.markdown import render_markdown
from dedup.render.terminal import render_terminal

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")
D = compare(T003, T004, a_id="003", b_id="004")
CHANGE = {"chg", "del", "ins", "triv"}


def test_rows_give_each_unmatched_sentence_its_own_row() -> None:
    shared = rows(D)
    # the original layout does put an only-in-A and an only-in-B sentence on one row on this pair
    assert any(r.a and r.b and r.a.kind == "only_a" and r.b.kind == "only_b" for r in shared)
    own = rows(D, separate_unmatched=True)
    for r in own:
        if (r.a and r.a.kind.startswith("only")) or (r.b and r.b.kind.startswith("only")):
            assert (r.a is None) != (r.b is None)
    # nothing lost or repeated, and the reading order of each side is kept
    assert [id(r.a) for r in own if r.a] == [id(b) for b in D.blocks if b.a]
    assert [id(r.b) for r in own if r.b] == [id(b) for b in D.blocks if b.b]


def test_markdown_only_in_b_row_has_an_empty_a_cell() -> None:
    md = render_markdown(D)
    for line in md.splitlines():
        if "| + " in line or line.startswith("| − "):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            assert len(cells) == 2 and (cells[0] == "") != (cells[1] == ""), line
    row = next(line for line in md.splitlines() if "+ The figures, however" in line)
    assert row.startswith("|  | + The figures")


def test_html_only_rows_pair_with_an_empty_cell() -> None:
    html = render_html(D)
    body = html.split('<table class="diff">', 1)[1].split("</table>", 1)[0]
    trs = re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)
    only = [tr for tr in trs if 'class="only_a' in tr or 'class="only_b' in tr]
    assert only
    for tr in only:
        assert tr.count('<td class="empty"></td>') == 1, tr[:200]
    skeptic = next(tr for tr in trs if "The figures, however" in tr)
    assert skeptic.startswith('<td class="empty"></td><td class="only_b')


def test_terminal_only_in_b_sentence_has_a_blank_a_column() -> None:
    console = Console(record=True, width=200, color_system=None)
    render_terminal(D, console=console)
    lines = console.export_text().splitlines()
    k = next(i for i, line in enumerate(lines) if "+ The figures, however" in line)
    a_cell = lines[k].split("│")[1]
    assert a_cell.strip() == ""


def _figure_chars_with_change(diff, block, side):  # type: ignore[no-untyped-def]
    return [chunk for chunk, tags in runs(diff, block, side, figures_win=True)
            if ("fig:same" in tags or "fig:conflict" in tags) and tags & CHANGE]


def test_same_figures_are_not_drawn_as_changes() -> None:
    matched = [b for b in D.blocks if b.a and b.b]
    assert any(f.status == "same" for f in D.figures)
    for blk in matched:
        assert not _figure_chars_with_change(D, blk, "a") and not _figure_chars_with_change(D, blk, "b")
    row = next(line for line in render_markdown(D).splitlines() if line.startswith("| Of **those**, 34"))
    assert "~~two~~" not in row and "**38**" not in row and "**34**" not in row
    # the default keeps the original tags (the TUI relies on it until it opts in)
    of_those = next(b for b in matched if "34 were intercepted" in D.sentences_a[b.a[0]].text)
    assert any("fig:same" in t and t & CHANGE for _, t in runs(D, of_those, "a"))


def test_conflicting_figure_is_styled_as_conflict_not_as_change() -> None:
    d = compare("Officials said 38 drones were downed over Belgorod on Monday, a record.",
                "A spokesman confirmed that 40 drones were shot down over Belgorod on Monday.")
    assert [f.status for f in d.figures].count("conflict") == 1
    blk = next(b for b in d.blocks if b.a and b.b)
    assert not _figure_chars_with_change(d, blk, "a") and not _figure_chars_with_change(d, blk, "b")
    md = render_markdown(d)
    assert "⚠38" in md and "⚠40" in md and "**⚠40**" not in md and "**40**" not in md
    html = render_html(d)
    assert '<span class="fig-conflict">40</span>' in html and '<span class="fig-conflict">38</span>' in html
