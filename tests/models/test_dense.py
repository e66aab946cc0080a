"""Tests of dense layers: evaluation, maps acting on a layer, relations and the affine matcher."""

from __future__ import annotations

import re

import numpy
import pytest
import sympy

from symequiv.actions.maps import AffineMap, DenseMatrix, MonomialMatrix, linear_map
from symequiv.activations.catalogue import NAMED, leaky_relu, power
from symequiv.errors import GroupError, InputError, ShapeError
from symequiv.exact.field import ExactField
from symequiv.exact.intervals import working_precision
from symequiv.models.dense import DenseLayer, PointwiseLatentGroup
from symequiv.models.layer import LatentElement
from tests.models.layers import (
    QQ_FIELD,
    arb_vector,
    dense_layer,
    map_data,
    rational_vector,
    reference_ball,
    seeded_rationals,
)

R = sympy.Rational
TANH = NAMED["tanh"]
RELU = NAMED["relu"]
SIGMOID = NAMED["sigmoid"]
IDENTITY = NAMED["identity"]
CUBE = power(3)

ROWS = [(1, -2, R(1, 2)), (0, 3, -1), (2, 1, 0)]


def _to_field(values):
    return tuple(QQ_FIELD.convert(sympy.sympify(value)) for value in values)


def _to_sympy(values):
    return [QQ_FIELD.to_expr(value) for value in values]


def _affine(images, scales, translation=None):
    return AffineMap(MonomialMatrix(QQ_FIELD, images, _to_field(scales)),
                     None if translation is None else _to_field(translation))


def _dense_affine(rows, translation=None):
    linear = linear_map(QQ_FIELD, [_to_field(row) for row in rows])
    return AffineMap(linear, None if translation is None else _to_field(translation))


# -- construction ---------------------------------------------------------------------------


def test_dense_layer_rejects_ragged_rows():
    weights = [rational_vector([1, 2]), rational_vector([3])]

    with pytest.raises(ShapeError, match=r"^the rows of a weight matrix have different lengths$"):
        DenseLayer(QQ_FIELD, weights, rational_vector([0, 0]), TANH)


def test_dense_layer_rejects_bias_of_wrong_length():
    weights = [rational_vector([1, 2]), rational_vector([3, 4])]

    with pytest.raises(ShapeError, match=r"^the bias has 3 entries for 2 neurons$"):
        DenseLayer(QQ_FIELD, weights, rational_vector([0, 0, 0]), TANH)


def test_dense_layer_describes_itself():
    hidden = dense_layer(ROWS, TANH)
    output = dense_layer(ROWS, None)

    assert repr(hidden) == "DenseLayer(2 -> 3, tanh)"
    assert repr(output) == "DenseLayer(2 -> 3, affine)"
    assert hidden.kind == "dense"
    assert (hidden.input_dimension, hidden.output_dimension) == (2, 3)
    assert hidden.parameter_count == 9
    assert output.is_output
    assert not hidden.is_output
    assert output.latent_group() is None


def test_dense_layer_parameters_are_rows_and_bias():
    layer = dense_layer([(1, 2, 3)], RELU)

    assert layer.parameters() == {"weights": (_to_field([1, 2]),), "bias": _to_field([3])}


def test_match_on_output_layer_is_rejected():
    layer = dense_layer(ROWS, None)

    with pytest.raises(GroupError, match=r"^an output layer has no latent group to match in$"):
        layer.match(layer)


def test_convert_parameters_to_number_field():
    field = ExactField.for_expressions([sympy.sqrt(2)])
    layer = dense_layer(ROWS, TANH)

    converted = layer.convert_parameters(
        field, lambda entry: field.convert(QQ_FIELD.to_expr(entry)))

    assert converted.field == field
    assert converted.weights[0][1] == field.convert(-2)
    assert converted.bias[0] == field.convert(R(1, 2))
    assert converted.activation is TANH


# -- evaluation -----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [
    pytest.param(TANH, id="tanh"),
    pytest.param(SIGMOID, id="sigmoid"),
    pytest.param(RELU, id="relu"),
    pytest.param(CUBE, id="cube"),
    pytest.param(NAMED["gelu"], id="gelu"),
    pytest.param(None, id="affine"),
])
def test_evaluation_forms_agree(activation):
    """Arb balls enclose the exact value and the numpy value lies within 1e-12 of it."""
    layer = dense_layer(ROWS, activation)
    points = seeded_rationals(seed=3, count=20)
    for point in zip(points[::2], points[1::2]):
        exact = layer.evaluate_symbolic(list(point))
        with working_precision(128):
            balls = layer.evaluate_arb(arb_vector(point))
        floats = layer.evaluate_numpy(numpy.array([[float(value) for value in point]]))[0]

        for value, ball, approximate in zip(exact, balls, floats):
            assert ball.contains(reference_ball(value)), (point, value, ball)
            assert approximate == pytest.approx(float(sympy.N(value, 30)), rel=1e-12, abs=1e-12)


def test_evaluate_symbolic_builds_formula():
    x, y = sympy.symbols("x y")
    layer = dense_layer([(1, -2, R(1, 2))], RELU)

    assert layer.evaluate_symbolic([x, y]) == [sympy.Max(0, x - 2 * y + R(1, 2))]


# -- maps acting on the layer ---------------------------------------------------------------


INPUT_MAPS = [
    pytest.param(_affine((1, 0), (1, 1)), id="swap"),
    pytest.param(_affine((1, 0), (-1, 2), (R(1, 3), -1)), id="monomial-with-translation"),
    pytest.param(_dense_affine([(1, 2), (3, 4)]), id="dense"),
    pytest.param(_dense_affine([(1, 1), (0, 1)], (2, R(-1, 2))), id="dense-with-translation"),
]


@pytest.mark.parametrize("activation", [
    pytest.param(CUBE, id="cube"),
    pytest.param(TANH, id="tanh"),
    pytest.param(None, id="affine"),
])
@pytest.mark.parametrize("input_map", INPUT_MAPS)
def test_precompose_matches_evaluation(activation, input_map):
    """f.precompose(g) evaluated at x equals f at g(x), exactly, at seeded rational points."""
    layer = dense_layer(ROWS, activation)
    moved = layer.precompose(input_map)
    points = seeded_rationals(seed=5, count=16)
    for point in zip(points[::2], points[1::2]):
        image = _to_sympy(input_map.apply(_to_field(point)))

        assert moved.evaluate_symbolic(list(point)) == layer.evaluate_symbolic(image)


@pytest.mark.parametrize("output_map", [
    pytest.param(_affine((2, 0, 1), (1, -1, 3), (1, 0, R(1, 2))), id="monomial"),
    pytest.param(_dense_affine([(1, 1, 0), (0, 1, 0), (1, 0, 2)], (0, 1, 0)), id="dense"),
])
def test_postcompose_output_layer_evaluation(output_map):
    layer = dense_layer(ROWS, None)
    moved = layer.postcompose(output_map)
    points = seeded_rationals(seed=6, count=16)
    for point in zip(points[::2], points[1::2]):
        values = _to_field(layer.evaluate_symbolic(list(point)))

        assert moved.evaluate_symbolic(list(point)) == _to_sympy(output_map.apply(values))


def test_postcompose_hidden_layer_with_latent_element():
    """k after (x -> (W x + b)^3) is the layer whose row j is c_j times the source row."""
    source = dense_layer(ROWS, CUBE)
    target = dense_layer([(0, -3, 1), (1, R(1, 2), 0), (2, -4, 1)], CUBE)
    match = source.match(target)

    moved = source.postcompose(match.element)

    assert map_data(match.element) == ((2, 0, 1), (8, -1, R(1, 8)), (0, 0, 0))
    assert moved.same_parameters(target)
    for point in [(1, 2), (R(-1, 3), R(5, 2)), (0, 0)]:
        values = _to_field(source.evaluate_symbolic(list(point)))
        assert moved.evaluate_symbolic(list(point)) == _to_sympy(match.element.map.apply(values))


def test_postcompose_constant_neuron_returns_none():
    """A constant neuron matched by value has no row scale, so k f is no longer a dense layer."""
    source = dense_layer([(0, 2)], RELU)
    match = source.match(dense_layer([(0, 3)], RELU))

    assert match.element.preactivation_scales == (None,)
    assert source.postcompose(match.element) is None


# -- relation checks ------------------------------------------------------------------------


RELATED_PAIRS = [
    pytest.param(TANH, [(1, 2, 0), (0, 1, -1)], [(0, -1, 1), (1, 2, 0)], id="tanh"),
    pytest.param(SIGMOID, [(1, 2, 1), (3, 0, -1)], [(3, 0, -1), (-1, -2, -1)], id="sigmoid"),
    pytest.param(RELU, [(1, -2, 3), (2, 0, 1)], [(4, 0, 2), (3, -6, 9)], id="relu"),
    pytest.param(CUBE, [(1, 2, 0), (1, 0, 1)], [(-2, -4, 0), (R(1, 2), 0, R(1, 2))],
                 id="cube"),
    pytest.param(NAMED["gelu"], [(1, 2, 0), (0, 1, -1)], [(0, 1, -1), (1, 2, 0)], id="gelu"),
    pytest.param(IDENTITY, [(1, 0, 0), (0, 1, 0)], [(1, 2, 0), (3, 4, 1)], id="identity"),
]


@pytest.mark.parametrize("activation, source_rows, target_rows", RELATED_PAIRS)
def test_relation_holds_for_matched_element(activation, source_rows, target_rows):
    source = dense_layer(source_rows, activation)
    target = dense_layer(target_rows, activation)

    match = source.match(target)

    assert match.found
    assert source.relation_holds(target, match.element)


@pytest.mark.parametrize("activation, source_rows, target_rows", RELATED_PAIRS)
def test_relation_fails_after_perturbing_any_target_entry(activation, source_rows,
                                                          target_rows):
    """Changing one weight or bias of the target breaks the relation for the matched k."""
    source = dense_layer(source_rows, activation)
    element = source.match(dense_layer(target_rows, activation)).element
    rng = numpy.random.default_rng(8)
    for row_index, row in enumerate(target_rows):
        for column in range(len(row)):
            changed = [list(entry) for entry in target_rows]
            changed[row_index][column] += R(int(rng.integers(1, 4)), int(rng.integers(1, 3)))

            assert not source.relation_holds(dense_layer(changed, activation), element), (
                row_index, column)


def _monomial_element(scales, preactivation_scales, images=None, translation=None):
    images = images or tuple(range(len(scales)))
    preactivation = tuple(None if scale is None else QQ_FIELD.convert(sympy.sympify(scale))
                          for scale in preactivation_scales)
    return LatentElement(_affine(images, scales, translation), preactivation)


def test_relation_rejects_inadmissible_scale():
    """tanh(2 z) is not +-tanh(z): the scale 2 lies outside the sign group."""
    source = dense_layer([(1, 0)], TANH)
    target = dense_layer([(2, 0)], TANH)

    assert not source.relation_holds(target, _monomial_element((1,), (2,)))


def test_relation_rejects_wrong_latent_scale():
    """For relu the scale 2 gives the latent scale 2, not 3."""
    source = dense_layer([(1, 0)], RELU)
    target = dense_layer([(2, 0)], RELU)

    assert not source.relation_holds(target, _monomial_element((3,), (2,)))
    assert source.relation_holds(target, _monomial_element((2,), (2,)))


def test_relation_rejects_element_of_wrong_dimension():
    source = dense_layer([(1, 0), (0, 1)], TANH)

    assert not source.relation_holds(source, _monomial_element((1,), (1,)))


@pytest.mark.parametrize("activation, source_rows, target_rows, latent_scale", [
    pytest.param(leaky_relu(R(1, 10)), [(0, 1)], [(0, -10)], -1,
                 id="leaky-negative-latent-scale"),
    pytest.param(TANH, [(0, 0)], [(0, 0)], 5, id="tanh-latent-scale-5"),
    pytest.param(NAMED["gelu"], [(0, 0)], [(0, 0)], 2, id="gelu-latent-scale-2"),
])
def test_relation_rejects_constant_map_outside_group(activation, source_rows,
                                                            target_rows, latent_scale):
    """A latent map on a constant neuron must still lie in K.

    The leaky ReLU group has only positive latent scales, tanh only +-1, GELU only 1, and
    0 is never a latent scale, so each element below lies outside K even though it sends
    the source constant to the target constant.
    """
    source = dense_layer(source_rows, activation)
    target = dense_layer(target_rows, activation)
    element = _monomial_element((latent_scale,), (None,))

    assert not source.relation_holds(target, element)


def test_zero_latent_scale_cannot_be_built():
    """0 is never a latent scale: the monomial matrix is rejected before any relation."""
    with pytest.raises(InputError, match="scale 0 is zero, but every scale must be nonzero"):
        _monomial_element((0,), (None,))


# -- the latent group -----------------------------------------------------------------------


def test_pointwise_latent_group_name_and_equality():
    group = dense_layer(ROWS, TANH).latent_group()

    assert group.name == "signed permutations of 3 coordinates"
    assert group == PointwiseLatentGroup(TANH, 3)
    assert hash(group) == hash(PointwiseLatentGroup(TANH, 3))
    assert group != PointwiseLatentGroup(TANH, 2)
    assert group != PointwiseLatentGroup(RELU, 3)


@pytest.mark.parametrize("activation, scales, translation, expected", [
    pytest.param(TANH, (1, -1), None, True, id="tanh-signed-permutation"),
    pytest.param(SIGMOID, (-1, 1), (0, 1), True, id="sigmoid-affine-flip"),
    pytest.param(SIGMOID, (-1, 1), (1, 0), False, id="sigmoid-flip-shift-on-wrong-neuron"),
    pytest.param(RELU, (2, R(1, 3)), None, True, id="relu-positive-scales"),
    pytest.param(CUBE, (-8, 1), None, True, id="cube-nonzero-scales"),
    pytest.param(TANH, (2, 3), None, False, id="tanh-scales-2-3"),
    pytest.param(RELU, (-1, 1), None, False, id="relu-negative-scale"),
    pytest.param(NAMED["gelu"], (-1, 1), None, False, id="gelu-sign"),
    pytest.param(power(2), (-4, 1), None, False, id="square-negative-latent-scale"),
    pytest.param(TANH, (1, 1), (1, 0), False, id="tanh-translation"),
])
def test_pointwise_latent_group_contains(activation, scales, translation, expected):
    """K contains the monomial maps whose coordinate maps come from admissible scales."""
    group = PointwiseLatentGroup(activation, 2)
    element = LatentElement(_affine((1, 0), scales, translation))

    assert group.contains(element) is expected


def test_pointwise_latent_group_rejects_wrong_dimension():
    group = PointwiseLatentGroup(TANH, 3)

    assert not group.contains(LatentElement(_affine((1, 0), (1, 1))))


# -- the affine matcher of the identity activation ------------------------------------------


def test_affine_match_unique():
    """W = I has full row rank, so A = W' and the shift are unique."""
    source = dense_layer([(1, 0, 0), (0, 1, 0)], IDENTITY)
    target = dense_layer([(1, 2, 0), (3, 4, 1)], IDENTITY)

    match = source.match(target)

    assert match.found
    assert match.unique is True
    assert match.complete is True
    assert isinstance(match.element.map.linear, DenseMatrix)
    assert match.element.map.linear.rows() == (_to_field([1, 2]), _to_field([3, 4]))
    assert match.element.map.translation == _to_field([0, 1])
    assert source.relation_holds(target, match.element)


def test_affine_match_monomial_solution():
    source = dense_layer([(1, 1, 2), (0, 1, -1)], IDENTITY)
    target = dense_layer([(0, -2, 2), (3, 3, 7)], IDENTITY)

    match = source.match(target)

    assert map_data(match.element) == ((1, 0), (3, -2), (0, 1))
    assert match.unique is True


def test_affine_match_non_unique():
    """W = (1, 2)^T has rank 1 < 2 rows, so A can change on the left null space of W."""
    source = dense_layer([(1, 0), (2, 0)], IDENTITY)
    target = dense_layer([(2, 0), (4, 1)], IDENTITY)

    match = source.match(target)

    assert match.found
    assert match.unique is False
    assert match.complete is False
    assert match.reason == "W has rank 1 below its 2 rows, so A is not unique"
    assert source.relation_holds(target, match.element)


def test_affine_match_unsolvable():
    """The rows of W' = ((0, 1), (0, 2)) are not in the row space of W = ((1, 0), (2, 0))."""
    source = dense_layer([(1, 0, 0), (2, 0, 0)], IDENTITY)
    target = dense_layer([(0, 1, 0), (0, 2, 0)], IDENTITY)

    match = source.match(target)

    assert match.found is False
    assert match.complete is True
    assert match.reason == "no matrix A satisfies W' = A W"


def test_affine_match_unique_singular_solution():
    """W = (1) forces A = W' = (0), which is singular, so no latent map exists."""
    source = dense_layer([(1, 0)], IDENTITY)
    target = dense_layer([(0, 1)], IDENTITY)

    match = source.match(target)

    assert match.found is False
    assert match.complete is True
    assert match.reason == "W' has rank 0 but W has rank 1, so every A with W' = A W is singular"


def test_affine_match_only_singular_solutions():
    """Every A with A (1, 0)^T = 0 has a zero first column, so none is invertible.

    An invertible A exists exactly when W' has the rank of W, so the failure is complete.
    """
    source = dense_layer([(1, 0), (0, 0)], IDENTITY)
    target = dense_layer([(0, 0), (0, 0)], IDENTITY)

    match = source.match(target)

    assert match.found is False
    assert match.complete is True
    assert match.reason == "W' has rank 0 but W has rank 1, so every A with W' = A W is singular"


def test_affine_match_rank_deficient_permutation():
    """Swapping the neurons of W = (1, 0)^T is an invertible solution of W' = A W."""
    source = dense_layer([(1, 1), (0, 2)], IDENTITY)
    target = dense_layer([(0, 2), (1, 1)], IDENTITY)

    match = source.match(target)

    assert match.found
    assert source.relation_holds(target, match.element)


def test_affine_match_rejects_different_widths():
    """A map of R^2 cannot produce a layer with 3 neurons."""
    source = dense_layer([(1, 0, 0), (0, 1, 0)], IDENTITY)
    target = dense_layer([(1, 0, 0), (0, 1, 0), (1, 1, 1)], IDENTITY)

    match = source.match(target)

    assert match.found is False
    assert not source.relation_holds(target, _monomial_element((1, 1), (1, 1)))


def test_affine_match_rejects_different_input_dimensions():
    """The pointwise matcher reports no match for layers on different inputs, as must this one."""
    source = dense_layer([(1, 0, 0), (0, 1, 0)], IDENTITY)
    target = dense_layer([(1, 0), (0, 1)], IDENTITY)

    match = source.match(target)

    assert match.found is False


def test_pointwise_match_rejects_different_input_dimensions():
    source = dense_layer([(1, 0, 0)], TANH)
    target = dense_layer([(1, 0)], TANH)

    match = source.match(target)

    assert match.found is False
    assert re.search("normalized row", match.reason)
