"""Faults: outputs are written atomically (a failed or killed run leaves the old file or the new one,
never a partial one), and a Dask worker killed mid-run does not change the result.

The index's kill -9 during ``add`` is covered by ``tests/test_index.py`` (not repeated here).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _nearcopies import real_articles

from dedup.cli import main
from dedup.errors import EXIT_OUTPUT

OLD = "old output, must survive\n"


def _no_temp_left(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("faults") / "corpus.jsonl"
    recs = real_articles("galaxy-wikinews-medium.jsonl")
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return p


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "json"])
@pytest.mark.parametrize("fault", ["disk-full", "killed-before-rename"])
def test_failed_write_leaves_the_old_file(tmp_path, capsys, monkeypatch, samples_dir, fmt, fault):
    from dedup.io import atomic

    out = tmp_path / f"out.{fmt}"
    out.write_text(OLD, encoding="utf-8")
    if fault == "disk-full":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

        monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    else:
        def boom(*_a, **_k):
            raise KeyboardInterrupt  # the moment a kill would land: data written, not yet renamed
        monkeypatch.setattr(atomic.os, "replace", boom)
    code = main(["cluster", str(samples_dir), "-f", fmt, "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == (EXIT_OUTPUT if fault == "disk-full" else 130), err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1 and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == OLD
    assert _no_temp_left(tmp_path)


def test_rejects_file_is_atomic_too(tmp_path, capsys, monkeypatch):
    from dedup.io import atomic

    src = tmp_path / "bad.jsonl"
    src.write_bytes(b'{"id": "a", "text": "fine text here"}\n{oops\n')
    rej = tmp_path / "rej.jsonl"
    rej.write_text(OLD, encoding="utf-8")
    monkeypatch.setattr(atomic.os, "replace", lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O error")))
    code = main(["cluster", str(src), "--skip-bad", "--rejects", str(rej), "-f", "jsonl", "-q"])
    capsys.readouterr()
    assert code == EXIT_OUTPUT and rej.read_text(encoding="utf-8") == OLD and _no_temp_left(tmp_path)


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_old_or_complete_new_file(tmp_path, corpus):
    """SIGKILL a run writing -o at staggered moments: the file is always the old one or a whole new one."""
    out = tmp_path / "out.jsonl"
    argv = [sys.executable, "-m", "dedup", "cluster", str(corpus), "--mode", "near-duplicate", "-f", "jsonl",
            "-o", str(out), "-q"]
    t0 = time.monotonic()
    subprocess.run(argv, check=True, timeout=300)
    full = out.read_bytes()
    took = time.monotonic() - t0
    n = sum(1 for _ in corpus.open(encoding="utf-8"))
    assert len(full.splitlines()) == n
    seen = {"old": 0, "new": 0}
    for k in range(8):
        out.write_text(OLD, encoding="utf-8")
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * (0.35 + 0.1 * k))  # from start-up to past the end of the run
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        data = out.read_bytes()
        assert data in (OLD.encode(), full), f"partial output after kill #{k}: {len(data)} bytes"
        seen["old" if data == OLD.encode() else "new"] += 1
        for tmp in tmp_path.glob(".out.jsonl.*.tmp"):  # a killed process cannot clean up; the next run can
            tmp.unlink()
    assert seen["old"] >= 1


@pytest.mark.slow
def test_dask_worker_killed_mid_run_does_not_change_the_result():
    """SIGKILL one of two Dask workers as soon as tasks are running: the nanny restarts it, the scheduler
    reruns its tasks, and the pairs are exactly the local engine's."""
    import threading

    distributed = pytest.importorskip("distributed")
    import numpy as np

    from dedup.engines import dask_engine, local

    texts = [r["text"] for r in real_articles("galaxy-wikinews-medium.jsonl")]
    texts += [t[: len(t) * 9 // 10] for t in texts[:200]]  # near-copies, so there are pairs to find
    want_pairs, want_scores = local.near_duplicate_pairs(texts, threshold=0.5)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") \
            as cluster, distributed.Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())
        killed: list[float] = []
        done = threading.Event()

        def killer() -> None:
            while not done.is_set():
                busy = client.run_on_scheduler(lambda dask_scheduler: sum(
                    len(ws.processing) for ws in dask_scheduler.workers.values()))
                if busy:
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append(time.monotonic())
                    return
                time.sleep(0.01)

        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        got_pairs, got_scores = dask_engine.near_duplicate_pairs(texts, threshold=0.5, client=client, chunk=20)
        done.set()
        thread.join(timeout=10)
    assert killed, "the worker was not killed while tasks were running"
    assert len(want_pairs) > 50
    np.testing.assert_array_equal(got_pairs, want_pairs)
    np.testing.assert_array_equal(got_scores, want_scores)
