"""Tests of ExactField: choice of domain, conversion, signs and enclosures."""

from __future__ import annotations

import random
import re

import flint
import pytest
import sympy
from sympy import Rational, Symbol, cos, pi, sqrt

from symequiv.errors import UnsupportedError
from symequiv.exact.field import ExactField
from symequiv.exact.intervals import working_precision

a = Symbol("a", real=True)
b = Symbol("b", real=True)


def reference_ball(expression):
    """Return a tight Arb ball around the 50-digit value of ``expression``."""
    with working_precision(256):
        return flint.arb(str(sympy.N(expression, 50)))


# -- choice of field ---------------------------------------------------------------


@pytest.mark.parametrize(
    "expressions",
    [
        pytest.param([], id="empty"),
        pytest.param([1, 2], id="python-integers"),
        pytest.param([1, Rational(1, 2), Rational(-7, 3)], id="rationals"),
    ],
)
def test_for_expressions_picks_rationals(expressions):
    field = ExactField.for_expressions(expressions)

    assert field == ExactField.rational()
    assert field.is_rational
    assert str(field) == "QQ"
    assert field.symbols == ()


@pytest.mark.parametrize(
    ("expressions", "name"),
    [
        pytest.param([sqrt(2), Rational(1, 2)], "QQ<sqrt(2)>", id="sqrt-2"),
        pytest.param([sqrt(8)], "QQ<sqrt(2)>", id="sqrt-8-same-field"),
        pytest.param([sqrt(2), sqrt(3)], "QQ<sqrt(2) + sqrt(3)>", id="two-radicals"),
        pytest.param([cos(pi / 7)], "QQ<cos(pi/7)>", id="cos-pi-seventh"),
        pytest.param([2 ** Rational(1, 3)], "QQ<2**(1/3)>", id="cube-root"),
    ],
)
def test_for_expressions_picks_number_field(expressions, name):
    field = ExactField.for_expressions(expressions)

    assert str(field) == name
    assert field.domain.is_Algebraic
    assert not field.is_rational
    assert field.symbols == ()


def test_field_equality_follows_domain():
    first = ExactField.for_expressions([sqrt(2)])
    second = ExactField.for_expressions([sqrt(8)])

    assert first == second
    assert hash(first) == hash(second)


@pytest.mark.parametrize(
    ("expressions", "name", "symbols"),
    [
        pytest.param([a], "ZZ(a)", (a,), id="one-symbol"),
        pytest.param([a, b / 2], "ZZ(a,b)", (a, b), id="two-symbols"),
        pytest.param([pi], "ZZ(pi)", (), id="bare-pi-is-a-generator"),
        pytest.param([pi, a], "ZZ(a,pi)", (a,), id="bare-pi-and-symbol"),
    ],
)
def test_for_expressions_picks_fraction_field_for_symbols(expressions, name, symbols):
    field = ExactField.for_expressions(expressions)

    assert str(field) == name
    assert field.domain.is_FractionField
    assert field.symbols == symbols


def test_for_expressions_rejects_pi_with_cosine():
    message = (
        "cannot represent cos(pi/7) exactly: pi outside cos/sin cannot be combined "
        "with cos/sin of multiples of pi and free symbols"
    )

    with pytest.raises(UnsupportedError, match=re.escape(message)):
        ExactField.for_expressions([cos(pi / 7), pi])


# -- conversion ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generators", "expression"),
    [
        pytest.param([Rational(1, 2)], Rational(-5, 3), id="rational"),
        pytest.param([sqrt(2)], 1 - sqrt(2), id="sqrt-2"),
        pytest.param([sqrt(2)], sqrt(2) / 2 + 3, id="sqrt-2-affine"),
        pytest.param([sqrt(2), sqrt(3)], sqrt(6) - 1, id="product-of-radicals"),
        pytest.param([cos(pi / 7)], cos(pi / 7) - Rational(9, 10), id="cos-pi-seventh"),
        pytest.param([a], a / (2 * a + 3), id="rational-function"),
        pytest.param([a, b], a * b - b**2 / 3, id="two-symbols"),
        pytest.param([pi, a], pi * a - 1, id="symbol-and-pi"),
        pytest.param([pi, a], (1 - pi) * a / (a + 1), id="symbol-and-pi-quotient"),
        pytest.param([pi], pi - 3, id="bare-pi"),
    ],
)
def test_convert_and_to_expr_round_trip(generators, expression):
    field = ExactField.for_expressions(generators + [expression])

    element = field.convert(expression)
    back = field.to_expr(element)

    assert sympy.simplify(back - expression) == 0
    assert field.convert(back) == element


@pytest.mark.parametrize(
    "generators",
    [
        pytest.param([], id="rationals"),
        pytest.param([sqrt(2)], id="sqrt-2"),
        pytest.param([a], id="symbol"),
        pytest.param([pi, a], id="symbol-and-pi"),
    ],
)
def test_convert_python_integer(generators):
    field = ExactField.for_expressions(generators)

    element = field.convert(3)

    assert field.to_expr(element) == 3
    assert element == field.one + field.one + field.one


def test_join_and_extended_by_contain_both_fields():
    rational = ExactField.rational()
    radical = ExactField.for_expressions([sqrt(2)])

    assert rational.join(radical) == radical
    assert radical.join(radical) is radical
    assert radical.extended_by([Rational(1, 2)]) is radical

    extended = radical.extended_by([sqrt(3)])
    element = extended.convert(sqrt(2) + sqrt(3))
    assert sympy.simplify(extended.to_expr(element) - sqrt(2) - sqrt(3)) == 0


@pytest.mark.parametrize(
    "generators",
    [
        pytest.param([a], id="symbols-over-rationals"),
        pytest.param([pi, a], id="symbols-and-pi"),
    ],
)
def test_equal_elements_hash_equal(generators):
    # field.py documents domain elements as canonical, so equal values must compare and hash equal.
    field = ExactField.for_expressions(generators)
    halved = field.convert(2 * a) / field.convert(2)
    symbol = field.convert(a)

    assert halved - symbol == field.zero
    assert halved == symbol
    assert hash(halved) == hash(symbol)


# -- signs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Rational(1, 3), 1, id="positive"),
        pytest.param(Rational(-1, 3), -1, id="negative"),
        pytest.param(0, 0, id="zero"),
        pytest.param(Rational(-(10**30) + 1, 10**30), -1, id="close-to-minus-one"),
    ],
)
def test_sign_of_rational(rational, value, expected):
    assert rational.sign(rational.convert(value)) == expected


@pytest.mark.parametrize(
    ("generators", "value", "expected"),
    [
        pytest.param([sqrt(2)], 1 - sqrt(2), -1, id="one-minus-sqrt-2"),
        pytest.param([sqrt(2)], sqrt(2) - Rational(7, 5), 1, id="sqrt-2-minus-seven-fifths"),
        pytest.param(
            [sqrt(2)],
            sqrt(2) - Rational(1414213562373095, 10**15),
            1,
            id="sqrt-2-minus-16-digit-truncation",
        ),
        pytest.param(
            # sqrt(2) rounded up at the 60th decimal, so a 128-bit ball still contains zero.
            [sqrt(2)],
            sqrt(2)
            - Rational(1414213562373095048801688724209698078569671875376948073176680, 10**60),
            -1,
            id="sqrt-2-minus-60-digit-rounding-up",
        ),
        pytest.param([sqrt(2)], sqrt(2) - sqrt(2), 0, id="zero"),
        pytest.param([cos(pi / 7)], cos(pi / 7) - Rational(9, 10), 1, id="cos-pi-seventh"),
        pytest.param(
            [sqrt(2), sqrt(3)], sqrt(2) + sqrt(3) - Rational(22, 7), 1, id="sum-of-radicals"
        ),
        pytest.param([sqrt(2), sqrt(3)], sqrt(6) - Rational(49, 20), -1, id="product-of-radicals"),
        pytest.param([pi], pi - 3, 1, id="pi-minus-three"),
        pytest.param([pi], Rational(355, 113) - pi, 1, id="355-over-113-minus-pi"),
    ],
)
def test_sign_of_constant(generators, value, expected):
    field = ExactField.for_expressions(generators)

    assert field.sign(field.convert(value)) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(a, id="symbol"),
        pytest.param(a - 1, id="affine"),
        pytest.param(-(a**2) - 1, id="negative-definite"),
        pytest.param(pi * a, id="pi-coefficient"),
        pytest.param(a / (a + 1), id="quotient"),
    ],
)
def test_sign_of_symbolic_element_is_none(value):
    field = ExactField.for_expressions([pi, a])

    assert field.sign(field.convert(value)) is None


def test_sign_of_constant_in_symbolic_field():
    field = ExactField.for_expressions([pi, a])

    assert field.sign(field.convert(pi - 3)) == 1
    assert field.sign(field.convert(3 - pi)) == -1
    assert field.sign(field.zero) == 0


def test_field_rejects_sqrt_of_symbol():
    # sqrt(a) would become a generator whose sign and constancy depend on a.
    with pytest.raises(UnsupportedError, match="cannot compute exactly with sqrt"):
        ExactField.for_expressions([sqrt(a)])


@pytest.mark.parametrize(
    "values",
    [pytest.param([sqrt(2), a], id="sqrt-2"), pytest.param([cos(pi / 7), a], id="cos-pi-seventh")],
)
def test_field_rejects_symbols_over_number_field(values):
    # sympy does not cancel constant factors there, so equality would not be exact.
    with pytest.raises(UnsupportedError, match="cannot be combined with irrational numbers"):
        ExactField.for_expressions(values)


SYMBOLIC_ELEMENTS = [
    pytest.param(a, id="symbol"),
    pytest.param(1 - a, id="affine"),
    pytest.param(Rational(3, 2) * a - 1, id="fractional-coefficient"),
    pytest.param((1 - Rational(3, 2)) * a / (a + 1), id="negative-fractional-coefficient"),
    pytest.param(2 * a / (1 - a), id="negative-denominator"),
    pytest.param(a * b - b**2, id="two-symbols"),
    pytest.param((Rational(3, 2) - 1) * b / (a - Rational(3, 2)), id="two-symbols-quotient"),
]


@pytest.mark.parametrize("value", SYMBOLIC_ELEMENTS)
def test_canonical_sign_flips_with_negation(value):
    field = ExactField.for_expressions([a, b])
    element = field.convert(value)

    sign = field.canonical_sign(element)

    assert sign in (1, -1)
    assert field.canonical_sign(-element) == -sign


def test_canonical_sign_random_rational_functions():
    generator = random.Random(20260518)
    field = ExactField.for_expressions([a, b])

    def random_polynomial():
        terms = [
            generator.randint(-5, 5) * a ** generator.randint(0, 3) * b ** generator.randint(0, 2)
            for _ in range(3)
        ]
        return sum(terms) + generator.choice([a, b, a * b])

    for _ in range(50):
        element = field.convert(random_polynomial() / random_polynomial())
        sign = field.canonical_sign(element)

        assert sign in (1, -1)
        assert field.canonical_sign(-element) == -sign


@pytest.mark.parametrize(
    ("generators", "value"),
    [
        pytest.param([], Rational(-2, 3), id="rational"),
        pytest.param([sqrt(2)], 1 - sqrt(2), id="algebraic"),
        pytest.param([pi, a], pi - 1, id="constant-in-symbolic-field"),
    ],
)
def test_canonical_sign_equals_sign_for_constants(generators, value):
    field = ExactField.for_expressions(generators)
    element = field.convert(value)

    assert field.canonical_sign(element) == field.sign(element)


# -- leading constants and constancy --------------------------------------------------


@pytest.mark.parametrize(
    ("generators", "value"),
    [
        pytest.param([], Rational(-1, 3), id="rational"),
        pytest.param([sqrt(2)], 1 - sqrt(2), id="algebraic"),
    ],
)
def test_leading_constant_of_constant_is_itself(generators, value):
    field = ExactField.for_expressions(generators)
    element = field.convert(value)

    assert field.leading_constant(element) == element


@pytest.mark.parametrize(
    ("generators", "value", "expected"),
    [
        pytest.param([a], a / (2 * a + 3), Rational(1, 2), id="quotient"),
        pytest.param([a], -2 * a**2 + a, -2, id="polynomial"),
        pytest.param([a], Rational(7, 2), Rational(7, 2), id="constant-in-symbolic-field"),
        pytest.param([a], Rational(3, 2) * a - 1, Rational(3, 2), id="fractional-coefficient"),
        pytest.param([a], -Rational(1, 2) * a / (a + 1), -Rational(1, 2), id="fractional-quotient"),
    ],
)
def test_leading_constant_of_symbolic_element(generators, value, expected):
    field = ExactField.for_expressions(generators)

    leading = field.leading_constant(field.convert(value))

    assert leading - field.convert(expected) == field.zero


@pytest.mark.parametrize(
    ("value", "factor"),
    [
        pytest.param(a / (2 * a + 3), Rational(-5, 2), id="rational-factor"),
        pytest.param(pi * a**2 - a + 1, Rational(7, 3), id="element-with-pi"),
        pytest.param((a + 1) / (pi * a - 3), Rational(-2), id="negative-factor-with-pi"),
    ],
)
def test_leading_constant_scales_with_element(value, factor):
    field = ExactField.for_expressions([pi, a])
    element = field.convert(value)
    scaled = field.convert(factor) * element

    expected = field.convert(factor) * field.leading_constant(element)
    assert field.leading_constant(scaled) - expected == field.zero
    normalized = scaled / field.leading_constant(scaled)
    assert normalized - element / field.leading_constant(element) == field.zero


@pytest.mark.parametrize(
    ("generators", "value", "expected"),
    [
        pytest.param([], Rational(1, 2), True, id="rational"),
        pytest.param([sqrt(2)], sqrt(2), True, id="algebraic"),
        pytest.param([pi], pi, True, id="pi-generator"),
        pytest.param([pi, a], pi - 1, True, id="constant-in-symbolic-field"),
        pytest.param([pi, a], a - a, True, id="cancelled-symbol"),
        pytest.param([pi, a], a, False, id="symbol"),
        pytest.param([a, b], b / (b + 1), False, id="second-symbol"),
        pytest.param([pi, a], pi * a, False, id="symbol-times-pi"),
    ],
)
def test_is_constant(generators, value, expected):
    field = ExactField.for_expressions(generators)

    assert field.is_constant(field.convert(value)) is expected


# -- enclosures -----------------------------------------------------------------------


def test_to_arb_of_rational_is_exact(rational):
    ball = rational.to_arb(rational.convert(Rational(1, 3)))

    assert ball.contains(flint.fmpq(1, 3))
    assert rational.to_arb(rational.convert(Rational(-5, 4))) == flint.arb(flint.fmpq(-5, 4))


@pytest.mark.parametrize(
    ("generators", "value"),
    [
        pytest.param([sqrt(2)], 1 - sqrt(2), id="sqrt-2"),
        pytest.param([sqrt(2), sqrt(3)], sqrt(6) - sqrt(2) / 3, id="two-radicals"),
        pytest.param([cos(pi / 7)], cos(pi / 7) ** 2 - Rational(9, 10), id="cos-pi-seventh"),
        pytest.param([2 ** Rational(1, 3)], 2 ** Rational(2, 3) + 1, id="cube-root"),
        pytest.param([pi], pi**2 / 6, id="pi"),
        pytest.param([pi, a], pi - Rational(7, 5), id="constant-in-symbolic-field"),
    ],
)
def test_to_arb_encloses_constant(generators, value):
    field = ExactField.for_expressions(generators)

    with working_precision(128):
        ball = field.to_arb(field.convert(value))

    assert ball.contains(reference_ball(value))
    assert ball.rad() < flint.arb(2) ** -100


def test_to_arb_encloses_symbolic_element_with_substitutions():
    field = ExactField.for_expressions([pi, a])
    element = field.convert(pi * a / (a + 1))

    with working_precision(128):
        ball = field.to_arb(element, {a: flint.arb(3)})

    assert ball.contains(reference_ball(3 * pi / 4))


def test_to_arb_of_symbolic_element_without_values_raises():
    field = ExactField.for_expressions([pi, a])

    with pytest.raises(
        UnsupportedError, match="no value for the symbol a in an interval evaluation"
    ):
        field.to_arb(field.convert(pi * a))
