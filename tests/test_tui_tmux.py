"""The app in a real terminal: scripts/tui_tmux.sh runs ``dedup review samples/`` in tmux (100x30),
sends keys and captures the screen; the test reads the captures and the review file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.review import load_decisions

ROOT = Path(__file__).resolve().parent.parent
A, B = "003_9d6c7fdfd1e655bd.txt", "004_1363d7abf5fa0263.txt"


def dedup_command(tmp_path: Path) -> Path:
    """The ``dedup`` console script beside this Python, or a wrapper running ``python -m dedup``."""
    script = Path(sys.executable).with_name("dedup")
    if script.exists():
        return script
    wrapper = tmp_path / "dedup"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dedup "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def side_by_side(screen: str) -> list[tuple[str, str]]:
    """The diff rows of a captured screen as (left text, right text), wrapped lines joined."""
    rows: list[tuple[str, str]] = []
    left: list[str] = []
    right: list[str] = []
    for line in screen.splitlines():
        if "│" in line:
            a, _, b = line.partition("│")
            left.append(a.strip("█ ").strip())
            right.append(b.strip())
        elif set(line.strip()) <= set("─└┘▃▆▇ ") and (left or right):
            rows.append((" ".join(left), " ".join(right)))
            left, right = [], []
    return rows


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_review_samples_in_tmux(tmp_path: Path) -> None:
    dedup = dedup_command(tmp_path)
    store = tmp_path / "review.sqlite"
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "tui_tmux.sh"), str(tmp_path / "screens"), "samples/",
                           "--decisions", str(store)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
                          env={"PATH": "/usr/bin:/bin", "DEDUP": str(dedup), "HOME": str(tmp_path)})
    screens = {p.stem: p.read_text() for p in (tmp_path / "screens").glob("*.txt")}
    assert proc.returncode == 0, (proc.stderr, screens)
    # opens on the cluster of 003 and 004, the representative marked A
    cluster = screens["1-cluster"]
    assert A in cluster and B in cluster and re.search(r"A rep\s+003_", cluster)
    # the diff: the October 31 report side by side (one row holds both versions), its figures the same
    diff = screens["2-diff"]
    rows = side_by_side(diff)
    assert any("38 Ukrainian drones" in left and "October 31" in left
               and "38 Ukrainian drone aircraft" in right and "October 31st" in right for left, right in rows)
    assert re.search(r"same\s+38\s+38", diff) and re.search(r"same\s+34\s+34", diff)
    # 004's skepticism sentence, found by search, carries its framing marks
    found = " ".join(right for _, right in side_by_side(screens["3-search"]))
    assert "skepticism" in screens["3-search"] and re.search(r"hedge:\s+skepticism", found)
    assert "reviewed: duplicate" in screens["4-marked"]
    assert "EXITED 0" in screens["5-exit"]
    assert [(d.a, d.b, d.verdict) for d in load_decisions(store)] == [(A, B, "duplicate")]


_SESSIONS = __import__("itertools").count()


class Tmux:
    """A tmux session (100x30, on a private server) running one command; ``wait(text)`` captures the pane until text shows."""

    def __init__(self, command: str) -> None:
        self.name = f"dedup-test-{os.getpid()}-{next(_SESSIONS)}"
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
        subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", "new-session", "-d", "-s", self.name,
                        "-x", "100", "-y", "30", f"{command}; echo EXITED $?; sleep 30"],
                       check=True, cwd=ROOT, env=env)

    def wait(self, text: str, timeout: float = 60, *, pattern: bool = False) -> str:
        import time

        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = subprocess.run(["tmux", "-L", self.name, "capture-pane", "-p", "-t", self.name], capture_output=True,
                                    text=True, check=True).stdout
            joined = " ".join(screen.split())  # wrapped lines joined (the width may differ)
            if (re.search(text, joined) if pattern else text in joined):
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never showed; screen:\n{screen}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.name, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], check=False, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_two_text_files_open_straight_on_their_diff_and_saved_clusters_reopen(tmp_path: Path) -> None:
    import shlex

    dedup = shlex.quote(str(dedup_command(tmp_path)))
    store = shlex.quote(str(tmp_path / "r.sqlite"))
    t = Tmux(f"{dedup} review samples/{A} samples/{B} --decisions {store}")
    try:
        screen = t.wait(r"same 38 38", pattern=True)
        assert f"A: {A}" in screen and f"B: {B}" in screen and re.search(r"same\s+38\s+38", screen)
        t.keys("x")
        t.wait("reviewed: different")
        t.keys("q")
        t.wait("EXITED 0")
    finally:
        t.close()
    clusters = tmp_path / "clusters.jsonl"
    proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", "samples/", "-f", "jsonl", "-o", str(clusters),
                           "-q"], cwd=ROOT, check=False)
    assert proc.returncode == 0
    t = Tmux(f"{dedup} review samples/ --clusters {shlex.quote(str(clusters))} --decisions {store}")
    try:
        screen = t.wait("score with A")  # opens on the saved cluster, the earlier verdict shown
        assert re.search(r"004_1363d7abf5fa0263\.txt.*different", screen), screen
        t.keys("q")
        t.wait("EXITED 0")
    finally:
        t.close()
