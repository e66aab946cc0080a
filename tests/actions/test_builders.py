"""Tests of the action forms that symequiv.actions.builders.parse_action reads."""

from __future__ import annotations

import numpy
import pytest
import sympy

from symequiv.actions.builders import FORMS, MAX_DIMENSION, parse_action
from symequiv.actions.maps import DenseMatrix, MonomialMatrix, identity_affine
from symequiv.errors import ExpressionError, GroupError, InputError, ShapeError
from symequiv.exact.field import ExactField
from symequiv.groups.cayley import closure

FORM_LIST = "; ".join(FORMS)
ACTION_KEYS = "['image', 'matrix', 'monomial', 'permutation', 'reflection', 'shift', " \
    "'signed_permutation']"


def build(value, dimension, field=None):
    """Parse ``value`` and realize it over ``field``, by default the smallest field it needs."""
    spec = parse_action(value, dimension)
    if field is None:
        field = ExactField.for_expressions(spec.expressions() or [0])
    return spec.build(field)


def matrix_of(action):
    return action.linear.to_sympy()


def moved_pixels(value, shape):
    """Apply an image action to the pixel labels 0..n-1 and return the result in ``shape``.

    The coordinate of pixel (channel, r, c) is channel * h * w + r * w + c. The
    action sends e_j to e_images[j], so the value at pixel j moves to pixel images[j].
    """
    size = int(numpy.prod(shape))
    action = build(value, size, ExactField.rational())
    labels = action.apply(tuple(range(size)))
    return numpy.array([int(label) for label in labels]).reshape(shape)


# -- matrices and affine maps ----------------------------------------------------


def test_matrix_form_with_monomial_rows_is_monomial():
    spec = parse_action([[0, -1], [1, 0]], 2)

    assert spec.description == "matrix"
    assert spec.images == (1, 0)
    assert spec.scales == (sympy.Integer(1), sympy.Integer(-1))
    assert spec.rows is None
    assert isinstance(spec.build(ExactField.rational()).linear, MonomialMatrix)


def test_matrix_form_keeps_exact_entries():
    spec = parse_action([["1/2", "sqrt(3)/2"], ["-sqrt(3)/2", "1/2"]], 2)
    action = build([["1/2", "sqrt(3)/2"], ["-sqrt(3)/2", "1/2"]], 2)

    assert spec.rows == (
        (sympy.Rational(1, 2), sympy.sqrt(3) / 2),
        (-sympy.sqrt(3) / 2, sympy.Rational(1, 2)),
    )
    assert isinstance(action.linear, DenseMatrix)
    assert action.power(6).is_identity
    assert not action.power(3).is_identity


def test_affine_form_keeps_translation():
    value = {"matrix": [[0, 1], [1, 0]], "translation": ["1/2", -1]}

    spec = parse_action(value, 2)
    action = build(value, 2)

    assert spec.description == "affine"
    assert spec.translation == (sympy.Rational(1, 2), sympy.Integer(-1))
    field = ExactField.rational()
    assert action.apply((3, 5)) == (field.convert(sympy.Rational(11, 2)), field.convert(2))


def test_affine_zero_translation_is_linear():
    action = build({"matrix": [[0, 1], [1, 0]], "translation": [0, "0"]}, 2)

    assert action.is_linear
    assert action.translation is None


def test_matrix_key_without_translation_is_linear():
    spec = parse_action({"matrix": [[2, 1], [1, 1]]}, 2)

    assert spec.description == "matrix"
    assert spec.rows == ((2, 1), (1, 1))
    assert spec.translation is None


# -- permutations and monomial maps ---------------------------------------------


def test_permutation_sends_coordinate_to_its_image():
    action = build({"permutation": [2, 0, 1]}, 3)

    # e_0 -> e_2, e_1 -> e_0, e_2 -> e_1
    assert matrix_of(action) == sympy.Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    assert action.apply((10, 20, 30)) == (20, 30, 10)


def test_signed_permutation_attaches_signs():
    action = build({"signed_permutation": [[1, 1], [0, -1]]}, 2)

    assert matrix_of(action) == sympy.Matrix([[0, -1], [1, 0]])
    assert parse_action({"signed_permutation": [[1, 1], [0, -1]]}, 2).description == (
        "signed permutation"
    )


def test_monomial_parses_exact_scales():
    spec = parse_action({"monomial": [[1, "2"], [0, "1/2"], [2, "sqrt(2)"]]}, 3)
    action = build({"monomial": [[1, "2"], [0, "1/2"], [2, "sqrt(2)"]]}, 3)

    assert spec.images == (1, 0, 2)
    assert spec.scales == (2, sympy.Rational(1, 2), sympy.sqrt(2))
    assert matrix_of(action) == sympy.Matrix(
        [[0, sympy.Rational(1, 2), 0], [2, 0, 0], [0, 0, sympy.sqrt(2)]]
    )


def test_trivial_is_identity():
    spec = parse_action("trivial", 4)

    assert spec.description == "trivial"
    assert spec.dimension == 4
    assert build("trivial", 4).is_identity


# -- image flips and rotations -------------------------------------------------
#
# Convention: the pixel (r, c) of an h x w image has coordinate r * w + c, and a
# [channels, h, w] image puts channel k at offset k * h * w. Rotations are
# counterclockwise as the image is displayed with row 0 on top, which is what
# numpy.rot90 does.


@pytest.mark.parametrize(
    ("value", "images"),
    [
        pytest.param({"image": [2, 3], "flip": "horizontal"}, (2, 1, 0, 5, 4, 3), id="horizontal"),
        pytest.param({"image": [2, 3], "flip": "vertical"}, (3, 4, 5, 0, 1, 2), id="vertical"),
        pytest.param({"image": [2, 3], "rotate": 180}, (5, 4, 3, 2, 1, 0), id="rotate-180"),
        pytest.param({"image": [3, 3], "flip": "diagonal"}, (0, 3, 6, 1, 4, 7, 2, 5, 8),
                     id="diagonal"),
        pytest.param({"image": [3, 3], "flip": "antidiagonal"}, (8, 5, 2, 7, 4, 1, 6, 3, 0),
                     id="antidiagonal"),
        pytest.param({"image": [3, 3], "rotate": 90}, (6, 3, 0, 7, 4, 1, 8, 5, 2), id="rotate-90"),
        pytest.param({"image": [3, 3], "rotate": 270}, (2, 5, 8, 1, 4, 7, 0, 3, 6),
                     id="rotate-270"),
    ],
)
def test_image_action_permutes_pixels(value, images):
    size = len(images)

    spec = parse_action(value, size)

    assert spec.images == images
    assert spec.scales == (sympy.Integer(1),) * size


def test_rotate_90_turns_counterclockwise():
    # a b c        c f i
    # d e f   ->   b e h
    # g h i        a d g
    assert moved_pixels({"image": [3, 3], "rotate": 90}, (3, 3)).tolist() == [
        [2, 5, 8],
        [1, 4, 7],
        [0, 3, 6],
    ]


REFERENCES = {
    "horizontal": lambda grid: grid[..., :, ::-1],
    "vertical": lambda grid: grid[..., ::-1, :],
    "diagonal": lambda grid: numpy.swapaxes(grid, -1, -2),
    "antidiagonal": lambda grid: numpy.swapaxes(numpy.rot90(grid, 2, axes=(-2, -1)), -1, -2),
    90: lambda grid: numpy.rot90(grid, 1, axes=(-2, -1)),
    180: lambda grid: numpy.rot90(grid, 2, axes=(-2, -1)),
    270: lambda grid: numpy.rot90(grid, 3, axes=(-2, -1)),
}


@pytest.mark.parametrize(
    ("shape", "move"),
    [
        pytest.param((2, 3), "horizontal", id="2x3-horizontal"),
        pytest.param((2, 3), "vertical", id="2x3-vertical"),
        pytest.param((2, 3), 180, id="2x3-rotate-180"),
        pytest.param((4, 4), "diagonal", id="4x4-diagonal"),
        pytest.param((4, 4), "antidiagonal", id="4x4-antidiagonal"),
        pytest.param((4, 4), 90, id="4x4-rotate-90"),
        pytest.param((4, 4), 270, id="4x4-rotate-270"),
        pytest.param((2, 3, 3), 90, id="channels-rotate-90"),
        pytest.param((3, 2, 4), "horizontal", id="channels-horizontal"),
        pytest.param((2, 3, 3), "antidiagonal", id="channels-antidiagonal"),
        pytest.param((2, 2, 5), 180, id="channels-rotate-180"),
    ],
)
def test_image_action_matches_numpy_reference(shape, move):
    key = "rotate" if isinstance(move, int) else "flip"
    labels = numpy.arange(int(numpy.prod(shape))).reshape(shape)

    moved = moved_pixels({"image": list(shape), key: move}, shape)

    assert moved.tolist() == REFERENCES[move](labels).tolist()


def test_image_channels_stay_apart():
    spec = parse_action({"image": [2, 2, 2], "rotate": 90}, 8)

    assert spec.images == (2, 0, 3, 1, 6, 4, 7, 5)
    assert spec.details == {"image": [2, 2, 2]}


def test_rotate_90_has_order_4():
    rotation = build({"image": [3, 3], "rotate": 90}, 9)

    assert not rotation.power(2).is_identity
    assert not rotation.power(3).is_identity
    assert rotation.power(4).is_identity
    assert rotation.power(2) == build({"image": [3, 3], "rotate": 180}, 9)
    assert rotation.power(3) == build({"image": [3, 3], "rotate": 270}, 9)


def test_rotation_and_flip_generate_d4():
    field = ExactField.rational()
    rotation = build({"image": [3, 3], "rotate": 90}, 9, field)
    flip = build({"image": [3, 3], "flip": "horizontal"}, 9, field)

    graph = closure({"r": rotation, "m": flip}, identity_affine(field, 9))

    assert graph.order == 8
    # The dihedral relation m r m = r^-1.
    assert flip.compose(rotation).compose(flip) == rotation.inverse()
    assert set(graph.words) == {
        build({"image": [3, 3], "rotate": 90}, 9, field),
        build({"image": [3, 3], "rotate": 180}, 9, field),
        build({"image": [3, 3], "rotate": 270}, 9, field),
        build({"image": [3, 3], "flip": "horizontal"}, 9, field),
        build({"image": [3, 3], "flip": "vertical"}, 9, field),
        build({"image": [3, 3], "flip": "diagonal"}, 9, field),
        build({"image": [3, 3], "flip": "antidiagonal"}, 9, field),
        identity_affine(field, 9),
    }


# -- reflections -------------------------------------------------------------


def test_reflection_along_one_two():
    spec = parse_action({"reflection": [1, 2]}, 2)

    assert spec.description == "reflection"
    assert spec.details == {"normal": ["1", "2"]}
    assert matrix_of(build({"reflection": [1, 2]}, 2)) == sympy.Matrix(
        [[sympy.Rational(3, 5), sympy.Rational(-4, 5)],
         [sympy.Rational(-4, 5), sympy.Rational(-3, 5)]]
    )


def test_reflection_along_coordinate_difference_is_swap():
    spec = parse_action({"reflection": [1, -1]}, 2)

    assert spec.images == (1, 0)
    assert spec.scales == (1, 1)


def test_reflection_with_radical_normal_is_involution():
    action = build({"reflection": [1, "sqrt(2)"]}, 2)

    assert matrix_of(action) == sympy.Matrix(
        [[sympy.Rational(1, 3), -2 * sympy.sqrt(2) / 3],
         [-2 * sympy.sqrt(2) / 3, sympy.Rational(-1, 3)]]
    )
    assert action.compose(action).is_identity


# -- cyclic shifts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dimension", "images"),
    [
        pytest.param({"shift": 1, "size": 5}, 5, (1, 2, 3, 4, 0), id="one-feature"),
        pytest.param({"shift": -1, "size": 3}, 3, (2, 0, 1), id="negative"),
        pytest.param({"shift": 4, "size": 3}, 3, (1, 2, 0), id="past-size"),
        pytest.param({"shift": 0, "size": 3}, 3, (0, 1, 2), id="zero"),
        # Position-major coordinates: index = position * features + feature.
        pytest.param({"shift": 1, "size": 3}, 6, (2, 3, 4, 5, 0, 1), id="two-features"),
    ],
)
def test_shift_moves_positions(value, dimension, images):
    spec = parse_action(value, dimension)

    assert spec.images == images
    assert spec.dimension == dimension


def test_shift_records_size_and_features():
    spec = parse_action({"shift": 2, "size": 4}, 12)

    assert spec.details == {"size": 4, "features": 3}
    assert spec.description == "cyclic shift by 2"
    assert build({"shift": 2, "size": 4}, 12).power(2).is_identity


# -- rejections ---------------------------------------------------------------


def expect_error(error_type, value, dimension, message):
    with pytest.raises(error_type) as error:
        parse_action(value, dimension)
    assert str(error.value) == message


def test_rejects_unknown_string_form():
    expect_error(InputError, "rotate", 2,
                 f"action: unknown action 'rotate'; expected one of: {FORM_LIST}")


def test_rejects_non_action_value():
    expect_error(InputError, 5, 2, f"action: expected an action, got int; forms: {FORM_LIST}")


def test_rejects_unknown_form_key():
    expect_error(InputError, {"rotation": 90}, 2,
                 f"action: expected exactly one of the keys {ACTION_KEYS}, got ['rotation']")


def test_rejects_two_forms_at_once():
    expect_error(InputError, {"permutation": [1, 0], "matrix": [[0, 1], [1, 0]]}, 2,
                 f"action: expected exactly one of the keys {ACTION_KEYS}, got "
                 "['matrix', 'permutation']")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"permutation": [1, 0], "size": 2},
                     "action: unknown key(s) ['size']; this form takes ['permutation']",
                     id="permutation"),
        pytest.param({"matrix": [[1, 0], [0, 1]], "offset": [0, 0]},
                     "action: unknown key(s) ['offset']; this form takes ['matrix', 'translation']",
                     id="matrix"),
        pytest.param({"image": [2, 2], "flip": "vertical", "channels": 1},
                     "action: unknown key(s) ['channels']; this form takes "
                     "['flip', 'image', 'rotate']",
                     id="image"),
        pytest.param({"shift": 1, "size": 2, "step": 1},
                     "action: unknown key(s) ['step']; this form takes ['shift', 'size']",
                     id="shift"),
    ],
)
def test_rejects_unknown_keys(value, message):
    expect_error(InputError, value, 2 if "image" not in value else 4, message)


def test_rejection_names_where():
    with pytest.raises(InputError) as error:
        parse_action({"permutation": [0, 0]}, 2, where="the input action of r")

    assert str(error.value) == (
        "the input action of r: permutation images must be a permutation of 0..1; missing [1]"
    )


@pytest.mark.parametrize(
    ("value", "dimension", "error_type", "message"),
    [
        pytest.param([[1, 0], [0, 1]], 3, ShapeError,
                     "action: expected a 3 x 3 matrix (a list of 3 rows)", id="matrix-rows"),
        pytest.param([[1, 0, 0], [0, 1]], 2, ShapeError,
                     "action: row 0 has 3 entries; expected 2", id="matrix-row-length"),
        pytest.param([1, 0], 2, ShapeError,
                     "action: expected a 2 x 2 matrix (a list of 2 rows)", id="flat-list"),
        pytest.param({"matrix": [[1, 0], [0, 1]], "translation": [0]}, 2, ShapeError,
                     "action: 'translation' must be a list of 2 numbers", id="translation"),
        pytest.param({"permutation": [0, 1, 2]}, 2, ShapeError,
                     "action: the action has dimension 3 but the space has dimension 2",
                     id="permutation"),
        pytest.param({"signed_permutation": [[0, 1]]}, 2, ShapeError,
                     "action: the action has dimension 1 but the space has dimension 2",
                     id="signed-permutation"),
        pytest.param({"image": [2, 3], "flip": "horizontal"}, 7, ShapeError,
                     "action: the action has dimension 6 but the space has dimension 7",
                     id="image"),
        pytest.param({"reflection": [1, 2, 3]}, 2, ShapeError,
                     "action: the reflection normal has 3 entries; expected 2", id="reflection"),
    ],
)
def test_rejects_wrong_dimension(value, dimension, error_type, message):
    expect_error(error_type, value, dimension, message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"permutation": [0, 0, 1]},
                     "action: permutation images must be a permutation of 0..2; missing [2]",
                     id="repeated-image"),
        pytest.param({"permutation": [0, 1, 3]},
                     "action: permutation images must be a permutation of 0..2; missing [2]",
                     id="image-out-of-range"),
        pytest.param({"signed_permutation": [[1, 1], [1, -1], [0, 1]]},
                     "action: signed_permutation images must be a permutation of 0..2; "
                     "missing [2]",
                     id="signed"),
        pytest.param({"monomial": [[2, 1], [2, 1], [0, 1]]},
                     "action: monomial images must be a permutation of 0..2; missing [1]",
                     id="monomial"),
    ],
)
def test_rejects_non_permutation(value, message):
    expect_error(GroupError, value, 3, message)


@pytest.mark.parametrize(
    "signs",
    [
        pytest.param([1, 2], id="two"),
        pytest.param([0, 1], id="zero"),
        pytest.param([1, "-1"], id="string"),
        pytest.param([True, -1], id="boolean"),
    ],
)
def test_signed_permutation_rejects_invalid_sign(signs):
    pairs = [[1, signs[0]], [0, signs[1]]]

    expect_error(InputError, {"signed_permutation": pairs}, 2,
                 "action: signs of a signed permutation must be 1 or -1")


@pytest.mark.parametrize(
    "pairs",
    [
        pytest.param([[1, 1], [0]], id="short-pair"),
        pytest.param([1, 0], id="flat"),
        pytest.param("[[1, 1], [0, 1]]", id="string"),
    ],
)
def test_signed_permutation_rejects_malformed_pairs(pairs):
    expect_error(InputError, {"signed_permutation": pairs}, 2,
                 "action: 'signed_permutation' must be a list of [image, value] pairs")


@pytest.mark.parametrize(
    "scale",
    [pytest.param(0, id="integer"), pytest.param("0", id="string"),
     pytest.param("sqrt(2) - sqrt(2)", id="radical")],
)
def test_monomial_rejects_zero_scale(scale):
    expect_error(GroupError, {"monomial": [[1, scale], [0, 2]]}, 2,
                 "action: a monomial scale is zero, so the map is singular")


def test_monomial_rejects_invalid_scale():
    expect_error(ExpressionError, {"monomial": [[1, 1.5], [0, 2]]}, 2,
                 "action: monomial scale: the float 1.5 is not exact; write the number as a string "
                 "such as \"3/2\"")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param([[1, 2], [2, 4]], id="matrix"),
        pytest.param({"matrix": [[1, 2], [2, 4]], "translation": [1, 1]}, id="affine"),
        pytest.param([[1, 0], [1, 0]], id="repeated-unit-row"),
        pytest.param([[0, 0], [0, 1]], id="zero-row"),
    ],
)
def test_rejects_singular_matrix(value):
    expect_error(GroupError, value, 2,
                 "action: the matrix is singular (rank 1 < 2), so it cannot act as a group element")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"image": [2, 3], "rotate": 90},
                     "action: rotation by 90 degrees needs a square image, got 2 x 3",
                     id="rotate-90"),
        pytest.param({"image": [2, 3], "rotate": 270},
                     "action: rotation by 270 degrees needs a square image, got 2 x 3",
                     id="rotate-270"),
        pytest.param({"image": [2, 3], "flip": "diagonal"},
                     "action: diagonal flip needs a square image, got 2 x 3", id="diagonal"),
        pytest.param({"image": [2, 3], "flip": "antidiagonal"},
                     "action: antidiagonal flip needs a square image, got 2 x 3",
                     id="antidiagonal"),
    ],
)
def test_image_rejects_non_square_for_quarter_turns(value, message):
    expect_error(ShapeError, value, 6, message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"image": [2, 3]},
                     "action: an image action takes exactly one of 'flip' and 'rotate'",
                     id="neither"),
        pytest.param({"image": [2, 3], "flip": "vertical", "rotate": 180},
                     "action: an image action takes exactly one of 'flip' and 'rotate'",
                     id="both"),
        pytest.param({"image": [2, 3], "flip": "sideways"},
                     "action: unknown flip 'sideways'; expected one of ['antidiagonal', "
                     "'diagonal', 'horizontal', 'vertical']",
                     id="unknown-flip"),
        pytest.param({"image": [2, 3], "rotate": 45}, "action: rotate must be 90, 180 or 270",
                     id="rotate-45"),
        pytest.param({"image": [6], "flip": "vertical"},
                     "action: 'image' must be [height, width] or [channels, height, width]",
                     id="one-size"),
        pytest.param({"image": [0, 6], "flip": "vertical"},
                     f"action: each image size must be a positive integer up to {MAX_DIMENSION}",
                     id="zero-size"),
        pytest.param({"image": [2, "3"], "flip": "vertical"},
                     f"action: each image size must be a positive integer up to {MAX_DIMENSION}",
                     id="string-size"),
        pytest.param({"image": [1024, 1025], "flip": "vertical"},
                     f"action: the image has more than {MAX_DIMENSION} pixels", id="too-large"),
    ],
)
def test_image_rejects_invalid_form(value, message):
    expect_error(InputError, value, 6, message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"image": [3, 3], "rotate": [90]}, "action: rotate must be 90, 180 or 270",
                     id="rotate"),
        pytest.param({"image": [3, 3], "flip": ["horizontal"]},
                     "action: unknown flip ['horizontal']; expected one of ['antidiagonal', "
                     "'diagonal', 'horizontal', 'vertical']",
                     id="flip"),
    ],
)
def test_image_rejects_list_as_choice(value, message):
    expect_error(InputError, value, 9, message)


@pytest.mark.parametrize(
    ("value", "dimension", "message"),
    [
        pytest.param({"shift": 1, "size": 3}, 4,
                     "action: a shift of 3 positions needs a dimension divisible by 3, got 4",
                     id="not-dividing"),
        pytest.param({"shift": 1}, 4,
                     "action: a cyclic shift needs 'size', the number of positions",
                     id="missing-size"),
        pytest.param({"shift": 1, "size": 0}, 4,
                     f"action: size must be a positive integer up to {MAX_DIMENSION}",
                     id="zero-size"),
        pytest.param({"shift": "1", "size": 4}, 4, "action: 'shift' must be an integer",
                     id="string-step"),
    ],
)
def test_shift_rejects_invalid_form(value, dimension, message):
    error_type = ShapeError if "divisible" in message else InputError
    expect_error(error_type, value, dimension, message)


@pytest.mark.parametrize(
    ("value", "dimension", "error_type", "message"),
    [
        pytest.param({"permutation": [True, False]}, 2, InputError,
                     "action: permutation images must be integers", id="permutation-image"),
        pytest.param({"signed_permutation": [[True, 1], [False, 1]]}, 2, InputError,
                     "action: signed_permutation images must be integers", id="signed-image"),
        pytest.param({"image": [True, 2], "flip": "horizontal"}, 2, InputError,
                     f"action: each image size must be a positive integer up to {MAX_DIMENSION}",
                     id="image-size"),
        pytest.param({"image": [3, 3], "rotate": True}, 9, InputError,
                     "action: rotate must be 90, 180 or 270", id="rotate"),
        pytest.param({"shift": True, "size": 2}, 2, InputError,
                     "action: 'shift' must be an integer", id="shift"),
        pytest.param({"shift": 1, "size": True}, 2, InputError,
                     f"action: size must be a positive integer up to {MAX_DIMENSION}", id="size"),
        pytest.param([[True, 0], [0, 1]], 2, ExpressionError,
                     "action: row 0: expected a number, got the boolean True", id="matrix-entry"),
    ],
)
def test_rejects_boolean_for_integer(value, dimension, error_type, message):
    expect_error(error_type, value, dimension, message)


@pytest.mark.parametrize(
    ("value", "dimension", "message"),
    [
        pytest.param({"signed_permutation": [[1, 1.0], [0, -1]]}, 2,
                     "action: signs of a signed permutation must be 1 or -1", id="sign"),
        pytest.param({"image": [3, 3], "rotate": 90.0}, 9,
                     "action: rotate must be 90, 180 or 270", id="rotate"),
    ],
)
def test_rejects_float_for_integer(value, dimension, message):
    # Image indices, sizes and shift steps already reject floats, and theory numbers
    # must be exact. A sign or an angle should follow the same rule.
    expect_error(InputError, value, dimension, message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param({"matrix": "identity"}, "action: 'matrix' must be a list of rows",
                     id="matrix-not-list"),
        pytest.param({"permutation": "1 0"}, "action: 'permutation' must be a list of images",
                     id="permutation-not-list"),
        pytest.param({"reflection": []},
                     "action: 'reflection' must be a nonzero vector (a list of numbers)",
                     id="reflection-empty"),
    ],
)
def test_rejects_wrong_container(value, message):
    expect_error(InputError, value, 2, message)


def test_reflection_rejects_zero_normal():
    with pytest.raises(GroupError, match=r"the reflection normal \[0, 0\] is the zero vector$"):
        parse_action({"reflection": [0, "0"]}, 2)
