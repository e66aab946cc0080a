r"""The kernel: re-checks a symequiv certificate with exact arithmetic, independently of the engine.

It imports only the standard library, and sympy only to re-derive the
intertwining identities :math:`\sigma(c t) = \lambda \sigma(t) + \mu` and exact
activation values. Numbers are :class:`fractions.Fraction` or, with free
symbols, rational functions compared by cross-multiplication; irrational
numbers are rejected as unsupported. Input witnesses are re-evaluated in
rational interval arithmetic whose exp, log and erf enclosures carry explicit
Taylor remainder bounds. Conventions (the certificate format, version 1, is in
docs/certificates.md): vectors are columns, a monomial map sends
:math:`e_j` to :math:`s_j e_{\pi(j)}`, words act right to left, layer
:math:`i` is :math:`f_i(x) = \sigma_i(W_i x + b_i)` and the last is affine.
Trusted facts beyond arithmetic: Sussmann's theorem, the rank criterion for
linear networks, and that the named activations determine their neurons up to
the admissible scales (used by a first-layer mismatch).

Run it standalone as ``python symequiv/kernel.py CERT.json``.
"""

from __future__ import annotations

import json
import math
import operator
import re
import sys
from fractions import Fraction

VERSION = 1
MAX_GROUP_ORDER = 100_000
PRECISIONS = (64, 128, 256, 512, 1024, 2048)


class Rejected(Exception):
    """The certificate does not prove its claims; ``check`` names the failed check."""

    def __init__(self, check, message):
        super().__init__(message if check == "file" else f"{check}: {message}")
        self.check = check


class Unsupported(Rejected):
    """The certificate may be right, but the kernel cannot re-check this case."""


class Malformed(Rejected):
    """The file is not a certificate of this format."""


# -- numbers: Fraction, or rational functions of free symbols ---------------------------------

def _padd(p, q):
    result = dict(p)
    for key, value in q.items():
        total = result.get(key, 0) + value
        if total:
            result[key] = total
        else:
            result.pop(key, None)
    return result


def _pmul(p, q):
    result = {}
    for k1, v1 in p.items():
        for k2, v2 in q.items():
            key = tuple(map(operator.add, k1, k2))
            result[key] = result.get(key, 0) + v1 * v2
    return {key: value for key, value in result.items() if value}


class RationalFunction:
    """A quotient of polynomials (``{exponents: Fraction}``) in the certificate's symbols."""

    __slots__ = ("den", "num", "zero")

    def __init__(self, num, den, zero):
        self.num, self.den, self.zero = num, den, zero

    def lift(self, other):
        if isinstance(other, RationalFunction):
            return other
        return RationalFunction({self.zero: Fraction(other)} if other else {}, {self.zero: 1},
                                self.zero)

    def __add__(self, other):
        other = self.lift(other)
        num = _padd(_pmul(self.num, other.den), _pmul(other.num, self.den))
        return RationalFunction(num, _pmul(self.den, other.den), self.zero)

    def __neg__(self):
        return RationalFunction({k: -v for k, v in self.num.items()}, self.den, self.zero)

    def __mul__(self, other):
        other = self.lift(other)
        return RationalFunction(_pmul(self.num, other.num), _pmul(self.den, other.den),
                                self.zero)

    def __truediv__(self, other):
        other = self.lift(other)
        if not other.num:
            raise Rejected("arithmetic", "division by zero")
        return RationalFunction(_pmul(self.num, other.den), _pmul(self.den, other.num),
                                self.zero)

    __radd__, __rmul__ = __add__, __mul__

    def __sub__(self, other):
        return self + -self.lift(other)

    def __rsub__(self, other):
        return self.lift(other) - self

    def __rtruediv__(self, other):
        return self.lift(other) / self

    def __bool__(self):
        return bool(self.num)

    def __eq__(self, other):
        other = self.lift(other)
        return not (self - other).num

    def __hash__(self):
        # Equal functions need equal hashes; only constants have a canonical form here.
        if set(self.num) <= {self.zero} and set(self.den) == {self.zero}:
            return hash(self.num.get(self.zero, 0) / self.den[self.zero])
        return 0

    def __pow__(self, exponent):
        base = self if exponent >= 0 else 1 / self
        result = self.lift(1)
        for _ in range(abs(exponent)):
            result = result * base
        return result

    def constant(self):
        if set(self.num) <= {self.zero} and set(self.den) == {self.zero}:
            return self.num.get(self.zero, Fraction(0)) / self.den[self.zero]
        raise Unsupported("sign", "a sign or an interval of a value that depends on free "
                                  "symbols is not decided by the kernel")


# ASCII only: \d also matches other scripts' digits, which Fraction reads as numbers too.
_RATIONAL = re.compile(r"-?\d{1,4000}(?:/\d{1,4000}|\.\d{1,4000})?", re.ASCII)
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/^()]))",
                    re.ASCII)


class Numbers:
    """Parses the certificate's exact strings, caching repeated values."""

    def __init__(self, description):
        kind = description.get("kind") if isinstance(description, dict) else None
        if kind == "algebraic":
            # NOTE: radicals and cos(pi/7) would need polynomials modulo a minimal polynomial.
            raise Unsupported("numbers", f"unsupported by the kernel: numbers in "
                              f"{description.get('field')}; the kernel computes with rationals "
                              "and rational functions of free symbols only")
        if kind not in ("rational", "rational functions"):
            raise Malformed("numbers", f"unknown kind {kind!r}")
        self.symbols = description.get("symbols", []) if kind != "rational" else []
        if not isinstance(self.symbols, list) or not all(
                isinstance(name, str) for name in self.symbols):
            raise Malformed("numbers.symbols", "expected a list of names")
        self.zero = (0,) * len(self.symbols)
        self.cache = {}

    def __call__(self, text, where="number"):
        if not isinstance(text, str) or len(text) > 8000:
            raise Malformed(where, f"expected an exact number as a string, got {text!r:.80}")
        value = self.cache.get(text)
        if value is None:
            if _RATIONAL.fullmatch(text):
                if re.search(r"/0+$", text):
                    raise Malformed(where, f"division by zero in {text!r}")
                value = Fraction(text)
                value = value.numerator if value.denominator == 1 else value
            elif self.symbols:
                value = self._parse(text, where)
            else:
                raise Malformed(where, f"expected a rational number such as '-3/4', got {text!r}")
            self.cache[text] = value
        return value

    def _parse(self, text, where):
        tokens = [next(filter(None, match.groups())) for match in _TOKEN.finditer(text)]
        if "".join(tokens) != re.sub(r"\s+", "", text):
            raise Malformed(where, f"invalid expression {text!r}")
        position = [0]

        def peek():
            return tokens[position[0]] if position[0] < len(tokens) else None

        def take():
            if peek() is None:
                raise Malformed(where, f"unexpected end of {text!r}")
            position[0] += 1
            return tokens[position[0] - 1]

        def atom():
            token = take()
            if token == "(":
                value = expression()
                if take() != ")":
                    raise Malformed(where, f"unbalanced parentheses in {text!r}")
                return value
            if token[0].isdigit():
                return RationalFunction({}, {}, self.zero).lift(Fraction(token))
            if token in self.symbols:
                exponents = tuple(int(name == token) for name in self.symbols)
                return RationalFunction({exponents: Fraction(1)}, {self.zero: 1}, self.zero)
            raise Malformed(where, f"unexpected {token!r} in {text!r}")

        def unary():
            if peek() == "-":
                take()
                return -unary()
            base = atom()
            if peek() in ("^", "**"):
                take()
                sign = -1 if peek() == "-" and take() else 1
                exponent = take()
                if not exponent.isdigit() or int(exponent) > 64:
                    raise Malformed(where, f"exponents must be integers up to 64 in {text!r}")
                return base ** (sign * int(exponent))
            return base

        def expression():
            value = term()
            while peek() in ("+", "-"):
                value = value + term() if take() == "+" else value - term()
            return value

        def term():
            value = unary()
            while peek() in ("*", "/"):
                value = value * unary() if take() == "*" else value / unary()
            return value

        value = expression()
        if peek() is not None:
            raise Malformed(where, f"unexpected {peek()!r} in {text!r}")
        return value


def _divide(a, b):
    """Divide exactly: ``int / int`` would give a float."""
    return (Fraction(a) if isinstance(a, int) else a) / b


def _sign(value):
    value = value.constant() if isinstance(value, RationalFunction) else value
    return (value > 0) - (value < 0)


# -- maps: monomial (images, scales) or dense rows, with an optional translation ---------------

class Map:
    """An affine map: monomial when ``images`` is set, else dense ``rows``; ``shift`` or None."""

    def __init__(self, images=None, scales=None, rows=None, shift=None):
        if rows is not None:  # a monomial matrix is always stored as one, so keys are canonical
            nonzero = [[j for j, x in enumerate(row) if x] for row in rows]
            if all(len(js) == 1 for js in nonzero) and len({js[0] for js in nonzero}) == len(rows):
                images, scales = [0] * len(rows), [0] * len(rows)
                for i, (j,) in enumerate(nonzero):
                    images[j], scales[j] = i, rows[i][j]
                images, scales, rows = tuple(images), tuple(scales), None
        self.images, self.scales, self.rows, self.shift = images, scales, rows, shift
        self.dimension = len(images if images is not None else rows)
        if shift is not None and not any(shift):
            self.shift = None
        self.pre = None

    def dense(self):
        if self.rows is not None:
            return self.rows
        rows = [[0] * self.dimension for _ in range(self.dimension)]
        for column, (row, scale) in enumerate(zip(self.images, self.scales)):
            rows[row][column] = scale
        return tuple(map(tuple, rows))

    def key(self):
        return (self.images, self.scales, self.rows, self.shift)

    def __eq__(self, other):
        return self.key() == other.key()

    def linear(self, vector):
        if self.images is None:
            return tuple(sum(map(operator.mul, row, vector)) for row in self.rows)
        result = [None] * self.dimension
        for column, (row, scale) in enumerate(zip(self.images, self.scales)):
            result[row] = scale * vector[column]
        return tuple(result)

    def apply(self, vector):
        result = self.linear(vector)
        return result if self.shift is None else tuple(map(operator.add, result, self.shift))

    def after(self, other):
        """Return ``self`` composed after ``other``."""
        shift = None if other.shift is None else self.linear(other.shift)
        if self.shift is not None:
            shift = self.shift if shift is None else tuple(map(operator.add, shift, self.shift))
        if self.images is not None and other.images is not None:
            images = tuple(self.images[image] for image in other.images)
            scales = tuple(self.scales[image] * scale
                           for image, scale in zip(other.images, other.scales))
            return Map(images, scales, shift=shift)
        return Map(rows=_times(self.dense(), other.dense()), shift=shift)

    def inverse(self):
        if self.images is not None:
            preimages = [0] * self.dimension
            for column, row in enumerate(self.images):
                preimages[row] = column
            linear = Map(tuple(preimages), tuple(_divide(1, self.scales[c]) for c in preimages))
        else:
            linear = Map(rows=_solve(self.rows))
        return linear if self.shift is None else Map(
            linear.images, linear.scales, linear.rows, tuple(-x for x in linear.linear(self.shift)))

    def power(self, exponent):
        result = Map(tuple(range(self.dimension)), (1,) * self.dimension)
        base = self if exponent >= 0 else self.inverse()
        exponent = abs(exponent)
        while exponent:  # repeated squaring, since words allow exponents up to 10^7
            if exponent & 1:
                result = result.after(base)
            exponent >>= 1
            base = base.after(base) if exponent else base
        return result

    def is_identity(self):
        return self.shift is None and self == Map(tuple(range(self.dimension)),
                                                  (1,) * self.dimension)


def _times(left, right):
    columns = list(zip(*right))
    return tuple(tuple(sum(map(operator.mul, row, column)) for column in columns)
                 for row in left)


def _eliminate(rows, extra=0):
    """Gauss-Jordan elimination; returns the reduced rows and the pivot columns."""
    rows = [list(row) for row in rows]
    pivots = []
    for column in range(len(rows[0]) - extra if rows else 0):
        pivot = next((r for r in range(len(pivots), len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        top = len(pivots)
        rows[top], rows[pivot] = rows[pivot], rows[top]
        rows[top] = [_divide(x, rows[top][column]) for x in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[top])]
        pivots.append(column)
    return rows, pivots


def _solve(rows):
    n = len(rows)
    augmented = [list(row) + [int(i == j) for j in range(n)] for i, row in enumerate(rows)]
    reduced, pivots = _eliminate(augmented, extra=n)
    if len(pivots) < n:
        raise Rejected("invertibility", "a dense map is singular")
    return tuple(tuple(row[n:]) for row in reduced)


# -- activations: admissible scales, formulas for sympy, interval enclosures --------------------

def _activation(name):
    match = re.fullmatch(r"(leaky_relu|power)\((-?\d+(?:/\d+)?)\)", name, re.ASCII)
    argument = Fraction(match.group(2)) if match else None
    if match and match.group(1) == "leaky_relu" and argument == 1:
        # Slope 1 makes the function the identity, which is affine and admits every scale.
        name, match = "identity", None
    if match and match.group(1) == "power":
        if argument.denominator != 1 or not 2 <= argument <= 32:
            raise Malformed("network.activations", f"invalid power {name!r}")
        m = int(argument)
        return "nonzero", lambda s, x: x**m, lambda i, p: _hull(i, lambda x: x**m)
    if match:
        scales = "nonzero" if argument == -1 else "positive"
        return scales, lambda s, x: s.Piecewise((x, x >= 0), (s.Rational(
            argument.numerator, argument.denominator) * x, True)), lambda i, p: _hull(
            i, lambda x: x if x >= 0 else argument * x)
    table = {
        "tanh": ("sign", lambda s, x: s.tanh(x), lambda i, p: _monotone(i, p, _tanh)),
        "sigmoid": ("sign", lambda s, x: 1 / (1 + s.exp(-x)),
                    lambda i, p: _monotone(i, p, _sigmoid)),
        "relu": ("positive", lambda s, x: s.Max(x, 0), lambda i, p: _hull(i, lambda x: max(x, 0))),
        "gelu": ("one", lambda s, x: x / 2 * (1 + s.erf(x / s.sqrt(2))), _gelu),
        "silu": ("one", lambda s, x: x / (1 + s.exp(-x)),
                 lambda i, p: _product(i, _monotone(i, p, _sigmoid))),
        "softplus": ("one", lambda s, x: s.log(1 + s.exp(x)),
                     lambda i, p: _monotone(i, p, _softplus)),
        "identity": ("affine", lambda s, x: x, lambda i, p: i),
    }
    if name in table:
        return table[name]
    if name.startswith("expression("):
        return None, None, None
    raise Malformed("network.activations", f"unknown activation {name!r}")


def _sympy_value(value, numbers):
    import sympy

    if isinstance(value, RationalFunction):
        symbols = [sympy.Symbol(name, real=True) for name in numbers.symbols]

        def poly(terms):
            return sum((sympy.Rational(c.numerator, c.denominator) * sympy.Mul(
                *(s**e for s, e in zip(symbols, key))) for key, c in terms.items()),
                sympy.Integer(0))
        return poly(value.num) / poly(value.den)
    value = Fraction(value)
    return sympy.Rational(value.numerator, value.denominator)


def _vanishes(expression):
    import sympy

    return sympy.simplify(expression) == 0


def _identity_holds(formula, numbers, scale, factor, shift):
    r"""Re-derive :math:`\sigma(c t) = \lambda \sigma(t) + \mu` for t > 0, t < 0 and t = 0."""
    if scale == 1 and factor == 1 and not shift:
        return True
    if formula is None:
        return False
    import sympy

    t = sympy.Symbol("t", positive=True)
    c, lam, mu = (_sympy_value(v, numbers) for v in (scale, factor, shift))
    return all(_vanishes(formula(sympy, c * x) - lam * formula(sympy, x) - mu)
               for x in (t, -t, sympy.Integer(0)))


def _value_holds(formula, numbers, new, factor, old, shift):
    r"""Check :math:`\sigma(\text{new}) = \lambda \sigma(\text{old}) + \mu` exactly."""
    if new == old and factor == 1 and not shift:
        return True
    if formula is None:
        return False
    import sympy

    new, lam, old, mu = (_sympy_value(v, numbers) for v in (new, factor, old, shift))
    return _vanishes(formula(sympy, new) - lam * formula(sympy, old) - mu)


# -- rational interval arithmetic ----------------------------------------------------------------

def _round(x, bits, up):
    if not x:
        return Fraction(0)
    shift = bits - (x.numerator.bit_length() - x.denominator.bit_length())
    scaled = x * Fraction(2) ** shift
    return Fraction(math.ceil(scaled) if up else math.floor(scaled)) / Fraction(2) ** shift


def _hull(interval, function):
    lo, hi = interval
    values = [function(lo), function(hi)] + ([function(Fraction(0))] if lo < 0 < hi else [])
    return min(values), max(values)


def _product(first, second):
    values = [a * b for a in first for b in second]
    return min(values), max(values)


def _monotone(interval, bits, function):
    return function(interval[0], bits)[0], function(interval[1], bits)[1]


def _exp(q, bits):
    r"""Enclose :math:`e^q`: the Taylor series of :math:`e^{q/2^k}`, then k squarings."""
    if q < 0:
        lo, hi = _exp(-q, bits)
        return _round(1 / hi, bits, False), _round(1 / lo, bits, True)
    k = max(0, math.ceil(2 * q).bit_length())
    r, precision = q / 2**k, bits + k + 8
    total, term, n = Fraction(1), Fraction(1), 0
    while n < 2 or term >= Fraction(1, 2**precision):
        n += 1
        term = term * r / n
        total += term
    # For 0 <= r <= 1/2 the tail after the term r^n/n! is below that term.
    lo, hi = _round(total, precision, False), _round(total + term, precision, True)
    for _ in range(k):
        lo, hi = _round(lo * lo, precision, False), _round(hi * hi, precision, True)
    return lo, hi


def _atanh(z, bits):
    """Enclose atanh(z) for |z| <= 1/3, where the tail after a term is below that term."""
    total, n, term = Fraction(0), 0, z
    while n < 2 or abs(term) >= Fraction(1, 2 ** (bits + 8)):
        term = z ** (2 * n + 1) / (2 * n + 1)
        total += term
        n += 1
    return total - abs(term), total + abs(term)


def _log(y, bits):
    """Enclose log(y) = e log 2 + 2 atanh((m - 1)/(m + 1)) with y = m 2^e and 1/2 < m < 2."""
    e = y.numerator.bit_length() - y.denominator.bit_length()
    m = y / Fraction(2) ** e
    lo2, hi2 = _atanh(Fraction(1, 3), bits + abs(e).bit_length())
    lo, hi = _atanh((m - 1) / (m + 1), bits)
    scaled = sorted((2 * e * lo2, 2 * e * hi2))
    return _round(scaled[0] + 2 * lo, bits, False), _round(scaled[1] + 2 * hi, bits, True)


def _tiny(bits):
    # For |q| > bits, e^-|q| < 2^(-1.44 |q|) < 2^-bits: far tails need no exp of a huge number.
    return Fraction(1, 2**bits)


def _tanh(q, bits):
    if abs(q) > bits:
        return (1 - 2 * _tiny(bits), Fraction(1)) if q > 0 else (Fraction(-1), 2 * _tiny(bits) - 1)
    lo, hi = _exp(2 * q, bits + 4)
    return 1 - 2 / (lo + 1), 1 - 2 / (hi + 1)


def _sigmoid(q, bits):
    if abs(q) > bits:
        return (1 - _tiny(bits), Fraction(1)) if q > 0 else (Fraction(0), _tiny(bits))
    lo, hi = _exp(-q, bits + 4)
    return 1 / (1 + hi), 1 / (1 + lo)


def _softplus(q, bits):
    if abs(q) > bits:  # log(1 + e^q) lies in [q, q + e^-q] above and in [0, e^q] below
        return (q, q + _tiny(bits)) if q > 0 else (Fraction(0), _tiny(bits))
    lo, hi = _exp(q, bits + 4)
    return _log(1 + lo, bits)[0], _log(1 + hi, bits)[1]


def _sqrt(x, bits):
    root = math.isqrt(math.floor(x * 4**bits))
    return Fraction(root, 2**bits), Fraction(root + 1, 2**bits)


def _pi(bits):
    """Enclose pi = 16 atan(1/5) - 4 atan(1/239); alternating tails are below the last term."""
    def atan_inverse(m):
        total, k, term = Fraction(0), 0, Fraction(1)
        while k < 2 or term >= Fraction(1, 2 ** (bits + 8)):
            term = Fraction(1, (2 * k + 1) * m ** (2 * k + 1))
            total += term if k % 2 == 0 else -term
            k += 1
        return total - term, total + term
    a, b = atan_inverse(5), atan_inverse(239)
    return 16 * a[0] - 4 * b[1], 16 * a[1] - 4 * b[0]


def _erf(q, bits):
    r"""Enclose erf(q) = (2/\sqrt\pi) \sum (-1)^n q^{2n+1} / (n! (2n+1)), or by erfc for |q| > 8."""
    pi = _pi(bits + 8)
    two_over_root_pi = (2 / _sqrt(pi[1], bits + 8)[1], 2 / _sqrt(pi[0], bits + 8)[0])
    if abs(q) > 8:  # 0 < erfc(x) < exp(-x^2) / (x sqrt(pi)) for x > 0
        tail = _tiny(bits) if q * q > bits else (
            _exp(-q * q, bits)[1] * two_over_root_pi[1] / (2 * abs(q)))
        return (1 - tail, Fraction(1)) if q > 0 else (Fraction(-1), tail - 1)
    total, n, term = Fraction(0), 0, q
    # The terms alternate and decrease once n > q^2, so the tail is below the next term.
    while n <= q * q or abs(term) >= Fraction(1, 2 ** (bits + 8)):
        total += term / (2 * n + 1)
        n += 1
        term = -term * q * q / n
    lo, hi = _product((total - abs(term), total + abs(term)), two_over_root_pi)
    return _round(lo, bits, False), _round(hi, bits, True)


def _gelu(interval, bits):
    lo, hi = _sqrt(Fraction(2), bits + 8)
    scaled = _product(interval, (1 / hi, 1 / lo))
    erf = _erf(scaled[0], bits)[0], _erf(scaled[1], bits)[1]
    return _product(interval, ((1 + erf[0]) / 2, (1 + erf[1]) / 2))


# -- reading the certificate ---------------------------------------------------------------------

def _get(data, key, kind, where):
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise Malformed(f"{where}.{key}", f"expected {getattr(kind, '__name__', kind)}, "
                                          f"got {type(value).__name__}")
    return value


def _vector(numbers, values, length, where):
    if not isinstance(values, list) or len(values) != length:
        raise Malformed(where, f"expected a list of {length} numbers")
    try:
        # The cache holds only strings already parsed, so a row of them needs no checks.
        return tuple(map(numbers.cache.__getitem__, values))
    except (KeyError, TypeError):
        return tuple(numbers(value, where) for value in values)


def _matrix(numbers, rows, shape, where):
    if not isinstance(rows, list) or len(rows) != shape[0]:
        raise Malformed(where, f"expected {shape[0]} rows of {shape[1]} numbers")
    return tuple(_vector(numbers, row, shape[1], f"{where}[{i}]") for i, row in enumerate(rows))


def _map(numbers, data, dimension, where):
    shift = data.get("translation") if isinstance(data, dict) else None
    shift = None if shift is None else _vector(numbers, shift, dimension, f"{where}.translation")
    if isinstance(data, dict) and "images" in data:
        images = data["images"]
        if not isinstance(images, list) or not all(type(i) is int for i in images) or sorted(
                images) != list(range(dimension)):
            raise Malformed(f"{where}.images", f"expected a permutation of 0..{dimension - 1}")
        scales = _vector(numbers, data.get("scales"), dimension, f"{where}.scales")
        if not all(scales):
            raise Rejected(where, "a monomial map has a zero scale, so it is not invertible")
        return Map(tuple(images), scales, shift=shift)
    rows = _matrix(numbers, data.get("matrix") if isinstance(data, dict) else None,
                   (dimension, dimension), f"{where}.matrix")
    if len(_eliminate(rows)[1]) < dimension:
        raise Rejected(where, "the matrix is singular")
    return Map(rows=rows, shift=shift)


def _latent(numbers, data, dimension, where):
    result = _map(numbers, data, dimension, where)
    scales = data.get("preactivation_scales")
    if scales is not None:
        if not isinstance(scales, list) or len(scales) != dimension:
            raise Malformed(f"{where}.preactivation_scales", f"expected {dimension} entries")
        result.pre = tuple(None if value is None else numbers(value, where) for value in scales)
    return result


def _word(text, generators, where):
    if not isinstance(text, str):
        raise Malformed(where, f"expected a word, got {text!r}")
    letters = []
    for part in ([] if text.strip() == "e" else text.split()):
        match = re.fullmatch(r"([A-Za-z_]\w*)(?:\^(-?\d{1,7}))?", part, re.ASCII)
        if match is None or match.group(1) not in generators:
            raise Malformed(where, f"invalid word {text!r}")
        letters.append((match.group(1), int(match.group(2) or 1)))
    return letters


def _identity(dimension):
    return Map(tuple(range(dimension)), (1,) * dimension)


def _evaluate(word, maps, dimension):
    result = _identity(dimension)
    for name, exponent in word:
        result = result.after(maps[name].power(exponent))
    return result


def _precompose(weights, bias, affine):
    r"""Return :math:`(W A, W t + b)` for the map :math:`x \mapsto A x + t`."""
    if affine.images is None:
        moved = _times(weights, affine.rows)
    elif all(scale == 1 for scale in affine.scales):
        moved = tuple(tuple(row[i] for i in affine.images) for row in weights)
    else:
        pairs = tuple(zip(affine.images, affine.scales))
        moved = tuple(tuple(row[i] * s for i, s in pairs) for row in weights)
    if affine.shift is None:
        return moved, bias
    return moved, tuple(sum(map(operator.mul, row, affine.shift)) + b
                        for row, b in zip(weights, bias))


def _evaluate_interval(parameters, activations, values, bits):
    """Enclose the network's output on a list of intervals, layer by layer."""
    for i, (weights, bias) in enumerate(parameters):
        outputs = []
        for row, b in zip(weights, bias):
            lo = hi = b
            for w, (a, c) in zip(row, values):
                if w:
                    lo, hi = (lo + w * a, hi + w * c) if w > 0 else (lo + w * c, hi + w * a)
            outputs.append((lo, hi))
        values = outputs if i == len(activations) else [
            activations[i][2](value, bits) for value in outputs]
    return values


def _inside(enclosure, bound):
    return bound[0] <= enclosure[0] and enclosure[1] <= bound[1]


def _text(word):
    return " ".join(name if e == 1 else f"{name}^{e}" for name, e in word) or "e"


EVIDENCE = {  # evidence kind -> the properties and statuses it can establish
    "latent actions": {"end_to_end_equivariant": "proved", "layerwise_equivariant": "proved",
                       "layerwise_after_reparameterization": "proved"},
    "input witness": {"end_to_end_equivariant": "refuted", "layerwise_equivariant": "refuted",
                      "layerwise_after_reparameterization": "refuted"},
    "first-layer mismatch": {"layerwise_equivariant": "refuted"},
    "two relations": {"identifiable": "refuted"},
    "no hidden layer": {"identifiable": "proved"},
    "Sussmann (1992)": {"identifiable": None},
    "rank criterion for linear networks": {"identifiable": None},
}


class Certificate:
    """A parsed certificate; each ``check_*`` method raises :class:`Rejected` when a check fails."""

    def __init__(self, data):
        if not isinstance(data, dict) or data.get("format") != "symequiv certificate":
            raise Malformed("format", "not a symequiv certificate")
        version = data.get("version")
        # JSON true and 1.0 compare equal to 1 in Python, so the type is checked too.
        if type(version) is not int or version != VERSION:
            raise Unsupported("version", f"unsupported by the kernel: certificate version "
                                         f"{version!r}; this kernel reads {VERSION}")
        self.data = data
        self.numbers = Numbers(data.get("numbers"))
        self._read_network(_get(data, "network", dict, "certificate"))
        self._read_group(_get(data, "group", dict, "certificate"))
        self.identities = self._identities(_get(data, "identities", list, "certificate"))
        self.checked = {}

    def _read_network(self, network):
        self.widths = _get(network, "widths", list, "network")
        if len(self.widths) < 2 or not all(isinstance(w, int) and w > 0 for w in self.widths):
            raise Malformed("network.widths", "expected at least two positive integers")
        self.depth = len(self.widths) - 1

        # Layers the kernel does not evaluate (attention): no verdict can have evidence.
        self.not_evaluated = network.get("not_evaluated") or []
        if not isinstance(self.not_evaluated, list) or not all(
                isinstance(kind, str) for kind in self.not_evaluated):
            raise Malformed("network.not_evaluated", "expected a list of layer kinds")
        if self.not_evaluated:
            self.names, self.activations = [], []
            return

        self.names = _get(network, "activations", list, "network")
        if len(self.names) != self.depth - 1 or not all(isinstance(n, str) for n in self.names):
            raise Malformed("network.activations", f"expected {self.depth - 1} names")
        self.activations = [_activation(name) for name in self.names]

        self.bias = _get(network, "bias", bool, "network")
        self.theta = self._parameters(_get(network, "parameters", dict, "network"),
                                      "network.parameters")

    def _read_group(self, group):
        self.generators = _get(group, "generators", list, "group")
        if not all(isinstance(name, str) for name in self.generators):
            raise Malformed("group.generators", "expected names")
        self.relations = [_word(text, self.generators, "group.relations")
                          for text in _get(group, "relations", list, "group")]
        self.input, self.output = ({g: _map(self.numbers, _get(group, side, dict, "group").get(g),
                                            self.widths[end], f"group.{side}.{g}")
                                    for g in self.generators}
                                   for side, end in (("input", 0), ("output", -1)))

        # The relations must hold on input and output, so that both are actions of G.
        for word in self.relations:
            for maps, dimension, label in ((self.input, self.widths[0], "rho_in"),
                                           (self.output, self.widths[-1], "rho_out")):
                if not _evaluate(word, maps, dimension).is_identity():
                    raise Rejected("group.relations", f"the relation {_text(word)} fails for "
                                                      f"{label}")

    def _parameters(self, data, where):
        layers = []
        for i in range(1, self.depth + 1):
            shape = (self.widths[i], self.widths[i - 1])
            weights = _matrix(self.numbers, data.get(f"W{i}"), shape, f"{where}.W{i}")
            bias = _vector(self.numbers, data.get(f"b{i}"), shape[0], f"{where}.b{i}")
            if not self.bias and any(bias):
                raise Rejected(f"{where}.b{i}", "the network has no biases, but b is nonzero")
            layers.append((weights, bias))
        return layers

    def _formula(self, layer):
        return self.activations[layer - 1][1]

    def _identities(self, entries):
        verified = {}
        for index, entry in enumerate(entries):
            where = f"identities[{index}]"
            name = _get(entry, "activation", str, where)
            if name not in self.names:
                raise Malformed(where, f"{name!r} is not an activation of the network")
            c, lam, mu = (self.numbers(_get(entry, key, str, where), where)
                          for key in ("scale", "factor", "shift"))
            formula = self._formula(self.names.index(name) + 1)
            if not lam or not _identity_holds(formula, self.numbers, c, lam, mu):
                raise Rejected(where, f"the identity {name}({c} t) = {lam} {name}(t) + {mu} "
                                      "does not hold")
            verified.setdefault(name, set()).add((c, lam, mu))
        return verified

    def _listed(self, layer, c, lam, mu):
        return (c == 1 and lam == 1 and not mu) or (c, lam, mu) in self.identities.get(
            self.names[layer - 1], ())

    # -- latent actions ---------------------------------------------------------------------

    def check_chain(self, parameters, first, latents, last, where):
        r"""Check :math:`f_i(k_{i-1} y) = k_i f_i(y)` for every layer, with k_0 and k_L given."""
        previous = first
        for i, (weights, bias) in enumerate(parameters, start=1):
            moved_weights, moved_bias = _precompose(weights, bias, previous)
            current = latents[i - 1] if i < self.depth else last
            place = f"{where}, layer f_{i}"
            if i == self.depth or self.activations[i - 1][0] == "affine":
                expected = tuple(zip(*(current.linear(column) for column in zip(*weights))))
                if moved_weights != (expected or weights) or moved_bias != current.apply(bias):
                    raise Rejected(place, "W A != K W or W t + b != K b + mu, so the affine "
                                          "layer is not equivariant")
            else:
                self._check_pointwise(i, weights, bias, moved_weights, moved_bias, current, place)
            previous = current

    def _check_pointwise(self, i, weights, bias, moved_weights, moved_bias, latent, where):
        name = self.names[i - 1]
        if latent.images is None or latent.pre is None:
            raise Rejected(where, "the latent map of a pointwise activation must be monomial, "
                                  "with pre-activation scales")
        shift = latent.shift or (0,) * latent.dimension
        for j, (row, b) in enumerate(zip(weights, bias)):
            p, c, lam = latent.images[j], latent.pre[j], latent.scales[j]
            if c is None:  # a constant neuron, compared by its exact value
                if any(row) or any(moved_weights[p]) or not _value_holds(
                        self._formula(i), self.numbers, moved_bias[p], lam, b, shift[p]):
                    raise Rejected(where, f"constant neuron {j + 1}: {name}({moved_bias[p]}) is "
                                          f"not {lam} {name}({b}) + {shift[p]}")
                continue
            scaled = row if c == 1 else tuple(c * x for x in row)
            if moved_weights[p] != scaled or moved_bias[p] != c * b:
                raise Rejected(where, f"neuron {p + 1} of the moved layer is not {c} times "
                                      f"neuron {j + 1}")
            if not self._listed(i, c, lam, shift[p]):
                raise Rejected(where, f"neuron {j + 1} uses {name}({c} t) = {lam} {name}(t) + "
                                      f"{shift[p]}, which is not among the identities")

    def check_homomorphism(self, latents, where):
        """Check that g -> k_i(g) satisfies the relations, or is consistent on the Cayley graph."""
        spaces = [(self.input, self.widths[0], "rho_in"), (self.output, self.widths[-1], "rho_out")]
        spaces += [({g: latents[g][i] for g in self.generators}, self.widths[i + 1],
                    f"rho_{i + 1}") for i in range(self.depth - 1)]
        for word in self.relations:
            for maps, dimension, label in spaces[2:]:
                if not _evaluate(word, maps, dimension).is_identity():
                    raise Rejected(where, f"the relation {_text(word)} fails for {label}")
        if self.relations:
            return  # by von Dyck's theorem the maps extend to homomorphisms of G
        start = tuple(_identity(dimension) for _, dimension, _ in spaces)
        seen, frontier = {(start[0].key(), start[1].key()): start}, [start]
        while frontier:
            element = frontier.pop()
            for g in self.generators:
                image = tuple(maps[g].after(m) for (maps, _, _), m in zip(spaces, element))
                key = (image[0].key(), image[1].key())
                if key not in seen:
                    if len(seen) >= MAX_GROUP_ORDER:
                        raise Unsupported(where, f"the group has more than {MAX_GROUP_ORDER} "
                                                 "elements and no relations")
                    seen[key] = image
                    frontier.append(image)
                elif seen[key][2:] != image[2:]:
                    raise Rejected(where, "the latent maps are not consistent on the Cayley "
                                          "graph of G: one element of G gets two latent maps")

    def check_latent_actions(self, at):
        """Check the latent actions at theta or theta_star; returns the parameters there."""
        if at not in self.checked:
            parameters = self.theta if at == "theta" else self.reduced()
            layers = _get(self.data, "latent_actions", dict, "certificate").get(at)
            if not isinstance(layers, list) or len(layers) != self.depth - 1:
                raise Malformed(f"latent_actions.{at}", f"expected {self.depth - 1} layers")
            latents = {g: [_latent(self.numbers, layer.get(g) if isinstance(layer, dict) else {},
                                   self.widths[i + 1], f"latent_actions.{at}[{i}].{g}")
                           for i, layer in enumerate(layers)] for g in self.generators}
            for g in self.generators:
                self.check_chain(parameters, self.input[g], latents[g], self.output[g],
                                 f"latent_actions.{at}, generator {g}")
            self.check_homomorphism(latents, f"latent_actions.{at}")
            self.checked[at] = parameters
        return self.checked[at]

    # -- theta* ---------------------------------------------------------------------------------

    def reduced(self):
        r"""Replay the reduction steps on :math:`\theta` and compare with :math:`\theta^*`."""
        data = _get(self.data, "reparameterization", dict, "certificate")
        layers = [([list(row) for row in weights], list(bias)) for weights, bias in self.theta]
        for index, step in enumerate(_get(data, "steps", list, "reparameterization")):
            where = f"reparameterization.steps[{index}]"
            i, neurons = _get(step, "layer", int, where), _get(step, "neurons", list, where)
            if not (1 <= i < self.depth and all(isinstance(n, int) and 0 <= n < self.widths[i]
                                                for n in neurons) and len(neurons) in (1, 2)):
                raise Malformed(where, "expected a hidden layer and neurons inside it")
            (weights, bias), (following, next_bias) = layers[i - 1], layers[i]
            j, formula, kind = neurons[-1], self._formula(i), step.get("kind")
            column = [row[j] for row in following]
            if kind == "dead" and not any(column):
                weights[j], bias[j] = [0] * len(weights[j]), 0
                continue
            if kind == "constant" and not any(weights[j]):
                value = self.numbers(_get(step, "value", str, where), where)
                if not _value_holds(formula, self.numbers, bias[j], 0, bias[j], value):
                    raise Rejected(where, f"{self.names[i - 1]}({bias[j]}) is not {value}")
                factor, shift, keeper = 0, value, j
            elif kind == "duplicate" and len(neurons) == 2 and neurons[0] != j:
                keeper = neurons[0]
                factor, shift = (self.numbers(_get(step, key, str, where), where)
                                 for key in ("factor", "shift"))
                c = step.get("scale")
                if c is None:
                    same = not any(weights[j]) and not any(weights[keeper]) and _value_holds(
                        formula, self.numbers, bias[j], factor, bias[keeper], shift)
                else:
                    c = self.numbers(c, where)
                    same = (weights[j] == [c * x for x in weights[keeper]] and bias[j] == c * bias[
                        keeper] and self._listed(i, c, factor, shift))
                if not same:
                    raise Rejected(where, f"neuron {j + 1} is not {factor} h_{keeper + 1} + "
                                          f"{shift}")
            else:
                raise Rejected(where, f"the {kind!r} step does not apply to neuron {j + 1}")
            for r, row in enumerate(following):
                if keeper != j:
                    row[keeper] = row[keeper] + factor * row[j]
                next_bias[r], row[j] = next_bias[r] + shift * column[r], 0
        stated = self._parameters(_get(data, "parameters", dict, "reparameterization"),
                                  "reparameterization.parameters")
        replayed = [(tuple(map(tuple, weights)), tuple(bias)) for weights, bias in layers]
        if stated != replayed:
            raise Rejected("reparameterization.parameters", "theta* differs from the result of "
                                                            "the reduction steps")
        return stated

    # -- other evidence -------------------------------------------------------------------------

    def check_witness(self, evidence, where):
        r"""Re-evaluate :math:`f(g x)_i` and :math:`(g f(x))_i`; compare with the stated bounds."""
        g = evidence.get("generator")
        if g not in self.generators:
            raise Malformed(where, f"unknown generator {g!r}")
        coordinate = _get(evidence, "coordinate", int, where)
        if not 0 <= coordinate < self.widths[-1]:
            raise Malformed(f"{where}.coordinate", "outside the output")
        if any(activation[2] is None for activation in self.activations):
            raise Unsupported(where, "an expression activation has no interval evaluation")

        bounds = {key: _vector(self.numbers, evidence.get(key), 2, f"{where}.{key}")
                  for key in ("left", "right", "difference")}
        if bounds["difference"][0] <= 0 <= bounds["difference"][1]:
            raise Rejected(where, "the stated bounds of f(g x)_i - (g f(x))_i contain 0")

        # Free symbols take the witness's values, so every number becomes a Fraction.
        substitutions = evidence.get("substitutions") or {}
        if not isinstance(substitutions, dict) or not all(
                isinstance(value, str) and _RATIONAL.fullmatch(value)
                for value in substitutions.values()):
            raise Malformed(f"{where}.substitutions", "expected rational values for symbols")
        values = {name: Fraction(value) for name, value in substitutions.items()}

        def exact(value):
            return Fraction(_substitute(value, values, self.numbers))

        parameters = [(tuple(tuple(map(exact, row)) for row in weights), tuple(map(exact, bias)))
                      for weights, bias in self.theta]
        point = tuple(map(exact, _vector(self.numbers, evidence.get("point"), self.widths[0],
                                         f"{where}.point")))
        moved = self.input[g].apply(point)
        row = self.output[g].dense()[coordinate]
        offset = (self.output[g].shift or (0,) * self.widths[-1])[coordinate]

        for bits in PRECISIONS:
            left = _evaluate_interval(parameters, self.activations, [(x, x) for x in moved],
                                      bits)[coordinate]
            outputs = _evaluate_interval(parameters, self.activations, [(x, x) for x in point],
                                         bits)
            right = _evaluate_interval([((row,), (offset,))], [], outputs, bits)[0]
            difference = (left[0] - right[1], left[1] - right[0])
            enclosures = {"left": left, "right": right, "difference": difference}
            if all(_inside(enclosures[key], bounds[key]) for key in bounds):
                return
        raise Rejected(where, f"the enclosures computed with {PRECISIONS[-1]} bits are not "
                              "inside the stated bounds")

    def check_mismatch(self, evidence, where):
        """Check that a non-constant neuron of theta^g's first layer has no admissible partner."""
        g, neuron = evidence.get("generator"), evidence.get("neuron")
        scales = self.activations[0][0] if self.depth > 1 else None
        if scales in (None, "affine") or g not in self.generators:
            raise Unsupported(where, "a first-layer mismatch needs a named pointwise activation")
        weights, bias = self.theta[0]
        moved_weights, moved_bias = _precompose(weights, bias, self.input[g])
        if not isinstance(neuron, int) or not 0 <= neuron < len(weights) or not any(
                moved_weights[neuron]):
            raise Rejected(where, f"neuron {neuron!r} is not a non-constant neuron of the first "
                                  f"layer of theta^{g}")
        target = moved_weights[neuron] + (moved_bias[neuron],)
        for j, source in enumerate(row + (b,) for row, b in zip(weights, bias)):
            k = next((k for k, x in enumerate(source) if x), None)
            c = None if k is None else _divide(target[k], source[k])
            if c is not None and target == tuple(c * x for x in source) and (
                    scales == "nonzero" or c == 1 or (scales == "sign" and c == -1)
                    or (scales == "positive" and _sign(c) > 0)):
                raise Rejected(where, f"neuron {neuron + 1} of theta^{g} is {c} times neuron "
                                      f"{j + 1} of theta, an admissible partner")

    def check_identifiability(self, kind, status, evidence, where):
        if self.numbers.symbols and kind != "two relations":
            raise Unsupported(where, "criteria on parameters with free symbols hold only for "
                                     "generic values")
        if kind == "no hidden layer":
            holds = self.depth == 1
        elif kind == "Sussmann (1992)":
            if self.names != ["tanh"]:
                raise Rejected(where, "Sussmann's criterion needs exactly one hidden tanh layer")
            (weights, bias), (following, _) = self.theta
            rows = [row + (b,) for row, b in zip(weights, bias)]
            signed = {tuple(-x for x in r) if _sign(next(x for x in r if x)) < 0 else r
                      for r in rows if any(r)}
            holds = (all(any(column) for column in zip(*following)) and all(map(any, weights))
                     and len(signed) == len(rows))
        elif kind == "rank criterion for linear networks":
            if any(name != "identity" for name in self.names):
                raise Rejected(where, "the rank criterion needs identity activations")
            product = self.theta[0][0]
            for weights, _ in self.theta[1:]:
                product = _times(weights, product)
            rank = len(_eliminate(product)[1])
            holds = all(width == rank for width in self.widths[1:-1])
        else:  # two relations of theta to itself
            chains = evidence.get("chains")
            if not isinstance(chains, list) or len(chains) != 2:
                raise Malformed(where, "expected two chains")
            parsed = [[_latent(self.numbers, m, self.widths[i + 1], f"{where}.chains[{n}][{i}]")
                       for i, m in enumerate(chain)] for n, chain in enumerate(chains)]
            for n, chain in enumerate(parsed):
                if len(chain) != self.depth - 1:
                    raise Malformed(where, f"chain {n} needs {self.depth - 1} latent maps")
                self.check_chain(self.theta, _identity(self.widths[0]), chain,
                                 _identity(self.widths[-1]), f"{where}.chains[{n}]")
            if parsed[0] == parsed[1]:
                raise Rejected(where, "the two chains are equal, so they do not show that the "
                                      "relation of theta to itself is not unique")
            holds = False
        if holds != (status == "proved"):
            raise Rejected(where, f"{kind}: the conditions {'hold' if holds else 'fail'}, so "
                                  f"the verdict '{status}' is wrong")

    def check_claim(self, claim, where):
        prop, status, evidence = claim.get("property"), claim.get("status"), claim.get("evidence")
        kind = evidence.get("kind") if isinstance(evidence, dict) else None
        allowed = EVIDENCE.get(kind, {}) if isinstance(kind, str) else {}
        if prop not in allowed or allowed[prop] not in (None, status):
            raise Rejected(where, f"evidence {kind!r} cannot establish {prop} = {status}")
        if self.not_evaluated:
            raise Unsupported(where, f"the kernel does not evaluate "
                                     f"{' and '.join(self.not_evaluated)} layers, so it cannot "
                                     f"re-check {kind!r} evidence")
        if kind == "latent actions":
            at = evidence.get("at")
            if at not in ("theta", "theta_star") or (
                    at == "theta_star" and prop == "layerwise_equivariant"):
                raise Rejected(where, f"latent actions at {at!r} do not establish {prop}")
            if (at == "theta" and prop == "layerwise_after_reparameterization"
                    and self.data.get("reparameterization") is not None):
                raise Rejected(where, "latent actions at theta do not establish "
                                      "layerwise_after_reparameterization when theta* differs "
                                      "from theta")
            self.check_latent_actions(at)
            return f"latent actions at {at} re-checked"
        if kind == "input witness":
            self.check_witness(evidence, where)
            return "input witness re-evaluated in interval arithmetic"
        if kind == "first-layer mismatch":
            self.check_mismatch(evidence, where)
            return "a first-layer neuron of theta^g has no admissible partner"
        self.check_identifiability(kind, status, evidence, where)
        return f"{kind} re-checked"


def _substitute(value, values, numbers):
    if not isinstance(value, RationalFunction):
        return value
    point = [values.get(name) for name in numbers.symbols]
    if None in point:
        raise Unsupported("substitutions", "a value depends on a free symbol without a value")

    def at(poly):
        return sum((c * math.prod(x**e for x, e in zip(point, key)) for key, c in poly.items()),
                   Fraction(0))
    return at(value.num) / at(value.den)


def check(data):
    """Check a parsed certificate; returns ``(property, status, certified, summary)`` per claim.

    ``certified`` is False for a verdict recorded without evidence; ``summary``
    then gives the certificate's note on why.

    Raises
    ------
    Rejected
        The first failed check; :class:`Unsupported` and :class:`Malformed` are subclasses.
    """
    certificate = Certificate(data)
    results, seen = [], set()
    claims = _get(data, "claims", list, "certificate")
    if not claims:
        raise Malformed("claims", "the certificate records no verdicts, so it proves nothing")
    for index, claim in enumerate(claims):
        where = f"claims[{index}]"
        prop = _get(claim, "property", str, where)
        if prop in seen:
            raise Malformed(where, f"{prop} is claimed twice")
        seen.add(prop)
        if claim.get("evidence") is None:
            results.append((prop, claim.get("status"), False, str(claim.get("note"))))
        else:
            results.append((prop, claim.get("status"), True, certificate.check_claim(claim, where)))
    return results


def read(path):
    """Read a certificate file as JSON; raises :class:`Malformed` when it is unreadable."""
    def reject_constant(name):
        raise ValueError(f"{name} is not an exact number")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, parse_constant=reject_constant)
    except OSError as error:
        raise Malformed("file", f"cannot read the file: {error.strerror}") from None
    except (ValueError, RecursionError) as error:
        raise Malformed("file", f"invalid JSON: {error}") from None


def main(argv=None):
    """Check the certificate file named in ``argv``; exit 0 accepted, 1 rejected, 2 malformed."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python kernel.py CERT.json", file=sys.stderr)
        return 2
    try:
        results = check(read(argv[0]))
    except Malformed as error:
        print(f"kernel: error: {argv[0]}: {error}", file=sys.stderr)
        return 2
    except Rejected as error:
        print(f"kernel: rejected: {argv[0]}: {error}", file=sys.stderr)
        return 1
    for prop, status, certified, summary in results:
        print(f"{prop} {status}: {summary if certified else 'not certified: ' + summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
