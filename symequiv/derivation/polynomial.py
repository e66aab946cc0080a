r"""An exact decision of end-to-end equivariance for polynomial networks.

With polynomial activations (powers, the identity) the network is a polynomial
map, and :math:`f(\rho_{in}(g) x) - \rho_{out}(g) f(x)` is a vector of
polynomials in :math:`x` (and in the free symbols of the parameters). Expanding
it decides equivariance: all zero proves it, and a nonzero polynomial is
nonzero at some integer point, which is then an exact witness (a nonzero
polynomial of degree :math:`D` cannot vanish on a whole grid
:math:`\{0, \dots, D\}^n`).
"""

from __future__ import annotations

import itertools
import math
import random

import sympy

from symequiv.verdicts import InputWitness, Verdict

MAX_MONOMIALS = 20_000


def network_degree(network):
    return network.polynomial_degree


def _apply_map(affine_map, vector):
    field = affine_map.field
    rows = affine_map.linear.rows()
    shift = affine_map.translation_or_zero()
    return [sum((field.to_expr(entry) * value for entry, value in zip(row, vector)
                 if entry != field.zero), field.to_expr(offset))
            for row, offset in zip(rows, shift)]


def decide_polynomial(network, action):
    r"""Decide end-to-end equivariance of a polynomial network exactly.

    Returns
    -------
    Verdict or None
        None when the network is not polynomial or too large to expand
        (more than :data:`MAX_MONOMIALS` possible monomials).
    """
    if not network.is_polynomial:
        return None
    degree = network_degree(network)
    variables = len(network.field.symbols) + network.input_dimension
    if math.comb(variables + degree, degree) > MAX_MONOMIALS:
        return None
    inputs = [sympy.Symbol(f"x{index}") for index in range(network.input_dimension)]
    outputs = [sympy.expand(value) for value in network.evaluate_symbolic(inputs)]
    for generator in action.generators:
        moved = _apply_map(action.input[generator], inputs)
        left = [sympy.expand(value) for value in network.evaluate_symbolic(moved)]
        right = [sympy.expand(value) for value in _apply_map(action.output[generator], outputs)]
        for coordinate, (a, b) in enumerate(zip(left, right)):
            # Parameters may be rational functions of the symbols, so the
            # difference is brought to one fraction before its numerator is tested.
            numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(a - b)))
            numerator = sympy.expand(numerator)
            if numerator != 0:
                difference = numerator / denominator
                witness = _integer_witness(generator, coordinate, a, b, difference, inputs,
                                           network.field.symbols,
                                           numerator * denominator * _pole_guard(network))
                return Verdict.refuted(
                    "polynomial identity",
                    f"f(g x) - g f(x) is the nonzero polynomial {_shorten(difference)} in "
                    f"coordinate {coordinate + 1} for g = {generator}",
                    witness,
                )
    return Verdict.proved(
        "polynomial identity",
        "f(g x) - g f(x) expands to the zero polynomial for every generator g",
    )


def _pole_guard(network):
    """Return the product of the parameters' denominators in the free symbols (1 without)."""
    guard = sympy.Integer(1)
    for value in _flatten(network.parameter_expressions().values()):
        if value.free_symbols:
            guard *= sympy.fraction(sympy.together(value))[1]
    return guard


def _flatten(values):
    for value in values:
        if isinstance(value, list):
            yield from _flatten(value)
        else:
            yield value


def _integer_witness(generator, coordinate, left, right, difference, inputs, symbols, guard):
    r"""Find an integer point where ``guard`` (numerator times all denominators) is nonzero.

    There the difference is defined and nonzero. ``guard`` is a nonzero
    polynomial of some total degree :math:`D`, so it cannot vanish on the whole
    grid :math:`\{0, \dots, D\}^n`.
    """
    variables = list(inputs) + list(symbols)
    guard = sympy.Poly(sympy.expand(guard), *variables)
    rng = random.Random(0)
    # A few random points almost always suffice; the grid makes the search certain.
    random_points = [tuple(rng.randint(-20, 20) for _ in variables) for _ in range(32)]
    grid = itertools.product(range(guard.total_degree() + 1), repeat=len(variables))
    for point in itertools.chain(random_points, grid):
        values = dict(zip(variables, (sympy.Integer(value) for value in point)))
        if guard.eval(tuple(values[variable] for variable in variables)) != 0:
            substitutions = {str(symbol): str(values[symbol]) for symbol in symbols}
            return InputWitness(
                generator, tuple(str(values[symbol]) for symbol in inputs), coordinate,
                str(left.subs(values)), str(right.subs(values)), str(difference.subs(values)),
                None, substitutions, exact=True)
    raise AssertionError("a nonzero polynomial vanished on a whole grid of its degree")


def _shorten(expression, limit=120):
    text = str(expression)
    return text if len(text) <= limit else text[:limit] + " ..."
