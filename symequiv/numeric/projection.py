r"""From float weights to an exactly certified equivariant network.

Steps:

1. *Snap.* The latent elements :math:`k_i(g)` recovered by the float
   construction (:mod:`~symequiv.numeric.relate`) are exact elements of
   :math:`K_i` already (permutations and signs are read off; other scales are
   rounded to fractions).
2. *Project.* For layer :math:`i`, each group element acts on its parameters by
   :math:`T_g(W, b) = (Q^{-1} W M,\; Q^{-1}(b + W t - s))`, where
   :math:`(M, t)` is :math:`k_{i-1}(g)` (:math:`\rho_{in}(g)` for the first
   layer) and :math:`(Q, s)` is the pre-activation action of :math:`k_i(g)`
   (:math:`\rho_{out}(g)` for the last layer). The layer is equivariant exactly
   when it is fixed by every :math:`T_g`, and the group average
   :math:`\frac{1}{|H|}\sum_{h \in H} T_h(W, b)` over the finite group
   :math:`H` that the :math:`T_g` generate is fixed by all of them. When every
   :math:`T_g` is an isometry (permutations and signs) the average is the
   orthogonal projection onto the equivariant parameters.
3. *Certify.* The average is computed exactly: the weights are first rounded
   to the grid :math:`2^{-e}` (integers in numpy), summed in integer
   arithmetic and divided by :math:`|H|` as fractions, and the exact network
   goes through the derivation engine, which proves (or fails to prove) that
   it is layerwise equivariant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine
from symequiv.errors import LimitError, UnsupportedError
from symequiv.exact.field import ExactField
from symequiv.groups.cayley import JointElement, closure
from symequiv.models.network import Network

MAX_GROUP_ORDER = 4096
# _exponent picks the grid so that the integer sums stay below 2^62 and fit in int64.
_INTEGER_BITS = 62


@dataclass(frozen=True)
class Projection:
    r"""The projected network, how far it moved, and the exact certificate.

    Attributes
    ----------
    network : FloatNetwork
        The projected parameters, rounded to float64 for evaluation.
    exact_network : Network
        The same parameters exactly, over the rationals.
    group_orders : tuple of int
        :math:`|H|` for each layer.
    layer_distances : tuple of float
        :math:`\|\theta^*_i - \theta_i\| / \|\theta_i\|` per layer.
    distance : float
        The same over all parameters.
    output_change : dict
        ``{"median": ..., "max": ..., "m": ..., "samples": ...}`` of
        :math:`\|f^*(y) - f(y)\| / \max(\|f(y)\|, m)` over ``samples`` noise
        inputs, with :math:`m` the median :math:`\|f(y)\|`, as in ``verify``.
    derivation : Derivation or None
        The exact engine's run on ``exact_network``; None when not run.
    """

    network: object
    exact_network: object
    group_orders: tuple
    layer_distances: tuple
    distance: float
    output_change: dict
    derivation: object = None

    @property
    def certified(self):
        return self.derivation is not None and self.derivation.derived


def _preactivation_map(element, field):
    """Return the monomial map of pre-activation scales of a pointwise latent element."""
    images = element.map.linear.images
    return AffineMap(MonomialMatrix(field, images, element.preactivation_scales))


def layer_actions(action, relations, depth):
    r"""Return, for each layer, generator name to the pair :math:`((M, t), (Q, s))`.

    Raises
    ------
    UnsupportedError
        When a relation is incomplete, or a hidden layer's latent elements are
        not pointwise (the identity activation's affine group), which this
        projection does not handle.
    """
    field = action.field
    for generator, relation in relations.items():
        if not relation.complete:
            raise UnsupportedError(f"for the generator {generator}, layer "
                                   f"f_{relation.steps[-1].layer} has no latent element to "
                                   "project onto")
    per_layer = []
    for index in range(1, depth + 1):
        pairs = {}
        for generator, relation in relations.items():
            before = (action.input[generator] if index == 1
                      else relation.steps[index - 2].element.map)
            if index == depth:
                after = action.output[generator]
            else:
                element = relation.steps[index - 1].element
                if element.preactivation_scales is None:
                    raise UnsupportedError(f"layer {index} has an affine latent group; "
                                           "projecting it is not supported")
                after = _preactivation_map(element, field)
            pairs[generator] = (before, after)
        per_layer.append(pairs)
    return per_layer


def group_image(pairs, field, max_order=MAX_GROUP_ORDER):
    r"""Enumerate the finite group :math:`H` of pairs :math:`((M, t), (Q, s))` they generate."""
    generators = {name: JointElement(pair) for name, pair in pairs.items()}
    first = next(iter(pairs.values()))
    identity = JointElement((identity_affine(field, first[0].dimension),
                             identity_affine(field, first[1].dimension)))
    try:
        return list(closure(generators, identity, max_order).parents)
    except LimitError as error:
        raise UnsupportedError(f"the latent actions generate more than {max_order} "
                               f"elements, so they cannot be averaged: {error.message}") from None


def _is_signed_monomial(affine_map):
    linear = affine_map.linear
    one = affine_map.field.one
    translation_integral = all(entry.denominator == 1 for entry in affine_map.translation_or_zero())
    return (isinstance(linear, MonomialMatrix) and translation_integral
            and all(scale in (one, -one) for scale in linear.scales))


def _integers(values):
    return numpy.array([int(value) for value in values], dtype=numpy.int64)


def _average_signed(weights, bias, elements, exponent):
    r"""Sum :math:`T_h` over the group with ±1 monomial maps, on integers scaled by :math:`2^e`."""
    scale = float(2**exponent)
    weights_int = numpy.rint(weights * scale).astype(numpy.int64)
    bias_int = numpy.rint(bias * scale).astype(numpy.int64)
    total_weights = numpy.zeros_like(weights_int)
    total_bias = numpy.zeros_like(bias_int)
    for element in elements:
        before, after = element.parts
        images = numpy.array(before.linear.images)
        signs = _integers(before.linear.scales)
        moved = weights_int[:, images] * signs[None, :]
        shift = _integers(before.translation_or_zero())
        moved_bias = bias_int + weights_int @ shift - _integers(after.translation_or_zero()) * (
            2**exponent)
        # (Q^-1 X)[j] = X[pi_Q(j)] / c_j, and 1 / c_j = c_j for signs.
        row_images = numpy.array(after.linear.images)
        row_signs = _integers(after.linear.scales)
        total_weights += moved[row_images, :] * row_signs[:, None]
        total_bias += moved_bias[row_images] * row_signs
    return total_weights, total_bias


def _exponent(weights, bias, elements):
    largest = max(float(numpy.abs(weights).max(initial=0.0)), float(numpy.abs(bias).max(
        initial=0.0)), 1.0)
    shift_size = max((abs(int(entry)) for element in elements
                      for part in element.parts for entry in part.translation_or_zero()),
                     default=0)
    bound = largest * (weights.shape[1] * max(shift_size, 1) + 2) * len(elements)
    return max(_INTEGER_BITS - 1 - math.ceil(math.log2(bound)), 0)


def _average_general(weights, bias, elements, field):
    r"""Average :math:`T_h` in exact rational arithmetic (monomial maps with any scales)."""
    rows, columns = weights.shape
    exact_weights = [[Fraction(float(value)) for value in row] for row in weights]
    exact_bias = [Fraction(float(value)) for value in bias]
    total_weights = [[Fraction(0)] * columns for _ in range(rows)]
    total_bias = [Fraction(0)] * rows
    for element in elements:
        before, after = element.parts
        if not (isinstance(before.linear, MonomialMatrix)
                and isinstance(after.linear, MonomialMatrix)):
            raise UnsupportedError("projection supports monomial latent and group actions only")
        before_scales = [_to_fraction(value) for value in before.linear.scales]
        shift = [_to_fraction(value) for value in before.translation_or_zero()]
        after_shift = [_to_fraction(value) for value in after.translation_or_zero()]
        after_scales = [_to_fraction(value) for value in after.linear.scales]
        for row in range(rows):
            source_row = after.linear.images[row]
            factor = 1 / after_scales[row]
            original = exact_weights[source_row]
            for column in range(columns):
                image = before.linear.images[column]
                total_weights[row][column] += factor * original[image] * before_scales[column]
            moved = exact_bias[source_row] + sum(
                (value * offset for value, offset in zip(original, shift) if offset), Fraction(0))
            total_bias[row] += factor * (moved - after_shift[source_row])
    order = len(elements)
    return ([[value / order for value in row] for row in total_weights],
            [value / order for value in total_bias])


def _to_fraction(value):
    return Fraction(int(value.numerator), int(value.denominator))


def project_layer(weights, bias, elements, field):
    """Return the exact averaged layer as ``(rows of fractions, bias of fractions)``.

    Uses integer arithmetic when every map is a signed monomial map with an
    integer translation, exact fractions otherwise.
    """
    if all(_is_signed_monomial(part) for element in elements for part in element.parts):
        exponent = _exponent(weights, bias, elements)
        total_weights, total_bias = _average_signed(weights, bias, elements, exponent)
        denominator = len(elements) * 2**exponent
        return total_weights, total_bias, denominator
    # NOTE: the general path uses Python fractions entry by entry, so a layer of a
    # million weights takes minutes. It serves rational scales (ReLU, powers) on
    # small networks.
    exact_weights, exact_bias = _average_general(weights, bias, elements, field)
    return exact_weights, exact_bias, None


def _exact_layer_entries(field, values, denominator):
    domain = field.domain
    if denominator is None:
        return [domain(value.numerator) / domain(value.denominator) for value in values]
    base = domain(denominator)
    return [domain(int(value)) / base for value in values]


def project_network(network, action, relations, rng, samples=2048, certify=True):
    r"""Project ``network`` onto the parameters equivariant for the snapped latent actions.

    Parameters
    ----------
    network : FloatNetwork
    action : GroupAction
    relations : dict
        Generator to a complete :class:`~symequiv.numeric.relate.FloatRelation`
        (every hidden layer has a snapped element).
    rng : numpy.random.Generator
        Draws the noise inputs that measure the change in outputs.
    samples : int
    certify : bool
        Run the derivation engine on the exact result.

    Returns
    -------
    Projection

    Raises
    ------
    UnsupportedError
        When the latent actions do not generate a small finite group or are not monomial.
    """
    from symequiv.derivation.engine import derive

    field = ExactField.rational()
    if not action.field.is_rational:
        raise UnsupportedError(f"projection needs rational group actions, got {action.field}")
    per_layer = layer_actions(action, relations, network.depth)
    exact_weights, exact_biases, float_weights, float_biases, orders = [], [], [], [], []
    for index, pairs in enumerate(per_layer, start=1):
        elements = group_image(pairs, field)
        weights, bias = network.weights[index - 1], network.biases[index - 1]
        total_weights, total_bias, denominator = project_layer(weights, bias, elements, field)
        rows = [_exact_layer_entries(field, row, denominator) for row in total_weights]
        exact_weights.append(rows)
        exact_biases.append(_exact_layer_entries(field, total_bias, denominator))
        if denominator is None:
            float_weights.append(numpy.array([[float(value) for value in row]
                                              for row in total_weights]))
            float_biases.append(numpy.array([float(value) for value in total_bias]))
        else:
            float_weights.append(numpy.asarray(total_weights, dtype=float) / denominator)
            float_biases.append(numpy.asarray(total_bias, dtype=float) / denominator)
        orders.append(len(elements))

    projected = network.with_parameters(float_weights, float_biases)
    exact = Network.mlp(field, exact_weights, exact_biases, list(network.activations),
                        has_bias=network.has_bias)
    distances = []
    for old, new, old_bias, new_bias in zip(network.weights, float_weights, network.biases,
                                            float_biases):
        size = max(math.hypot(numpy.linalg.norm(old), numpy.linalg.norm(old_bias)), 1e-300)
        distances.append(math.hypot(numpy.linalg.norm(new - old),
                                    numpy.linalg.norm(new_bias - old_bias)) / size)
    total = math.sqrt(sum(numpy.linalg.norm(matrix) ** 2 + numpy.linalg.norm(vector) ** 2
                          for matrix, vector in zip(network.weights, network.biases)))
    moved = math.sqrt(sum(numpy.linalg.norm(new - old) ** 2 + numpy.linalg.norm(nb - ob) ** 2
                          for old, new, ob, nb in zip(network.weights, float_weights,
                                                      network.biases, float_biases)))
    inputs = rng.standard_normal((samples, network.input_dimension))
    before = network.evaluate(inputs)
    after = projected.evaluate(inputs)
    norms = numpy.linalg.norm(before, axis=1)
    # The floor m, as in verify, keeps outputs near 0 from inflating the relative change.
    floor = max(float(numpy.median(norms)), 1e-300)
    change = numpy.linalg.norm(after - before, axis=1) / numpy.maximum(norms, floor)
    derivation = derive(exact, action) if certify else None
    return Projection(projected, exact, tuple(orders), tuple(distances),
                      moved / max(total, 1e-300),
                      {"median": float(numpy.median(change)), "max": float(change.max()),
                       "m": floor, "samples": samples},
                      derivation)
