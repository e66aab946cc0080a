r"""Builders that turn the action forms of a theory file into exact maps.

Each builder reads one TOML value, validates it, and returns an
:class:`ActionSpec`: the map's numbers as sympy expressions (so the theory's
field can be built from all numbers at once) and a method that realizes the
map over that field. The forms are::

    [[0, 1], [1, 0]]                                 a matrix
    { matrix = [[...]], translation = [...] }        an affine map
    { permutation = [1, 0] }                         images of 0..n-1
    { signed_permutation = [[1, 1], [0, -1]] }       (image, sign) per coordinate
    { monomial = [[1, "2"], [0, "1/2"]] }            (image, scale) per coordinate
    { image = [h, w], flip = "horizontal" }          also "vertical", "diagonal",
                                                     "antidiagonal"; or rotate = 90
    { reflection = [1, -1] }                         reflection along a normal (versor)
    { shift = 1, size = 5 }                          cyclic shift of positions
    "trivial"                                        the identity

A coordinate ``j`` of a permutation goes to ``images[j]``: the map sends
:math:`e_j` to :math:`s_j e_{\text{images}[j]}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix, linear_map
from symequiv.actions.versor import reflection_matrix
from symequiv.errors import GroupError, InputError, ShapeError
from symequiv.exact.parser import parse_number

MAX_DIMENSION = 1 << 20

FORMS = (
    "a matrix (list of rows)",
    "{ matrix = ..., translation = ... }",
    "{ permutation = [...] }",
    "{ signed_permutation = [[image, sign], ...] }",
    "{ monomial = [[image, scale], ...] }",
    "{ image = [h, w], flip = ... } or { image = [h, w], rotate = 90 }",
    "{ reflection = [...] }",
    "{ shift = k, size = n }",
    '"trivial"',
)


@dataclass(frozen=True)
class ActionSpec:
    """A parsed action, before its numbers are placed in the theory's field.

    Attributes
    ----------
    description : str
        How the map was given, for reports (``"permutation"``, ``"reflection"``, ...).
    dimension : int
    images : tuple of int or None
        For monomial maps, :math:`\\pi(j)` per coordinate.
    scales : tuple of sympy.Expr or None
        For monomial maps, the nonzero entries.
    rows : tuple of tuples of sympy.Expr or None
        For other matrices.
    translation : tuple of sympy.Expr or None
    """

    description: str
    dimension: int
    images: tuple | None = None
    scales: tuple | None = None
    rows: tuple | None = None
    translation: tuple | None = None
    details: dict = dataclass_field(default_factory=dict, compare=False)

    def expressions(self):
        """Return every number of the map, for building the field."""
        values = []
        if self.scales is not None:
            values.extend(self.scales)
        if self.rows is not None:
            for row in self.rows:
                values.extend(row)
        if self.translation is not None:
            values.extend(self.translation)
        return values

    def build(self, field):
        """Return the map as an :class:`AffineMap` over ``field``."""
        if self.images is not None:
            scales = tuple(field.convert(scale) for scale in self.scales)
            linear = MonomialMatrix(field, self.images, scales)
        else:
            rows = tuple(tuple(field.convert(entry) for entry in row) for row in self.rows)
            linear = linear_map(field, rows)
        translation = None
        if self.translation is not None:
            translation = tuple(field.convert(entry) for entry in self.translation)
        return AffineMap(linear, translation)


def parse_action(value, dimension, where="action"):
    r"""Parse one action form for a space of the given dimension.

    Parameters
    ----------
    value : object
        The TOML value.
    dimension : int
        The dimension of the space the map acts on.
    where : str
        What the value is, for messages (``"the input action of r"``).

    Returns
    -------
    ActionSpec

    Raises
    ------
    InputError, GroupError, ShapeError
        With a message naming the form and what was expected.
    """
    if isinstance(value, str):
        if value == "trivial":
            return ActionSpec("trivial", dimension, tuple(range(dimension)),
                              (sympy.Integer(1),) * dimension)
        raise InputError(
            f"{where}: unknown action {value!r}; expected one of: " + "; ".join(FORMS),
            value=value,
        )
    if isinstance(value, list):
        rows = _parse_rows(value, dimension, where)
        return _matrix_spec("matrix", rows, None, where)
    if not isinstance(value, dict):
        raise InputError(
            f"{where}: expected an action, got {type(value).__name__}; forms: " + "; ".join(FORMS),
            value=value,
        )
    builders = {
        "matrix": _parse_affine,
        "permutation": _parse_permutation,
        "signed_permutation": _parse_signed_permutation,
        "monomial": _parse_monomial,
        "image": _parse_image,
        "reflection": _parse_reflection,
        "shift": _parse_shift,
    }
    chosen = [key for key in builders if key in value]
    if len(chosen) != 1:
        raise InputError(
            f"{where}: expected exactly one of the keys {sorted(builders)}, got "
            f"{sorted(value)}",
            value=value,
        )
    spec = builders[chosen[0]](value, dimension, where)
    if spec.dimension != dimension:
        raise ShapeError(
            f"{where}: the action has dimension {spec.dimension} but the space has "
            f"dimension {dimension}",
            value=value,
        )
    return spec


def _allow_keys(value, allowed, where):
    extra = sorted(set(value) - set(allowed))
    if extra:
        raise InputError(
            f"{where}: unknown key(s) {extra}; this form takes {sorted(allowed)}", value=value
        )


def _parse_rows(value, dimension, where):
    if len(value) != dimension or any(not isinstance(row, list) for row in value):
        raise ShapeError(
            f"{where}: expected a {dimension} x {dimension} matrix (a list of {dimension} rows)",
            value=value,
        )
    rows = []
    for index, row in enumerate(value):
        if len(row) != dimension:
            raise ShapeError(
                f"{where}: row {index} has {len(row)} entries; expected {dimension}", value=value
            )
        rows.append(tuple(_number(entry, f"{where}: row {index}") for entry in row))
    return tuple(rows)


def _number(entry, where):
    try:
        return parse_number(entry)
    except InputError as error:
        raise type(error)(f"{where}: {error.message}", value=entry) from None


def _matrix_spec(description, rows, translation, where, details=None):
    """Detect monomial matrices so they get the fast representation."""
    dimension = len(rows)
    images = [None] * dimension
    scales = [None] * dimension
    for row_index, row in enumerate(rows):
        nonzero = [column for column, entry in enumerate(row) if entry != 0]
        if len(nonzero) != 1 or images[nonzero[0]] is not None:
            matrix = sympy.Matrix(rows)
            if matrix.rank() < dimension:
                raise GroupError(
                    f"{where}: the matrix is singular (rank {matrix.rank()} < {dimension}), "
                    "so it cannot act as a group element",
                    value=[[str(entry) for entry in row] for row in rows],
                )
            return ActionSpec(description, dimension, rows=rows, translation=translation,
                              details=details or {})
        images[nonzero[0]] = row_index
        scales[nonzero[0]] = row[nonzero[0]]
    return ActionSpec(description, dimension, tuple(images), tuple(scales),
                      translation=translation, details=details or {})


def _parse_affine(value, dimension, where):
    _allow_keys(value, {"matrix", "translation"}, where)
    if not isinstance(value["matrix"], list):
        raise InputError(f"{where}: 'matrix' must be a list of rows", value=value)
    rows = _parse_rows(value["matrix"], dimension, where)
    translation = None
    if "translation" in value:
        raw = value["translation"]
        if not isinstance(raw, list) or len(raw) != dimension:
            raise ShapeError(
                f"{where}: 'translation' must be a list of {dimension} numbers", value=raw
            )
        translation = tuple(_number(entry, f"{where}: translation") for entry in raw)
    return _matrix_spec("affine" if translation else "matrix", rows, translation, where)


def _check_images(images, dimension, where, form):
    if not all(isinstance(image, int) and not isinstance(image, bool) for image in images):
        raise InputError(f"{where}: {form} images must be integers", value=images)
    if sorted(images) != list(range(len(images))):
        missing = sorted(set(range(len(images))) - set(images))
        raise GroupError(
            f"{where}: {form} images must be a permutation of 0..{len(images) - 1}; "
            f"missing {missing}",
            value=images,
        )


def _parse_permutation(value, dimension, where):
    _allow_keys(value, {"permutation"}, where)
    images = value["permutation"]
    if not isinstance(images, list):
        raise InputError(f"{where}: 'permutation' must be a list of images", value=images)
    _check_images(images, dimension, where, "permutation")
    return ActionSpec("permutation", len(images), tuple(images), (sympy.Integer(1),) * len(images))


def _parse_pairs(pairs, where, form):
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 for pair in pairs
    ):
        raise InputError(f"{where}: '{form}' must be a list of [image, value] pairs", value=pairs)
    images = [pair[0] for pair in pairs]
    _check_images(images, len(pairs), where, form)
    return images, [pair[1] for pair in pairs]


def _parse_signed_permutation(value, dimension, where):
    _allow_keys(value, {"signed_permutation"}, where)
    images, signs = _parse_pairs(value["signed_permutation"], where, "signed_permutation")
    if any(type(sign) is not int or sign not in (1, -1) for sign in signs):
        raise InputError(f"{where}: signs of a signed permutation must be 1 or -1", value=signs)
    return ActionSpec("signed permutation", len(images), tuple(images),
                      tuple(sympy.Integer(sign) for sign in signs))


def _parse_monomial(value, dimension, where):
    _allow_keys(value, {"monomial"}, where)
    images, raw_scales = _parse_pairs(value["monomial"], where, "monomial")
    scales = tuple(_number(scale, f"{where}: monomial scale") for scale in raw_scales)
    if any(scale == 0 for scale in scales):
        raise GroupError(f"{where}: a monomial scale is zero, so the map is singular",
                         value=raw_scales)
    return ActionSpec("monomial", len(images), tuple(images), scales)


def _positive_int(value, where, name):
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_DIMENSION:
        raise InputError(f"{where}: {name} must be a positive integer up to {MAX_DIMENSION}",
                         value=value)
    return value


_FLIPS = {
    "horizontal": lambda r, c, h, w: (r, w - 1 - c),
    "vertical": lambda r, c, h, w: (h - 1 - r, c),
    "diagonal": lambda r, c, h, w: (c, r),
    "antidiagonal": lambda r, c, h, w: (w - 1 - c, h - 1 - r),
}

# Counterclockwise as displayed with row 0 at the top.
_ROTATIONS = {
    90: lambda r, c, h, w: (w - 1 - c, r),
    180: lambda r, c, h, w: (h - 1 - r, w - 1 - c),
    270: lambda r, c, h, w: (c, h - 1 - r),
}


def _parse_image(value, dimension, where):
    _allow_keys(value, {"image", "flip", "rotate"}, where)
    shape = value["image"]
    if not isinstance(shape, list) or len(shape) not in (2, 3):
        raise InputError(f"{where}: 'image' must be [height, width] or [channels, height, width]",
                         value=shape)
    shape = [_positive_int(size, where, "each image size") for size in shape]
    channels, height, width = ([1] + shape) if len(shape) == 2 else shape
    if ("flip" in value) == ("rotate" in value):
        raise InputError(f"{where}: an image action takes exactly one of 'flip' and 'rotate'",
                         value=value)
    if "flip" in value:
        name = value["flip"]
        if not isinstance(name, str) or name not in _FLIPS:
            raise InputError(f"{where}: unknown flip {name!r}; expected one of {sorted(_FLIPS)}",
                             value=name)
        move = _FLIPS[name]
        description = f"{name} flip"
        square = name in ("diagonal", "antidiagonal")
    else:
        angle = value["rotate"]
        if type(angle) is not int or angle not in _ROTATIONS:
            raise InputError(f"{where}: rotate must be 90, 180 or 270", value=angle)
        move = _ROTATIONS[angle]
        description = f"rotation by {angle} degrees"
        square = angle != 180
    if square and height != width:
        raise ShapeError(f"{where}: {description} needs a square image, got {height} x {width}",
                         value=shape)
    size = channels * height * width
    if size > MAX_DIMENSION:
        raise InputError(f"{where}: the image has more than {MAX_DIMENSION} pixels", value=shape)
    images = [0] * size
    for channel in range(channels):
        offset = channel * height * width
        for row in range(height):
            for column in range(width):
                new_row, new_column = move(row, column, height, width)
                images[offset + row * width + column] = offset + new_row * width + new_column
    return ActionSpec(description, size, tuple(images), (sympy.Integer(1),) * size,
                      details={"image": [channels, height, width]})


def _parse_reflection(value, dimension, where):
    _allow_keys(value, {"reflection"}, where)
    normal = value["reflection"]
    if not isinstance(normal, list) or not normal:
        raise InputError(f"{where}: 'reflection' must be a nonzero vector (a list of numbers)",
                         value=normal)
    if len(normal) != dimension:
        raise ShapeError(
            f"{where}: the reflection normal has {len(normal)} entries; expected {dimension}",
            value=normal,
        )
    entries = [_number(entry, f"{where}: reflection") for entry in normal]
    try:
        matrix = reflection_matrix(entries)
    except GroupError as error:
        raise GroupError(f"{where}: {error.message}", value=normal) from None
    rows = tuple(tuple(matrix[row, column] for column in range(dimension))
                 for row in range(dimension))
    return _matrix_spec("reflection", rows, None, where,
                        details={"normal": [str(entry) for entry in entries]})


def _parse_shift(value, dimension, where):
    _allow_keys(value, {"shift", "size"}, where)
    if "size" not in value:
        raise InputError(f"{where}: a cyclic shift needs 'size', the number of positions",
                         value=value)
    size = _positive_int(value["size"], where, "size")
    step = value["shift"]
    if not isinstance(step, int) or isinstance(step, bool):
        raise InputError(f"{where}: 'shift' must be an integer", value=step)
    if dimension % size:
        raise ShapeError(
            f"{where}: a shift of {size} positions needs a dimension divisible by {size}, "
            f"got {dimension}",
            value=value,
        )
    features = dimension // size
    # Coordinates are position-major: index = position * features + feature.
    images = tuple(((position + step) % size) * features + feature
                   for position in range(size) for feature in range(features))
    return ActionSpec(f"cyclic shift by {step}", dimension, images,
                      (sympy.Integer(1),) * dimension,
                      details={"size": size, "features": features})
