"""Tests of the activation catalogue: identities, evaluation forms, exact values and parsing."""

from __future__ import annotations

import re

import flint
import numpy
import pytest
import sympy

from symequiv.activations.catalogue import (
    MAX_POWER,
    NAMED,
    from_expression,
    leaky_relu,
    parse_activation_spec,
    power,
    t,
)
from symequiv.activations.symmetry import ScaleSet
from symequiv.errors import ExpressionError, InputError, LimitError
from symequiv.exact.field import ExactField
from symequiv.exact.intervals import working_precision

QQ_FIELD = ExactField.rational()

# Every catalogue entry by its theory-file spelling, with the expected name, scale set,
# latent group on R^3, negation identity (p, q, r) and degree of positive homogeneity.
CATALOGUE = [
    pytest.param("tanh", "tanh", ScaleSet.SIGN, "signed permutations of 3 coordinates",
                 (-1, 0, 0), None, id="tanh"),
    pytest.param("sigmoid", "sigmoid", ScaleSet.SIGN,
                 "signed permutations of 3 coordinates acting affinely "
                 "(a flip sends h to 1 - h)",
                 (-1, 0, 1), None, id="sigmoid"),
    pytest.param("relu", "relu", ScaleSet.POSITIVE, "positive monomial 3 x 3 matrices",
                 (1, -1, 0), 1, id="relu"),
    pytest.param("gelu", "gelu", ScaleSet.ONE, "permutations of 3 coordinates",
                 (1, -1, 0), None, id="gelu"),
    pytest.param("silu", "silu", ScaleSet.ONE, "permutations of 3 coordinates",
                 (1, -1, 0), None, id="silu"),
    pytest.param("softplus", "softplus", ScaleSet.ONE, "permutations of 3 coordinates",
                 (1, -1, 0), None, id="softplus"),
    pytest.param("identity", "identity", ScaleSet.AFFINE, "the affine group of R^3",
                 None, None, id="identity"),
    pytest.param({"leaky_relu": "1/10"}, "leaky_relu(1/10)", ScaleSet.POSITIVE,
                 "positive monomial 3 x 3 matrices", (1, sympy.Rational(-11, 10), 0), 1,
                 id="leaky_relu-1/10"),
    pytest.param({"leaky_relu": 2}, "leaky_relu(2)", ScaleSet.POSITIVE,
                 "positive monomial 3 x 3 matrices", (1, -3, 0), 1, id="leaky_relu-2"),
    pytest.param({"leaky_relu": -1}, "leaky_relu(-1)", ScaleSet.NONZERO,
                 "positive monomial 3 x 3 matrices (pre-activation signs free)",
                 (1, 0, 0), 1, id="leaky_relu-minus1"),
    pytest.param({"leaky_relu": 0}, "relu", ScaleSet.POSITIVE,
                 "positive monomial 3 x 3 matrices", (1, -1, 0), 1, id="leaky_relu-0"),
    pytest.param({"leaky_relu": "1"}, "identity", ScaleSet.AFFINE, "the affine group of R^3",
                 None, None, id="leaky_relu-1"),
    pytest.param({"power": 2}, "power(2)", ScaleSet.NONZERO,
                 "positive monomial 3 x 3 matrices (pre-activation signs free)",
                 (1, 0, 0), 2, id="power-2"),
    pytest.param({"power": 3}, "power(3)", ScaleSet.NONZERO, "monomial 3 x 3 matrices",
                 (-1, 0, 0), 3, id="power-3"),
    pytest.param({"power": 1}, "identity", ScaleSet.AFFINE, "the affine group of R^3",
                 None, None, id="power-1"),
    pytest.param({"expression": "t^3 + t"}, "expression(t^3 + t)", ScaleSet.SIGN,
                 "signed permutations of 3 coordinates", (-1, 0, 0), None, id="expression"),
    pytest.param({"expression": "exp(t)"}, "expression(exp(t))", ScaleSet.ONE,
                 "permutations of 3 coordinates", None, None, id="expression-no-identity"),
]

SPECS = [pytest.param(case.values[0], id=case.id) for case in CATALOGUE]
NEGATION_SPECS = [pytest.param(case.values[0], id=case.id) for case in CATALOGUE
                  if case.values[4] is not None]
HOMOGENEOUS_SPECS = [pytest.param(case.values[0], case.values[5], id=case.id)
                     for case in CATALOGUE if case.values[5] is not None]


def _as_piecewise(expression):
    """Rewrite Max and Piecewise so that simplify can compare the branches."""
    return sympy.piecewise_fold(expression.rewrite(sympy.Piecewise))


def _sample_rationals(seed, count=20, bound=300, denominator=100):
    """Return ``count`` seeded rationals in [-bound/denominator, bound/denominator]."""
    rng = numpy.random.default_rng(seed)
    return [sympy.Rational(int(value), denominator)
            for value in rng.integers(-bound, bound + 1, size=count)]


def _reference_ball(expression, digits=120):
    """Enclose an exact constant: rationals at 512 bits, others by a 120-digit evaluation."""
    expression = sympy.simplify(_as_piecewise(expression))
    with working_precision(512):
        if expression.is_Rational:
            return flint.arb(flint.fmpq(int(expression.p), int(expression.q)))
        return flint.arb(str(sympy.N(expression, digits)), f"1e-{digits - 10}")


# -- the catalogue table ----------------------------------------------------------------


@pytest.mark.parametrize("spec, name, scale_set, group, negation, homogeneity", CATALOGUE)
def test_catalogue_entry_scale_set_and_group(spec, name, scale_set, group, negation,
                                             homogeneity):
    activation = parse_activation_spec(spec)

    assert activation.name == name
    assert str(activation) == name
    assert activation.symmetry.scale_set is scale_set
    assert activation.symmetry.latent_group_name(3) == group
    assert activation.symmetry.homogeneity == homogeneity


@pytest.mark.parametrize("spec, name, scale_set, group, negation, homogeneity", CATALOGUE)
def test_catalogue_entry_negation_coefficients(spec, name, scale_set, group, negation,
                                               homogeneity):
    identity = parse_activation_spec(spec).symmetry.negation

    if negation is None:
        assert identity is None
    else:
        assert (identity.p, identity.q, identity.r) == tuple(sympy.sympify(value)
                                                             for value in negation)


@pytest.mark.parametrize("spec", NEGATION_SPECS)
def test_negation_identity_holds_symbolically(spec):
    r"""The stored identity :math:`\sigma(-t) = p\sigma(t) + qt + r` is true for the formula.

    Max and Piecewise are rewritten as Piecewise so that simplify compares branches.
    """
    activation = parse_activation_spec(spec)
    identity = activation.symmetry.negation
    formula = activation.formula
    difference = formula.subs(t, -t) - (identity.p * formula + identity.q * t + identity.r)

    assert sympy.simplify(_as_piecewise(difference)) == 0


@pytest.mark.parametrize("spec", NEGATION_SPECS)
def test_negation_identity_holds_numerically(spec):
    """The numpy form satisfies the negation identity at 20 seeded points."""
    activation = parse_activation_spec(spec)
    identity = activation.symmetry.negation
    values = numpy.random.default_rng(7).uniform(-4.0, 4.0, size=20)
    left = activation.numpy_function(-values)
    right = (float(identity.p) * activation.numpy_function(values)
             + float(identity.q) * values + float(identity.r))

    numpy.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec, degree", HOMOGENEOUS_SPECS)
@pytest.mark.parametrize("scale", [sympy.Rational(1, 3), sympy.Integer(2), sympy.Integer(5)],
                         ids=["1/3", "2", "5"])
def test_positive_homogeneity_holds_symbolically(spec, degree, scale):
    r""":math:`\sigma(c t) = c^m \sigma(t)` for positive :math:`c` and the stored degree m."""
    activation = parse_activation_spec(spec)
    formula = activation.formula
    difference = formula.subs(t, scale * t) - scale**degree * formula

    assert sympy.simplify(_as_piecewise(difference)) == 0


def test_named_catalogue_names():
    assert sorted(NAMED) == ["gelu", "identity", "relu", "sigmoid", "silu", "softplus", "tanh"]


@pytest.mark.parametrize("spec, flags", [
    pytest.param("tanh", (True, True, None), id="tanh"),
    pytest.param("sigmoid", (True, True, None), id="sigmoid"),
    pytest.param("relu", (True, False, None), id="relu"),
    pytest.param("gelu", (True, False, None), id="gelu"),
    pytest.param("silu", (True, False, None), id="silu"),
    pytest.param("softplus", (True, True, None), id="softplus"),
    pytest.param("identity", (True, True, 1), id="identity"),
    pytest.param({"leaky_relu": "1/10"}, (True, True, None), id="leaky_relu-1/10"),
    pytest.param({"leaky_relu": -2}, (True, False, None), id="leaky_relu-minus2"),
    pytest.param({"leaky_relu": -1}, (True, False, None), id="leaky_relu-minus1"),
    pytest.param({"power": 2}, (True, False, 2), id="power-2"),
    pytest.param({"power": 3}, (True, True, 3), id="power-3"),
    pytest.param({"expression": "t^3 + t"}, (False, False, 3), id="expression-cubic"),
    pytest.param({"expression": "tanh(t) + t"}, (False, False, None), id="expression-tanh"),
])
def test_catalogue_entry_flags(spec, flags):
    """Strictly monotone named activations are injective, and custom expressions claim nothing.

    ReLU, negative leaky slopes, t^2, GELU and SiLU take some value twice.
    """
    activation = parse_activation_spec(spec)

    assert activation.determines_neurons is flags[0]
    assert activation.injective is flags[1]
    assert activation.polynomial_degree == flags[2]


@pytest.mark.parametrize("spec, expected", [
    pytest.param("relu", (0, 1), id="relu"),
    pytest.param({"leaky_relu": "1/10"}, (sympy.Rational(1, 10), 1), id="leaky_relu-1/10"),
    pytest.param({"leaky_relu": -1}, (-1, 1), id="leaky_relu-minus1"),
    pytest.param("tanh", None, id="tanh"),
    pytest.param({"power": 3}, None, id="power-3"),
])
def test_piecewise_linear_slopes(spec, expected):
    assert parse_activation_spec(spec).piecewise_linear == expected


# -- evaluation forms --------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS)
def test_numpy_form_agrees_with_formula(spec):
    """The numpy function agrees with the sympy formula at 20 seeded rational points."""
    activation = parse_activation_spec(spec)
    points = _sample_rationals(seed=11)
    exact = numpy.array([float(sympy.N(activation.formula.subs(t, point), 30))
                         for point in points])
    computed = activation.numpy_function(numpy.array([float(point) for point in points]))

    numpy.testing.assert_allclose(computed, exact, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("spec", SPECS)
def test_arb_form_encloses_exact_value(spec):
    """The Arb function's ball contains the exact value and is narrow at 128 bits."""
    activation = parse_activation_spec(spec)
    for point in _sample_rationals(seed=12):
        with working_precision(128):
            ball = activation.arb_function(flint.arb(flint.fmpq(int(point.p), int(point.q))))
        reference = _reference_ball(activation.formula.subs(t, point))

        assert ball.contains(reference), (point, ball, reference)
        assert ball.rad() < flint.arb("1e-30"), (point, ball)


def test_arb_relu_ball_straddling_zero():
    """relu of the ball [-1, 1] must contain both 0 and 1."""
    ball = NAMED["relu"].arb_function(flint.arb(0, 1))

    assert ball.contains(0)
    assert ball.contains(1)


# -- exact values ------------------------------------------------------------------------


@pytest.mark.parametrize("spec, value, expected", [
    pytest.param("relu", -3, 0, id="relu-negative"),
    pytest.param("relu", sympy.Rational(5, 2), sympy.Rational(5, 2), id="relu-positive"),
    pytest.param({"power": 3}, sympy.Rational(2, 3), sympy.Rational(8, 27), id="power-3"),
    pytest.param({"power": 2}, sympy.Rational(-3, 2), sympy.Rational(9, 4), id="power-2"),
    pytest.param("sigmoid", 0, sympy.Rational(1, 2), id="sigmoid-zero"),
    pytest.param("tanh", 0, 0, id="tanh-zero"),
    pytest.param("gelu", 0, 0, id="gelu-zero"),
    pytest.param("silu", 0, 0, id="silu-zero"),
    pytest.param("identity", sympy.Rational(7, 3), sympy.Rational(7, 3), id="identity"),
    pytest.param({"leaky_relu": "1/10"}, -3, sympy.Rational(-3, 10), id="leaky_relu-1/10"),
    pytest.param({"leaky_relu": 2}, -1, -2, id="leaky_relu-2"),
    pytest.param({"leaky_relu": -1}, -3, 3, id="leaky_relu-minus1"),
    pytest.param({"expression": "t^3 + t"}, sympy.Rational(1, 2), sympy.Rational(5, 8),
                 id="expression-cubic"),
    pytest.param({"expression": "exp(t)"}, 0, 1, id="expression-exp-zero"),
])
def test_exact_value_on_rationals(spec, value, expected):
    activation = parse_activation_spec(spec)

    result = activation.exact_value(QQ_FIELD.convert(value), QQ_FIELD)

    assert result == QQ_FIELD.convert(expected)


@pytest.mark.parametrize("spec, value", [
    pytest.param("tanh", sympy.Rational(1, 2), id="tanh-half"),
    pytest.param("sigmoid", 1, id="sigmoid-one"),
    pytest.param("softplus", 0, id="softplus-zero-is-log2"),
    pytest.param("gelu", 1, id="gelu-one"),
    pytest.param({"expression": "exp(t)"}, 1, id="expression-exp-one"),
])
def test_exact_value_is_none_for_irrational_values(spec, value):
    """tanh(1/2), sigmoid(1), softplus(0) = log 2, gelu(1) and e are irrational."""
    activation = parse_activation_spec(spec)

    assert activation.exact_value(QQ_FIELD.convert(value), QQ_FIELD) is None


def test_exact_value_irrational_polynomial_value():
    """sqrt(2) t + t^2 at t = 1 is 1 + sqrt(2), which is not in QQ, so no exact value exists."""
    activation = from_expression("sqrt(2)*t + t^2")

    assert activation.exact_value(QQ_FIELD.one, QQ_FIELD) is None


def test_exact_value_over_number_field():
    """power(3) maps QQ<sqrt(2)> to itself: (1 + sqrt 2)^3 = 7 + 5 sqrt 2."""
    field = ExactField.for_expressions([sympy.sqrt(2)])
    activation = power(3)

    value = activation.exact_value(field.convert(1 + sympy.sqrt(2)), field)

    assert value == field.convert(7 + 5 * sympy.sqrt(2))


def test_exact_value_relu_symbolic_sign():
    """relu(a) for a free symbol a has no sign, so its value is unknown."""
    symbol = sympy.Symbol("a", real=True)
    field = ExactField.for_expressions([symbol])

    assert NAMED["relu"].exact_value(field.convert(symbol), field) is None


# -- constructors ------------------------------------------------------------------------


def test_leaky_relu_special_slopes():
    """Slope 0 is ReLU and slope 1 the identity, with their larger symmetry."""
    assert leaky_relu(0) is NAMED["relu"]
    assert leaky_relu(1) is NAMED["identity"]
    assert leaky_relu(sympy.Integer(0)) is NAMED["relu"]


def test_leaky_relu_minus_one_is_absolute_value():
    activation = leaky_relu(-1)
    values = numpy.array([-2.5, -1.0, 0.0, 0.5, 3.0])

    numpy.testing.assert_array_equal(activation.numpy_function(values), numpy.abs(values))
    assert activation.symmetry.negation.is_even


def test_leaky_relu_accepts_string_slope():
    assert leaky_relu("1/10") == leaky_relu(sympy.Rational(1, 10))


def test_power_one_is_identity():
    assert power(1) is NAMED["identity"]


def test_power_accepts_the_maximum():
    assert power(MAX_POWER).name == f"power({MAX_POWER})"


def test_power_rejects_float_degree():
    with pytest.raises(InputError, match=re.escape("the power must be a positive integer, "
                                                   "got 2.0")):
        power(2.0)


def test_activation_equality_by_name_and_formula():
    assert parse_activation_spec({"leaky_relu": "1/10"}) == leaky_relu(sympy.Rational(1, 10))
    assert hash(parse_activation_spec({"power": 3})) == hash(power(3))
    assert leaky_relu(2) != leaky_relu(sympy.Rational(1, 10))
    assert power(2) != power(3)
    assert NAMED["tanh"] != "tanh"


def test_identity_activation_is_identity():
    assert NAMED["identity"].is_identity
    assert not NAMED["relu"].is_identity


def test_apply_polynomial_substitutes():
    x = sympy.Symbol("x")

    assert sympy.expand(power(3).apply_polynomial(x + 1) - (x + 1) ** 3) == 0


def test_apply_polynomial_rejects_non_polynomial():
    with pytest.raises(InputError, match=r"^tanh is not a polynomial$"):
        NAMED["tanh"].apply_polynomial(sympy.Symbol("x"))


def test_expression_name_strips_whitespace():
    assert from_expression("  t^2 + 1 ").name == "expression(t^2 + 1)"


def test_expression_with_max_has_interval_form():
    """max(t, 0) parses to Max, which Arb encloses: max(-1/2, 0) = 0 and max(3/2, 0) = 3/2."""
    activation = from_expression("max(t, 0)")

    with working_precision(128):
        below = activation.arb_function(flint.arb(flint.fmpq(-1, 2)))
        above = activation.arb_function(flint.arb(flint.fmpq(3, 2)))

    assert below.contains(0)
    assert above.contains(flint.arb(flint.fmpq(3, 2)))
    assert activation.symmetry.scale_set is ScaleSet.POSITIVE


# -- parsing theory-file specs -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NAMED))
def test_parse_named_activation_returns_catalogue_entry(name):
    assert parse_activation_spec(name) is NAMED[name]


@pytest.mark.parametrize("spec, expected_name", [
    pytest.param({"leaky_relu": "1/10"}, "leaky_relu(1/10)", id="leaky_relu-string"),
    pytest.param({"leaky_relu": 2}, "leaky_relu(2)", id="leaky_relu-integer"),
    pytest.param({"leaky_relu": "-1"}, "leaky_relu(-1)", id="leaky_relu-minus1-string"),
    pytest.param({"leaky_relu": "0.25"}, "leaky_relu(1/4)", id="leaky_relu-decimal"),
    pytest.param({"power": 32}, "power(32)", id="power-maximum"),
    pytest.param({"expression": "t^3 + t"}, "expression(t^3 + t)", id="expression"),
])
def test_parse_table_forms(spec, expected_name):
    assert parse_activation_spec(spec).name == expected_name


NAMES_LIST = "['gelu', 'identity', 'relu', 'sigmoid', 'silu', 'softplus', 'tanh']"
TABLE_FORMS = '{ leaky_relu = "1/10" }, { power = 3 }, { expression = "..." }'


@pytest.mark.parametrize("spec, error, message", [
    pytest.param("softmax", InputError,
                 f"unknown activation 'softmax'; expected one of {NAMES_LIST} or a table "
                 + TABLE_FORMS, id="unknown-name"),
    pytest.param("leaky_relu", InputError,
                 'leaky_relu needs its negative slope: { leaky_relu = "1/10" }',
                 id="bare-leaky_relu"),
    pytest.param({"power": 0}, InputError, "the power must be a positive integer, got 0",
                 id="power-0"),
    pytest.param({"power": -1}, InputError, "the power must be a positive integer, got -1",
                 id="power-minus1"),
    pytest.param({"power": 33}, LimitError, "the power 33 exceeds the maximum 32",
                 id="power-33"),
    pytest.param({"power": "3"}, InputError, "the power must be a positive integer, got '3'",
                 id="power-string"),
    pytest.param({"power": True}, InputError,
                 "the power must be a positive integer, got True", id="power-boolean"),
    pytest.param({"leaky_relu": "sqrt(2)"}, InputError,
                 "the leaky_relu slope must be rational, got sqrt(2)", id="slope-irrational"),
    pytest.param({"leaky_relu": "a"}, InputError,
                 "the leaky_relu slope must be rational, got a", id="slope-symbol"),
    pytest.param({"expression": 3}, InputError,
                 "an expression activation must be a string in t", id="expression-not-string"),
    pytest.param({"tanh": 1}, InputError,
                 "invalid activation {'tanh': 1}; expected a name or one of " + TABLE_FORMS,
                 id="unknown-table"),
    pytest.param({"power": 3, "expression": "t"}, InputError,
                 "invalid activation {'power': 3, 'expression': 't'}; expected a name or one "
                 "of " + TABLE_FORMS, id="two-keys"),
    pytest.param(3, InputError,
                 "invalid activation 3; expected a name or one of " + TABLE_FORMS,
                 id="integer"),
])
def test_parse_activation_spec_rejects(spec, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        parse_activation_spec(spec)


@pytest.mark.parametrize("spec, value", [
    pytest.param("softmax", "softmax", id="unknown-name"),
    pytest.param({"power": 33}, 33, id="power-33"),
    pytest.param({"leaky_relu": "sqrt(2)"}, "sqrt(2)", id="slope-irrational"),
    pytest.param({"tanh": 1}, {"tanh": 1}, id="unknown-table"),
])
def test_parse_rejection_keeps_offending_value(spec, value):
    with pytest.raises(InputError) as raised:
        parse_activation_spec(spec)

    assert raised.value.value == value
    assert isinstance(raised.value, ValueError)


def test_parse_expression_without_t_is_rejected():
    with pytest.raises(ExpressionError, match="the activation does not depend on t"):
        parse_activation_spec({"expression": "2"})


def test_parse_expression_with_other_variable_is_rejected():
    with pytest.raises(ExpressionError, match="unknown name 'x'; the only variable is t"):
        parse_activation_spec({"expression": "x^2"})


def test_parse_float_slope_is_rejected():
    with pytest.raises(ExpressionError, match=re.escape("the float 0.1 is not exact")):
        parse_activation_spec({"leaky_relu": 0.1})
