r"""Functional dimension: the rank of the Jacobian of parameters -> function at theta.

The realization map sends :math:`\theta` to the function :math:`f(\,\cdot\,; \theta)`.
Its Jacobian at :math:`\theta` has rank at most :math:`\#\text{params} - \dim K`
when the stabilizer is discrete, because the orbit of :math:`K` lies in the
fiber. Two ways to compute the rank:

* *exact*, for polynomial networks: the function is a vector of polynomials in
  :math:`x` whose coefficients are polynomials in :math:`\theta`; the derivative
  of each output with respect to each parameter is propagated through the
  layers as a polynomial in :math:`x` with rational coefficients, and the rank
  of the coefficient matrix is computed over :math:`\mathbb{Q}`;
* *numeric*, for every other activation: the derivatives at seeded random
  inputs are computed in floating point by backpropagation, and the rank is
  the number of singular values above :math:`\text{tol} = \max(m, n)\,
  \varepsilon\, s_1`; the gap :math:`s_r / s_{r+1}` is reported as the
  evidence. For ReLU networks whose input and hidden widths are at least 2 the
  known value at generic parameters is :math:`\#\text{params} - \#\text{hidden
  neurons}`.

The rank at :math:`\theta` describes the fiber near :math:`\theta` only where
the rank is locally constant, so the result is reported, not used as a proof.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import sympy
from sympy.polys.domains import QQ

from symequiv.activations.symmetry import ScaleSet
from symequiv.exact import linalg

MAX_EXACT_PARAMETERS = 400
MAX_EXACT_MONOMIALS = 5_000


@dataclass(frozen=True)
class FunctionalDimension:
    """The rank of the realization map's Jacobian at theta.

    Attributes
    ----------
    rank : int
    parameters : int
    symmetry_dimension : int
        :math:`\\dim K`.
    exact : bool
    gap : float or None
        :math:`s_r / s_{r+1}` for the numeric rank (None when exact or full).
    tolerance : float or None
    samples : int or None
        Inputs used by the numeric rank.
    """

    rank: int
    parameters: int
    symmetry_dimension: int
    exact: bool
    gap: float | None = None
    tolerance: float | None = None
    samples: int | None = None

    @property
    def expected(self):
        """#params - dim K, the largest rank a discrete stabilizer allows."""
        return self.parameters - self.symmetry_dimension

    @property
    def deficit(self):
        return self.expected - self.rank

    def describe(self):
        how = ("exact over Q (coefficients of the polynomial map)" if self.exact else
               f"numeric at {self.samples} seeded inputs, singular value gap "
               f"{self.gap:.3g} at tolerance {self.tolerance:.3g}" if self.gap is not None
               else f"numeric at {self.samples} seeded inputs (full rank)")
        comparison = ("equal to" if self.deficit == 0 else
                      f"{self.deficit} below" if self.deficit > 0 else f"{-self.deficit} above")
        return (f"{self.rank} ({how}); #params - dim K = {self.parameters} - "
                f"{self.symmetry_dimension} = {self.expected}, so the rank is {comparison} it")

    def to_dict(self):
        return {"rank": self.rank, "parameters": self.parameters,
                "symmetry_dimension": self.symmetry_dimension, "expected": self.expected,
                "exact": self.exact, "gap": self.gap, "tolerance": self.tolerance,
                "samples": self.samples}


def symmetry_dimension(network):
    r"""Return :math:`\dim K`: d per scaled layer, :math:`d^2 (+ d)` per affine layer."""
    total = 0
    for index, layer in enumerate(network.hidden_layers):
        scale_set = layer.activation.symmetry.scale_set
        width = layer.output_dimension
        if scale_set in (ScaleSet.POSITIVE, ScaleSet.NONZERO):
            total += width
        elif scale_set is ScaleSet.AFFINE:
            total += width * width + (width if network.layers[index + 1].has_bias else 0)
    return total


def _free_parameters(network):
    """``(layer index, 'W' or 'b', row, column)`` for every free parameter."""
    entries = []
    for index, layer in enumerate(network.layers):
        for row in range(layer.output_dimension):
            for column in range(layer.input_dimension):
                entries.append((index, "W", row, column))
        if layer.has_bias:
            for row in range(layer.output_dimension):
                entries.append((index, "b", row, None))
    return entries


def functional_dimension(network, samples=None, seed=0):
    """Return the :class:`FunctionalDimension` at the network's parameters.

    Polynomial networks with at most :data:`MAX_EXACT_PARAMETERS` parameters get
    the exact rank; the others the numeric rank at ``samples`` seeded inputs
    (default: enough rows for four times the parameter count).
    """
    dimension = symmetry_dimension(network)
    count = len(_free_parameters(network))
    if (network.is_polynomial and network.field.is_rational
            and count <= MAX_EXACT_PARAMETERS):
        rank = _exact_rank(network)
        if rank is not None:
            return FunctionalDimension(rank, count, dimension, True)
    return numeric_functional_dimension(network, samples, seed, dimension, count)


# -- exact ---------------------------------------------------------------------------------------


def _exact_rank(network):
    """Rank of the coefficient Jacobian over Q, or None when the polynomials are too large."""
    inputs = sympy.symbols(f"x0:{network.input_dimension}")
    field = network.field
    one = sympy.Poly(1, *inputs, domain=QQ)
    values = [sympy.Poly(variable, *inputs, domain=QQ) for variable in inputs]
    # Forward pass: keep each layer's input and pre-activation polynomials.
    layer_inputs = []
    preactivations = []
    for layer in network.layers:
        layer_inputs.append(values)
        rows = []
        for weights, bias in layer.rows:
            total = one.mul_ground(bias)
            for weight, value in zip(weights, values):
                if weight != field.zero:
                    total = total + value.mul_ground(weight)
            rows.append(total)
        preactivations.append(rows)
        if layer.activation is not None:
            degree = layer.activation.polynomial_degree
            values = [row**degree for row in rows]
        else:
            values = rows
        if sum(len(value.terms()) for value in values) > MAX_EXACT_MONOMIALS:
            return None

    columns = []
    for index, kind, row, column in _free_parameters(network):
        # d(preactivation of layer index)/d(parameter) is nonzero only in one row.
        derivative = [sympy.Poly(0, *inputs, domain=QQ)] * network.layers[index].output_dimension
        derivative[row] = layer_inputs[index][column] if kind == "W" else one
        for later in range(index, network.depth):
            layer = network.layers[later]
            if later > index:
                derivative = [sum((value.mul_ground(weight)
                                   for weight, value in zip(weights, derivative)
                                   if weight != field.zero),
                                  sympy.Poly(0, *inputs, domain=QQ))
                              for weights in layer.weights]
            if layer.activation is not None:
                degree = layer.activation.polynomial_degree
                derivative = [(value * preactivation**(degree - 1)).mul_ground(degree)
                              for value, preactivation in zip(derivative, preactivations[later])]
        columns.append(derivative)

    monomials = sorted({monomial for derivative in columns for value in derivative
                        for monomial in value.monoms()})
    position = {monomial: index for index, monomial in enumerate(monomials)}
    outputs = network.output_dimension
    rows = []
    for derivative in columns:
        vector = [QQ(0)] * (outputs * len(monomials))
        for output, value in enumerate(derivative):
            for monomial, coefficient in zip(value.monoms(), value.rep.coeffs()):
                vector[output * len(monomials) + position[monomial]] = coefficient
        rows.append(vector)
    if not monomials:
        return 0
    from symequiv.exact.field import ExactField

    return linalg.rank(ExactField.rational(), rows, outputs * len(monomials))


# -- numeric -------------------------------------------------------------------------------------


def _derivative_function(activation):
    """A numpy function for sigma'."""
    if activation.piecewise_linear is not None:
        below, above = (float(value) for value in activation.piecewise_linear)
        return lambda values: numpy.where(values >= 0, above, below)
    from symequiv.activations.catalogue import t

    function = sympy.lambdify(t, sympy.diff(activation.formula, t), modules=["numpy", "scipy"])
    return lambda values: numpy.asarray(function(values), dtype=float) * numpy.ones_like(values)


def numeric_jacobian(network, inputs):
    """Return the Jacobian of all outputs at ``inputs`` w.r.t. the free parameters.

    Shape ``(batch * outputs, #params)``, parameters in the order of
    :func:`_free_parameters` (per layer: weights row-major, then biases).
    """
    weights = [layer.float_weights for layer in network.layers]
    biases = [layer.float_bias for layer in network.layers]
    activations = [inputs]
    slopes = []
    values = inputs
    for layer, matrix, bias in zip(network.layers, weights, biases):
        preactivation = values @ matrix.T + bias
        if layer.activation is not None:
            slopes.append(_derivative_function(layer.activation)(preactivation))
            values = layer.activation.numpy_function(preactivation)
        else:
            slopes.append(numpy.ones_like(preactivation))
            values = preactivation
        activations.append(values)
    batch = inputs.shape[0]
    outputs = network.output_dimension
    # delta[b, k, j] = d output_k / d preactivation_j of the current layer.
    delta = numpy.broadcast_to(numpy.eye(outputs), (batch, outputs, outputs)).copy()
    blocks = []
    for index in range(network.depth - 1, -1, -1):
        delta = delta * slopes[index][:, None, :]
        previous = activations[index]
        block = [numpy.einsum("bkj,bi->bkji", delta, previous).reshape(batch * outputs, -1)]
        if network.layers[index].has_bias:
            block.append(delta.reshape(batch * outputs, -1))
        blocks.append(numpy.concatenate(block, axis=1))
        delta = delta @ weights[index]
    return numpy.concatenate(blocks[::-1], axis=1)


def numeric_functional_dimension(network, samples=None, seed=0, dimension=None, count=None):
    """Return the numeric :class:`FunctionalDimension` from the SVD of the sampled Jacobian."""
    dimension = symmetry_dimension(network) if dimension is None else dimension
    count = len(_free_parameters(network)) if count is None else count
    outputs = network.output_dimension
    if samples is None:
        # NOTE: a sample that misses some activation regions of a deep ReLU network
        # underestimates the rank; pass more samples when the gap looks doubtful.
        samples = max(8, -(-4 * count // outputs))
    rng = numpy.random.default_rng(seed)
    # Gaussian directions at log-uniform radii from 1/10 to 10, so that inputs reach
    # both the saturated and the linear regimes of the activations.
    radii = numpy.exp(rng.uniform(numpy.log(0.1), numpy.log(10.0), size=(samples, 1)))
    inputs = rng.standard_normal((samples, network.input_dimension)) * radii
    jacobian = numeric_jacobian(network, inputs)
    singular = numpy.linalg.svd(jacobian, compute_uv=False)
    tolerance = max(jacobian.shape) * numpy.finfo(float).eps * (singular[0] if singular.size
                                                                   else 0.0)
    rank = int(numpy.sum(singular > tolerance))
    gap = None
    if 0 < rank < singular.size:
        gap = float(singular[rank - 1] / max(singular[rank], numpy.finfo(float).tiny))
    return FunctionalDimension(rank, count, dimension, False, gap, float(tolerance), samples)
