"""The algebraic strategy: equivariant grid points only, the same counterexamples, its limits."""

from __future__ import annotations

import re

import pytest

from symequiv.errors import TheoryError
from symequiv.search.questions import OutcomeKind
from symequiv.search.runner import run_search
from symequiv.search.strategies import candidate_stream
from symequiv.search.symmetry import orbit_key
from tests.search.templates import CUBIC_SWAP, GELU_PAIR, edit, template, values

NOT_EQUIVARIANT = "not end-to-end equivariant"


def search(text, **overrides):
    return run_search(template(text, stop_after=0, **overrides), prove=False)


def counterexample_keys(result, family):
    return {orbit_key(family.instantiate(found.values)) for found in result.counterexamples}


def test_pattern_equations_visit_only_equivariant_points():
    result = search(GELU_PAIR, strategy="algebraic")

    labels = {label for _, label, _ in result.outcomes}
    assert NOT_EQUIVARIANT not in labels
    assert result.exhausted
    assert result.visited < result.grid_size
    assert result.count(OutcomeKind.COUNTEREXAMPLE) == 8


def test_pattern_equations_find_the_linear_bypass():
    gelu = template(GELU_PAIR)
    bypass = orbit_key(gelu.instantiate(values(-1, 1, 1, -1, -1, 1, 1)))

    result = search(GELU_PAIR, strategy="algebraic")

    assert bypass in counterexample_keys(result, gelu)


def test_polynomial_equations_find_every_counterexample():
    cubic = template(CUBIC_SWAP)

    algebraic = search(CUBIC_SWAP, strategy="algebraic")
    exhaustive = search(CUBIC_SWAP, strategy="exhaustive")

    assert NOT_EQUIVARIANT not in {label for _, label, _ in algebraic.outcomes}
    assert algebraic.visited < exhaustive.visited == 729
    assert counterexample_keys(algebraic, cubic) == counterexample_keys(exhaustive, cubic)
    assert algebraic.counterexamples


def test_polynomial_stream_notes():
    stream = candidate_stream(template(CUBIC_SWAP, strategy="algebraic"))

    assert stream.notes[0] == ("equations: the coefficients of f(g x) - g f(x), exact for "
                               "polynomial networks")


def test_constraint_equalities_join_the_equations():
    text = edit(GELU_PAIR, 'values = [-1, 0, 1]', 'values = [-1, 0, 1]\nconstraints = ["p = 1"]')

    stream = candidate_stream(template(text, strategy="algebraic"))

    points = list(stream.points)
    assert points
    assert all(point[4] == 1 for point in points)


def test_deep_non_polynomial_network_unsupported():
    text = """\
[theory]
name = "deep"
[group]
generators = ["n"]
relations = ["n^2"]
[group.input]
n = [[-1]]
[group.output]
n = [[-1]]
[model]
widths = [1, 1, 1, 1]
activation = "tanh"
[parameters]
W1 = [["a"]]
b1 = [0]
W2 = [[1]]
b2 = [0]
W3 = [[1]]
b3 = [0]
"""
    with pytest.raises(TheoryError, match=re.escape(
            "template.toml: search.strategy: the algebraic strategy handles polynomial "
            "networks and networks with one hidden layer; this network has 2 hidden layers "
            "(tanh, tanh); use the exhaustive or random strategy")):
        candidate_stream(template(text, strategy="algebraic"))
