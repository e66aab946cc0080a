r"""Tolerant matching of float layers inside their latent group :math:`K`.

Problem: given source rows :math:`R_j = (w_j, b_j)` of :math:`\theta` and
target rows :math:`R'_t` (the same layer after the group element was moved
onto it), find a permutation :math:`\pi` and admissible pre-activation scales
:math:`c_j` with :math:`R'_{\pi(j)} \approx c_j R_j`.

The residual of a pair is relative to the rows' size:

* exact scale (``ONE``): :math:`\|R' - R\| / \max(\|R\|, \|R'\|)`;
* sign (``SIGN``, tanh and sigmoid): the smaller of the residuals for
  :math:`c = 1` and :math:`c = -1`;
* positive or nonzero scale: the distance of the unit vectors
  :math:`R'/\|R'\|` and :math:`\pm R/\|R\|`, with
  :math:`c = \langle R', R\rangle / \|R\|^2`.

Candidates come from a random projection of the rows to eight dimensions
(:mod:`symequiv.numeric.candidates`): a ball query in a k-d tree finds every
source whose residual with a target can be within the tolerance, and each
target also gets its nearest sources in the projection. Every residual that
can be within the tolerance (or below :data:`~symequiv.numeric.candidates.RECHECK`)
is computed in float64 from the difference of the rows; larger ones are
estimated from dot products, with the square off by at most :math:`2\gamma_D`
(:math:`\gamma_D \approx D u`, :math:`u` the unit roundoff of the rows'
dtype), and serve only as runner-ups. The cost is a few passes
over the :math:`n \times D` rows, without allocating an array of that size,
plus :math:`O(n \log n)` for the trees while the balls stay small. Targets
whose best candidate misses the tolerance or is wanted by another target go,
with the sources left over, to the Hungarian algorithm
(:func:`scipy.optimize.linear_sum_assignment`) on the exact residuals of that
block alone.

The *runner-up* of a match is the smallest residual of any other pairing.
Within the tolerance the search is complete, so ambiguity is never missed;
above it only the examined candidates count, so a reported runner-up can be
larger than the true one.
The match is ``AMBIGUOUS`` when the runner-up is within the
tolerance too, because then the latent element is not determined.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy
import scipy.optimize
import scipy.sparse
import scipy.sparse.csgraph

from symequiv.activations.symmetry import ScaleSet
from symequiv.numeric import candidates
from symequiv.numeric.candidates import pair_residuals

NEIGHBOURS = 2
_TINY = 1e-300


class MatchStatus(enum.Enum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NO_MATCH = "no match"


@dataclass(frozen=True)
class FloatMatch:
    r"""The best element of :math:`K` relating two float layers, and how clearly it is best.

    Attributes
    ----------
    status : MatchStatus
    images : numpy.ndarray
        :math:`\pi(j)`: the target neuron of source neuron :math:`j`.
    scales : numpy.ndarray
        :math:`c_j` with :math:`R'_{\pi(j)} \approx c_j R_j`.
    residuals : numpy.ndarray
        The relative residual of each source neuron's pair.
    error : float
        The largest residual.
    runner_up : float
        The smallest residual of any other pairing examined (inf for one neuron).
    tolerance : float
    ambiguous_neurons : tuple of int
        Source neurons (from 0) with a second pairing within the tolerance.
    assigned_by_hungarian : int
        Neurons whose candidates collided and went to the Hungarian algorithm.
    reason : str
    """

    status: MatchStatus
    images: numpy.ndarray
    scales: numpy.ndarray
    residuals: numpy.ndarray
    error: float
    runner_up: float
    tolerance: float
    ambiguous_neurons: tuple = ()
    assigned_by_hungarian: int = 0
    reason: str = ""

    @property
    def margin(self):
        """The runner-up residual divided by the error: how many times worse the next choice is."""
        if self.error == 0:
            return float("inf")
        return self.runner_up / self.error

    @property
    def found(self):
        return self.status is not MatchStatus.NO_MATCH


def _unit_rows(rows):
    norms = _row_norms(rows)
    return rows / numpy.maximum(norms, _TINY)[:, None], norms


def _residual_matrix(source, target, scale_set):
    """Return ``(residuals, scales)`` of every (target, source) pair: shape ``(n_t, n_s)``."""
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        unit_source, source_norms = _unit_rows(source)
        unit_target, target_norms = _unit_rows(target)
        cosines = unit_target @ unit_source.T
        if scale_set is ScaleSet.NONZERO:
            signs = numpy.where(cosines < 0, -1.0, 1.0)
        else:
            signs = numpy.ones_like(cosines)
        residuals = numpy.sqrt(numpy.maximum(2.0 - 2.0 * signs * cosines, 0.0))
        scales = signs * numpy.abs(cosines) * target_norms[:, None] / numpy.maximum(
            source_norms, _TINY)[None, :]
        return residuals, scales
    source_norms = _row_norms(source)
    target_norms = _row_norms(target)
    size = numpy.maximum(numpy.maximum(target_norms[:, None], source_norms[None, :]), _TINY)
    cross = target @ source.T
    squares = target_norms[:, None] ** 2 + source_norms[None, :] ** 2
    plus = numpy.sqrt(numpy.maximum(squares - 2 * cross, 0.0)) / size
    if scale_set is ScaleSet.SIGN:
        minus = numpy.sqrt(numpy.maximum(squares + 2 * cross, 0.0)) / size
        return numpy.minimum(plus, minus), numpy.where(minus < plus, -1.0, 1.0)
    return plus, numpy.ones_like(plus)


def _row_norms(rows):
    return numpy.sqrt(numpy.einsum("ij,ij->i", rows, rows))


def match_float_rows(source, target, scale_set, tolerance, rng, neighbours=NEIGHBOURS):
    r"""Match target rows to source rows inside the latent group of ``scale_set``.

    Parameters
    ----------
    source, target : numpy.ndarray
        Rows :math:`(w_j, b_j)` of shape ``(n, D)``. float32 rows stay float32
        for the projection, and every residual is computed in float64.
    scale_set : ScaleSet
        The admissible pre-activation scales; not ``AFFINE`` (see :func:`match_affine`).
    tolerance : float
        The largest relative residual that counts as a match.
    rng : numpy.random.Generator
        Draws the random projection of the candidate search.
    neighbours : int
        Sources examined per target beyond its nearest one in the projection,
        besides those within the tolerance.

    Returns
    -------
    FloatMatch
    """
    source = _float_rows(source)
    target = _float_rows(target)
    size = source.shape[0]
    if target.shape != source.shape:
        return _no_match(tolerance, f"the layers have shapes {source.shape} and {target.shape}")
    if size == 0:
        empty = numpy.zeros(0)
        return FloatMatch(MatchStatus.MATCHED, empty.astype(int), empty, empty, 0.0,
                          float("inf"), tolerance)
    source_norms = candidates.row_norms(source)
    target_norms = candidates.row_norms(target)
    for name, norms in (("source", source_norms), ("target", target_norms)):
        if not numpy.isfinite(norms).all():
            row = int(numpy.flatnonzero(~numpy.isfinite(norms))[0])
            return _no_match(tolerance, f"row {row + 1} of the {name} layer is not finite or "
                             "its norm overflows float64")

    pair_targets, pair_sources = candidates.candidate_pairs(
        source, target, source_norms, target_norms, scale_set, tolerance, rng, neighbours)
    residuals, pair_scales = candidates.candidate_residuals(
        source, target, source_norms, target_norms, pair_sources, pair_targets, scale_set,
        tolerance)

    # Best candidate per target: sort the pairs by target, then residual.
    order = numpy.lexsort((residuals, pair_targets))
    pair_targets, pair_sources = pair_targets[order], pair_sources[order]
    residuals, pair_scales = residuals[order], pair_scales[order]
    first = numpy.flatnonzero(numpy.r_[True, pair_targets[1:] != pair_targets[:-1]])
    best = pair_sources[first]
    best_residual = residuals[first]

    # Keep a target's best choice where it is within the tolerance and no other
    # target wants that source; the rest go to the Hungarian algorithm.
    counts = numpy.bincount(best, minlength=size)
    settled = (counts[best] == 1) & (best_residual <= tolerance)
    assignment = numpy.full(size, -1)
    assignment[settled] = best[settled]
    target_error = numpy.empty(size)
    target_scales = numpy.empty(size)
    target_error[settled] = best_residual[settled]
    target_scales[settled] = pair_scales[first[settled]]
    open_targets = numpy.flatnonzero(~settled)
    used = numpy.zeros(size, dtype=bool)
    used[assignment[settled]] = True
    open_sources = numpy.flatnonzero(~used)
    if open_targets.size:
        block, _ = _residual_matrix(source[open_sources].astype(numpy.float64),
                                    target[open_targets].astype(numpy.float64), scale_set)
        row_index, column_index = scipy.optimize.linear_sum_assignment(block)
        assignment[open_targets[row_index]] = open_sources[column_index]
        # The block's residuals come from dot products, so recompute the pairs directly.
        target_error[open_targets], target_scales[open_targets] = pair_residuals(
            source[assignment[open_targets]], target[open_targets], scale_set)

    if open_targets.size and target_error.max() > tolerance:
        # Settling targets on their unique best choice and summing residuals over the
        # rest can miss a pairing that keeps every residual within the tolerance, so
        # look for one among all candidate pairs within it, where the search is complete.
        within = _pairing_within(pair_targets, pair_sources, residuals, pair_scales, size,
                                 tolerance)
        if within is not None:
            assignment, target_error, target_scales = within

    images = numpy.empty(size, dtype=int)
    images[assignment] = numpy.arange(size)
    pair_error = target_error[images]
    scales = target_scales[images]
    runner_up = _runner_up(pair_targets, pair_sources, residuals, first, assignment)
    error = float(pair_error.max())
    ambiguous = tuple(int(index) for index in numpy.flatnonzero(runner_up <= tolerance))
    # runner_up is indexed by target; report source neurons.
    ambiguous = tuple(sorted(int(assignment[target]) for target in ambiguous))
    smallest_runner_up = float(runner_up.min())
    if error > tolerance:
        worst = int(numpy.argmax(pair_error))
        status = MatchStatus.NO_MATCH
        reason = (f"the best pairing leaves a relative residual of {error:.3g} at neuron "
                  f"{worst + 1}, above the tolerance {tolerance:.3g}")
    elif ambiguous:
        status = MatchStatus.AMBIGUOUS
        shown = ", ".join(str(index + 1) for index in ambiguous[:8])
        reason = (f"neuron(s) {shown}{' ...' if len(ambiguous) > 8 else ''} also pair with "
                  f"another neuron within the tolerance {tolerance:.3g} (runner-up "
                  f"{smallest_runner_up:.3g}), so the latent element is not determined")
    else:
        status = MatchStatus.MATCHED
        reason = ""
    return FloatMatch(status, images, scales, pair_error, error, smallest_runner_up, tolerance,
                      ambiguous, int(open_targets.size), reason)


def _pairing_within(pair_targets, pair_sources, residuals, pair_scales, size, tolerance):
    """Return ``(assignment, errors, scales)`` of a pairing within the tolerance, or None.

    Among the candidate pairs whose residual is within the tolerance, this is a
    full matching of least total residual; None proves that no pairing keeps
    every residual within the tolerance.
    """
    within = numpy.flatnonzero(residuals <= tolerance)
    if within.size == 0:
        return None
    # A sparse matrix sums repeated entries, so keep the smallest residual of each pair.
    within = within[numpy.argsort(residuals[within], kind="stable")]
    _, first = numpy.unique(pair_targets[within] * size + pair_sources[within],
                            return_index=True)
    within = within[first]
    # Sparse matrices drop zero entries, and an exact pair has residual 0.
    graph = scipy.sparse.csr_array(
        (residuals[within] + 1.0, (pair_targets[within], pair_sources[within])),
        shape=(size, size))
    try:
        rows, columns = scipy.sparse.csgraph.min_weight_full_bipartite_matching(graph)
    except ValueError:
        return None
    assignment = numpy.full(size, -1)
    assignment[rows] = columns
    lookup = {(int(pair_targets[index]), int(pair_sources[index])): index for index in within}
    chosen = numpy.array([lookup[target, int(assignment[target])] for target in range(size)])
    return assignment, residuals[chosen], pair_scales[chosen]


def _float_rows(rows):
    """Return ``rows`` as float32 or float64 without copying those two dtypes."""
    rows = numpy.asarray(rows)
    if rows.dtype in (numpy.float32, numpy.float64):
        return rows
    return rows.astype(numpy.float64)


def _no_match(tolerance, reason):
    empty = numpy.zeros(0)
    return FloatMatch(MatchStatus.NO_MATCH, empty.astype(int), empty, empty, float("inf"),
                      float("inf"), tolerance, reason=reason)


def _runner_up(pair_targets, pair_sources, residuals, first, assignment):
    """For each target, the smallest residual of a candidate other than its assigned source."""
    masked = numpy.where(pair_sources != assignment[pair_targets], residuals, numpy.inf)
    return numpy.minimum.reduceat(masked, first)


def match_affine(source, target, tolerance):
    r"""Fit :math:`W' = A W` by least squares for the identity activation's affine latent group.

    Returns a :class:`FloatMatch` whose ``images`` is empty and whose
    ``scales`` contains :math:`A`. It is ``AMBIGUOUS`` when :math:`W` has
    dependent rows, because then :math:`A` is not unique.
    """
    source = numpy.asarray(source, dtype=float)
    target = numpy.asarray(target, dtype=float)
    weights, target_weights = source[:, :-1], target[:, :-1]
    solution, _, rank, _ = numpy.linalg.lstsq(weights.T, target_weights.T, rcond=None)
    linear = solution.T
    scale = max(float(numpy.linalg.norm(target_weights)), _TINY)
    error = float(numpy.linalg.norm(target_weights - linear @ weights)) / scale
    images = numpy.zeros(0, dtype=int)
    residuals = numpy.array([error])
    if error > tolerance:
        return FloatMatch(MatchStatus.NO_MATCH, images, linear, residuals, error, float("inf"),
                          tolerance, reason=f"no matrix A gives W' = A W within the tolerance "
                          f"{tolerance:.3g} (relative residual {error:.3g})")
    if rank < weights.shape[0]:
        return FloatMatch(MatchStatus.AMBIGUOUS, images, linear, residuals, error, 0.0,
                          tolerance, reason=f"W has rank {rank} below its {weights.shape[0]} "
                          "rows, so A is not unique")
    return FloatMatch(MatchStatus.MATCHED, images, linear, residuals, error, float("inf"),
                      tolerance)
