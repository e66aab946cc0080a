r"""Candidate pairs for tolerant row matching, found in a random projection.

Every row is projected onto :math:`k \le 8` random Gaussian directions
(the columns of :math:`Q`, scaled so that :math:`\|Q\|_2 \le 1`). The
projection is a contraction, :math:`\|Q^T(t - c s)\| \le \|t - c s\|`, so
every source whose residual with a target is within the tolerance
:math:`\tau` has its key within :math:`\tau M` of the target's key
(:math:`M` the largest row norm, 1 for normalized rows), and a ball query in
a k-d tree (:class:`scipy.spatial.cKDTree`) finds all of them. The radius
also covers the rounding of the projection in the rows' own precision. For a
free sign the tree contains both :math:`Q^T s` and :math:`-Q^T s`.

The ball is complete but usually contains only the planted partner, so each
target also gets its ``neighbours + 1`` nearest sources in the first three
projected coordinates. A k-d tree in three dimensions finds these in a few
milliseconds at 4096 rows, where eight dimensions took about 40 ms (measured
on a shared 2-core machine). Their residuals supply the runner-up above the
tolerance.

Residuals of the candidate pairs are first estimated from dot products in
the rows' own precision, and every estimate that could be within
``max(tolerance, RECHECK)`` is recomputed in float64 from the difference of
the rows (:func:`candidate_residuals`). Rows are gathered in chunks of a few
megabytes into buffers allocated once, so no array of the size of the layer
is allocated. The cost is a few passes over the rows, :math:`O(n D)` for
:math:`n` rows of length :math:`D` while the balls stay small; clustered rows
with a loose tolerance fill the balls and approach :math:`O(n^2 D)`.
"""

from __future__ import annotations

import itertools
import math

import numpy
import scipy.spatial

from symequiv.activations.symmetry import ScaleSet

PROJECTED_DIMENSIONS = 8
NEAREST_DIMENSIONS = 3
# Residual estimates below this are recomputed from the rows, so small ones are exact.
RECHECK = 1e-3
# Entries of one gathered chunk of rows: 2 MiB in float64, so a chunk stays in cache.
CHUNK_ENTRIES = 1 << 18
_TINY = 1e-300


def row_norms(rows):
    """Return the Euclidean norm of each row, accumulated in float64."""
    if rows.dtype == numpy.float64:
        # einsum with an explicit dtype takes a slower, buffered loop.
        return numpy.sqrt(numpy.einsum("ij,ij->i", rows, rows))
    return numpy.sqrt(numpy.einsum("ij,ij->i", rows, rows, dtype=numpy.float64))


def pair_residuals(source, target, scale_set):
    r"""Return ``(residuals, scales)`` for source rows paired with target rows one to one.

    Parameters
    ----------
    source, target : numpy.ndarray
        Shape ``(n, D)``; row :math:`j` of each forms a pair.
    scale_set : ScaleSet
    """
    source = numpy.array(source, dtype=numpy.float64)
    target = numpy.array(target, dtype=numpy.float64)
    return _residuals_in_place(source, target, row_norms(source), row_norms(target), scale_set)


def indexed_pair_residuals(source, target, source_norms, target_norms, sources, targets,
                           scale_set):
    """Return ``(residuals, scales)`` of the pairs ``(sources[p], targets[p])``.

    ``source_norms`` and ``target_norms`` are the :func:`row_norms` of the
    rows, passed in so that each chunk is read fewer times.

    The rows are gathered a chunk at a time into float64 buffers that are
    allocated once, because allocating fresh arrays of many megabytes costs
    more in page faults than the arithmetic on them.
    """
    count = len(sources)
    length = source.shape[1]
    residuals = numpy.empty(count)
    scales = numpy.empty(count)
    step = max(1, min(count, CHUNK_ENTRIES // max(length, 1)))
    source_chunk = numpy.empty((step, length))
    target_chunk = numpy.empty((step, length))
    staging = None if source.dtype == numpy.float64 else numpy.empty((step, length), source.dtype)
    for start in range(0, count, step):
        stop = min(start + step, count)
        rows = stop - start
        _gather(source, sources[start:stop], source_chunk[:rows], staging)
        _gather(target, targets[start:stop], target_chunk[:rows], staging)
        residuals[start:stop], scales[start:stop] = _residuals_in_place(
            source_chunk[:rows], target_chunk[:rows], source_norms[sources[start:stop]],
            target_norms[targets[start:stop]], scale_set)
    return residuals, scales


def candidate_residuals(source, target, source_norms, target_norms, sources, targets,
                        scale_set, tolerance):
    r"""Return ``(residuals, scales)`` of the candidate pairs, exact wherever they can matter.

    One pass computes the dot products :math:`t \cdot s` in the rows' own
    precision and from them the residuals by
    :math:`\|t - c s\|^2 = \|t\|^2 + \|s\|^2 - 2 c\, t \cdot s`. That formula
    loses the digits of small residuals, and its square is off by at most
    :math:`2 \gamma_D` (relative to the larger norm squared), so every pair whose
    estimate could be within ``max(tolerance, RECHECK)`` is recomputed from the
    difference of the rows in float64. The others are above the tolerance for
    certain and keep their estimate, which then serves only as a runner-up.
    """
    length = source.shape[1]
    dots = _indexed_dots(source, target, sources, targets)
    estimates, scales = _residuals_from_dots(dots, source_norms[sources], target_norms[targets],
                                             scale_set)
    error_bound = 4 * rounding_bound(source.dtype, length) + 1e-9
    exact = numpy.flatnonzero(estimates <= max(tolerance, RECHECK) ** 2 + error_bound)
    residuals = numpy.sqrt(numpy.maximum(estimates, 0.0))
    residuals[exact], scales[exact] = indexed_pair_residuals(
        source, target, source_norms, target_norms, sources[exact], targets[exact], scale_set)
    return residuals, scales


def _indexed_dots(source, target, sources, targets):
    """Return ``source[sources[p]] . target[targets[p]]`` in the rows' precision, chunk by chunk."""
    count = len(sources)
    length = source.shape[1]
    dots = numpy.empty(count)
    step = max(1, min(count, CHUNK_ENTRIES // max(length, 1)))
    source_chunk = numpy.empty((step, length), source.dtype)
    target_chunk = numpy.empty((step, length), target.dtype)
    for start in range(0, count, step):
        stop = min(start + step, count)
        rows = stop - start
        numpy.take(source, sources[start:stop], axis=0, out=source_chunk[:rows])
        numpy.take(target, targets[start:stop], axis=0, out=target_chunk[:rows])
        dots[start:stop] = numpy.einsum("ij,ij->i", source_chunk[:rows], target_chunk[:rows])
    return dots


def _residuals_from_dots(dots, source_norms, target_norms, scale_set):
    """Return ``(squared residual estimates, scales)`` from dot products and norms.

    A pair with a zero (or underflowing) norm gets the estimate 0, so the
    caller recomputes it from the rows.
    """
    degenerate = source_norms * target_norms <= _TINY
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        cosines = dots / numpy.maximum(source_norms * target_norms, _TINY)
        signs = numpy.ones_like(cosines)
        if scale_set is ScaleSet.NONZERO:
            signs = numpy.where(cosines < 0, -1.0, 1.0)
        estimates = 2.0 - 2.0 * signs * cosines
        scales = signs * numpy.abs(cosines) * target_norms / numpy.maximum(source_norms, _TINY)
    else:
        size = numpy.maximum(numpy.maximum(source_norms, target_norms), _TINY)
        scales = numpy.ones(len(dots))
        if scale_set is ScaleSet.SIGN:
            scales = numpy.where(dots < 0, -1.0, 1.0)
        # Divided by the larger norm first, so nothing overflows.
        estimates = ((source_norms / size) ** 2 + (target_norms / size) ** 2
                     - 2.0 * scales * (dots / size) / size)
    estimates[degenerate] = 0.0
    return estimates, scales


def _gather(rows, indices, out, staging):
    """Copy ``rows[indices]`` into the float64 array ``out``, through ``staging`` for float32."""
    if staging is None:
        numpy.take(rows, indices, axis=0, out=out)
        return
    numpy.take(rows, indices, axis=0, out=staging[:len(indices)])
    numpy.copyto(out, staging[:len(indices)])


def _residuals_in_place(source, target, source_norms, target_norms, scale_set):
    """Return ``(residuals, scales)`` of float64 row pairs, overwriting both arrays."""
    dots = numpy.einsum("ij,ij->i", source, target)
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        cosines = dots / numpy.maximum(source_norms * target_norms, _TINY)
        signs = numpy.ones_like(cosines)
        if scale_set is ScaleSet.NONZERO:
            signs = numpy.where(cosines < 0, -1.0, 1.0)
        source *= (signs / numpy.maximum(source_norms, _TINY))[:, None]
        target *= (1 / numpy.maximum(target_norms, _TINY))[:, None]
        target -= source
        scales = signs * numpy.abs(cosines) * target_norms / numpy.maximum(source_norms, _TINY)
        return row_norms(target), scales
    size = numpy.maximum(numpy.maximum(source_norms, target_norms), _TINY)
    scales = numpy.ones(len(source))
    if scale_set is ScaleSet.SIGN:
        # The better sign is the sign of t . s, so one difference of rows suffices.
        scales = numpy.where(dots < 0, -1.0, 1.0)
        source *= scales[:, None]
    target -= source
    return row_norms(target) / size, scales


def rounding_bound(dtype, length):
    r"""Return :math:`\gamma_D = D u / (1 - D u)`, the relative error bound of a dot product.

    :math:`|\mathrm{fl}(x \cdot y) - x \cdot y| \le \gamma_D \|x\| \|y\|` for any
    summation order: the standard worst-case bound of a floating-point inner
    product, with Cauchy-Schwarz.
    """
    unit_roundoff = float(numpy.finfo(dtype).eps) / 2
    product = length * unit_roundoff
    if product >= 0.5:
        return math.inf
    return product / (1 - product)


def _projection(rng, length, dimensions):
    """Return a random ``length x dimensions`` Gaussian matrix scaled to spectral norm below 1.

    The largest eigenvalue of the ``dimensions x dimensions`` Gram matrix gives
    the spectral norm, and the factor 1 + 1e-6 covers its rounding error
    (about ``dimensions * length`` units in the last place).
    """
    gaussian = rng.standard_normal((length, dimensions))
    largest = float(numpy.linalg.eigvalsh(gaussian.T @ gaussian)[-1])
    return gaussian / math.sqrt(max(largest, _TINY) * (1 + 1e-6))


def _key_precision(dtype, length):
    """Project float32 rows in float32 unless the rounding bound would swamp the tolerance."""
    if dtype == numpy.float32 and rounding_bound(numpy.float32, length) < 1e-2:
        return numpy.dtype(numpy.float32)
    return numpy.dtype(numpy.float64)


def _keys(rows, norms, projection, unit):
    """Return the rows times ``projection`` as float64, divided by the norms for unit rows."""
    keys = (rows @ projection).astype(numpy.float64)
    if unit:
        keys /= numpy.maximum(norms, _TINY)[:, None]
    return keys


def candidate_pairs(source, target, source_norms, target_norms, scale_set, tolerance, rng,
                    neighbours):
    r"""Return ``(targets, sources)`` of the candidate pairs, sorted by target, then source.

    The pairs contain every pair whose residual is within ``tolerance`` and,
    for each target, the ``neighbours + 1`` nearest sources in the first
    three projected coordinates.
    """
    size, length = source.shape
    unit = scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO)
    signed = scale_set in (ScaleSet.SIGN, ScaleSet.NONZERO)
    dimensions = min(PROJECTED_DIMENSIONS, length)
    projection = _projection(rng, length, dimensions)
    precision = _key_precision(source.dtype, length)
    source_keys = _keys(source, source_norms, projection.astype(precision), unit)
    target_keys = _keys(target, target_norms, projection.astype(precision), unit)

    # Each key is off by at most (sqrt(k) + 2)(gamma_D + 2u) times its row's norm.
    # That covers the product, the rounding of Q to the rows' precision and the
    # division by the norm of unit rows. The radius adds twice that for both keys.
    unit_roundoff = float(numpy.finfo(precision).eps) / 2
    key_error = (math.sqrt(dimensions) + 2) * (rounding_bound(precision, length)
                                                 + 2 * unit_roundoff)
    scale = 1.0 if unit else max(float(source_norms.max()), float(target_norms.max()), _TINY)
    reach = (tolerance * (1 + 1e-9) + 4 * key_error) * scale

    if signed:
        source_points = numpy.concatenate([source_keys, -source_keys])
    else:
        source_points = source_keys
    # NOTE: rows that crowd within the tolerance of one another (dead or duplicated
    # neurons, a loose tolerance) fill the balls, and the cost grows toward n^2 D.
    ball_tree = scipy.spatial.cKDTree(source_points)
    balls = ball_tree.query_ball_point(target_keys, reach)
    ball_counts = numpy.fromiter((len(ball) for ball in balls), dtype=numpy.intp, count=size)
    ball_sources = numpy.fromiter(itertools.chain.from_iterable(balls), dtype=numpy.intp,
                                  count=int(ball_counts.sum()))
    ball_targets = numpy.repeat(numpy.arange(size), ball_counts)

    nearest = min(neighbours + 1, len(source_points))
    nearest_dimensions = min(NEAREST_DIMENSIONS, dimensions)
    nearest_tree = scipy.spatial.cKDTree(source_points[:, :nearest_dimensions])
    _, nearest_sources = nearest_tree.query(target_keys[:, :nearest_dimensions], k=nearest)
    nearest_sources = numpy.asarray(nearest_sources).reshape(size, nearest)

    targets = numpy.concatenate([ball_targets, numpy.repeat(numpy.arange(size), nearest)])
    sources = numpy.concatenate([ball_sources, nearest_sources.ravel()]) % size
    codes = numpy.sort(targets * size + sources)
    codes = codes[numpy.r_[True, codes[1:] != codes[:-1]]]
    return codes // size, codes % size
