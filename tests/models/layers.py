"""Builders shared by the model tests: dense layers from rows of plain numbers."""

from __future__ import annotations

import sympy

from symequiv.exact.field import ExactField

QQ_FIELD = ExactField.rational()


def dense_layer(rows, activation, field=QQ_FIELD):
    r"""Build :math:`\sigma(W x + b)` from rows ``(w_1, ..., w_n, b)`` of numbers or expressions.

    ``activation`` None gives an affine output layer.
    """
    from symequiv.models.dense import DenseLayer

    weights = [[field.convert(sympy.sympify(entry)) for entry in row[:-1]] for row in rows]
    bias = [field.convert(sympy.sympify(row[-1])) for row in rows]
    return DenseLayer(field, weights, bias, activation)


def map_data(element, field=QQ_FIELD):
    """Return ``(images, latent scales, translation)`` of a monomial latent element in sympy."""
    linear = element.map.linear
    return (
        tuple(linear.images),
        tuple(field.to_expr(scale) for scale in linear.scales),
        tuple(field.to_expr(shift) for shift in element.map.translation_or_zero()),
    )


def rational_vector(values):
    """Return exact field elements for a list of numbers."""
    return [QQ_FIELD.convert(sympy.sympify(value)) for value in values]


def reference_ball(expression, digits=120):
    """Enclose an exact real constant: rationals at 512 bits, others by a 120-digit evaluation."""
    import flint

    from symequiv.exact.intervals import working_precision

    expression = sympy.sympify(expression)
    with working_precision(512):
        if expression.is_Rational:
            return flint.arb(flint.fmpq(int(expression.p), int(expression.q)))
        return flint.arb(str(sympy.N(expression, digits)), f"1e-{digits - 10}")


def arb_vector(values):
    """Return exact Arb balls for a list of rationals."""
    import flint

    return [flint.arb(flint.fmpq(int(value.p), int(value.q)))
            for value in (sympy.Rational(value) for value in values)]


def seeded_rationals(seed, count, bound=5, denominator=4):
    """Return ``count`` seeded rationals with the given denominator in [-bound, bound]."""
    import numpy

    rng = numpy.random.default_rng(seed)
    return [sympy.Rational(int(value), denominator)
            for value in rng.integers(-bound * denominator, bound * denominator + 1, size=count)]
