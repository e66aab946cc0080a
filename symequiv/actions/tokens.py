r"""Maps of sequences and grids that act on positions and features separately.

A sequence of :math:`n` tokens with :math:`c` features each is stored
*token-major*: coordinate :math:`t c + j` is feature :math:`j` of token
:math:`t`. A map that sends token :math:`t` to position :math:`P(t)` and applies
the same feature map :math:`M` to every token is the Kronecker product
:math:`P \otimes M`, which sends :math:`e_{t, j}` to
:math:`\sum_i M_{ij}\, e_{P(t), i}`.

A grid of :math:`c` channels with :math:`N` positions each is stored
*channel-major*, as images are (:mod:`symequiv.actions.builders`): coordinate
:math:`i N + p` is channel :math:`i` at position :math:`p`. A map that applies
:math:`M` to the channels and moves position :math:`p` to :math:`S(p)` is
:math:`M \otimes S`.

:class:`TokenMap` stores :math:`P \otimes M` without expanding it, so that
composing and comparing latent maps of attention layers costs
:math:`O(n + c^3)` instead of :math:`O((nc)^3)`. It is used only when
:math:`M` is not monomial; otherwise the product is a
:class:`~symequiv.actions.maps.MonomialMatrix`, as the canonical storage of
maps requires.
"""

from __future__ import annotations

from functools import cached_property

from symequiv.actions.maps import AffineMap, LinearMap, MonomialMatrix, linear_map
from symequiv.errors import ShapeError


class TokenMap(LinearMap):
    r"""The Kronecker product :math:`P \otimes M` of a token permutation and a feature map.

    Parameters
    ----------
    field : ExactField
    images : sequence of int
        :math:`P(t)` for each token :math:`t`; a permutation of ``range(n)``.
    feature : LinearMap
        :math:`M` on the :math:`c` features of one token; not monomial (use
        :func:`token_linear`, which picks the canonical storage).
    """

    def __init__(self, field, images, feature):
        self.field = field
        self.images = tuple(images)
        self.feature = feature
        if isinstance(feature, MonomialMatrix):
            raise ShapeError("a TokenMap needs a non-monomial feature map; use token_linear")

    @property
    def tokens(self):
        return len(self.images)

    @property
    def features(self):
        return self.feature.dimension

    @property
    def dimension(self):
        return self.tokens * self.features

    def __repr__(self):
        return f"TokenMap(images={list(self.images)}, feature={self.feature!r})"

    @cached_property
    def preimages(self):
        result = [0] * self.tokens
        for token, image in enumerate(self.images):
            result[image] = token
        return tuple(result)

    @property
    def is_identity(self):
        return False

    # -- equality with every other storage of the same matrix ---------------------

    def __eq__(self, other):
        if isinstance(other, TokenMap) and other.tokens == self.tokens:
            return self.images == other.images and self.feature == other.feature
        if isinstance(other, LinearMap):
            return other.dimension == self.dimension and self.rows() == other.rows()
        return NotImplemented

    def __hash__(self):
        return self._hash

    @cached_property
    def _hash(self):
        return hash((self.first_row(), self.diagonal()))

    def first_row(self):
        """Return row 0 of the matrix, without building the others."""
        zero = self.field.zero
        row = [zero] * self.dimension
        source = self.preimages[0]
        start = source * self.features
        row[start:start + self.features] = self.feature.rows()[0]
        return tuple(row)

    def diagonal(self):
        zero = self.field.zero
        feature_diagonal = [row[index] for index, row in enumerate(self.feature.rows())]
        result = []
        for token, image in enumerate(self.images):
            result.extend(feature_diagonal if image == token else [zero] * self.features)
        return tuple(result)

    # -- the LinearMap interface ---------------------------------------------------

    def rows(self):
        zero = self.field.zero
        size = self.features
        feature_rows = self.feature.rows()
        result = [[zero] * self.dimension for _ in range(self.dimension)]
        for token, image in enumerate(self.images):
            for row in range(size):
                target = result[image * size + row]
                target[token * size:(token + 1) * size] = feature_rows[row]
        return tuple(tuple(row) for row in result)

    def apply(self, vector):
        size = self.features
        result = [None] * self.dimension
        for token, image in enumerate(self.images):
            moved = self.feature.apply(vector[token * size:(token + 1) * size])
            result[image * size:(image + 1) * size] = moved
        return tuple(result)

    def compose(self, other):
        if other.dimension != self.dimension:
            raise ShapeError(f"cannot compose maps of dimensions {self.dimension} and "
                             f"{other.dimension}")
        factors = factor_tokens(other, self.tokens)
        if factors is None:
            return linear_map(self.field, self.times_matrix(other.rows()), invertible=True)
        images, feature = factors
        composed = tuple(self.images[image] for image in images)
        return token_linear(self.field, composed, self.feature.compose(feature))

    def compose_after(self, other):
        """Return ``other`` after ``self``, for a left factor stored another way."""
        factors = factor_tokens(other, self.tokens)
        if factors is None:
            return linear_map(self.field, other.times_matrix(self.rows()), invertible=True)
        images, feature = factors
        composed = tuple(images[image] for image in self.images)
        return token_linear(self.field, composed, feature.compose(self.feature))

    def inverse(self):
        return token_linear(self.field, self.preimages, self.feature.inverse())

    def times_matrix(self, matrix_rows):
        size = self.features
        result = [None] * self.dimension
        for token, image in enumerate(self.images):
            block = self.feature.times_matrix(tuple(matrix_rows[token * size:(token + 1) * size]))
            result[image * size:(image + 1) * size] = block
        return tuple(result)

    def matrix_times(self, matrix_rows):
        size = self.features
        result = [[] for _ in matrix_rows]
        for image in self.images:
            block = tuple(tuple(row[image * size:(image + 1) * size]) for row in matrix_rows)
            moved = self.feature.matrix_times(block)
            for target, row in zip(result, moved):
                target.extend(row)
        return tuple(tuple(row) for row in result)


def token_linear(field, images, feature):
    r"""Return :math:`P \otimes M` in canonical storage.

    A monomial :math:`M` gives a :class:`MonomialMatrix`, any other a :class:`TokenMap`.
    """
    if isinstance(feature, MonomialMatrix):
        size = feature.dimension
        coordinate_images = []
        scales = []
        for image in images:
            coordinate_images.extend(image * size + target for target in feature.images)
            scales.extend(feature.scales)
        return MonomialMatrix(field, coordinate_images, scales)
    return TokenMap(field, images, feature)


def factor_tokens(linear, tokens):
    r"""Split a map on :math:`n c` coordinates as :math:`P \otimes M`, token-major.

    Parameters
    ----------
    linear : LinearMap
    tokens : int
        :math:`n`; must divide the dimension.

    Returns
    -------
    tuple or None
        ``(images, feature)``: :math:`P(t)` per token and :math:`M` as a
        :class:`LinearMap`; None when the map is not of that form.
    """
    dimension = linear.dimension
    if tokens <= 0 or dimension % tokens:
        return None
    size = dimension // tokens
    if isinstance(linear, TokenMap) and linear.tokens == tokens:
        return linear.images, linear.feature
    if isinstance(linear, MonomialMatrix):
        return _factor_monomial_tokens(linear, tokens, size)
    return _factor_dense_tokens(linear, tokens, size)


def _factor_monomial_tokens(linear, tokens, size):
    images = []
    feature_images = None
    feature_scales = None
    for token in range(tokens):
        block = linear.images[token * size:(token + 1) * size]
        scales = linear.scales[token * size:(token + 1) * size]
        image = block[0] // size
        local = tuple(value - image * size for value in block)
        if any(not 0 <= value < size for value in local):
            return None
        if feature_images is None:
            feature_images, feature_scales = local, scales
        elif local != feature_images or scales != feature_scales:
            return None
        images.append(image)
    return tuple(images), MonomialMatrix(linear.field, feature_images, feature_scales)


def _factor_dense_tokens(linear, tokens, size):
    zero = linear.field.zero
    rows = linear.rows()
    images = [None] * tokens
    feature = None
    for image in range(tokens):
        block_rows = rows[image * size:(image + 1) * size]
        sources = [token for token in range(tokens)
                   if any(entry != zero for row in block_rows
                          for entry in row[token * size:(token + 1) * size])]
        if len(sources) != 1 or images[sources[0]] is not None:
            return None
        source = sources[0]
        block = tuple(tuple(row[source * size:(source + 1) * size]) for row in block_rows)
        if feature is None:
            feature = block
        elif block != feature:
            return None
        images[source] = image
    return tuple(images), linear_map(linear.field, feature, invertible=True)


def factor_token_affine(affine_map, tokens):
    r"""Split an affine map as :math:`x \mapsto (P \otimes M) x + t`.

    Returns ``(images, feature, translation)`` with ``translation`` None or a
    tuple of length :math:`n c`, or None when the linear part does not split.
    """
    factors = factor_tokens(affine_map.linear, tokens)
    if factors is None:
        return None
    images, feature = factors
    return images, feature, affine_map.translation


def lift_tokens(affine_map, tokens, images=None):
    r"""Return :math:`P \otimes A` for an affine map :math:`A` on one token.

    The translation is repeated for every token; ``images`` defaults to the
    identity permutation.
    """
    field = affine_map.field
    images = tuple(range(tokens)) if images is None else tuple(images)
    linear = token_linear(field, images, affine_map.linear)
    translation = None
    if affine_map.translation is not None:
        translation = tuple(affine_map.translation) * tokens
    return AffineMap(linear, translation)


def tokens_identity(images):
    return all(image == token for token, image in enumerate(images))


# -- channel-major grids ------------------------------------------------------------


def factor_channels(linear, channels):
    r"""Split a map on :math:`c N` coordinates as :math:`M \otimes S`, channel-major.

    Returns
    -------
    tuple or None
        ``(feature, positions)``: :math:`M` as a :class:`LinearMap` on the
        channels and :math:`S(p)` per position; None when the map is not of
        that form.
    """
    dimension = linear.dimension
    if channels <= 0 or dimension % channels:
        return None
    size = dimension // channels
    if isinstance(linear, MonomialMatrix):
        positions = None
        channel_images = []
        channel_scales = []
        for channel in range(channels):
            block = linear.images[channel * size:(channel + 1) * size]
            scales = linear.scales[channel * size:(channel + 1) * size]
            image = block[0] // size
            local = tuple(value - image * size for value in block)
            if any(not 0 <= value < size for value in local) or len(set(scales)) != 1:
                return None
            if positions is None:
                positions = local
            elif local != positions:
                return None
            channel_images.append(image)
            channel_scales.append(scales[0])
        return MonomialMatrix(linear.field, channel_images, channel_scales), positions
    return _factor_dense_channels(linear, channels, size)


def _factor_dense_channels(linear, channels, size):
    zero = linear.field.zero
    rows = linear.rows()
    positions = None
    feature = [[zero] * channels for _ in range(channels)]
    for row_channel in range(channels):
        for column_channel in range(channels):
            block = [row[column_channel * size:(column_channel + 1) * size]
                     for row in rows[row_channel * size:(row_channel + 1) * size]]
            nonzero = [(row, column) for row, values in enumerate(block)
                       for column, entry in enumerate(values) if entry != zero]
            if not nonzero:
                continue
            if len(nonzero) != size:
                return None
            scale = block[nonzero[0][0]][nonzero[0][1]]
            local = [None] * size
            for row, column in nonzero:
                if block[row][column] != scale or local[column] is not None:
                    return None
                local[column] = row
            local = tuple(local)
            if positions is None:
                positions = local
            elif local != positions:
                return None
            feature[row_channel][column_channel] = scale
    if positions is None:
        return None
    return linear_map(linear.field, feature, invertible=True), positions


def channel_linear(field, feature, positions):
    r"""Return :math:`M \otimes S` channel-major, as a monomial matrix when :math:`M` is one."""
    size = len(positions)
    if isinstance(feature, MonomialMatrix):
        images = []
        scales = []
        for image, scale in zip(feature.images, feature.scales):
            images.extend(image * size + target for target in positions)
            scales.extend([scale] * size)
        return MonomialMatrix(field, images, scales)
    # NOTE: a non-monomial channel map is expanded into a dense matrix of the
    # whole grid, which is fine for small grids only.
    zero = field.zero
    dimension = feature.dimension * size
    rows = [[zero] * dimension for _ in range(dimension)]
    for row_channel, feature_row in enumerate(feature.rows()):
        for column_channel, entry in enumerate(feature_row):
            if entry == zero:
                continue
            for position, target in enumerate(positions):
                rows[row_channel * size + target][column_channel * size + position] = entry
    return linear_map(field, rows, invertible=True)


def lift_channels(affine_map, size, positions=None):
    r"""Return :math:`A \otimes S` for an affine map :math:`A` on the channels of one position."""
    field = affine_map.field
    positions = tuple(range(size)) if positions is None else tuple(positions)
    linear = channel_linear(field, affine_map.linear, positions)
    translation = None
    if affine_map.translation is not None:
        translation = tuple(entry for entry in affine_map.translation for _ in range(size))
    return AffineMap(linear, translation)
