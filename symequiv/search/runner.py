r"""Running a counterexample search: enumerate, deduplicate, evaluate, merge, minimize, prove.

The coordinator (this module) draws candidates from the strategy's sequence in
fixed chunks of :data:`CHUNK_SIZE`. It drops those that fail a constraint,
have an undefined parameter, or lie in the latent-group orbit of an earlier
candidate (:func:`~symequiv.search.symmetry.orbit_key`) or repeat an earlier
point of the random strategy, and sends the rest of
each chunk to the executor. Chunks may finish in any order, but their results
are merged in chunk order, and the search stops at the end of the chunk where
the ``stop_after``-th counterexample appears. Everything that decides the result
(the candidate sequence, the chunks, the deduplication and the stopping point)
is computed in the coordinator, in order, so the result does not depend on the
executor or the number of workers.

After the search the first ``stop_after`` counterexamples (at most
:data:`MAX_PROVED`) are minimized on the executor and proved by writing theory
files that verify.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import Counter
from dataclasses import dataclass

from symequiv.search.checkpoint import Checkpoint, CheckpointState, ChunkRecord, header_for
from symequiv.search.executors import (
    SearchJob,
    SerialExecutor,
    evaluate_chunk,
    minimize_counterexample,
)
from symequiv.search.output import remove_earlier_counterexamples
from symequiv.search.proof import prove_counterexample
from symequiv.search.questions import OutcomeKind
from symequiv.search.spec import Strategy
from symequiv.search.strategies import candidate_stream
from symequiv.search.symmetry import orbit_key

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64
MAX_PROVED = 20
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class SearchProgress:
    """How far a search has come; passed to the ``progress`` callback after each chunk.

    Attributes
    ----------
    visited : int
        Candidates drawn from the strategy so far (merged chunks only).
    total : int or None
        Candidates the search will draw at most, when known.
    evaluated, counterexamples : int
    elapsed : float
        Seconds since the search started.
    evaluated_this_run : int
        Candidates evaluated by this run, without those read from the checkpoint;
        rates are computed from it.
    """

    visited: int
    total: int | None
    evaluated: int
    counterexamples: int
    elapsed: float
    evaluated_this_run: int = 0


@dataclass(frozen=True)
class FoundCounterexample:
    """A counterexample: where it was found, its minimized form and its proof.

    Attributes
    ----------
    index : int
        Its position in the strategy's sequence, from 0.
    values : tuple of Fraction
        The symbol values found.
    label : str
        Why it is a counterexample.
    minimized : Minimized or None
        None beyond the first ``stop_after`` (at most :data:`MAX_PROVED`) counterexamples.
    proof : Proof or None
    number : int or None
        Numbers the proved counterexamples (and their theory files) from 1.
    same_as : int or None
        The number of an earlier counterexample whose minimized network lies in
        the same orbit, when this one was not proved separately.
    """

    index: int
    values: tuple
    label: str
    minimized: object = None
    proof: object = None
    number: int | None = None
    same_as: int | None = None


@dataclass(frozen=True)
class SearchResult:
    """The outcome of a search.

    Attributes
    ----------
    name, source : str
        The template's name and file.
    settings : SearchSettings
    executor : str
        Where candidates were evaluated.
    grid_size : int
        Grid points before constraints.
    visited : int
        Candidates drawn from the strategy.
    evaluated : int
        Candidates whose question was asked (the first of each orbit).
    outcomes : tuple
        ``(kind, label, count)`` over the evaluated candidates, sorted.
    duplicates, excluded, undefined : int
    counterexamples : tuple of FoundCounterexample
    exhausted : bool
        True when every candidate of the strategy's sequence was visited.
    stopped : bool
        True when the search stopped after ``stop_after`` counterexamples.
    search_seconds, proof_seconds : float
    notes : tuple of str
        What the strategy reported while preparing its candidates.
    resumed_chunks : int
        Chunks read from the checkpoint instead of being evaluated.
    evaluated_this_run : int
        Candidates evaluated by this run; the others were read from the checkpoint.
    repeats : int
        Candidates equal to an earlier candidate, drawn again by the random strategy.
    removed_files : tuple of str
        Counterexample files of an earlier search removed by a restart.
    """

    name: str
    source: str | None
    settings: object
    executor: str
    grid_size: int
    visited: int
    evaluated: int
    outcomes: tuple
    duplicates: int
    excluded: int
    undefined: int
    counterexamples: tuple
    exhausted: bool
    stopped: bool
    search_seconds: float
    proof_seconds: float
    notes: tuple
    resumed_chunks: int
    evaluated_this_run: int = 0
    removed_files: tuple = ()
    repeats: int = 0

    @property
    def proved(self):
        """The counterexamples whose theory files verify."""
        return tuple(found for found in self.counterexamples
                     if found.proof is not None and found.proof.proved)

    def count(self, kind):
        """Return the number of evaluated candidates with outcome ``kind`` (an OutcomeKind)."""
        return sum(count for entry_kind, _, count in self.outcomes if entry_kind == kind.value)


def run_search(template, executor=None, checkpoint=None, restart=False, out_dir=None,
               progress=None, chunk_size=CHUNK_SIZE, prove=True):
    r"""Search ``template`` for counterexamples to its question.

    Parameters
    ----------
    template : Template
        With its settings (question, strategy, budget, seed, stop_after, domains).
    executor : optional
        From :func:`~symequiv.search.executors.make_executor`; in process by
        default. The caller closes it.
    checkpoint : str, optional
        A checkpoint file: an existing one for the same search is resumed.
    restart : bool
        Discard an existing checkpoint instead of resuming it, and remove the
        counterexample files of the template (``NAME-counterexample-N.toml`` and
        ``.json``) that an earlier search left in ``out_dir``.
    out_dir : str, optional
        Where the theory files of proved counterexamples are written.
    progress : callable, optional
        Called with a :class:`SearchProgress` after each merged chunk.
    chunk_size : int
        Candidates per chunk; part of a checkpoint's identity.
    prove : bool
        Minimize and prove the counterexamples found.

    Returns
    -------
    SearchResult

    Raises
    ------
    InputError
        For a checkpoint of another search, or a checkpoint or output file that
        cannot be written.
    UnsupportedError
        For a strategy that cannot handle the template.
    KeyboardInterrupt
        Passed on after the checkpoint has recorded every finished chunk.
    """
    executor = executor or SerialExecutor()
    started = time.monotonic()
    stream = candidate_stream(template)
    store = None
    state = CheckpointState()
    if checkpoint is not None:
        store = Checkpoint(checkpoint)
        state = store.open(header_for(template, chunk_size), restart)
    removed = ()
    if restart and out_dir is not None:
        # Files numbered by an earlier search would mix with this search's own.
        removed = remove_earlier_counterexamples(out_dir, template.name)
    try:
        coordinator = _Coordinator(template, executor, store, state, chunk_size, progress,
                                   started, stream.size)
        coordinator.search(stream.points)
        searched = time.monotonic()
        found = coordinator.counterexamples()
        if prove and found:
            found = _prove(template, executor, coordinator.job, store, state, found, out_dir)
        else:
            found = tuple(FoundCounterexample(index, values, label)
                          for index, values, label in found)
    finally:
        if store is not None:
            store.close()
    totals = coordinator.totals
    return SearchResult(
        template.name, template.source, template.settings, executor.description,
        template.settings.grid_size, totals["visited"], totals["evaluated"],
        tuple(sorted((kind, label, count) for (kind, label), count in
                     coordinator.outcomes.items())),
        totals["duplicates"], totals["excluded"], totals["undefined"], found,
        coordinator.exhausted, coordinator.stopped, searched - started,
        time.monotonic() - searched, stream.notes, coordinator.resumed,
        coordinator.evaluated_here, removed, totals["repeats"])


class _Coordinator:
    """Draw chunks, deduplicate them, dispatch them and merge their results in order."""

    def __init__(self, template, executor, store, state, chunk_size, progress, started,
                 stream_size):
        self.template = template
        self.settings = template.settings
        self.executor = executor
        self.store = store
        self.chunk_size = chunk_size
        self.progress = progress
        self.started = started
        budget = self.settings.budget
        self.total = budget if stream_size is None else min(budget, stream_size)
        self.job = executor.share(SearchJob.for_template(template))
        # Checkpoint records are reused only when they cover the range this run gives
        # their chunk; `completed` contains the records of this run, reused or evaluated.
        self.recorded = dict(state.chunks)
        self.completed = {}
        self.resumed = 0
        self.seen = set()
        # Only the random strategy can draw a point twice, so only it tracks points.
        self.points_seen = set() if self.settings.strategy is Strategy.RANDOM else None
        self.evaluated_here = 0
        self.pending = {}
        self.max_in_flight = IN_FLIGHT_PER_WORKER * executor.workers
        self.next_merge = 0
        self.merged = []
        self.totals = Counter(visited=0, evaluated=0, duplicates=0, repeats=0, excluded=0,
                              undefined=0, counterexamples=0)
        self.outcomes = Counter()
        self.stopped = False
        self.exhausted = False

    def search(self, points):
        try:
            for chunk_index, start, candidates in self._chunks(points):
                self._merge()
                if self.stopped:
                    break
                if self._reuse(chunk_index, start, start + len(candidates)):
                    if self.points_seen is not None:
                        self.points_seen.update(candidates)
                    continue
                draft, unique = self._prepare(chunk_index, start, candidates)
                if unique:
                    future = self.executor.submit(evaluate_chunk, self.job, chunk_index,
                                                  tuple(unique))
                    self.pending[future] = draft
                else:
                    self._finish(draft, ())
                while len(self.pending) >= self.max_in_flight:
                    self._collect()
            while self.pending and not self.stopped:
                self._collect()
                self._merge()
            self._merge()
            if self.stopped:
                # A search that stops early may or may not have drawn the rest of the
                # sequence, depending on the executor, so it never counts as exhausted.
                self.exhausted = False
        finally:
            for future in self.pending:
                future.cancel()
            self.pending.clear()

    def _chunks(self, points):
        """Yield ``(chunk index, first candidate index, values list)`` up to the budget."""
        budget = self.settings.budget
        limited = itertools.islice(points, budget)
        start = 0
        for chunk_index in itertools.count():
            candidates = list(itertools.islice(limited, self.chunk_size))
            if candidates:
                yield chunk_index, start, candidates
                start += len(candidates)
            if len(candidates) < self.chunk_size:
                break
        # The sequence is exhausted unless the budget cut it short with points left.
        self.exhausted = start < budget or next(iter(points), None) is None

    def _reuse(self, chunk_index, start, end):
        """Take the checkpoint's record of a chunk when it covers exactly ``start`` to ``end``.

        A run with a smaller budget records its last chunk cut short, and a run with a
        larger one records it whole, so a record of another range is evaluated again.
        The orbit keys of a reused record join ``seen`` in chunk order, as they would
        in a run that evaluates every chunk.
        """
        record = self.recorded.get(chunk_index)
        if record is None or (record.start, record.end) != (start, end):
            return False
        self.seen.update(record.keys)
        self.completed[chunk_index] = record
        self.resumed += 1
        return True

    def _prepare(self, chunk_index, start, candidates):
        settings = self.settings
        draft = {"index": chunk_index, "start": start, "end": start + len(candidates),
                 "excluded": 0, "undefined": 0, "duplicates": 0, "repeats": 0, "keys": [],
                 "values": {}}
        unique = []
        for index, values in enumerate(candidates, start=start):
            if self.points_seen is not None:
                if values in self.points_seen:
                    draft["repeats"] += 1
                    continue
                self.points_seen.add(values)
            if not settings.constraints_hold(values):
                draft["excluded"] += 1
                continue
            try:
                network = self.template.instantiate(values)
            except ZeroDivisionError:
                draft["undefined"] += 1
                continue
            key = orbit_key(network)
            if key in self.seen:
                draft["duplicates"] += 1
                continue
            self.seen.add(key)
            draft["keys"].append(key)
            draft["values"][index] = values
            unique.append((index, values))
        return draft, unique

    def _collect(self):
        for future in self.executor.wait_any(self.pending):
            draft = self.pending.pop(future)
            _, outcomes = future.result()
            self._finish(draft, outcomes)

    def _finish(self, draft, outcomes):
        self.evaluated_here += len(outcomes)
        counts = Counter((kind, label) for _, kind, label in outcomes)
        counterexamples = tuple(
            (index, draft["values"][index], label) for index, kind, label in sorted(outcomes)
            if kind == OutcomeKind.COUNTEREXAMPLE.value)
        record = ChunkRecord(
            draft["index"], draft["start"], draft["end"], draft["excluded"],
            draft["undefined"], draft["duplicates"], tuple(draft["keys"]),
            tuple(sorted((kind, label, count) for (kind, label), count in counts.items())),
            counterexamples, draft["repeats"])
        if self.store is not None:
            self.store.record_chunk(record)
        self.completed[record.index] = record

    def _merge(self):
        while not self.stopped and self.next_merge in self.completed:
            record = self.completed[self.next_merge]
            self.next_merge += 1
            self.merged.append(record)
            totals = self.totals
            totals["visited"] += record.end - record.start
            totals["duplicates"] += record.duplicates
            totals["repeats"] += record.repeats
            totals["excluded"] += record.excluded
            totals["undefined"] += record.undefined
            for kind, label, count in record.outcomes:
                self.outcomes[kind, label] += count
                totals["evaluated"] += count
            totals["counterexamples"] += len(record.counterexamples)
            stop_after = self.settings.stop_after
            if stop_after and totals["counterexamples"] >= stop_after:
                self.stopped = True
            if self.progress is not None:
                self.progress(SearchProgress(totals["visited"], self.total, totals["evaluated"],
                                             totals["counterexamples"],
                                             time.monotonic() - self.started,
                                             self.evaluated_here))

    def counterexamples(self):
        return [entry for record in self.merged for entry in record.counterexamples]


def _prove(template, executor, job, store, state, found, out_dir):
    """Minimize the first counterexamples on the executor, then prove them in order."""
    stop_after = template.settings.stop_after
    minimized = {}
    futures = {}
    for index, values, _ in found[:min(stop_after or MAX_PROVED, MAX_PROVED)]:
        if index in state.minimized:
            minimized[index] = state.minimized[index]
        else:
            futures[executor.submit(minimize_counterexample, job, index, values)] = index
    try:
        while futures:
            for future in executor.wait_any(futures):
                futures.pop(future)
                index, result = future.result()
                minimized[index] = result
                if store is not None:
                    store.record_minimized(index, result)
    finally:
        for future in futures:
            future.cancel()

    results = []
    numbers = {}
    for index, values, label in found:
        if index not in minimized:
            results.append(FoundCounterexample(index, values, label))
            continue
        smaller = minimized[index]
        key = orbit_key(template.instantiate(smaller.values))
        if key in numbers:
            results.append(FoundCounterexample(index, values, label, smaller,
                                               same_as=numbers[key]))
            continue
        number = len(numbers) + 1
        numbers[key] = number
        proof = prove_counterexample(template, smaller.values, number, out_dir, values)
        results.append(FoundCounterexample(index, values, label, smaller, proof, number))
    return tuple(results)
