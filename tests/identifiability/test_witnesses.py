"""find_parameter_witness: a second parameter with the same function, outside the orbit of theta."""

from __future__ import annotations

import pytest

from symequiv.identifiability.witnesses import find_parameter_witness
from symequiv.verdicts import ParameterWitness
from tests.identifiability.networks import (
    assert_same_function_balls,
    assert_same_function_exactly,
    balls_agree,
    load_bundled,
    network_with_parameters,
    small_network,
)

SEED = 20260121


def as_strings(value):
    """Return nested lists of sympy numbers as the same lists of strings."""
    if isinstance(value, list):
        return [as_strings(item) for item in value]
    return str(value)


@pytest.mark.parametrize("name, parameters", [
    pytest.param("gelu-bypass", {
        "W1": [["1", "0"], ["-1", "0"], ["1", "1"], ["-1", "-1"]],
        "b1": ["1", "-1", "0", "0"],
        "W2": [["1", "-1", "0", "0"], ["-1", "1", "1", "-1"]],
        "b2": ["-1", "1"],
    }, id="gelu-bypass-biases-shifted"),
    pytest.param("tanh-dead-neuron", {
        "W1": [["1", "2"], ["2", "1"], ["1", "-3"], ["-3", "1"], ["0", "0"]],
        "b1": ["1/2", "1/2", "-1", "-1", "2"],
        "W2": [["1", "2", "3", "-1", "0"], ["2", "1", "-1", "3", "0"]],
        "b2": ["1", "1"],
    }, id="tanh-dead-neuron-row-zeroed"),
    pytest.param("sigmoid-opposite-duplicate", {
        "W1": [["1"], ["2"], ["2"], ["-1"]],
        "b1": ["0", "1", "-1", "0"],
        "W2": [["2", "1", "1", "0"]],
        "b2": ["-2"],
    }, id="sigmoid-opposite-merged"),
])
def test_bundled_witness_same_function_balls(name, parameters):
    network = load_bundled(name).network

    witness = find_parameter_witness(network)

    assert isinstance(witness, ParameterWitness)
    assert witness.parameters == parameters
    second = network_with_parameters(network, witness.parameters)
    assert not second.same_parameters(network)
    assert_same_function_balls(network, second, SEED)


def test_relu_bypass_witness_has_same_function_exactly():
    network = load_bundled("relu-bypass").network

    witness = find_parameter_witness(network)

    assert witness.parameters == {"W1": [["1"], ["-1"]], "b1": ["1", "-1"], "W2": [["2", "-2"]],
                                  "b2": ["-2"]}
    assert_same_function_exactly(network, network_with_parameters(network, witness.parameters),
                                 SEED)


@pytest.mark.parametrize("widths, activation, parameters, expected", [
    pytest.param([1, 2, 1], '"relu"', {"W1": "[[1], [0]]", "b1": "[0, 3]", "W2": "[[2, 5]]",
                                       "b2": "[1]"},
                 {"W1": [["1"], ["1"]], "b1": ["0", "3"], "W2": [["2", "0"]], "b2": ["16"]},
                 id="relu-constant-neuron"),
    pytest.param([1, 2, 1], "{ power = 2 }", {"W1": "[[1], [2]]", "b1": "[1, 2]",
                                              "W2": "[[3, 5]]", "b2": "[0]"},
                 {"W1": [["1"], ["2"]], "b1": ["1", "2"], "W2": [["23", "0"]], "b2": ["0"]},
                 id="square-scaled-duplicate"),
    pytest.param([1, 2, 1], "{ power = 3 }", {"W1": "[[1], [2]]", "b1": "[0, 1]",
                                              "W2": "[[1, 0]]", "b2": "[0]"},
                 {"W1": [["1"], ["0"]], "b1": ["0", "1"], "W2": [["1", "0"]], "b2": ["0"]},
                 id="cube-dead-neuron"),
])
def test_constructed_witness_same_function(widths, activation, parameters,
                                                       expected):
    network = small_network(widths, activation, parameters)

    witness = find_parameter_witness(network)

    assert isinstance(witness, ParameterWitness)
    assert witness.parameters == expected
    assert_same_function_exactly(network, network_with_parameters(network, witness.parameters),
                                 SEED)


@pytest.mark.parametrize("name", ["tanh-swap", "tanh-odd-signed", "tanh-reflection",
                                  "dihedral-image", "linear-swap"])
def test_irreducible_network_has_no_witness(name):
    assert find_parameter_witness(load_bundled(name).network) is None


def test_ball_comparison_detects_changed_weight():
    """The comparison the witness tests rely on must fail for a different function."""
    network = load_bundled("tanh-swap").network
    parameters = {name: as_strings(value)
                  for name, value in network.parameter_expressions().items()}
    parameters["W2"][0][0] = "101/100"

    changed = network_with_parameters(network, parameters)

    assert balls_agree(network, network, SEED)
    assert not balls_agree(network, changed, SEED)


@pytest.mark.parametrize("activation, b1, expected", [
    pytest.param('"relu"', "[1, 2, 3]",
                 {"W1": [["-1", "0"], ["0", "-1"], ["-1", "-1"]], "b1": ["-1", "-2", "-3"],
                  "W2": [["1", "1", "-1"]], "b2": ["0"]}, id="relu-biases-cancel"),
    pytest.param('"relu"', "[1, 2, 4]",
                 {"W1": [["-1", "0"], ["0", "-1"], ["-1", "-1"]], "b1": ["-1", "-2", "-4"],
                  "W2": [["1", "1", "-1"]], "b2": ["-1"]}, id="relu-bias-compensated"),
    pytest.param('{ leaky_relu = "1/2" }', "[1, 2, 4]",
                 {"W1": [["-1", "0"], ["0", "-1"], ["-1", "-1"]], "b1": ["-1", "-2", "-4"],
                  "W2": [["1", "1", "-1"]], "b2": ["-3/2"]}, id="leaky-relu-bypass-3-halves"),
    pytest.param('"gelu"', "[1, 2, 4]",
                 {"W1": [["-1", "0"], ["0", "-1"], ["-1", "-1"]], "b1": ["-1", "-2", "-4"],
                  "W2": [["1", "1", "-1"]], "b2": ["-1"]}, id="gelu"),
])
def test_flip_set_witness_negates_rows(activation, b1, expected):
    # c_j w_j^T sums to 0 over all three neurons: (1, 0) + (0, 1) - (1, 1).
    network = small_network([2, 3, 1], activation, {
        "W1": "[[1, 0], [0, 1], [1, 1]]", "b1": b1, "W2": "[[1, 1, -1]]", "b2": "[0]"})

    witness = find_parameter_witness(network)

    assert isinstance(witness, ParameterWitness)
    assert witness.parameters == expected
    assert witness.description.startswith("the neurons {1, 2, 3} of layer 1 have sum of "
                                           "c_j w_j^T equal to 0")
    second = network_with_parameters(network, witness.parameters)
    if activation == '"gelu"':
        assert_same_function_balls(network, second, SEED)
    else:
        assert_same_function_exactly(network, second, SEED)


def test_flip_set_needs_vanishing_sum():
    # Changing one outgoing weight breaks sum c_j w_j^T = 0; (G1)-(G4) then hold.
    network = small_network([2, 3, 1], '"relu"', {
        "W1": "[[1, 0], [0, 1], [1, 1]]", "b1": "[1, 2, 3]", "W2": "[[1, 2, -1]]",
        "b2": "[0]"})

    assert find_parameter_witness(network) is None
