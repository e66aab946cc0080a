r"""Certified counterexamples to end-to-end equivariance.

A witness is an exact rational input :math:`x` and a generator :math:`g` with
:math:`f(g x) \ne g f(x)`. Candidates are screened in floating point (cheap,
but proves nothing); the most promising are then evaluated in Arb ball
arithmetic, and a witness is reported only when the ball enclosing
:math:`f(g x)_i - (g f(x))_i` excludes zero, which proves the inequality
whatever rounding happened. Checking the generators suffices: if every
generator commutes with :math:`f`, so does every product of them.
"""

from __future__ import annotations

import numpy
import sympy

from symequiv.exact.field import ExactField
from symequiv.exact.intervals import describe_ball, separating_digits, working_precision
from symequiv.models.network import Network
from symequiv.verdicts import InputWitness

PRECISIONS = (128, 512)


def specialize(network, substitutions):
    r"""Return ``network`` with its free symbols replaced by the given values.

    Parameters
    ----------
    network : Network
    substitutions : dict
        Symbol to sympy number.

    Returns
    -------
    Network
        Over the smallest field containing the substituted parameters.
    """
    field = network.field
    expressions = []
    for layer in network.layers:
        for value in layer.parameters().values():
            expressions.extend(field.to_expr(entry).subs(substitutions)
                               for entry in _flatten(value))
    new_field = ExactField.for_expressions(expressions)

    def convert(entry):
        return new_field.convert(field.to_expr(entry).subs(substitutions))

    return Network([layer.convert_parameters(new_field, convert) for layer in network.layers])


def _flatten(value):
    if isinstance(value, tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def default_substitutions(symbols, rng):
    """Pick small nonzero integers for free symbols, varied by ``rng``."""
    return {symbol: sympy.Integer(int(rng.integers(1, 6)) * int(rng.choice([-1, 1])))
            for symbol in symbols}


def _candidate_points(dimension, rng, samples):
    points = []
    for index in range(dimension):
        for sign in (1, -1):
            point = [0] * dimension
            point[index] = sign
            points.append(tuple(sympy.Integer(value) for value in point))
    points.append(tuple(sympy.Integer(1) for _ in range(dimension)))
    while len(points) < samples + 2 * dimension:
        numerators = rng.integers(-6, 7, size=dimension)
        denominator = int(rng.choice([1, 2, 4]))
        points.append(tuple(sympy.Rational(int(value), denominator) for value in numerators))
    return points


def _float_map(affine_map):
    field = affine_map.field
    matrix = numpy.array([[float(field.to_arb(entry).mid()) for entry in row]
                          for row in affine_map.linear.rows()], dtype=float)
    shift = numpy.array([float(field.to_arb(entry).mid())
                         for entry in affine_map.translation_or_zero()], dtype=float)
    return matrix, shift


def search_input_witness(network, action, seed=0, samples=256, max_certified=12):
    r"""Search for a certified input witness of non-equivariance.

    Parameters
    ----------
    network : Network
    action : GroupAction
    seed : int
        Seed of the ``numpy.random.Generator`` that draws candidate inputs
        and values for free symbols.
    samples : int
        Random candidates per generator, besides :math:`\pm e_i` and the all-ones vector.
    max_certified : int
        Candidates evaluated in ball arithmetic per generator.

    Returns
    -------
    InputWitness or None
        None means no witness was found, which proves nothing.
    """
    rng = numpy.random.default_rng(seed)
    substitutions = {}
    if network.field.symbols:
        substitutions = default_substitutions(network.field.symbols, rng)
        network = specialize(network, substitutions)
    points = _candidate_points(network.input_dimension, rng, samples)
    float_points = numpy.array([[float(value) for value in point] for point in points],
                               dtype=float)
    for generator in action.generators:
        input_map = action.input[generator]
        output_map = action.output[generator]
        in_matrix, in_shift = _float_map(input_map)
        out_matrix, out_shift = _float_map(output_map)
        with numpy.errstate(all="ignore"):
            left = network.evaluate_numpy(float_points @ in_matrix.T + in_shift)
            right = network.evaluate_numpy(float_points) @ out_matrix.T + out_shift
            gaps = numpy.nan_to_num(numpy.abs(left - right), nan=0.0).max(axis=1)
        order = numpy.argsort(-gaps, kind="stable")[:max_certified]
        for index in order:
            if gaps[index] == 0.0:
                break
            witness = certify(network, input_map, output_map, generator, points[index])
            if witness is not None:
                if substitutions:
                    witness = InputWitness(
                        witness.generator, witness.point, witness.coordinate, witness.left,
                        witness.right, witness.difference, witness.precision,
                        {str(symbol): str(value) for symbol, value in substitutions.items()})
                return witness
    return None


def certify(network, input_map, output_map, generator, point):
    r"""Return an :class:`InputWitness` when ball arithmetic proves :math:`f(g x) \ne g f(x)`.

    ``point`` is the exact input; None means no coordinate was separated from zero.
    """
    # The group maps keep the theory's field, which differs from the network's
    # after free symbols were specialized, so the point is moved in the maps' field.
    field = input_map.field
    exact_point = tuple(field.convert(value) for value in point)
    moved = input_map.apply(exact_point)
    for bits in PRECISIONS:
        with working_precision(bits):
            left = network.evaluate_arb([field.to_arb(value) for value in moved])
            outputs = network.evaluate_arb([field.to_arb(value) for value in exact_point])
            right = _apply_arb(output_map, outputs)
            for coordinate, (a, b) in enumerate(zip(left, right)):
                difference = a - b
                if not difference.contains(0):
                    digits = separating_digits(a, b, difference)
                    return InputWitness(
                        generator, tuple(str(value) for value in point), coordinate,
                        describe_ball(a, digits), describe_ball(b, digits),
                        describe_ball(difference), bits)
    return None


def _apply_arb(affine_map, vector):
    field = affine_map.field
    zero = field.zero
    rows = affine_map.linear.rows()
    shift = affine_map.translation_or_zero()
    result = []
    for row, offset in zip(rows, shift):
        total = field.to_arb(offset)
        for entry, value in zip(row, vector):
            if entry != zero:
                total += field.to_arb(entry) * value
        result.append(total)
    return result
