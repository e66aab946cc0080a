"""Dense expansion: every weight-shared layer equals its expanded dense layer."""

from __future__ import annotations

import random

import pytest
import sympy

import symequiv
from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.errors import UnsupportedError
from symequiv.exact.field import ExactField
from symequiv.models.conv import ConvLayer
from symequiv.models.expansion import expand_element, expand_layer, expand_network
from symequiv.models.layer import LatentElement
from tests.certificates import ATTENTION, EXPANDED, THEORIES, tokenwise_theory

INPUTS_PER_THEORY = 3


def _theory(name):
    return tokenwise_theory() if name == "tokenwise-reversal" else symequiv.load(
        THEORIES / f"{name}.toml")


@pytest.mark.parametrize("name", EXPANDED + ["tokenwise-reversal"])
def test_expanded_network_equals_original(name):
    network = _theory(name).network
    expanded = expand_network(network)
    rng = random.Random(7)

    assert expanded.widths == network.widths
    for _ in range(INPUTS_PER_THEORY):
        point = [sympy.Rational(rng.randint(-20, 20), rng.randint(1, 7))
                 for _ in range(network.input_dimension)]
        original = network.evaluate_symbolic(point)
        dense = expanded.evaluate_symbolic(point)
        differences = [sympy.simplify(a - b) for a, b in zip(original, dense)]
        assert differences == [0] * len(original), point


def test_expanded_layers_are_dense():
    network = expand_network(symequiv.load(THEORIES / "conv-dihedral.toml").network)

    assert [layer.kind for layer in network.layers] == ["dense", "dense"]


def test_conv_expansion_rows_with_zero_padding():
    field = ExactField.rational()
    kernel = [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]
    layer = ConvLayer(field, 3, 3, [[[[field.convert(x) for x in row] for row in plane]
                                     for plane in channel] for channel in kernel],
                      [field.convert(10)])

    dense = expand_layer(layer)

    # The centre reads the whole grid; the top-left corner reads only offsets 0 and +1.
    assert [int(x) for x in dense.weights[4]] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [int(x) for x in dense.weights[0]] == [5, 6, 0, 8, 9, 0, 0, 0, 0]
    assert [int(x) for x in dense.bias] == [10] * 9


def test_conv_expansion_wraps_with_circular_padding():
    field = ExactField.rational()
    kernel = [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]
    layer = ConvLayer(field, 3, 3, [[[[field.convert(x) for x in row] for row in plane]
                                     for plane in channel] for channel in kernel],
                      [field.zero], padding="circular")

    dense = expand_layer(layer)

    assert [int(x) for x in dense.weights[0]] == [5, 6, 4, 8, 9, 7, 2, 3, 1]


def test_deepsets_expansion_blocks():
    network = symequiv.load(THEORIES / "deepsets-permutation.toml").network

    dense = expand_layer(network.layers[0])

    # W = [[1], [2]] and Wpool = [[1], [-1]]: W + U on the own element, U on the others.
    assert [[int(x) for x in row] for row in dense.weights] == [
        [2, 1, 1], [1, -1, -1], [1, 2, 1], [-1, 1, -1], [1, 1, 2], [-1, -1, 1]]


def test_expand_element_repeats_channel_scales():
    network = symequiv.load(THEORIES / "conv-circular-translation.toml").network
    layer = network.layers[0]
    field = network.field
    width = layer.output_dimension
    identity = AffineMap(MonomialMatrix(field, range(width)))
    channel_scales = tuple(field.convert(value) for value in range(1, layer.out_channels + 1))

    element = expand_element(layer, LatentElement(identity, channel_scales))

    positions = layer.height * layer.width
    assert element.preactivation_scales == tuple(
        channel_scales[neuron // positions] for neuron in range(width))


@pytest.mark.parametrize("name", ATTENTION)
def test_attention_has_no_expansion(name):
    network = symequiv.load(THEORIES / f"{name}.toml").network

    with pytest.raises(UnsupportedError, match="attention layers have no dense expansion, "
                                               "because they are not a linear map followed by "
                                               "a pointwise activation"):
        expand_network(network)
