"""compute_fiber: the real fiber of small power networks compared with the K-orbit."""

from __future__ import annotations

import pytest
import sympy

from symequiv.identifiability.fibers import applicability, compute_fiber
from symequiv.verdicts import ParameterWitness, Status, StepWitness
from tests.identifiability.networks import (
    assert_same_function_exactly,
    network_with_parameters,
    small_network,
)


def test_binary_cubic_with_two_neurons_is_identifiable():
    """A binary cubic of rank 2 has one Waring decomposition (Sylvester)."""
    network = small_network([2, 2, 1], "{ power = 3 }", {"W1": "[[1, 2], [3, -1]]",
                                                         "W2": "[[1, 2]]"}, bias=False)

    fiber = compute_fiber(network)

    assert fiber.verdict.status is Status.PROVED
    assert fiber.orbit_points == 2
    assert fiber.cases == 9
    assert fiber.real_solutions == 2
    assert fiber.positive_dimensional == 0


def test_pair_of_quadratic_forms_is_identifiable():
    """Two quadratic forms in general position diagonalize simultaneously in one way."""
    network = small_network([2, 2, 2], "{ power = 2 }", {"W1": "[[1, 2], [3, -1]]",
                                                         "W2": "[[1, 2], [2, -1]]"}, bias=False)

    assert compute_fiber(network).verdict.status is Status.PROVED


@pytest.mark.parametrize("widths, power, parameters, bias", [
    pytest.param([1, 2, 1], 2, {"W1": "[[1], [2]]", "b1": "[1, -1]", "W2": "[[1, 3]]",
                                "b2": "[0]"}, True, id="square-with-biases"),
    pytest.param([1, 2, 1], 3, {"W1": "[[1], [2]]", "b1": "[1, -1]", "W2": "[[1, 3]]",
                                "b2": "[0]"}, True, id="cube-with-biases"),
])
def test_too_many_parameters_for_the_function_is_refuted(widths, power, parameters, bias):
    """A cubic in one variable has 4 coefficients; 7 parameters minus 2 scalings exceed them."""
    network = small_network(widths, f"{{ power = {power} }}", parameters, bias=bias)

    verdict = compute_fiber(network).verdict

    assert verdict.status is Status.REFUTED
    assert isinstance(verdict.witness, ParameterWitness)
    second = network_with_parameters(network, verdict.witness.parameters)
    assert not second.same_parameters(network)
    assert_same_function_exactly(network, second, seed=3)


def test_hermite_count_refutes_extra_real_point():
    """Two equal rows up to scale give a fiber larger than the orbit."""
    network = small_network([2, 2, 1], "{ power = 3 }", {"W1": "[[1, 2], [2, 4]]",
                                                         "W2": "[[1, 2]]"}, bias=False)

    verdict = compute_fiber(network).verdict

    assert verdict.status is Status.REFUTED
    assert isinstance(verdict.witness, (ParameterWitness, StepWitness))


@pytest.mark.parametrize("widths, activation, parameters, reason", [
    pytest.param([2, 2, 1], '"tanh"', {"W1": "[[1, 2], [3, -1]]", "W2": "[[1, 2]]"},
                 "needs a power t^m with m >= 2 in every hidden layer", id="tanh"),
    pytest.param([2, 2, 1], "{ power = 3 }", {"W1": "[[1, 2], [0, 0]]", "W2": "[[1, 2]]"},
                 "neuron 2 of layer 1 is zero", id="zero-neuron"),
    pytest.param([3, 3, 2], "{ power = 3 }", {"W1": "[[1, 2, 0], [0, 1, 1], [1, 0, 1]]",
                                              "W2": "[[1, 2, 1], [1, 1, 1]]"},
                 "the network has 15 parameters; exact fibers are computed for at most 12",
                 id="too-large"),
])
def test_fiber_not_applicable(widths, activation, parameters, reason):
    network = small_network(widths, activation, parameters, bias=False)

    assert applicability(network) == reason
    with pytest.raises(ValueError, match=reason.split(";")[0].replace("^", r"\^")):
        compute_fiber(network)


def test_orbit_points_are_rational():
    network = small_network([2, 2, 1], "{ power = 3 }", {"W1": "[[2, 4], [3, -1]]",
                                                         "W2": "[[1, 2]]"}, bias=False)

    fiber = compute_fiber(network)

    assert fiber.verdict.status is Status.PROVED
    assert sympy.Rational(fiber.orbit_points) == 2
