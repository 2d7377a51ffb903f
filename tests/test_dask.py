"""The Dask engine on a real LocalCluster gives exactly the local engine's pairs and clusters."""

from __future__ import annotations

import time

import numpy as np
import pytest
from _nearcopies import corpus_with_copies, real_articles

distributed = pytest.importorskip("distributed")

from dedup.engines import dask_engine, get_engine, local


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs.tolist():
        a, b = find(i), find(j)
        parent[max(a, b)] = min(a, b)
    return np.array([find(i) for i in range(n)])


@pytest.fixture(scope="module")
def client(dask_client):
    return dask_client


@pytest.fixture(scope="module")
def corpus():
    texts, _ = corpus_with_copies(n_orig=150, n_copies=90, seed=23)
    # a chain of copies of copies, so components need several propagation rounds
    texts += [a["text"] for a in real_articles("wikiref220.jsonl", limit=40)]
    return texts


@pytest.mark.slow
def test_dask_pairs_equal_local(client, corpus):
    p_local, s_local = local.near_duplicate_pairs(corpus, threshold=0.5)
    p_dask, s_dask = dask_engine.near_duplicate_pairs(corpus, threshold=0.5, client=client, chunk=45)
    assert len(p_local) > 20
    np.testing.assert_array_equal(p_dask, p_local)
    np.testing.assert_array_equal(s_dask, s_local)


@pytest.mark.slow
def test_dask_components_equal_local_union_find(client, corpus):
    p_local, _ = local.near_duplicate_pairs(corpus, threshold=0.4)
    labels = dask_engine.cluster_labels(corpus, threshold=0.4, client=client, chunk=31)
    np.testing.assert_array_equal(labels, _components(len(corpus), p_local))
    assert len(set(labels.tolist())) < len(corpus)


@pytest.mark.slow
def test_get_engine_dask_with_its_own_local_cluster():
    texts, _ = corpus_with_copies(n_orig=30, n_copies=10, seed=2)
    pairs, _ = get_engine("dask").near_duplicate_pairs(texts, workers=2)
    np.testing.assert_array_equal(pairs, local.near_duplicate_pairs(texts)[0])


@pytest.mark.slow
def test_a_worker_killed_mid_run_does_not_change_the_result():
    import os
    import signal
    import threading

    texts, _ = corpus_with_copies(n_orig=200, n_copies=120, seed=31)
    texts = texts * 3  # exact copies too: many pairs, several seconds of work
    want = local.near_duplicate_pairs(texts)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        pids = c.run(os.getpid)
        out: dict = {}
        th = threading.Thread(target=lambda: out.update(r=dask_engine.near_duplicate_pairs(texts, client=c, chunk=20)))
        th.start()
        deadline = time.monotonic() + 60
        while not c.processing() or not any(c.processing().values()):  # wait until tasks are running
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.3)
        killed_mid_run = th.is_alive()
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        th.join(120)
    assert killed_mid_run, "the run finished before the kill; make the corpus bigger"
    np.testing.assert_array_equal(out["r"][0], want[0])
    np.testing.assert_array_equal(out["r"][1], want[1])
