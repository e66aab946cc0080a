r"""Exact LaTeX for numbers, vectors, matrices, maps and words.

Numbers come from :func:`sympy.latex` of the exact element (fractions,
radicals, cos of rational multiples of pi, free symbols). Matrices wider or
taller than ``max_dimension`` are elided: the first rows and columns, a row
and a column of dots, and the last ones, with the shape stated. Permutations
and signed permutations are also written in cycle notation, coordinates
numbered from 1 (:mod:`symequiv.actions.notation`).
"""

from __future__ import annotations

import sympy

from symequiv.actions.maps import MonomialMatrix
from symequiv.actions.notation import permutation_cycles, signed_cycles

MAX_DIMENSION = 10
# Rows and columns kept at each end of an elided matrix.
HEAD = 4
TAIL = 2

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}


def escape(text):
    """Escape plain text for LaTeX's text mode."""
    return "".join(_SPECIAL.get(character, character) for character in str(text))


class Typesetter:
    """LaTeX for the elements of one exact field, caching repeated values.

    Parameters
    ----------
    field : ExactField
    max_dimension : int
        Matrices with more rows or columns are elided.
    """

    def __init__(self, field, max_dimension=MAX_DIMENSION):
        self.field = field
        self.max_dimension = max_dimension
        self.cache = {}
        self.widest = 1

    def number(self, element):
        text = self.cache.get(element)
        if text is None:
            text = sympy.latex(self.field.to_expr(element))
            self.cache[element] = text
        return text

    def _kept(self, count):
        if count <= self.max_dimension:
            return list(range(count)), None
        return list(range(HEAD)) + list(range(count - TAIL, count)), HEAD

    def matrix(self, rows, columns=None):
        r"""Typeset a matrix given by rows as ``bmatrix``, elided when large."""
        rows = [list(row) for row in rows]
        columns = len(rows[0]) if rows else (columns or 0)
        if not rows or not columns:
            return r"\begin{bmatrix}\end{bmatrix}"
        kept_rows, row_gap = self._kept(len(rows))
        kept_columns, column_gap = self._kept(columns)
        lines = []
        for position, row in enumerate(kept_rows):
            if position == row_gap:
                dots = [r"\vdots"] * len(kept_columns)
                if column_gap is not None:
                    dots.insert(column_gap, r"\ddots")
                lines.append(" & ".join(dots))
            entries = [self.number(rows[row][column]) for column in kept_columns]
            if column_gap is not None:
                entries.insert(column_gap, r"\cdots")
            lines.append(" & ".join(entries))
        self.widest = max(self.widest, len(kept_columns) + (column_gap is not None))
        body = r" \\ ".join(lines)
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"

    def column(self, values):
        """Typeset a vector as a column matrix."""
        return self.matrix([[value] for value in values])

    def row_vector(self, values):
        """Typeset a vector as a transposed row, which takes less height."""
        return self.matrix([list(values)]) + "^{\\top}"

    def shape_note(self, rows, columns):
        """Say, in math mode, that a matrix was elided; an empty string when it was not."""
        if rows <= self.max_dimension and columns <= self.max_dimension:
            return ""
        return rf"\quad ({rows} \times {columns}\text{{, elided}})"

    def cycles(self, affine_map):
        """Cycle notation of a permutation or signed permutation, else None."""
        linear = affine_map.linear
        if not isinstance(linear, MonomialMatrix):
            return None
        if linear.is_permutation:
            text = permutation_cycles(linear.images)
        elif linear.is_signed_permutation:
            one = self.field.one
            text = signed_cycles(linear.images, [1 if scale == one else -1
                                                 for scale in linear.scales])
        else:
            return None
        return text.replace(" ", r"\;").replace(")-", r")^{-}")

    def map(self, affine_map):
        r"""Typeset :math:`x \mapsto A x + t` as the matrix, with the translation when nonzero."""
        text = self.matrix(affine_map.linear.rows())
        if affine_map.translation is not None:
            text += " + " + self.column(affine_map.translation)
        return text

    def map_description(self, affine_map):
        """Words that accompany :meth:`map`: cycle notation or the kind of matrix."""
        cycles = self.cycles(affine_map)
        linear = affine_map.linear
        if cycles is not None:
            kind = "permutation" if linear.is_permutation else "signed permutation"
            return rf"the {kind} ${cycles}$"
        if isinstance(linear, MonomialMatrix):
            pairs = ", ".join(rf"e_{{{column + 1}}} \mapsto {self.number(scale)}\,"
                              rf"e_{{{image + 1}}}" for column, (image, scale)
                              in enumerate(zip(linear.images, linear.scales)))
            if linear.dimension > self.max_dimension:
                return "a monomial matrix"
            return rf"the monomial matrix ${pairs}$"
        return "a dense matrix"


# Slices of a parameter with more than two axes (attention heads, convolution kernels)
# shown before the rest are summarized.
MAX_SLICES = 6


def _depth(value):
    depth = 0
    while isinstance(value, tuple) and value:
        value = value[0]
        depth += 1
    return depth


def parameter_slices(value):
    """Split a parameter (nested tuples) into ``(index, rows)`` matrices, for display.

    A vector is one row, a matrix is itself, and a parameter with more axes is
    split along its leading axes; ``index`` is the tuple of those indices (from 0).
    Returns the slices shown and the number left out.
    """
    depth = _depth(value)
    if depth <= 2:
        return [((), value if depth == 2 else (value,) if depth == 1 else ((value,),))], 0
    slices = []
    for position, item in enumerate(value):
        for index, rows in parameter_slices(item)[0]:
            slices.append(((position,) + index, rows))
    return slices[:MAX_SLICES], max(0, len(slices) - MAX_SLICES)


def word(word_object, symbol=None):
    r"""Typeset a word as a product of ``symbol(g)`` factors, such as ``\rho_1(r)^{4}``.

    Without ``symbol`` the factors are the generator names, as in a presentation.
    """
    if not word_object.letters:
        return "I" if symbol else "e"
    factors = []
    for name, exponent in word_object.letters:
        factor = rf"{symbol}({escape(name)})" if symbol else escape(name)
        factors.append(factor if exponent == 1 else rf"{factor}^{{{exponent}}}")
    return " ".join(factors)
