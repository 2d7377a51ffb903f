"""Snapshots (pytest-textual-snapshot) of every screen at 100x30, from the sample corpus.

Regenerate after a deliberate change of the look: ``pytest tests/test_tui_snapshots.py --snapshot-update``,
then look at the SVGs in tests/__snapshots__/. Nothing shown depends on clocks or timing: the
clustering is done before the app starts and every worker has finished before the screenshot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.io.readers import read
from dedup.pipeline import cluster
from tui.app import ReviewApp
from tui.screens.cluster import ClusterScreen
from tui.screens.diff import DiffScreen

SIZE = (100, 30)


@pytest.fixture(scope="module")
def result(samples_dir: Path):  # type: ignore[no-untyped-def]
    return cluster(read(str(samples_dir))[0])


async def _until(pilot, kind: type) -> None:  # type: ignore[no-untyped-def]
    for _ in range(600):
        if isinstance(pilot.app.screen, kind):
            break
        await pilot.pause(0.05)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _steps(*keys: str, until: type | None = None):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, ClusterScreen)
        await pilot.press(*keys)
        if until is not None:
            await _until(pilot, until)
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
    return run_before


def test_clusters_screen(snap_compare, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steps("escape", "a"))


def test_cluster_screen(snap_compare, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steps())


def test_diff_screen(snap_compare, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steps("enter", until=DiffScreen))


def test_diff_screen_light_theme_framing_only(snap_compare, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"), dark=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_steps("enter", until=DiffScreen),
                        press=["f", "n"])


def test_help_screen(snap_compare, result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ReviewApp(result=result, store=str(tmp_path / "r.sqlite"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steps("question_mark"))
