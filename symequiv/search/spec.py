r"""The settings of a counterexample search: what is asked, how, and over which values.

A template's free symbols range over finite sets of rationals (their
*domains*), optionally restricted by constraints such as ``"a != 0"`` or
``"p + q = 0"``. The search space is the grid of all combinations that
satisfy the constraints, and the strategies differ in which grid points they
visit and in what order. These settings come from the ``[search]`` table of a
theory file (read by :mod:`symequiv.theory.search_section`), with defaults for
every key, and the command line can override the scalar ones.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from fractions import Fraction

from symequiv.errors import InputError


class Question(enum.Enum):
    """What makes a candidate a counterexample."""

    NOT_LAYERWISE = "not_layerwise"
    NO_HOMOMORPHISM = "no_homomorphism"
    NOT_IDENTIFIABLE = "not_identifiable"
    EXPECT = "expect"

    @property
    def description(self):
        return _QUESTION_TEXT[self]


_QUESTION_TEXT = {
    Question.NOT_LAYERWISE: "end-to-end equivariant but not layerwise equivariant at theta",
    Question.NO_HOMOMORPHISM: "end-to-end equivariant, and no homomorphisms into the latent "
                              "groups make the layers equivariant, at theta nor at theta*",
    Question.NOT_IDENTIFIABLE: "not identifiable",
    Question.EXPECT: "a claim of [expect] is refuted",
}


class Strategy(enum.Enum):
    """Which grid points a search visits, and in what order."""

    EXHAUSTIVE = "exhaustive"
    RANDOM = "random"
    ALGEBRAIC = "algebraic"


DEFAULT_VALUES = (Fraction(0), Fraction(1), Fraction(-1))
DEFAULT_BUDGET = 100_000
MAX_BUDGET = 10**9
MAX_DOMAIN_SIZE = 10_000


def value_order(value):
    """Sort key that puts small values first: 0, 1, -1, 2, -2, 1/2, -1/2, 3, ..."""
    return (abs(value.numerator) + value.denominator, value.denominator, value < 0)


def value_size(value):
    """The size of a value in a minimized counterexample: ``|numerator| + denominator``."""
    return abs(value.numerator) + value.denominator


@dataclass(frozen=True)
class SymbolDomain:
    """The finite set of rationals one free symbol ranges over, smallest first."""

    name: str
    values: tuple

    @classmethod
    def of(cls, name, values):
        return cls(name, tuple(sorted(set(values), key=value_order)))


_RELATIONS = {
    "=": lambda value: value == 0,
    "!=": lambda value: value != 0,
    "<": lambda value: value < 0,
    "<=": lambda value: value <= 0,
    ">": lambda value: value > 0,
    ">=": lambda value: value >= 0,
}


@dataclass(frozen=True)
class Constraint:
    r"""A relation ``left OP right`` between rational functions of the symbols.

    Attributes
    ----------
    text : str
        The constraint as written, such as ``"a + b = 0"``.
    relation : str
        One of ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``.
    difference : RationalFunction
        ``left - right``, compared with zero.
    equation : sympy.Expr
        ``left - right`` as an expression, for the algebraic strategy.
    """

    text: str
    relation: str
    difference: object
    equation: object

    def holds(self, values):
        """Return True when the constraint holds at ``values``; False where it is undefined."""
        try:
            return _RELATIONS[self.relation](self.difference.evaluate(values))
        except ZeroDivisionError:
            return False


@dataclass(frozen=True)
class SearchSettings:
    """Everything that determines which candidates a search visits and what it asks.

    Attributes
    ----------
    question : Question
    strategy : Strategy
    budget : int
        The maximum number of grid points visited.
    seed : int
        Seed of the random strategy.
    stop_after : int
        Stop after this many counterexamples; 0 visits the whole budget.
    domains : tuple of SymbolDomain
        One per free symbol, in the order the symbols first appear in ``[parameters]``.
    constraints : tuple of Constraint
    """

    question: Question = Question.NOT_LAYERWISE
    strategy: Strategy = Strategy.EXHAUSTIVE
    budget: int = DEFAULT_BUDGET
    seed: int = 0
    stop_after: int = 1
    domains: tuple = ()
    constraints: tuple = ()

    @property
    def symbols(self):
        return tuple(domain.name for domain in self.domains)

    @property
    def grid_size(self):
        """The number of grid points before constraints: the product of the domain sizes."""
        return math.prod(len(domain.values) for domain in self.domains)

    def constraints_hold(self, values):
        return all(constraint.holds(values) for constraint in self.constraints)

    def overridden(self, question=None, strategy=None, budget=None, seed=None,
                   stop_after=None):
        """Return a copy with the given settings replaced (None keeps a setting).

        Raises
        ------
        InputError
            For a budget, seed or stop_after out of range.
        """
        changes = {}
        if question is not None:
            changes["question"] = Question(question)
        if strategy is not None:
            changes["strategy"] = Strategy(strategy)
        if budget is not None:
            check_budget(budget, "--budget")
            changes["budget"] = budget
        if seed is not None:
            check_seed(seed, "--seed")
            changes["seed"] = seed
        if stop_after is not None:
            check_stop_after(stop_after, "--stop-after")
            changes["stop_after"] = stop_after
        return replace(self, **changes)

    def fingerprint(self):
        """The settings that fix the sequence of visited candidates, as JSON-ready data.

        The budget and ``stop_after`` only cut the sequence short, so they are left out:
        a checkpoint stays valid when either changes. The seed matters to the random
        strategy only.
        """
        return {
            "question": self.question.value,
            "strategy": self.strategy.value,
            "seed": self.seed if self.strategy is Strategy.RANDOM else None,
            "domains": {domain.name: [str(value) for value in domain.values]
                        for domain in self.domains},
            "constraints": [constraint.text for constraint in self.constraints],
        }


def check_budget(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BUDGET:
        raise InputError(f"expected an integer from 1 to {MAX_BUDGET}, got {value!r}", key=key,
                         value=value)


def check_seed(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise InputError(f"expected a non-negative integer below 2^63, got {value!r}", key=key,
                         value=value)


def check_stop_after(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"expected a non-negative integer (0 searches the whole budget), "
                         f"got {value!r}", key=key, value=value)


def symbols_in_order(parameters):
    """Return the names of the free symbols in ``parameters`` in order of first appearance.

    ``parameters`` maps ``"W1"``, ``"b1"``, ... to nested lists of sympy expressions
    (or ints); matrices are read row by row.
    """
    names = []
    seen = set()
    for value in parameters.values():
        for entry in _flatten(value):
            symbols = getattr(entry, "free_symbols", ())
            for symbol in sorted(symbols, key=str):
                if str(symbol) not in seen:
                    seen.add(str(symbol))
                    names.append(str(symbol))
    return tuple(names)


def _flatten(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    else:
        yield value
