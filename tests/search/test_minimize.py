"""Minimization: fewer nonzero parameters and smaller values, within domains and constraints."""

from __future__ import annotations

from symequiv.search.minimize import minimize, point_size
from symequiv.search.questions import CandidateEvaluator
from tests.search.templates import GELU_PAIR, edit, template, values


def evaluator(text=GELU_PAIR):
    return CandidateEvaluator(template(text, question="not_layerwise"))


def test_point_size_counts_nonzero_parameters_and_value_sizes():
    family = template(GELU_PAIR)

    assert point_size(family, values(1, 0, "1/2", 0, 0, 0, -2)) == (3, 2 + 1 + 3 + 1 + 1 + 1 + 3)


def test_minimize_removes_parameters():
    result = minimize(evaluator(), values(1, 1, -1, 1, 0, 0, 0))

    assert result.values == values(0, 1, 0, 0, 0, 0, 0)
    assert result.nonzero_parameters == 1
    assert result.complete
    assert evaluator().evaluate(result.values).is_counterexample


def test_minimize_keeps_a_minimal_point():
    result = minimize(evaluator(), values(1, 0, 0, 0, 0, 0, 0))

    assert result.values == values(1, 0, 0, 0, 0, 0, 0)
    # Only the zero network is smaller, and it is layerwise equivariant.
    assert result.evaluations == 1


def test_minimize_respects_constraints():
    text = edit(GELU_PAIR, 'values = [-1, 0, 1]', 'values = [-1, 0, 1]\nconstraints = ["c != 0"]')

    result = minimize(evaluator(text), values(1, 1, -1, 1, 0, 0, 0))

    assert result.values[2] != 0
    assert result.nonzero_parameters == 2


def test_minimize_stops_at_the_evaluation_bound():
    result = minimize(evaluator(), values(1, 1, -1, 1, 0, 0, 0), max_evaluations=1)

    assert not result.complete
    assert result.evaluations == 1
