"""Reference evaluation of networks and group actions, written apart from symequiv's evaluators.

The derivation tests re-check what symequiv reports (witnesses, latent actions)
with arithmetic that shares no code with the library's numpy, Arb or sympy
evaluation: exact ``fractions.Fraction`` arithmetic for piecewise-linear and
polynomial activations, and mpmath at a chosen number of digits otherwise.
Activations are looked up by the name symequiv gives them and rebuilt here from
their textbook formulas.
"""

from __future__ import annotations

import fractions
import pathlib
import re

import mpmath
import sympy

import symequiv

THEORIES = pathlib.Path(__file__).resolve().parents[2] / "theories"
# The exact bundled theories: a theory whose [parameters] name a weights file is
# checked numerically and has no derivation.
BUNDLED = sorted(path.stem for path in THEORIES.glob("*.toml")
                 if not re.search(r"^file\s*=", path.read_text(encoding="utf-8"), re.MULTILINE))
# Theories whose network is an MLP ([model] without another architecture or a layers list).
BUNDLED_MLP = [name for name in BUNDLED
               if not re.search(r'^(architecture = "(attention|conv|deepsets)"|layers = )',
                                (THEORIES / f"{name}.toml").read_text(encoding="utf-8"),
                                re.MULTILINE)]

_BALL = re.compile(r"^\[(?P<mid>\S+) \+/- (?P<radius>\S+)\]$")


def load_bundled(name):
    """Load a bundled theory by its file stem."""
    return symequiv.load(THEORIES / f"{name}.toml")


def bundled_text(name):
    """Return the TOML text of a bundled theory, for tests that edit one value."""
    return (THEORIES / f"{name}.toml").read_text(encoding="utf-8")


# -- numbers -------------------------------------------------------------------------


def to_fraction(value):
    """Convert an int, a Fraction, a string such as ``"-5/4"`` or a sympy rational to a Fraction."""
    if isinstance(value, (int, str, fractions.Fraction)):
        return fractions.Fraction(value)
    value = sympy.sympify(value)
    if not value.is_Rational:
        raise ValueError(f"expected a rational number, got {value}")
    return fractions.Fraction(int(value.p), int(value.q))


def to_mpf(value):
    """Convert a Fraction or a real sympy constant to an mpmath number at the working precision."""
    if isinstance(value, fractions.Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    value = sympy.sympify(value)
    if value.is_Rational:
        return mpmath.mpf(int(value.p)) / int(value.q)
    return mpmath.mpf(str(sympy.N(value, mpmath.mp.dps + 10)))


def parse_ball(text):
    """Return ``(midpoint, radius)`` of an Arb ball printed as ``[m +/- r]`` or as a number."""
    match = _BALL.match(text.strip())
    if match is None:
        return mpmath.mpf(text), mpmath.mpf(0)
    return mpmath.mpf(match["mid"]), mpmath.mpf(match["radius"])


# -- activations ---------------------------------------------------------------------


def _exact_activation(name):
    """Return the activation on Fractions, or None when its values leave the rationals."""
    if name == "identity":
        return lambda t: t
    if name == "relu":
        return lambda t: max(t, fractions.Fraction(0))
    if name.startswith("leaky_relu("):
        slope = fractions.Fraction(name[len("leaky_relu("):-1])
        return lambda t: t if t >= 0 else slope * t
    if name.startswith("power("):
        degree = int(name[len("power("):-1])
        return lambda t: t**degree
    return None


def _mp_activation(name):
    exact = _exact_activation(name)
    if exact is not None:
        if name == "relu":
            return lambda t: max(t, mpmath.mpf(0))
        if name.startswith("leaky_relu("):
            slope = to_mpf(fractions.Fraction(name[len("leaky_relu("):-1]))
            return lambda t: t if t >= 0 else slope * t
        return exact
    formulas = {
        "tanh": mpmath.tanh,
        "sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)),
        "gelu": lambda t: t / 2 * (1 + mpmath.erf(t / mpmath.sqrt(2))),
        "silu": lambda t: t / (1 + mpmath.exp(-t)),
        "softplus": lambda t: mpmath.log(1 + mpmath.exp(t)),
    }
    if name not in formulas:
        raise KeyError(f"no reference formula for the activation {name}")
    return formulas[name]


def is_exactly_computable(network):
    """True when the parameters are rational (once symbols get rational values) and every
    activation maps rationals to rationals (polynomial or piecewise linear)."""
    domain = network.field.domain
    ground = domain.domain if (domain.is_FractionField or domain.is_PolynomialRing) else domain
    if not (ground.is_QQ or ground.is_ZZ):
        return False
    for layer in network.layers:
        if layer.kind == "attention":
            return False
        if layer.activation is not None and _exact_activation(layer.activation.name) is None:
            return False
    return True


# -- networks and maps ---------------------------------------------------------------


class ReferenceNetwork:
    r"""A network's parameters as plain numbers, evaluated without symequiv.

    Parameters
    ----------
    network : Network
        An MLP; free symbols must be given values in ``substitutions``.
    substitutions : dict, optional
        Symbol name to a string such as ``"5"``, as in an ``InputWitness``.
    exact : bool
        Evaluate in Fractions (only for polynomial and piecewise-linear activations);
        otherwise in mpmath at the current working precision.
    """

    def __init__(self, network, substitutions=None, exact=False):
        values = {symbol: sympy.Rational(substitutions[str(symbol)])
                  for symbol in network.field.symbols if substitutions
                  and str(symbol) in substitutions}
        convert = to_fraction if exact else to_mpf

        def numbers(value):
            if isinstance(value, list):
                return [numbers(item) for item in value]
            return convert(sympy.sympify(value).subs(values))

        expressions = network.parameter_expressions()
        self.exact = exact
        self.layers = []
        for index, layer in enumerate(network.layers, start=1):
            parameters = {name[:-len(str(index))]: numbers(value)
                          for name, value in expressions.items()
                          if name.endswith(str(index)) and name[:-len(str(index))]
                          and not name[:-len(str(index))][-1].isdigit()}
            if "W" in parameters and "b" not in parameters:
                # A layer without bias lists no b; its bias is zero.
                parameters["b"] = [0] * len(parameters["W"])
            activation = None
            if getattr(layer, "activation", None) is not None:
                name = layer.activation.name
                activation = _exact_activation(name) if exact else _mp_activation(name)
            self.layers.append(_ReferenceLayer(layer, parameters, activation))

    def _number(self, value):
        if self.exact:
            return to_fraction(value)
        return value if isinstance(value, mpmath.mpf) else to_mpf(to_fraction(value))

    def layer(self, index, vector):
        """Evaluate :math:`f_i` (``index`` from 1) at ``vector``."""
        return self.layers[index - 1](vector, self.exact)

    def __call__(self, vector):
        values = [self._number(value) for value in vector]
        for index in range(1, len(self.layers) + 1):
            values = self.layer(index, values)
        return values


def _affine_rows(weights, bias, vector, activation):
    outputs = []
    for row, offset in zip(weights, bias):
        total = offset + sum(weight * value for weight, value in zip(row, vector))
        outputs.append(total if activation is None else activation(total))
    return outputs


class _ReferenceLayer:
    """One layer of any kind, evaluated from its textbook formula on plain numbers."""

    def __init__(self, layer, parameters, activation):
        self.kind = layer.kind
        self.layer = layer
        self.parameters = parameters
        self.activation = activation

    def __call__(self, vector, exact):
        kind = self.kind
        parameters = self.parameters
        if kind == "dense":
            return _affine_rows(parameters["W"], parameters["b"], vector, self.activation)
        if kind in ("tokenwise", "deepsets"):
            return self._per_token(vector, kind == "deepsets")
        if kind == "conv":
            return self._conv(vector)
        if kind == "attention":
            return self._attention(vector)
        raise KeyError(f"no reference formula for {kind} layers")

    def _tokens(self, vector, size):
        return [list(vector[index * size:(index + 1) * size])
                for index in range(len(vector) // size)]

    def _per_token(self, vector, pooled):
        weights = self.parameters["W"]
        bias = self.parameters["b"]
        tokens = self._tokens(vector, len(weights[0]))
        total = [sum(token[column] for token in tokens) for column in range(len(weights[0]))]
        outputs = []
        for token in tokens:
            for row, offset, index in zip(weights, bias, range(len(weights))):
                value = offset + sum(weight * entry for weight, entry in zip(row, token))
                if pooled:
                    value += sum(weight * entry for weight, entry in
                                 zip(self.parameters["Wpool"][index], total))
                outputs.append(value if self.activation is None else self.activation(value))
        return outputs

    def _conv(self, vector):
        layer = self.layer
        kernel = self.parameters["K"]
        bias = self.parameters["b"]
        height, width = layer.height, layer.width
        middle = (len(kernel[0][0]) - 1) // 2
        outputs = []
        for out_channel, channel_kernel in enumerate(kernel):
            for row in range(height):
                for column in range(width):
                    total = bias[out_channel]
                    for in_channel, plane in enumerate(channel_kernel):
                        for a, kernel_row in enumerate(plane):
                            for b, weight in enumerate(kernel_row):
                                r, c = row + a - middle, column + b - middle
                                if layer.padding == "circular":
                                    r, c = r % height, c % width
                                elif not (0 <= r < height and 0 <= c < width):
                                    continue
                                total += weight * vector[in_channel * height * width
                                                         + r * width + c]
                    outputs.append(total if self.activation is None else self.activation(total))
        return outputs

    def _attention(self, vector):
        layer = self.layer
        parameters = self.parameters
        tokens = self._tokens(vector, layer.features)
        if "E" in parameters:
            tokens = [[value + shift for value, shift in zip(token, encoding)]
                      for token, encoding in zip(tokens, parameters["E"])]

        def apply(matrix, token):
            return [sum(entry * value for entry, value in zip(row, token)) for row in matrix]

        outputs = [[] for _ in tokens]
        for head in range(layer.heads):
            queries = [apply(parameters["WQ"][head], token) for token in tokens]
            keys = [apply(parameters["WK"][head], token) for token in tokens]
            values = [apply(parameters["WV"][head], token) for token in tokens]
            for row, query in enumerate(queries):
                scores = [sum(a * b for a, b in zip(query, key)) for key in keys]
                if "S" in parameters:
                    biases = parameters["S"][head][row]
                    scores = [score + bias for score, bias in zip(scores, biases)]
                weights = [mpmath.exp(score) for score in scores]
                total = sum(weights)
                for coordinate in range(layer.value_dimension):
                    outputs[row].append(sum(weight * value[coordinate] for weight, value
                                            in zip(weights, values)) / total)
        return [value for token in outputs for value in token]


def map_matrix(affine_map, exact=False, substitutions=None):
    """Return ``(rows, translation)`` of an :class:`AffineMap` as plain numbers.

    ``substitutions`` maps symbol names to values, for maps over a field with symbols.
    """
    field = affine_map.field
    values = {symbol: sympy.Rational(substitutions[str(symbol)]) for symbol in field.symbols
              if substitutions and str(symbol) in substitutions}
    convert = to_fraction if exact else to_mpf

    def number(entry):
        return convert(field.to_expr(entry).subs(values))

    rows = [[number(entry) for entry in row] for row in affine_map.linear.rows()]
    shift = [number(entry) for entry in affine_map.translation_or_zero()]
    return rows, shift


def apply_map(affine_map, vector, exact=False, substitutions=None):
    r"""Return :math:`A v + t` computed from the map's rows, without calling its ``apply``."""
    rows, shift = map_matrix(affine_map, exact, substitutions)
    return [offset + sum(entry * value for entry, value in zip(row, vector))
            for row, offset in zip(rows, shift)]


def equivariance_gap(network, action, generator, point, substitutions=None, exact=False):
    r"""Return :math:`f(g x) - g f(x)` coordinatewise, with both sides.

    Returns
    -------
    tuple of lists
        ``(left, right, difference)``.
    """
    reference = ReferenceNetwork(network, substitutions, exact)
    number = to_fraction if exact else (lambda value: to_mpf(to_fraction(value)))
    vector = [number(value) for value in point]
    left = reference(apply_map(action.input[generator], vector, exact, substitutions))
    right = apply_map(action.output[generator], reference(vector), exact, substitutions)
    return left, right, [a - b for a, b in zip(left, right)]


def assert_certified_witness(network, action, witness, digits=60):
    """Re-check an :class:`InputWitness` independently and assert it proves non-equivariance.

    Exact witnesses and networks with rational-valued activations are re-checked
    in Fractions. Others are re-checked with mpmath at ``digits`` digits, and the
    enclosures that symequiv printed must contain the reference values.
    """
    coordinate = witness.coordinate
    point = [fractions.Fraction(value) for value in witness.point]
    exact = witness.exact or is_exactly_computable(network)
    if exact:
        left, right, difference = equivariance_gap(network, action, witness.generator, point,
                                                   witness.substitutions, exact=True)
        assert difference[coordinate] != 0
        if witness.exact:
            assert fractions.Fraction(witness.left) == left[coordinate]
            assert fractions.Fraction(witness.right) == right[coordinate]
            assert fractions.Fraction(witness.difference) == difference[coordinate]
            return
    with mpmath.workdps(digits):
        if exact:
            values = [to_mpf(side[coordinate]) for side in (left, right, difference)]
        else:
            left, right, difference = equivariance_gap(network, action, witness.generator,
                                                       point, witness.substitutions)
            values = [side[coordinate] for side in (left, right, difference)]
            # The sides differ by far more than the rounding error at this precision.
            assert abs(values[2]) > mpmath.mpf(10) ** (10 - digits)
        # Arb prints an interval that contains the exact value, so the reference
        # value must lie inside each printed enclosure.
        for value, printed in zip(values, (witness.left, witness.right, witness.difference)):
            middle, radius = parse_ball(printed)
            assert abs(value - middle) <= radius
