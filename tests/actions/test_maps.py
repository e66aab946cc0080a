"""Tests of the exact linear and affine maps in symequiv.actions.maps."""

from __future__ import annotations

import numpy
import pytest
import sympy

from symequiv.actions.maps import (
    AffineMap,
    DenseMatrix,
    MonomialMatrix,
    identity_affine,
    identity_map,
    linear_map,
)
from symequiv.errors import GroupError, InputError, ShapeError
from symequiv.exact.field import ExactField
from tests.group_laws import assert_group_laws


def rows_over(field, rows):
    """Convert a matrix of Python numbers or strings to field elements."""
    return tuple(tuple(field.convert(sympy.Rational(entry)) for entry in row) for row in rows)


def build(field, rows):
    return linear_map(field, rows_over(field, rows))


def dense_product(left, right):
    """Multiply two matrices given by rows with the schoolbook formula."""
    inner = len(right)
    return tuple(
        tuple(sum((row[k] * right[k][column] for k in range(inner)), 0)
              for column in range(len(right[0])))
        for row in left
    )


def random_signed_permutation(field, rng, dimension):
    images = [int(image) for image in rng.permutation(dimension)]
    signs = [field.convert(int(sign)) for sign in rng.choice([-1, 1], size=dimension)]
    return MonomialMatrix(field, images, signs)


def random_monomial(field, rng, dimension):
    images = [int(image) for image in rng.permutation(dimension)]
    scales = []
    for _ in range(dimension):
        numerator = int(rng.choice([-3, -2, -1, 1, 2, 3]))
        denominator = int(rng.integers(1, 4))
        scales.append(field.convert(sympy.Rational(numerator, denominator)))
    return MonomialMatrix(field, images, scales)


def random_invertible(field, rng, dimension):
    """Return a random invertible integer matrix that is not monomial, as a DenseMatrix."""
    while True:
        rows = rng.integers(-2, 3, size=(dimension, dimension)).tolist()
        if sympy.Matrix(rows).det() == 0:
            continue
        matrix = build(field, rows)
        if isinstance(matrix, DenseMatrix):
            return matrix


# The same non-commuting pair in both representations: a 3-cycle and a shear.
CYCLE = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
SHEAR = [[1, 2, 0], [0, 1, 0], [0, 0, 1]]
SCALED_SWAP = [[0, 2, 0], [-1, 0, 0], [0, 0, "1/3"]]


# -- construction and representation --------------------------------------------


def test_monomial_matrix_rows_place_scale_at_image_row(rational):
    # e_j goes to c_j e_{pi(j)}, so column j has c_j in row pi(j).
    matrix = MonomialMatrix(rational, [2, 0, 1], rows_over(rational, [[5, -1, 3]])[0])

    assert matrix.rows() == rows_over(rational, [[0, -1, 0], [0, 0, 3], [5, 0, 0]])


def test_monomial_matrix_rejects_scale_count_mismatch(rational):
    with pytest.raises(ShapeError) as error:
        MonomialMatrix(rational, [1, 0], [rational.one])

    assert str(error.value) == (
        "a monomial matrix needs one scale per image, got 1 scales for 2 images"
    )


@pytest.mark.parametrize(
    ("rows", "is_permutation", "is_signed_permutation"),
    [
        pytest.param([[0, 1], [1, 0]], True, True, id="permutation"),
        pytest.param([[0, -1], [1, 0]], False, True, id="signed-permutation"),
        pytest.param([[0, 2], [1, 0]], False, False, id="scaled"),
    ],
)
def test_monomial_matrix_classifies_scales(rational, rows, is_permutation, is_signed_permutation):
    matrix = build(rational, rows)

    assert matrix.is_permutation is is_permutation
    assert matrix.is_signed_permutation is is_signed_permutation


def test_linear_map_returns_monomial_for_monomial_rows(rational):
    matrix = build(rational, SCALED_SWAP)

    assert isinstance(matrix, MonomialMatrix)
    assert matrix.images == (1, 0, 2)
    assert matrix.scales == rows_over(rational, [[-1, 2, "1/3"]])[0]


def test_linear_map_returns_dense_for_other_rows(rational):
    matrix = build(rational, SHEAR)

    assert isinstance(matrix, DenseMatrix)
    assert matrix.rows() == rows_over(rational, SHEAR)


def test_linear_map_rejects_non_square_matrix(rational):
    with pytest.raises(GroupError) as error:
        build(rational, [[1, 0, 0], [0, 1, 0]])

    assert str(error.value) == "a linear map must be a square matrix; got 2 rows of lengths [3]"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([[1, 2], [2, 4]], "the matrix is singular (rank 1 < 2)", id="dependent-rows"),
        pytest.param([[1, 0], [1, 0]], "the matrix is singular (rank 1 < 2)",
                     id="repeated-unit-row"),
        pytest.param([[1, 0], [0, 0]], "the matrix is singular (rank 1 < 2)", id="zero-row"),
        pytest.param([[0, 0], [0, 0]], "the matrix is singular (rank 0 < 2)", id="zero-matrix"),
    ],
)
def test_linear_map_rejects_singular_matrix(rational, rows, message):
    with pytest.raises(GroupError) as error:
        build(rational, rows)

    assert str(error.value) == message


def test_identity_map_is_identity(rational):
    identity = identity_map(rational, 3)

    assert identity.is_identity
    assert identity.rows() == rows_over(rational, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])


def test_to_sympy_returns_expressions(rational):
    matrix = build(rational, SCALED_SWAP)

    assert matrix.to_sympy() == sympy.Matrix(
        [[0, 2, 0], [-1, 0, 0], [0, 0, sympy.Rational(1, 3)]]
    )


# -- equality and hashing -------------------------------------------------------


def test_monomial_from_rows_equals_from_images(rational):
    from_rows = build(rational, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    from_images = MonomialMatrix(rational, [2, 0, 1])

    assert from_rows == from_images
    assert hash(from_rows) == hash(from_images)
    assert len({from_rows, from_images}) == 1


def test_monomial_dense_product_stored_as_monomial(rational):
    shear = build(rational, SHEAR)
    product = shear.compose(shear.inverse())

    assert isinstance(product, MonomialMatrix)
    assert product == identity_map(rational, 3)
    assert hash(product) == hash(identity_map(rational, 3))


def test_dense_matrices_with_equal_rows_hash_equally(rational):
    first = build(rational, SHEAR)
    second = build(rational, [[1, 1, 0], [0, 1, 0], [0, 0, 1]]).power(2)

    assert first == second
    assert hash(first) == hash(second)


def test_monomial_and_dense_compare_by_rows(rational):
    cycle = build(rational, CYCLE)
    shear = build(rational, SHEAR)

    assert cycle != shear
    assert shear != cycle
    assert cycle.compose(shear) != shear.compose(cycle)


def test_linear_map_is_not_equal_to_other_objects(rational):
    assert identity_map(rational, 2) != "identity"
    assert build(rational, SHEAR) != SHEAR


# -- composition, application and products --------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(CYCLE, SCALED_SWAP, id="monomial-monomial"),
        pytest.param(CYCLE, SHEAR, id="monomial-dense"),
        pytest.param(SHEAR, CYCLE, id="dense-monomial"),
        pytest.param(SHEAR, [[1, 0, 0], [3, 1, 0], [0, 1, 1]], id="dense-dense"),
    ],
)
def test_compose_is_matrix_product(rational, first, second):
    # A.compose(B) is the product A B, which applies B first.
    left = build(rational, first)
    right = build(rational, second)
    vector = rows_over(rational, [[1, -2, 7]])[0]

    product = left.compose(right)

    assert product.rows() == dense_product(left.rows(), right.rows())
    assert product.apply(vector) == left.apply(right.apply(vector))


@pytest.mark.parametrize(
    "kinds",
    [
        pytest.param(("monomial", "monomial"), id="monomial-monomial"),
        pytest.param(("dense", "dense"), id="dense-dense"),
        pytest.param(("monomial", "dense"), id="monomial-dense"),
        pytest.param(("dense", "monomial"), id="dense-monomial"),
    ],
)
def test_compose_rejects_dimension_mismatch(rational, kinds):
    maps = {
        ("monomial", 2): MonomialMatrix(rational, [1, 0]),
        ("monomial", 3): MonomialMatrix(rational, [1, 2, 0]),
        ("dense", 2): build(rational, [[1, 1], [0, 1]]),
        ("dense", 3): build(rational, SHEAR),
    }
    left = maps[(kinds[0], 2)]
    right = maps[(kinds[1], 3)]

    with pytest.raises(ShapeError) as error:
        left.compose(right)

    assert str(error.value) == "cannot compose maps of dimensions 2 and 3"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(SCALED_SWAP, [-4, -1, "7/3"], id="monomial"),
        pytest.param(SHEAR, [-3, -2, 7], id="dense"),
    ],
)
def test_apply_multiplies_column_vector(rational, rows, expected):
    matrix = build(rational, rows)
    vector = rows_over(rational, [[1, -2, 7]])[0]

    assert matrix.apply(vector) == rows_over(rational, [expected])[0]


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(CYCLE, id="permutation"),
        pytest.param(SCALED_SWAP, id="monomial"),
        pytest.param(SHEAR, id="dense"),
    ],
)
def test_matrix_products_match_reference(rational, rows):
    matrix = build(rational, rows)
    tall = rows_over(rational, [[1, 2], [-3, "1/2"], [0, 5]])
    wide = rows_over(rational, [[1, -3, 0], [2, "1/2", 5]])

    assert matrix.times_matrix(tall) == dense_product(matrix.rows(), tall)
    assert matrix.matrix_times(wide) == dense_product(wide, matrix.rows())


# -- inverses and powers -----------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(CYCLE, id="permutation"),
        pytest.param(SCALED_SWAP, id="monomial"),
        pytest.param(SHEAR, id="dense"),
    ],
)
def test_inverse_is_two_sided(rational, rows):
    matrix = build(rational, rows)
    identity = identity_map(rational, 3)

    assert matrix.compose(matrix.inverse()) == identity
    assert matrix.inverse().compose(matrix) == identity


def test_monomial_inverse_has_reciprocal_scales(rational):
    inverse = build(rational, SCALED_SWAP).inverse()

    assert inverse.rows() == rows_over(rational, [[0, -1, 0], ["1/2", 0, 0], [0, 0, 3]])


def test_monomial_inverse_over_algebraic_field():
    field = ExactField.for_expressions([sympy.sqrt(2)])
    root = field.convert(sympy.sqrt(2))
    matrix = MonomialMatrix(field, [1, 0], [root, -field.one])

    inverse = matrix.inverse()

    assert inverse.images == (1, 0)
    assert inverse.scales == (-field.one, field.convert(sympy.sqrt(2) / 2))
    assert matrix.compose(inverse) == identity_map(field, 2)


@pytest.mark.parametrize(
    ("exponent", "expected"),
    [
        pytest.param(0, [[1, 0], [0, 1]], id="zero"),
        pytest.param(1, [[1, 1], [0, 1]], id="one"),
        pytest.param(5, [[1, 5], [0, 1]], id="five"),
        pytest.param(-3, [[1, -3], [0, 1]], id="minus-three"),
        pytest.param(10**6 + 1, [[1, 10**6 + 1], [0, 1]], id="large"),
        pytest.param(-(2**40), [[1, -(2**40)], [0, 1]], id="large-negative"),
    ],
)
def test_power_of_shear(rational, exponent, expected):
    shear = build(rational, [[1, 1], [0, 1]])

    assert shear.power(exponent).rows() == rows_over(rational, expected)


@pytest.mark.parametrize(
    ("exponent", "expected"),
    [
        pytest.param(4, [[1, 0], [0, 1]], id="order"),
        pytest.param(-1, [[0, 1], [-1, 0]], id="inverse"),
        pytest.param(10**6 + 3, [[0, 1], [-1, 0]], id="large"),
        pytest.param(-(10**6) - 1, [[0, 1], [-1, 0]], id="large-negative"),
        pytest.param(2**61 + 2, [[-1, 0], [0, -1]], id="huge"),
    ],
)
def test_power_of_quarter_turn(rational, exponent, expected):
    quarter_turn = build(rational, [[0, -1], [1, 0]])

    result = quarter_turn.power(exponent)

    assert isinstance(result, MonomialMatrix)
    assert result == build(rational, expected)


def test_power_of_scaled_monomial_multiplies_scales(rational):
    matrix = MonomialMatrix(rational, [1, 0], rows_over(rational, [[2, 3]])[0])

    assert matrix.power(2) == MonomialMatrix(rational, [0, 1], rows_over(rational, [[6, 6]])[0])
    assert matrix.power(-2) == MonomialMatrix(
        rational, [0, 1], rows_over(rational, [["1/6", "1/6"]])[0]
    )


# -- group laws ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_signed_permutations_satisfy_group_laws(rational, seed):
    rng = numpy.random.default_rng(seed)
    elements = [random_signed_permutation(rational, rng, 4) for _ in range(6)]

    assert_group_laws(elements, identity_map(rational, 4))


@pytest.mark.parametrize("seed", [0, 1])
def test_monomial_matrices_satisfy_group_laws(rational, seed):
    rng = numpy.random.default_rng(seed)
    elements = [random_monomial(rational, rng, 4) for _ in range(5)]

    assert_group_laws(elements, identity_map(rational, 4))


@pytest.mark.parametrize("seed", [0, 1])
def test_mixed_matrices_satisfy_group_laws(rational, seed):
    rng = numpy.random.default_rng(seed)
    elements = [random_invertible(rational, rng, 3) for _ in range(3)]
    elements += [random_monomial(rational, rng, 3) for _ in range(2)]

    assert_group_laws(elements, identity_map(rational, 3))


@pytest.mark.parametrize("seed", [0, 1])
def test_affine_maps_satisfy_group_laws(rational, seed):
    rng = numpy.random.default_rng(seed)
    elements = []
    for index in range(4):
        linear = random_invertible(rational, rng, 3) if index % 2 else random_monomial(
            rational, rng, 3
        )
        translation = [rational.convert(int(entry)) for entry in rng.integers(-3, 4, size=3)]
        elements.append(AffineMap(linear, translation))

    assert_group_laws(elements, identity_affine(rational, 3))


# -- affine maps ---------------------------------------------------------------


def test_affine_zero_translation_is_stored_as_none(rational):
    swap = MonomialMatrix(rational, [1, 0])

    with_zero = AffineMap(swap, [rational.zero, rational.zero])

    assert with_zero.translation is None
    assert with_zero.is_linear
    assert with_zero == AffineMap(swap)
    assert hash(with_zero) == hash(AffineMap(swap))


def test_affine_rejects_translation_of_wrong_length(rational):
    with pytest.raises(ShapeError) as error:
        AffineMap(identity_map(rational, 2), [rational.one])

    assert str(error.value) == "translation of length 1 for a map of dimension 2"


def test_affine_apply_adds_translation(rational):
    swap = MonomialMatrix(rational, [1, 0])
    translation = rows_over(rational, [["1/2", -1]])[0]

    shifted_swap = AffineMap(swap, translation)

    assert shifted_swap.apply(rows_over(rational, [[3, 5]])[0]) == rows_over(
        rational, [["11/2", 2]]
    )[0]


def test_affine_compose_applies_argument_first(rational):
    swap = AffineMap(MonomialMatrix(rational, [1, 0]))
    shift = AffineMap(identity_map(rational, 2), rows_over(rational, [[1, 0]])[0])
    point = rows_over(rational, [[3, 5]])[0]

    swap_after_shift = swap.compose(shift)
    shift_after_swap = shift.compose(swap)

    assert swap_after_shift.apply(point) == rows_over(rational, [[5, 4]])[0]
    assert shift_after_swap.apply(point) == rows_over(rational, [[6, 3]])[0]
    assert swap_after_shift.translation == rows_over(rational, [[0, 1]])[0]
    assert shift_after_swap.translation == rows_over(rational, [[1, 0]])[0]


def test_affine_inverse_undoes_map(rational):
    affine = AffineMap(build(rational, SHEAR), rows_over(rational, [[1, "-2/3", 4]])[0])
    point = rows_over(rational, [[3, 5, -1]])[0]

    inverse = affine.inverse()

    assert inverse.apply(affine.apply(point)) == point
    assert inverse.translation == rows_over(rational, [["-7/3", "2/3", -4]])[0]
    assert affine.compose(inverse).is_identity


@pytest.mark.parametrize(
    ("exponent", "expected_translation"),
    [
        pytest.param(0, None, id="zero"),
        pytest.param(3, [3, -6], id="three"),
        pytest.param(-2, [-2, 4], id="minus-two"),
        pytest.param(10**6, [10**6, -2 * 10**6], id="large"),
    ],
)
def test_affine_power_of_translation(rational, exponent, expected_translation):
    step = AffineMap(identity_map(rational, 2), rows_over(rational, [[1, -2]])[0])

    power = step.power(exponent)

    assert power.linear.is_identity
    if expected_translation is None:
        assert power.translation is None
    else:
        assert power.translation == rows_over(rational, [expected_translation])[0]


def test_affine_power_of_flip_about_half(rational):
    # x -> 1 - x is the sigmoid flip, which is an involution.
    flip = AffineMap(MonomialMatrix(rational, [0], [-rational.one]), [rational.one])

    assert flip.power(2).is_identity
    assert flip.power(-1) == flip
    assert flip.power(7) == flip


@pytest.mark.parametrize("images, message", [
    ((0, 0), r"invalid monomial matrix images \[0, 0\]: expected a permutation of 0, \.\.\., 1"),
    ((1, 2), r"invalid monomial matrix images \[1, 2\]: expected a permutation of 0, \.\.\., 1"),
])
def test_monomial_rejects_non_permutation(images, message):
    field = ExactField.rational()

    with pytest.raises(InputError, match=message):
        MonomialMatrix(field, images)


def test_monomial_rejects_zero_scale():
    field = ExactField.rational()

    with pytest.raises(InputError, match="scale 1 is zero, but every scale must be nonzero"):
        MonomialMatrix(field, (1, 0), (field.one, field.zero))
