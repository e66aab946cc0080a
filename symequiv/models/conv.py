r"""Convolutions on grids: weight-shared linear layers with stride 1 and a pointwise activation.

Glossary: a grid of :math:`H \times W` positions carries :math:`c` channels,
stored channel-major as images are (coordinate :math:`i H W + r W + s` is
channel :math:`i` at row :math:`r`, column :math:`s`). The kernel :math:`K` has
shape :math:`c_{out} \times c_{in} \times k \times k` with :math:`k` odd; entry
:math:`K[o][i][a][b]` weights the input at offset :math:`(a - m, b - m)`,
:math:`m = (k - 1)/2`. The layer computes

.. math::  y[o, p] = \sigma\Big(\sum_{i, \delta} K[o][i][\delta]\, x[i, p + \delta] + b_o\Big)

with zero padding (positions outside the grid read 0) or circular padding
(positions wrap around), so the output grid has the input's size.

* *Adjunction.* A map :math:`M \otimes S` that applies :math:`M` to the
  channels and moves positions by a grid symmetry :math:`S(p) = R p + t`
  gives :math:`f(M \otimes S\, x;\ K) = (I \otimes S)\, f(x;\ K')` with
  :math:`K'[o][j][\delta] = \sum_i K[o][i][R \delta]\, M_{ij}`: the kernel turns
  with the grid and the position move passes through to the output. With
  zero padding :math:`S` must fix the grid's center: the eight symmetries of
  the square, or four on a non-square grid. With circular padding every
  translation of the torus is allowed too.
* *Latent group.* The activation's group on the :math:`c_{out}` channels,
  acting alike at every position; the derivation reports it on channels.
  Matching compares the channel rows :math:`(K[o], b_o)` with the dense
  matcher, which is exact because every kernel entry reaches a distinct input
  when :math:`H, W \ge k`.
"""

from __future__ import annotations

from functools import cached_property

import numpy

from symequiv.actions.maps import AffineMap, identity_affine
from symequiv.actions.tokens import factor_channels, lift_channels
from symequiv.errors import ShapeError
from symequiv.models.dense import DenseLayer
from symequiv.models.layer import Absorption, LatentElement, LatentGroup, Layer, Match

PADDINGS = ("zero", "circular")

# The eight symmetries of the square as matrices on (row, column) offsets, named as
# the image actions of theory files name them (rotations counterclockwise as displayed).
SQUARE_SYMMETRIES = (
    (((1, 0), (0, 1)), "identity"),
    (((0, -1), (1, 0)), "rotation by 90 degrees"),
    (((-1, 0), (0, -1)), "rotation by 180 degrees"),
    (((0, 1), (-1, 0)), "rotation by 270 degrees"),
    (((1, 0), (0, -1)), "horizontal flip"),
    (((-1, 0), (0, 1)), "vertical flip"),
    (((0, 1), (1, 0)), "diagonal flip"),
    (((0, -1), (-1, 0)), "antidiagonal flip"),
)


def _apply(matrix, vector):
    return (matrix[0][0] * vector[0] + matrix[0][1] * vector[1],
            matrix[1][0] * vector[0] + matrix[1][1] * vector[1])


class GridMove:
    r"""A symmetry :math:`S(p) = R p + t` of the grid, with a readable name."""

    def __init__(self, matrix, translation, name):
        self.matrix = matrix
        self.translation = translation
        self.name = name

    def describe(self):
        if self.translation == (0, 0):
            return self.name
        shift = f"translation by {self.translation[0]} rows and {self.translation[1]} columns"
        return shift if self.name == "identity" else f"{self.name}, then {shift}"


def identify_grid_move(positions, height, width, padding):
    r"""Return the :class:`GridMove` whose position images are ``positions``, or None."""
    for matrix, name in SQUARE_SYMMETRIES:
        swaps = matrix[0][0] == 0
        if swaps and height != width:
            continue
        if padding == "zero":
            # Fix the center: in doubled coordinates the center is (H - 1, W - 1).
            def move(row, column, matrix=matrix):
                doubled = _apply(matrix, (2 * row - (height - 1), 2 * column - (width - 1)))
                return (doubled[0] + height - 1) // 2, (doubled[1] + width - 1) // 2
            translation = (0, 0)
        else:
            first = positions[0]
            translation = (first // width, first % width)

            def move(row, column, matrix=matrix, translation=translation):
                turned = _apply(matrix, (row, column))
                return (turned[0] + translation[0]) % height, (turned[1] + translation[1]) % width
        if all(positions[row * width + column] == (lambda p: p[0] * width + p[1])(
                move(row, column)) for row in range(height) for column in range(width)):
            return GridMove(matrix, translation, name)
    return None


class ConvLatentGroup(LatentGroup):
    """A latent group on the channels, acting alike at every position of the grid."""

    def __init__(self, core_group, positions):
        self.core_group = core_group
        self.positions = positions

    @property
    def name(self):
        return (f"{self.core_group.name} on the channels, alike at each of {self.positions} "
                "positions")

    def contains(self, element):
        split = factor_channels(element.map.linear, self.core_group.width)
        return split is not None and split[1] == tuple(range(self.positions))


class ConvLayer(Layer):
    r"""A stride-1 convolution :math:`x \mapsto \sigma(K * x + b)` on an :math:`H \times W` grid.

    Parameters
    ----------
    field : ExactField
    height, width : int
    kernel : nested sequence
        Shape ``(c_out, c_in, k, k)``, ``k`` odd and at most ``height`` and ``width``.
    bias : sequence
        One entry per output channel (zeros without bias).
    activation : Activation or None
        None for an affine output layer.
    padding : str
        ``"zero"`` or ``"circular"``.
    has_bias : bool
    """

    def __init__(self, field, height, width, kernel, bias, activation=None, padding="zero",
                 has_bias=True):
        self.field = field
        self.height = height
        self.width = width
        self.kernel = tuple(tuple(tuple(tuple(row) for row in plane) for plane in channel)
                            for channel in kernel)
        self.bias = tuple(bias)
        self.activation = activation
        self.padding = padding
        self.has_bias = has_bias
        if padding not in PADDINGS:
            raise ShapeError(f"unknown padding {padding!r}; expected one of {PADDINGS}")
        self.out_channels = len(self.kernel)
        self.in_channels = len(self.kernel[0]) if self.kernel else 0
        self.size = len(self.kernel[0][0]) if self.in_channels else 0
        if self.size % 2 == 0 or self.size < 1:
            raise ShapeError(f"the kernel size must be odd, got {self.size}")
        if self.size > min(height, width):
            raise ShapeError(f"a {self.size} x {self.size} kernel needs a grid of at least that "
                             f"size, got {height} x {width}")
        for channel in self.kernel:
            if len(channel) != self.in_channels or any(
                    len(plane) != self.size or any(len(row) != self.size for row in plane)
                    for plane in channel):
                raise ShapeError(f"the kernel must have shape {self.out_channels} x "
                                 f"{self.in_channels} x {self.size} x {self.size}")
        if len(self.bias) != self.out_channels:
            raise ShapeError(f"the bias has {len(self.bias)} entries for {self.out_channels} "
                             "output channels")
        self.positions = height * width
        self.input_dimension = self.in_channels * self.positions
        self.output_dimension = self.out_channels * self.positions

    @property
    def kind(self):
        return "conv"

    @property
    def label(self):
        name = self.activation.name if self.activation else "affine"
        return f"conv {self.size}x{self.size} {name}"

    def __repr__(self):
        return (f"ConvLayer({self.in_channels} -> {self.out_channels} channels on "
                f"{self.height} x {self.width}, kernel {self.size}, {self.padding} padding)")

    def parameters(self):
        return {"K": self.kernel, "bias": self.bias}

    def same_parameters(self, other):
        return (isinstance(other, ConvLayer) and self.kernel == other.kernel
                and self.bias == other.bias)

    def _with(self, kernel, bias, field=None):
        return ConvLayer(field or self.field, self.height, self.width, kernel, bias,
                         self.activation, self.padding, self.has_bias)

    def convert_parameters(self, field, convert):
        kernel = [[[[convert(entry) for entry in row] for row in plane] for plane in channel]
                  for channel in self.kernel]
        return self._with(kernel, [convert(entry) for entry in self.bias], field)

    @property
    def polynomial_degree(self):
        if self.activation is None:
            return 1
        return self.activation.polynomial_degree

    # -- the channel rows that matching compares ------------------------------------------

    @cached_property
    def core(self):
        """The dense layer on channel rows :math:`(K[o] \\text{ flattened}, b_o)`."""
        weights = [[entry for plane in channel for row in plane for entry in row]
                   for channel in self.kernel]
        return DenseLayer(self.field, weights, self.bias, self.activation, self.has_bias)

    def _from_core(self, core):
        size = self.size
        kernel = []
        for weights in core.weights:
            planes = []
            for channel in range(self.in_channels):
                offset = channel * size * size
                planes.append([weights[offset + row * size:offset + (row + 1) * size]
                               for row in range(size)])
            kernel.append(planes)
        return self._with(kernel, core.bias)

    # -- evaluation ------------------------------------------------------------------

    def _offsets(self):
        middle = (self.size - 1) // 2
        for a in range(self.size):
            for b in range(self.size):
                yield a, b, a - middle, b - middle

    def _source(self, row, column, dr, dc):
        """Return the input position read at ``(row + dr, column + dc)``, or None in the padding."""
        r, c = row + dr, column + dc
        if self.padding == "circular":
            return (r % self.height) * self.width + (c % self.width)
        if 0 <= r < self.height and 0 <= c < self.width:
            return r * self.width + c
        return None

    @cached_property
    def _float_kernel(self):
        return numpy.array([[[[float(self.field.to_arb(entry).mid()) for entry in row]
                              for row in plane] for plane in channel]
                            for channel in self.kernel], dtype=float).reshape(
            self.out_channels, self.in_channels, self.size, self.size)

    def evaluate_numpy(self, inputs):
        inputs = numpy.asarray(inputs, dtype=float)
        batch = inputs.shape[0]
        grid = inputs.reshape(batch, self.in_channels, self.height, self.width)
        middle = (self.size - 1) // 2
        if self.padding == "circular":
            padded = numpy.pad(grid, ((0, 0), (0, 0), (middle, middle), (middle, middle)),
                               mode="wrap")
        else:
            padded = numpy.pad(grid, ((0, 0), (0, 0), (middle, middle), (middle, middle)))
        output = numpy.zeros((batch, self.out_channels, self.height, self.width))
        kernel = self._float_kernel
        for a in range(self.size):
            for b in range(self.size):
                window = padded[:, :, a:a + self.height, b:b + self.width]
                output += numpy.einsum("oi,bihw->bohw", kernel[:, :, a, b], window)
        output += self.core.float_bias.reshape(1, -1, 1, 1)
        output = output.reshape(batch, self.output_dimension)
        if self.activation is None:
            return output
        return self.activation.numpy_function(output)

    def _preactivations(self, vector, constant, zero):
        outputs = []
        for out_channel in range(self.out_channels):
            for row in range(self.height):
                for column in range(self.width):
                    total = constant(self.bias[out_channel])
                    for in_channel in range(self.in_channels):
                        weights = self.kernel[out_channel][in_channel]
                        for a, b, dr, dc in self._offsets():
                            weight = weights[a][b]
                            source = self._source(row, column, dr, dc)
                            if weight == self.field.zero or source is None:
                                continue
                            total = total + constant(weight) * vector[
                                in_channel * self.positions + source]
                    outputs.append(total)
        return outputs

    def evaluate_arb(self, vector, substitutions=None):
        import flint

        values = self._preactivations(vector, lambda entry: self.field.to_arb(entry, substitutions),
                                      flint.arb(0))
        if self.activation is None:
            return values
        return [self.activation.arb_function(value) for value in values]

    def evaluate_symbolic(self, vector):
        import sympy

        from symequiv.activations.catalogue import t

        values = self._preactivations(list(vector), self.field.to_expr, sympy.Integer(0))
        if self.activation is None:
            return values
        return [self.activation.formula.subs(t, value) for value in values]

    # -- maps acting on the layer ----------------------------------------------------

    def _split(self, affine_map, channels):
        """Return ``(channel map M, GridMove, per-channel shift)`` or a reason string."""
        split = factor_channels(affine_map.linear, channels)
        if split is None:
            return ("a convolution absorbs only maps that apply one channel map at every "
                    "position and move the grid by a symmetry")
        feature, positions = split
        move = identify_grid_move(positions, self.height, self.width, self.padding)
        if move is None:
            allowed = ("a symmetry of the grid about its center" if self.padding == "zero"
                       else "a translation or a symmetry of the square on the torus")
            return f"the map moves the grid by a permutation that is not {allowed}"
        shift = None
        if affine_map.translation is not None:
            blocks = [affine_map.translation[channel * self.positions:
                                             (channel + 1) * self.positions]
                      for channel in range(channels)]
            if self.padding != "circular" or any(len(set(block)) != 1 for block in blocks):
                return ("a convolution absorbs a translation of its input only with circular "
                        "padding and the same shift at every position of a channel")
            shift = tuple(block[0] for block in blocks)
        return feature, move, shift, positions

    def _turned(self, move, feature, shift):
        size = self.size
        middle = (size - 1) // 2
        zero = self.field.zero
        feature_rows = feature.rows()
        kernel = []
        for out_channel in range(self.out_channels):
            planes = []
            for in_channel in range(self.in_channels):
                plane = []
                for a in range(size):
                    row = []
                    for b in range(size):
                        turned = _apply(move.matrix, (a - middle, b - middle))
                        total = zero
                        for source in range(self.in_channels):
                            coefficient = feature_rows[source][in_channel]
                            if coefficient != zero:
                                total += (self.kernel[out_channel][source][turned[0] + middle]
                                          [turned[1] + middle] * coefficient)
                        row.append(total)
                    plane.append(row)
                planes.append(plane)
            kernel.append(planes)
        bias = list(self.bias)
        if shift is not None:
            for out_channel in range(self.out_channels):
                for in_channel, value in enumerate(shift):
                    total = sum((entry for row in self.kernel[out_channel][in_channel]
                                 for entry in row), zero)
                    bias[out_channel] += total * value
        return self._with(kernel, bias)

    def precompose(self, affine_map):
        split = self._split(affine_map, self.in_channels)
        if isinstance(split, str) or split[1].describe() != "identity":
            return None
        return self._turned(split[1], split[0], split[2])

    def absorb(self, affine_map):
        if affine_map.is_identity:
            return Absorption(self)
        split = self._split(affine_map, self.in_channels)
        if isinstance(split, str):
            return Absorption.failed(split)
        feature, move, shift, positions = split
        layer = self._turned(move, feature, shift)
        if move.describe() == "identity":
            return Absorption(layer)
        identity = identity_affine(self.field, self.out_channels)
        output = lift_channels(identity, self.positions, positions)
        return Absorption(layer, AffineMap(output.linear))

    def commute(self, affine_map):
        if affine_map.is_identity:
            return affine_map
        if self.padding != "circular" or affine_map.translation is not None:
            return None
        split = factor_channels(affine_map.linear, self.in_channels)
        if split is None or not split[0].is_identity:
            return None
        move = identify_grid_move(split[1], self.height, self.width, self.padding)
        if move is None or move.name != "identity":
            return None
        identity = identity_affine(self.field, self.out_channels)
        return lift_channels(identity, self.positions, split[1])

    def _core_element(self, element):
        affine_map = element.map if isinstance(element, LatentElement) else element
        split = factor_channels(affine_map.linear, self.out_channels)
        if split is None or split[1] != tuple(range(self.positions)):
            return None
        shift = None
        if affine_map.translation is not None:
            blocks = [affine_map.translation[channel * self.positions:
                                             (channel + 1) * self.positions]
                      for channel in range(self.out_channels)]
            if any(len(set(block)) != 1 for block in blocks):
                return None
            shift = tuple(block[0] for block in blocks)
        core_map = AffineMap(split[0], shift)
        if isinstance(element, LatentElement):
            return LatentElement(core_map, element.preactivation_scales)
        return core_map

    def postcompose(self, element):
        core = self._core_element(element)
        if core is None:
            return None
        result = self.core.postcompose(core)
        return None if result is None else self._from_core(result)

    # -- the latent group ------------------------------------------------------------

    def latent_group(self):
        core_group = self.core.latent_group()
        if core_group is None:
            return None
        return ConvLatentGroup(core_group, self.positions)

    def _lift(self, core_element):
        return LatentElement(lift_channels(core_element.map, self.positions),
                             core_element.preactivation_scales, {"core": core_element})

    def match(self, target):
        if (not isinstance(target, ConvLayer) or target.padding != self.padding
                or (target.height, target.width, target.size) != (self.height, self.width,
                                                                   self.size)):
            return Match(None, True, reason="the layers are convolutions of different shapes")
        match = self.core.match(target.core)
        if not match.found:
            return match
        return Match(self._lift(match.element), match.complete, match.unique,
                     tuple(self._lift(element) for element in match.alternatives),
                     match.reason.replace("neurons", "channels"), match.details)

    def relation_holds(self, target, element):
        if not isinstance(target, ConvLayer) or target.padding != self.padding:
            return False
        core = self._core_element(element)
        if core is None:
            return False
        return self.core.relation_holds(target.core, core)

    def explain_mismatch(self, target, element):
        if not isinstance(target, ConvLayer):
            return None
        core = self._core_element(element)
        if core is None:
            return "the map does not act alike at every position of the grid"
        return self.core.explain_mismatch(target.core, core)

    def describe_latent(self, element):
        from symequiv.report import format_map

        lines = []
        passthrough = element.details.get("passthrough")
        if passthrough is not None:
            split = factor_channels(passthrough.linear, self.out_channels)
            if split is not None:
                move = identify_grid_move(split[1], self.height, self.width, self.padding)
                if move is not None:
                    lines.append(f"positions: {move.describe()}")
        core = element.details.get("core")
        if core is not None:
            lines.append("on the channels at every position:")
            lines.extend(format_map(core.map, indent="  "))
        return lines or None
