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

Candidates come from a k-d tree on a random projection of the (normalized,
and for signs also negated) rows, so the cost is :math:`O(n k D)` for
:math:`n` rows of length :math:`D`; the residuals of the :math:`k` nearest
candidates are then computed exactly. Targets whose best candidates collide
are assigned with the Hungarian algorithm
(:func:`scipy.optimize.linear_sum_assignment`) on the exact residuals of that
block alone.

The *runner-up* of a match is the smallest residual of any other pairing
among the candidates examined; a pairing outside the :math:`k` nearest
projected candidates can only have a larger residual, up to the distortion of
the projection. The match is ``AMBIGUOUS`` when the runner-up is within the
tolerance too, because then the latent element is not determined.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy
import scipy.optimize
import scipy.spatial

from symequiv.activations.symmetry import ScaleSet

PROJECTION_DIMENSION = 24
NEIGHBOURS = 6
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
    norms = numpy.linalg.norm(rows, axis=1)
    return rows / numpy.maximum(norms, _TINY)[:, None], norms


def _keys(rows, scale_set):
    """Rows in the space where the residual is (close to) a Euclidean distance."""
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        return _unit_rows(rows)[0]
    return rows


def pair_residuals(source, target, scale_set):
    r"""Return ``(residuals, scales)`` for source rows paired with target rows one to one.

    Parameters
    ----------
    source, target : numpy.ndarray
        Shape ``(n, D)``; row :math:`j` of each forms a pair.
    scale_set : ScaleSet
    """
    if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
        unit_source, source_norms = _unit_rows(source)
        unit_target, target_norms = _unit_rows(target)
        cosines = numpy.einsum("ij,ij->i", unit_source, unit_target)
        signs = numpy.ones_like(cosines)
        if scale_set is ScaleSet.NONZERO:
            signs = numpy.where(cosines < 0, -1.0, 1.0)
        residuals = numpy.linalg.norm(unit_target - signs[:, None] * unit_source, axis=1)
        scales = signs * numpy.abs(cosines) * target_norms / numpy.maximum(source_norms, _TINY)
        return residuals, scales
    size = numpy.maximum(numpy.maximum(numpy.linalg.norm(source, axis=1),
                                       numpy.linalg.norm(target, axis=1)), _TINY)
    plus = numpy.linalg.norm(target - source, axis=1) / size
    if scale_set is ScaleSet.SIGN:
        minus = numpy.linalg.norm(target + source, axis=1) / size
        return numpy.minimum(plus, minus), numpy.where(minus < plus, -1.0, 1.0)
    return plus, numpy.ones_like(plus)


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
    source_norms = numpy.linalg.norm(source, axis=1)
    target_norms = numpy.linalg.norm(target, axis=1)
    size = numpy.maximum(numpy.maximum(target_norms[:, None], source_norms[None, :]), _TINY)
    cross = target @ source.T
    squares = target_norms[:, None] ** 2 + source_norms[None, :] ** 2
    plus = numpy.sqrt(numpy.maximum(squares - 2 * cross, 0.0)) / size
    if scale_set is ScaleSet.SIGN:
        minus = numpy.sqrt(numpy.maximum(squares + 2 * cross, 0.0)) / size
        return numpy.minimum(plus, minus), numpy.where(minus < plus, -1.0, 1.0)
    return plus, numpy.ones_like(plus)


def _candidates(source, target, scale_set, rng, neighbours):
    """Return candidate source indices of shape ``(n, k)`` for each target row."""
    size, length = source.shape
    neighbours = min(neighbours, size)
    source_keys = _keys(source, scale_set)
    target_keys = _keys(target, scale_set)
    if length > PROJECTION_DIMENSION:
        projection = rng.standard_normal((length, PROJECTION_DIMENSION)) / numpy.sqrt(
            PROJECTION_DIMENSION)
        source_keys = source_keys @ projection
        target_keys = target_keys @ projection
    points = source_keys
    if scale_set in (ScaleSet.SIGN, ScaleSet.NONZERO):
        points = numpy.concatenate([source_keys, -source_keys])
    tree = scipy.spatial.cKDTree(points)
    # Each source appears twice with signs, so twice the neighbours still gives
    # `neighbours` distinct sources in the usual case.
    count = min(len(points), neighbours * (2 if len(points) > size else 1))
    _, indices = tree.query(target_keys, k=count)
    indices = numpy.asarray(indices).reshape(len(target_keys), count) % size
    return indices


def match_float_rows(source, target, scale_set, tolerance, rng, neighbours=NEIGHBOURS):
    r"""Match target rows to source rows inside the latent group of ``scale_set``.

    Parameters
    ----------
    source, target : numpy.ndarray
        Rows :math:`(w_j, b_j)` of shape ``(n, D)``.
    scale_set : ScaleSet
        The admissible pre-activation scales; not ``AFFINE`` (see :func:`match_affine`).
    tolerance : float
        The largest relative residual that counts as a match.
    rng : numpy.random.Generator
        Draws the random projection.
    neighbours : int
        Candidates examined per target row.

    Returns
    -------
    FloatMatch
    """
    source = numpy.asarray(source, dtype=float)
    target = numpy.asarray(target, dtype=float)
    size = source.shape[0]
    if target.shape != source.shape:
        empty = numpy.zeros(0)
        return FloatMatch(MatchStatus.NO_MATCH, empty.astype(int), empty, empty, float("inf"),
                          float("inf"), tolerance,
                          reason=f"the layers have shapes {source.shape} and {target.shape}")
    candidates = _candidates(source, target, scale_set, rng, neighbours)
    rows = numpy.repeat(numpy.arange(size), candidates.shape[1])
    residuals, _ = pair_residuals(source[candidates.reshape(-1)], target[rows], scale_set)
    residuals = residuals.reshape(candidates.shape)
    order = numpy.argsort(residuals, axis=1, kind="stable")
    candidates = numpy.take_along_axis(candidates, order, axis=1)
    residuals = numpy.take_along_axis(residuals, order, axis=1)

    # target t -> source; keep a target's best choice where no other target wants it.
    best = candidates[:, 0]
    counts = numpy.bincount(best, minlength=size)
    settled = counts[best] == 1
    assignment = numpy.full(size, -1)
    assignment[settled] = best[settled]
    open_targets = numpy.flatnonzero(~settled)
    used = numpy.zeros(size, dtype=bool)
    used[assignment[settled]] = True
    open_sources = numpy.flatnonzero(~used)
    if open_targets.size:
        block, _ = _residual_matrix(source[open_sources], target[open_targets], scale_set)
        row_index, column_index = scipy.optimize.linear_sum_assignment(block)
        assignment[open_targets[row_index]] = open_sources[column_index]

    images = numpy.empty(size, dtype=int)
    images[assignment] = numpy.arange(size)
    pair_error, scales = pair_residuals(source, target[images], scale_set)
    runner_up = _runner_up(candidates, residuals, assignment)
    error = float(pair_error.max()) if size else 0.0
    ambiguous = tuple(int(index) for index in numpy.flatnonzero(runner_up <= tolerance))
    # runner_up is indexed by target; report source neurons.
    ambiguous = tuple(sorted(int(assignment[target]) for target in ambiguous))
    smallest_runner_up = float(runner_up.min()) if size else float("inf")
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


def _runner_up(candidates, residuals, assignment):
    """For each target, the smallest residual among candidates other than its assigned source."""
    other = candidates != assignment[:, None]
    masked = numpy.where(other, residuals, numpy.inf)
    return masked.min(axis=1) if masked.shape[1] else numpy.full(len(assignment), numpy.inf)


def match_affine(source, target, tolerance):
    r"""Fit :math:`W' = A W` by least squares for the identity activation's affine latent group.

    Returns a :class:`FloatMatch` whose ``images`` is empty and whose
    ``scales`` holds :math:`A`; it is ``AMBIGUOUS`` when :math:`W` has
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
