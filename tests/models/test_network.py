"""Tests of networks: MLP construction, the adjunction step and evaluation."""

from __future__ import annotations

import numpy
import pytest
import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine, linear_map
from symequiv.activations.catalogue import NAMED, from_expression, power
from symequiv.errors import ShapeError
from symequiv.exact.intervals import working_precision
from symequiv.models.network import Network
from tests.models.layers import (
    QQ_FIELD,
    arb_vector,
    dense_layer,
    rational_vector,
    reference_ball,
    seeded_rationals,
)

R = sympy.Rational
TANH = NAMED["tanh"]
RELU = NAMED["relu"]
SIGMOID = NAMED["sigmoid"]
CUBE = power(3)

W1 = [(1, -2), (R(1, 2), 1), (0, 3)]
B1 = [1, 0, R(-1, 3)]
W2 = [(1, 0, -1), (2, R(1, 2), 1)]
B2 = [0, 2]
W3 = [(1, 1), (-1, 2)]
B3 = [R(1, 2), -1]


def _matrix(rows):
    return [rational_vector(row) for row in rows]


def _mlp(activations, weights=(W1, W2), biases=(B1, B2)):
    return Network.mlp(QQ_FIELD, [_matrix(matrix) for matrix in weights],
                       [rational_vector(bias) for bias in biases], list(activations))


def _to_field(values):
    return tuple(QQ_FIELD.convert(sympy.sympify(value)) for value in values)


# The group element g: a signed swap plus a translation on the input, a shear plus a
# translation on the output.
INPUT_MAP = AffineMap(MonomialMatrix(QQ_FIELD, (1, 0), _to_field([1, -1])), _to_field([R(1, 2), 0]))
OUTPUT_MAP = AffineMap(linear_map(QQ_FIELD, [_to_field([1, 1]), _to_field([0, 1])]),
                       _to_field([0, R(-3, 2)]))


def _apply_sympy(affine_map, values):
    """Apply an exact affine map to a vector of sympy expressions."""
    matrix = affine_map.linear.to_sympy()
    translation = sympy.Matrix([QQ_FIELD.to_expr(entry)
                                for entry in affine_map.translation_or_zero()])
    return list(matrix * sympy.Matrix(values) + translation)


# -- construction ---------------------------------------------------------------------------


def test_mlp_builds_hidden_and_output_layers():
    network = _mlp([TANH])

    assert network.depth == 2
    assert network.widths == (2, 3, 2)
    assert (network.input_dimension, network.output_dimension) == (2, 2)
    assert network.layer(1).activation is TANH
    assert network.layer(2).activation is None
    assert network.hidden_layers == network.layers[:1]
    assert network.hidden_activations() == [TANH]
    assert network.parameter_count == 9 + 8


def test_mlp_rejects_wrong_number_of_activations():
    with pytest.raises(ShapeError, match=r"^an MLP with 2 layers needs 1 activations, got 0$"):
        _mlp([])


def test_mlp_rejects_mismatched_widths():
    with pytest.raises(ShapeError,
                       match=r"^layer 1 outputs dimension 3 but layer 2 takes dimension 2$"):
        _mlp([TANH], (W1, W3), (B1, B3))


def test_mlp_rejects_bias_of_wrong_length():
    with pytest.raises(ShapeError, match=r"^the bias has 2 entries for 3 neurons$"):
        _mlp([TANH], (W1, W2), (B3, B2))


@pytest.mark.parametrize("biases", [
    pytest.param((B1,), id="too-few"),
    pytest.param((B1, B2, B3), id="too-many"),
])
def test_mlp_rejects_wrong_number_of_biases(biases):
    """Each weight matrix needs one bias, and a missing bias must not drop a layer silently."""
    with pytest.raises(ShapeError):
        _mlp([TANH], (W1, W2), biases)


def test_network_needs_a_layer():
    with pytest.raises(ShapeError, match=r"^a network needs at least one layer$"):
        Network([])


def test_mlp_without_layers_message():
    """An MLP with no weight matrices must not ask for -1 activations."""
    with pytest.raises(ShapeError) as raised:
        Network.mlp(QQ_FIELD, [], [], [])

    assert "-1" not in str(raised.value)


def test_network_with_layer_and_same_parameters():
    network = _mlp([TANH])
    replacement = dense_layer([(2, 0, 0, 0), (0, 1, 0, 1)], None)

    changed = network.with_layer(2, replacement)

    assert changed.layer(2) is replacement
    assert changed.layer(1) is network.layer(1)
    assert not changed.same_parameters(network)
    assert _mlp([TANH]).same_parameters(network)


# -- parameters -----------------------------------------------------------------------------


def test_parameter_expressions_are_named_by_layer():
    network = _mlp([TANH])

    expressions = network.parameter_expressions()

    assert list(expressions) == ["W1", "b1", "W2", "b2"]
    assert expressions["W1"] == [[1, -2], [R(1, 2), 1], [0, 3]]
    assert expressions["b1"] == [1, 0, R(-1, 3)]
    assert expressions["W2"] == [[1, 0, -1], [2, R(1, 2), 1]]
    assert expressions["b2"] == [0, 2]
    assert all(isinstance(entry, sympy.Expr) for entry in expressions["b2"])


def test_parameter_expressions_of_deeper_network():
    network = _mlp([TANH, RELU], (W1, W2, W3), (B1, B2, B3))

    assert list(network.parameter_expressions()) == ["W1", "b1", "W2", "b2", "W3", "b3"]


@pytest.mark.parametrize("activations, expected", [
    pytest.param([CUBE], True, id="cube"),
    pytest.param([NAMED["identity"]], True, id="identity"),
    pytest.param([from_expression("t^3 + t")], True, id="polynomial-expression"),
    pytest.param([TANH], False, id="tanh"),
    pytest.param([RELU], False, id="relu"),
    pytest.param([CUBE, TANH], False, id="cube-then-tanh"),
])
def test_is_polynomial(activations, expected):
    weights = (W1, W2, W3)[:len(activations) + 1]
    biases = (B1, B2, B3)[:len(activations) + 1]

    assert _mlp(activations, weights, biases).is_polynomial is expected


def test_single_affine_layer_is_polynomial():
    assert Network([dense_layer([(1, 2, 0)], None)]).is_polynomial


# -- the adjunction step --------------------------------------------------------------------


def test_adjoint_power_network():
    r"""theta^g computes :math:`x \mapsto \rho_{out}(g)^{-1} f(\rho_{in}(g) x)` on rationals.

    A power network maps rationals to rationals, so both sides are compared exactly.
    """
    network = _mlp([CUBE])
    adjoint = network.adjoint(INPUT_MAP, OUTPUT_MAP)
    inverse = OUTPUT_MAP.inverse()
    points = seeded_rationals(seed=21, count=20)
    for point in zip(points[::2], points[1::2]):
        moved = [QQ_FIELD.to_expr(value) for value in INPUT_MAP.apply(_to_field(point))]
        direct = inverse.apply(_to_field(network.evaluate_symbolic(moved)))

        assert _to_field(adjoint.evaluate_symbolic(list(point))) == direct


def test_adjoint_tanh_network():
    r"""theta^g computes :math:`x \mapsto \rho_{out}(g)^{-1} f(\rho_{in}(g) x)` for tanh.

    Both sides are the same rational combination of tanh at rational points, so their
    difference expands to 0, and the Arb evaluation of theta^g encloses the exact value.
    """
    network = _mlp([TANH, TANH], (W1, W2, W3), (B1, B2, B3))
    adjoint = network.adjoint(INPUT_MAP, OUTPUT_MAP)
    inverse = OUTPUT_MAP.inverse()
    points = seeded_rationals(seed=22, count=12)
    for point in zip(points[::2], points[1::2]):
        moved = [QQ_FIELD.to_expr(value) for value in INPUT_MAP.apply(_to_field(point))]
        direct = _apply_sympy(inverse, network.evaluate_symbolic(moved))
        exact = adjoint.evaluate_symbolic(list(point))
        with working_precision(128):
            balls = adjoint.evaluate_arb(arb_vector(point))

        for value, expected, ball in zip(exact, direct, balls):
            assert sympy.expand(value - expected) == 0, point
            assert ball.contains(reference_ball(expected)), (point, ball)


def test_adjoint_changes_only_first_and_last_layer():
    network = _mlp([TANH, TANH], (W1, W2, W3), (B1, B2, B3))

    adjoint = network.adjoint(INPUT_MAP, OUTPUT_MAP)

    assert adjoint.layer(2).same_parameters(network.layer(2))
    assert not adjoint.layer(1).same_parameters(network.layer(1))
    assert not adjoint.layer(3).same_parameters(network.layer(3))


def test_adjoint_by_identity_keeps_parameters():
    network = _mlp([TANH])

    adjoint = network.adjoint(identity_affine(QQ_FIELD, 2), identity_affine(QQ_FIELD, 2))

    assert adjoint.same_parameters(network)


def test_adjoint_rejects_network_ending_in_activation():
    """A tanh layer cannot absorb a general output map, so adjoint must raise a ShapeError."""
    network = Network([dense_layer([(1, 0), (0, 1)], TANH)])
    swap = AffineMap(MonomialMatrix(QQ_FIELD, (1, 0)))

    with pytest.raises(ShapeError, match=r"^the last layer cannot absorb the output action$"):
        network.adjoint(identity_affine(QQ_FIELD, 1), swap)


# -- evaluation -----------------------------------------------------------------------------


@pytest.mark.parametrize("activations", [
    pytest.param([TANH, SIGMOID], id="tanh-sigmoid"),
    pytest.param([RELU, TANH], id="relu-tanh"),
    pytest.param([CUBE, NAMED["gelu"]], id="cube-gelu"),
])
def test_evaluate_numpy_agrees_with_arb(activations):
    """The float forward pass lies within 1e-12 of the certified Arb ball."""
    network = _mlp(activations, (W1, W2, W3), (B1, B2, B3))
    points = seeded_rationals(seed=23, count=40)
    inputs = numpy.array([[float(value) for value in pair]
                          for pair in zip(points[::2], points[1::2])])

    floats = network.evaluate_numpy(inputs)

    for row, pair in zip(floats, zip(points[::2], points[1::2])):
        with working_precision(128):
            balls = network.evaluate_arb(arb_vector(pair))
        for value, ball in zip(row, balls):
            assert ball.rad() < 1e-30
            assert value == pytest.approx(float(ball.mid()), rel=1e-12, abs=1e-12)


def test_evaluate_symbolic_composes_layers():
    x, y = sympy.symbols("x y")
    network = Network([dense_layer([(1, 1, 0), (1, -1, 1)], CUBE), dense_layer([(1, 2, 0)], None)])

    (output,) = network.evaluate_symbolic([x, y])

    assert sympy.expand(output - ((x + y) ** 3 + 2 * (x - y + 1) ** 3)) == 0


def test_evaluate_numpy_batch_shape():
    network = _mlp([TANH])

    values = network.evaluate_numpy(numpy.zeros((5, 2)))

    assert values.shape == (5, 2)
    assert values.dtype == numpy.float64
