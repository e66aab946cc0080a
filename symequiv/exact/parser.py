r"""A whitelist parser for the numbers and activation formulas in theory files.

Theory files are data, so their strings are never handed to ``eval``,
``sympify`` or ``parse_expr``. This module tokenizes a string, parses it with a
small recursive-descent grammar and builds the sympy expression node by node
from an explicit list of allowed operations::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := atom (("^" | "**") unary)?          (right associative)
    atom       := number | name | name "(" arguments ")" | "(" expression ")"

Every input is bounded (length, digits, nesting, exponents and the size of the
result), so no string can hang the parser or exhaust memory.
"""

from __future__ import annotations

import fractions
import math
import re
from dataclasses import dataclass
from typing import ClassVar

import sympy

from symequiv.errors import ExpressionError, LimitError

MAX_LENGTH = 2000
MAX_DIGITS = 200
MAX_DEPTH = 40
MAX_EXPONENT = 64
# A power's result may not exceed this many decimal digits in numerator or denominator.
MAX_RESULT_DIGITS = 2000

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),])"
    r")"
)

# Names that read as special values in any capitalization.
_RESERVED_ANY_CASE = frozenset({"nan", "inf", "infinity", "oo"})

# Names a theory file may never use for a free symbol, because they read as
# functions or constants elsewhere.
_RESERVED = frozenset(
    {"pi", "E", "e", "I", "i", "oo", "nan", "inf", "t", "x", "lambda", "sqrt", "cos", "sin"}
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _shorten(text, limit=60):
    """Quote ``text`` for a message, cut to ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def _tokenize(text):
    tokens = []
    position = 0
    length = len(text)
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            error = ExpressionError(
                f"unexpected character {text[position]!r} at position {position} "
                f"in {_shorten(text)}",
                value=text,
            )
            error.reason = "unexpected character"
            error.token = text[position]
            error.position = position
            raise error
        kind = match.lastgroup
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


def _bounded_rational(token_text, source_text):
    digits = sum(character.isdigit() for character in token_text)
    if digits > MAX_DIGITS:
        raise LimitError(
            f"the number {token_text[:20]}... in {_shorten(source_text)} has {digits} digits; "
            f"at most {MAX_DIGITS} are accepted",
            value=source_text,
        )
    mantissa, _, exponent = token_text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_DIGITS:
        raise LimitError(
            f"the exponent of {token_text!r} in {_shorten(source_text)} is too large; "
            f"at most {MAX_DIGITS} in absolute value is accepted",
            value=source_text,
        )
    # sympy.Rational reads decimal notation exactly: "0.1" is 1/10.
    value = sympy.Rational(mantissa)
    if exponent:
        value *= sympy.Rational(10) ** int(exponent)
    return value


_BITS_PER_DIGIT = 3.33


def _too_many_digits(integer, limit):
    """True when ``integer`` has more than ``limit`` decimal digits.

    Comparing with a power of ten avoids ``str()``, which Python refuses past
    4300 digits.
    """
    return abs(int(integer)) >= 10**limit


def _check_size(value, source_text):
    """Reject results whose rational parts have grown past the digit bound."""
    for atom in value.atoms(sympy.Rational):
        if _too_many_digits(atom.p, MAX_RESULT_DIGITS) or _too_many_digits(
                atom.q, MAX_RESULT_DIGITS):
            raise LimitError(
                f"{_shorten(source_text)} evaluates to a number with more than "
                f"{MAX_RESULT_DIGITS} digits",
                value=source_text,
            )
    return value


def _is_zero(value):
    """Decide exactly whether a parsed expression is zero, even in disguise.

    ``(1 + sqrt(2))^2 - 3 - 2 sqrt(2)`` is zero but not structurally, so
    constants are decided through their minimal polynomial and expressions in
    symbols by expansion (they are polynomial in the symbols with constant
    coefficients).
    """
    if value == 0:
        return True
    if value.is_Rational:
        return False
    if value.free_symbols:
        return sympy.expand(value) == 0
    variable = sympy.Dummy("z")
    return sympy.minimal_polynomial(value, variable) == variable


class _Grammar:
    """Recursive-descent parser over one token list; subclasses decide what names mean."""

    functions: ClassVar[dict] = {}

    def __init__(self, text):
        if not isinstance(text, str):
            raise ExpressionError(f"expected a string, got {type(text).__name__}", value=text)
        if len(text) > MAX_LENGTH:
            raise LimitError(
                f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted",
                value=text[:40] + "...",
            )
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self._call_token = None

    # -- token helpers -------------------------------------------------------

    def _peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _take(self):
        token = self._peek()
        self.index += 1
        return token

    def _accept(self, *texts):
        token = self._peek()
        if token is not None and token.kind == "op" and token.text in texts:
            self.index += 1
            return token
        return None

    def _fail(self, what, token=None):
        token = token or self._peek()
        where = "at the end" if token is None else f"at {token.text!r} (position {token.position})"
        error = ExpressionError(f"{what} {where} in {_shorten(self.text)}", value=self.text)
        # Callers that parse part of a longer text (such as one side of a constraint)
        # rebuild the message with positions in the whole text from these.
        error.reason = what
        error.token = None if token is None else token.text
        error.position = len(self.text) if token is None else token.position
        raise error

    def _enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(
                f"{_shorten(self.text)} nests deeper than {MAX_DEPTH} levels", value=self.text
            )

    # -- grammar -------------------------------------------------------------

    def parse(self):
        if not self.tokens:
            raise ExpressionError("the expression is empty", value=self.text)
        value = self._expression()
        if self._peek() is not None:
            self._fail("unexpected token")
        return self.finish(value)

    def _expression(self):
        self._enter()
        value = self._term()
        while True:
            operator = self._accept("+", "-")
            if operator is None:
                break
            right = self._term()
            value = value + right if operator.text == "+" else value - right
        self.depth -= 1
        return _check_size(value, self.text)

    def _term(self):
        value = self._unary()
        while True:
            operator = self._accept("*", "/")
            if operator is None:
                break
            right = self._unary()
            if operator.text == "*":
                value = value * right
            else:
                if _is_zero(right):
                    self._fail("division by zero", operator)
                value = value / right
        return _check_size(value, self.text)

    def _unary(self):
        if self._accept("-"):
            self._enter()
            value = -self._unary()
            self.depth -= 1
            return value
        if self._accept("+"):
            self._enter()
            value = self._unary()
            self.depth -= 1
            return value
        return self._power()

    def _power(self):
        base = self._atom()
        operator = self._accept("^", "**")
        if operator is None:
            return base
        self._enter()
        exponent = self._unary()
        self.depth -= 1
        return self.power(base, exponent, operator)

    def _atom(self):
        token = self._take()
        if token is None:
            self._fail("expected a number, a name or '('")
        if token.kind == "number":
            return _bounded_rational(token.text, self.text)
        if token.kind == "op" and token.text == "(":
            value = self._expression()
            if not self._accept(")"):
                self._fail("expected ')'")
            return value
        if token.kind == "name":
            if self._accept("("):
                arguments = [self._expression()]
                while self._accept(","):
                    arguments.append(self._expression())
                if not self._accept(")"):
                    self._fail("expected ')' or ','")
                return self.call(token, arguments)
            return self.name(token)
        self._fail("expected a number, a name or '('", token)

    # -- semantics, overridden by the two dialects ---------------------------

    def power(self, base, exponent, operator):
        if not (exponent.is_Integer or (exponent.is_Rational and exponent.q == 2)):
            self._fail("exponents must be integers or halves", operator)
        if abs(exponent) > MAX_EXPONENT:
            raise LimitError(
                f"the exponent {_shorten(str(exponent), 20)} in {_shorten(self.text)} "
                f"exceeds {MAX_EXPONENT} in absolute value",
                value=self.text,
            )
        if exponent < 0 and _is_zero(base):
            self._fail("division by zero", operator)
        if exponent.q == 2 and base.is_negative:
            self._fail(f"the square root of the negative number {base}", operator)
        largest = max((max(abs(int(atom.p)), int(atom.q)) for atom in base.atoms(sympy.Rational)),
                      default=1)
        if largest.bit_length() * abs(exponent) > MAX_RESULT_DIGITS * _BITS_PER_DIGIT:
            raise LimitError(
                f"{_shorten(self.text)} evaluates to a number with more than "
                f"{MAX_RESULT_DIGITS} digits",
                value=self.text,
            )
        return _check_size(base**exponent, self.text)

    def call(self, token, arguments):
        builder = self.functions.get(token.text)
        if builder is None:
            allowed = ", ".join(sorted(self.functions))
            self._fail(f"unknown function {token.text!r} (allowed: {allowed})", token)
        arity = builder.__code__.co_argcount - 1
        if len(arguments) != arity:
            self._fail(f"{token.text} takes {arity} argument(s), got {len(arguments)}", token)
        self._call_token = token
        return builder(self, *arguments)

    def name(self, token):
        raise NotImplementedError

    def finish(self, value):
        return value


class _NumberGrammar(_Grammar):
    """Constants for parameters and matrices: rationals, radicals, cos/sin of q*pi, symbols."""

    def power(self, base, exponent, operator):
        if exponent.is_Rational and exponent.q == 2 and base.free_symbols:
            self._fail("square roots of free symbols are not supported; parameters are "
                       "rational functions of their symbols", operator)
        return super().power(base, exponent, operator)

    def _sqrt(self, argument):
        if argument.free_symbols:
            self._fail("square roots of free symbols are not supported; parameters are "
                       "rational functions of their symbols", self._call_token)
        if argument.is_negative:
            self._fail(f"sqrt of the negative number {argument}", self._call_token)
        return sympy.sqrt(argument)

    def _trigonometric(self, function, argument):
        multiple = argument / sympy.pi
        if not multiple.is_Rational:
            self._fail(
                f"{function.__name__} takes a rational multiple of pi, got {argument}",
                self._call_token,
            )
        if multiple.q > 10**6:
            raise LimitError(f"the denominator of {argument} is too large", value=self.text)
        return function(argument)

    functions: ClassVar[dict] = {
        "sqrt": _sqrt,
        "cos": lambda self, argument: self._trigonometric(sympy.cos, argument),
        "sin": lambda self, argument: self._trigonometric(sympy.sin, argument),
    }

    def name(self, token):
        if token.text == "pi":
            return sympy.pi
        if token.text.lower() in _RESERVED_ANY_CASE:
            self._fail(f"{token.text!r} is not a finite number, so it is neither a value nor "
                       "a free symbol", token)
        if token.text in _RESERVED or token.text.startswith("_"):
            self._fail(f"{token.text!r} cannot be used as a free symbol, because it reads as a "
                       "constant or variable elsewhere (reserved: "
                       + ", ".join(sorted(_RESERVED)) + ", names starting with _)", token)
        return sympy.Symbol(token.text, real=True)

    def finish(self, value):
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
            self._fail("the value is not a finite real number")
        return value


def _piecewise_max(self, left, right):
    return sympy.Max(left, right)


def _piecewise_min(self, left, right):
    return sympy.Min(left, right)


class _ActivationGrammar(_Grammar):
    """Formulas in the variable ``t`` for ``{ expression = "..." }`` activations."""

    variable = sympy.Symbol("t", real=True)

    functions: ClassVar[dict] = {
        "exp": lambda self, a: sympy.exp(a),
        "log": lambda self, a: sympy.log(a),
        "sqrt": lambda self, a: sympy.sqrt(a),
        "abs": lambda self, a: sympy.Abs(a),
        "tanh": lambda self, a: sympy.tanh(a),
        "sinh": lambda self, a: sympy.sinh(a),
        "cosh": lambda self, a: sympy.cosh(a),
        "sin": lambda self, a: sympy.sin(a),
        "cos": lambda self, a: sympy.cos(a),
        "atan": lambda self, a: sympy.atan(a),
        "erf": lambda self, a: sympy.erf(a),
        "max": _piecewise_max,
        "min": _piecewise_min,
    }

    def power(self, base, exponent, operator):
        if exponent.free_symbols:
            self._fail("exponents may not contain t", operator)
        return super().power(base, exponent, operator)

    def name(self, token):
        if token.text == "t":
            return self.variable
        if token.text == "pi":
            return sympy.pi
        if token.text.lower() in _RESERVED_ANY_CASE:
            self._fail(f"{token.text!r} is not a finite number; write an exact finite value "
                       "such as \"1/2\"", token)
        self._fail(f"unknown name {token.text!r}; the only variable is t", token)

    def finish(self, value):
        if not value.has(self.variable):
            self._fail("the activation does not depend on t")
        if value.has(sympy.zoo, sympy.nan, sympy.oo, sympy.I):
            self._fail("the activation is not a finite real function")
        return value


ACTIVATION_VARIABLE = _ActivationGrammar.variable

# Most numbers in theory files are plain fractions; they skip the grammar.
_SIMPLE_RATIONAL = re.compile(r"\s*([+-]?\d+)(?:\s*/\s*(\d+))?\s*")


def parse_number(value):
    r"""Parse one number of a theory file into an exact sympy expression.

    Parameters
    ----------
    value : int or str
        An integer, or a string such as ``"1/2"``, ``"-3"``, ``"sqrt(2)/2"``,
        ``"cos(pi/3)"`` or a free symbol ``"a"``. Decimal strings such as
        ``"0.25"`` are read exactly.

    Returns
    -------
    sympy.Expr
        A real constant, or a polynomial/rational expression in real symbols.

    Raises
    ------
    ExpressionError
        For floats, booleans, unknown names or functions, syntax errors,
        division by zero and non-real results.
    LimitError
        For inputs past the size bounds.

    Examples
    --------
    >>> parse_number("cos(pi/3) + 1/4")
    3/4
    >>> parse_number(7)
    7
    """
    if isinstance(value, bool):
        raise ExpressionError(f"expected a number, got the boolean {value}", value=value)
    if isinstance(value, int):
        if _too_many_digits(value, MAX_DIGITS):
            raise LimitError(f"the integer has more than {MAX_DIGITS} digits", value=value)
        return sympy.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError(f"{value} is not a finite number", value=value)
        nearest = fractions.Fraction(value).limit_denominator(10**6)
        suggestion = f"{nearest.numerator}/{nearest.denominator}" if nearest.denominator != 1 \
            else str(nearest.numerator)
        raise ExpressionError(
            f"the float {value!r} is not exact; write the number as a string such as "
            f"\"{suggestion}\"",
            value=value,
        )
    if not isinstance(value, str):
        raise ExpressionError(
            f"expected an integer or a string, got {type(value).__name__}", value=value
        )
    simple = _SIMPLE_RATIONAL.fullmatch(value)
    if simple and len(value) <= MAX_DIGITS:
        if simple.group(2) is None or int(simple.group(2)) != 0:
            return sympy.Rational(simple.group(1), simple.group(2) or 1)
    return _NumberGrammar(value).parse()


def parse_activation(text):
    r"""Parse an activation formula in the variable ``t``.

    Parameters
    ----------
    text : str
        A formula such as ``"t^3 + t"`` or ``"max(t, 0)"``.

    Returns
    -------
    sympy.Expr
        An expression in :data:`ACTIVATION_VARIABLE`.

    Examples
    --------
    >>> parse_activation("t^3 + t")
    t**3 + t
    """
    return _ActivationGrammar(text).parse()
