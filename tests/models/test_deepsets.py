"""Tests of Deep Sets and tokenwise layers: built-in equivariance, absorbing maps, matching."""

from __future__ import annotations

import numpy
import pytest
import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine, linear_map
from symequiv.actions.tokens import lift_tokens
from symequiv.activations.catalogue import NAMED
from symequiv.errors import ShapeError
from symequiv.models.deepsets import DeepSetsLayer
from symequiv.models.tokenwise import TokenwiseLayer
from tests.models.layers import QQ_FIELD, dense_layer

TANH = NAMED["tanh"]


def _rows(values):
    return [[QQ_FIELD.convert(sympy.sympify(entry)) for entry in row] for row in values]


def deepsets(weights, pool, bias, elements=3, activation=TANH):
    return DeepSetsLayer(QQ_FIELD, elements, _rows(weights), _rows(pool),
                         [QQ_FIELD.convert(sympy.sympify(entry)) for entry in bias], activation)


def _symbols(count):
    return list(sympy.symbols(f"x0:{count}"))


def test_deepsets_rejects_one_element():
    with pytest.raises(ShapeError, match="a Deep Sets layer needs at least 2 elements, got 1"):
        deepsets([[1]], [[1]], [0], elements=1)


def test_deepsets_evaluates_element_plus_pooled_sum():
    layer = deepsets([[2]], [[1]], [1], activation=None)

    outputs = layer.evaluate_symbolic(_symbols(3))

    x0, x1, x2 = _symbols(3)
    assert [sympy.expand(value) for value in outputs] == [
        sympy.expand(2 * x + (x0 + x1 + x2) + 1) for x in (x0, x1, x2)]


def test_deepsets_numpy_matches_symbolic():
    layer = deepsets([[1, -1], [2, 0]], [[1, 1], [0, "1/2"]], [0, 1])
    point = [sympy.Rational(value, 3) for value in (1, -2, 4, 0, 2, 5)]

    floats = layer.evaluate_numpy(numpy.array([[float(value) for value in point]]))[0]
    exact = layer.evaluate_symbolic(point)

    assert numpy.allclose(floats, [float(value) for value in exact], atol=1e-14)


def test_deepsets_absorb_rejects_element_permutation_with_reason():
    layer = deepsets([[1]], [[1]], [0])
    swap = AffineMap(MonomialMatrix(QQ_FIELD, (1, 0, 2)))

    absorption = layer.absorb(swap)

    assert not absorption.absorbed
    assert absorption.reason.startswith("a Deep Sets layer commutes with every permutation of "
                                        "its 3 elements")
    assert "the theorem says nothing about it" in absorption.reason


def test_deepsets_absorbs_map_acting_on_every_element_alike():
    layer = deepsets([[1, 2]], [[3, -1]], [1], elements=2)
    # The feature map [[1, 1], [0, -1]] on each of the two elements.
    rows = _rows([[1, 1, 0, 0], [0, -1, 0, 0], [0, 0, 1, 1], [0, 0, 0, -1]])
    moved = AffineMap(linear_map(QQ_FIELD, rows))

    absorption = layer.absorb(moved)

    assert absorption.strict
    assert absorption.layer.weights == tuple(tuple(row) for row in _rows([[1, -1]]))
    assert absorption.layer.pool_weights == tuple(tuple(row) for row in _rows([[3, 4]]))
    point = _symbols(4)
    moved_point = [point[0] + point[1], -point[1], point[2] + point[3], -point[3]]
    assert [sympy.expand(value) for value in layer.evaluate_symbolic(moved_point)] == [
        sympy.expand(value) for value in absorption.layer.evaluate_symbolic(point)]


def test_deepsets_commutes_with_element_permutation():
    layer = deepsets([[1]], [[1]], [0])
    swap = AffineMap(MonomialMatrix(QQ_FIELD, (1, 0, 2)))

    assert layer.commute(swap) == swap


def test_deepsets_match_finds_signed_channel_permutation():
    layer = deepsets([[1], [2]], [[1], [-1]], [0, 1])
    target = deepsets([[2], [-1]], [[-1], [-1]], [1, 0])

    match = layer.match(target)

    assert match.found
    assert match.unique is True
    assert match.complete
    core = match.element.details["core"].map.linear
    assert core.images == (1, 0)
    assert core.scales == (-QQ_FIELD.one, QQ_FIELD.one)
    assert layer.relation_holds(target, match.element)


def test_deepsets_match_fails_when_pool_weights_differ():
    layer = deepsets([[1], [2]], [[1], [-1]], [0, 1])
    target = deepsets([[1], [2]], [[2], [-1]], [0, 1])

    match = layer.match(target)

    assert not match.found
    assert match.complete


def test_deepsets_match_duplicate_channels_is_ambiguous():
    layer = deepsets([[1], [1]], [[1], [1]], [1, 1])

    match = layer.match(layer)

    assert match.found
    assert match.unique is False
    assert len(match.solutions()) == 2


def test_tokenwise_absorb_passes_token_permutation():
    core = dense_layer([(1, -1, 0), (2, 0, 1)], TANH)
    layer = TokenwiseLayer(3, core)
    reversal = AffineMap(MonomialMatrix(QQ_FIELD, (4, 5, 2, 3, 0, 1)))

    absorption = layer.absorb(reversal)

    assert absorption.layer.same_parameters(layer)
    assert absorption.output_map == lift_tokens(identity_affine(QQ_FIELD, 2), 3, (2, 1, 0))


def test_tokenwise_absorb_rejects_different_shift_per_token():
    layer = TokenwiseLayer(2, dense_layer([(1, 0), (0, 1)], TANH))
    shift = tuple(QQ_FIELD.convert(value) for value in (1, 2))

    absorption = layer.absorb(AffineMap(MonomialMatrix(QQ_FIELD, (0, 1)), shift))

    assert not absorption.absorbed
    assert "the same feature map and the same shift" in absorption.reason


def test_tokenwise_match_lifts_dense_match():
    layer = TokenwiseLayer(2, dense_layer([(1, -1, 0), (2, 0, 1)], TANH))
    target = TokenwiseLayer(2, dense_layer([(-2, 0, -1), (1, -1, 0)], TANH))

    match = layer.match(target)

    assert match.found
    assert match.unique is True
    assert match.element.map.linear.images == (1, 0, 3, 2)
    assert layer.relation_holds(target, match.element)


def test_tokenwise_match_fails_for_different_rows():
    layer = TokenwiseLayer(2, dense_layer([(1, -1, 0), (2, 0, 1)], TANH))
    target = TokenwiseLayer(2, dense_layer([(1, -1, 0), (2, 0, 2)], TANH))

    match = layer.match(target)

    assert not match.found
    assert match.complete


def test_tokenwise_match_duplicate_neurons_is_ambiguous():
    layer = TokenwiseLayer(2, dense_layer([(1, -1, 0), (-1, 1, 0)], TANH))

    match = layer.match(layer)

    assert match.found
    assert match.unique is False
    assert len(match.solutions()) == 2
