"""Progress protocol: the engine callback adapter, and the CLI's choice of bar (off when not a terminal)."""

from __future__ import annotations

import argparse

import dedup
from dedup.cli.common import progress_for
from dedup.progress import NullProgress, stage_callback


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, task: str, total: int) -> None:
        self.events.append(("start", task, total))

    def advance(self, task: str, n: int = 1) -> None:
        self.events.append(("advance", task, n))

    def done(self) -> None:
        self.events.append(("done",))


def test_stage_callback_turns_cumulative_counts_into_advances():
    rec = Recorder()
    cb = stage_callback(rec)
    cb("signatures", 2000, 4500)
    cb("signatures", 4500, 4500)
    cb("verify", 10, 10)
    assert rec.events == [("start", "signatures", 4500), ("advance", "signatures", 2000),
                          ("advance", "signatures", 2500), ("start", "verify", 10), ("advance", "verify", 10)]
    assert stage_callback(None) is None and stage_callback(NullProgress()) is None


def test_pipeline_reports_progress_and_finishes(samples_dir):
    arts, _ = dedup.read(samples_dir)
    rec = Recorder()
    dedup.cluster(arts, mode="near-duplicate", progress=rec)
    starts = [e for e in rec.events if e[0] == "start"]
    assert ("start", "signatures", len(arts)) in starts and rec.events[-1] == ("done",)
    total = sum(e[2] for e in rec.events if e[0] == "advance" and e[1] == "signatures")
    assert total == len(arts)


def test_progress_is_off_when_quiet_or_not_a_terminal():
    # under pytest stderr is captured, so not a terminal
    assert isinstance(progress_for(argparse.Namespace(quiet=False)), NullProgress)
    assert isinstance(progress_for(argparse.Namespace(quiet=True)), NullProgress)
