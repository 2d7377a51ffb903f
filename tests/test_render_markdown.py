"""Markdown rendering."""

from __future__ import annotations

from pathlib import Path

from dedup.diff.compare import compare
from dedup.render.markdown import render_markdown

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")


def test_side_by_side_table_and_figures() -> None:
    md = render_markdown(compare(T003, T004, a_id="003", b_id="004"))
    rows = [line for line in md.splitlines() if line.startswith("| Of **those**, 34 were")]
    assert len(rows) == 1 and "| Of **these**, 34 were" in rows[0]
    assert "**_intercepted_**" in rows[0] and "**_downed_**" in rows[0]
    assert "## Figures" in md and "| same | 34 | 34 | drone | Belgorod |" in md
    only_b = next(line for line in md.splitlines() if "| + The figures, however" in line)
    assert "_skepticism_" in only_b  # framing marks of an only-in-B sentence


def test_pipes_and_markup_in_text_are_escaped() -> None:
    md = render_markdown(compare("Costs | rose *sharply* here.", "Costs | rose _sharply_ there."))
    row = next(line for line in md.splitlines() if "Costs" in line)
    assert row.count(" | ") == 1  # only the column separator, the text's pipes are escaped
    assert "\\|" in row and "\\*" in row and "\\_sharply\\_" in row
