r"""Reflections built as versors in the geometric algebra of :math:`\mathbb{R}^n` (galgebra).

A nonzero vector :math:`n` acts on vectors by the sandwich product
:math:`x \mapsto -n x n^{-1}`, which is the reflection in the hyperplane
orthogonal to :math:`n` (Hestenes and Sobczyk, *Clifford Algebra to Geometric
Calculus*, 1984, section 1-3). Its matrix has columns :math:`-n e_i n^{-1}`.
"""

from __future__ import annotations

import sympy

from symequiv.errors import GroupError

# The algebra has 2**n basis blades, so galgebra is used up to this dimension;
# above it the same matrix comes from the closed form I - 2 n n^T / (n . n).
MAX_VERSOR_DIMENSION = 10


def reflection_matrix(normal):
    r"""Return the matrix of the reflection along ``normal`` as a sympy Matrix.

    Parameters
    ----------
    normal : sequence of sympy.Expr
        A nonzero vector :math:`n`.

    Returns
    -------
    sympy.Matrix
        :math:`I - 2 n n^T / (n \cdot n)`, computed as the versor sandwich
        :math:`-n e_i n^{-1}` when ``len(normal) <= MAX_VERSOR_DIMENSION``.

    Raises
    ------
    GroupError
        When ``normal`` is zero.

    Examples
    --------
    >>> reflection_matrix([1, -1])
    Matrix([
    [0, 1],
    [1, 0]])
    """
    normal = [sympy.sympify(entry) for entry in normal]
    norm_squared = sympy.expand(sum(entry**2 for entry in normal))
    if norm_squared == 0:
        raise GroupError(f"the reflection normal {normal} is the zero vector")
    dimension = len(normal)
    if dimension <= MAX_VERSOR_DIMENSION:
        return _versor_reflection(normal)
    return sympy.eye(dimension) - 2 * sympy.Matrix(normal) * sympy.Matrix(normal).T / norm_squared


def _versor_reflection(normal):
    from galgebra.ga import Ga

    dimension = len(normal)
    names = " ".join(f"e{index}" for index in range(dimension))
    algebra_and_basis = Ga.build(names, g=[1] * dimension)
    basis = algebra_and_basis[1:]
    versor = sum((coefficient * vector for coefficient, vector in zip(normal, basis)),
                 0 * basis[0])
    inverse = versor.inv()
    columns = [(-versor * vector * inverse).blade_coefs(list(basis)) for vector in basis]
    return sympy.Matrix(dimension, dimension,
                        lambda row, column: sympy.simplify(columns[column][row]))
