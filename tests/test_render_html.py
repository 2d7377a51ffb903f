"""HTML export: self-contained, side by side, and rendered by a real (headless) browser."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from dedup.diff.compare import compare
from dedup.render.html import render_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
T003 = (SAMPLES / "003_9d6c7fdfd1e655bd.txt").read_text(encoding="utf-8")
T004 = (SAMPLES / "004_1363d7abf5fa0263.txt").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "scripts"))
from screenshot_html import find_browser


def test_self_contained_side_by_side() -> None:
    html = render_html(compare(T003, T004, a_id="003", b_id="004"))
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html
    row = next(r for r in html.split("<tr>") if "Of those, 34" in re.sub(r"<[^>]+>", "", r))
    assert row.count("<td") == 2 and "Of these, 34 were downed" in re.sub(r"<[^>]+>", "", row)
    assert re.search(r'<span class="chg frame"[^>]*>downed</span>', row)
    assert 'class="same"' in html  # figures table row
    assert "legend" in html


def test_text_is_escaped() -> None:
    html = render_html(compare("A <b>bold</b> claim & more.", "A <i>bold</i> claim & more."))
    assert "<b>" not in html and "<i>" not in html and "&lt;" in html


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.slow
@pytest.mark.skipif(find_browser() is None, reason="no chromium installed")
def test_headless_chromium_screenshot_is_not_blank(tmp_path: Path) -> None:
    page = tmp_path / "diff.html"
    png = tmp_path / "diff.png"
    r = subprocess.run([sys.executable, "-m", "dedup", "diff", str(SAMPLES / "003_9d6c7fdfd1e655bd.txt"),
                        str(SAMPLES / "004_1363d7abf5fa0263.txt"), "-f", "html", "-o", str(page)],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshot_html.py"), str(page), str(png),
                        "--width", "1400", "--height", "1000"], check=False, capture_output=True,
                       text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    width, height, raw = _png_pixels(png)
    assert (width, height) == (1400, 1000)
    assert len(set(raw)) > 50  # text, colours and borders, not a blank page
