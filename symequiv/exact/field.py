r"""The exact field that holds a theory's numbers.

A theory's parameters and action matrices are sympy expressions. Before any
computation they are converted into one sympy *domain*: ``QQ`` when all are
rational, a number field such as ``QQ<sqrt(2)>`` for radicals and cos/sin of
rational multiples of pi, and a field of rational functions such as
``ZZ(a, b)`` when free symbols appear (``pi`` outside cos/sin also becomes a
generator, which is exact because pi is transcendental). Free symbols together
with irrational algebraic numbers are rejected, because sympy does not keep
rational functions over a number field in canonical form. Domain
elements are canonical, so equality is exact and they can be hashed.

Signs matter for matching rows up to positive scale. A constant's sign is
decided rigorously with Arb balls; an element that depends on free symbols has
no sign, only a *canonical* sign (that of its leading coefficient) that
satisfies ``canonical_sign(-x) == -canonical_sign(x)`` and so still picks one
of ``x`` and ``-x`` consistently.
"""

from __future__ import annotations

from functools import cached_property

import flint
import sympy
from sympy.polys.constructor import construct_domain
from sympy.polys.domains import QQ

from symequiv.errors import UnsupportedError
from symequiv.exact.intervals import certified_sign, expression_to_arb


def _has_bare_pi(expression):
    """Return True when ``pi`` appears outside a cos or sin (where it is algebraic)."""
    if expression is sympy.pi:
        return True
    if isinstance(expression, (sympy.cos, sympy.sin)):
        return False
    return any(_has_bare_pi(argument) for argument in expression.args)


class ExactField:
    r"""A sympy domain together with the sign and conversion rules symequiv needs.

    Parameters
    ----------
    domain : sympy.polys.domains.Domain
        A field: ``QQ``, an algebraic field, or a fraction field over one.

    Examples
    --------
    >>> import sympy
    >>> field = ExactField.for_expressions([sympy.sqrt(2), sympy.Rational(1, 2)])
    >>> field.sign(field.convert(1 - sympy.sqrt(2)))
    -1
    """

    def __init__(self, domain):
        self.domain = domain

    @classmethod
    def rational(cls):
        """Return the field of rational numbers."""
        return cls(QQ)

    @classmethod
    def for_expressions(cls, expressions):
        """Return the smallest supported field containing every expression."""
        expressions = [sympy.sympify(expression) for expression in expressions]
        if all(expression.is_Rational for expression in expressions):
            return cls(QQ)
        domain, _ = construct_domain(expressions, field=True, extension=True)
        if domain.is_EX or domain.is_EXRAW:
            domain = cls._composite_domain(expressions)
        cls._check_supported(domain)
        return cls(domain)

    @staticmethod
    def _check_supported(domain):
        if not (domain.is_FractionField or domain.is_PolynomialRing):
            return
        odd = [generator for generator in domain.symbols
               if not (generator.is_Symbol or generator is sympy.pi)]
        if odd:
            raise UnsupportedError(
                f"cannot compute exactly with {odd[0]}: parameters must be rational "
                "functions of free symbols")
        # NOTE: sympy 1.14 does not cancel constant factors of rational functions
        # over a number field (2a/2 != a), so equality would not be exact there.
        if not domain.domain.is_QQ and not domain.domain.is_ZZ:
            raise UnsupportedError(
                "free symbols cannot be combined with irrational numbers such as "
                f"{domain.domain.ext if hasattr(domain.domain, 'ext') else domain.domain} "
                "in one theory; exact arithmetic in that field is not available")

    @staticmethod
    def _composite_domain(expressions):
        """Build ``K(symbols)`` by hand where sympy's constructor falls back to ``EX``."""
        generators = set()
        for expression in expressions:
            generators |= expression.free_symbols
            if _has_bare_pi(expression):
                generators.add(sympy.pi)
        generators = sorted(generators, key=str)
        coefficients = []
        for expression in expressions:
            numerator, denominator = sympy.fraction(sympy.together(expression))
            for part in (numerator, denominator):
                try:
                    coefficients.extend(sympy.Poly(part, *generators).coeffs())
                except sympy.PolynomialError as error:
                    raise UnsupportedError(
                        f"cannot represent {expression} exactly: pi outside cos/sin "
                        "cannot be combined with cos/sin of multiples of pi and free symbols"
                    ) from error
        ground, _ = construct_domain(coefficients or [0], field=True, extension=True)
        if ground.is_EX or ground.is_EXRAW:
            raise UnsupportedError(
                "these numbers do not lie in a number field that symequiv can build: "
                + ", ".join(str(expression) for expression in expressions[:5])
            )
        return ground.frac_field(*generators) if generators else ground

    # -- identity --------------------------------------------------------------

    def __eq__(self, other):
        return isinstance(other, ExactField) and self.domain == other.domain

    def __hash__(self):
        return hash(self.domain)

    def __repr__(self):
        return f"ExactField({self.domain})"

    def __str__(self):
        return str(self.domain)

    @cached_property
    def is_rational(self):
        """True when the field is ``QQ``."""
        return self.domain.is_QQ

    @cached_property
    def symbols(self):
        """The free symbols that generate the field, without ``pi``."""
        if not (self.domain.is_FractionField or self.domain.is_PolynomialRing):
            return ()
        return tuple(symbol for symbol in self.domain.symbols if symbol.is_Symbol)

    @property
    def zero(self):
        return self.domain.zero

    @property
    def one(self):
        return self.domain.one

    # -- conversion ------------------------------------------------------------

    def convert(self, value):
        """Convert an int, a sympy expression or an element of another field."""
        if isinstance(value, int):
            return self.domain(value)
        return self.domain.from_sympy(sympy.sympify(value))

    def to_expr(self, element):
        """Return ``element`` as a sympy expression."""
        return self.domain.to_sympy(element)

    def join(self, other):
        """Return a field containing both fields' numbers."""
        if self == other:
            return self
        return ExactField(self.domain.unify(other.domain))

    def extended_by(self, expressions):
        """Return a field that also contains ``expressions``."""
        expressions = [sympy.sympify(expression) for expression in expressions]
        if all(expression.is_Rational for expression in expressions):
            return self
        return self.join(ExactField.for_expressions(expressions))

    # -- signs -------------------------------------------------------------------

    def is_constant(self, element):
        """True when ``element`` does not depend on a free symbol."""
        if not self.symbols:
            return True
        return not (self.to_expr(element).free_symbols & set(self.symbols))

    def sign(self, element):
        """Return -1, 0 or 1, or None when the sign depends on free symbols."""
        if element == self.domain.zero:
            return 0
        if self.is_rational:
            return 1 if element > 0 else -1
        if not self.is_constant(element):
            return None
        return certified_sign(self.to_expr(element))

    def canonical_sign(self, element):
        """Return the sign for constants, else the sign of the leading coefficient."""
        sign = self.sign(element)
        if sign is not None:
            return sign
        numerator, denominator = element.numer, element.denom
        ground = ExactField(self.domain.domain)
        return ground.sign(numerator.LC) * ground.sign(denominator.LC)

    def leading_constant(self, element):
        """Return a nonzero constant ``a`` with ``element / a`` independent of scaling.

        For constants this is the element itself; for rational functions it is
        the quotient of the leading coefficients of numerator and denominator.
        Two elements differ by a rational factor exactly when that factor is the
        quotient of their leading constants (``pi`` counts as a generator, not
        as a constant, here).
        """
        if not self.symbols:
            return element
        ground = self.domain.domain
        numerator = self.domain.convert_from(element.numer.LC, ground)
        denominator = self.domain.convert_from(element.denom.LC, ground)
        return numerator / denominator

    def to_arb(self, element, substitutions=None):
        """Enclose ``element`` in an Arb ball at the current working precision."""
        if self.is_rational:
            return flint.arb(flint.fmpq(int(element.numerator), int(element.denominator)))
        return expression_to_arb(self.to_expr(element), substitutions)
