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

Candidates come from sorting: every row is projected onto one random unit
vector :math:`r`, and because :math:`|r \cdot t - c\, r \cdot s| \le \|t - c s\|`,
every source whose residual with a target is within the tolerance
:math:`\tau` has its key within :math:`\tau M` of the target's key
(:math:`M` the largest row norm, 1 for normalized rows). A binary search in
the sorted keys finds all of them, plus the nearest keys on either side. The
residuals of these candidates are computed from dot products, which costs
:math:`O(n \log n + c D)` for :math:`c` candidate pairs of rows of length
:math:`D` (about :math:`n` pairs times a small window when :math:`\tau` is
small). Targets whose best candidate misses the tolerance or is wanted by
another target go, with the sources left over, to the Hungarian algorithm
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

from symequiv.activations.symmetry import ScaleSet

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
        residuals = _row_norms(unit_target - signs[:, None] * unit_source)
        scales = signs * numpy.abs(cosines) * target_norms / numpy.maximum(source_norms, _TINY)
        return residuals, scales
    size = numpy.maximum(numpy.maximum(_row_norms(source), _row_norms(target)), _TINY)
    scales = numpy.ones(len(source))
    if scale_set is ScaleSet.SIGN:
        # The better sign is the sign of t . s, so one difference of rows suffices.
        scales = numpy.where(numpy.einsum("ij,ij->i", target, source) < 0, -1.0, 1.0)
    difference = target - scales[:, None] * source
    return _row_norms(difference) / size, scales


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


BLOCK = 32
# Ranking residuals below this are recomputed from the rows themselves.
_RECHECK = 1e-4


def _candidate_residuals(source, target, scale_set, tolerance, rng, neighbours):
    r"""Return ``(targets, sources, residuals)`` of the candidate pairs.

    Rows are keyed by their product with one random unit direction :math:`r`
    (normalized rows for positive and nonzero scales, and the absolute value
    where the sign is free), and each target's candidates are a contiguous
    range of the sorted source keys: all keys within the reach (so nothing within the tolerance is
    missed) and ``neighbours`` more on each side. Taking the targets in key
    order, a block of them needs one contiguous range of sources, so their
    dot products come from one matrix product of the block with that range.
    :math:`\|t - c s\|^2 = \|t\|^2 + \|s\|^2 - 2 c\, t \cdot s` then gives
    the residuals. It loses the digits of residuals below about
    :math:`10^{-8}`, so it only ranks candidates; the chosen pairs and
    runner-ups are recomputed directly.
    """
    size, length = source.shape
    unit = scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO)
    signed = scale_set in (ScaleSet.SIGN, ScaleSet.NONZERO)
    source_rows = _unit_rows(source)[0] if unit else source
    target_rows = _unit_rows(target)[0] if unit else target
    direction = rng.standard_normal(length)
    direction /= numpy.linalg.norm(direction)
    source_keys = source_rows @ direction
    target_keys = target_rows @ direction
    if signed:
        # ||r.t| - |r.s|| <= |r.t - c r.s| for c = +-1, so absolute keys lose no candidate.
        source_keys = numpy.abs(source_keys)
        target_keys = numpy.abs(target_keys)
    order = numpy.argsort(source_keys, kind="stable")
    sorted_keys = source_keys[order]
    source_norms = _row_norms(source_rows)
    target_norms = _row_norms(target_rows)
    reach = tolerance if unit else tolerance * max(float(source_norms.max()),
                                                   float(target_norms.max()))
    position = numpy.searchsorted(sorted_keys, target_keys)
    low = numpy.clip(numpy.minimum(numpy.searchsorted(sorted_keys, target_keys - reach),
                                   position - neighbours), 0, size)
    high = numpy.clip(numpy.maximum(numpy.searchsorted(sorted_keys, target_keys + reach,
                                                       side="right"), position + neighbours),
                      0, size)

    pair_targets, pair_sources, residuals = [], [], []
    target_order = numpy.argsort(target_keys, kind="stable")
    for start in range(0, size, BLOCK):
        block = target_order[start:start + BLOCK]
        first, last = int(low[block].min()), int(high[block].max())
        rows = order[first:last]
        products = target_rows[block] @ source_rows[rows].T
        lengths = high[block] - low[block]
        local = numpy.repeat(numpy.arange(len(block)), lengths)
        offsets = numpy.repeat(low[block] - first - numpy.concatenate(
            [[0], numpy.cumsum(lengths)[:-1]]), lengths) + numpy.arange(int(lengths.sum()))
        dots = products[local, offsets]
        if signed:
            dots = numpy.abs(dots)
        targets = block[local]
        sources = rows[offsets]
        if unit:
            residual = numpy.sqrt(numpy.maximum(2.0 - 2.0 * dots, 0.0))
        else:
            first_norms, second_norms = target_norms[targets], source_norms[sources]
            squares = first_norms**2 + second_norms**2 - 2.0 * dots
            residual = numpy.sqrt(numpy.maximum(squares, 0.0)) / numpy.maximum(
                numpy.maximum(first_norms, second_norms), _TINY)
        pair_targets.append(targets)
        pair_sources.append(sources)
        residuals.append(residual)
    return (numpy.concatenate(pair_targets), numpy.concatenate(pair_sources),
            numpy.concatenate(residuals))


def _row_norms(rows):
    return numpy.sqrt(numpy.einsum("ij,ij->i", rows, rows))


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
        Draws the random direction of the keys.
    neighbours : int
        Sources examined on either side of a target's key, beyond those
        within the tolerance.

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
    # NOTE: at width 4096 this measured 3.5x to 4.9x faster than the Hungarian algorithm
    # on the full matrix (docs/benchmarks.md, a shared 2-core machine), short of 10x.
    pair_targets, pair_sources, residuals = _candidate_residuals(source, target, scale_set,
                                                                 tolerance, rng, neighbours)

    # Best candidate per target: sort the pairs by target, then residual.
    order = numpy.lexsort((residuals, pair_targets))
    pair_targets, pair_sources, residuals = (pair_targets[order], pair_sources[order],
                                             residuals[order])
    first = numpy.flatnonzero(numpy.r_[True, pair_targets[1:] != pair_targets[:-1]])
    best = pair_sources[first]
    best_residual = residuals[first]

    # Keep a target's best choice where it is within the tolerance and no other
    # target wants that source; the rest go to the Hungarian algorithm.
    counts = numpy.bincount(best, minlength=size)
    settled = (counts[best] == 1) & (best_residual <= tolerance)
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
    runner_up = _runner_up(source, target, pair_targets, pair_sources, residuals, first,
                           assignment, scale_set)
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


def _runner_up(source, target, pair_targets, pair_sources, residuals, first, assignment,
               scale_set):
    """For each target, the residual of the best candidate other than its assigned source.

    Ranking residuals below :data:`_RECHECK` are recomputed directly, because
    the dot-product formula cannot resolve them, so a duplicate neuron shows a
    runner-up of exactly 0.
    """
    size = len(assignment)
    masked = numpy.where(pair_sources != assignment[pair_targets], residuals, numpy.inf)
    smallest = numpy.minimum.reduceat(masked, first)
    result = smallest.copy()
    recheck = numpy.flatnonzero(smallest < _RECHECK)
    if recheck.size:
        # The first pair of each target's group that attains the minimum.
        group_of_pair = numpy.repeat(numpy.arange(size), numpy.diff(numpy.r_[first, len(masked)]))
        hits = numpy.flatnonzero((masked == smallest[group_of_pair])
                                 & numpy.isin(group_of_pair, recheck))
        chosen = {}
        for pair in hits:
            chosen.setdefault(int(pair_targets[pair]), int(pair_sources[pair]))
        targets = numpy.array(sorted(chosen))
        sources = numpy.array([chosen[index] for index in targets])
        exact, _ = pair_residuals(source[sources], target[targets], scale_set)
        result[targets] = exact
    return result


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
