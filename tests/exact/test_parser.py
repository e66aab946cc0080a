"""Tests of the whitelist parser for theory-file numbers and activation formulas."""

from __future__ import annotations

import builtins
import re

import pytest
import sympy
from sympy import Rational, Symbol, cos, pi, sqrt

from symequiv.errors import ExpressionError, InputError, LimitError, SymequivError
from symequiv.exact.parser import (
    ACTIVATION_VARIABLE,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_LENGTH,
    parse_activation,
    parse_number,
)

a = Symbol("a", real=True)
b = Symbol("b", real=True)
t = ACTIVATION_VARIABLE


# -- accepted numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("7", sympy.Integer(7), id="integer"),
        pytest.param("-3", sympy.Integer(-3), id="negative-integer"),
        pytest.param("+5", sympy.Integer(5), id="plus-sign"),
        pytest.param("\t3\n", sympy.Integer(3), id="surrounding-whitespace"),
        pytest.param("1/2", Rational(1, 2), id="fraction"),
        pytest.param(" 1 / 2 ", Rational(1, 2), id="fraction-with-spaces"),
        pytest.param("-3/4", Rational(-3, 4), id="negative-fraction"),
        pytest.param("3/-4", Rational(-3, 4), id="negative-denominator"),
        pytest.param("6/4", Rational(3, 2), id="fraction-reduced"),
        pytest.param("1" * MAX_DIGITS, sympy.Integer("1" * MAX_DIGITS), id="max-digits"),
    ],
)
def test_parse_number_reads_integers_and_fractions(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0.1", Rational(1, 10), id="one-tenth"),
        pytest.param("0.25", Rational(1, 4), id="quarter"),
        pytest.param(".5", Rational(1, 2), id="leading-point"),
        pytest.param("5.", sympy.Integer(5), id="trailing-point"),
        pytest.param("-0.3", Rational(-3, 10), id="negative-decimal"),
        pytest.param("1e-3", Rational(1, 1000), id="negative-exponent"),
        pytest.param("1E3", sympy.Integer(1000), id="capital-e"),
        pytest.param("2.5e-1", Rational(1, 4), id="decimal-with-exponent"),
        pytest.param("1.5e+2", sympy.Integer(150), id="explicit-plus-exponent"),
        pytest.param("1e200", sympy.Integer(10) ** 200, id="max-decimal-exponent"),
    ],
)
def test_parse_number_reads_decimals_exactly(text, expected):
    value = parse_number(text)

    assert value.is_Rational
    assert value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2+3*4", sympy.Integer(14), id="product-before-sum"),
        pytest.param("2-3-4", sympy.Integer(-5), id="subtraction-left-associative"),
        pytest.param("8/2*2", sympy.Integer(8), id="division-left-associative"),
        pytest.param("1/2/2", Rational(1, 4), id="repeated-division"),
        pytest.param("(1+2)*3", sympy.Integer(9), id="parentheses"),
        pytest.param("2^10", sympy.Integer(1024), id="caret-power"),
        pytest.param("2**10", sympy.Integer(1024), id="double-star-power"),
        pytest.param("2^3^2", sympy.Integer(512), id="caret-right-associative"),
        pytest.param("2**3**2", sympy.Integer(512), id="double-star-right-associative"),
        pytest.param("2^3**2", sympy.Integer(512), id="mixed-power-operators"),
        pytest.param("(2^3)^2", sympy.Integer(64), id="parenthesized-base"),
        pytest.param("2^-2", Rational(1, 4), id="negative-exponent"),
        pytest.param("-2^2", sympy.Integer(-4), id="unary-minus-below-power"),
        pytest.param("-2^-2", Rational(-1, 4), id="unary-minus-both-sides"),
        pytest.param("(-2)^2", sympy.Integer(4), id="parenthesized-negative-base"),
        pytest.param("2*-3", sympy.Integer(-6), id="unary-minus-after-times"),
        pytest.param("--3", sympy.Integer(3), id="double-unary-minus"),
        pytest.param("2^0.5", sqrt(2), id="decimal-half-exponent"),
        pytest.param("4^(3/2)", sympy.Integer(8), id="three-halves-exponent"),
        pytest.param("2^(-1/2)", sqrt(2) / 2, id="negative-half-exponent"),
        pytest.param("(2/3)^-3", Rational(27, 8), id="fraction-negative-power"),
    ],
)
def test_parse_number_applies_operators_and_precedence(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sqrt(2)", sqrt(2), id="sqrt"),
        pytest.param("sqrt(8)", 2 * sqrt(2), id="sqrt-simplified"),
        pytest.param("sqrt(2)/2", sqrt(2) / 2, id="sqrt-over-two"),
        pytest.param("sqrt(1/4)", Rational(1, 2), id="sqrt-of-fraction"),
        pytest.param("sqrt(0)", sympy.Integer(0), id="sqrt-of-zero"),
        pytest.param("cos(pi/3)", Rational(1, 2), id="cos-pi-third"),
        pytest.param("cos(2*pi/3)", Rational(-1, 2), id="cos-two-pi-thirds"),
        pytest.param("cos(pi)", sympy.Integer(-1), id="cos-pi"),
        pytest.param("cos(0)", sympy.Integer(1), id="cos-zero"),
        pytest.param("sin(pi/6)", Rational(1, 2), id="sin-pi-sixth"),
        pytest.param("sin(pi/4)", sqrt(2) / 2, id="sin-pi-quarter"),
        pytest.param("cos(pi/7)", cos(pi / 7), id="cos-pi-seventh-unevaluated"),
        pytest.param("cos(pi/3) + 1/4", Rational(3, 4), id="docstring-example"),
        pytest.param("pi", pi, id="pi"),
        pytest.param("pi/2", pi / 2, id="pi-over-two"),
    ],
)
def test_parse_number_reads_radicals_trigonometry_and_pi(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(7, sympy.Integer(7), id="positive"),
        pytest.param(0, sympy.Integer(0), id="zero"),
        pytest.param(-12, sympy.Integer(-12), id="negative"),
        pytest.param(10**199, sympy.Integer(10) ** 199, id="max-digits"),
    ],
)
def test_parse_number_accepts_python_integers(value, expected):
    result = parse_number(value)

    assert isinstance(result, sympy.Integer)
    assert result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a", a, id="single-symbol"),
        pytest.param("a+b", a + b, id="sum"),
        pytest.param("2*a/b", 2 * a / b, id="rational-function"),
        pytest.param("a^2 - 1/2", a**2 - Rational(1, 2), id="polynomial"),
        pytest.param("sqrt(2)*a", sqrt(2) * a, id="algebraic-coefficient"),
    ],
)
def test_parse_number_makes_free_names_real_symbols(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("name", ["a", "alpha", "w_1", "a_", "Theta"])
def test_parse_number_symbol_is_real(name):
    symbol = parse_number(name)

    assert symbol == Symbol(name, real=True)
    assert symbol.is_real is True
    # A symbol without the real assumption is a different sympy object.
    assert symbol != Symbol(name)


# -- rejected numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "exp(1)", "unknown function 'exp' (allowed: cos, sin, sqrt) at 'exp'", id="exp"
        ),
        pytest.param("max(1, 2)", "unknown function 'max' (allowed: cos, sin, sqrt)", id="max"),
        pytest.param("eval(1)", "unknown function 'eval'", id="eval"),
        pytest.param("__import__(1)", "unknown function '__import__'", id="import-call"),
        pytest.param(
            "foo(a)",
            "unknown function 'foo' (allowed: cos, sin, sqrt) at 'foo' (position 0)",
            id="foo",
        ),
    ],
)
def test_parse_number_rejects_unknown_functions(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("a.b", 1, id="attribute"),
        pytest.param("os.system", 2, id="os-system"),
        pytest.param("os.system(1)", 2, id="os-system-call"),
        pytest.param("pi.real", 2, id="attribute-of-constant"),
    ],
)
def test_parse_number_rejects_attribute_access(text, position):
    message = f"unexpected character '.' at position {position} in {text!r}"

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("__import__", id="import"),
        pytest.param("__class__", id="class"),
        pytest.param("__builtins__", id="builtins"),
        pytest.param("_private", id="single-underscore"),
    ],
)
def test_parse_number_rejects_underscore_names(name):
    with pytest.raises(
        ExpressionError, match=re.escape(f"{name!r} cannot be used as a free symbol")
    ):
        parse_number(name)


@pytest.mark.parametrize(
    ("text", "character", "position"),
    [
        pytest.param("1 @ 2", "@", 2, id="at-sign"),
        pytest.param("1;2", ";", 1, id="semicolon"),
        pytest.param("$", "$", 0, id="dollar"),
        pytest.param("1 # comment", "#", 2, id="hash"),
        pytest.param("a[0]", "[", 1, id="subscript"),
        pytest.param("a=1", "=", 1, id="assignment"),
        pytest.param("1 < 2", "<", 2, id="comparison"),
        pytest.param("'a'", "'", 0, id="quote"),
        pytest.param("lambda: 1", ":", 6, id="lambda-colon"),
        pytest.param("2\u00b72", "\u00b7", 1, id="middle-dot"),
    ],
)
def test_parse_number_rejects_unknown_characters(text, character, position):
    message = f"unexpected character {character!r} at position {position}"

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "operator", "position"),
    [
        pytest.param("1/0", "/", 1, id="literal-zero"),
        pytest.param("0/0", "/", 1, id="zero-over-zero"),
        pytest.param("1/(2-2)", "/", 1, id="difference-zero"),
        pytest.param("a/(a-a)", "/", 1, id="symbolic-zero"),
        pytest.param("1/(sqrt(2) - sqrt(2))", "/", 1, id="radical-zero"),
        pytest.param("1/(cos(pi/5) - (1+sqrt(5))/4)", "/", 1, id="cos-pi-fifth-zero"),
        pytest.param("0^-1", "^", 1, id="zero-to-negative-power"),
        pytest.param("0**(-1/2)", "**", 1, id="zero-to-negative-half"),
        pytest.param("1/00", "/", 1, id="zero-with-leading-zero"),
        pytest.param("0/00", "/", 1, id="zero-over-double-zero"),
        pytest.param("5/000", "/", 1, id="zero-with-leading-zeros"),
    ],
)
def test_parse_number_rejects_division_by_zero(text, operator, position):
    message = f"division by zero at {operator!r} (position {position})"

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    [
        # (1 + sqrt(2))^2 = 3 + 2 sqrt(2), but sympy keeps the power unexpanded.
        pytest.param("1/((1+sqrt(2))^2 - 3 - 2*sqrt(2))", id="quotient"),
        pytest.param("((1+sqrt(2))^2 - 3 - 2*sqrt(2))^-1", id="negative-power"),
    ],
)
def test_parse_number_rejects_division_by_disguised_zero(text):
    with pytest.raises(ExpressionError, match="division by zero"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("sqrt(-1)", "-1", id="minus-one"),
        pytest.param("sqrt(-1/4)", "-1/4", id="negative-fraction"),
        pytest.param("sqrt(2 - sqrt(5))", "2 - sqrt(5)", id="negative-radical"),
        pytest.param("sqrt(cos(pi))", "-1", id="negative-cosine"),
    ],
)
def test_parse_number_rejects_sqrt_of_negative(text, shown):
    message = f"sqrt of the negative number {shown} at 'sqrt' (position 0)"

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


def test_parse_number_rejects_half_power_of_negative():
    with pytest.raises(ExpressionError, match="the square root of the negative number -1"):
        parse_number("(-1)^(1/2)")


def test_parse_number_rejects_squared_imaginary_unit():
    # (-1)^(1/2) is rejected alone, so its square must not slip through as -1.
    with pytest.raises(ExpressionError, match=r"negative number|not a finite real number"):
        parse_number("(-1)^(1/2)*(-1)^(1/2)")


@pytest.mark.parametrize(
    ("text", "function", "shown"),
    [
        pytest.param("cos(1)", "cos", "1", id="cos-of-one"),
        pytest.param("sin(1/2)", "sin", "1/2", id="sin-of-half"),
        pytest.param("cos(sqrt(2)*pi)", "cos", "sqrt(2)*pi", id="irrational-multiple"),
        pytest.param("sin(a*pi)", "sin", "pi*a", id="symbolic-multiple"),
    ],
)
def test_parse_number_rejects_irrational_angle(text, function, shown):
    message = (
        f"{function} takes a rational multiple of pi, got {shown} at {function!r} (position 0)"
    )

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


def test_parse_number_rejects_huge_pi_denominator():
    with pytest.raises(LimitError, match=re.escape("the denominator of pi/1000001 is too large")):
        parse_number("cos(pi/1000001)")


@pytest.mark.parametrize("name", ["oo", "nan", "inf", "Infinity"])
def test_parse_number_rejects_non_finite_names(name):
    with pytest.raises(ExpressionError, match=re.escape(f"{name!r} is not a finite number")):
        parse_number(name)


@pytest.mark.parametrize(
    "name", ["x", "t", "lambda", "e", "E", "I", "i", "sqrt", "cos", "sin"]
)
def test_parse_number_rejects_reserved_names(name):
    with pytest.raises(
        ExpressionError, match=re.escape(f"{name!r} cannot be used as a free symbol")
    ):
        parse_number(name)


def test_parse_number_rejects_reserved_name_inside_expression():
    message = ("'x' cannot be used as a free symbol, because it reads as a constant or variable "
               "elsewhere (reserved: E, I, cos, e, i, inf, lambda, nan, oo, pi, sin, sqrt, t, x, "
               "names starting with _) at 'x' (position 4) in '2*a+x'")

    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number("2*a+x")


@pytest.mark.parametrize("text", ["NaN", "Inf", "Infinity"])
def test_parse_number_rejects_spellings_of_nan_and_infinity(text):
    # "nan" and "inf" are reserved names. Their capitalised spellings, which numpy and
    # spreadsheets print, must not silently become free symbols either.
    with pytest.raises(ExpressionError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(1.5, 'the float 1.5 is not exact; write the number as a string such as "3/2"',
                     id="float"),
        pytest.param(0.1, 'the float 0.1 is not exact; write the number as a string such as '
                     '"1/10"', id="inexact-tenth"),
        pytest.param(2.0, 'the float 2.0 is not exact; write the number as a string such as "2"',
                     id="integral-float"),
        pytest.param(float("nan"), "nan is not a finite number", id="nan"),
        pytest.param(float("inf"), "inf is not a finite number", id="infinity"),
    ],
)
def test_parse_number_rejects_floats(value, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(value)


@pytest.mark.parametrize("value", [True, False])
def test_parse_number_rejects_booleans(value):
    with pytest.raises(ExpressionError, match=f"expected a number, got the boolean {value}"):
        parse_number(value)


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        pytest.param(None, "NoneType", id="none"),
        pytest.param([1], "list", id="list"),
        pytest.param(b"1", "bytes", id="bytes"),
        pytest.param({"a": 1}, "dict", id="dict"),
    ],
)
def test_parse_number_rejects_other_types(value, type_name):
    with pytest.raises(ExpressionError, match=f"expected an integer or a string, got {type_name}"):
        parse_number(value)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_parse_number_rejects_empty_string(text):
    with pytest.raises(ExpressionError, match="the expression is empty"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("1 2", "unexpected token at '2' (position 2)", id="two-numbers"),
        pytest.param("2)", "unexpected token at ')' (position 1)", id="stray-parenthesis"),
        pytest.param("2(3)", "unexpected token at '(' (position 1)", id="implicit-product"),
        pytest.param("1.2.3", "unexpected token at '.3' (position 3)", id="two-points"),
        pytest.param("1e", "unexpected token at 'e' (position 1)", id="exponent-without-digits"),
        pytest.param(
            "()", "expected a number, a name or '(' at ')' (position 1)", id="empty-parentheses"
        ),
        pytest.param("1+", "expected a number, a name or '(' at the end", id="trailing-operator"),
        pytest.param(
            "*2", "expected a number, a name or '(' at '*' (position 0)", id="leading-times"
        ),
        pytest.param("(1", "expected ')' at the end", id="unclosed-parenthesis"),
        pytest.param("sqrt(2", "expected ')' or ',' at the end", id="unclosed-call"),
        pytest.param(
            "cos()",
            "expected a number, a name or '(' at ')' (position 4)",
            id="call-without-argument",
        ),
        pytest.param("sqrt(1, 2)", "sqrt takes 1 argument(s), got 2 at 'sqrt'", id="wrong-arity"),
    ],
)
def test_parse_number_rejects_syntax_errors(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2^a", id="symbol"),
        pytest.param("2^(1/3)", id="third"),
        pytest.param("2^sqrt(2)", id="irrational"),
        pytest.param("2^pi", id="pi"),
    ],
)
def test_parse_number_rejects_non_half_exponent(text):
    with pytest.raises(
        ExpressionError, match=re.escape("exponents must be integers or halves at '^'")
    ):
        parse_number(text)


# -- size bounds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "1" * (MAX_DIGITS + 1), "has 201 digits; at most 200 are accepted", id="integer-string"
        ),
        pytest.param(
            "-" + "1" * (MAX_DIGITS + 1), "has 201 digits; at most 200 are accepted", id="negative"
        ),
        pytest.param(
            "0." + "0" * 199 + "1", "has 201 digits; at most 200 are accepted", id="decimal"
        ),
        pytest.param(
            "1/" + "3" * (MAX_DIGITS + 1),
            "has 201 digits; at most 200 are accepted",
            id="denominator",
        ),
    ],
)
def test_parse_number_rejects_too_many_digits(text, message):
    with pytest.raises(LimitError, match=re.escape(message)):
        parse_number(text)


def test_parse_number_rejects_integer_with_too_many_digits():
    with pytest.raises(LimitError, match="the integer has more than 200 digits"):
        parse_number(10**MAX_DIGITS)


def test_parse_number_rejects_huge_integer():
    # By default Python 3.11 raises a plain ValueError from str() of an integer past 4300 digits.
    with pytest.raises(LimitError, match="the integer has more than 200 digits"):
        parse_number(10**5000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("1e201", "the exponent of '1e201' in '1e201' is too large", id="positive"),
        pytest.param("1e-201", "the exponent of '1e-201' in '1e-201' is too large", id="negative"),
    ],
)
def test_parse_number_rejects_too_large_decimal_exponent(text, message):
    with pytest.raises(LimitError, match=re.escape(message)):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "2^1000", "the exponent '1000' in '2^1000' exceeds 64 in absolute value", id="large"
        ),
        pytest.param(
            "2^-65", "the exponent '-65' in '2^-65' exceeds 64 in absolute value", id="negative"
        ),
        pytest.param("2^65", "the exponent '65' in '2^65' exceeds 64", id="just-past-bound"),
        pytest.param(
            "10^64^64",
            "the exponent '39402006196394479212'... in '10^64^64' exceeds 64",
            id="tower",
        ),
        pytest.param(
            "2^2^2^2^2", "the exponent '65536' in '2^2^2^2^2' exceeds 64", id="tower-of-twos"
        ),
    ],
)
def test_parse_number_rejects_too_large_exponents(text, message):
    with pytest.raises(LimitError, match=re.escape(message)):
        parse_number(text)


def test_parse_number_accepts_exponent_at_bound():
    assert parse_number("2^64") == sympy.Integer(2) ** 64
    assert parse_number("2^-64") == Rational(1, 2**64)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("(10^64)^64", id="below-python-string-limit"),
        pytest.param("1e200^64", id="past-python-string-limit"),
        pytest.param("1e-200^64", id="denominator-past-python-string-limit"),
        pytest.param("((2^64)^64)^64", id="nested-powers"),
    ],
)
def test_parse_number_rejects_huge_result(text):
    with pytest.raises(LimitError, match="evaluates to a number with more than 2000 digits"):
        parse_number(text)


@pytest.mark.parametrize(
    ("prefix", "suffix"),
    [
        pytest.param("(", ")", id="parentheses"),
        pytest.param("-", "", id="unary-minus"),
        pytest.param("sqrt(", ")", id="function-calls"),
        pytest.param("1^", "", id="powers"),
    ],
)
def test_parse_number_rejects_nesting_past_bound(prefix, suffix):
    # The outer expression is one level, so MAX_DEPTH wrappers make one level too many.
    text = prefix * MAX_DEPTH + "1" + suffix * MAX_DEPTH

    with pytest.raises(LimitError, match=f"nests deeper than {MAX_DEPTH} levels"):
        parse_number(text)


@pytest.mark.parametrize(
    ("prefix", "suffix"),
    [
        pytest.param("(", ")", id="parentheses"),
        pytest.param("-", "", id="unary-minus"),
    ],
)
def test_parse_number_accepts_nesting_at_bound(prefix, suffix):
    depth = MAX_DEPTH - 1
    text = prefix * depth + "1" + suffix * depth

    assert abs(parse_number(text)) == 1


def test_parse_number_rejects_string_past_length_bound():
    text = "1+" * (MAX_LENGTH // 2) + "1"

    with pytest.raises(
        LimitError,
        match=f"the expression is {MAX_LENGTH + 1} characters long; at most {MAX_LENGTH}",
    ):
        parse_number(text)


def test_parse_number_rejects_whitespace_past_length_bound():
    with pytest.raises(LimitError, match=f"at most {MAX_LENGTH} are accepted"):
        parse_number(" " * (MAX_LENGTH + 1) + "1")


def test_parse_number_accepts_string_at_length_bound():
    text = "1+" * (MAX_LENGTH // 2 - 1) + "1 "
    assert len(text) == MAX_LENGTH

    assert parse_number(text) == MAX_LENGTH // 2


# -- error objects and safety ----------------------------------------------------


def test_expression_error_keeps_value():
    with pytest.raises(ExpressionError) as caught:
        parse_number("1/0")

    assert isinstance(caught.value, InputError)
    assert isinstance(caught.value, SymequivError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == "1/0"


def test_limit_error_is_input_error():
    with pytest.raises(LimitError) as caught:
        parse_number("2^1000")

    assert isinstance(caught.value, InputError)
    assert not isinstance(caught.value, ExpressionError)
    assert caught.value.value == "2^1000"


def test_parse_number_error_message_shortens_long_input():
    text = "a" * 100 + "$"

    with pytest.raises(ExpressionError) as caught:
        parse_number(text)

    assert str(caught.value) == f"unexpected character '$' at position 100 in {'a' * 60!r}..."


def test_parse_number_never_evaluates_python(tmp_path, monkeypatch):
    marker = tmp_path / "evaluated"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"

    def forbidden(*arguments, **keywords):
        raise AssertionError("the parser called eval or exec")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)

    with pytest.raises(ExpressionError, match="unexpected character"):
        parse_number(payload)
    assert not marker.exists()

    # The patched builtins do not get in the way of ordinary parsing.
    assert parse_number("cos(pi/3) + sqrt(2)*a") == Rational(1, 2) + sqrt(2) * a


def test_parse_activation_never_evaluates_python(tmp_path):
    marker = tmp_path / "evaluated"
    payload = f"__import__('os').system('touch {marker}')"

    with pytest.raises(ExpressionError):
        parse_activation(payload)
    assert not marker.exists()


# -- activations -----------------------------------------------------------------


def test_activation_variable_is_real_symbol_t():
    assert ACTIVATION_VARIABLE == Symbol("t", real=True)
    assert parse_activation("t") == ACTIVATION_VARIABLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("t^3 + t", t**3 + t, id="polynomial"),
        pytest.param("t**2", t**2, id="double-star"),
        pytest.param("-t^2", -(t**2), id="unary-minus-below-power"),
        pytest.param("t^0.5", sqrt(t), id="decimal-half-power"),
        pytest.param("1/t", 1 / t, id="reciprocal"),
        pytest.param("pi*t", pi * t, id="pi"),
        pytest.param("max(t, 0)", sympy.Max(t, 0), id="max"),
        pytest.param("min(t, 0)", sympy.Min(t, 0), id="min"),
        pytest.param("max(t, t/10)", sympy.Max(t, t / 10), id="leaky-relu"),
        pytest.param("exp(-t^2)", sympy.exp(-(t**2)), id="exp"),
        pytest.param("log(1 + exp(t))", sympy.log(1 + sympy.exp(t)), id="softplus"),
        pytest.param("sqrt(t)", sqrt(t), id="sqrt"),
        pytest.param("abs(t)", sympy.Abs(t), id="abs"),
        pytest.param("tanh(t)", sympy.tanh(t), id="tanh"),
        pytest.param("sinh(t)", sympy.sinh(t), id="sinh"),
        pytest.param("cosh(t)", sympy.cosh(t), id="cosh"),
        pytest.param("sin(t)", sympy.sin(t), id="sin"),
        pytest.param("cos(t)", sympy.cos(t), id="cos"),
        pytest.param("atan(t)", sympy.atan(t), id="atan"),
        pytest.param("erf(t)", sympy.erf(t), id="erf"),
        pytest.param("t*cos(1)", t * sympy.cos(1), id="cos-of-any-constant"),
        pytest.param("t/2 * (1 + erf(t/sqrt(2)))", t / 2 * (1 + sympy.erf(t / sqrt(2))), id="gelu"),
    ],
)
def test_parse_activation_reads_formulas_in_t(text, expected):
    assert parse_activation(text) == expected


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        pytest.param(
            "x",
            ExpressionError,
            "unknown name 'x'; the only variable is t at 'x' (position 0)",
            id="x",
        ),
        pytest.param(
            "a*t", ExpressionError, "unknown name 'a'; the only variable is t", id="free-symbol"
        ),
        pytest.param(
            "E*t", ExpressionError, "unknown name 'E'; the only variable is t", id="euler-constant"
        ),
        pytest.param(
            "lambda", ExpressionError, "unknown name 'lambda'; the only variable is t", id="lambda"
        ),
        pytest.param(
            "__import__",
            ExpressionError,
            "unknown name '__import__'; the only variable is t",
            id="dunder",
        ),
        pytest.param(
            "foo(t)",
            ExpressionError,
            "unknown function 'foo' (allowed: abs, atan, cos, cosh, erf, exp, log, max, min, "
            "sin, sinh, sqrt, tanh) at 'foo' (position 0)",
            id="unknown-function",
        ),
        pytest.param("eval(t)", ExpressionError, "unknown function 'eval'", id="eval"),
        pytest.param(
            "t.real", ExpressionError, "unexpected character '.' at position 1", id="attribute"
        ),
        pytest.param(
            "t^t",
            ExpressionError,
            "exponents may not contain t at '^' (position 1)",
            id="t-in-exponent",
        ),
        pytest.param(
            "2^t",
            ExpressionError,
            "exponents may not contain t at '^' (position 1)",
            id="exponential-by-power",
        ),
        pytest.param(
            "t^(1/3)",
            ExpressionError,
            "exponents must be integers or halves at '^'",
            id="third-power",
        ),
        pytest.param(
            "t^1000", LimitError, "the exponent '1000' in 't^1000' exceeds 64", id="large-exponent"
        ),
        pytest.param(
            "max(t, 0, 1)",
            ExpressionError,
            "max takes 2 argument(s), got 3 at 'max'",
            id="max-arity",
        ),
        pytest.param(
            "min(t)", ExpressionError, "min takes 2 argument(s), got 1 at 'min'", id="min-arity"
        ),
        pytest.param(
            "2", ExpressionError, "the activation does not depend on t at the end", id="constant"
        ),
        pytest.param(
            "t - t", ExpressionError, "the activation does not depend on t", id="cancelling"
        ),
        pytest.param(
            "sqrt(-1)*t",
            ExpressionError,
            "the activation is not a finite real function",
            id="imaginary",
        ),
        pytest.param(
            "t*log(0)",
            ExpressionError,
            "the activation is not a finite real function",
            id="infinite",
        ),
        pytest.param(
            "t/0", ExpressionError, "division by zero at '/' (position 1)", id="division-by-zero"
        ),
        pytest.param("", ExpressionError, "the expression is empty", id="empty"),
    ],
)
def test_parse_activation_rejects_invalid_formulas(text, error, message):
    with pytest.raises(error, match=re.escape(message)):
        parse_activation(text)


def test_parse_activation_rejects_non_string():
    with pytest.raises(ExpressionError, match="expected a string, got int"):
        parse_activation(7)


def test_parse_activation_rejects_nesting_past_bound():
    text = "tanh(" * MAX_DEPTH + "t" + ")" * MAX_DEPTH

    with pytest.raises(LimitError, match=f"nests deeper than {MAX_DEPTH} levels"):
        parse_activation(text)


def test_parse_activation_rejects_string_past_length_bound():
    text = "t+" * (MAX_LENGTH // 2) + "t"

    with pytest.raises(LimitError, match=f"at most {MAX_LENGTH} are accepted"):
        parse_activation(text)
