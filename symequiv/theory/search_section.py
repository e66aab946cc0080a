r"""The ``[search]`` table: the settings of a counterexample search over a template.

A theory whose parameters contain free symbols describes a family of networks.
``[search]`` sets which values the symbols range over and what the
``symequiv search`` command looks for. Every key is optional::

    [search]
    question = "not_layerwise"     # or "no_homomorphism", "not_identifiable", "expect"
    strategy = "exhaustive"        # or "random", "algebraic"
    budget = 100000                # grid points visited at most
    seed = 0                       # of the random strategy
    stop_after = 1                 # counterexamples; 0 visits the whole budget
    values = [-1, 0, 1]            # the domain of every symbol not listed below
    constraints = ["a != 0", "p + q = 0"]

    [search.symbols]
    a = [1, 2, "1/2"]                               # a list of values
    c = { range = [-2, 2] }                          # the integers from -2 to 2
    d = { range = [-1, 1], denominators = [1, 2] }   # n/q in [-1, 1] for q in 1, 2

The verify and derive commands ignore the table, but it is checked whenever
the file is read.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy

from symequiv.errors import InputError
from symequiv.exact.parser import parse_number
from symequiv.search.rational_function import RationalFunction
from symequiv.search.spec import (
    DEFAULT_VALUES,
    MAX_DOMAIN_SIZE,
    Constraint,
    Question,
    SearchSettings,
    Strategy,
    SymbolDomain,
    check_budget,
    check_seed,
    check_stop_after,
    symbols_in_order,
)

KEYS = {"question", "strategy", "budget", "seed", "stop_after", "values", "symbols",
        "constraints"}
MAX_DENOMINATOR = 1000
NON_FINITE_NAMES = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "+infinity",
                              "-infinity", "oo", "-oo", "+oo"})
MAX_CONSTRAINTS = 100

# The first relation operator in a constraint; two-character operators are tried first.
_RELATION = re.compile(r"==|!=|<=|>=|=|<|>")


def read_search(context, table, parameters, expectations):
    r"""Read ``[search]`` into :class:`~symequiv.search.spec.SearchSettings`, or None without it.

    Parameters
    ----------
    context : Context
    table : dict
        The parsed table; empty when the file has none.
    parameters : dict
        The parsed ``[parameters]``, whose free symbols the search ranges over.
    expectations : dict
        The ``[expect]`` claims, needed by ``question = "expect"``.
    """
    if not table:
        return None
    context.allow(table, KEYS, "search")
    symbols = symbols_in_order(parameters)
    if not symbols:
        raise context.error("search", "the parameters have no free symbols, so there is "
                            "nothing to search; write a symbol such as \"a\" in place of a "
                            "number in [parameters]")
    settings = {}
    for key, enum_type in (("question", Question), ("strategy", Strategy)):
        if key in table:
            settings[key] = _read_choice(context, table[key], enum_type, f"search.{key}")
    for key, check in (("budget", check_budget), ("seed", check_seed),
                       ("stop_after", check_stop_after)):
        if key in table:
            try:
                check(table[key], f"search.{key}")
            except InputError as error:
                raise error.located(source=context.source) from None
            settings[key] = table[key]
    if settings.get("question") is Question.EXPECT and not expectations:
        raise context.error("search.question", '"expect" looks for values that refute a claim '
                            "of [expect], but the file has no [expect] claims", "expect")

    default = DEFAULT_VALUES
    if "values" in table:
        default = _read_values(context, table["values"], "search.values")
    domains_table = table.get("symbols", {})
    if not isinstance(domains_table, dict):
        raise context.error("search.symbols", "expected a table of symbol = values",
                            domains_table)
    unknown = sorted(set(domains_table) - set(symbols))
    if unknown:
        raise context.error(f"search.symbols.{unknown[0]}", f"{unknown[0]!r} is not a free "
                            f"symbol of the parameters; the free symbols are "
                            f"{', '.join(symbols)}", unknown[0])
    domains = []
    for name in symbols:
        key = f"search.symbols.{name}"
        values = _read_domain(context, domains_table[name], key) if name in domains_table \
            else default
        domains.append(SymbolDomain.of(name, values))
    settings["domains"] = tuple(domains)
    settings["constraints"] = _read_constraints(context, table.get("constraints", []), symbols)
    return SearchSettings(**settings)


def _read_choice(context, value, enum_type, key):
    choices = [member.value for member in enum_type]
    try:
        return enum_type(value)
    except (ValueError, TypeError):
        raise context.error(key, f"expected one of {choices}, got {value!r}", value) from None


def _read_number(context, entry, key):
    if isinstance(entry, str) and entry.strip().lower() in NON_FINITE_NAMES:
        raise context.error(key, f"{entry!r} is not a finite rational value; expected a "
                            "rational number such as -1 or \"1/2\"", entry)
    if isinstance(entry, bool) or not isinstance(entry, (int, str, float)):
        raise context.error(key, f"expected a rational number, got {entry!r}", entry)
    try:
        value = parse_number(entry)
    except InputError as error:
        raise context.wrap(error, key) from None
    if not value.is_Rational:
        raise context.error(key, f"expected a rational number, got {value}", entry)
    return Fraction(int(value.p), int(value.q))


def _read_values(context, value, key):
    if not isinstance(value, list) or not value:
        raise context.error(key, "expected a non-empty list of rational numbers", value)
    if len(value) > MAX_DOMAIN_SIZE:
        raise context.error(key, f"at most {MAX_DOMAIN_SIZE} values per symbol are "
                            f"accepted, got {len(value)}", len(value))
    return [_read_number(context, entry, f"{key}[{index}]") for index, entry in enumerate(value)]


def _read_domain(context, value, key):
    if isinstance(value, list):
        return _read_values(context, value, key)
    if not isinstance(value, dict):
        raise context.error(key, "expected a list of values or a table { range = [low, high], "
                            "denominators = [1, 2] }", value)
    context.allow(value, {"range", "denominators"}, key)

    bounds = value.get("range")
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise context.error(f"{key}.range", "expected [low, high]", bounds)
    low, high = (_read_number(context, entry, f"{key}.range[{index}]")
                 for index, entry in enumerate(bounds))
    if low > high:
        raise context.error(f"{key}.range", f"the low end {low} exceeds the high end {high}",
                            bounds)

    denominators = value.get("denominators", [1])
    if (not isinstance(denominators, list) or not denominators
            or not all(type(entry) is int and 1 <= entry <= MAX_DENOMINATOR
                       for entry in denominators)):
        raise context.error(f"{key}.denominators", "expected a non-empty list of integers "
                            f"from 1 to {MAX_DENOMINATOR}", denominators)
    count = sum(math.floor(high * denominator) - math.ceil(low * denominator) + 1
                for denominator in set(denominators))
    if count > MAX_DOMAIN_SIZE:
        raise context.error(key, f"the range has {count} values with these denominators; at "
                            f"most {MAX_DOMAIN_SIZE} per symbol are accepted", bounds)

    values = set()
    for denominator in denominators:
        for numerator in range(math.ceil(low * denominator),
                               math.floor(high * denominator) + 1):
            values.add(Fraction(numerator, denominator))
    if not values:
        raise context.error(key, f"no number n/q with q in {denominators} lies in "
                            f"[{low}, {high}]", bounds)
    return values


def _read_constraints(context, value, symbols):
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise context.error("search.constraints", "expected a list of strings such as "
                            "\"a != 0\" or \"a + b = 0\"", value)
    if len(value) > MAX_CONSTRAINTS:
        raise context.error("search.constraints", f"at most {MAX_CONSTRAINTS} constraints are "
                            f"accepted, got {len(value)}", len(value))
    return tuple(_read_constraint(context, text, symbols, f"search.constraints[{index}]")
                 for index, text in enumerate(value))


def _read_constraint(context, text, symbols, key):
    match = _RELATION.search(text)
    if match is None or _RELATION.search(text, match.end()) is not None:
        raise context.error(key, f"expected one relation (=, !=, <, <=, >, >=) between two "
                            f"expressions, got {text!r}", text)
    relation = "=" if match.group() == "==" else match.group()
    sides = []
    for offset, side in ((0, text[:match.start()]), (match.end(), text[match.end():])):
        try:
            sides.append(parse_number(side))
        except InputError as error:
            if getattr(error, "position", None) is None:
                raise context.wrap(error, key) from None
            # Positions count from the start of the whole constraint, as users read it.
            position = offset + error.position
            where = ("at the end" if error.token is None
                     else f"at {error.token!r} (position {position})")
            raise context.error(key, f"{error.reason} {where} in the constraint {text!r}",
                                text) from None
    difference = sympy.together(sides[0] - sides[1])
    names = sorted(str(symbol) for symbol in difference.free_symbols)
    unknown = [name for name in names if name not in symbols]
    if unknown:
        raise context.error(key, f"{unknown[0]!r} is not a free symbol of the parameters; the "
                            f"free symbols are {', '.join(symbols)}", text)
    try:
        function = RationalFunction.from_expression(difference, symbols)
    except ValueError:
        raise context.error(key, "expected rational functions of the symbols with rational "
                            f"coefficients, got {text!r}", text) from None
    return Constraint(text, relation, function, difference)
