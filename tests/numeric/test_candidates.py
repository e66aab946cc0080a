"""Candidate pairs in a random projection: complete within the tolerance, exact where it matters."""

from __future__ import annotations

import numpy
import pytest

from symequiv.activations.symmetry import ScaleSet
from symequiv.numeric.candidates import (
    RECHECK,
    candidate_pairs,
    candidate_residuals,
    indexed_pair_residuals,
    pair_residuals,
    rounding_bound,
    row_norms,
)
from symequiv.numeric.matching import _residual_matrix

SCALE_SETS = [ScaleSet.ONE, ScaleSet.SIGN, ScaleSet.POSITIVE, ScaleSet.NONZERO]


def clustered_rows(rng, centres, size, spread, scale_set):
    """Rows around the given centres, each times an admissible scale, so many pairs are close."""
    rows = centres[rng.integers(0, len(centres), size)]
    rows = rows + spread * rng.standard_normal(rows.shape)
    if scale_set in (ScaleSet.SIGN, ScaleSet.NONZERO):
        rows *= rng.choice([-1.0, 1.0], size)[:, None]
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        rows *= rng.uniform(0.5, 2.0, size)[:, None]
    return rows


@pytest.mark.parametrize("scale_set", SCALE_SETS, ids=lambda value: value.name.lower())
@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
def test_candidates_contain_every_pair_within_tolerance(scale_set, dtype):
    rng = numpy.random.default_rng(11)
    centres = rng.standard_normal((6, 300))
    source = clustered_rows(rng, centres, 120, 0.02, scale_set).astype(dtype)
    target = clustered_rows(rng, centres, 120, 0.02, scale_set).astype(dtype)
    tolerance = 0.05

    norms = row_norms(source), row_norms(target)
    targets, sources = candidate_pairs(source, target, *norms, scale_set, tolerance, rng, 2)

    costs, _ = _residual_matrix(source.astype(float), target.astype(float), scale_set)
    within = {(int(t), int(s)) for t, s in zip(*numpy.nonzero(costs <= tolerance))}
    found = set(zip(targets.tolist(), sources.tolist()))
    assert len(within) > 120
    assert within <= found


@pytest.mark.parametrize("scale_set", SCALE_SETS, ids=lambda value: value.name.lower())
def test_candidates_reach_tolerance_in_2d(scale_set):
    # In two dimensions the projection is nearly an isometry along one direction,
    # so pairs just within the tolerance land just within the ball's radius.
    rng = numpy.random.default_rng(15)
    source = numpy.array([10.0, 10.0]) + rng.uniform(-0.5, 0.5, (300, 2))
    target = numpy.array([10.0, 10.0]) + rng.uniform(-0.5, 0.5, (300, 2))
    tolerance = 0.02

    norms = row_norms(source), row_norms(target)
    targets, sources = candidate_pairs(source, target, *norms, scale_set, tolerance, rng, 2)

    costs, _ = _residual_matrix(source, target, scale_set)
    within = {(int(t), int(s)) for t, s in zip(*numpy.nonzero(costs <= tolerance))}
    found = set(zip(targets.tolist(), sources.tolist()))
    assert len(within) > 300
    assert within <= found


def test_candidates_include_nearest_neighbours():
    rng = numpy.random.default_rng(12)
    source = rng.standard_normal((50, 40))
    target = rng.standard_normal((50, 40))

    targets, _ = candidate_pairs(source, target, row_norms(source), row_norms(target),
                                 ScaleSet.SIGN, 1e-6, rng, 2)

    assert numpy.bincount(targets, minlength=50).min() >= 3


@pytest.mark.parametrize("scale_set", SCALE_SETS, ids=lambda value: value.name.lower())
@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
def test_candidate_residuals_agree_with_full_matrix(scale_set, dtype):
    rng = numpy.random.default_rng(13)
    centres = rng.standard_normal((4, 500))
    source = clustered_rows(rng, centres, 60, 1e-4, scale_set).astype(dtype)
    target = clustered_rows(rng, centres, 60, 1e-4, scale_set).astype(dtype)
    targets, sources = numpy.divmod(numpy.arange(60 * 60), 60)

    residuals, scales = candidate_residuals(source, target, row_norms(source), row_norms(target),
                                            sources, targets, scale_set, 1e-4)

    exact, exact_scales = pair_residuals(source[sources], target[targets], scale_set)
    small = exact <= RECHECK
    error_bound = numpy.sqrt(4 * rounding_bound(dtype, 500) + 1e-9)
    assert small.any()
    assert numpy.array_equal(residuals[small], exact[small])
    assert numpy.array_equal(scales[small], exact_scales[small])
    assert numpy.abs(residuals - exact).max() <= error_bound


def test_indexed_residuals_match_gathered_rows():
    rng = numpy.random.default_rng(14)
    source = rng.standard_normal((30, 7)).astype(numpy.float32)
    target = rng.standard_normal((30, 7)).astype(numpy.float32)
    sources = rng.integers(0, 30, 100)
    targets = rng.integers(0, 30, 100)

    residuals, scales = indexed_pair_residuals(source, target, row_norms(source),
                                               row_norms(target), sources, targets,
                                               ScaleSet.NONZERO)

    expected, expected_scales = pair_residuals(source[sources], target[targets],
                                               ScaleSet.NONZERO)
    assert numpy.allclose(residuals, expected, rtol=1e-12, atol=1e-15)
    assert numpy.allclose(scales, expected_scales, rtol=1e-12)


def test_zero_rows_have_residual_zero_under_positive_scales():
    source = numpy.zeros((2, 5))

    residuals, _ = candidate_residuals(source, source, row_norms(source), row_norms(source),
                                       numpy.array([0, 1]), numpy.array([1, 0]),
                                       ScaleSet.POSITIVE, 1e-6)

    assert residuals.tolist() == [0.0, 0.0]


def test_rounding_bound_is_infinite_for_huge_float32_rows():
    assert rounding_bound(numpy.float32, 10**7) == float("inf")
    assert rounding_bound(numpy.float64, 4097) < 1e-12
