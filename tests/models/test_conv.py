"""Tests of convolutions on grids: evaluation, grid symmetries, absorbing maps, matching."""

from __future__ import annotations

import flint
import numpy
import pytest
import sympy

from symequiv.actions.builders import parse_action
from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.actions.tokens import channel_linear
from symequiv.activations.catalogue import NAMED
from symequiv.errors import ShapeError
from symequiv.exact.intervals import working_precision
from symequiv.models.conv import ConvLayer, identify_grid_move
from tests.models.layers import QQ_FIELD, arb_vector, reference_ball

TANH = NAMED["tanh"]
KERNEL = [[[1, 2, 0], [0, 1, -1], [0, 0, 3]]]
TURNED = [[[0, 0, 1], [0, 1, 2], [3, -1, 0]]]


def conv(kernel, bias, padding="zero", activation=TANH, size=(3, 3)):
    field = QQ_FIELD
    exact = [[[[field.convert(sympy.sympify(entry)) for entry in row] for row in plane]
              for plane in channel] for channel in kernel]
    return ConvLayer(field, size[0], size[1], exact, [field.convert(sympy.sympify(entry))
                                                      for entry in bias], activation, padding)


def _image_map(spec):
    return parse_action(spec, 9).build(QQ_FIELD)


def _point(seed, size):
    rng = numpy.random.default_rng(seed)
    return [sympy.Rational(int(value), 4) for value in rng.integers(-8, 9, size=size)]


def _apply_arb(affine_map, vector):
    field = affine_map.field
    return [sum((field.to_arb(entry) * value for entry, value in zip(row, vector)),
                field.to_arb(offset))
            for row, offset in zip(affine_map.linear.rows(), affine_map.translation_or_zero())]


def test_conv_rejects_even_kernel():
    with pytest.raises(ShapeError, match="the kernel size must be odd, got 2"):
        conv([[[[1, 0], [0, 1]]]], [0])


def test_conv_rejects_grid_smaller_than_kernel():
    with pytest.raises(ShapeError, match="a 3 x 3 kernel needs a grid of at least that size, "
                                         "got 2 x 3"):
        conv([KERNEL], [0], size=(2, 3))


@pytest.mark.parametrize("padding", ["zero", "circular"])
def test_conv_evaluations_agree(padding):
    layer = conv([KERNEL, TURNED], ["1/2", -1], padding)
    point = _point(0, 9)

    floats = layer.evaluate_numpy(numpy.array([[float(value) for value in point]]))[0]
    with working_precision(128):
        balls = layer.evaluate_arb(arb_vector(point))
    exact = layer.evaluate_symbolic(point)

    for value, ball, expression in zip(floats, balls, exact):
        reference = reference_ball(expression)
        assert ball.overlaps(reference)
        assert abs(value - float(reference.mid())) < 1e-12


def test_conv_zero_padding_reads_zero_outside():
    """The top-left output of an affine convolution reads only the lower-right kernel entries."""
    layer = conv([KERNEL], [0], activation=None)
    ones = [sympy.Integer(1)] * 9

    outputs = layer.evaluate_symbolic(ones)

    assert outputs[0] == 1 + (-1) + 0 + 3
    assert outputs[4] == sum(sum(row) for row in KERNEL[0])


@pytest.mark.parametrize("spec, name", [
    ({"image": [3, 3], "rotate": 90}, "rotation by 90 degrees"),
    ({"image": [3, 3], "rotate": 270}, "rotation by 270 degrees"),
    ({"image": [3, 3], "flip": "horizontal"}, "horizontal flip"),
    ({"image": [3, 3], "flip": "antidiagonal"}, "antidiagonal flip"),
])
def test_identify_grid_move_names_image_actions(spec, name):
    positions = _image_map(spec).linear.images

    move = identify_grid_move(positions, 3, 3, "zero")

    assert move.describe() == name


def test_identify_grid_move_translation_needs_circular_padding():
    shift = (1, 2, 0, 4, 5, 3, 7, 8, 6)

    assert identify_grid_move(shift, 3, 3, "zero") is None
    assert identify_grid_move(shift, 3, 3, "circular").describe() == (
        "translation by 0 rows and 1 columns")


def test_absorb_rotation_turns_kernel_and_passes_rotation():
    layer = conv([KERNEL], [1])
    rotation = _image_map({"image": [3, 3], "rotate": 90})
    point = arb_vector(_point(1, 9))

    absorption = layer.absorb(rotation)

    assert absorption.output_map == rotation
    assert absorption.layer.kernel[0][0] == tuple(tuple(QQ_FIELD.convert(entry) for entry in row)
                                                  for row in TURNED[0])
    with working_precision(128):
        left = layer.evaluate_arb(_apply_arb(rotation, point))
        right = _apply_arb(rotation, absorption.layer.evaluate_arb(point))
    for a, b in zip(left, right):
        assert abs(a - b) < flint.arb("1e-30")


def test_absorb_rejects_translation_with_zero_padding():
    layer = conv([KERNEL], [1])
    shift = AffineMap(MonomialMatrix(QQ_FIELD, (1, 2, 0, 4, 5, 3, 7, 8, 6)))

    absorption = layer.absorb(shift)

    assert not absorption.absorbed
    assert absorption.reason == ("the map moves the grid by a permutation that is not a symmetry "
                                 "of the grid about its center")


def test_commute_with_translation_only_for_circular_padding():
    shift = AffineMap(MonomialMatrix(QQ_FIELD, (1, 2, 0, 4, 5, 3, 7, 8, 6)))

    assert conv([KERNEL], [1], "circular").commute(shift) == shift
    assert conv([KERNEL], [1], "zero").commute(shift) is None


def test_match_finds_channel_permutation():
    layer = conv([KERNEL, TURNED], [1, 1])
    target = conv([TURNED, KERNEL], [1, 1])

    match = layer.match(target)

    assert match.found
    assert match.unique is True
    assert match.complete
    assert match.element.details["core"].map.linear.images == (1, 0)
    assert match.element.map.linear == channel_linear(
        QQ_FIELD, MonomialMatrix(QQ_FIELD, (1, 0)), tuple(range(9)))
    assert layer.relation_holds(target, match.element)


def test_match_fails_for_a_different_kernel():
    layer = conv([KERNEL, TURNED], [1, 1])
    target = conv([KERNEL, [[[0, 0, 1], [0, 1, 2], [3, -1, 1]]]], [1, 1])

    match = layer.match(target)

    assert not match.found
    assert match.complete


def test_match_duplicate_channels_is_ambiguous():
    layer = conv([KERNEL, KERNEL], [1, 1])

    match = layer.match(layer)

    assert match.found
    assert match.unique is False
    assert len(match.solutions()) == 2
    assert "channels equal up to sign" in match.reason
