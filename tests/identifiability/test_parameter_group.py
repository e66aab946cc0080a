"""parameter_symmetry_group, orbit and stabilizer."""

from __future__ import annotations

import pytest

from symequiv.identifiability.parameter_group import (
    orbit,
    parameter_symmetry_group,
    stabilizer,
)
from tests.identifiability.networks import (
    assert_same_function_balls,
    load_bundled,
    small_network,
)


@pytest.mark.parametrize("name, order, dimension, formula", [
    ("tanh-swap", 384, 0, "2^4 * 4! = 384"),
    ("gelu-swap", 24, 0, "4! = 24"),
    ("relu-positive-scale", 2, 2, "2! = 2 components"),
    ("cubic-monomial", 8, 2, "2^2 * 2! = 8 components"),
    ("linear-swap", 2, 6, "GL(d) has 2 components (the sign of the determinant)"),
])
def test_group_order_and_dimension(name, order, dimension, formula):
    group = parameter_symmetry_group(load_bundled(name).network)

    assert group.finite_order == order
    assert group.dimension == dimension
    assert group.layers[0].order_formula == formula


def test_sigmoid_flip_generator_moves_constant_into_next_bias():
    group = parameter_symmetry_group(load_bundled("sigmoid-affine-flip").network)

    assert group.layers[0].generators[-1] == ("flip neuron 1: (w_1, b_1) -> -(w_1, b_1), column "
                                              "1 of W2 negated, b2 += 1 * column 1 of W2")


def test_orbit_of_tanh_network_is_complete_and_same_function():
    network = load_bundled("tanh-odd-signed").network

    members, complete = orbit(network, limit=1000)

    assert complete
    assert len(members) == 2**4 * 24
    for member in members[:5]:
        assert_same_function_balls(network, member, seed=11)


def test_orbit_limit_is_reported():
    members, complete = orbit(load_bundled("tanh-swap").network, limit=10)

    assert len(members) == 10
    assert not complete


def test_stabilizer_trivial_for_identifiable_network():
    fixed = stabilizer(load_bundled("tanh-swap").network)

    assert fixed.trivial is True
    assert fixed.describe() == "trivial: only the identity relates theta to itself"


def test_stabilizer_nontrivial_for_duplicate_neurons():
    network = small_network([2, 2, 1], '"tanh"', {"W1": "[[1, 2], [1, 2]]", "b1": "[1, 1]",
                                                  "W2": "[[3, 3]]", "b2": "[0]"})

    fixed = stabilizer(network)

    assert fixed.trivial is False
    assert len(fixed.chains) == 2
    assert fixed.describe().startswith("non-trivial (2 elements found): the k_i are not unique")
