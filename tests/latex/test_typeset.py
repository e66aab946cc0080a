"""Typesetting numbers, matrices, maps and words exactly."""

from __future__ import annotations

import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix, linear_map
from symequiv.exact.field import ExactField
from symequiv.groups.words import parse_word
from symequiv.latex.typeset import Typesetter, escape, word


def test_escape_special_characters():
    assert escape("50% of a_1 & {b} ~ #2 $3 ^") == (
        r"50\% of a\_1 \& \{b\} \textasciitilde{} \#2 \$3 \textasciicircum{}")


def test_escape_angle_brackets_and_bar():
    # OT1 fonts print < > | in text mode as other glyphs (an inverted exclamation
    # mark for <), so they are written as text commands.
    assert escape(r"R^2 -> R^12, a < b > c | d ~ e \ f") == (
        r"R\textasciicircum{}2 -\textgreater{} R\textasciicircum{}12, a \textless{} b "
        r"\textgreater{} c \textbar{} d \textasciitilde{} e \textbackslash{} f")


def test_numbers_are_exact():
    field = ExactField.for_expressions([sympy.sqrt(2)])
    typeset = Typesetter(field)

    assert typeset.number(field.convert(sympy.sqrt(2) / 2)) == r"\frac{\sqrt{2}}{2}"
    assert typeset.number(field.convert(sympy.Rational(-3, 4))) == r"- \frac{3}{4}"


def test_small_matrix_in_full(rational):
    typeset = Typesetter(rational)
    rows = [[rational.convert(value) for value in row] for row in ([1, 2], [3, 4])]

    assert typeset.matrix(rows) == r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"
    assert typeset.shape_note(2, 2) == ""


def test_large_matrix_keeps_corners(rational):
    typeset = Typesetter(rational, max_dimension=5)
    rows = [[rational.convert(10 * row + column) for column in range(7)] for row in range(7)]

    text = typeset.matrix(rows)

    assert text.startswith(r"\begin{bmatrix} 0 & 1 & 2 & 3 & \cdots & 5 & 6 \\ ")
    assert r"\vdots & \vdots & \vdots & \vdots & \ddots & \vdots & \vdots" in text
    assert text.endswith(r"60 & 61 & 62 & 63 & \cdots & 65 & 66 \end{bmatrix}")
    assert typeset.shape_note(7, 7) == r"\quad (7 \times 7\text{, elided})"
    assert typeset.widest == 7


def test_signed_permutation_cycles(rational):
    one = rational.one
    affine = AffineMap(MonomialMatrix(rational, [1, 0, 2], [one, -one, -one]))

    assert Typesetter(rational).cycles(affine) == r"(1\;\allowbreak 2)^{-}\allowbreak (3)^{-}"
    assert Typesetter(rational).map_description(affine) == (
        r"the signed permutation $(1\;\allowbreak 2)^{-}\allowbreak (3)^{-}$")


def test_signed_cycle_minus_is_unary(rational):
    one = rational.one
    affine = AffineMap(MonomialMatrix(rational, [1, 0], [-one, -one]))
    typeset = Typesetter(rational)

    assert typeset.cycles(affine) == r"(1\;\allowbreak {-2})"
    assert typeset.signed_used


def test_permutation_cycles_not_marked_signed(rational):
    one = rational.one
    affine = AffineMap(MonomialMatrix(rational, [1, 2, 0], [one, one, one]))
    typeset = Typesetter(rational)

    assert typeset.cycles(affine) == r"(1\;\allowbreak 2\;\allowbreak 3)"
    assert not typeset.signed_used


def test_elided_permutation_stated_by_cycles(rational):
    one = rational.one
    affine = AffineMap(MonomialMatrix(rational, [1, 0, 2, 3], [one] * 4))

    formula, words = Typesetter(rational, max_dimension=3).map_statement(affine)

    assert formula is None
    assert words == (r"the permutation $(1\;\allowbreak 2)$ (a 4 \(\times\) 4 matrix, "
                     "elided)")


def test_elided_monomial_lists_images(rational):
    scales = [rational.convert(value) for value in (2, 1, 1, 1)]
    affine = AffineMap(MonomialMatrix(rational, [1, 0, 2, 3], scales),
                       [rational.one] + [rational.zero] * 3)

    formula, words = Typesetter(rational, max_dimension=3).map_statement(affine)

    assert formula is None
    assert words.startswith(r"the monomial matrix $e_{1} \mapsto 2\,e_{2},\allowbreak\ ")
    assert r"(a 4 \(\times\) 4 matrix, elided) followed by the translation \(" in words
    assert words.endswith(r"\quad (4 \times 1\text{, elided})\)")


def test_small_map_keeps_matrix(rational):
    one = rational.one
    affine = AffineMap(MonomialMatrix(rational, [1, 0], [one, one]))

    formula, words = Typesetter(rational).map_statement(affine)

    assert formula == r"\begin{bmatrix} 0 & 1 \\ 1 & 0 \end{bmatrix}"
    assert words == r"the permutation $(1\;\allowbreak 2)$"


def test_dense_map_with_translation(rational):
    linear = linear_map(rational, [[rational.convert(1), rational.convert(1)],
                                   [rational.zero, rational.convert(1)]])
    affine = AffineMap(linear, [rational.convert(1), rational.zero])

    text = Typesetter(rational).map(affine)

    assert text == (r"\begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix} + "
                    r"\begin{bmatrix} 1 \\ 0 \end{bmatrix}")
    assert Typesetter(rational).map_description(affine) == "a dense matrix"


def test_words():
    relation = parse_word("m r^-1 m", {"m", "r"})

    assert word(relation, r"\rho_1") == r"\rho_1(m) \rho_1(r)^{-1} \rho_1(m)"
    assert word(relation) == "m r^{-1} m"
    assert word(parse_word("e", {"m"}), r"\rho_1") == "I"
