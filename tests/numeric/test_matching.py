"""Tolerant matching inside K: planted symmetries, margins, ambiguity, the Hungarian baseline."""

from __future__ import annotations

import itertools

import numpy
import pytest
import scipy.optimize

from symequiv.activations.symmetry import ScaleSet
from symequiv.numeric.matching import (
    MatchStatus,
    _residual_matrix,
    match_affine,
    match_float_rows,
)

SCALE_SETS = [ScaleSet.ONE, ScaleSet.SIGN, ScaleSet.POSITIVE, ScaleSet.NONZERO]


def planted_rows(rng, size, length, scale_set, noise=1e-6):
    """Return ``(source, target, images, scales)`` with target[images[j]] ~ scales[j] source[j]."""
    source = rng.standard_normal((size, length))
    images = rng.permutation(size)
    if scale_set is ScaleSet.ONE:
        scales = numpy.ones(size)
    elif scale_set is ScaleSet.SIGN:
        scales = rng.choice([-1.0, 1.0], size)
    elif scale_set is ScaleSet.POSITIVE:
        scales = rng.uniform(0.2, 5.0, size)
    else:
        scales = rng.uniform(0.2, 5.0, size) * rng.choice([-1.0, 1.0], size)
    target = numpy.empty_like(source)
    target[images] = scales[:, None] * source
    target += noise * numpy.abs(target) * rng.standard_normal(target.shape)
    return source, target, images, scales


@pytest.mark.parametrize("scale_set", SCALE_SETS, ids=lambda value: value.name.lower())
@pytest.mark.parametrize("seed", range(10))
def test_match_recovers_planted_element(scale_set, seed):
    rng = numpy.random.default_rng(seed)
    source, target, images, scales = planted_rows(rng, 64, 17, scale_set)

    match = match_float_rows(source, target, scale_set, 1e-4, rng)

    assert match.status is MatchStatus.MATCHED
    assert match.images.tolist() == images.tolist()
    assert numpy.allclose(match.scales, scales, rtol=1e-5)
    assert match.error < 1e-5
    assert match.runner_up > 0.1
    assert match.margin > 1e4


@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
def test_match_recovers_planted_element_in_float32(dtype):
    rng = numpy.random.default_rng(7)
    source, target, images, _ = planted_rows(rng, 300, 65, ScaleSet.SIGN, noise=0.0)

    match = match_float_rows(source.astype(dtype), target.astype(dtype), ScaleSet.SIGN, 1e-5,
                             rng)

    assert match.status is MatchStatus.MATCHED
    assert match.images.tolist() == images.tolist()


def test_match_agrees_with_hungarian_on_full_cost_matrix():
    rng = numpy.random.default_rng(3)
    source, target, _, _ = planted_rows(rng, 200, 33, ScaleSet.SIGN, noise=1e-3)

    match = match_float_rows(source, target, ScaleSet.SIGN, 1e-2, rng)

    costs, _ = _residual_matrix(source, target, ScaleSet.SIGN)
    rows, columns = scipy.optimize.linear_sum_assignment(costs)
    baseline = numpy.empty(200, dtype=int)
    baseline[columns] = rows
    assert match.images.tolist() == baseline.tolist()


def test_colliding_candidates_go_to_hungarian():
    rng = numpy.random.default_rng(4)
    source = numpy.array([[1.0, 0.0], [1.0, 0.5], [0.0, 10.0]])
    # Targets 0 and 1 both lie nearest to source 0, so their choices collide.
    target = numpy.array([[1.0, 0.22], [1.0, 0.2], [0.0, 10.0]])

    match = match_float_rows(source, target, ScaleSet.ONE, 0.5, rng)

    costs, _ = _residual_matrix(source, target, ScaleSet.ONE)
    rows, columns = scipy.optimize.linear_sum_assignment(costs)
    baseline = numpy.empty(3, dtype=int)
    baseline[columns] = rows
    assert match.assigned_by_hungarian == 2
    assert match.images.tolist() == baseline.tolist()
    assert match.images.tolist() == [1, 0, 2]


def test_duplicate_neurons_are_ambiguous():
    rng = numpy.random.default_rng(5)
    source = rng.standard_normal((6, 4))
    source[3] = -source[1]
    target = source[[1, 0, 2, 3, 4, 5]]

    match = match_float_rows(source, target, ScaleSet.SIGN, 1e-6, rng)

    assert match.status is MatchStatus.AMBIGUOUS
    assert match.ambiguous_neurons == (1, 3)
    assert match.runner_up == 0.0
    assert match.reason == ("neuron(s) 2, 4 also pair with another neuron within the tolerance "
                            "1e-06 (runner-up 0), so the latent element is not determined")


def test_perturbed_neuron_is_no_match():
    rng = numpy.random.default_rng(6)
    source, target, images, _ = planted_rows(rng, 10, 5, ScaleSet.SIGN, noise=0.0)
    target[images[2]] += 0.1

    match = match_float_rows(source, target, ScaleSet.SIGN, 1e-3, rng)

    assert match.status is MatchStatus.NO_MATCH
    assert match.reason.startswith("the best pairing leaves a relative residual of ")
    assert match.reason.endswith("at neuron 3, above the tolerance 0.001")


def test_sign_is_not_admissible_for_permutations():
    rng = numpy.random.default_rng(8)
    source = rng.standard_normal((5, 3))

    match = match_float_rows(source, -source, ScaleSet.ONE, 1e-3, rng)

    assert match.status is MatchStatus.NO_MATCH


def test_negative_scale_is_not_admissible_for_positive_monomials():
    rng = numpy.random.default_rng(9)
    source = rng.standard_normal((5, 3))

    assert match_float_rows(source, -2 * source, ScaleSet.POSITIVE, 1e-3,
                            rng).status is MatchStatus.NO_MATCH
    nonzero = match_float_rows(source, -2 * source, ScaleSet.NONZERO, 1e-3, rng)
    assert nonzero.status is MatchStatus.MATCHED
    assert numpy.allclose(nonzero.scales, -2.0)


def test_mismatched_shapes_are_no_match():
    rng = numpy.random.default_rng(0)

    match = match_float_rows(numpy.ones((3, 2)), numpy.ones((4, 2)), ScaleSet.ONE, 1e-3, rng)

    assert match.status is MatchStatus.NO_MATCH
    assert match.reason == "the layers have shapes (3, 2) and (4, 2)"


def test_affine_match_recovers_matrix():
    rng = numpy.random.default_rng(10)
    weights = rng.standard_normal((3, 5))
    linear = rng.standard_normal((3, 3))
    source = numpy.column_stack([weights, numpy.zeros(3)])
    target = numpy.column_stack([linear @ weights, numpy.zeros(3)])

    match = match_affine(source, target, 1e-9)

    assert match.status is MatchStatus.MATCHED
    assert numpy.allclose(match.scales, linear)


def test_affine_match_with_dependent_rows_is_ambiguous():
    weights = numpy.array([[1.0, 0.0], [2.0, 0.0]])
    source = numpy.column_stack([weights, numpy.zeros(2)])

    match = match_affine(source, source, 1e-9)

    assert match.status is MatchStatus.AMBIGUOUS
    assert match.reason == "W has rank 1 below its 2 rows, so A is not unique"


@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
@pytest.mark.parametrize("seed", range(3))
def test_match_recovers_planted_element_at_width_512(dtype, seed):
    rng = numpy.random.default_rng(100 + seed)
    source, target, images, _ = planted_rows(rng, 512, 513, ScaleSet.SIGN)

    match = match_float_rows(source.astype(dtype), target.astype(dtype), ScaleSet.SIGN, 1e-4,
                             rng)

    assert match.status is MatchStatus.MATCHED
    assert match.images.tolist() == images.tolist()
    assert match.assigned_by_hungarian == 0
    assert match.runner_up > 1.0


@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
def test_match_rejects_one_perturbed_row_at_width_512(dtype):
    rng = numpy.random.default_rng(110)
    source, target, images, _ = planted_rows(rng, 512, 513, ScaleSet.SIGN)
    row = target[images[300]]
    target[images[300]] = row + 2e-4 * numpy.linalg.norm(row) * rng.standard_normal(513) / 23

    match = match_float_rows(source.astype(dtype), target.astype(dtype), ScaleSet.SIGN, 1e-4,
                             rng)

    assert match.status is MatchStatus.NO_MATCH
    assert match.reason.endswith("at neuron 301, above the tolerance 0.0001")


def settle_then_hungarian(costs, tolerance):
    """The matcher's policy on a full ``(target, source)`` cost matrix, for comparison.

    A target keeps its cheapest source when that is within the tolerance and
    no other target's cheapest; the rest are assigned by the Hungarian algorithm.
    """
    size = len(costs)
    best = costs.argmin(axis=1)
    settled = (numpy.bincount(best, minlength=size)[best] == 1) & (
        costs[numpy.arange(size), best] <= tolerance)
    assignment = numpy.where(settled, best, -1)
    open_targets = numpy.flatnonzero(~settled)
    open_sources = numpy.setdiff1d(numpy.arange(size), best[settled])
    rows, columns = scipy.optimize.linear_sum_assignment(
        costs[numpy.ix_(open_targets, open_sources)])
    assignment[open_targets[rows]] = open_sources[columns]
    images = numpy.empty(size, dtype=int)
    images[assignment] = numpy.arange(size)
    return images, int(open_targets.size)


@pytest.mark.parametrize("scale_set", SCALE_SETS, ids=lambda value: value.name.lower())
def test_near_collisions_fall_back_to_hungarian(scale_set):
    # Forty rows within 0.5% of one another and targets moved by 1%: most
    # targets' cheapest sources collide.
    rng = numpy.random.default_rng(120)
    base = rng.standard_normal(30)
    source = base + 0.005 * rng.standard_normal((40, 30))
    target = source[rng.permutation(40)] + 0.01 * rng.standard_normal((40, 30))

    match = match_float_rows(source, target, scale_set, 0.05, rng)

    costs, _ = _residual_matrix(source, target, scale_set)
    expected_images, expected_open = settle_then_hungarian(costs, 0.05)
    assert expected_open > 10
    assert match.assigned_by_hungarian == expected_open
    assert match.images.tolist() == expected_images.tolist()
    assert match.status is MatchStatus.AMBIGUOUS


def test_dead_neurons_are_ambiguous_under_positive_scales():
    rng = numpy.random.default_rng(121)
    source = rng.standard_normal((5, 4))
    source[[1, 3]] = 0.0

    match = match_float_rows(source, source, ScaleSet.POSITIVE, 1e-6, rng)

    assert match.status is MatchStatus.AMBIGUOUS
    assert match.ambiguous_neurons == (1, 3)
    assert match.runner_up == 0.0


def test_non_finite_row_is_no_match():
    rng = numpy.random.default_rng(122)
    source = rng.standard_normal((4, 3))
    target = source.copy()
    target[2, 1] = numpy.nan

    match = match_float_rows(source, target, ScaleSet.SIGN, 1e-6, rng)

    assert match.status is MatchStatus.NO_MATCH
    assert match.reason == "row 3 of the target layer is not finite or its norm overflows float64"


def test_empty_layers_match():
    rng = numpy.random.default_rng(123)

    match = match_float_rows(numpy.zeros((0, 3)), numpy.zeros((0, 3)), ScaleSet.SIGN, 1e-6, rng)

    assert match.status is MatchStatus.MATCHED
    assert match.images.tolist() == []
    assert match.runner_up == float("inf")


def test_pairing_found_past_greedy_choice():
    # Rows of a trained 2-4-2 tanh layer and the same layer with its inputs swapped.
    # Settling each target on its best source and summing the rest gives a pairing
    # whose worst residual is 0.486, but the pairing (1)(2)(3 -4) keeps every residual
    # within 0.295, so a tolerance of 0.3 admits a match.
    source = numpy.array([[-0.5726, -0.5716, 0.076], [-0.3512, -0.2556, 0.1479],
                          [-0.2162, -0.1145, 0.167], [0.2033, 0.2725, -0.1527]])
    target = source[:, [1, 0, 2]]
    costs, _ = _residual_matrix(source, target, ScaleSet.SIGN)
    best_worst = min(max(costs[t, s] for t, s in enumerate(order))
                     for order in itertools.permutations(range(4)))

    match = match_float_rows(source, target, ScaleSet.SIGN, 0.3, numpy.random.default_rng(0))

    assert round(best_worst, 3) == 0.295
    assert match.status is not MatchStatus.NO_MATCH
    assert match.images.tolist() == [0, 1, 3, 2]
    assert match.scales.tolist() == [1.0, 1.0, -1.0, -1.0]
    assert round(match.error, 3) == 0.295


def test_no_match_only_without_pairing():
    rng = numpy.random.default_rng(11)
    source = rng.normal(size=(6, 4))
    target = rng.normal(size=(6, 4))
    costs, _ = _residual_matrix(source, target, ScaleSet.SIGN)
    best_worst = min(max(costs[t, s] for t, s in enumerate(order))
                     for order in itertools.permutations(range(6)))

    below = match_float_rows(source, target, ScaleSet.SIGN, best_worst * 0.999, rng)
    above = match_float_rows(source, target, ScaleSet.SIGN, best_worst * 1.001, rng)

    assert below.status is MatchStatus.NO_MATCH
    assert above.status is not MatchStatus.NO_MATCH
    assert above.error <= best_worst * 1.001
