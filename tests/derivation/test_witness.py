"""Tests of certified input witnesses: certify, search_input_witness and specialize."""

from __future__ import annotations

import numpy
import pytest
import sympy

import symequiv
from symequiv.derivation.witness import (
    certify,
    default_substitutions,
    search_input_witness,
    specialize,
)
from symequiv.verdicts import InputWitness
from tests.derivation.reference import assert_certified_witness, bundled_text, load_bundled


def _symbolic_tanh_swap():
    """tanh-swap with its first bias replaced by the symbol a; equivariant exactly when a = 1/2."""
    text = bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                             'b1 = ["a", "1/2", -1, -1]')
    return symequiv.loads(text)


@pytest.mark.parametrize("seed", range(4), ids=lambda seed: f"seed{seed}")
def test_certify_none_for_equivariant_network(seed):
    """tanh-swap is equivariant, so the two enclosures always overlap and nothing is certified."""
    theory = load_bundled("tanh-swap")
    rng = numpy.random.default_rng(seed)
    point = tuple(sympy.Rational(int(value), 4) for value in rng.integers(-12, 13, size=2))

    result = certify(theory.network, theory.action.input["s"], theory.action.output["s"], "s",
                     point)

    assert result is None


def test_certify_changed_bias():
    """tanh-not-equivariant at x = (5/4, -1): f(s x)_0 and f(x)_1 differ by about -0.957."""
    theory = load_bundled("tanh-not-equivariant")
    point = (sympy.Rational(5, 4), sympy.Integer(-1))

    witness = certify(theory.network, theory.action.input["s"], theory.action.output["s"], "s",
                      point)

    assert isinstance(witness, InputWitness)
    assert witness.generator == "s"
    assert witness.point == ("5/4", "-1")
    assert witness.coordinate == 0
    assert witness.precision == 128
    assert not witness.exact
    assert witness.substitutions == {}
    assert_certified_witness(theory.network, theory.action, witness)


def test_search_none_for_equivariant_network():
    """No input separates the two sides of an equivariant network, so the search returns None."""
    theory = load_bundled("tanh-swap")

    assert search_input_witness(theory.network, theory.action, seed=0) is None


@pytest.mark.parametrize("seed", range(3), ids=lambda seed: f"seed{seed}")
def test_search_refutes_changed_bias(seed):
    """Every seed finds a certified witness for tanh-not-equivariant, and it re-checks."""
    theory = load_bundled("tanh-not-equivariant")

    witness = search_input_witness(theory.network, theory.action, seed=seed)

    assert isinstance(witness, InputWitness)
    assert witness.substitutions == {}
    assert_certified_witness(theory.network, theory.action, witness)


@pytest.mark.parametrize("seed", range(3), ids=lambda seed: f"seed{seed}")
def test_search_reports_substitutions(seed):
    """Free symbols get nonzero integer values, and the witness names them.

    The witness is re-checked at those values. No nonzero integer equals 1/2,
    the only value of a at which the network is equivariant.
    """
    theory = _symbolic_tanh_swap()

    witness = search_input_witness(theory.network, theory.action, seed=seed)

    assert isinstance(witness, InputWitness)
    assert set(witness.substitutions) == {"a"}
    value = int(witness.substitutions["a"])
    assert value != 0
    assert abs(value) <= 5
    assert_certified_witness(theory.network, theory.action, witness)


def test_default_substitutions_small_nonzero():
    """Values are drawn from +-1..+-5, so a symbol is never set to zero."""
    symbols = sympy.symbols("a b c", real=True)
    rng = numpy.random.default_rng(0)

    values = [default_substitutions(symbols, rng) for _ in range(50)]

    drawn = {int(value) for substitution in values for value in substitution.values()}
    assert drawn <= {-5, -4, -3, -2, -1, 1, 2, 3, 4, 5}
    assert all(set(substitution) == set(symbols) for substitution in values)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(sympy.Rational(1, 2), "tanh-swap", id="half-gives-tanh-swap"),
        pytest.param(sympy.Integer(1), "tanh-not-equivariant", id="one-gives-changed-bias"),
    ],
)
def test_specialize_substitutes_symbol(value, expected):
    """Substituting a = 1/2 gives tanh-swap and a = 1 gives tanh-not-equivariant, over QQ."""
    theory = _symbolic_tanh_swap()
    (symbol,) = theory.network.field.symbols

    network = specialize(theory.network, {symbol: value})

    assert network.field.is_rational
    assert network.field.symbols == ()
    assert network.same_parameters(load_bundled(expected).network)


def test_specialize_keeps_remaining_symbols():
    """Substituting some symbols of tanh-swap-family leaves a field over the others."""
    theory = load_bundled("tanh-swap-family")
    field = theory.network.field
    if not field.symbols:
        pytest.skip("tanh-swap-family has no free symbols")
    first, *rest = field.symbols

    network = specialize(theory.network, {first: sympy.Integer(3)})

    assert set(network.field.symbols) == set(rest)
    assert network.depth == theory.network.depth



def test_witness_prints_enough_digits_to_separate():
    """A bias changed by 10^-40 moves f(g x) by about that much, so ten digits would print
    both sides alike; the printed enclosures must differ."""
    text = bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                             'b1 = ["1/2 + 10^-40", "1/2", -1, -1]')
    theory = symequiv.loads(text)

    witness = search_input_witness(theory.network, theory.action)

    assert witness is not None
    left_midpoint = witness.left.split(" +/- ")[0]
    right_midpoint = witness.right.split(" +/- ")[0]
    assert left_midpoint != right_midpoint
    assert len(left_midpoint) > 40
