r"""The per-layer equivariance metric of Shahverdi, Marchetti, Bökman and Kohn (arXiv:2601.21645).

For a generator :math:`g` and each hidden layer :math:`i`, let :math:`F_i` be the
map from the input to the output of layer :math:`i`. A linear map
:math:`A_i` is fitted by least squares so that
:math:`A_i F_i(y) \approx F_i(\rho_{in}(g) y)` over noise inputs
:math:`y \sim N(0, I)`, and the reported error is the median of

.. math::  \frac{\|F_i(\rho_{in}(g) y) - A_i F_i(y)\|}{\|F_i(y)\|}

over further noise inputs. symequiv fits on one half of the samples and takes
the median on the other half, so that a wide layer cannot fit the noise.
Where the latent group acts affinely (sigmoid, identity) :math:`A_i` gets a
translation too. The nearest element of :math:`K_i` to :math:`A_i` is found
with the Hungarian algorithm, and its distance is reported relative to its
size, :math:`\|A_i - k\|_F / \|k\|_F`.

Samples are processed in batches: the fit accumulates the normal equations
:math:`\sum F^T F` and :math:`\sum F^T F_g`, so memory grows with the widths,
not with the number of samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import scipy.linalg
import scipy.optimize

from symequiv.activations.symmetry import ScaleSet
from symequiv.numeric.relate import FloatAffine

DEFAULT_SAMPLES = 100_000
BATCH = 4096


@dataclass(frozen=True)
class NearestElement:
    r"""The element :math:`k` of :math:`K_i` nearest to a fitted map.

    Attributes
    ----------
    images : numpy.ndarray or None
        :math:`\pi(j)` with :math:`k e_j = c_j e_{\pi(j)}`; None for the affine group.
    scales : numpy.ndarray or None
        :math:`c_j` (the latent scales, not pre-activation scales).
    translation : numpy.ndarray or None
    distance : float
        :math:`\|[A\,|\,t] - [k\,|\,\tau]\|_F / \|[k\,|\,\tau]\|_F`.
    """

    images: numpy.ndarray | None
    scales: numpy.ndarray | None
    translation: numpy.ndarray | None
    distance: float

    def dense(self):
        size = len(self.images)
        result = numpy.zeros((size, size))
        result[self.images, numpy.arange(size)] = self.scales
        return result


@dataclass(frozen=True)
class LayerFit:
    r"""The fitted :math:`A_i` for one layer and generator, with its error and nearest element."""

    layer: int
    generator: str
    fitted: numpy.ndarray
    translation: numpy.ndarray | None
    median_error: float
    nearest: NearestElement


@dataclass(frozen=True)
class OutputError:
    r"""The median of :math:`\|f(\rho_{in}(g) y) - \rho_{out}(g) f(y)\| / \|f(y)\|`."""

    generator: str
    median_error: float


def acts_affinely(activation):
    """Return whether the latent group of ``activation`` has translations, so A_i gets one."""
    symmetry = activation.symmetry
    return symmetry.linear or (symmetry.negation is not None and symmetry.negation.r != 0)


def _noise_batches(rng, dimension, samples, batch):
    remaining = samples
    while remaining > 0:
        size = min(batch, remaining)
        remaining -= size
        yield rng.standard_normal((size, dimension))


def _features(values, affine):
    if not affine:
        return values
    return numpy.column_stack([values, numpy.ones(len(values))])


def fit_generator(network, generator, input_map, output_map, samples, rng, batch=BATCH,
                  progress=None):
    r"""Fit :math:`A_i` for every hidden layer for one generator.

    Parameters
    ----------
    network : FloatNetwork
    generator : str
    input_map, output_map : FloatAffine
        :math:`\rho_{in}(g)` and :math:`\rho_{out}(g)`.
    samples : int
        Noise inputs in all; half fit, half measure.
    rng : numpy.random.Generator
    batch : int
    progress : callable, optional
        Called with the number of samples just processed.

    Returns
    -------
    tuple
        ``(list of LayerFit, OutputError)``.
    """
    hidden = network.depth - 1
    fit_samples = max(samples // 2, 1)
    measure_samples = max(samples - fit_samples, 1)
    affine = [acts_affinely(network.activation(index)) for index in range(1, hidden + 1)]
    sizes = [network.widths[index] + (1 if affine[index - 1] else 0)
             for index in range(1, hidden + 1)]
    grams = [numpy.zeros((size, size)) for size in sizes]
    crosses = [numpy.zeros((size, network.widths[index]))
               for index, size in enumerate(sizes, start=1)]
    for inputs in _noise_batches(rng, network.input_dimension, fit_samples, batch):
        plain = network.prefix_outputs(inputs)
        moved = network.prefix_outputs(input_map.apply_rows(inputs))
        for index in range(hidden):
            features = _features(plain[index], affine[index])
            grams[index] += features.T @ features
            crosses[index] += features.T @ moved[index]
        if progress is not None:
            progress(len(inputs))

    maps = []
    for index in range(hidden):
        solution = _solve_normal_equations(grams[index], crosses[index]).T
        if affine[index]:
            maps.append((solution[:, :-1], solution[:, -1]))
        else:
            maps.append((solution, None))

    errors = [[] for _ in range(hidden)]
    output_errors = []
    for inputs in _noise_batches(rng, network.input_dimension, measure_samples, batch):
        plain = network.prefix_outputs(inputs)
        moved = network.prefix_outputs(input_map.apply_rows(inputs))
        for index, (linear, shift) in enumerate(maps[:hidden]):
            predicted = plain[index] @ linear.T + (0 if shift is None else shift)
            errors[index].append(_relative(moved[index] - predicted, plain[index]))
        expected = output_map.apply_rows(plain[-1])
        output_errors.append(_relative(moved[-1] - expected, plain[-1]))
        if progress is not None:
            progress(len(inputs))

    fits = []
    for index, (linear, shift) in enumerate(maps, start=1):
        activation = network.activation(index)
        nearest = nearest_element(linear, shift, activation)
        fits.append(LayerFit(index, generator, linear, shift,
                             float(numpy.median(numpy.concatenate(errors[index - 1]))), nearest))
    output = OutputError(generator, float(numpy.median(numpy.concatenate(output_errors))))
    return fits, output


def _solve_normal_equations(gram, cross):
    r"""Solve :math:`(G + \epsilon I) X = C` by Cholesky, with :math:`\epsilon` tiny.

    The ridge :math:`\epsilon = 10^{-12} \operatorname{tr}(G) / d` only matters
    where :math:`G` is singular (a neuron constant on every sample), and there
    it picks the solution that ignores that neuron.
    """
    size = gram.shape[0]
    ridge = 1e-12 * max(float(numpy.trace(gram)) / size, 1e-300)
    return scipy.linalg.solve(gram + ridge * numpy.eye(size), cross, assume_a="pos")


def _relative(difference, reference):
    norms = numpy.linalg.norm(reference, axis=1)
    return numpy.linalg.norm(difference, axis=1) / numpy.maximum(norms, 1e-300)


def nearest_element(linear, shift, activation):
    r"""Return the element of the latent group of ``activation`` nearest to :math:`[A\,|\,t]`.

    The assignment maximizes the captured part of :math:`A`: the entries
    :math:`A_{\pi(j) j}` for permutations, their absolute values for signed
    permutations, and their (positive) squares for monomial matrices.
    """
    symmetry = activation.symmetry
    scale_set = symmetry.scale_set
    size = linear.shape[0]
    shift = numpy.zeros(size) if shift is None else shift
    if scale_set is ScaleSet.AFFINE:
        return NearestElement(None, None, shift, 0.0)
    # gain[j, r]: what mapping coordinate j to coordinate r captures of A[r, j].
    transposed = linear.T
    if scale_set is ScaleSet.ONE:
        gain = transposed
    elif scale_set is ScaleSet.SIGN:
        gain = numpy.abs(transposed)
    elif scale_set is ScaleSet.POSITIVE:
        gain = numpy.maximum(transposed, 0.0) ** 2
    else:
        gain = transposed**2
    columns, images = scipy.optimize.linear_sum_assignment(gain, maximize=True)
    order = numpy.argsort(columns)
    images = images[order]
    picked = linear[images, numpy.arange(size)]
    if scale_set is ScaleSet.ONE:
        scales = numpy.ones(size)
    elif scale_set is ScaleSet.SIGN:
        scales = numpy.where(picked < 0, -1.0, 1.0)
    elif scale_set is ScaleSet.POSITIVE:
        scales = numpy.maximum(picked, 1e-12)
    else:
        scales = numpy.where(picked == 0, 1e-12, picked)
    translation = numpy.zeros(size)
    negation = symmetry.negation
    if scale_set is ScaleSet.SIGN and negation is not None and negation.r != 0:
        # A flip h -> r - h of neuron j lands on coordinate pi(j).
        translation[images[scales < 0]] = float(negation.r)
    element = numpy.zeros((size, size))
    element[images, numpy.arange(size)] = scales
    reference = numpy.column_stack([element, translation])
    fitted = numpy.column_stack([linear, shift])
    distance = float(numpy.linalg.norm(fitted - reference) / numpy.linalg.norm(reference))
    return NearestElement(images, scales, translation, distance)


def fit_layer_maps(network, action, samples=DEFAULT_SAMPLES, rng=None, batch=BATCH,
                   progress=None, generators=None):
    r"""Run :func:`fit_generator` for each generator.

    Parameters
    ----------
    network : FloatNetwork
    action : GroupAction
    samples : int
        Noise inputs per generator.
    rng : numpy.random.Generator
    generators : sequence of str, optional
        Default: all generators of ``action``.

    Returns
    -------
    dict
        Generator name to ``(list of LayerFit, OutputError)``.
    """
    rng = numpy.random.default_rng(0) if rng is None else rng
    result = {}
    for generator in generators or action.generators:
        input_map = FloatAffine.from_exact(action.input[generator])
        output_map = FloatAffine.from_exact(action.output[generator])
        result[generator] = fit_generator(network, generator, input_map, output_map, samples,
                                          rng, batch, progress)
    return result
