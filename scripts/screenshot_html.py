#!/usr/bin/env python3
"""Render an HTML file (e.g. a `dedup diff -f html` export) to a PNG with headless Chromium.

    python scripts/screenshot_html.py diff.html out.png [--width 1400 --height 1000]

Exit 0 when the PNG was written, 2 when no Chromium is installed (apt-get install -y chromium), 1 on failure.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """Path of the first Chromium-like browser on PATH, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(html: Path, png: Path, *, width: int = 1400, height: int = 1000, timeout: float = 120.0) -> None:
    """Write ``png``, a ``width`` x ``height`` screenshot of ``html`` rendered by headless Chromium."""
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("no chromium on PATH")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", f"--screenshot={png.resolve()}",
               f"--window-size={width},{height}", html.resolve().as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    if not png.exists() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot to {png}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args(argv)
    try:
        screenshot(args.html, args.png, width=args.width, height=args.height)
    except FileNotFoundError as exc:
        print(f"screenshot_html: {exc}", file=sys.stderr)
        return 2
    except (subprocess.SubprocessError, RuntimeError) as exc:
        print(f"screenshot_html: {exc}", file=sys.stderr)
        return 1
    print(args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
