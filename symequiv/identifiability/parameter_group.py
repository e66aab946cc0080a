r"""The parameter-symmetry group :math:`K_1 \times \dots \times K_{L-1}` of an MLP.

An element :math:`k_i` of the latent group of hidden layer :math:`i` acts on the
parameters by :math:`(W_i, b_i) \mapsto` the rows permuted and scaled by the
pre-activation scales :math:`c_j`, and :math:`(W_{i+1}, b_{i+1})` absorbing
:math:`k_i^{-1}` (a latent translation moves into :math:`b_{i+1}`). The
function is unchanged. For each hidden layer this module gives generators, the
order of the finite part (a formula) and the dimension of the continuous part;
for given parameters it enumerates the orbit of the finite part (up to a bound)
and the stabilizer (the sequences :math:`k_i` relating :math:`\theta` to
itself). A stabilizer with more than the identity means the :math:`k_i` of the
theorem are not unique.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine
from symequiv.activations.symmetry import ScaleSet
from symequiv.derivation.relate import relate
from symequiv.models.layer import LatentElement

MAX_ORBIT = 10_000


@dataclass(frozen=True)
class LayerSymmetry:
    r"""The symmetries of one hidden layer acting on the parameters.

    Attributes
    ----------
    layer : int
        From 1.
    width : int
    group : str
        The latent group :math:`K_i` in words.
    generators : tuple of str
    finite_order : int
        Order of the finite part (the component group for continuous groups).
    order_formula : str
        Such as ``"2^4 * 4! = 384"``.
    dimension : int
        Dimension of the continuous part (0 for finite groups).
    note : str
        Restrictions, such as flips that need a bias in the next layer.
    """

    layer: int
    width: int
    group: str
    generators: tuple
    finite_order: int
    order_formula: str
    dimension: int
    note: str = ""

    def to_dict(self):
        return {"layer": self.layer, "width": self.width, "group": self.group,
                "generators": list(self.generators), "finite_order": str(self.finite_order),
                "order_formula": self.order_formula, "dimension": self.dimension,
                "note": self.note}


@dataclass(frozen=True)
class ParameterSymmetryGroup:
    """The product of the hidden layers' symmetry groups."""

    layers: tuple

    @property
    def dimension(self):
        return sum(layer.dimension for layer in self.layers)

    @property
    def finite_order(self):
        return math.prod(layer.finite_order for layer in self.layers)

    @property
    def is_finite(self):
        return self.dimension == 0

    def describe(self):
        """One line: the order for a finite group, the dimension and components otherwise."""
        if self.is_finite:
            return f"finite, of order {self.finite_order}"
        return (f"of dimension {self.dimension}, with {self.finite_order} components "
                "(finite part)")

    def to_dict(self):
        return {"dimension": self.dimension, "finite_order": str(self.finite_order),
                "layers": [layer.to_dict() for layer in self.layers]}


def _permutation_generators(width):
    if width < 2:
        return ()
    if width == 2:
        return ("(1 2)",)
    return ("(1 2)", "(" + " ".join(str(index) for index in range(1, width + 1)) + ")")


def layer_symmetry(network, index):
    """Return the :class:`LayerSymmetry` of hidden layer ``index`` (from 1)."""
    layer = network.layer(index)
    following = network.layer(index + 1)
    symmetry = layer.activation.symmetry
    width = layer.output_dimension
    group = layer.latent_group().name
    permutations = _permutation_generators(width)
    row = "(w_1, b_1)" if layer.has_bias else "w_1"
    factorial = math.factorial(width)
    scale_set = symmetry.scale_set
    column = f"column 1 of W{index + 1}"
    if scale_set is ScaleSet.AFFINE:
        translations = following.has_bias
        dimension = width * width + (width if translations else 0)
        generators = ("elementary matrices of GL(d) (W_i -> A W_i, "
                      f"W{index + 1} -> W{index + 1} A^-1)",)
        if translations:
            generators += (f"translations h -> h + mu (b{index} -> b{index} + mu, "
                           f"b{index + 1} -> b{index + 1} - W{index + 1} mu)",)
        formula = "GL(d) has 2 components (the sign of the determinant)"
        return LayerSymmetry(index, width, group, generators, 2, formula, dimension,
                             "" if translations else "no translations: the next layer has "
                             "no bias")
    if scale_set is ScaleSet.ONE:
        return LayerSymmetry(index, width, group, permutations, factorial,
                             f"{width}! = {factorial}", 0)
    negation = symmetry.negation
    if scale_set is ScaleSet.SIGN:
        if negation.r != 0 and not following.has_bias:
            return LayerSymmetry(index, width, group, permutations, factorial,
                                 f"{width}! = {factorial}", 0,
                                 "flips h -> r - h need a bias in the next layer, which it "
                                 "does not have")
        flip = f"flip neuron 1: {row} -> -{row}, {column} negated"
        if negation.r != 0:
            flip += f", b{index + 1} += {negation.r} * {column}"
        if negation.is_even:
            flip = f"flip neuron 1: {row} -> -{row} (invisible after sigma)"
        order = 2**width * factorial
        return LayerSymmetry(index, width, group, permutations + (flip,), order,
                             f"2^{width} * {width}! = {order}", 0)
    degree = symmetry.homogeneity
    scale = f"scale neuron 1 by c: {row} -> c {row}, {column} -> c^-{degree} {column}"
    if scale_set is ScaleSet.POSITIVE:
        return LayerSymmetry(index, width, group, permutations + (scale + ", c > 0",),
                             factorial, f"{width}! = {factorial} components", width)
    order = 2**width * factorial
    scale += ", c != 0"
    if negation.is_even:
        # The latent scale c^m is then positive, which is why K_i is a group of positive
        # monomial matrices although the pre-activation sign of c is free.
        scale += f" (the latent scale c^{degree} is positive)"
    return LayerSymmetry(index, width, group, permutations + (scale,), order,
                         f"2^{width} * {width}! = {order} components", width)


def parameter_symmetry_group(network):
    """Return the :class:`ParameterSymmetryGroup` of an MLP's hidden layers."""
    return ParameterSymmetryGroup(tuple(layer_symmetry(network, index)
                                        for index in range(1, network.depth)))


# -- orbit and stabilizer ----------------------------------------------------------------------


def _finite_choices(layer):
    """Yield ``(images, scales)`` of the finite part of one layer's group, scales in the field."""
    field = layer.field
    width = layer.output_dimension
    scale_set = layer.activation.symmetry.scale_set
    signs = (field.one,)
    if scale_set in (ScaleSet.SIGN, ScaleSet.NONZERO):
        signs = (field.one, -field.one)
    for images in itertools.permutations(range(width)):
        for scales in itertools.product(signs, repeat=width):
            yield images, scales


def _element(layer, images, scales):
    field = layer.field
    symmetry = layer.activation.symmetry
    latent_scales = []
    shifts = [field.zero] * len(images)
    for source, scale in enumerate(scales):
        latent_scale, shift = symmetry.latent_map(scale, field)
        latent_scales.append(latent_scale)
        shifts[images[source]] = shift
    linear = MonomialMatrix(field, list(images), latent_scales)
    return LatentElement(AffineMap(linear, shifts), tuple(scales))


def orbit(network, limit=100):
    r"""Enumerate :math:`k \cdot \theta` for :math:`k` in the finite part, up to ``limit``.

    Continuous parts (scalings, the affine group) contribute only the identity
    here; their orbit is a manifold whose dimension
    :func:`parameter_symmetry_group` reports. Flips that need a bias the next
    layer lacks are skipped.

    Returns
    -------
    tuple
        ``(networks, complete)``: distinct networks, and whether the finite part
        was exhausted before ``limit``.
    """
    limit = min(limit, MAX_ORBIT)
    per_layer = []
    for index in range(1, network.depth):
        layer = network.layer(index)
        if layer.activation.symmetry.scale_set is ScaleSet.AFFINE:
            per_layer.append([None])
            continue
        following = network.layer(index + 1)
        negation = layer.activation.symmetry.negation
        choices = []
        for images, scales in _finite_choices(layer):
            needs_bias = negation is not None and negation.r != 0 and any(
                scale != layer.field.one for scale in scales)
            if needs_bias and not following.has_bias:
                continue
            choices.append((images, scales))
        per_layer.append(choices)
    found = []
    for combination in itertools.product(*per_layer):
        layers = list(network.layers)
        for position, choice in enumerate(combination):
            if choice is None:
                continue
            element = _element(layers[position], *choice)
            layers[position] = layers[position].postcompose(element)
            layers[position + 1] = layers[position + 1].precompose(element.map.inverse())
        candidate = network.__class__(layers)
        if not any(candidate.same_parameters(other) for other in found):
            found.append(candidate)
        if len(found) >= limit:
            return tuple(found), False
    return tuple(found), True


@dataclass(frozen=True)
class Stabilizer:
    r"""The sequences :math:`(k_1, \dots, k_{L-1})` relating :math:`\theta` to itself.

    Attributes
    ----------
    chains : tuple
        Found solutions (the identity among them).
    complete : bool
        True when ``chains`` are all solutions.
    reason : str
        What makes it non-trivial, from the matcher.
    """

    chains: tuple
    complete: bool
    reason: str = ""

    @property
    def trivial(self):
        """True when only the identity fixes theta, False when more does, None when unknown."""
        if len(self.chains) > 1:
            return False
        return True if self.complete else None

    def describe(self):
        if self.trivial:
            return "trivial: only the identity relates theta to itself"
        if self.trivial is None:
            return "not determined: the search for latent elements was incomplete"
        count = f"{len(self.chains)}" + ("" if self.complete else " or more")
        return (f"non-trivial ({count} elements found): the k_i are not unique"
                + (f"; {self.reason}" if self.reason else ""))

    def to_dict(self):
        return {"trivial": self.trivial, "elements_found": len(self.chains),
                "complete": self.complete, "reason": self.reason}


def stabilizer(network, limit=64):
    """Return the :class:`Stabilizer` of the parameters, searching up to ``limit`` elements."""
    field = network.field
    relation = relate(network, network, identity_affine(field, network.input_dimension),
                      identity_affine(field, network.output_dimension), max_chains=limit)
    reasons = []
    for chain in relation.chains[:1]:
        reasons = [match.reason for match in chain.matches if match.reason]
    return Stabilizer(relation.chains, relation.complete, "; ".join(reasons))
