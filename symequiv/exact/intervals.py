r"""Rigorous enclosures of exact numbers and formulas with Arb balls (python-flint).

Signs of algebraic numbers and certified witnesses both rest on this module: a
ball that excludes zero proves the sign of the number it encloses, whatever
rounding happened on the way.
"""

from __future__ import annotations

import contextlib

import flint
import sympy

from symequiv.errors import UnsupportedError

DEFAULT_PRECISION = 128  # bits of working precision for a first attempt
MAX_PRECISION = 4096


@contextlib.contextmanager
def working_precision(bits):
    """Run a block with python-flint's working precision set to ``bits``, then restore it.

    python-flint keeps the precision in a process-wide context, so every user
    of Arb in symequiv goes through this manager.
    """
    previous = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = previous


def _arb_of_rational(value):
    return flint.arb(flint.fmpq(int(value.p), int(value.q)))


def arb_relu(value):
    """Enclose max(value, 0) as (value + |value|)/2, exact for points and rigorous for balls."""
    return (value + abs(value)) / 2


def expression_to_arb(expression, substitutions=None):
    r"""Enclose a sympy expression in an Arb ball at the current working precision.

    Parameters
    ----------
    expression : sympy.Expr
        Built from rationals, ``pi``, ``+``, ``*``, integer and half-integer
        powers, and the functions exp, log, sqrt, Abs, tanh, sinh, cosh, sin,
        cos, atan, erf, Max and Min.
    substitutions : dict, optional
        Arb balls for the free symbols of ``expression``.

    Returns
    -------
    flint.arb

    Raises
    ------
    UnsupportedError
        For a node outside that list, such as an unevaluated ``CRootOf``.
    """
    substitutions = substitutions or {}
    return _to_arb(sympy.sympify(expression), substitutions)


def _to_arb(node, substitutions):
    if node.is_Rational:
        return _arb_of_rational(node)
    if node is sympy.pi:
        return flint.arb.pi()
    if node is sympy.E:
        return flint.arb(1).exp()
    if node.is_Symbol:
        if node in substitutions:
            return substitutions[node]
        raise UnsupportedError(f"no value for the symbol {node} in an interval evaluation")
    if node.is_Add:
        total = flint.arb(0)
        for term in node.args:
            total += _to_arb(term, substitutions)
        return total
    if node.is_Mul:
        product = flint.arb(1)
        for factor in node.args:
            product *= _to_arb(factor, substitutions)
        return product
    if node.is_Pow:
        return _power_to_arb(node, substitutions)
    function = _UNARY.get(type(node))
    if function is not None:
        trigonometric = _trigonometric_of_rational_pi(node)
        if trigonometric is not None:
            return trigonometric
        return function(_to_arb(node.args[0], substitutions))
    if isinstance(node, (sympy.Max, sympy.Min)):
        values = [_to_arb(argument, substitutions) for argument in node.args]
        result = values[0]
        for value in values[1:]:
            # max(a, b) = (a + b + |a - b|) / 2 keeps the enclosure rigorous for balls.
            if isinstance(node, sympy.Max):
                result = (result + value + abs(result - value)) / 2
            else:
                result = (result + value - abs(result - value)) / 2
        return result
    if isinstance(node, sympy.Piecewise):
        raise UnsupportedError("Piecewise expressions have no interval evaluation; use Max/Min")
    raise UnsupportedError(f"no interval evaluation for {type(node).__name__} in {node}")


def _power_to_arb(node, substitutions):
    base, exponent = node.args
    value = _to_arb(base, substitutions)
    if exponent.is_Integer:
        if exponent >= 0:
            return value ** int(exponent)
        return 1 / value ** int(-exponent)
    if exponent.is_Rational and exponent.q == 2:
        root = value.sqrt()
        return root ** int(exponent.p) if exponent.p > 0 else 1 / root ** int(-exponent.p)
    return (_to_arb(exponent, substitutions) * value.log()).exp()


def _trigonometric_of_rational_pi(node):
    """Use Arb's exact-argument routines for cos(q*pi) and sin(q*pi)."""
    if not isinstance(node, (sympy.cos, sympy.sin)):
        return None
    multiple = node.args[0] / sympy.pi
    if not multiple.is_Rational:
        return None
    fraction = flint.fmpq(int(multiple.p), int(multiple.q))
    if isinstance(node, sympy.cos):
        return flint.arb.cos_pi_fmpq(fraction)
    return flint.arb.sin_pi_fmpq(fraction)


_UNARY = {
    sympy.exp: lambda value: value.exp(),
    sympy.log: lambda value: value.log(),
    sympy.Abs: abs,
    sympy.tanh: lambda value: value.tanh(),
    sympy.sinh: lambda value: value.sinh(),
    sympy.cosh: lambda value: value.cosh(),
    sympy.sin: lambda value: value.sin(),
    sympy.cos: lambda value: value.cos(),
    sympy.atan: lambda value: value.atan(),
    sympy.erf: lambda value: value.erf(),
}


def certified_sign(expression, substitutions=None):
    r"""Return the sign of a real constant that is known to be nonzero.

    The precision doubles until the enclosing ball excludes zero.

    Parameters
    ----------
    expression : sympy.Expr
        A nonzero real constant (the caller has decided nonzero exactly).

    Returns
    -------
    int
        ``1`` or ``-1``.

    Raises
    ------
    UnsupportedError
        When :data:`MAX_PRECISION` bits do not separate the value from zero.
    """
    bits = DEFAULT_PRECISION
    while bits <= MAX_PRECISION:
        with working_precision(bits):
            ball = expression_to_arb(expression, substitutions)
            if ball > 0:
                return 1
            if ball < 0:
                return -1
        bits *= 2
    raise UnsupportedError(
        f"could not decide the sign of {expression} with {MAX_PRECISION} bits of precision"
    )


def describe_ball(ball, digits=10):
    """Format an Arb ball as ``[midpoint +/- radius]`` with ``digits`` significant digits."""
    return ball.str(digits, radius=True)


def separating_digits(first, second, difference, minimum=10, maximum=400):
    """Return how many significant digits show two balls whose difference excludes zero as distinct.

    Two nearby values printed to 10 digits look equal, so the count grows with
    the ratio of their size to their difference.
    """
    size = max(abs(first).upper(), abs(second).upper(), flint.arb(1))
    ratio = size / abs(difference).lower()
    extra = int(float((ratio.log() / flint.arb(10).log()).upper().mid())) + 3
    return max(minimum, min(maximum, extra))
