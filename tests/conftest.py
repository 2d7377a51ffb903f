"""Shared fixtures: paths to samples/ and the development corpora, real excerpts, and a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: ``$DEDUP_CORPORA``, else ``../shared/corpora`` beside the checkout (as CI lays it out), else /work/shared/corpora
CORPORA = Path(os.environ.get("DEDUP_CORPORA") or next(
    (p for p in (ROOT.parent / "shared" / "corpora", Path("/work/shared/corpora")) if p.is_dir()),
    Path("/work/shared/corpora")))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/_*.py helpers


def same_analysis(x, y) -> bool:
    """Two ``ArticleAnalysis`` objects hold the same values in every field (arrays: dtype, shape, values)."""
    import numpy as np

    for name in x.__slots__:
        u, v = getattr(x, name), getattr(y, name)
        if isinstance(u, np.ndarray):
            if u.dtype != v.dtype or u.shape != v.shape or not np.array_equal(u, v):
                return False
        elif u != v:
            return False
    return True


def _jsonl(name: str, limit: int) -> list[dict]:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"development corpus {path} not available")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if len(out) >= limit:
                break
    return out


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The five sample articles (``samples/*.txt``)."""
    return SAMPLES


@pytest.fixture(scope="session")
def galaxy_records() -> list[dict]:
    """The first 40 records of galaxy-wikinews.jsonl (fields id, event, title, url, text)."""
    return _jsonl("galaxy-wikinews.jsonl", 40)


@pytest.fixture(scope="session")
def wikiref_records() -> list[dict]:
    """The first 30 records of wikiref220.jsonl (fields id, label, text)."""
    return _jsonl("wikiref220.jsonl", 30)


@pytest.fixture(scope="session")
def uci_head() -> list[str]:
    """The first 21 lines (header + 20 rows) of the UCI news headlines CSV, as raw lines."""
    path = CORPORA / "uci-news-headlines.csv"
    if not path.exists():
        pytest.skip(f"development corpus {path} not available")
    with path.open(encoding="utf-8", newline="") as fh:
        return [next(fh) for _ in range(21)]


@pytest.fixture(scope="module")
def dask_client():
    """A ``distributed.Client`` of a real ``LocalCluster`` (two single-threaded worker processes), one per
    test module (skipped without Dask)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def run_dedup(*args: str, stdin: bytes | None = None, cwd: str | Path | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m dedup ARGS`` as a user would; stdout/stderr captured as text."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="160")
    env.pop("DEDUP_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "dedup", *args], input=stdin, capture_output=True, check=False,
                          cwd=cwd, env=env, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


@pytest.fixture()
def dedup_cli():
    """The :func:`run_dedup` helper."""
    return run_dedup
