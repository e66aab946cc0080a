"""dumps_theory: TOML text that the loader reads back to the same data."""

from __future__ import annotations

import tomllib
from fractions import Fraction

import pytest

from symequiv.theory.writer import dumps_theory

TABLES = {
    "theory": {"name": "x", "description": 'quotes " and\nnew lines, sigma'},
    "group": {"generators": ["s"], "relations": ["s^2"],
              "input": {"s": {"permutation": [1, 0]}}, "output": {"s": "trivial"}},
    "model": {"widths": [2, 2, 1], "activation": {"leaky_relu": "1/10"}, "bias": False},
    "parameters": {"W1": [[Fraction(1, 2), 0], [-1, 3]], "W2": [[Fraction(4), 1]]},
    "expect": {"identifiable": False},
}


def test_round_trip():
    text = dumps_theory(TABLES, {"group": ("input", "output")})

    data = tomllib.loads(text)

    assert data["theory"] == TABLES["theory"]
    assert data["group"]["input"] == {"s": {"permutation": [1, 0]}}
    assert data["group"]["output"] == {"s": "trivial"}
    assert data["model"] == TABLES["model"]
    assert data["parameters"] == {"W1": [["1/2", 0], [-1, 3]], "W2": [[4, 1]]}
    assert data["expect"] == {"identifiable": False}


def test_subtables_and_comment():
    text = dumps_theory(TABLES, {"group": ("input", "output")}, comment="first\nsecond")

    lines = text.splitlines()
    assert lines[:3] == ["# first", "# second", ""]
    assert "[group.input]" in lines
    assert "s = { permutation = [1, 0] }" in lines
    assert 'activation = { leaky_relu = "1/10" }' in lines


def test_quoted_keys():
    assert dumps_theory({"t": {"a b": 1}}) == '[t]\n"a b" = 1\n'


def test_unsupported_value_rejected():
    with pytest.raises(TypeError, match="cannot write float values to a theory file"):
        dumps_theory({"t": {"x": 0.5}})
