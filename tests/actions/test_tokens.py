"""Tests of maps that act on positions and features separately: TokenMap and the factorings."""

from __future__ import annotations

import pytest
import sympy

from symequiv.actions.maps import AffineMap, DenseMatrix, MonomialMatrix, linear_map
from symequiv.actions.tokens import (
    TokenMap,
    channel_linear,
    factor_channels,
    factor_tokens,
    lift_tokens,
    token_linear,
)
from symequiv.errors import ShapeError
from tests.models.layers import QQ_FIELD

FEATURE = linear_map(QQ_FIELD, [[QQ_FIELD.convert(entry) for entry in row]
                                for row in ([1, 1], [0, -1])])
OTHER_FEATURE = linear_map(QQ_FIELD, [[QQ_FIELD.convert(entry) for entry in row]
                                      for row in ([2, 1], [1, 1])])


def _vector(values):
    return tuple(QQ_FIELD.convert(sympy.sympify(value)) for value in values)


def _kronecker_rows(images, feature):
    """P (x) M built entry by entry from the definition, for comparison."""
    size = feature.dimension
    dimension = len(images) * size
    rows = [[QQ_FIELD.zero] * dimension for _ in range(dimension)]
    for token, image in enumerate(images):
        for row in range(size):
            for column in range(size):
                rows[image * size + row][token * size + column] = feature.rows()[row][column]
    return tuple(tuple(row) for row in rows)


def test_token_map_rows_match_definition():
    token_map = token_linear(QQ_FIELD, (2, 0, 1), FEATURE)

    assert isinstance(token_map, TokenMap)
    assert token_map.rows() == _kronecker_rows((2, 0, 1), FEATURE)


def test_token_map_with_monomial_feature_is_monomial():
    swap = MonomialMatrix(QQ_FIELD, (1, 0), _vector([1, -1]))

    result = token_linear(QQ_FIELD, (1, 0), swap)

    assert isinstance(result, MonomialMatrix)
    assert result.rows() == _kronecker_rows((1, 0), swap)


def test_token_map_rejects_monomial_feature():
    with pytest.raises(ShapeError, match="needs a non-monomial feature map"):
        TokenMap(QQ_FIELD, (0, 1), MonomialMatrix(QQ_FIELD, (1, 0)))


def test_token_map_equals_dense_storage_with_same_hash():
    token_map = token_linear(QQ_FIELD, (1, 2, 0), FEATURE)
    dense = DenseMatrix(QQ_FIELD, token_map.rows())

    assert token_map == dense
    assert dense == token_map
    assert hash(token_map) == hash(dense)


def test_token_map_compose_apply_inverse_agree_with_matrices():
    first = token_linear(QQ_FIELD, (1, 2, 0), FEATURE)
    second = token_linear(QQ_FIELD, (2, 1, 0), OTHER_FEATURE)
    dense_first = DenseMatrix(QQ_FIELD, first.rows())
    dense_second = DenseMatrix(QQ_FIELD, second.rows())
    vector = _vector([1, -2, "1/2", 3, 0, 5])

    composed = first.compose(second)

    assert isinstance(composed, TokenMap)
    assert composed == dense_first.compose(dense_second)
    assert composed.apply(vector) == dense_first.apply(dense_second.apply(vector))
    assert first.inverse().compose(first).is_identity
    assert first.compose(first.inverse()).is_identity


def test_monomial_left_of_token_map_composes_structurally():
    reversal = token_linear(QQ_FIELD, (2, 1, 0), MonomialMatrix(QQ_FIELD, (0, 1)))
    token_map = token_linear(QQ_FIELD, (0, 1, 2), FEATURE)

    composed = reversal.compose(token_map)

    assert isinstance(composed, TokenMap)
    assert composed.images == (2, 1, 0)
    assert composed == DenseMatrix(QQ_FIELD, reversal.rows()).compose(
        DenseMatrix(QQ_FIELD, token_map.rows()))


def test_token_map_times_matrix_and_matrix_times():
    token_map = token_linear(QQ_FIELD, (1, 0), FEATURE)
    dense = DenseMatrix(QQ_FIELD, token_map.rows())
    matrix = tuple(_vector(row) for row in ([1, 2, 0, 1], [0, 1, 3, -1], [2, 2, 1, 0],
                                            [1, 0, 0, 1]))

    assert token_map.times_matrix(matrix) == dense.times_matrix(matrix)
    assert token_map.matrix_times(matrix) == dense.matrix_times(matrix)


@pytest.mark.parametrize("storage", ["monomial", "dense"])
def test_factor_tokens_recovers_factors(storage):
    feature = MonomialMatrix(QQ_FIELD, (1, 0), _vector([1, -1])) if storage == "monomial" \
        else FEATURE
    linear = token_linear(QQ_FIELD, (2, 0, 1), feature)
    if storage == "dense":
        linear = DenseMatrix(QQ_FIELD, linear.rows())

    images, found = factor_tokens(linear, 3)

    assert images == (2, 0, 1)
    assert found == feature


def test_factor_tokens_rejects_different_maps_per_token():
    rows = [list(row) for row in token_linear(QQ_FIELD, (0, 1), FEATURE).rows()]
    rows[3][3] = QQ_FIELD.convert(2)

    assert factor_tokens(linear_map(QQ_FIELD, rows), 2) is None


def test_factor_tokens_rejects_monomial_that_mixes_tokens_unevenly():
    # Coordinate 0 of token 0 goes to token 1 but coordinate 1 stays in token 0.
    linear = MonomialMatrix(QQ_FIELD, (2, 1, 0, 3))

    assert factor_tokens(linear, 2) is None


def test_lift_tokens_repeats_translation():
    affine = AffineMap(FEATURE, _vector([1, 2]))

    lifted = lift_tokens(affine, 2, (1, 0))

    assert lifted.translation == _vector([1, 2, 1, 2])
    assert lifted.linear.rows() == _kronecker_rows((1, 0), FEATURE)


def test_factor_channels_recovers_channel_map_and_positions():
    linear = channel_linear(QQ_FIELD, FEATURE, (1, 2, 0))

    channel_map, positions = factor_channels(linear, 2)

    assert positions == (1, 2, 0)
    assert channel_map == FEATURE


def test_factor_channels_rejects_channel_dependent_positions():
    # Channel 0 is shifted, channel 1 is not.
    linear = MonomialMatrix(QQ_FIELD, (1, 0, 2, 3))

    assert factor_channels(linear, 2) is None
