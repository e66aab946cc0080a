r"""Strategies: the order in which a search visits the grid of symbol values.

``exhaustive``
    every grid point, smallest first: first the point where every symbol
    takes its smallest value (0 when its domain contains 0), then the points
    where one symbol differs from it, then two, and so on. The first
    counterexamples found therefore tend to have few nonzero parameters.
``random``
    grid points drawn uniformly and independently with a seeded
    ``numpy.random.Generator``; repeats are possible and are counted as repeats.
``algebraic``
    the grid points on the solution set of polynomial equations that imply
    end-to-end equivariance (:mod:`symequiv.search.algebraic`).

Each strategy yields an infinite or finite sequence of value tuples that
depends only on the template and the settings, never on the executor, so a
search with the same seed visits the same candidates everywhere.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy

from symequiv.errors import TheoryError, UnsupportedError
from symequiv.search.spec import Strategy

RANDOM_BATCH = 1024


@dataclass(frozen=True)
class CandidateStream:
    """The candidates a strategy visits.

    Attributes
    ----------
    points : iterator of tuple of Fraction
        Values of the symbols, in the template's symbol order.
    size : int or None
        How many points the stream contains before the budget, when finite and known.
    notes : tuple of str
        What the strategy found out while preparing the stream (for reports).
    """

    points: object
    size: int | None
    notes: tuple = ()


def candidate_stream(template):
    """Return the :class:`CandidateStream` of ``template``'s strategy and settings.

    Raises
    ------
    TheoryError
        When the strategy cannot handle the template, naming the file and ``search.strategy``.
    """
    settings = template.settings
    if settings.strategy is Strategy.EXHAUSTIVE:
        return CandidateStream(exhaustive_points(settings.domains), settings.grid_size)
    if settings.strategy is Strategy.RANDOM:
        return CandidateStream(random_points(settings.domains, settings.seed), None)
    from symequiv.search.algebraic import algebraic_stream

    try:
        return algebraic_stream(template)
    except UnsupportedError as error:
        raise TheoryError(str(error), source=template.source, key="search.strategy") from None


def exhaustive_points(domains, fixed=None):
    """Yield every combination of domain values, by the number of symbols off their smallest value.

    Parameters
    ----------
    domains : sequence of SymbolDomain
        Values smallest first.
    fixed : dict, optional
        Position to value for symbols that are not enumerated.
    """
    fixed = fixed or {}
    free = [position for position in range(len(domains)) if position not in fixed]
    base = [fixed.get(position, domain.values[0]) for position, domain in enumerate(domains)]
    for level in range(len(free) + 1):
        for chosen in itertools.combinations(free, level):
            pools = [domains[position].values[1:] for position in chosen]
            for picked in itertools.product(*pools):
                values = list(base)
                for position, value in zip(chosen, picked):
                    values[position] = value
                yield tuple(values)


def random_points(domains, seed):
    """Yield grid points drawn uniformly, forever, from ``numpy.random.default_rng(seed)``."""
    rng = numpy.random.default_rng(seed)
    sizes = numpy.array([len(domain.values) for domain in domains], dtype=numpy.int64)
    while True:
        indices = rng.integers(0, sizes, size=(RANDOM_BATCH, len(domains)))
        for row in indices:
            yield tuple(domain.values[index] for domain, index in zip(domains, row))
