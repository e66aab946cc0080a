r"""The activations symequiv knows, each with exact, numpy and interval forms.

Every :class:`Activation` carries its symbolic formula in the variable ``t``,
a numpy function, an Arb (ball arithmetic) function for certified evaluation,
and its intertwining identities (:mod:`symequiv.activations.symmetry`). The
identities of the named activations are the classical ones:

==================  ========================================  ============================
activation          identities                                latent group K
==================  ========================================  ============================
tanh                odd                                       signed permutations
sigmoid             sigma(-t) = 1 - sigma(t)                  signed permutations, affine
relu                homogeneous (m=1), relu(-t)=relu(t)-t     positive monomial
leaky_relu(a)       homogeneous (m=1), bypass (1+a) t         positive monomial
gelu, silu,         bypass sigma(t) - sigma(-t) = t           permutations
softplus
identity            linear                                    affine group
power m             homogeneous of degree m, odd or even      monomial (odd m),
                                                              positive monomial (even m)
==================  ========================================  ============================

This table is the reference for :mod:`symequiv.activations.discovery`, which
derives the same identities from the formulas (the tests compare the two). A
formula given as ``{ expression = "..." }`` gets the identities that discovery
proves for it, and no others.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy
import scipy.special
import sympy
from sympy.polys.polyerrors import CoercionFailed

from symequiv.activations.discovery import discover_symmetry
from symequiv.activations.symmetry import ActivationSymmetry, NegationIdentity
from symequiv.errors import InputError, LimitError
from symequiv.exact.intervals import arb_relu, expression_to_arb
from symequiv.exact.parser import ACTIVATION_VARIABLE, parse_activation, parse_number

t = ACTIVATION_VARIABLE
MAX_POWER = 32


@dataclass(frozen=True, eq=False)
class Activation:
    r"""A pointwise activation function.

    Attributes
    ----------
    name : str
        A short name such as ``"tanh"``, ``"leaky_relu(1/10)"`` or ``"power(3)"``.
    formula : sympy.Expr
        The exact function of :data:`t`.
    symmetry : ActivationSymmetry
        Its intertwining identities.
    numpy_function : callable
        Vectorized float evaluation.
    arb_function : callable
        Evaluation on one ``flint.arb`` ball; rigorous enclosure of the image.
    determines_neurons : bool
        True when a non-constant neuron :math:`\sigma(w \cdot x + b)` determines
        :math:`(w, b)` up to an admissible scale: then a failed row match
        proves that no latent map exists.
    injective : bool
        True when :math:`\sigma` is injective, so a constant neuron's value
        determines its bias.
    polynomial_degree : int or None
        The degree when :math:`\sigma` is a polynomial.
    piecewise_linear : tuple or None
        ``(slope_below_zero, slope_above_zero)`` for ReLU-like functions.
    """

    name: str
    formula: sympy.Expr
    symmetry: ActivationSymmetry
    numpy_function: object = dataclass_field(repr=False)
    arb_function: object = dataclass_field(repr=False)
    determines_neurons: bool = False
    injective: bool = False
    polynomial_degree: int | None = None
    piecewise_linear: tuple | None = None
    description: str = ""

    def __eq__(self, other):
        return isinstance(other, Activation) and self.name == other.name and (
            self.formula == other.formula
        )

    def __hash__(self):
        return hash((self.name, self.formula))

    def __str__(self):
        return self.name

    @property
    def is_identity(self):
        return self.symmetry.linear

    def exact_value(self, value, field):
        r"""Return :math:`\sigma(v)` as a field element when it lies in the field, else None.

        Polynomials and piecewise-linear functions map the field to itself;
        other activations are evaluated exactly only where the value is
        rational (``tanh(0) = 0``, ``sigmoid(0) = 1/2``).
        """
        if self.polynomial_degree is not None:
            expression = sympy.expand(self.formula.subs(t, field.to_expr(value)))
            try:
                return field.convert(expression)
            except (CoercionFailed, ValueError):
                # A formula with an irrational coefficient leaves the field.
                return None
        if self.piecewise_linear is not None:
            sign = field.sign(value)
            if sign is None:
                return None
            below, above = self.piecewise_linear
            return value * field.convert(above if sign >= 0 else below)
        if value == field.zero:
            at_zero = self.formula.subs(t, 0)
            if at_zero.is_Rational:
                return field.convert(at_zero)
        return None

    def apply_polynomial(self, polynomial):
        """Apply a polynomial activation to a sympy polynomial or expression."""
        if self.polynomial_degree is None:
            raise InputError(f"{self.name} is not a polynomial")
        return self.formula.subs(t, polynomial)


def _numpy_relu(values):
    return numpy.maximum(values, 0)


def _make_leaky(slope):
    slope_float = float(slope)

    def numpy_leaky(values):
        return numpy.where(values >= 0, values, slope_float * values)

    def arb_leaky(value):
        # ((1 + a) t + (1 - a)|t|) / 2 equals the leaky ReLU for every slope a.
        exact_slope = expression_to_arb(slope)
        return ((1 + exact_slope) * value + (1 - exact_slope) * abs(value)) / 2

    return numpy_leaky, arb_leaky


def _gelu_numpy(values):
    return 0.5 * values * (1.0 + scipy.special.erf(values / numpy.sqrt(2.0)))


def _gelu_arb(value):
    import flint

    return value * (1 + (value / flint.arb(2).sqrt()).erf()) / 2


def _sigmoid_arb(value):
    return 1 / (1 + (-value).exp())


def _softplus_arb(value):
    return value.exp().log1p()


BYPASS = NegationIdentity(sympy.Integer(1), sympy.Integer(-1), sympy.Integer(0))
ODD = NegationIdentity(sympy.Integer(-1), sympy.Integer(0), sympy.Integer(0))
EVEN = NegationIdentity(sympy.Integer(1), sympy.Integer(0), sympy.Integer(0))


def _named():
    return {
        "tanh": Activation(
            "tanh", sympy.tanh(t), ActivationSymmetry(negation=ODD),
            numpy.tanh, lambda value: value.tanh(),
            determines_neurons=True, injective=True,
            description="odd: tanh(-t) = -tanh(t)",
        ),
        "sigmoid": Activation(
            "sigmoid", 1 / (1 + sympy.exp(-t)),
            ActivationSymmetry(negation=NegationIdentity(sympy.Integer(-1), sympy.Integer(0),
                                                         sympy.Integer(1))),
            scipy.special.expit, _sigmoid_arb,
            determines_neurons=True, injective=True,
            description="sigmoid(-t) = 1 - sigmoid(t)",
        ),
        "relu": Activation(
            "relu", sympy.Max(t, 0), ActivationSymmetry(negation=BYPASS, homogeneity=1),
            _numpy_relu, arb_relu,
            determines_neurons=True, piecewise_linear=(sympy.Integer(0), sympy.Integer(1)),
            description="positively homogeneous; relu(t) - relu(-t) = t",
        ),
        "gelu": Activation(
            "gelu", t / 2 * (1 + sympy.erf(t / sympy.sqrt(2))), ActivationSymmetry(negation=BYPASS),
            _gelu_numpy, _gelu_arb, determines_neurons=True,
            description="gelu(t) - gelu(-t) = t",
        ),
        "silu": Activation(
            "silu", t / (1 + sympy.exp(-t)), ActivationSymmetry(negation=BYPASS),
            lambda values: values * scipy.special.expit(values),
            lambda value: value * _sigmoid_arb(value), determines_neurons=True,
            description="silu(t) - silu(-t) = t",
        ),
        "softplus": Activation(
            "softplus", sympy.log(1 + sympy.exp(t)), ActivationSymmetry(negation=BYPASS),
            lambda values: numpy.logaddexp(0.0, values), _softplus_arb,
            determines_neurons=True, injective=True,
            description="softplus(t) - softplus(-t) = t",
        ),
        "identity": Activation(
            "identity", t, ActivationSymmetry(linear=True),
            lambda values: values, lambda value: value,
            determines_neurons=True, injective=True, polynomial_degree=1,
            description="linear",
        ),
    }


NAMED = _named()


def leaky_relu(slope):
    r"""Return the leaky ReLU :math:`\max(t, a t)`-style function with negative slope ``a``.

    The slopes 1 (the identity), 0 (ReLU) and -1 (:math:`|t|`) have extra
    symmetry and are returned as those functions' entries.
    """
    slope = sympy.Rational(slope) if not isinstance(slope, sympy.Expr) else slope
    if slope == 1:
        return NAMED["identity"]
    if slope == 0:
        return NAMED["relu"]
    numpy_leaky, arb_leaky = _make_leaky(slope)
    formula = sympy.Piecewise((t, t >= 0), (slope * t, True))
    if slope == -1:
        return Activation(
            "leaky_relu(-1)", formula, ActivationSymmetry(negation=EVEN, homogeneity=1),
            numpy_leaky, arb_leaky, determines_neurons=True,
            piecewise_linear=(slope, sympy.Integer(1)),
            description="|t|: even and positively homogeneous",
        )
    bypass = NegationIdentity(sympy.Integer(1), -(1 + slope), sympy.Integer(0))
    return Activation(
        f"leaky_relu({slope})", formula, ActivationSymmetry(negation=bypass, homogeneity=1),
        numpy_leaky, arb_leaky,
        # A slope a with a^2 = 1 was handled above; for the others a neuron's kink
        # and the two slopes fix (w, b) up to a positive scale.
        determines_neurons=True, injective=bool(slope > 0),
        piecewise_linear=(slope, sympy.Integer(1)),
        description=f"positively homogeneous; sigma(t) - sigma(-t) = {1 + slope} t",
    )


def power(degree):
    r"""Return :math:`t^m` for an integer ``degree`` :math:`m \ge 1`."""
    if isinstance(degree, bool) or not isinstance(degree, int) or degree < 1:
        raise InputError(f"the power must be a positive integer, got {degree!r}", value=degree)
    if degree > MAX_POWER:
        raise LimitError(f"the power {degree} exceeds the maximum {MAX_POWER}", value=degree)
    if degree == 1:
        return NAMED["identity"]
    negation = ODD if degree % 2 else EVEN
    return Activation(
        f"power({degree})", t**degree, ActivationSymmetry(negation=negation, homogeneity=degree),
        lambda values: values**degree, lambda value: value**degree,
        # (w.x + b)^m determines its linear factor up to a scale c with c^m fixed.
        determines_neurons=True, injective=bool(degree % 2), polynomial_degree=degree,
        description=f"homogeneous of degree {degree}, {'odd' if degree % 2 else 'even'}",
    )


def from_expression(text):
    r"""Return the activation given by a formula in ``t``, with the identities proved for it.

    The latent group comes from :func:`~symequiv.activations.discovery.discover_symmetry`:
    only identities proved exactly are used. ``determines_neurons`` and
    ``injective`` stay False, because nothing proves them for an arbitrary
    formula; a failed match is then never taken as proof that no latent map
    exists.
    """
    formula = parse_activation(text)
    function = sympy.lambdify(t, formula, modules=["numpy", "scipy"])

    def numpy_function(values):
        return numpy.asarray(function(values), dtype=float) * numpy.ones_like(values)

    def arb_function(value):
        return expression_to_arb(formula, {t: value})

    polynomial_degree = None
    if formula.is_polynomial(t):
        polynomial_degree = int(sympy.degree(formula, t))
    discovery = discover_symmetry(formula)
    proved = discovery.proved_names()
    description = ("custom formula; proved identities: " + ", ".join(proved) if proved
                   else "custom formula; no identity proved, so only permutations are assumed")
    return Activation(
        f"expression({text.strip()})", formula, discovery.symmetry,
        numpy_function, arb_function, polynomial_degree=polynomial_degree,
        description=description,
    )


def parse_activation_spec(value):
    r"""Return the activation for one ``activation`` value of a theory file.

    Parameters
    ----------
    value : str or dict
        A name (``"tanh"``, ``"sigmoid"``, ``"relu"``, ``"gelu"``, ``"silu"``,
        ``"softplus"``, ``"identity"``) or a table ``{ leaky_relu = "1/10" }``,
        ``{ power = 3 }``, ``{ expression = "t^3 + t" }``.

    Raises
    ------
    InputError
    """
    if isinstance(value, str):
        if value in NAMED:
            return NAMED[value]
        if value == "leaky_relu":
            raise InputError('leaky_relu needs its negative slope: { leaky_relu = "1/10" }',
                             value=value)
        raise InputError(
            f"unknown activation {value!r}; expected one of {sorted(NAMED)} or a table "
            '{ leaky_relu = "1/10" }, { power = 3 }, { expression = "..." }',
            value=value,
        )
    if isinstance(value, dict) and len(value) == 1:
        (kind, argument), = value.items()
        if kind == "leaky_relu":
            slope = parse_number(argument)
            if not slope.is_Rational:
                raise InputError(f"the leaky_relu slope must be rational, got {slope}",
                                 value=argument)
            return leaky_relu(slope)
        if kind == "power":
            return power(argument)
        if kind == "expression":
            if not isinstance(argument, str):
                raise InputError("an expression activation must be a string in t",
                                 value=argument)
            return from_expression(argument)
    raise InputError(
        f"invalid activation {value!r}; expected a name or one of "
        '{ leaky_relu = "1/10" }, { power = 3 }, { expression = "..." }',
        value=value,
    )
