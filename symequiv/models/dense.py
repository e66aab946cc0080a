r"""Fully connected layers :math:`x \mapsto \sigma(W x + b)`, the layers of an MLP.

A hidden layer has a pointwise activation and the latent group of that
activation (:mod:`symequiv.activations.symmetry`); the output layer of an MLP
is affine (``activation`` None) and carries no latent group, because the group
:math:`G` acts on its output space directly. Parameters are tuples of exact
field elements: ``weights`` has one row per output neuron, ``bias`` one entry
per output neuron.
"""

from __future__ import annotations

from functools import cached_property

import numpy

from symequiv.actions.maps import AffineMap, linear_map
from symequiv.activations.symmetry import ScaleSet
from symequiv.errors import GroupError, ShapeError
from symequiv.exact import linalg
from symequiv.models.layer import LatentElement, LatentGroup, Layer, Match
from symequiv.models.matching import RowMatcher, match_rows


class PointwiseLatentGroup(LatentGroup):
    """The latent group of a pointwise activation on :math:`\\mathbb{R}^d`."""

    def __init__(self, activation, width):
        self.activation = activation
        self.width = width

    @property
    def name(self):
        return self.activation.symmetry.latent_group_name(self.width)

    @property
    def scale_set(self):
        return self.activation.symmetry.scale_set

    def contains(self, element):
        affine_map = element.map
        if affine_map.dimension != self.width:
            return False
        if self.scale_set is ScaleSet.AFFINE:
            return True
        linear = affine_map.linear
        if not hasattr(linear, "images"):
            return False
        symmetry = self.activation.symmetry
        shifts = affine_map.translation_or_zero()
        field = linear.field
        return all(symmetry.is_latent_pair(scale, shifts[image], field)
                   for image, scale in zip(linear.images, linear.scales))

    def __eq__(self, other):
        return (isinstance(other, PointwiseLatentGroup) and self.activation == other.activation
                and self.width == other.width)

    def __hash__(self):
        return hash((self.activation, self.width))


class DenseLayer(Layer):
    r"""The layer :math:`x \mapsto \sigma(W x + b)`, or :math:`W x + b` when ``activation`` is None.

    Parameters
    ----------
    field : ExactField
    weights : sequence of sequences of field elements
        Shape ``(output_dimension, input_dimension)``.
    bias : sequence of field elements
        Shape ``(output_dimension,)``; zeros for a layer without bias.
    activation : Activation or None
    has_bias : bool
        Whether the bias is a free parameter (False when the architecture has none).
    """

    def __init__(self, field, weights, bias, activation=None, has_bias=True):
        self.field = field
        self.weights = tuple(tuple(row) for row in weights)
        self.bias = tuple(bias)
        self.activation = activation
        self.has_bias = has_bias
        self.output_dimension = len(self.weights)
        self.input_dimension = len(self.weights[0]) if self.weights else 0
        if any(len(row) != self.input_dimension for row in self.weights):
            raise ShapeError("the rows of a weight matrix have different lengths")
        if len(self.bias) != self.output_dimension:
            raise ShapeError(
                f"the bias has {len(self.bias)} entries for {self.output_dimension} neurons"
            )

    @property
    def kind(self):
        return "dense"

    @property
    def label(self):
        return self.activation.name if self.activation else "affine"

    def __repr__(self):
        name = self.activation.name if self.activation else "affine"
        return f"DenseLayer({self.input_dimension} -> {self.output_dimension}, {name})"

    def parameters(self):
        # A layer without bias keeps a zero bias internally, which is not a parameter.
        if not self.has_bias:
            return {"weights": self.weights}
        return {"weights": self.weights, "bias": self.bias}

    def same_parameters(self, other):
        return (isinstance(other, DenseLayer) and self.weights == other.weights
                and self.bias == other.bias)

    def convert_parameters(self, field, convert):
        weights = [[convert(entry) for entry in row] for row in self.weights]
        bias = [convert(entry) for entry in self.bias]
        return DenseLayer(field, weights, bias, self.activation, self.has_bias)

    def with_parameters(self, weights, bias):
        return DenseLayer(self.field, weights, bias, self.activation, self.has_bias)

    @cached_property
    def rows(self):
        return tuple(zip(self.weights, self.bias))

    @property
    def is_output(self):
        return self.activation is None

    @property
    def polynomial_degree(self):
        if self.activation is None:
            return 1
        return self.activation.polynomial_degree

    # -- evaluation ----------------------------------------------------------------

    @cached_property
    def float_weights(self):
        return numpy.array([[float(self.field.to_arb(entry).mid()) for entry in row]
                            for row in self.weights], dtype=float).reshape(
            self.output_dimension, self.input_dimension)

    @cached_property
    def float_bias(self):
        return numpy.array([float(self.field.to_arb(entry).mid()) for entry in self.bias],
                           dtype=float)

    def evaluate_numpy(self, inputs):
        preactivation = inputs @ self.float_weights.T + self.float_bias
        if self.activation is None:
            return preactivation
        return self.activation.numpy_function(preactivation)

    def evaluate_arb(self, vector, substitutions=None):
        outputs = []
        for row, bias in self.rows:
            total = self.field.to_arb(bias, substitutions)
            for weight, value in zip(row, vector):
                if weight != self.field.zero:
                    total += self.field.to_arb(weight, substitutions) * value
            outputs.append(total if self.activation is None
                           else self.activation.arb_function(total))
        return outputs

    def evaluate_symbolic(self, vector):
        import sympy

        from symequiv.activations.catalogue import t

        outputs = []
        for row, bias in self.rows:
            total = self.field.to_expr(bias) + sum(
                (self.field.to_expr(weight) * value for weight, value in zip(row, vector)
                 if weight != self.field.zero),
                sympy.Integer(0),
            )
            outputs.append(total if self.activation is None
                           else self.activation.formula.subs(t, total))
        return outputs

    # -- maps acting on the layer --------------------------------------------------

    def precompose(self, affine_map):
        weights = affine_map.linear.matrix_times(self.weights)
        if affine_map.translation is None:
            return self.with_parameters(weights, self.bias)
        zero = self.field.zero
        shifted = tuple(
            bias + sum((weight * value for weight, value in zip(row, affine_map.translation)),
                       zero)
            for row, bias in self.rows
        )
        return self.with_parameters(weights, shifted)

    def postcompose(self, element):
        if self.activation is None or self.activation.is_identity:
            affine_map = element.map if isinstance(element, LatentElement) else element
            weights = affine_map.linear.times_matrix(self.weights)
            bias = affine_map.apply(self.bias)
            return self.with_parameters(weights, bias)
        if not isinstance(element, LatentElement):
            return None
        scales = element.preactivation_scales
        if scales is None or any(scale is None for scale in scales):
            return None
        images = element.map.linear.images
        weights = [None] * self.output_dimension
        bias = [None] * self.output_dimension
        for source, (row, entry) in enumerate(self.rows):
            scale = scales[source]
            weights[images[source]] = tuple(scale * weight for weight in row)
            bias[images[source]] = scale * entry
        return self.with_parameters(weights, bias)

    # -- the latent group ----------------------------------------------------------

    def latent_group(self):
        if self.activation is None:
            return None
        return PointwiseLatentGroup(self.activation, self.output_dimension)

    @cached_property
    def row_matcher(self):
        return RowMatcher(self.activation, self.field)

    def match(self, target):
        if self.activation is None:
            raise GroupError("an output layer has no latent group to match in")
        if self.activation.is_identity:
            return _match_affine(self, target)
        return match_rows(self.row_matcher, self.rows, target.rows)

    def explain_mismatch(self, target, element):
        if not (self.activation is None or self.activation.is_identity):
            return None
        expected = self.postcompose(element)
        field = self.field
        for index, ((row, bias), (other_row, other_bias)) in enumerate(
                zip(expected.rows, target.rows), start=1):
            if row != other_row or bias != other_bias:
                def text(values, constant):
                    entries = ", ".join(str(field.to_expr(value)) for value in values)
                    return f"({entries}; bias {field.to_expr(constant)})"
                return (f"row {index} of the transformed layer is "
                        f"{text(other_row, other_bias)} but the original layer needs "
                        f"{text(row, bias)}")
        return None

    def relation_holds(self, target, element):
        if self.activation is None or self.activation.is_identity:
            expected = self.postcompose(element)
            return expected.same_parameters(target)
        return _pointwise_relation_holds(self, target, element)


def _pointwise_relation_holds(source, target, element):
    r"""Re-check :math:`\sigma(W' x + b') = k\,\sigma(W x + b)` neuron by neuron.

    For a neuron with a pre-activation scale :math:`c`, the target row must be
    :math:`c` times the source row and :math:`(\lambda, \mu)` must be the
    latent map the activation's identities give for :math:`c`. A constant
    neuron without a scale is compared by its exact value.
    """
    field = source.field
    symmetry = source.activation.symmetry
    linear = element.map.linear
    if not hasattr(linear, "images") or linear.dimension != source.output_dimension:
        return False
    shifts = element.map.translation_or_zero()
    scales = element.preactivation_scales or (None,) * source.output_dimension
    for index, (row, bias) in enumerate(source.rows):
        image = linear.images[index]
        latent_scale = linear.scales[index]
        shift = shifts[image]
        target_row, target_bias = target.rows[image]
        scale = scales[index]
        if scale is not None:
            if symmetry.latent_map(scale, field) != (latent_scale, shift):
                return False
            if not _admissible(symmetry.scale_set, scale, field):
                return False
            if target_bias != scale * bias or any(
                    t != scale * w for t, w in zip(target_row, row)):
                return False
            continue
        if any(entry != field.zero for entry in row + target_row):
            return False
        if not symmetry.is_latent_pair(latent_scale, shift, field):
            return False
        value = source.activation.exact_value(bias, field)
        target_value = source.activation.exact_value(target_bias, field)
        if value is None or target_value is None:
            return False
        if target_value != latent_scale * value + shift:
            return False
    return True


def _admissible(scale_set, scale, field):
    if scale_set is ScaleSet.ONE:
        return scale == field.one
    if scale_set is ScaleSet.SIGN:
        return scale == field.one or scale == -field.one
    if scale_set is ScaleSet.POSITIVE:
        return field.sign(scale) == 1
    return scale != field.zero


def _match_affine(source, target):
    r"""Find an affine :math:`k(h) = A h + \mu` with :math:`W' = A W` and :math:`b' = A b + \mu`.

    The identity activation's latent group is the whole affine group, so this
    is linear algebra. Solutions are :math:`A_0 + Z N` with the rows of
    :math:`N` spanning :math:`\{z : z W = 0\}`; an invertible one exists
    exactly when :math:`W'` has the rank of :math:`W`, and then all but a
    measure-zero set of :math:`Z` give one, so a few seeded integer choices of
    :math:`Z` find it. :math:`A` is unique exactly when :math:`W` has full row
    rank.
    """
    field = source.field
    if (source.output_dimension != target.output_dimension
            or source.input_dimension != target.input_dimension):
        return Match(None, True, reason=(
            f"the layers have shapes {source.output_dimension} x {source.input_dimension} and "
            f"{target.output_dimension} x {target.input_dimension}"))
    solution = linalg.solve_left(field, source.weights, target.weights)
    if solution is None:
        return Match(None, True, reason="no matrix A satisfies W' = A W")
    particular, null_rows = solution
    unique = not null_rows
    source_rank = source.output_dimension - len(null_rows)
    target_rank = linalg.rank(field, target.weights, target.input_dimension)
    if target_rank != source_rank:
        return Match(None, True, reason=(
            f"W' has rank {target_rank} but W has rank {source_rank}, so every A with "
            "W' = A W is singular"))
    linear = _invertible_solution(field, particular, null_rows)
    if linear is None:
        return Match(None, False, reason="no invertible solution of W' = A W was found")
    shift = tuple(t - a for t, a in zip(target.bias, linear.apply(source.bias)))
    element = LatentElement(AffineMap(linear, shift))
    reason = "" if unique else (f"W has rank {source_rank} below its {source.output_dimension} "
                                "rows, so A is not unique")
    return Match(element, unique, unique, reason=reason)


def _invertible_solution(field, particular, null_rows, attempts=16):
    candidates = [particular]
    if null_rows:
        candidates.append(linalg.invertible_completion(field, particular, null_rows))
        rng = numpy.random.default_rng(0)
        for _ in range(attempts):
            mixing = rng.integers(-3, 4, size=(len(particular), len(null_rows)))
            candidates.append(tuple(
                tuple(entry + sum((field.convert(int(mixing[row][index])) * null_rows[index][column]
                                   for index in range(len(null_rows))), field.zero)
                      for column, entry in enumerate(particular[row]))
                for row in range(len(particular))))
    for candidate in candidates:
        try:
            return linear_map(field, candidate)
        except GroupError:
            continue
    return None
