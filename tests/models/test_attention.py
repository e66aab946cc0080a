"""Tests of multi-head attention: evaluation, absorbing maps, and matching heads exactly."""

from __future__ import annotations

import flint
import numpy
import pytest
import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine, linear_map
from symequiv.actions.tokens import lift_tokens, token_linear
from symequiv.errors import ShapeError
from symequiv.exact.intervals import working_precision
from symequiv.models.attention import AttentionLayer
from tests.models.layers import QQ_FIELD, arb_vector, reference_ball


def _matrices(values):
    return [[[QQ_FIELD.convert(sympy.sympify(entry)) for entry in row] for row in matrix]
            for matrix in values]


def attention(query, key, value, tokens=3, positions="none", extra=None):
    features = len(query[0][0])
    if positions == "bias":
        extra = _matrices(extra)
    elif positions == "absolute":
        extra = _matrices([extra])[0]
    return AttentionLayer(QQ_FIELD, tokens, features, _matrices(query), _matrices(key),
                          _matrices(value), positions, extra)


# Two heads on tokens of 2 features, with different bilinear forms Q_i^T K_i.
QUERY = [[[1, 0]], [[0, 1]]]
KEY = [[[1, 1]], [[1, -1]]]
VALUE = [[[1, 2]], [[2, -1]]]
POINT = [1, -2, "1/2", 3, 0, -1]


def _feature_map(rows):
    return linear_map(QQ_FIELD, [[QQ_FIELD.convert(entry) for entry in row] for row in rows])


def _head_element(layer, heads, blocks):
    """The latent element that sends head i to heads[i] with basis change blocks[i]."""
    return layer._element(heads, [[[QQ_FIELD.convert(entry) for entry in row] for row in block]
                                  for block in blocks])


def _assert_close(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        assert abs(a - b) < flint.arb("1e-30")


# -- construction and evaluation --------------------------------------------------------


def test_attention_rejects_one_token():
    with pytest.raises(ShapeError, match="attention needs at least 2 tokens, got 1"):
        attention(QUERY, KEY, VALUE, tokens=1)


def test_attention_rejects_wrong_value_shape():
    with pytest.raises(ShapeError, match="the value map of head 2 must be 1 x 2"):
        attention(QUERY, KEY, [[[1, 2]], [[2, -1, 0]]])


def test_attention_forms_are_query_times_key():
    layer = attention(QUERY, KEY, VALUE)

    assert layer.forms[0] == tuple(tuple(QQ_FIELD.convert(entry) for entry in row)
                                   for row in ([1, 1], [0, 0]))
    assert layer.forms[1] == tuple(tuple(QQ_FIELD.convert(entry) for entry in row)
                                   for row in ([0, 0], [1, -1]))


@pytest.mark.parametrize("positions, extra", [
    ("none", None),
    ("bias", [[[0, 1, 0], [0, 0, 1], [0, 0, 0]], [[2, 0, 0], [1, 0, 0], [0, 1, 0]]]),
    ("absolute", [[1, 0], [0, 1], [1, 1]]),
], ids=["none", "bias", "absolute"])
def test_attention_evaluations_agree(positions, extra):
    layer = attention(QUERY, KEY, VALUE, positions=positions, extra=extra)
    point = [sympy.Rational(value) for value in POINT]

    floats = layer.evaluate_numpy(numpy.array([[float(value) for value in point]]))[0]
    with working_precision(128):
        balls = layer.evaluate_arb(arb_vector(point))
    exact = layer.evaluate_symbolic(point)

    for value, ball, expression in zip(floats, balls, exact):
        reference = reference_ball(expression)
        assert ball.overlaps(reference)
        assert ball.rad() < 1e-30
        assert abs(value - float(reference.mid())) < 1e-12


def test_attention_weights_average_values():
    """With B = 0 every token attends uniformly, so each output is the mean of V z_j."""
    layer = attention([[[0, 0]]], [[[0, 0]]], [[[1, 0]]])

    outputs = layer.evaluate_symbolic([sympy.Integer(value) for value in (3, 0, 6, 0, 0, 0)])

    assert outputs == [3, 3, 3]


# -- absorbing maps ---------------------------------------------------------------------


def test_absorb_token_permutation_passes_it_through():
    layer = attention(QUERY, KEY, VALUE, positions="bias",
                      extra=[[[0, 1, 0], [0, 0, 1], [0, 0, 0]], [[0, 0, 0], [1, 0, 0], [0, 1, 0]]])
    feature = _feature_map([[1, 1], [0, -1]])
    moved = AffineMap(token_linear(QQ_FIELD, (2, 0, 1), feature))
    point = arb_vector([sympy.Rational(value) for value in POINT])

    absorption = layer.absorb(moved)

    assert absorption.absorbed
    assert not absorption.strict
    assert absorption.output_map == lift_tokens(identity_affine(QQ_FIELD, 2), 3, (2, 0, 1))
    with working_precision(128):
        left = layer.evaluate_arb(list(_apply_arb(moved, point)))
        right = _apply_arb(absorption.output_map, absorption.layer.evaluate_arb(point))
    _assert_close(left, right)


def test_absorb_translation_with_absolute_positions():
    layer = attention(QUERY, KEY, VALUE, positions="absolute", extra=[[1, 0], [0, 1], [1, 1]])
    shift = tuple(QQ_FIELD.convert(value) for value in (1, 0, -1, 2, 0, 3))
    moved = AffineMap(token_linear(QQ_FIELD, (0, 1, 2), _feature_map([[2, 1], [1, 1]])), shift)
    point = arb_vector([sympy.Rational(value) for value in POINT])

    absorption = layer.absorb(moved)

    assert absorption.strict
    with working_precision(128):
        left = layer.evaluate_arb(list(_apply_arb(moved, point)))
        right = absorption.layer.evaluate_arb(point)
    _assert_close(left, right)


def test_absorb_rejects_translation_without_absolute_positions():
    layer = attention(QUERY, KEY, VALUE)
    shift = tuple(QQ_FIELD.convert(value) for value in (1, 0, 0, 0, 0, 0))

    absorption = layer.absorb(AffineMap(MonomialMatrix(QQ_FIELD, range(6)), shift))

    assert not absorption.absorbed
    assert "cannot absorb a translation" in absorption.reason


def test_absorb_rejects_map_mixing_tokens():
    layer = attention(QUERY, KEY, VALUE)
    rows = [[QQ_FIELD.convert(1 if row == column else 0) for column in range(6)]
            for row in range(6)]
    rows[0][2] = QQ_FIELD.one

    absorption = layer.absorb(AffineMap(linear_map(QQ_FIELD, rows)))

    assert not absorption.absorbed
    assert "permute the tokens and apply one feature map" in absorption.reason


def test_commute_only_without_positions():
    plain = attention(QUERY, KEY, VALUE)
    biased = attention(QUERY, KEY, VALUE, positions="bias",
                       extra=[[[0] * 3] * 3, [[1, 0, 0], [0, 0, 0], [0, 0, 0]]])
    reversal = AffineMap(MonomialMatrix(QQ_FIELD, (4, 5, 2, 3, 0, 1)))

    assert plain.commute(reversal) == lift_tokens(identity_affine(QQ_FIELD, 2), 3, (2, 1, 0))
    assert biased.commute(reversal) is None


def _apply_arb(affine_map, vector):
    field = affine_map.field
    rows = affine_map.linear.rows()
    shift = affine_map.translation_or_zero()
    return [sum((field.to_arb(entry) * value for entry, value in zip(row, vector)),
                field.to_arb(offset)) for row, offset in zip(rows, shift)]


# -- matching ---------------------------------------------------------------------------


def test_match_finds_head_swap_and_basis_change():
    layer = attention(QUERY, KEY, [[[1, 2], [0, 1]], [[2, -1], [1, 1]]])
    expected = _head_element(layer, (1, 0), ([[2, 1], [1, 1]], [[0, 1], [-1, 0]]))
    target = layer.postcompose(expected)

    match = layer.match(target)

    assert match.found
    assert match.unique is True
    assert match.complete
    assert match.element == expected
    assert match.element.details["heads"] == (1, 0)
    assert layer.relation_holds(target, match.element)


def test_match_fails_when_a_bilinear_form_changes():
    layer = attention(QUERY, KEY, VALUE)
    target = attention(QUERY, [[[1, 1]], [[1, -2]]], VALUE)

    match = layer.match(target)

    assert not match.found
    assert match.complete
    assert "bilinear form Q^T K" in match.reason


def test_match_fails_when_no_basis_change_carries_values():
    layer = attention(QUERY, KEY, [[[1, 2], [0, 1]], [[2, -1], [1, 1]]])
    target = attention(QUERY, KEY, [[[1, 2], [2, 4]], [[2, -1], [1, 1]]])

    match = layer.match(target)

    assert not match.found
    assert match.complete
    assert match.reason == ("no invertible A carries the value maps of head(s) 1 to those of "
                            "head(s) 1 (V' = A V)")


def test_match_equal_heads_is_ambiguous():
    layer = attention([[[1, 0]], [[1, 0]]], [[[1, 1]], [[1, 1]]], [[[1, 2]], [[1, 2]]])

    match = layer.match(layer)

    assert match.found
    assert match.unique is False
    assert match.complete
    assert len(match.solutions()) == 2
    assert {element.details["heads"] for element in match.solutions()} == {(0, 1), (1, 0)}
    assert "heads with equal bilinear forms" in match.reason
    assert all(layer.relation_holds(layer, element) for element in match.solutions())


def test_match_rank_deficient_value_is_not_unique():
    layer = attention([[[1, 0]]], [[[1, 1]]], [[[1, 2], [2, 4]]])

    match = layer.match(layer)

    assert match.found
    assert match.unique is False
    assert not match.complete
    assert "rank below d_v" in match.reason


def test_match_dead_head_is_not_unique():
    layer = attention(QUERY, KEY, [[[1, 2]], [[0, 0]]])
    target = attention(QUERY, [[[1, 1]], [[5, 5]]], [[[1, 2]], [[0, 0]]])

    match = layer.match(target)

    assert match.found
    assert match.unique is False
    assert "zero value map" in match.reason


def test_match_with_different_absolute_encodings_is_incomplete():
    layer = attention(QUERY, KEY, VALUE, positions="absolute", extra=[[1, 0], [0, 1], [1, 1]])
    target = attention(QUERY, KEY, VALUE, positions="absolute", extra=[[1, 0], [0, 1], [1, 2]])

    match = layer.match(target)

    assert not match.found
    assert not match.complete


def test_match_score_biases_up_to_row_constants():
    """Adding a constant to a row of score biases does not change softmax, so heads still match."""
    biases = [[[0, 1, 0], [0, 0, 1], [0, 0, 0]], [[0, 0, 0], [1, 0, 0], [0, 1, 0]]]
    shifted = [[[5, 6, 5], [0, 0, 1], [0, 0, 0]], [[0, 0, 0], [1, 0, 0], [-1, 0, -1]]]
    layer = attention(QUERY, KEY, VALUE, positions="bias", extra=biases)
    target = attention(QUERY, KEY, VALUE, positions="bias", extra=shifted)

    match = layer.match(target)

    assert match.found
    assert match.unique is True
    assert match.element.map.is_identity


def test_relation_holds_rejects_wrong_element():
    layer = attention(QUERY, KEY, [[[1, 2], [0, 1]], [[2, -1], [1, 1]]])
    element = _head_element(layer, (1, 0), ([[2, 1], [1, 1]], [[0, 1], [-1, 0]]))
    target = layer.postcompose(element)
    wrong = _head_element(layer, (1, 0), ([[2, 1], [1, 1]], [[0, 1], [-1, 1]]))

    assert not layer.relation_holds(target, wrong)
    assert not layer.relation_holds(target, _head_element(layer, (0, 1), ([[1, 0], [0, 1]],) * 2))


def test_latent_group_contains_head_maps_only():
    layer = attention(QUERY, KEY, VALUE)
    group = layer.latent_group()
    element = _head_element(layer, (1, 0), ([[3]], [[-1]]))
    token_reversal = AffineMap(MonomialMatrix(QQ_FIELD, (4, 5, 2, 3, 0, 1)))

    assert group.contains(element)
    assert not group.contains(token_reversal)
    assert group.name.startswith("GL(1)^2 x| S_2")
