r"""Executors that evaluate candidates: in process, on a local process pool, or on a Dask cluster.

Every executor runs the same two task functions, :func:`evaluate_chunk` and
:func:`minimize_counterexample`, on a :class:`SearchJob` that carries the
template's text, so workers rebuild the template themselves and results depend
only on the job and the candidates. The coordinator
(:mod:`symequiv.search.runner`) enumerates candidates and merges results in
order, so every executor gives the same result for the same seed.

A :class:`DaskExecutor` either starts a ``distributed.LocalCluster`` for the
run, listening on the loopback interface only, or connects to a scheduler
address given by the user. The workers of such a scheduler need symequiv
installed.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import os
import signal
import sys
from dataclasses import dataclass

from symequiv.errors import InputError, MissingDependencyError
from symequiv.search.questions import CandidateEvaluator

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
DASK_CONNECT_TIMEOUT = "10s"


@dataclass(frozen=True)
class SearchJob:
    """The data a worker needs to rebuild a template with its settings.

    Attributes
    ----------
    text : str
        The template file's TOML text.
    source : str
        Its name in messages.
    overrides : tuple
        ``(question, strategy, budget, seed, stop_after)`` values (None keeps the file's).
    """

    text: str
    source: str
    overrides: tuple

    @classmethod
    def for_template(cls, template):
        settings = template.settings
        overrides = (settings.question.value, settings.strategy.value, settings.budget,
                     settings.seed, settings.stop_after)
        return cls(template.text, template.source or "<string>", overrides)

    def template(self):
        from symequiv.search.template import Template

        template = Template.from_text(self.text, self.source)
        return template.with_settings(template.settings.overridden(*self.overrides))


# Worker processes keep the evaluator of the job they are serving, so that the
# template is parsed once per process rather than once per chunk.
@functools.lru_cache(maxsize=4)
def _evaluator(job):
    return CandidateEvaluator(job.template())


def evaluate_chunk(job, chunk_index, candidates):
    """Evaluate one chunk; returns ``(chunk_index, ((index, kind, label), ...))``."""
    evaluator = _evaluator(job)
    outcomes = []
    for index, values in candidates:
        outcome = evaluator.evaluate(values)
        outcomes.append((index, outcome.kind.value, outcome.label))
    return chunk_index, tuple(outcomes)


def minimize_counterexample(job, index, values):
    """Minimize one counterexample; returns ``(index, Minimized)``."""
    from symequiv.search.minimize import minimize

    return index, minimize(_evaluator(job), values)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
MAX_WORKERS_PER_CPU = 4


def _initialize_worker(parent_pid):
    """Prepare a pool worker: ignore Ctrl-C and exit when the coordinator dies.

    Ctrl-C reaches every process of the terminal's process group. The coordinator
    handles it and stops the pool, so workers need not print tracebacks. A forked
    worker inherits the coordinator's SIGTERM handler, which would turn SIGTERM
    into an exception inside a task, so the default action (exit) is restored.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _exit_with_parent(parent_pid)


def _exit_with_parent(parent_pid):
    """Ask Linux to send SIGKILL to this process when its parent dies, even by ``kill -9``.

    Without it, workers of a killed coordinator are re-parented to init and wait
    for tasks forever. The signal follows the thread that started the worker, and
    the pool starts its workers from the coordinator's main thread.
    """
    if not sys.platform.startswith("linux"):
        # NOTE: on other systems, workers of a coordinator killed by SIGKILL keep running.
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        logger.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
        return
    if os.getppid() != parent_pid:
        # The parent died before prctl took effect, so no signal will come.
        os._exit(1)


def available_cpus():
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class SerialExecutor:
    """Evaluate in the calling process, one task at a time."""

    workers = 1
    description = "in process, 1 worker"

    def share(self, job):
        return job

    def submit(self, function, *arguments):
        future = concurrent.futures.Future()
        future.set_result(function(*arguments))
        return future

    def wait_any(self, futures):
        return set(futures)

    def close(self, terminate=False):
        pass


class ProcessPool:
    """A local pool of worker processes (``concurrent.futures``)."""

    def __init__(self, workers):
        if workers < 1:
            raise InputError(f"expected at least 1 worker, got {workers}", key="--workers",
                             value=workers)
        self.workers = workers
        self.description = f"local process pool, {workers} workers"
        self._pool = concurrent.futures.ProcessPoolExecutor(
            workers, initializer=_initialize_worker, initargs=(os.getpid(),))

    def share(self, job):
        return job

    def submit(self, function, *arguments):
        return self._pool.submit(function, *arguments)

    def wait_any(self, futures):
        done, _ = concurrent.futures.wait(futures,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def close(self, terminate=False):
        """Shut the pool down; ``terminate`` stops running tasks instead of awaiting them."""
        if terminate:
            # NOTE: concurrent.futures before Python 3.14 has no public way to stop
            # busy workers, so this reads the pool's private process table.
            for process in list((self._pool._processes or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """A Dask cluster: a ``LocalCluster`` started on loopback, or a scheduler at ``address``.

    Parameters
    ----------
    address : str, optional
        A scheduler such as ``tcp://127.0.0.1:8786``; None starts a local cluster.
    workers : int
        Worker processes of the local cluster (one thread each).
    timeout : str
        How long to try reaching the scheduler at ``address``.

    Raises
    ------
    MissingDependencyError
        When ``dask.distributed`` is not installed.
    InputError
        When the scheduler cannot be reached.
    """

    def __init__(self, address=None, workers=2, timeout=DASK_CONNECT_TIMEOUT):
        try:
            import distributed
        except ImportError:
            raise MissingDependencyError("dask[distributed]", "dask",
                                         "searching on a Dask cluster") from None
        self._distributed = distributed
        self._cluster = None
        if address is None:
            if workers < 1:
                raise InputError(f"expected at least 1 worker, got {workers}",
                                 key="--workers", value=workers)
            # The scheduler, the workers and their HTTP endpoints all bind to loopback;
            # port 0 lets the system pick free ports, and no dashboard is served.
            self._cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                scheduler_port=0, dashboard_address=f"{LOOPBACK}:0",
                scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR)
            self._client = distributed.Client(self._cluster)
            self.description = f"Dask LocalCluster on {LOOPBACK}, {workers} workers"
        else:
            try:
                self._client = distributed.Client(address, timeout=timeout)
            except (OSError, ValueError, TypeError) as error:
                raise InputError(f"cannot connect to the Dask scheduler at {address!r}: "
                                 f"{error}; check the address and that the scheduler runs",
                                 key="--dask", value=address) from None
            self.description = f"Dask scheduler {address}"
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    @property
    def addresses(self):
        """The scheduler's address followed by the workers' addresses."""
        info = self._client.scheduler_info()
        return [info["address"], *info.get("workers", {})]

    def share(self, job):
        return self._client.scatter(job, broadcast=True)

    def submit(self, function, *arguments):
        return self._client.submit(function, *arguments, pure=False)

    def wait_any(self, futures):
        return set(self._distributed.wait(list(futures), return_when="FIRST_COMPLETED").done)

    def close(self, terminate=False):
        # Closing the client cancels its tasks, and closing the LocalCluster stops its
        # worker processes, whether or not the search was interrupted.
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers=None, dask=None):
    """Return the executor for the command-line options ``--workers`` and ``--dask``.

    Parameters
    ----------
    workers : int, optional
        Worker processes; defaults to the available CPUs. One worker runs in process.
        At most :data:`MAX_WORKERS_PER_CPU` per available CPU, unless ``dask`` names
        a scheduler, whose workers run elsewhere.
    dask : str, optional
        ``"local"`` for a LocalCluster started for the run, or a scheduler address.
    """
    cpus = available_cpus()
    count = workers if workers is not None else cpus
    local = dask is None or dask == "local"
    if local and count > MAX_WORKERS_PER_CPU * cpus:
        raise InputError(f"expected at most {MAX_WORKERS_PER_CPU * cpus} workers "
                         f"({MAX_WORKERS_PER_CPU} per available CPU, and {cpus} CPUs are "
                         f"available), got {count}; each worker is a process evaluating "
                         "candidates, so more workers than that only compete for the CPUs",
                         key="--workers", value=count)
    if dask is not None:
        return DaskExecutor(None if dask == "local" else dask, count)
    if count == 1:
        return SerialExecutor()
    return ProcessPool(count)
