r"""Fast exact evaluation of rational functions of a template's free symbols.

A template's parameters and the sides of its constraints are rational
functions :math:`p(s) / q(s)` of the free symbols :math:`s` with rational
coefficients. A search evaluates them at many rational points, so each is
compiled once into the terms of its numerator and denominator and evaluated
with :class:`fractions.Fraction`, which is exact and far faster than sympy
substitution.
"""

from __future__ import annotations

from fractions import Fraction

import sympy


class RationalFunction:
    r"""A rational function :math:`p / q` of named symbols, evaluated exactly.

    Parameters
    ----------
    numerator, denominator : tuple of (Fraction, tuple of int)
        Terms ``(coefficient, exponents)``, with one exponent per symbol.
    symbols : tuple of str
        The symbol names, in the order of the exponents.
    """

    def __init__(self, numerator, denominator, symbols):
        self.numerator = tuple(numerator)
        self.denominator = tuple(denominator)
        self.symbols = tuple(symbols)
        self.constant = None
        if all(not any(exponents) for _, exponents in self.numerator + self.denominator):
            self.constant = _sum_terms(self.numerator, ()) / _sum_terms(self.denominator, ())

    @classmethod
    def from_expression(cls, expression, symbols):
        """Compile a sympy expression that is a rational function of ``symbols`` (names).

        Raises
        ------
        ValueError
            When the expression is not a rational function of those symbols with
            rational coefficients.
        """
        generators = [sympy.Symbol(name, real=True) for name in symbols]
        numerator, denominator = sympy.fraction(sympy.together(sympy.sympify(expression)))
        parts = []
        for part in (numerator, denominator):
            try:
                polynomial = sympy.Poly(part, *generators, domain="QQ") if generators else None
            except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed) as error:
                raise ValueError(f"{expression} is not a rational function of "
                                 f"{', '.join(symbols)} with rational coefficients") from error
            if polynomial is None:
                if not part.is_Rational:
                    raise ValueError(f"{expression} is not a rational number")
                parts.append(((Fraction(int(part.p), int(part.q)), ()),))
                continue
            parts.append(tuple((Fraction(int(coefficient.numerator), int(coefficient.denominator)),
                                tuple(int(power) for power in monomial))
                               for monomial, coefficient in polynomial.terms()))
        return cls(parts[0], parts[1], symbols)

    def evaluate(self, values):
        """Return the value at ``values`` (Fractions, one per symbol).

        Raises
        ------
        ZeroDivisionError
            When the denominator vanishes there.
        """
        if self.constant is not None:
            return self.constant
        return _sum_terms(self.numerator, values) / _sum_terms(self.denominator, values)

    def __repr__(self):
        return f"RationalFunction({self.numerator!r}, {self.denominator!r}, {self.symbols!r})"


def _sum_terms(terms, values):
    total = Fraction(0)
    for coefficient, exponents in terms:
        term = coefficient
        for value, power in zip(values, exponents):
            if power:
                term *= value**power
        total += term
    return total


def format_value(value):
    """Write a Fraction as a theory-file number: ``"3"``, ``"-1/2"``."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def parse_value(text):
    """Read a value written by :func:`format_value` back into a Fraction."""
    return Fraction(text)
