"""Tests of the Arb-ball enclosures behind certified signs and witnesses."""

from __future__ import annotations

import re

import flint
import pytest
import sympy
from sympy import E, Rational, Symbol, cos, pi, sin, sqrt

from symequiv.errors import UnsupportedError
from symequiv.exact.intervals import (
    MAX_PRECISION,
    arb_relu,
    certified_sign,
    describe_ball,
    expression_to_arb,
    working_precision,
)

a = Symbol("a", real=True)
t = Symbol("t", real=True)


def reference_ball(expression):
    """Return a tight Arb ball around the 50-digit value of ``expression``."""
    with working_precision(256):
        return flint.arb(str(sympy.N(expression, 50)))


def unevaluated_power(base, exponent):
    return sympy.Pow(base, exponent, evaluate=False)


# One entry per node type that expression_to_arb handles.
SUPPORTED_EXPRESSIONS = [
    pytest.param(Rational(1, 3), id="rational"),
    pytest.param(sympy.Integer(-7), id="integer"),
    pytest.param(pi, id="pi"),
    pytest.param(E, id="e"),
    pytest.param(pi + Rational(1, 7) + E, id="add"),
    pytest.param(Rational(-2, 3) * pi * E, id="mul"),
    pytest.param(unevaluated_power(pi, 3), id="positive-integer-power"),
    pytest.param(unevaluated_power(pi, -2), id="negative-integer-power"),
    pytest.param(unevaluated_power(Rational(2, 3), -3), id="rational-negative-power"),
    pytest.param(sqrt(2), id="sqrt"),
    pytest.param(unevaluated_power(3, Rational(3, 2)), id="three-halves-power"),
    pytest.param(unevaluated_power(3, Rational(-1, 2)), id="negative-half-power"),
    pytest.param(unevaluated_power(3, Rational(-3, 2)), id="negative-three-halves-power"),
    pytest.param(2 ** Rational(1, 3), id="cube-root"),
    pytest.param(2 ** sqrt(2), id="irrational-power"),
    pytest.param(pi**pi, id="pi-to-pi"),
    pytest.param(sympy.exp(Rational(1, 3)), id="exp"),
    pytest.param(sympy.log(3), id="log"),
    pytest.param(sympy.Abs(1 - pi), id="abs"),
    pytest.param(sympy.tanh(Rational(1, 2)), id="tanh"),
    pytest.param(sympy.sinh(2), id="sinh"),
    pytest.param(sympy.cosh(2), id="cosh"),
    pytest.param(sin(1), id="sin"),
    pytest.param(cos(1), id="cos"),
    pytest.param(sympy.atan(3), id="atan"),
    pytest.param(sympy.erf(Rational(1, 2)), id="erf"),
    pytest.param(cos(pi / 7), id="cos-rational-pi"),
    pytest.param(sin(2 * pi / 7), id="sin-rational-pi"),
    pytest.param(cos(3 * pi / 11), id="cos-three-elevenths-pi"),
    pytest.param(sympy.Max(sqrt(2), Rational(7, 5), evaluate=False), id="max"),
    pytest.param(sympy.Min(sqrt(2), Rational(7, 5), evaluate=False), id="min"),
    pytest.param(sympy.Max(sqrt(2), Rational(3, 2), pi, evaluate=False), id="max-of-three"),
    pytest.param(sympy.Min(sqrt(2), Rational(3, 2), 1, evaluate=False), id="min-of-three"),
    pytest.param(sqrt(2) * sympy.exp(-pi) + cos(pi / 7) * sympy.log(2), id="composite"),
]


@pytest.mark.parametrize("expression", SUPPORTED_EXPRESSIONS)
def test_expression_to_arb_encloses_value(expression):
    with working_precision(128):
        ball = expression_to_arb(expression)

    assert ball.contains(reference_ball(expression))
    # A wide ball contains everything; at 128 bits the radius must be tiny.
    assert ball.rad() < flint.arb(2) ** -100


@pytest.mark.parametrize("expression", SUPPORTED_EXPRESSIONS[:6])
def test_expression_to_arb_encloses_value_at_default_precision(expression):
    with working_precision(53):
        ball = expression_to_arb(expression)

    assert ball.contains(reference_ball(expression))


def test_expression_to_arb_of_rational_is_exact():
    ball = expression_to_arb(Rational(-5, 4))

    assert ball == flint.arb(flint.fmpq(-5, 4))
    assert ball.rad() == 0


def test_expression_to_arb_uses_substitutions():
    with working_precision(128):
        ball = expression_to_arb(sqrt(a) * sympy.tanh(a) + a**2, {a: flint.arb(3)})

    assert ball.contains(reference_ball(sqrt(3) * sympy.tanh(3) + 9))


def arb_of(value):
    """Return the Arb ball of a rational number, a point when the number is dyadic."""
    value = sympy.Rational(value)
    return flint.arb(flint.fmpq(int(value.p), int(value.q)))


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        pytest.param(sympy.Max(t, 0), -2, 0, id="max-negative"),
        pytest.param(sympy.Max(t, 0), Rational(5, 2), Rational(5, 2), id="max-positive"),
        pytest.param(sympy.Min(t, 0), -2, -2, id="min-negative"),
        pytest.param(sympy.Max(t, t / 4), -3, Rational(-3, 4), id="leaky-relu"),
    ],
)
def test_max_and_min_exact_on_points(expression, value, expected):
    # The values are dyadic, so the balls are points and the result must be one too.
    ball = expression_to_arb(expression, {t: arb_of(value)})

    assert ball == arb_of(expected)
    assert ball.rad() == 0


def test_max_encloses_range_on_ball():
    # t in [-3, 1], so max(t, 0) ranges over [0, 1].
    ball = expression_to_arb(sympy.Max(t, 0), {t: flint.arb(-1, 2)})

    for value in (0, flint.fmpq(1, 2), 1):
        assert ball.contains(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(flint.arb(-3), flint.arb(0), id="negative"),
        pytest.param(flint.arb(0), flint.arb(0), id="zero"),
        pytest.param(flint.arb(flint.fmpq(5, 2)), flint.arb(flint.fmpq(5, 2)), id="positive"),
    ],
)
def test_arb_relu_is_exact_on_points(value, expected):
    result = arb_relu(value)

    assert result == expected
    assert result.rad() == 0


def test_arb_relu_encloses_range_on_ball():
    # The ball [-3, 1] maps onto [0, 1].
    result = arb_relu(flint.arb(-1, 2))

    for value in (0, flint.fmpq(1, 2), 1):
        assert result.contains(value)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        pytest.param(
            sympy.Piecewise((1, t > 0), (0, True)),
            "Piecewise expressions have no interval evaluation; use Max/Min",
            id="piecewise",
        ),
        pytest.param(
            sympy.CRootOf(t**5 - t - 1, 0),
            "no interval evaluation for ComplexRootOf in CRootOf(t**5 - t - 1, 0)",
            id="crootof",
        ),
        pytest.param(
            sympy.gamma(Rational(1, 3)),
            "no interval evaluation for gamma in gamma(1/3)",
            id="gamma",
        ),
        pytest.param(sympy.Float(0.5), "no interval evaluation for Float in 0.5", id="float"),
        pytest.param(sympy.I, "no interval evaluation for ImaginaryUnit in I", id="imaginary-unit"),
        pytest.param(sympy.oo, "no interval evaluation for Infinity in oo", id="infinity"),
        pytest.param(
            a + 1, "no value for the symbol a in an interval evaluation", id="missing-symbol"
        ),
        pytest.param(
            sympy.exp(sympy.gamma(2 * a)),
            "no interval evaluation for gamma in gamma(2*a)",
            id="nested-unsupported",
        ),
    ],
)
def test_expression_to_arb_rejects_unsupported_nodes(expression, message):
    with pytest.raises(UnsupportedError, match=re.escape(message)):
        expression_to_arb(expression)


def test_unsupported_error_is_not_implemented_error():
    with pytest.raises(NotImplementedError):
        expression_to_arb(sympy.gamma(Rational(1, 3)))


# -- certified signs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param(1 - sqrt(2), -1, id="one-minus-sqrt-2"),
        pytest.param(sqrt(2) - Rational(7, 5), 1, id="sqrt-2-minus-seven-fifths"),
        pytest.param(pi - Rational(355, 113), -1, id="pi-minus-355-over-113"),
        pytest.param(cos(pi / 7) - Rational(9, 10), 1, id="cos-pi-seventh"),
        pytest.param(sympy.exp(pi) - pi - 20, -1, id="exp-pi-minus-pi"),
        pytest.param(
            # exp(pi sqrt(163)) is within 1e-12 of an integer.
            sympy.exp(pi * sqrt(163)) - 640320**3 - 744,
            -1,
            id="ramanujan-constant",
        ),
        pytest.param(
            # sqrt(2) rounded up at the 60th decimal differs from sqrt(2) by about 2.6e-61,
            # so 128 bits cannot separate the difference from zero.
            sqrt(2)
            - Rational(1414213562373095048801688724209698078569671875376948073176680, 10**60),
            -1,
            id="needs-more-than-128-bits",
        ),
        pytest.param(Rational(-1, 10**50), -1, id="tiny-rational"),
    ],
)
def test_certified_sign(expression, expected):
    assert certified_sign(expression) == expected


def test_certified_sign_doubles_precision():
    # sqrt(2) rounded up at the 60th decimal differs from sqrt(2) by about 2.6e-61.
    close = sqrt(2) - Rational(
        1414213562373095048801688724209698078569671875376948073176680, 10**60
    )

    with working_precision(128):
        first_attempt = expression_to_arb(close)

    assert first_attempt.contains(0)
    assert certified_sign(close) == -1


def test_certified_sign_uses_substitutions():
    assert certified_sign(a - 1, {a: flint.arb(2)}) == 1
    assert certified_sign(a - 1, {a: flint.arb(0)}) == -1


def test_certified_sign_of_disguised_zero_raises():
    # (1 + sqrt(2))^2 - 3 - 2 sqrt(2) is zero, and no ball excludes zero.
    zero = (1 + sqrt(2)) ** 2 - 3 - 2 * sqrt(2)
    message = f"could not decide the sign of {zero} with {MAX_PRECISION} bits of precision"

    with pytest.raises(UnsupportedError, match=re.escape(message)):
        certified_sign(zero)


def test_certified_sign_restores_precision():
    before = flint.ctx.prec

    certified_sign(
        sqrt(2) - Rational(1414213562373095048801688724209698078569671875376948073176680, 10**60)
    )

    assert flint.ctx.prec == before


def test_certified_sign_restores_precision_after_failure():
    before = flint.ctx.prec

    with pytest.raises(UnsupportedError):
        certified_sign(sympy.Integer(0))

    assert flint.ctx.prec == before


# -- working precision ---------------------------------------------------------------


def test_working_precision_sets_and_restores():
    before = flint.ctx.prec

    with working_precision(300):
        assert flint.ctx.prec == 300

    assert flint.ctx.prec == before


def test_working_precision_restores_when_block_raises():
    before = flint.ctx.prec

    with pytest.raises(RuntimeError, match="inside the block"):
        with working_precision(300):
            raise RuntimeError("inside the block")

    assert flint.ctx.prec == before


def test_working_precision_nests():
    before = flint.ctx.prec

    with working_precision(200):
        with working_precision(400):
            assert flint.ctx.prec == 400
        assert flint.ctx.prec == 200

    assert flint.ctx.prec == before


def test_working_precision_changes_ball_radius():
    with working_precision(64):
        coarse = expression_to_arb(sqrt(2))
    with working_precision(256):
        fine = expression_to_arb(sqrt(2))

    assert fine.rad() < coarse.rad()


def test_describe_ball():
    with working_precision(53):
        ball = flint.arb(1) / 3

    assert describe_ball(ball) == "[0.3333333333 +/- 3.34e-11]"
