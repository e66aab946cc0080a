"""Tests of exact linear algebra over ExactField domains."""

from __future__ import annotations

import random

import pytest
from sympy import Matrix, Rational, Symbol, pi, sqrt

from symequiv.exact import linalg
from symequiv.exact.field import ExactField

a = Symbol("a", real=True)

RATIONAL = ExactField.rational()
SQRT_2 = ExactField.for_expressions([sqrt(2)])
SYMBOLIC = ExactField.for_expressions([a])
COMPOSITE = ExactField.for_expressions([pi, a])


def to_rows(field, matrix):
    """Convert a nested list of sympy numbers into rows of field elements."""
    return [tuple(field.convert(value) for value in row) for row in matrix]


def product(field, left_rows, right_rows):
    """Return the matrix product of two row lists as a DomainMatrix."""
    return linalg.to_domain_matrix(field, left_rows) * linalg.to_domain_matrix(field, right_rows)


def assert_same_matrix(field, actual, expected):
    """Check entrywise equality through differences, because K(a) elements are not canonical."""
    actual = actual.to_list() if hasattr(actual, "to_list") else [list(row) for row in actual]
    expected = (
        expected.to_list() if hasattr(expected, "to_list") else [list(row) for row in expected]
    )

    assert len(actual) == len(expected)
    for actual_row, expected_row in zip(actual, expected):
        assert len(actual_row) == len(expected_row)
        for actual_entry, expected_entry in zip(actual_row, expected_row):
            assert actual_entry - expected_entry == field.zero


def random_integer_matrix(generator, rows, columns, rank):
    """Return a seeded random integer matrix of at most the given rank."""
    left = Matrix(rows, rank, lambda i, j: generator.randint(-3, 3))
    right = Matrix(rank, columns, lambda i, j: generator.randint(-3, 3))
    return left * right


# -- rank ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "matrix", "expected"),
    [
        pytest.param(RATIONAL, [[1, 0], [0, 1]], 2, id="identity"),
        pytest.param(RATIONAL, [[1, 2], [2, 4]], 1, id="dependent-rows"),
        pytest.param(RATIONAL, [[0, 0], [0, 0]], 0, id="zero"),
        pytest.param(RATIONAL, [[1, 2, 3], [2, 4, 6], [0, 1, 1]], 2, id="three-by-three"),
        pytest.param(RATIONAL, [[Rational(1, 2), Rational(1, 3)], [3, 2]], 1, id="fractions"),
        pytest.param(RATIONAL, [[1, 2, 3]], 1, id="single-row"),
        pytest.param(SQRT_2, [[1, sqrt(2)], [sqrt(2), 2]], 1, id="sqrt-2-dependent"),
        pytest.param(SQRT_2, [[1, sqrt(2)], [sqrt(2), 1]], 2, id="sqrt-2-independent"),
        pytest.param(SYMBOLIC, [[1, a], [a, a**2]], 1, id="symbolic-dependent"),
        pytest.param(SYMBOLIC, [[1, a], [a, 1]], 2, id="symbolic-generic"),
        pytest.param(COMPOSITE, [[pi, a], [pi**2, pi * a]], 1, id="composite-dependent"),
    ],
)
def test_rank(field, matrix, expected):
    assert linalg.rank(field, to_rows(field, matrix)) == expected


def test_rank_of_empty_matrix_is_zero():
    assert linalg.rank(RATIONAL, []) == 0
    assert linalg.rank(RATIONAL, [], columns=3) == 0


def test_rank_agrees_with_sympy_on_random_matrices():
    generator = random.Random(20260518)

    for _ in range(30):
        rows, columns = generator.randint(1, 5), generator.randint(1, 5)
        matrix = random_integer_matrix(
            generator, rows, columns, generator.randint(0, min(rows, columns))
        )

        assert linalg.rank(RATIONAL, to_rows(RATIONAL, matrix.tolist())) == matrix.rank()


# -- left null space ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "matrix", "expected"),
    [
        pytest.param(
            RATIONAL, [[1, 2, 3], [2, 4, 6], [0, 1, 1]], [(-2, 1, 0)], id="one-dependency"
        ),
        pytest.param(RATIONAL, [[1, 0], [0, 1]], [], id="full-rank"),
        pytest.param(RATIONAL, [[0, 0], [0, 0]], [(1, 0), (0, 1)], id="zero-matrix"),
        pytest.param(
            RATIONAL, [[1, 2], [2, 4], [3, 6]], [(-2, 1, 0), (-3, 0, 1)], id="rank-one-tall"
        ),
        pytest.param(SQRT_2, [[1, sqrt(2)], [sqrt(2), 2]], [(-sqrt(2), 1)], id="sqrt-2"),
        pytest.param(SYMBOLIC, [[1, a], [a, a**2]], [(-a, 1)], id="symbolic"),
    ],
)
def test_left_null_space(field, matrix, expected):
    basis = linalg.left_null_space(field, to_rows(field, matrix))

    assert_same_matrix(field, basis, to_rows(field, expected))


def test_left_null_space_random_matrices():
    generator = random.Random(7)

    for _ in range(30):
        rows, columns = generator.randint(1, 5), generator.randint(1, 5)
        matrix = random_integer_matrix(
            generator, rows, columns, generator.randint(0, min(rows, columns))
        )
        matrix_rows = to_rows(RATIONAL, matrix.tolist())

        basis = linalg.left_null_space(RATIONAL, matrix_rows)

        assert len(basis) == rows - matrix.rank()
        for vector in basis:
            assert_same_matrix(RATIONAL, product(RATIONAL, [vector], matrix_rows), [[0] * columns])
        if basis:
            assert linalg.rank(RATIONAL, basis) == len(basis)


# -- solve_left ---------------------------------------------------------------------------


def test_solve_left_finds_permutation():
    matrix = to_rows(RATIONAL, [[1, 2], [3, 4]])
    target = to_rows(RATIONAL, [[3, 4], [1, 2]])

    particular, null_rows = linalg.solve_left(RATIONAL, matrix, target)

    assert particular == tuple(to_rows(RATIONAL, [[0, 1], [1, 0]]))
    assert null_rows == []


def test_solve_left_finds_fractional_solution():
    # A = M' M^-1 with M = diag(2, 3).
    matrix = to_rows(RATIONAL, [[2, 0], [0, 3]])
    target = to_rows(RATIONAL, [[1, 1], [1, 0]])

    particular, null_rows = linalg.solve_left(RATIONAL, matrix, target)

    assert particular == tuple(
        to_rows(RATIONAL, [[Rational(1, 2), Rational(1, 3)], [Rational(1, 2), 0]])
    )
    assert null_rows == []


def test_solve_left_over_sqrt_2():
    matrix = to_rows(SQRT_2, [[1, sqrt(2)], [0, 1]])
    target = to_rows(SQRT_2, [[sqrt(2), 2], [1, 0]])

    particular, null_rows = linalg.solve_left(SQRT_2, matrix, target)

    # Row 1 gives sqrt(2) * (1, sqrt(2)) = (sqrt(2), 2).
    # Row 2 gives (1, sqrt(2)) - sqrt(2) * (0, 1) = (1, 0).
    assert_same_matrix(SQRT_2, particular, to_rows(SQRT_2, [[sqrt(2), 0], [1, -sqrt(2)]]))
    assert null_rows == []


def test_solve_left_returns_none_when_unsolvable():
    # Every row of A M is a multiple of (1, 0), so (0, 1) is out of reach.
    matrix = to_rows(RATIONAL, [[1, 0], [2, 0]])
    target = to_rows(RATIONAL, [[0, 1], [0, 0]])

    assert linalg.solve_left(RATIONAL, matrix, target) is None


def test_solve_left_returns_none_when_unsolvable_over_symbols():
    matrix = to_rows(SYMBOLIC, [[1, a], [a, a**2]])
    target = to_rows(SYMBOLIC, [[1, 0], [0, 0]])

    assert linalg.solve_left(SYMBOLIC, matrix, target) is None


def test_solve_left_rank_deficient_returns_null_space():
    matrix = to_rows(RATIONAL, [[1, 2], [2, 4]])
    target = to_rows(RATIONAL, [[2, 4], [1, 2]])

    particular, null_rows = linalg.solve_left(RATIONAL, matrix, target)

    assert particular == tuple(to_rows(RATIONAL, [[2, 0], [1, 0]]))
    assert null_rows == to_rows(RATIONAL, [[-2, 1]])
    assert_same_matrix(RATIONAL, product(RATIONAL, particular, matrix), target)

    # Adding any null row to any row of A keeps A M = M'.
    shifted = [tuple(x + y for x, y in zip(particular[0], null_rows[0])), particular[1]]
    assert_same_matrix(RATIONAL, product(RATIONAL, shifted, matrix), target)


def test_solve_left_rank_deficient_over_symbols():
    matrix = to_rows(SYMBOLIC, [[1, a], [a, a**2]])
    target = to_rows(SYMBOLIC, [[2, 2 * a], [0, 0]])

    particular, null_rows = linalg.solve_left(SYMBOLIC, matrix, target)

    assert_same_matrix(SYMBOLIC, particular, to_rows(SYMBOLIC, [[2, 0], [0, 0]]))
    assert_same_matrix(SYMBOLIC, null_rows, to_rows(SYMBOLIC, [[-a, 1]]))
    assert_same_matrix(SYMBOLIC, product(SYMBOLIC, particular, matrix), target)


def test_solve_left_without_columns_accepts_identity():
    identity = tuple(to_rows(RATIONAL, [[1, 0], [0, 1]]))

    particular, null_rows = linalg.solve_left(RATIONAL, [(), ()], [(), ()])

    assert particular == identity
    assert null_rows == list(identity)


def test_solve_left_matches_rank_criterion():
    # A M = M' is solvable exactly when the rows of M' lie in the row space of M.
    generator = random.Random(11)
    solvable_count = 0

    for _ in range(40):
        size, columns = generator.randint(1, 4), generator.randint(1, 4)
        matrix = random_integer_matrix(
            generator, size, columns, generator.randint(0, min(size, columns))
        )
        if generator.random() < 0.5:
            target = Matrix(size, size, lambda i, j: generator.randint(-2, 2)) * matrix
        else:
            target = Matrix(size, columns, lambda i, j: generator.randint(-2, 2))
        matrix_rows = to_rows(RATIONAL, matrix.tolist())
        target_rows = to_rows(RATIONAL, target.tolist())

        result = linalg.solve_left(RATIONAL, matrix_rows, target_rows)

        solvable = matrix.rank() == Matrix.vstack(matrix, target).rank()
        assert (result is not None) == solvable
        if result is not None:
            solvable_count += 1
            particular, null_rows = result
            assert_same_matrix(RATIONAL, product(RATIONAL, particular, matrix_rows), target_rows)
            assert len(null_rows) == size - matrix.rank()

    # The seed must exercise both outcomes.
    assert 0 < solvable_count < 40


# -- invertible_completion -------------------------------------------------------------------


def test_invertible_completion_rational_case():
    matrix = to_rows(RATIONAL, [[1, 2], [2, 4]])
    target = to_rows(RATIONAL, [[2, 4], [1, 2]])
    particular, null_rows = linalg.solve_left(RATIONAL, matrix, target)

    completed = linalg.invertible_completion(RATIONAL, particular, null_rows)

    expected = [[Rational(6, 5), Rational(2, 5)], [Rational(-1, 5), Rational(3, 5)]]
    assert completed == tuple(to_rows(RATIONAL, expected))


@pytest.mark.parametrize(
    ("field", "matrix", "target"),
    [
        pytest.param(RATIONAL, [[1, 2], [2, 4]], [[2, 4], [1, 2]], id="rational-rank-one"),
        pytest.param(
            RATIONAL,
            [[1, 0, 1], [0, 1, 1], [1, 1, 2]],
            [[0, 1, 1], [1, 0, 1], [1, 1, 2]],
            id="rational-three",
        ),
        pytest.param(
            SQRT_2, [[1, sqrt(2)], [sqrt(2), 2]], [[sqrt(2), 2], [1, sqrt(2)]], id="sqrt-2"
        ),
        pytest.param(SYMBOLIC, [[1, a], [a, a**2]], [[2, 2 * a], [0, 0]], id="symbolic"),
        pytest.param(
            COMPOSITE,
            [[1, a], [pi, pi * a]],
            [[pi, pi * a], [1, a]],
            id="composite",
        ),
    ],
)
def test_invertible_completion_keeps_solution(field, matrix, target):
    matrix_rows = to_rows(field, matrix)
    target_rows = to_rows(field, target)
    particular, null_rows = linalg.solve_left(field, matrix_rows, target_rows)
    assert null_rows

    completed = linalg.invertible_completion(field, particular, null_rows)

    assert_same_matrix(field, product(field, completed, matrix_rows), target_rows)
    # The completion is the identity on the span of the null rows, as columns.
    for vector in null_rows:
        column = [(entry,) for entry in vector]
        assert_same_matrix(field, product(field, completed, column), column)
    assert linalg.rank(field, list(completed)) == len(completed)


def test_invertible_completion_without_null_rows_keeps_particular():
    particular = tuple(to_rows(RATIONAL, [[0, 1], [1, 0]]))

    assert linalg.invertible_completion(RATIONAL, particular, []) == particular
