"""Theory files with attention, conv and deepsets architectures and with a layers list."""

from __future__ import annotations

import re

import pytest

import symequiv
from symequiv.errors import InputError, ShapeError, TheoryError
from symequiv.models.attention import AttentionLayer
from symequiv.models.conv import ConvLayer
from symequiv.models.deepsets import DeepSetsLayer
from symequiv.models.dense import DenseLayer
from symequiv.models.tokenwise import TokenwiseLayer

HEADER = """\
[theory]
name = "layers"

[group]
generators = ["s"]

[group.input]
s = "trivial"

[group.output]
s = "trivial"

"""

ATTENTION = HEADER + """\
[model]
architecture = "attention"
tokens = 2
features = 2
heads = 2
key_dimension = 1
value_dimension = 1
positions = "bias"
outputs = 1

[parameters]
WQ1 = [[[1, 0]], [[0, 1]]]
WK1 = [[[1, 1]], [[1, -1]]]
WV1 = [[[1, 2]], [[2, -1]]]
S1 = [[[0, 1], [0, 0]], [[0, 0], [1, 0]]]
W2 = [[1, 1]]
b2 = [0]
"""

CONV = HEADER + """\
[model]
architecture = "conv"
image = [3, 3]
channels = [1, 2, 1]
padding = "circular"
activation = "tanh"
bias = false

[parameters]
K1 = [[[[1, 0, 0], [0, 1, 0], [0, 0, 1]]], [[[0, 0, 1], [0, 1, 0], [1, 0, 0]]]]
K2 = [[[[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]]]]
"""

DEEPSETS = HEADER + """\
[model]
architecture = "deepsets"
elements = 3
widths = [1, 2, 1]
activation = "tanh"

[parameters]
W1 = [[1], [2]]
Wpool1 = [[1], [-1]]
b1 = [0, 1]
W2 = [[1, -1]]
Wpool2 = [[2, 1]]
b2 = [0]
"""

LAYERS = HEADER + """\
[model]
layers = [
  { kind = "tokenwise", tokens = 2, inputs = 1, outputs = 2, activation = "tanh" },
  { kind = "attention", tokens = 2, features = 2, heads = 1 },
  { kind = "dense", inputs = 4, outputs = 1 },
]

[parameters]
W1 = [[1], [-2]]
b1 = [0, 1]
WQ2 = [[[1, 1], [0, 1]]]
WK2 = [[[2, -1], [1, 0]]]
WV2 = [[[1, 0], [1, 1]]]
W3 = [[1, 2, -1, 3]]
b3 = [0]
"""


def edit(text, old, new):
    assert old in text, f"the template has no {old!r}"
    return text.replace(old, new, 1)


def exactly(message):
    return "^" + re.escape(f"bad.toml: {message}") + "$"


def assert_rejected(text, kind, key, message):
    with pytest.raises(kind, match=exactly(message)) as info:
        symequiv.loads(text, source="bad.toml")
    assert isinstance(info.value, InputError)
    assert info.value.key == key


def test_attention_architecture_builds_attention_and_projection():
    theory = symequiv.loads(ATTENTION)

    first, second = theory.network.layers
    assert isinstance(first, AttentionLayer)
    assert first.positions == "bias"
    assert isinstance(second, TokenwiseLayer)
    assert second.activation is None
    assert theory.network.widths == (4, 4, 2)


def test_conv_architecture_builds_conv_layers():
    theory = symequiv.loads(CONV)

    assert all(isinstance(layer, ConvLayer) for layer in theory.network.layers)
    assert theory.network.layers[0].padding == "circular"
    assert theory.network.widths == (9, 18, 9)


def test_deepsets_architecture_builds_deepsets_layers():
    theory = symequiv.loads(DEEPSETS)

    assert all(isinstance(layer, DeepSetsLayer) for layer in theory.network.layers)
    assert theory.network.widths == (3, 6, 3)


def test_layers_list_mixes_kinds():
    theory = symequiv.loads(LAYERS)

    kinds = [type(layer) for layer in theory.network.layers]
    assert kinds == [TokenwiseLayer, AttentionLayer, DenseLayer]
    assert theory.network.widths == (2, 4, 4, 1)
    assert theory.network.layers[1].key_dimension == 2


def test_parameter_names_follow_layer_numbers():
    theory = symequiv.loads(LAYERS)

    names = list(theory.network.parameter_expressions())

    assert names == ["W1", "b1", "WQ2", "WK2", "WV2", "W3", "b3"]


def test_unknown_layer_kind():
    text = edit(LAYERS, 'kind = "dense"', 'kind = "recurrent"')

    assert_rejected(text, TheoryError, "model.layers[2].kind",
                    "model.layers[2].kind: unknown layer kind 'recurrent'; expected one of "
                    "['dense', 'tokenwise', 'attention', 'conv', 'deepsets']")


def test_layers_that_do_not_chain():
    text = edit(LAYERS, "inputs = 4", "inputs = 5").replace("W3 = [[1, 2, -1, 3]]",
                                                            "W3 = [[1, 2, -1, 3, 0]]")

    assert_rejected(text, TheoryError, "model.layers[2]",
                    "model.layers[2]: layer 3 takes 5 inputs but layer 2 outputs 4")


def test_hidden_layer_needs_activation():
    text = edit(LAYERS, ', activation = "tanh"', "")

    assert_rejected(text, TheoryError, "model.layers[0].activation",
                    'model.layers[0].activation: missing; a hidden layer needs an activation '
                    '(use "identity" for a linear layer)')


def test_last_layer_takes_no_activation():
    text = edit(LAYERS, "inputs = 4, outputs = 1", 'inputs = 4, outputs = 1, activation = "tanh"')

    assert_rejected(text, TheoryError, "model.layers[2].activation",
                    'model.layers[2].activation: the last layer is affine and takes no activation')


def test_missing_layer_size():
    text = edit(LAYERS, "{ kind = \"dense\", inputs = 4, outputs = 1 }",
                "{ kind = \"dense\", inputs = 4 }")

    assert_rejected(text, TheoryError, "model.layers[2].outputs",
                    "model.layers[2].outputs: missing; a dense layer needs inputs, outputs")


def test_layers_cannot_be_combined_with_architecture():
    text = edit(LAYERS, "[model]\n", '[model]\narchitecture = "mlp"\n')

    assert_rejected(text, TheoryError, "model",
                    "model: unknown key(s) ['architecture']; allowed: ['layers']")


def test_attention_parameter_with_wrong_shape():
    text = edit(ATTENTION, "WV1 = [[[1, 2]], [[2, -1]]]", "WV1 = [[[1, 2]], [[2, -1, 0]]]")

    assert_rejected(text, ShapeError, "parameters.WV1[1][0]",
                    "parameters.WV1[1][0]: expected a list of 2 numbers (layer 1: attention, "
                    "heads x value_dimension x features), got 3")


def test_attention_missing_score_biases():
    text = edit(ATTENTION, "S1 = [[[0, 1], [0, 0]], [[0, 0], [1, 0]]]\n", "")

    assert_rejected(text, TheoryError, "parameters.S1",
                    "parameters.S1: missing; expected 2 x 2 x 2 numbers (layer 1: attention, "
                    "heads x tokens x tokens)")


def test_attention_needs_two_tokens():
    text = edit(ATTENTION, "tokens = 2", "tokens = 1")

    assert_rejected(text, TheoryError, "model.tokens",
                    "model.tokens: expected an integer from 2 to 65536")


def test_attention_unknown_positions():
    text = edit(ATTENTION, 'positions = "bias"', 'positions = "rotary"')

    assert_rejected(text, TheoryError, "model.positions",
                    "model.positions: expected one of ['none', 'bias', 'absolute']")


def test_conv_kernel_larger_than_grid():
    text = edit(CONV, "image = [3, 3]", "image = [3, 3]\nkernel = 5")

    assert_rejected(text, TheoryError, "model.kernel",
                    "model.kernel: a kernel of size 5 needs a grid of at least 5 x 5, got 3 x 3")


def test_conv_even_kernel():
    text = edit(CONV, "image = [3, 3]", "image = [3, 3]\nkernel = 2")

    assert_rejected(text, TheoryError, "model.kernel",
                    "model.kernel: expected an odd positive integer")


def test_conv_unknown_parameter():
    text = edit(CONV, "K2 =", "b7 = [1]\nK2 =")

    assert_rejected(text, TheoryError, "parameters",
                    "parameters: unknown parameter(s) ['b7']; expected ['K1', 'K2']")


def test_deepsets_needs_elements():
    text = edit(DEEPSETS, "elements = 3\n", "")

    assert_rejected(text, TheoryError, "model.elements",
                    "model.elements: missing; the number of set elements")


def test_deepsets_pool_weights_with_float():
    text = edit(DEEPSETS, "Wpool1 = [[1], [-1]]", "Wpool1 = [[1], [-1.5]]")

    with pytest.raises(InputError, match=r"parameters\.Wpool1\[1\]\[0\]"):
        symequiv.loads(text, source="bad.toml")
