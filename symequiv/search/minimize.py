r"""Minimization: make a counterexample as small as possible while it stays one.

The size of a point is compared lexicographically by

1. the number of nonzero parameters (entries of the :math:`W_i` and :math:`b_i`),
2. the total size of the symbol values, :math:`|p| + q` for :math:`p / q`.

The search is greedy: each pass tries, symbol by symbol, the values of the
symbol's domain from the smallest up, and keeps the first change that gives a
smaller point that is still a counterexample and satisfies the constraints.
Passes repeat until nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from symequiv.search.spec import value_size

MAX_EVALUATIONS = 2000


@dataclass(frozen=True)
class Minimized:
    """The smaller counterexample, with the cost of finding it.

    Attributes
    ----------
    values : tuple of Fraction
    nonzero_parameters : int
    evaluations : int
        Candidates evaluated during the minimization.
    complete : bool
        False when :data:`MAX_EVALUATIONS` stopped the passes early.
    """

    values: tuple
    nonzero_parameters: int
    evaluations: int
    complete: bool


def point_size(template, values):
    """Return ``(nonzero parameters, total value size)``, or None where a parameter is undefined."""
    try:
        parameters = template.parameter_values(values)
    except ZeroDivisionError:
        return None
    nonzero = sum(1 for value in parameters.values() for entry in _flatten(value) if entry != 0)
    return nonzero, sum(value_size(value) for value in values)


def _flatten(value):
    for entry in value:
        if isinstance(entry, list):
            yield from entry
        else:
            yield entry


def minimize(evaluator, values, max_evaluations=MAX_EVALUATIONS):
    r"""Return a :class:`Minimized` counterexample no larger than ``values``.

    Parameters
    ----------
    evaluator : CandidateEvaluator
        Asks the template's question.
    values : tuple of Fraction
        A counterexample.
    max_evaluations : int
        A bound on the candidates evaluated.

    Notes
    -----
    NOTE: the result is minimal against changes of one symbol at a time; a smaller
    counterexample that needs two symbols changed together can exist.
    """
    template = evaluator.template
    settings = template.settings
    best = tuple(values)
    best_size = point_size(template, best)
    evaluations = 0
    improved = True
    while improved:
        improved = False
        for position, domain in enumerate(settings.domains):
            for value in domain.values:
                if evaluations >= max_evaluations:
                    return Minimized(best, best_size[0], evaluations, False)
                trial = best[:position] + (value,) + best[position + 1:]
                size = point_size(template, trial)
                if size is None or size >= best_size or not settings.constraints_hold(trial):
                    continue
                evaluations += 1
                if evaluator.evaluate(trial).is_counterexample:
                    best, best_size = trial, size
                    improved = True
                    break
    return Minimized(best, best_size[0], evaluations, True)
