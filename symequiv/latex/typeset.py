r"""Exact LaTeX for numbers, vectors, matrices, maps and words.

Numbers come from :func:`sympy.latex` of the exact element (fractions,
radicals, cos of rational multiples of pi, free symbols). Matrices wider or
taller than ``max_dimension`` are elided: the first rows and columns, a row
and a column of dots, and the last ones, with the shape stated. Elided
permutation and monomial matrices are given by their cycle notation or the
images of the basis vectors instead. Permutations
and signed permutations are also written in cycle notation, coordinates
numbered from 1 (:mod:`symequiv.actions.notation`).
"""

from __future__ import annotations

import sympy

from symequiv.actions.maps import MonomialMatrix
from symequiv.actions.notation import permutation_cycles, signed_cycles

MAX_DIMENSION = 10
# A matrix whose LaTeX source is longer than this many characters gets one source
# line per row, since TeX Live reads at most 200000 characters per line.
LONG_SOURCE = 2000
# Rows and columns kept at each end of an elided matrix.
HEAD = 4
TAIL = 2

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}"}


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
    line_breaks : bool
        Put ``\\allowbreak`` into long inline formulas (cycle notation, lists of
        basis images) so that pdflatex can wrap them; False for notebook Markdown,
        which the browser wraps.
    """

    def __init__(self, field, max_dimension=MAX_DIMENSION, line_breaks=True):
        self.field = field
        self.max_dimension = max_dimension
        self.break_hint = r"\allowbreak " if line_breaks else ""
        self.cache = {}
        self.widest = 1
        # Set once a signed permutation is typeset, so the document explains the notation.
        self.signed_used = False

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
        # NOTE: a matrix shown in full overflows the page beyond about 30 columns, and
        # one of 256 x 256 exceeds pdflatex's default main memory (TeX Live 2022).
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
        separator = r" \\ "
        if self.break_hint and sum(len(line) for line in lines) > LONG_SOURCE:
            separator = " \\\\\n"
        body = separator.join(lines)
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"

    def column(self, values):
        """Typeset a vector as a column matrix."""
        return self.matrix([[value] for value in values])

    def row_vector(self, values):
        """Typeset a vector as a transposed row, which takes less height."""
        return self.matrix([list(values)]) + "^{\\top}"

    def is_elided(self, rows, columns):
        return rows > self.max_dimension or columns > self.max_dimension

    def shape_note(self, rows, columns):
        """Say, in math mode, that a matrix was elided; an empty string when it was not."""
        if not self.is_elided(rows, columns):
            return ""
        return rf"\quad ({rows} \times {columns}\text{{, elided}})"

    def cycles(self, affine_map):
        r"""Cycle notation of a permutation or signed permutation, else None.

        A negative entry is typeset as ``{-2}``, a unary minus, and a balanced
        cycle gets a superscript minus, ``(1\;2)^{-}``. Line breaks are allowed
        between cycles and between the entries of a cycle, so that the inline
        formula of a long permutation wraps instead of running off the page.
        """
        linear = affine_map.linear
        if not isinstance(linear, MonomialMatrix):
            return None
        if linear.is_permutation:
            text = permutation_cycles(linear.images)
        elif linear.is_signed_permutation:
            one = self.field.one
            text = signed_cycles(linear.images, [1 if scale == one else -1
                                                 for scale in linear.scales])
            self.signed_used = True
        else:
            return None
        cycles = []
        for body, balanced in _split_cycles(text):
            entries = [f"{{{entry}}}" if entry.startswith("-") else entry
                       for entry in body.split()]
            cycles.append("(" + (r"\;" + self.break_hint).join(entries) + ")"
                          + ("^{-}" if balanced else ""))
        return self.break_hint.join(cycles)

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
            separator = r",\allowbreak\ " if self.break_hint else ", "
            pairs = separator.join(
                rf"e_{{{column + 1}}} \mapsto {self.number(scale)}\,e_{{{image + 1}}}"
                for column, (image, scale) in enumerate(zip(linear.images, linear.scales)))
            return rf"the monomial matrix ${pairs}$"
        return "a dense matrix"

    def map_statement(self, affine_map):
        r"""Return ``(formula, words)`` for an affine map, for ``\(name = formula\), words``.

        The corner of an elided permutation or monomial matrix is mostly zeros,
        so its formula is None and the words carry the map instead: the cycle
        notation or the images of the basis vectors, the shape and the
        translation.
        """
        dimension = affine_map.dimension
        description = self.map_description(affine_map)
        if not (self.is_elided(dimension, dimension)
                and isinstance(affine_map.linear, MonomialMatrix)):
            return self.map(affine_map) + self.shape_note(dimension, dimension), description
        words = rf"{description} (a {dimension} \(\times\) {dimension} matrix, elided)"
        if affine_map.translation is not None:
            words += (r" followed by the translation \("
                      + self.column(affine_map.translation)
                      + self.shape_note(dimension, 1) + r"\)")
        return None, words


def _split_cycles(text):
    """Split signed cycle notation such as ``(1 -2)(3 4)-`` into ``(body, balanced)`` pairs."""
    cycles = []
    for piece in text.split("(")[1:]:
        body, _, rest = piece.partition(")")
        cycles.append((body, rest.startswith("-")))
    return cycles


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
