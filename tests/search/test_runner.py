"""run_search: known counterexamples found and proved, empty families exhausted, determinism,
and interruption with resume losing nothing."""

from __future__ import annotations

import json

import pytest

from symequiv.search.executors import ProcessPool, SerialExecutor
from symequiv.search.questions import OutcomeKind
from symequiv.search.runner import SearchProgress, run_search
from symequiv.search.summary import format_search_result, search_result_to_dict
from symequiv.search.symmetry import orbit_key
from tests.cli.runner import run_symequiv
from tests.search.templates import GELU_PAIR, RELU_PAIR, TANH_SWAP_GRID, template, values

RUN_FIELDS = ("executor", "search_seconds", "proof_seconds", "resumed_chunks",
              "evaluated_this_run")


def comparable(result, family):
    """The result as JSON-ready data, without timings and executor details."""
    data = search_result_to_dict(result, family)
    for key in RUN_FIELDS:
        data.pop(key)
    for found in data["counterexamples"]:
        if found["proof"] is not None:
            found["proof"].pop("path")
            found["proof"]["certificate"].pop("path")
    return data


def test_dead_unit_found_minimized_and_proved(tmp_path):
    family = template(GELU_PAIR, question="not_layerwise")

    result = run_search(family, out_dir=tmp_path)

    assert result.stopped
    assert not result.exhausted
    first = result.counterexamples[0]
    assert first.index == 1
    assert family.describe_values(first.minimized.values) == (
        "a = 1, b = 0, c = 0, d = 0, p = 0, q = 0, r = 0")
    assert first.minimized.nonzero_parameters == 1
    assert first.proof.proved
    assert first.proof.claims == {"end_to_end_equivariant": True, "identifiable": False,
                                  "layerwise_equivariant": False,
                                  "layerwise_after_reparameterization": True}
    assert [found.proof is not None for found in result.counterexamples].count(True) == 1
    verified = run_symequiv("verify", first.proof.path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "4 of 4 claims hold" in verified.stdout


@pytest.mark.parametrize("text", [GELU_PAIR, RELU_PAIR], ids=["gelu", "relu"])
def test_linear_bypass_rediscovered_from_generic_template(text, tmp_path):
    family = template(text, strategy="algebraic", stop_after=0)
    bypass = orbit_key(family.instantiate(values(-1, 1, 1, -1, -1, 1, 1)))

    result = run_search(family, out_dir=tmp_path)

    keys = {orbit_key(family.instantiate(found.minimized.values)): found
            for found in result.counterexamples if found.minimized is not None}
    assert bypass in keys
    proof = keys[bypass].proof
    assert proof.proved
    assert proof.claims["end_to_end_equivariant"] is True
    assert proof.claims["layerwise_after_reparameterization"] is False
    verified = run_symequiv("verify", proof.path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_identifiable_tanh_family_has_no_counterexample():
    family = template(TANH_SWAP_GRID)

    result = run_search(family)

    assert result.counterexamples == ()
    assert result.exhausted
    assert not result.stopped
    assert (result.grid_size, result.visited, result.evaluated) == (162, 162, 162)
    assert result.count(OutcomeKind.UNDECIDED) == 0
    assert result.outcomes == (
        ("not a counterexample", "layerwise equivariant", 18),
        ("not a counterexample", "not end-to-end equivariant", 144))
    text = format_search_result(result, family)
    assert "  no counterexample: none in the grid of 162 points" in text
    assert "  visited 162 candidates (the whole grid): 162 evaluated, 0 in the orbit of an " \
           "earlier candidate, 0 excluded by constraints, 0 with an undefined parameter" in text


def test_budget_cuts_the_search():
    result = run_search(template(TANH_SWAP_GRID, budget=70), prove=False)

    assert result.visited == 70
    assert not result.exhausted
    assert not result.stopped


def test_random_strategy_is_seeded():
    first = run_search(template(GELU_PAIR, strategy="random", budget=200, seed=4,
                                stop_after=0), prove=False)
    again = run_search(template(GELU_PAIR, strategy="random", budget=200, seed=4,
                                stop_after=0), prove=False)
    other = run_search(template(GELU_PAIR, strategy="random", budget=200, seed=5,
                                stop_after=0), prove=False)

    family = template(GELU_PAIR)
    assert comparable(first, family) == comparable(again, family)
    assert comparable(first, family) != comparable(other, family)
    assert first.duplicates > 0


@pytest.mark.parametrize("overrides", [
    {"question": "not_layerwise", "stop_after": 3},
    {"strategy": "random", "budget": 300, "seed": 2, "stop_after": 0},
], ids=["exhaustive-stop-after-3", "random"])
def test_process_pool_gives_identical_results(overrides, tmp_path):
    family = template(GELU_PAIR, **overrides)
    serial = run_search(family, SerialExecutor(), out_dir=tmp_path / "serial")
    pool = ProcessPool(2)
    try:
        parallel = run_search(family, pool, out_dir=tmp_path / "pool")
    finally:
        pool.close()

    assert comparable(parallel, family) == comparable(serial, family)
    assert parallel.executor == "local process pool, 2 workers"


class Interrupt:
    """A progress callback that raises KeyboardInterrupt after ``chunks`` merged chunks."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.calls = 0

    def __call__(self, progress):
        assert isinstance(progress, SearchProgress)
        self.calls += 1
        if self.calls == self.chunks:
            raise KeyboardInterrupt


def test_interrupted_search_resumes_without_loss(tmp_path):
    family = template(GELU_PAIR, question="not_layerwise", stop_after=0, budget=512)
    checkpoint = tmp_path / "checkpoint.jsonl"
    uninterrupted = run_search(family, out_dir=tmp_path / "full")

    with pytest.raises(KeyboardInterrupt):
        run_search(family, checkpoint=checkpoint, progress=Interrupt(3))
    lines = checkpoint.read_text(encoding="utf-8").splitlines()
    recorded = [json.loads(line) for line in lines[1:]]
    found_before = sum(len(record["counterexamples"]) for record in recorded)
    resumed = run_search(family, checkpoint=checkpoint, out_dir=tmp_path / "resumed")

    assert len(recorded) == 3
    assert found_before > 0
    assert resumed.resumed_chunks == 3
    assert comparable(resumed, family) == comparable(uninterrupted, family)


def test_partial_last_line_is_ignored(tmp_path):
    family = template(GELU_PAIR, question="not_layerwise", stop_after=0, budget=256)
    checkpoint = tmp_path / "checkpoint.jsonl"
    complete = run_search(family, checkpoint=checkpoint, prove=False)
    text = checkpoint.read_text(encoding="utf-8")
    # A run killed while writing its last chunk leaves half a line.
    checkpoint.write_text(text[:len(text) - len(text.splitlines()[-1]) // 2 - 1],
                          encoding="utf-8")

    resumed = run_search(family, checkpoint=checkpoint, prove=False)

    assert resumed.resumed_chunks == 3
    assert comparable(resumed, family) == comparable(complete, family)


def test_finished_search_reads_everything_from_checkpoint(tmp_path):
    family = template(TANH_SWAP_GRID)
    checkpoint = tmp_path / "checkpoint.jsonl"
    first = run_search(family, checkpoint=checkpoint)

    again = run_search(family, checkpoint=checkpoint)

    assert again.resumed_chunks == 3
    assert comparable(again, family) == comparable(first, family)


@pytest.mark.parametrize(("overrides", "budgets", "visited"), [
    ({}, (100, 100_000), 162),
    ({}, (100_000, 100), 100),
    ({"strategy": "random", "seed": 3, "stop_after": 0}, (100, 300), 300),
    ({"strategy": "random", "seed": 3, "stop_after": 0}, (300, 100), 100),
], ids=["exhaustive-grow", "exhaustive-shrink", "random-grow", "random-shrink"])
def test_resume_after_budget_change_matches_fresh_run(overrides, budgets, visited, tmp_path):
    checkpoint = tmp_path / "checkpoint.jsonl"
    first_budget, budget = budgets
    run_search(template(TANH_SWAP_GRID, budget=first_budget, **overrides),
               checkpoint=checkpoint)
    family = template(TANH_SWAP_GRID, budget=budget, **overrides)

    resumed = run_search(family, checkpoint=checkpoint)
    fresh = run_search(family)

    # Only chunk 0 (candidates 0 to 63) covers the same range in both runs. The
    # first run cut chunk 1 short or recorded it whole, so it is evaluated again.
    assert resumed.resumed_chunks == 1
    assert comparable(resumed, family) == comparable(fresh, family)
    assert resumed.visited == visited


def test_resume_after_budget_change_counts(tmp_path):
    checkpoint = tmp_path / "checkpoint.jsonl"
    run_search(template(TANH_SWAP_GRID, budget=100), checkpoint=checkpoint)

    resumed = run_search(template(TANH_SWAP_GRID), checkpoint=checkpoint)

    assert (resumed.visited, resumed.evaluated, resumed.evaluated_this_run) == (162, 162, 98)
    assert resumed.exhausted
    assert resumed.outcomes == (
        ("not a counterexample", "layerwise equivariant", 18),
        ("not a counterexample", "not end-to-end equivariant", 144))


def test_random_repeats_counted_separately():
    family = template(TANH_SWAP_GRID, strategy="random", seed=3, budget=300, stop_after=0)

    result = run_search(family)

    # 300 draws from 162 points: every draw is a new point or a repeat.
    assert result.visited == 300
    assert result.repeats + result.evaluated + result.duplicates == 300
    assert result.duplicates == 0
    assert result.evaluated == len({values for values in _random_draws(family, 300)})
    text = format_search_result(result, family)
    assert any(f"{result.repeats} repeating an earlier candidate, 0 in the orbit" in line
               for line in text)


def _random_draws(family, count):
    import itertools

    from symequiv.search.strategies import candidate_stream

    return list(itertools.islice(candidate_stream(family).points, count))


def test_rate_excludes_resumed_candidates(tmp_path):
    family = template(TANH_SWAP_GRID)
    checkpoint = tmp_path / "checkpoint.jsonl"
    run_search(family, checkpoint=checkpoint)

    again = run_search(family, checkpoint=checkpoint)

    assert again.evaluated == 162
    assert again.evaluated_this_run == 0
    assert "(0 evaluated candidates/s)" in format_search_result(again, family)[-1]


def test_summary_plurals_for_one_point():
    text = TANH_SWAP_GRID.replace('values = [1, -1, 2]', 'values = [1]').replace(
        'd = ["1/2", -1]', 'd = ["1/2"]')
    family = template(text)

    lines = format_search_result(run_search(family), family)

    assert lines[2] == ("  strategy: exhaustive over 5 symbols d, p, q, u, v; grid of 1 point; "
                        "budget 100,000")
    assert lines[3].startswith("  visited 1 candidate (the whole grid): 1 evaluated")
    assert "  no counterexample: none in the grid of 1 point" in lines


def test_nonzero_constraints_skip_trivial_networks():
    # Nonzero incoming and outgoing weights rule out the all-zero network and
    # networks with a dead or constant hidden neuron.
    text = GELU_PAIR.replace('values = [-1, 0, 1]',
                             'values = [-1, 0, 1]\nconstraints = ["a*b != 0", "p*q != 0"]')
    family = template(text, question="not_identifiable")

    result = run_search(family, prove=False)

    first = result.counterexamples[0]
    assert family.describe_values(first.values) == (
        "a = 1, b = 1, c = 0, d = 0, p = 1, q = 1, r = 0")
    assert (result.visited, result.evaluated, result.duplicates, result.excluded) == (
        512, 10, 6, 496)
