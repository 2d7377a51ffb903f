"""Rich side-by-side rendering: width, alignment of rows, colours for changes, figures and framing."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from dedup.diff.compare import compare
from dedup.render.terminal import render_terminal

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def diff():  # type: ignore[no-untyped-def]
    return compare(T003, T004, a_id="003", b_id="004")


def render(diff, width: int, **kw: bool) -> Console:  # type: ignore[no-untyped-def]
    console = Console(record=True, width=width, file=open("/dev/null", "w"), force_terminal=True,  # noqa: SIM115
                      color_system="truecolor")
    render_terminal(diff, console=console, **kw)
    return console


@pytest.mark.parametrize("width", [60, 100, 180])
def test_fits_width_and_keeps_rows_level(diff, width: int) -> None:  # type: ignore[no-untyped-def]
    text = render(diff, width).export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    k = next(i for i, line in enumerate(lines) if "Of those, 34" in line)
    assert "Of these, 34" in lines[k]
    # every table row border spans both columns: the wrapped cells end on the same line
    assert all(line.count("│") in (0, 3) for line in lines[:k + 20] if line.startswith("│"))


def test_changed_words_and_conflicts_are_coloured(diff) -> None:  # type: ignore[no-untyped-def]
    html = render(diff, 160).export_html(inline_styles=True)
    assert "downed" in html and "intercepted" in html
    # "downed" is inside a styled span (changed word), not plain text
    assert any("downed" in chunk and "color" in chunk for chunk in html.split("<span")[1:])
    a = "Officials said 38 drones were destroyed over Belgorod on October 31."
    b = "Officials said 41 drones were destroyed over Belgorod on October 31."
    c = render(compare(a, b), 120)
    out = c.export_text()
    assert "conflict" in out


def test_only_changes_folds_identical_sentences() -> None:
    d = compare(T003, T003.replace("Will this mark", "Could this mark"))
    text = render(d, 120, only_changes=True).export_text()
    assert "identical sentence(s)" in text and "Could this mark" in text
    assert "The Belgorod region bore the brunt" not in text
