"""Strategies: the exhaustive order, seeded random sampling, and the stream of each strategy."""

from __future__ import annotations

import itertools

from symequiv.search.spec import Strategy, SymbolDomain
from symequiv.search.strategies import candidate_stream, exhaustive_points, random_points
from tests.search.templates import GELU_PAIR, template, values

DOMAINS = (SymbolDomain.of("a", values(0, 1, -1)), SymbolDomain.of("b", values(1, 2)),
           SymbolDomain.of("c", values(0, "1/2", 3)))


def test_exhaustive_visits_every_point_once():
    points = list(exhaustive_points(DOMAINS))

    assert len(points) == 18
    assert set(points) == set(itertools.product(*(domain.values for domain in DOMAINS)))


def test_exhaustive_visits_smallest_values_first():
    points = list(exhaustive_points(DOMAINS))

    assert points[0] == values(0, 1, 0)
    # Then the points where one symbol leaves its smallest value: 2 + 1 + 2 of them.
    assert points[1:6] == [values(1, 1, 0), values(-1, 1, 0), values(0, 2, 0),
                           values(0, 1, "1/2"), values(0, 1, 3)]
    changed = [sum(value != domain.values[0] for value, domain in zip(point, DOMAINS))
               for point in points]
    assert changed == sorted(changed)


def test_exhaustive_with_fixed_positions():
    points = list(exhaustive_points(DOMAINS, fixed={1: values(7)[0]}))

    assert len(points) == 9
    assert {point[1] for point in points} == set(values(7))


def test_random_points_are_seeded():
    first = list(itertools.islice(random_points(DOMAINS, seed=5), 50))
    again = list(itertools.islice(random_points(DOMAINS, seed=5), 50))
    other = list(itertools.islice(random_points(DOMAINS, seed=6), 50))

    assert first == again
    assert first != other
    assert all(value in domain.values for point in first for value, domain in zip(point, DOMAINS))


def test_stream_sizes():
    gelu = template(GELU_PAIR)

    assert candidate_stream(gelu).size == 3**7
    assert candidate_stream(template(GELU_PAIR, strategy=Strategy.RANDOM.value)).size is None
