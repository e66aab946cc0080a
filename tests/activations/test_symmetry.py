"""Tests of negation identities, scale sets, latent maps and latent group names."""

from __future__ import annotations

import pytest
import sympy

from symequiv.activations.catalogue import NAMED, leaky_relu, parse_activation_spec, power, t
from symequiv.activations.symmetry import ActivationSymmetry, NegationIdentity, ScaleSet
from symequiv.exact.field import ExactField

QQ_FIELD = ExactField.rational()


def _identity(p, q, r):
    return NegationIdentity(sympy.Integer(p), sympy.Rational(q), sympy.Integer(r))


ODD = _identity(-1, 0, 0)
EVEN = _identity(1, 0, 0)
SIGMOID = _identity(-1, 0, 1)
BYPASS = _identity(1, -1, 0)


@pytest.mark.parametrize("identity, odd, even, reflection, bypass", [
    pytest.param(ODD, True, False, True, None, id="odd"),
    pytest.param(EVEN, False, True, False, None, id="even"),
    pytest.param(SIGMOID, False, False, True, None, id="sigmoid-reflection"),
    pytest.param(BYPASS, False, False, False, 1, id="relu-bypass"),
    pytest.param(_identity(1, "-11/10", 0), False, False, False, sympy.Rational(11, 10),
                 id="leaky-bypass"),
    pytest.param(_identity(1, -1, 1), False, False, False, None, id="bypass-with-offset"),
])
def test_negation_identity_properties(identity, odd, even, reflection, bypass):
    assert identity.is_odd is odd
    assert identity.is_even is even
    assert identity.is_reflection is reflection
    assert identity.bypass == bypass


def test_negation_identity_formula_renders_the_equation():
    sigma = sympy.Function("sigma")
    symbol = sympy.Symbol("t")

    assert SIGMOID.formula() == sympy.Eq(sigma(-symbol), 1 - sigma(symbol))


@pytest.mark.parametrize("symmetry, scale_set", [
    pytest.param(ActivationSymmetry(), ScaleSet.ONE, id="no-identity"),
    pytest.param(ActivationSymmetry(negation=ODD), ScaleSet.SIGN, id="odd"),
    pytest.param(ActivationSymmetry(negation=SIGMOID), ScaleSet.SIGN, id="reflection"),
    pytest.param(ActivationSymmetry(negation=EVEN), ScaleSet.SIGN, id="even"),
    pytest.param(ActivationSymmetry(negation=BYPASS), ScaleSet.ONE, id="bypass"),
    pytest.param(ActivationSymmetry(negation=BYPASS, homogeneity=1), ScaleSet.POSITIVE,
                 id="bypass-homogeneous"),
    pytest.param(ActivationSymmetry(homogeneity=2), ScaleSet.POSITIVE,
                 id="homogeneous-only"),
    pytest.param(ActivationSymmetry(negation=ODD, homogeneity=3), ScaleSet.NONZERO,
                 id="odd-homogeneous"),
    pytest.param(ActivationSymmetry(negation=EVEN, homogeneity=2), ScaleSet.NONZERO,
                 id="even-homogeneous"),
    pytest.param(ActivationSymmetry(linear=True), ScaleSet.AFFINE, id="linear"),
])
def test_scale_set_from_identities(symmetry, scale_set):
    """A bypass term q t forbids negative scales, and homogeneity allows all positive ones."""
    assert symmetry.scale_set is scale_set


@pytest.mark.parametrize("symmetry, name", [
    pytest.param(ActivationSymmetry(), "permutations of 4 coordinates", id="permutations"),
    pytest.param(ActivationSymmetry(negation=ODD), "signed permutations of 4 coordinates",
                 id="signed"),
    pytest.param(ActivationSymmetry(negation=SIGMOID),
                 "signed permutations of 4 coordinates acting affinely "
                 "(a flip sends h to 1 - h)", id="signed-affine"),
    pytest.param(ActivationSymmetry(negation=EVEN),
                 "permutations of 4 coordinates (pre-activation signs free)", id="even"),
    pytest.param(ActivationSymmetry(negation=BYPASS, homogeneity=1),
                 "positive monomial 4 x 4 matrices", id="positive-monomial"),
    pytest.param(ActivationSymmetry(negation=ODD, homogeneity=3), "monomial 4 x 4 matrices",
                 id="monomial"),
    pytest.param(ActivationSymmetry(negation=EVEN, homogeneity=2),
                 "positive monomial 4 x 4 matrices (pre-activation signs free)",
                 id="even-homogeneous"),
    pytest.param(ActivationSymmetry(linear=True), "the affine group of R^4", id="affine"),
])
def test_latent_group_name(symmetry, name):
    assert symmetry.latent_group_name(4) == name


@pytest.mark.parametrize("activation, scale, expected", [
    pytest.param(NAMED["tanh"], -1, (-1, 0), id="tanh-flip"),
    pytest.param(NAMED["tanh"], 1, (1, 0), id="tanh-identity"),
    pytest.param(NAMED["sigmoid"], -1, (-1, 1), id="sigmoid-flip"),
    pytest.param(NAMED["sigmoid"], 1, (1, 0), id="sigmoid-identity"),
    pytest.param(power(3), 2, (8, 0), id="power-3-positive"),
    pytest.param(power(3), -2, (-8, 0), id="power-3-negative"),
    pytest.param(power(3), sympy.Rational(-1, 2), (sympy.Rational(-1, 8), 0),
                 id="power-3-negative-half"),
    pytest.param(power(2), -2, (4, 0), id="power-2-negative"),
    pytest.param(power(2), sympy.Rational(1, 3), (sympy.Rational(1, 9), 0), id="power-2-third"),
    pytest.param(NAMED["relu"], 3, (3, 0), id="relu"),
    pytest.param(leaky_relu(sympy.Rational(1, 10)), sympy.Rational(5, 2),
                 (sympy.Rational(5, 2), 0), id="leaky_relu-1/10"),
    pytest.param(leaky_relu(-1), -3, (3, 0), id="absolute-value-negative"),
    pytest.param(NAMED["gelu"], 1, (1, 0), id="gelu-identity"),
    pytest.param(NAMED["identity"], 5, (5, 0), id="identity"),
])
def test_latent_map_for_admissible_scale(activation, scale, expected):
    latent = activation.symmetry.latent_map(QQ_FIELD.convert(scale), QQ_FIELD)

    assert latent == tuple(QQ_FIELD.convert(value) for value in expected)


ADMISSIBLE = [
    pytest.param("tanh", [1, -1], id="tanh"),
    pytest.param("sigmoid", [1, -1], id="sigmoid"),
    pytest.param("relu", [1, 3, sympy.Rational(1, 2)], id="relu"),
    pytest.param({"leaky_relu": "1/10"}, [2, sympy.Rational(1, 3)], id="leaky_relu-1/10"),
    pytest.param({"leaky_relu": 2}, [2, sympy.Rational(1, 3)], id="leaky_relu-2"),
    pytest.param({"leaky_relu": -1}, [2, -3, sympy.Rational(-1, 2)], id="leaky_relu-minus1"),
    pytest.param({"power": 2}, [2, -3, sympy.Rational(-1, 2)], id="power-2"),
    pytest.param({"power": 3}, [2, -3, sympy.Rational(-1, 2)], id="power-3"),
    pytest.param("gelu", [1], id="gelu"),
    pytest.param("silu", [1], id="silu"),
    pytest.param("softplus", [1], id="softplus"),
]


@pytest.mark.parametrize("spec, scales", ADMISSIBLE)
def test_latent_map_agrees_with_formula(spec, scales):
    r""":math:`\sigma(c t) = \lambda \sigma(t) + \mu` is exact for each admissible c."""
    activation = parse_activation_spec(spec)
    formula = activation.formula
    for scale in scales:
        latent_scale, shift = activation.symmetry.latent_map(QQ_FIELD.convert(scale), QQ_FIELD)
        difference = formula.subs(t, scale * t) - (
            QQ_FIELD.to_expr(latent_scale) * formula + QQ_FIELD.to_expr(shift))

        assert sympy.simplify(sympy.piecewise_fold(difference.rewrite(sympy.Piecewise))) == 0, (
            scale)


def test_latent_map_over_number_field():
    """(-sqrt(2) t)^3 = -2 sqrt(2) t^3, so the latent scale is -2 sqrt(2)."""
    field = ExactField.for_expressions([sympy.sqrt(2)])

    latent = power(3).symmetry.latent_map(field.convert(-sympy.sqrt(2)), field)

    assert latent == (field.convert(-2 * sympy.sqrt(2)), field.zero)


def test_bypass_of_catalogue_entries():
    """relu(t) - relu(-t) = t and leaky(t) - leaky(-t) = (1 + a) t."""
    assert NAMED["relu"].symmetry.bypass == 1
    assert leaky_relu(2).symmetry.bypass == 3
    assert leaky_relu(sympy.Rational(1, 10)).symmetry.bypass == sympy.Rational(11, 10)
    assert NAMED["tanh"].symmetry.bypass is None
    assert NAMED["identity"].symmetry.bypass is None
