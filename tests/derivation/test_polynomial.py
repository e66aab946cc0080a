"""Tests of the exact decision for polynomial networks by expanding f(g x) - g f(x)."""

from __future__ import annotations

import math

import pytest

import symequiv
from symequiv.derivation import polynomial
from symequiv.derivation.polynomial import decide_polynomial, network_degree
from symequiv.verdicts import InputWitness, Status
from tests.derivation.constructions import RATIONAL_FUNCTION_PARAMETERS
from tests.derivation.reference import assert_certified_witness, bundled_text, load_bundled


@pytest.mark.parametrize("name", ["cubic-monomial", "square-invariant", "linear-swap"])
def test_decide_polynomial_proves_equivariant_network(name):
    """The difference f(g x) - g f(x) expands to the zero polynomial for these networks."""
    theory = load_bundled(name)

    verdict = decide_polynomial(theory.network, theory.action)

    assert verdict.status is Status.PROVED
    assert verdict.method == "polynomial identity"
    assert verdict.reason == ("f(g x) - g f(x) expands to the zero polynomial for every "
                              "generator g")
    assert verdict.witness is None


def test_decide_polynomial_refutes_cubic():
    r"""cubic-not-equivariant: :math:`(x_0 + x_1)^3` against :math:`(x_0 - x_1 + 1)^3`.

    The witness is re-checked in exact rational arithmetic.
    """
    theory = load_bundled("cubic-not-equivariant")

    verdict = decide_polynomial(theory.network, theory.action)

    assert verdict.status is Status.REFUTED
    assert verdict.method == "polynomial identity"
    assert verdict.reason.startswith("f(g x) - g f(x) is the nonzero polynomial ")
    assert verdict.reason.endswith(" in coordinate 1 for g = s")
    witness = verdict.witness
    assert isinstance(witness, InputWitness)
    assert witness.exact
    assert witness.precision is None
    assert witness.generator == "s"
    assert witness.substitutions == {}
    assert_certified_witness(theory.network, theory.action, witness)


@pytest.mark.parametrize("name", ["tanh-swap", "gelu-bypass", "relu-cyclic", "sigmoid-affine-flip"])
def test_decide_polynomial_skips_nonpolynomial(name):
    """tanh, GELU, ReLU and sigmoid are not polynomials, so the method does not apply."""
    theory = load_bundled(name)

    assert decide_polynomial(theory.network, theory.action) is None


def test_network_degree_multiplies_activation_degrees():
    """A cubic hidden layer gives degree 3; the identity layer of linear-swap degree 1."""
    assert network_degree(load_bundled("cubic-monomial").network) == 3
    assert network_degree(load_bundled("square-invariant").network) == 2
    assert network_degree(load_bundled("linear-swap").network) == 1


@pytest.mark.parametrize(("limit", "decided"), [(9, False), (10, True)],
                         ids=["below-count", "at-count"])
def test_decide_polynomial_respects_max_monomials(monkeypatch, limit, decided):
    """cubic-monomial has 2 inputs and degree 3: C(2 + 3, 3) = 10 possible monomials."""
    theory = load_bundled("cubic-monomial")
    assert math.comb(2 + 3, 3) == 10
    monkeypatch.setattr(polynomial, "MAX_MONOMIALS", limit)

    verdict = decide_polynomial(theory.network, theory.action)

    assert (verdict is not None) is decided


def test_decide_polynomial_deep_cubic_too_large():
    """Three cubic layers on 9 inputs: degree 27 and C(36, 27) monomials, above MAX_MONOMIALS."""
    zeros = ", ".join(["0"] * 9)
    theory = symequiv.loads(f"""
[theory]
name = "deep-cubic"
[group]
generators = ["n"]
relations = ["n^2"]
[group.input]
n = {{ signed_permutation = [{", ".join(f"[{index}, -1]" for index in range(9))}] }}
[group.output]
n = [[-1]]
[model]
widths = [9, 1, 1, 1, 1]
activation = {{ power = 3 }}
bias = false
[parameters]
W1 = [[1, {zeros[3:]}]]
W2 = [[1]]
W3 = [[1]]
W4 = [[1]]
""")
    assert math.comb(9 + 27, 27) > polynomial.MAX_MONOMIALS

    assert decide_polynomial(theory.network, theory.action) is None


def test_decide_polynomial_rational_function_identity():
    r"""The constant term :math:`1/(a+1) + 1/(a-1) - 2a/(a^2-1)` is the zero rational function.

    So :math:`f(x) = 3x` is odd for every admissible value of :math:`a`, and
    the only correct verdicts are PROVED or UNKNOWN. A refutation would need
    a witness at a value of :math:`a` where the parameters are defined.
    """
    theory = symequiv.loads(RATIONAL_FUNCTION_PARAMETERS)

    verdict = decide_polynomial(theory.network, theory.action)

    assert verdict.status is not Status.REFUTED, verdict.witness
    assert verdict.status is Status.PROVED


def test_decide_polynomial_symbolic_witness():
    r"""cubic-not-equivariant with :math:`W_2 = \mathrm{diag}(a, 1)` is not equivariant for any a.

    The witness names its value of a, which is re-checked exactly.
    """
    text = bundled_text("cubic-not-equivariant").replace("W2 = [[1, 0], [0, 1]]",
                                                         'W2 = [["a", 0], [0, 1]]')
    theory = symequiv.loads(text)

    verdict = decide_polynomial(theory.network, theory.action)

    assert verdict.status is Status.REFUTED
    witness = verdict.witness
    assert set(witness.substitutions) == {"a"}
    assert witness.exact
    assert_certified_witness(theory.network, theory.action, witness)
