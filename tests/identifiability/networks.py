"""Build small networks from theory text and compare their functions at seeded rational inputs.

Exact comparison evaluates both networks symbolically, which gives exact
rationals for polynomial and piecewise-linear activations. Ball comparison
evaluates both with Arb at 128 bits and requires every pair of output balls to
overlap and be narrow, so a real difference larger than about 1e-30 is caught.
"""

from __future__ import annotations

import pathlib
import random
from fractions import Fraction

import flint
import sympy

import symequiv
from symequiv.exact.intervals import working_precision
from symequiv.exact.parser import parse_number
from symequiv.models.network import Network

THEORIES = pathlib.Path(__file__).resolve().parents[2] / "theories"
PRECISION_BITS = 128
MAX_RADIUS = 1e-30
POINTS = 8


def rational_points(dimension, seed, count=POINTS):
    """Return ``count`` seeded points: numerators in [-15, 15], denominators 1 to 5."""
    generator = random.Random(seed)
    return [[Fraction(generator.randint(-15, 15), generator.randint(1, 5))
             for _ in range(dimension)] for _ in range(count)]


def network_with_parameters(network, parameters):
    """Return ``network`` with ``{"W1": [[str]], "b1": [str], ...}`` as its parameters."""
    field = network.field
    layers = []
    for index, layer in enumerate(network.layers, start=1):
        weights = [[field.convert(parse_number(entry)) for entry in row]
                   for row in parameters[f"W{index}"]]
        bias = [field.convert(parse_number(entry)) for entry in parameters[f"b{index}"]]
        layers.append(layer.with_parameters(weights, bias))
    return Network(layers)


def ball_values(network, point):
    with working_precision(PRECISION_BITS):
        inputs = [flint.arb(flint.fmpq(value.numerator, value.denominator)) for value in point]
        return network.evaluate_arb(inputs)


def exact_values(network, point):
    return network.evaluate_symbolic([sympy.Rational(value.numerator, value.denominator)
                                      for value in point])


def balls_agree(first, second, seed):
    """Return True when the output balls overlap and are narrow at every seeded point."""
    for point in rational_points(first.input_dimension, seed):
        for left, right in zip(ball_values(first, point), ball_values(second, point)):
            assert left.rad() < MAX_RADIUS
            assert right.rad() < MAX_RADIUS
            if not left.overlaps(right):
                return False
    return True


def assert_same_function_balls(first, second, seed):
    for point in rational_points(first.input_dimension, seed):
        left = ball_values(first, point)
        right = ball_values(second, point)
        for coordinate, (a, b) in enumerate(zip(left, right)):
            assert a.rad() < MAX_RADIUS, (point, coordinate, a)
            assert b.rad() < MAX_RADIUS, (point, coordinate, b)
            assert a.overlaps(b), (point, coordinate, a, b)


def assert_same_function_exactly(first, second, seed):
    for point in rational_points(first.input_dimension, seed):
        left = exact_values(first, point)
        right = exact_values(second, point)
        assert all(value.is_Rational for value in left + right), (point, left, right)
        assert left == right, (point, left, right)


def load_bundled(name):
    """Return the :class:`Theory` of ``theories/NAME.toml``."""
    return symequiv.load(THEORIES / f"{name}.toml")


def small_network(widths, activation, parameters, bias=True):
    """Return the network of a theory with these widths, activation and parameters.

    ``activation`` and the values of ``parameters`` are TOML text; the group is
    trivial, because only the network matters to identifiability.
    """
    lines = [f"{name} = {value}" for name, value in parameters.items()]
    hidden = f"activation = {activation}\n" if len(widths) > 2 else ""
    text = f"""\
[theory]
name = "small"

[group]
generators = ["s"]

[group.input]
s = "trivial"

[group.output]
s = "trivial"

[model]
widths = {list(widths)}
{hidden}bias = {str(bias).lower()}

[parameters]
""" + "\n".join(lines) + "\n"
    return symequiv.loads(text, source="small.toml").network
