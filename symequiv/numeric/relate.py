r"""The theorem's construction on float parameters: latent elements within a tolerance.

For each generator :math:`g` the rows of layer 1 after precomposition with
:math:`\rho_{in}(g)` are matched to the rows of layer 1
(:func:`~symequiv.numeric.matching.match_float_rows`), which gives
:math:`k_1(g)` with :math:`f_1(\rho_{in}(g) x) \approx k_1(g) f_1(x)`. The
match is snapped to an exact element of :math:`K_1`
(:func:`snap_element`), whose float form is absorbed into layer 2, and so on;
the output layer is then compared with :math:`\rho_{out}(g)`. This mirrors
:mod:`symequiv.derivation.relate` with residuals in place of equalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.activations.symmetry import ScaleSet
from symequiv.models.layer import LatentElement
from symequiv.numeric.matching import MatchStatus, match_affine, match_float_rows

# Scales other than +-1 are snapped to the nearest fraction with at most this denominator.
SNAP_DENOMINATOR = 1 << 20


class FloatAffine:
    r"""An affine map :math:`y = A y + t` in float64, monomial or dense.

    Parameters
    ----------
    matrix : numpy.ndarray or None
        The dense linear part, or None for a monomial one.
    images, scales : numpy.ndarray, optional
        The monomial linear part: :math:`e_j \mapsto c_j e_{\pi(j)}`.
    shift : numpy.ndarray
    """

    def __init__(self, shift, matrix=None, images=None, scales=None):
        self.matrix = matrix
        self.images = images
        self.scales = scales
        self.shift = numpy.asarray(shift, dtype=float)

    @classmethod
    def from_exact(cls, affine_map):
        field = affine_map.field
        shift = numpy.array([float(field.to_arb(entry).mid())
                             for entry in affine_map.translation_or_zero()], dtype=float)
        linear = affine_map.linear
        if isinstance(linear, MonomialMatrix):
            scales = numpy.array([float(field.to_arb(entry).mid()) for entry in linear.scales])
            return cls(shift, images=numpy.array(linear.images, dtype=int), scales=scales)
        matrix = numpy.array([[float(field.to_arb(entry).mid()) for entry in row]
                              for row in linear.rows()], dtype=float)
        return cls(shift, matrix=matrix)

    def dense(self):
        """Return the linear part as a dense matrix."""
        if self.matrix is not None:
            return self.matrix
        size = len(self.images)
        result = numpy.zeros((size, size))
        result[self.images, numpy.arange(size)] = self.scales
        return result

    def right_multiply(self, weights):
        r"""Return :math:`W A` for a matrix :math:`W` with one column per coordinate."""
        if self.matrix is not None:
            return weights @ self.matrix
        return weights[:, self.images] * self.scales[None, :]

    def apply_rows(self, values):
        r"""Apply the map to a batch of rows: :math:`y \mapsto A y + t` row by row."""
        if self.matrix is not None:
            return values @ self.matrix.T + self.shift
        result = numpy.empty_like(values)
        result[:, self.images] = values * self.scales[None, :]
        return result + self.shift


@dataclass(frozen=True)
class LayerStep:
    r"""One hidden layer of a float relation: the match and the snapped :math:`k_i(g)`."""

    layer: int
    match: object
    element: LatentElement | None


@dataclass(frozen=True)
class FloatRelation:
    r"""The latent elements found for one generator, and the output layer's residual.

    Attributes
    ----------
    generator : str
    steps : tuple of LayerStep
        One per hidden layer reached; shorter when a layer had no match.
    output_residual : float or None
        :math:`\|W_L k_{L-1} - \rho_{out}(g) W_L\|` and the bias analogue,
        relative to the output layer's size; None when a hidden layer failed.
    tolerance : float
    """

    generator: str
    steps: tuple
    output_residual: float | None
    tolerance: float

    @property
    def complete(self):
        return self.output_residual is not None

    @property
    def holds(self):
        """True when every layer matched (possibly ambiguously) and the output agrees."""
        return self.complete and self.output_residual <= self.tolerance

    @property
    def failed_layer(self):
        """The first layer (from 1) with no match, or L for a failing output layer, or None."""
        if not self.complete:
            return self.steps[-1].layer
        if self.output_residual > self.tolerance:
            return len(self.steps) + 1
        return None

    @property
    def ambiguous(self):
        return any(step.match.status is MatchStatus.AMBIGUOUS for step in self.steps)


def snap_scale(value, scale_set, tolerance):
    """Return the simplest admissible fraction within ``tolerance`` (relative) of a float scale.

    Denominators 1, 2, 4, ... are tried in turn, so a scale within the
    tolerance of 1 snaps to 1 and the snapped elements keep finite order.
    """
    if scale_set is ScaleSet.ONE:
        return Fraction(1)
    if scale_set is ScaleSet.SIGN:
        return Fraction(1 if value >= 0 else -1)
    value = float(value)
    bound = 1
    snapped = Fraction(value).limit_denominator(bound)
    while bound < SNAP_DENOMINATOR and abs(snapped - Fraction(value)) > tolerance * abs(value):
        bound *= 2
        snapped = Fraction(value).limit_denominator(bound)
    if snapped == 0 or (scale_set is ScaleSet.POSITIVE and snapped < 0):
        snapped = Fraction(1, SNAP_DENOMINATOR) if value >= 0 else Fraction(-1, SNAP_DENOMINATOR)
    return snapped


def snap_element(match, activation, field, tolerance):
    r"""Return the exact :class:`LatentElement` of :math:`K` nearest to a float match.

    Permutations and signs are exact already; other scales are rounded by
    :func:`snap_scale`. The
    latent map follows from the activation's identities, as in the exact
    matcher.
    """
    scale_set = activation.symmetry.scale_set
    symmetry = activation.symmetry
    exact_scales = []
    latent_scales = []
    size = len(match.images)
    shifts = [field.zero] * size
    for source, target in enumerate(match.images):
        fraction = snap_scale(match.scales[source], scale_set, tolerance)
        scale = field.domain(fraction.numerator) / field.domain(fraction.denominator)
        latent_scale, shift = symmetry.latent_map(scale, field)
        exact_scales.append(scale)
        latent_scales.append(latent_scale)
        shifts[int(target)] = shift
    linear = MonomialMatrix(field, [int(image) for image in match.images], latent_scales)
    return LatentElement(AffineMap(linear, shifts), tuple(exact_scales))


def _affine_element(match, field):
    """Snap a fitted affine latent map ``A`` to the nearest rational matrix."""
    from symequiv.actions.maps import linear_map
    from symequiv.errors import GroupError

    rows = [[_fraction(field, value) for value in row] for row in match.scales]
    try:
        linear = linear_map(field, rows)
    except GroupError:
        return None
    return LatentElement(AffineMap(linear))


def _fraction(field, value):
    fraction = Fraction(float(value)).limit_denominator(SNAP_DENOMINATOR)
    return field.domain(fraction.numerator) / field.domain(fraction.denominator)


def relate_generator(network, action, generator, tolerance, rng, force=False):
    r"""Run the float construction for one generator.

    Parameters
    ----------
    network : FloatNetwork
    action : GroupAction
    generator : str
    tolerance : float
        Relative residual allowed in every match and in the output layer.
    rng : numpy.random.Generator
    force : bool
        Snap and go on with the best pairing even where it misses the
        tolerance, as the projection needs; the steps still record each match.

    Returns
    -------
    FloatRelation
    """
    field = action.field
    previous = FloatAffine.from_exact(action.input[generator])
    steps = []
    for index in range(1, network.depth):
        weights = network.weights[index - 1]
        bias = network.biases[index - 1]
        source = numpy.column_stack([weights, bias])
        target = numpy.column_stack([previous.right_multiply(weights),
                                     bias + weights @ previous.shift])
        activation = network.activation(index)
        if activation.is_identity:
            match = match_affine(source, target, tolerance)
            element = _affine_element(match, field) if match.found or force else None
        else:
            match = match_float_rows(source, target, activation.symmetry.scale_set, tolerance,
                                     rng)
            usable = (match.found or force) and len(match.images) == len(source)
            element = snap_element(match, activation, field, tolerance) if usable else None
        steps.append(LayerStep(index, match, element))
        if element is None:
            return FloatRelation(generator, tuple(steps), None, tolerance)
        previous = FloatAffine.from_exact(element.map)
    output = FloatAffine.from_exact(action.output[generator])
    weights, bias = network.weights[-1], network.biases[-1]
    moved = numpy.column_stack([previous.right_multiply(weights), bias + weights @ previous.shift])
    expected = numpy.column_stack([output.dense() @ weights, output.dense() @ bias
                                   + output.shift])
    scale = max(float(numpy.linalg.norm(expected)), 1e-300)
    residual = float(numpy.linalg.norm(moved - expected)) / scale
    return FloatRelation(generator, tuple(steps), residual, tolerance)


def relate_network(network, action, tolerance, rng, force=False):
    """Return ``{generator: FloatRelation}`` for every generator of ``action``."""
    return {generator: relate_generator(network, action, generator, tolerance, rng, force)
            for generator in action.generators}


def latent_homomorphism(action, relations, network):
    r"""Check that the snapped :math:`k_i(g)` respect the group's relations, layer by layer.

    Returns a list with one :class:`~symequiv.groups.action.LatentHomomorphismCheck`
    per hidden layer, or None when some generator's relation is incomplete.
    """
    if not all(relation.complete for relation in relations.values()):
        return None
    checks = []
    for index in range(1, network.depth):
        maps = {generator: relation.steps[index - 1].element.map
                for generator, relation in relations.items()}
        checks.append(action.check_latent_homomorphism(maps, network.widths[index]))
    return checks
