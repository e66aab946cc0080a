"""RationalFunction: exact evaluation of rational functions of named symbols."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symequiv.exact.parser import parse_number
from symequiv.search.rational_function import RationalFunction, format_value, parse_value


def compile_text(text, symbols=("a", "b")):
    return RationalFunction.from_expression(parse_number(text), symbols)


@pytest.mark.parametrize(("text", "point", "expected"), [
    ("a", (3, 5), 3),
    ("a*b - 2", (3, 5), 13),
    ("a/b + 1/2", (1, 3), Fraction(5, 6)),
    ("(a^2 - 1)/(a - 1)", (Fraction(1, 2), 0), Fraction(3, 2)),
    ("-3/4", (9, 9), Fraction(-3, 4)),
], ids=["symbol", "polynomial", "fraction", "unreduced", "constant"])
def test_evaluate(text, point, expected):
    function = compile_text(text)

    assert function.evaluate(tuple(Fraction(value) for value in point)) == expected


def test_constant_is_precomputed():
    assert compile_text("3/4").constant == Fraction(3, 4)
    assert compile_text("a").constant is None


def test_vanishing_denominator_raises():
    with pytest.raises(ZeroDivisionError):
        compile_text("a/b").evaluate((Fraction(1), Fraction(0)))


def test_irrational_coefficient_rejected():
    with pytest.raises(ValueError, match=r"sqrt\(2\)\*a is not a rational function of a, b"):
        compile_text("sqrt(2)*a")


@pytest.mark.parametrize(("value", "text"), [(Fraction(3), "3"), (Fraction(-1, 2), "-1/2"),
                                             (Fraction(0), "0")])
def test_format_and_parse_value(value, text):
    assert format_value(value) == text
    assert parse_value(text) == value
