"""discover_symmetry: identities derived from formulas, with the catalogue table as reference."""

from __future__ import annotations

import pytest
import sympy

from symequiv.activations.catalogue import NAMED, from_expression, leaky_relu, power
from symequiv.activations.discovery import discover_symmetry
from symequiv.activations.symmetry import ActivationSymmetry, NegationIdentity, ScaleSet
from symequiv.exact.parser import parse_activation
from symequiv.verdicts import Status

R = sympy.Rational

TABLE = [pytest.param(activation, id=name) for name, activation in NAMED.items()] + [
    pytest.param(leaky_relu(R(1, 10)), id="leaky_relu-1/10"),
    pytest.param(leaky_relu(2), id="leaky_relu-2"),
    pytest.param(leaky_relu(-1), id="absolute-value"),
    pytest.param(power(2), id="power-2"),
    pytest.param(power(3), id="power-3"),
    pytest.param(power(6), id="power-6"),
]


@pytest.mark.parametrize("activation", TABLE)
def test_discovery_reproduces_catalogue_table(activation):
    """Every tabled identity is derived from the formula alone, and nothing else is."""
    discovery = discover_symmetry(activation.formula)

    assert discovery.symmetry == activation.symmetry


def _identity(p, q, r):
    return NegationIdentity(sympy.Integer(p), sympy.Rational(q), sympy.Integer(r))


@pytest.mark.parametrize("text, symmetry, proved", [
    pytest.param("t^3 + t", ActivationSymmetry(negation=_identity(-1, 0, 0)), ["odd"],
                 id="odd-polynomial"),
    pytest.param("max(t, 0)", ActivationSymmetry(negation=_identity(1, -1, 0), homogeneity=1),
                 ["linear bypass", "positive homogeneity of degree 1"], id="relu-as-max"),
    pytest.param("abs(t)", ActivationSymmetry(negation=_identity(1, 0, 0), homogeneity=1),
                 ["even", "positive homogeneity of degree 1"], id="absolute-value"),
    pytest.param("max(t, 0)^2", ActivationSymmetry(homogeneity=2),
                 ["positive homogeneity of degree 2"], id="squared-relu"),
    pytest.param("t*tanh(t)", ActivationSymmetry(negation=_identity(1, 0, 0)), ["even"],
                 id="even-analytic"),
    pytest.param("t/(1 + abs(t))", ActivationSymmetry(negation=_identity(-1, 0, 0)), ["odd"],
                 id="softsign"),
    pytest.param("1/(1 + exp(-2*t))", ActivationSymmetry(negation=_identity(-1, 0, 1)),
                 ["affine reflection"], id="steep-sigmoid"),
    pytest.param("t + 2*max(t, 0)", ActivationSymmetry(negation=_identity(1, -4, 0),
                                                       homogeneity=1),
                 ["linear bypass", "positive homogeneity of degree 1"], id="leaky-as-max"),
    pytest.param("exp(t)", ActivationSymmetry(), [], id="no-identity"),
    pytest.param("t", ActivationSymmetry(linear=True), ["linear"], id="identity"),
])
def test_expression_identities(text, symmetry, proved):
    discovery = discover_symmetry(parse_activation(text))

    assert discovery.symmetry == symmetry
    assert discovery.proved_names() == proved


def test_piecewise_bypass_needs_rewriting():
    """Max(t, 0) - Max(-t, 0) - t simplifies to 0 only once rewritten as a Piecewise."""
    formula = parse_activation("max(t, 0)")
    t = parse_activation("t")
    residual = formula - formula.subs(t, -t) - t
    assert sympy.simplify(residual) != 0

    check = next(check for check in discover_symmetry(formula).checks
                 if check.name == "linear bypass")

    assert check.verdict.status is Status.PROVED
    assert check.equation == "sigma(t) - sigma(-t) = t"


def test_failed_identity_is_refuted_with_certified_point():
    check = next(check for check in discover_symmetry(parse_activation("t^3 + t^2")).checks
                 if check.name == "odd")

    assert check.verdict.status is Status.REFUTED
    assert check.verdict.reason.startswith("fails at t = ")
    assert "excludes 0" in check.verdict.witness.description


def test_unsimplified_residual_is_unknown_not_refuted():
    """tanh(t/2) - (e^t - 1)/(e^t + 1) is 0, so this is t^3, but sympy does not see it for c t."""
    formula = parse_activation("tanh(t/2) - (exp(t) - 1)/(exp(t) + 1) + t^3")

    discovery = discover_symmetry(formula)

    checks = {check.name: check for check in discovery.checks}
    homogeneity = checks["positive homogeneity of degree 3"].verdict
    assert homogeneity.status is Status.UNKNOWN
    assert homogeneity.reason == ("the residual vanishes at 8 sampled points, but sympy did not "
                                  "simplify it to 0")
    assert discovery.symmetry == ActivationSymmetry(negation=_identity(-1, 0, 0))


def test_expression_activation_keeps_neuron_flags_false():
    """A derived K may be larger than permutations, but no failed match may count as proof."""
    activation = from_expression("t^3 + t")

    assert activation.symmetry.scale_set is ScaleSet.SIGN
    assert activation.determines_neurons is False
    assert activation.injective is False
    assert activation.description == "custom formula; proved identities: odd"


def test_homogeneity_degree_estimated_from_values():
    discovery = discover_symmetry(parse_activation("abs(t)^3"))

    assert discovery.symmetry.homogeneity == 3
    assert discovery.symmetry.scale_set is ScaleSet.NONZERO
