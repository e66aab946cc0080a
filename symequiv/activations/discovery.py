r"""Deriving an activation's intertwining identities, and so its latent group, from its formula.

For a formula :math:`\sigma(t)` the candidates are

* *odd*: :math:`\sigma(-t) = -\sigma(t)`;
* *even*: :math:`\sigma(-t) = \sigma(t)`;
* *affine reflection*: :math:`\sigma(-t) = r - \sigma(t)` with :math:`r \ne 0`
  (the sigmoid's :math:`\sigma(-t) = 1 - \sigma(t)`);
* *linear bypass*: :math:`\sigma(t) - \sigma(-t) = c\,t` with :math:`c \ne 0`;
* *positive homogeneity of degree m*: :math:`\sigma(c\,t) = c^m \sigma(t)` for
  every :math:`c > 0`, with an integer :math:`1 \le m \le 32`;
* *linear*: :math:`\sigma(t) = t`.

The constants :math:`r`, :math:`c` and :math:`m` are estimated from values
at :math:`t = \pm 1, \pm 2` and rounded to small fractions; a wrong estimate
only makes the proof below fail. Each candidate is then

1. evaluated at seeded rational points with Arb ball arithmetic: a residual
   whose ball excludes 0 *refutes* the identity, with that point as witness;
2. only if every residual ball contains 0, simplified symbolically: after
   ``expand``; after rewriting ``Max``, ``Min``, ``Abs`` and ``Piecewise`` to
   one ``Piecewise`` (``Max(t, 0) - Max(-t, 0) - t`` simplifies to 0 only in
   that form); or case by case for :math:`t > 0`, :math:`t < 0` and
   :math:`t = 0`, which covers every real :math:`t`. A residual that
   simplifies to 0 *proves* the identity.

A simplification that returns anything other than 0 proves nothing, so the
identity is then *unknown*, never refuted.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

import sympy

from symequiv.activations.symmetry import ActivationSymmetry, NegationIdentity
from symequiv.errors import UnsupportedError
from symequiv.exact.intervals import expression_to_arb, working_precision
from symequiv.exact.parser import ACTIVATION_VARIABLE
from symequiv.verdicts import Status, StepWitness, Verdict

t = ACTIVATION_VARIABLE
MAX_DEGREE = 32
SAMPLE_POINTS = 8
PRECISION_BITS = 128
MAX_DENOMINATOR = 1000

_POSITIVE = sympy.Symbol("u", positive=True)
_SCALE = sympy.Symbol("c", positive=True)
METHOD = "identity check"


@dataclass(frozen=True)
class IdentityCheck:
    """One candidate identity: its name, its equation and the verdict on it."""

    name: str
    equation: str
    verdict: Verdict

    @property
    def proved(self):
        return self.verdict.status is Status.PROVED

    def to_dict(self):
        return {"name": self.name, "equation": self.equation, "verdict": self.verdict.to_dict()}


@dataclass(frozen=True)
class SymmetryDiscovery:
    """The identities derived for a formula and the :class:`ActivationSymmetry` they give.

    Attributes
    ----------
    formula : sympy.Expr
    symmetry : ActivationSymmetry
        Built from the proved identities only.
    checks : tuple of IdentityCheck
        Every candidate that was examined, proved or not.
    """

    formula: sympy.Expr
    symmetry: ActivationSymmetry
    checks: tuple

    def proved_names(self):
        return [check.name for check in self.checks if check.proved]


def discover_symmetry(formula, seed=0):
    r"""Derive the intertwining identities of :math:`\sigma(t)` = ``formula``.

    Parameters
    ----------
    formula : sympy.Expr
        A function of :data:`t` (the parser's real symbol).
    seed : int
        Seed of the sample points of the numeric check.

    Returns
    -------
    SymmetryDiscovery

    Examples
    --------
    >>> from symequiv.exact.parser import parse_activation
    >>> discover_symmetry(parse_activation("max(t, 0)")).symmetry.scale_set.value
    'c>0'
    """
    formula = sympy.sympify(formula)
    if formula == t:
        check = IdentityCheck("linear", "sigma(t) = t",
                              Verdict.proved(METHOD, "the formula is t itself"))
        return SymmetryDiscovery(formula, ActivationSymmetry(linear=True), (check,))
    rng = random.Random(seed)
    checks = list(_negation_checks(formula, rng))
    checks.append(_homogeneity_check(formula, rng))
    negation = None
    homogeneity = None
    for check, identity in checks:
        if not check.proved:
            continue
        if isinstance(identity, NegationIdentity) and negation is None:
            negation = identity
        elif isinstance(identity, int):
            homogeneity = identity
    symmetry = ActivationSymmetry(negation=negation, homogeneity=homogeneity)
    return SymmetryDiscovery(formula, symmetry, tuple(check for check, _ in checks))


# -- candidates ------------------------------------------------------------------------


def _negation_checks(formula, rng):
    """Yield ``(IdentityCheck, NegationIdentity)`` for odd, even, reflection and bypass."""
    negated = formula.subs(t, -t)
    one = sympy.Integer(1)
    zero = sympy.Integer(0)
    yield _check("odd", "sigma(-t) = -sigma(t)", negated + formula, rng), \
        NegationIdentity(-one, zero, zero)
    yield _check("even", "sigma(-t) = sigma(t)", negated - formula, rng), \
        NegationIdentity(one, zero, zero)

    offset = _estimate(formula.subs(t, 1) + formula.subs(t, -1))
    if offset is not None and offset != 0:
        yield _check("affine reflection", f"sigma(-t) = {offset} - sigma(t)",
                     negated + formula - offset, rng), NegationIdentity(-one, zero, offset)
    else:
        reason = ("sigma(1) + sigma(-1) is 0, so a reflection would be the odd identity"
                  if offset == 0 else "sigma(1) + sigma(-1) is not a small fraction")
        yield _not_candidate("affine reflection", "sigma(-t) = r - sigma(t)", reason), None

    slope = _estimate(formula.subs(t, 1) - formula.subs(t, -1))
    if slope is not None and slope != 0:
        term = "t" if slope == 1 else f"{slope} t"
        yield _check("linear bypass", f"sigma(t) - sigma(-t) = {term}",
                     formula - negated - slope * t, rng), NegationIdentity(one, -slope, zero)
    else:
        reason = ("sigma(1) - sigma(-1) is 0, so a bypass would be the even identity"
                  if slope == 0 else "sigma(1) - sigma(-1) is not a small fraction")
        yield _not_candidate("linear bypass", "sigma(t) - sigma(-t) = c t", reason), None


def _homogeneity_check(formula, rng):
    """Return ``(IdentityCheck, degree)`` for positive homogeneity."""
    degree = _estimate_degree(formula)
    equation = "sigma(c t) = c^m sigma(t) for c > 0"
    if degree is None:
        return _not_candidate("positive homogeneity", equation,
                              "sigma(2)/sigma(1) and sigma(-2)/sigma(-1) are not both a power "
                              f"2^m with 1 <= m <= {MAX_DEGREE}"), None
    residual = formula.subs(t, _SCALE * t) - _SCALE**degree * formula
    equation = f"sigma(c t) = c^{degree} sigma(t) for c > 0"
    return _check(f"positive homogeneity of degree {degree}", equation, residual, rng,
                  scale=True), degree


def _not_candidate(name, equation, reason):
    return IdentityCheck(name, equation, Verdict.refuted(
        METHOD, "no constant fits: " + reason, StepWitness(reason)))


# -- estimates ---------------------------------------------------------------------------


def _ball(expression):
    """Enclose a constant expression in an Arb ball, or return None when that fails."""
    try:
        with working_precision(PRECISION_BITS):
            ball = expression_to_arb(sympy.sympify(expression))
    except (UnsupportedError, ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if not ball.is_finite():
        return None
    return ball


def _estimate(constant):
    """Round a constant expression to a fraction with a small denominator, or return None."""
    constant = sympy.sympify(constant)
    if constant.is_Rational:
        return constant
    ball = _ball(constant)
    if ball is None or ball.rad() > 1e-20:
        return None
    value = Fraction(float(ball.mid())).limit_denominator(MAX_DENOMINATOR)
    if abs(float(value) - float(ball.mid())) > 1e-12:
        return None
    return sympy.Rational(value.numerator, value.denominator)


def _estimate_degree(formula):
    """Return m when sigma(2s) = 2^m sigma(s) at s = 1 and s = -1 (where sigma(s) != 0)."""
    degrees = set()
    for point in (1, -1):
        base = _ball(formula.subs(t, point))
        doubled = _ball(formula.subs(t, 2 * point))
        if base is None or doubled is None:
            return None
        if base.contains(0):
            if not doubled.contains(0):
                return None
            continue
        ratio = float((doubled / base).mid())
        if ratio <= 0:
            return None
        degree = round(math.log2(ratio))
        if not 1 <= degree <= MAX_DEGREE or abs(ratio - 2**degree) > 1e-9 * 2**degree:
            return None
        degrees.add(degree)
    if len(degrees) != 1:
        return None
    return degrees.pop()


# -- the check itself ------------------------------------------------------------------------


def _sample_points(rng, count=SAMPLE_POINTS):
    """Seeded nonzero rationals in [-4, 4] with denominators up to 7."""
    points = []
    while len(points) < count:
        value = sympy.Rational(rng.randint(-28, 28), rng.randint(1, 7))
        if value != 0 and value not in points:
            points.append(value)
    return points


def _check(name, equation, residual, rng, scale=False):
    """Refute ``residual = 0`` at a certified point, else try to prove it symbolically."""
    scales = _sample_points(rng) if scale else [None] * SAMPLE_POINTS
    unevaluated = None
    for point, factor in zip(_sample_points(rng), scales):
        substitution = {t: point}
        if factor is not None:
            substitution[_SCALE] = abs(factor)
        ball = _ball(residual.subs(substitution))
        if ball is None:
            unevaluated = substitution
            continue
        if not ball.contains(0):
            where = ", ".join(f"{symbol} = {value}" for symbol, value in substitution.items())
            witness = StepWitness(f"at {where} the two sides differ by {ball.str(10, radius=True)}"
                                  " (an Arb enclosure that excludes 0)")
            return IdentityCheck(name, equation, Verdict.refuted(
                METHOD, f"fails at {where}", witness))
    if unevaluated is not None:
        where = ", ".join(f"{symbol} = {value}" for symbol, value in unevaluated.items())
        return IdentityCheck(name, equation, Verdict.unknown(
            f"the formula could not be evaluated at {where}, so the numeric check is "
            "incomplete and no symbolic proof is attempted", METHOD))
    strategy = _prove_zero(residual)
    if strategy is not None:
        return IdentityCheck(name, equation, Verdict.proved(
            METHOD, f"the residual simplifies to 0 ({strategy}); it also vanishes at "
            f"{SAMPLE_POINTS} sampled points"))
    return IdentityCheck(name, equation, Verdict.unknown(
        f"the residual vanishes at {SAMPLE_POINTS} sampled points, but sympy did not "
        "simplify it to 0", METHOD))


def _prove_zero(residual):
    """Return the name of a strategy that simplifies ``residual`` to 0, or None."""
    if sympy.expand(residual) == 0:
        return "expanded"
    piecewise = sympy.piecewise_fold(residual.rewrite(sympy.Piecewise))
    if sympy.simplify(piecewise) == 0:
        return "rewritten as one Piecewise and simplified"
    # t ranges over u > 0, -u < 0 and 0; with u positive the branches of Max,
    # Min, Abs and Piecewise at 0 resolve, so the three cases cover every real t.
    cases = [residual.subs(t, _POSITIVE), residual.subs(t, -_POSITIVE), residual.subs(t, 0)]
    if all(sympy.simplify(case) == 0 for case in cases):
        return "case by case for t > 0, t < 0 and t = 0"
    return None
