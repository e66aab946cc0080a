r"""Exact linear algebra over an :class:`~symequiv.exact.field.ExactField` (sympy DomainMatrix)."""

from __future__ import annotations

from sympy.polys.matrices import DomainMatrix


def to_domain_matrix(field, rows, columns=None):
    """Build a DomainMatrix from row tuples; ``columns`` is needed when there are no rows."""
    rows = [list(row) for row in rows]
    width = len(rows[0]) if rows else (columns or 0)
    return DomainMatrix(rows, (len(rows), width), field.domain)


def rank(field, rows, columns=None):
    """Return the rank of a matrix given by rows."""
    if not rows:
        return 0
    return to_domain_matrix(field, rows, columns).rank()


def left_null_space(field, rows):
    r"""Return a basis (as row tuples) of :math:`\{z : z M = 0\}` for ``M`` given by rows."""
    matrix = to_domain_matrix(field, rows)
    basis = matrix.transpose().nullspace()
    return [tuple(row) for row in basis.to_list()] if basis.shape[0] else []


def solve_left(field, matrix_rows, target_rows):
    r"""Solve :math:`A M = M'` for a square :math:`A`.

    Parameters
    ----------
    field : ExactField
    matrix_rows, target_rows : sequence of tuples
        :math:`M` and :math:`M'`, both of shape ``(d, n)``.

    Returns
    -------
    tuple or None
        ``(particular, null_rows)``: one solution :math:`A_0` as row tuples and a
        basis of :math:`\{z : z M = 0\}`, so that the solutions are
        :math:`A_0 + Z` with rows of :math:`Z` in that span; None when no
        solution exists.
    """
    size = len(matrix_rows)
    columns = len(matrix_rows[0]) if size else 0
    zero = field.zero
    if columns == 0:
        identity = [[field.one if row == column else zero for column in range(size)]
                    for row in range(size)]
        null_rows = [tuple(row) for row in identity]
        return tuple(tuple(row) for row in identity), null_rows
    # A M = M'  <=>  M^T A^T = M'^T: solve column by column of A^T via one rref.
    transposed = to_domain_matrix(field, matrix_rows).transpose()
    right = to_domain_matrix(field, target_rows).transpose()
    augmented = transposed.hstack(right)
    reduced, pivots = augmented.rref()
    reduced_rows = reduced.to_list()
    if any(pivot >= size for pivot in pivots):
        return None
    solution_columns = []
    for column in range(size):
        values = [zero] * size
        for row_index, pivot in enumerate(pivots):
            values[pivot] = reduced_rows[row_index][size + column]
        solution_columns.append(values)
    # solution_columns[i] is column i of A^T, that is, row i of A.
    particular = tuple(tuple(values) for values in solution_columns)
    return particular, left_null_space(field, matrix_rows)


def invertible_completion(field, particular, null_rows):
    r"""Return :math:`A_0 + (I - A_0) Q` with :math:`Q` the projector built from ``null_rows``.

    Adding :math:`(I - A_0) Q` keeps :math:`A M = M'` because :math:`Q M = 0`,
    and it makes :math:`A` the identity on the span of ``null_rows``, which is
    invertible in the usual case; the caller checks.
    """
    size = len(particular)
    basis = to_domain_matrix(field, null_rows, size)
    gram = basis * basis.transpose()
    projector = basis.transpose() * gram.inv() * basis
    identity = DomainMatrix.eye(size, field.domain)
    start = to_domain_matrix(field, particular)
    completed = start + (identity - start) * projector
    return tuple(tuple(row) for row in completed.to_list())


def multiply(field, left_rows, right_rows, inner=None):
    r"""Return the rows of :math:`L R` for matrices given by rows.

    ``inner`` is the shared dimension, needed when ``right_rows`` is empty.
    """
    left = to_domain_matrix(field, left_rows, inner)
    right = to_domain_matrix(field, right_rows)
    if left.shape[1] != right.shape[0]:
        raise ValueError(f"cannot multiply a {left.shape} matrix by a {right.shape} matrix")
    return tuple(tuple(row) for row in (left * right).to_list())


def transpose(rows):
    """Return the transpose of a matrix given by rows."""
    return tuple(zip(*rows))
