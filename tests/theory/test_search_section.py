"""The ``[search]`` table: valid settings, defaults, and every rejected value with its message."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

import symequiv
from symequiv.errors import ExpressionError, InputError, TheoryError
from symequiv.search.spec import DEFAULT_BUDGET, Question, Strategy

TEMPLATE = """\
[theory]
name = "pair"

[group]
generators = ["n"]
relations = ["n^2"]

[group.input]
n = [[-1]]

[group.output]
n = [[-1]]

[model]
widths = [1, 2, 1]
activation = "gelu"

[parameters]
W1 = [["a"], ["b"]]
b1 = [0, 0]
W2 = [["p", "q"]]
b2 = [0]
"""


def load(search_text, base=TEMPLATE):
    return symequiv.loads(base + "\n[search]\n" + search_text, source="t.toml")


def fractions(*numbers):
    return tuple(Fraction(number) for number in numbers)


def test_theory_without_search_table_has_none():
    theory = symequiv.loads(TEMPLATE, source="t.toml")

    assert theory.search is None


def test_full_search_table():
    settings = load('question = "not_identifiable"\nstrategy = "random"\nbudget = 50\n'
                    'seed = 7\nstop_after = 0\nvalues = [2, -1]\n'
                    'constraints = ["a != 0", "p + q == 0", "a <= b"]\n'
                    '[search.symbols]\nb = ["1/2", 0]\n').search

    assert settings.question is Question.NOT_IDENTIFIABLE
    assert settings.strategy is Strategy.RANDOM
    assert (settings.budget, settings.seed, settings.stop_after) == (50, 7, 0)
    assert settings.symbols == ("a", "b", "p", "q")
    assert settings.domains[0].values == fractions(-1, 2)
    assert settings.domains[1].values == fractions(0, "1/2")
    assert [constraint.relation for constraint in settings.constraints] == ["!=", "=", "<="]


def test_defaults_for_missing_keys():
    settings = load('question = "not_layerwise"\n').search

    assert settings.strategy is Strategy.EXHAUSTIVE
    assert (settings.budget, settings.seed, settings.stop_after) == (DEFAULT_BUDGET, 0, 1)
    assert all(domain.values == fractions(0, 1, -1) for domain in settings.domains)
    assert settings.grid_size == 81


def test_domain_values_sorted_smallest_first():
    settings = load('values = [3, "-1/2", 1, 0, -3, 2, 1]\n').search

    assert settings.domains[0].values == fractions(0, 1, 2, "-1/2", 3, -3)


def test_range_with_denominators():
    settings = load('[search.symbols]\na = { range = [-1, 1], denominators = [1, 2] }\n'
                    'b = { range = ["1/2", 2] }\n').search

    assert settings.domains[0].values == fractions(0, 1, -1, "1/2", "-1/2")
    assert settings.domains[1].values == fractions(1, 2)


@pytest.mark.parametrize(("text", "values", "expected"), [
    ("a != 0", (1, 0, 0, 0), True),
    ("a != 0", (0, 0, 0, 0), False),
    ("p + q = 0", (0, 0, 1, -1), True),
    ("p + q = 0", (0, 0, 1, 1), False),
    ("a < b", (0, 1, 0, 0), True),
    ("a < b", (1, 1, 0, 0), False),
    ("a >= b", (1, 1, 0, 0), True),
    ("a > b", (1, 1, 0, 0), False),
    ("a / b = 1", (1, 0, 0, 0), False),
], ids=["ne-true", "ne-false", "eq-true", "eq-false", "lt-true", "lt-false", "ge-true",
        "gt-false", "undefined-is-false"])
def test_constraint_holds(text, values, expected):
    constraint = load(f'constraints = ["{text}"]\n').search.constraints[0]

    assert constraint.holds(fractions(*values)) is expected


SEARCH_ERRORS = [
    ('strategy = "clever"\n', "search.strategy",
     "expected one of ['exhaustive', 'random', 'algebraic'], got 'clever'"),
    ('question = "layerwise"\n', "search.question",
     "expected one of ['not_layerwise', 'no_homomorphism', 'not_identifiable', 'expect'], "
     "got 'layerwise'"),
    ("budget = 0\n", "search.budget", "expected an integer from 1 to 1000000000, got 0"),
    ("budget = true\n", "search.budget", "expected an integer from 1 to 1000000000, got True"),
    ("seed = -1\n", "search.seed", "expected a non-negative integer below 2^63, got -1"),
    ("stop_after = -2\n", "search.stop_after",
     "expected a non-negative integer (0 searches the whole budget), got -2"),
    ("budgte = 3\n", "search",
     "unknown key(s) ['budgte'] (did you mean 'budget'?); allowed: ['budget', 'constraints', "
     "'question', 'seed', 'stop_after', 'strategy', 'symbols', 'values']"),
    ("values = []\n", "search.values", "expected a non-empty list of rational numbers"),
    ("values = 3\n", "search.values", "expected a non-empty list of rational numbers"),
    ('values = ["sqrt(2)"]\n', "search.values[0]", "expected a rational number, got sqrt(2)"),
    ('values = ["a"]\n', "search.values[0]", "expected a rational number, got a"),
    ("values = [true]\n", "search.values[0]", "expected a rational number, got True"),
    ("values = [nan]\n", "search.values[0]", "nan is not a finite number"),
    ("values = [0.5]\n", "search.values[0]",
     'the float 0.5 is not exact; write the number as a string such as "1/2"'),
    ("budget = 100000000000000000000\n", "search.budget",
     "expected an integer from 1 to 1000000000, got 100000000000000000000"),
    ("[search.symbols]\nz = [1]\n", "search.symbols.z",
     "'z' is not a free symbol of the parameters; the free symbols are a, b, p, q"),
    ("[search.symbols]\na = 3\n", "search.symbols.a",
     "expected a list of values or a table { range = [low, high], denominators = [1, 2] }"),
    ("[search.symbols]\na = { range = [2, 1] }\n", "search.symbols.a.range",
     "the low end 2 exceeds the high end 1"),
    ("[search.symbols]\na = { range = [1] }\n", "search.symbols.a.range",
     "expected [low, high]"),
    ("[search.symbols]\na = { range = [0, 1], denominators = [0] }\n",
     "search.symbols.a.denominators", "expected a non-empty list of integers from 1 to 1000"),
    ("[search.symbols]\na = { range = [0, 100000] }\n", "search.symbols.a",
     "the range has 100001 values with these denominators; at most 10000 per symbol are "
     "accepted"),
    ("[search.symbols]\na = { range = [\"1/3\", \"1/2\"] }\n", "search.symbols.a",
     "no number n/q with q in [1] lies in [1/3, 1/2]"),
    ("[search.symbols]\na = { range = [0, 1], step = 1 }\n", "search.symbols.a",
     "unknown key(s) ['step']; allowed: ['denominators', 'range']"),
    ('constraints = "a != 0"\n', "search.constraints",
     "expected a list of strings such as \"a != 0\" or \"a + b = 0\""),
    ('constraints = ["a"]\n', "search.constraints[0]",
     "expected one relation (=, !=, <, <=, >, >=) between two expressions, got 'a'"),
    ('constraints = ["0 < a < 1"]\n', "search.constraints[0]",
     "expected one relation (=, !=, <, <=, >, >=) between two expressions, got '0 < a < 1'"),
    ('constraints = ["z = 0"]\n', "search.constraints[0]",
     "'z' is not a free symbol of the parameters; the free symbols are a, b, p, q"),
    ('constraints = ["a = sqrt(2)"]\n', "search.constraints[0]",
     "expected rational functions of the symbols with rational coefficients, got "
     "'a = sqrt(2)'"),
    ('values = ["inf"]\n', "search.values[0]",
     "'inf' is not a finite rational value; expected a rational number such as -1 or \"1/2\""),
    ('values = [-1, "nan", 1]\n', "search.values[1]",
     "'nan' is not a finite rational value; expected a rational number such as -1 or \"1/2\""),
    ('constraints = ["a != nan"]\n', "search.constraints[0]",
     "'nan' is not a finite number, so it is neither a value nor a free symbol at 'nan' "
     "(position 5) in the constraint 'a != nan'"),
    ('constraints = ["a =! 0"]\n', "search.constraints[0]",
     "unexpected character at '!' (position 3) in the constraint 'a =! 0'"),
    ('constraints = ["a + (b = 0"]\n', "search.constraints[0]",
     "expected ')' at the end in the constraint 'a + (b = 0'"),
    ('question = "expect"\n', "search.question",
     '"expect" looks for values that refute a claim of [expect], but the file has no '
     "[expect] claims"),
]


@pytest.mark.parametrize(("text", "key", "message"), SEARCH_ERRORS,
                         ids=[case[1] + "-" + str(index) for index, case in
                              enumerate(SEARCH_ERRORS)])
def test_search_errors(text, key, message):
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        load(text)

    assert caught.value.source == "t.toml"
    assert caught.value.key == key
    assert str(caught.value) == f"t.toml: {key}: {message}"


def test_search_error_in_a_number_names_the_entry():
    with pytest.raises(ExpressionError, match=r"^t\.toml: search\.values\[1\]: ") as caught:
        load('values = [1, "1/0"]\n')

    assert caught.value.key == "search.values[1]"


def test_search_table_without_free_symbols():
    base = TEMPLATE.replace('[["a"], ["b"]]', "[[1], [2]]").replace('[["p", "q"]]', "[[1, 1]]")

    with pytest.raises(TheoryError, match=re.escape(
            "t.toml: search: the parameters have no free symbols, so there is nothing to "
            "search; write a symbol such as \"a\" in place of a number in [parameters]")):
        load("budget = 3\n", base)
