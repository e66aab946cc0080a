"""Tests of reflections built as versors in symequiv.actions.versor."""

from __future__ import annotations

import pytest
import sympy

from symequiv.actions.versor import MAX_VERSOR_DIMENSION, reflection_matrix
from symequiv.errors import GroupError

SQRT2 = sympy.sqrt(2)

NORMALS = [
    pytest.param([1, 2], id="one-two"),
    pytest.param([1, -1], id="coordinate-difference"),
    pytest.param([0, 0, 3], id="coordinate-axis"),
    pytest.param([sympy.Rational(1, 2), -3, sympy.Rational(2, 3)], id="rational"),
    pytest.param([1, SQRT2], id="sqrt2-plane"),
    pytest.param([1, SQRT2, 1], id="sqrt2-space"),
    pytest.param([SQRT2, 1 + SQRT2, 0, -1], id="sqrt2-sum"),
    pytest.param(list(range(1, MAX_VERSOR_DIMENSION + 1)), id="largest-versor"),
    pytest.param(list(range(-5, MAX_VERSOR_DIMENSION - 4)), id="above-versor-limit"),
]


def closed_form(normal):
    """Return I - 2 n n^T / (n . n)."""
    vector = sympy.Matrix(normal)
    return sympy.eye(len(normal)) - 2 * vector * vector.T / (vector.T * vector)[0, 0]


def is_zero_matrix(matrix):
    return all(sympy.simplify(entry) == 0 for entry in matrix)


def test_above_versor_limit_case_exceeds_limit():
    # The last normal in NORMALS must take the closed-form path.
    assert len(NORMALS[-1].values[0]) == MAX_VERSOR_DIMENSION + 1


@pytest.mark.parametrize("normal", NORMALS)
def test_reflection_matches_closed_form(normal):
    assert is_zero_matrix(reflection_matrix(normal) - closed_form(normal))


@pytest.mark.parametrize("normal", NORMALS)
def test_reflection_is_involution(normal):
    matrix = reflection_matrix(normal)

    assert is_zero_matrix(matrix * matrix - sympy.eye(len(normal)))


@pytest.mark.parametrize("normal", NORMALS)
def test_reflection_negates_normal_fixes_hyperplane(normal):
    # Independent of the formula: R n = -n, and R v = v for v orthogonal to n.
    matrix = reflection_matrix(normal)
    vector = sympy.Matrix(normal)
    hyperplane = vector.T.nullspace()

    assert is_zero_matrix(matrix * vector + vector)
    assert len(hyperplane) == len(normal) - 1
    for orthogonal in hyperplane:
        assert is_zero_matrix(matrix * orthogonal - orthogonal)


def test_reflection_along_one_two_is_exact():
    assert reflection_matrix([1, 2]) == sympy.Matrix(
        [[sympy.Rational(3, 5), sympy.Rational(-4, 5)],
         [sympy.Rational(-4, 5), sympy.Rational(-3, 5)]]
    )


def test_reflection_along_radical_normal_is_simplified():
    assert reflection_matrix([1, SQRT2]) == sympy.Matrix(
        [[sympy.Rational(1, 3), -2 * SQRT2 / 3], [-2 * SQRT2 / 3, sympy.Rational(-1, 3)]]
    )


def test_reflection_along_symbolic_normal():
    symbol = sympy.Symbol("a", real=True)

    matrix = reflection_matrix([symbol, 1])

    assert is_zero_matrix(matrix - closed_form([symbol, 1]))


@pytest.mark.parametrize(
    ("normal", "message"),
    [
        pytest.param([0, 0], "the reflection normal [0, 0] is the zero vector", id="integers"),
        pytest.param([0] * (MAX_VERSOR_DIMENSION + 1),
                     f"the reflection normal {[0] * (MAX_VERSOR_DIMENSION + 1)} is the zero vector",
                     id="above-versor-limit"),
        pytest.param([SQRT2 - SQRT2, sympy.Integer(0)],
                     "the reflection normal [0, 0] is the zero vector", id="cancelling"),
    ],
)
def test_reflection_rejects_zero_normal(normal, message):
    with pytest.raises(GroupError) as error:
        reflection_matrix(normal)

    assert str(error.value) == message
