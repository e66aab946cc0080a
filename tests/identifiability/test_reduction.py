"""reduce_network: theta* with dead neurons zeroed, constants moved and duplicates merged."""

from __future__ import annotations

import pytest
import sympy

from symequiv.identifiability.reduction import ReductionStep, reduce_network
from tests.identifiability.networks import (
    assert_same_function_balls,
    assert_same_function_exactly,
    load_bundled,
    small_network,
)

SEED = 1992
R = sympy.Rational


def test_dead_neuron_is_zeroed():
    network = load_bundled("tanh-dead-neuron").network

    reduction = reduce_network(network)

    assert reduction.changed
    assert reduction.verified is True
    assert reduction.steps == (ReductionStep(
        "dead", 1, (4,), "neuron 5 of layer 1 has zero outgoing weights; its incoming weights "
                         "and bias were set to zero"),)
    assert reduction.network.parameter_expressions() == {
        "W1": [[1, 2], [2, 1], [1, -3], [-3, 1], [0, 0]],
        "b1": [R(1, 2), R(1, 2), -1, -1, 0],
        "W2": [[1, 2, 3, -1, 0], [2, 1, -1, 3, 0]],
        "b2": [1, 1],
    }
    assert reduction.original is network
    assert_same_function_balls(network, reduction.network, SEED)


@pytest.mark.parametrize("bias, value, next_bias", [
    pytest.param(3, 3, 16, id="relu-of-3"),
    pytest.param(-2, 0, 1, id="relu-of-minus-2"),
])
def test_constant_relu_neuron_moves_to_bias(bias, value, next_bias):
    network = small_network([1, 2, 1], '"relu"', {"W1": "[[1], [0]]", "b1": f"[0, {bias}]",
                                                  "W2": "[[2, 5]]", "b2": "[1]"})

    reduction = reduce_network(network)

    assert reduction.verified is True
    assert [(step.kind, step.layer, step.neurons) for step in reduction.steps] == [
        ("constant", 1, (1,)), ("dead", 1, (1,))]
    assert reduction.steps[0].description == (f"neuron 2 of layer 1 is the constant {value}; "
                                              "moved into the next bias")
    assert reduction.network.parameter_expressions() == {
        "W1": [[1], [0]], "b1": [0, 0], "W2": [[2, 0]], "b2": [next_bias]}
    assert_same_function_exactly(network, reduction.network, SEED)


@pytest.mark.parametrize("activation, second_row, second_bias, relation, merged", [
    pytest.param('"tanh"', "[1, 2]", 1, "h_2 = h_1", 8, id="tanh-equal"),
    pytest.param('"tanh"', "[-1, -2]", -1, "h_2 = -h_1", -2, id="tanh-opposite"),
    pytest.param('"relu"', "[2, 4]", 2, "h_2 = 2 h_1", 13, id="relu-positive-multiple"),
])
def test_duplicate_neurons_are_merged(activation, second_row, second_bias, relation, merged):
    network = small_network([2, 2, 1], activation, {
        "W1": f"[[1, 2], {second_row}]", "b1": f"[1, {second_bias}]", "W2": "[[3, 5]]",
        "b2": "[0]"})

    reduction = reduce_network(network)

    assert reduction.verified is True
    assert reduction.steps == (
        ReductionStep("duplicate", 1, (0, 1), f"neurons 1 and 2 of layer 1 are duplicates "
                                              f"({relation}); merged into neuron 1"),
        ReductionStep("dead", 1, (1,), "neuron 2 of layer 1 has zero outgoing weights; its "
                                       "incoming weights and bias were set to zero"),
    )
    assert reduction.network.parameter_expressions() == {
        "W1": [[1, 2], [0, 0]], "b1": [1, 0], "W2": [[merged, 0]], "b2": [0]}
    if activation == '"relu"':
        assert_same_function_exactly(network, reduction.network, SEED)
    else:
        assert_same_function_balls(network, reduction.network, SEED)


def test_opposite_sigmoid_neurons_merge():
    """sigmoid(-z) = 1 - sigmoid(z), so the column of neuron 4 moves into that of neuron 1 with a
    sign and the bias."""
    network = load_bundled("sigmoid-opposite-duplicate").network

    reduction = reduce_network(network)

    assert reduction.verified is True
    assert [step.description for step in reduction.steps] == [
        "neurons 1 and 4 of layer 1 are duplicates (h_4 = 1 - h_1); merged into neuron 1",
        "neuron 4 of layer 1 has zero outgoing weights; its incoming weights and bias were set "
        "to zero",
    ]
    assert reduction.network.parameter_expressions() == {
        "W1": [[1], [2], [2], [0]], "b1": [0, 1, -1, 0], "W2": [[2, 1, 1, 0]], "b2": [-2]}
    assert_same_function_balls(network, reduction.network, SEED)


def test_sigmoid_reduction_recovers_flip_network():
    reduced = reduce_network(load_bundled("sigmoid-opposite-duplicate").network).network
    flip = load_bundled("sigmoid-affine-flip").network

    # theta* is sigmoid-affine-flip with a fourth, zeroed neuron.
    expressions = reduced.parameter_expressions()
    assert expressions["W1"][:3] == flip.parameter_expressions()["W1"]
    assert expressions["W2"][0][:3] == flip.parameter_expressions()["W2"][0]
    assert expressions["b2"] == flip.parameter_expressions()["b2"]


@pytest.mark.parametrize("name", ["tanh-swap", "gelu-bypass", "linear-swap", "relu-cyclic"])
def test_nondegenerate_network_is_unchanged(name):
    network = load_bundled(name).network

    reduction = reduce_network(network)

    assert not reduction.changed
    assert reduction.steps == ()
    assert reduction.verified is True
    assert reduction.network.same_parameters(network)


def test_reduction_reaches_earlier_layer():
    """A dead neuron in layer 2 makes a neuron of layer 1 dead on the next pass."""
    network = small_network([1, 2, 2, 1], '"relu"', {
        "W1": "[[1], [2]]", "b1": "[1, 1]",
        "W2": "[[1, 0], [0, 1]]", "b2": "[0, 0]",
        "W3": "[[4, 0]]", "b3": "[0]"})

    reduction = reduce_network(network)

    assert reduction.verified is True
    assert [(step.kind, step.layer, step.neurons) for step in reduction.steps] == [
        ("dead", 2, (1,)), ("dead", 1, (1,))]
    assert reduction.network.parameter_expressions() == {
        "W1": [[1], [0]], "b1": [1, 0], "W2": [[1, 0], [0, 0]], "b2": [0, 0],
        "W3": [[4, 0]], "b3": [0]}
    assert_same_function_exactly(network, reduction.network, SEED)


def test_constant_outside_field_blocks_theta_star():
    # tanh(2) is not rational, so the constant neuron cannot move into b2 exactly.
    network = small_network([2, 3, 1], '"tanh"', {
        "W1": "[[1, 2], [0, 0], [3, 0]]", "b1": '[1, 2, "1/2"]', "W2": "[[1, -2, 3]]",
        "b2": "[1]"})

    reduction = reduce_network(network)

    assert not reduction.formed
    assert not reduction.changed
    assert reduction.blocked_reason() == (
        "theta* is not formed: neuron 2 of layer 1 has zero incoming weights, so it is the "
        "constant tanh(2), which is not in the exact field of the parameters")


def test_constant_without_next_bias_blocks_theta_star():
    # sigmoid(0) = 1/2 is exact, but without biases there is nowhere to move it.
    network = small_network([2, 2, 1], '"sigmoid"', {
        "W1": "[[1, 2], [0, 0]]", "W2": "[[1, 1]]"}, bias=False)

    reduction = reduce_network(network)

    assert reduction.blocked_reason() == (
        "theta* is not formed: neuron 2 of layer 1 has zero incoming weights, so it is the "
        "constant 1/2, the next layer has no bias to take it")
