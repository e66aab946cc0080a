"""Executors: Dask gives the same results as in process; unusable setups are rejected."""

from __future__ import annotations

import re
import sys

import pytest

from symequiv.errors import InputError, MissingDependencyError
from symequiv.search.executors import (
    DaskExecutor,
    ProcessPool,
    SerialExecutor,
    make_executor,
)
from symequiv.search.runner import run_search
from tests.search.templates import GELU_PAIR, template
from tests.search.test_runner import comparable


def test_make_executor_choices():
    assert isinstance(make_executor(1), SerialExecutor)
    pool = make_executor(2)
    try:
        assert isinstance(pool, ProcessPool)
        assert pool.workers == 2
    finally:
        pool.close()


def test_zero_workers_rejected():
    with pytest.raises(InputError, match=re.escape("--workers: expected at least 1 worker, "
                                                   "got 0")):
        ProcessPool(0)


def test_missing_dask_reported(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)

    with pytest.raises(MissingDependencyError, match=re.escape(
            "searching on a Dask cluster needs the optional package 'dask[distributed]'; "
            "install it with: pip install 'symequiv[dask]'")):
        DaskExecutor()


def _distributed():
    try:
        import distributed
    except ImportError:
        pytest.skip("dask.distributed is not installed (the dask extra)")
    return distributed


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(tmp_path):
    _distributed()
    family = template(GELU_PAIR, strategy="random", budget=300, seed=2, stop_after=0)
    serial = run_search(family, SerialExecutor(), out_dir=tmp_path / "serial")
    executor = DaskExecutor(workers=2)
    try:
        distributed = run_search(family, executor, out_dir=tmp_path / "dask")
        addresses = executor.addresses
    finally:
        executor.close()

    assert comparable(distributed, family) == comparable(serial, family)
    assert distributed.executor == "Dask LocalCluster on 127.0.0.1, 2 workers"
    assert all(address.startswith("tcp://127.0.0.1:") for address in addresses)


@pytest.mark.slow
def test_dask_scheduler_address_gives_identical_results(tmp_path):
    distributed = _distributed()
    family = template(GELU_PAIR, question="not_layerwise", stop_after=2)
    serial = run_search(family, SerialExecutor(), out_dir=tmp_path / "serial")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                                       scheduler_port=0, dashboard_address="127.0.0.1:0")
    try:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            remote = run_search(family, executor, out_dir=tmp_path / "dask")
        finally:
            executor.close()
    finally:
        cluster.close()

    assert comparable(remote, family) == comparable(serial, family)
    assert remote.executor.startswith("Dask scheduler tcp://127.0.0.1:")


def test_unreachable_scheduler_rejected():
    _distributed()

    with pytest.raises(InputError, match=re.escape(
            "--dask: cannot connect to the Dask scheduler at 'tcp://127.0.0.1:9': ")) as caught:
        DaskExecutor("tcp://127.0.0.1:9", timeout="1s")

    assert str(caught.value).endswith("; check the address and that the scheduler runs")
