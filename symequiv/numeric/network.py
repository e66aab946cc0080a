r"""MLPs with floating-point parameters, :math:`f = f_L \circ \dots \circ f_1`.

:math:`f_i(x) = \sigma_i(W_i x + b_i)` for the hidden layers and
:math:`f_L(x) = W_L x + b_L`. Inputs are rows: a batch has shape
``(samples, d_0)``. Parameters are stored as float64 arrays; float32 and
float16 values convert to float64 exactly, so the network evaluated is the one
whose weights were given.

The Arb evaluation treats every stored float as the exact dyadic rational it
is, so its enclosures are rigorous statements about the network as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy

from symequiv.errors import InputError, ShapeError

# Larger entries are rejected: no trained network has them, and sums of their
# products overflow float64 long before the Arb check could help.
MAX_MAGNITUDE = 1e15


@dataclass(frozen=True, eq=False)
class FloatNetwork:
    r"""An MLP with float64 parameters.

    Attributes
    ----------
    weights : tuple of numpy.ndarray
        :math:`W_1, \dots, W_L`, shape ``(d_i, d_{i-1})``.
    biases : tuple of numpy.ndarray
        :math:`b_1, \dots, b_L`, shape ``(d_i,)``; zeros without bias.
    activations : tuple of Activation
        One per hidden layer.
    has_bias : bool
    source_dtype : str
        The dtype the parameters were stored in, such as ``"float32"``.
    """

    weights: tuple
    biases: tuple
    activations: tuple
    has_bias: bool = True
    source_dtype: str = "float64"

    @property
    def depth(self):
        return len(self.weights)

    @property
    def widths(self):
        return (self.weights[0].shape[1],) + tuple(matrix.shape[0] for matrix in self.weights)

    @property
    def input_dimension(self):
        return self.widths[0]

    @property
    def output_dimension(self):
        return self.widths[-1]

    @property
    def parameter_count(self):
        return sum(matrix.size + bias.size for matrix, bias in zip(self.weights, self.biases))

    def activation(self, index):
        r"""Return :math:`\sigma_i` for a layer counted from 1, or None for the output layer."""
        return self.activations[index - 1] if index <= len(self.activations) else None

    def layer_output(self, index, values):
        r"""Apply layer :math:`f_i` (counted from 1) to a batch of rows."""
        preactivation = values @ self.weights[index - 1].T + self.biases[index - 1]
        activation = self.activation(index)
        if activation is None:
            return preactivation
        return activation.numpy_function(preactivation)

    def evaluate(self, inputs):
        """Evaluate on a batch of shape ``(samples, d_0)``; returns ``(samples, d_L)``."""
        values = numpy.asarray(inputs, dtype=float)
        for index in range(1, self.depth + 1):
            values = self.layer_output(index, values)
        return values

    def prefix_outputs(self, inputs):
        r"""Return :math:`[f_1(x), (f_2 \circ f_1)(x), \dots, f(x)]` for a batch of rows."""
        values = numpy.asarray(inputs, dtype=float)
        outputs = []
        for index in range(1, self.depth + 1):
            values = self.layer_output(index, values)
            outputs.append(values)
        return outputs

    def with_parameters(self, weights, biases):
        """Return a copy with other parameters of the same shapes."""
        return FloatNetwork(tuple(numpy.asarray(matrix, dtype=float) for matrix in weights),
                            tuple(numpy.asarray(bias, dtype=float) for bias in biases),
                            self.activations, self.has_bias, "float64")

    def parameter_arrays(self):
        """Return ``{"W1": ..., "b1": ..., ...}``; biases are left out without bias."""
        arrays = {}
        for index, (matrix, bias) in enumerate(zip(self.weights, self.biases), start=1):
            arrays[f"W{index}"] = matrix
            if self.has_bias:
                arrays[f"b{index}"] = bias
        return arrays

    # -- certified evaluation -------------------------------------------------

    @cached_property
    def _arb_layers(self):
        import flint

        layers = []
        for matrix, bias in zip(self.weights, self.biases):
            layers.append((flint.arb_mat(matrix.tolist()),
                           flint.arb_mat([[value] for value in bias.tolist()])))
        return layers

    def evaluate_arb(self, point):
        r"""Enclose :math:`f(x)` for one input given as a sequence of ``flint.arb`` balls.

        Every float parameter enters as the exact number it stores, so the
        result encloses the exact output of this network; call it inside
        :func:`~symequiv.exact.intervals.working_precision`.
        """
        import flint

        values = flint.arb_mat([[value] for value in point])
        for index, (matrix, bias) in enumerate(self._arb_layers, start=1):
            values = matrix * values + bias
            activation = self.activation(index)
            if activation is not None:
                values = flint.arb_mat([[activation.arb_function(values[row, 0])]
                                        for row in range(values.nrows())])
        return [values[row, 0] for row in range(values.nrows())]


def network_from_arrays(weights, biases, activations, has_bias=True, source=None,
                        names=None, source_dtype=None):
    r"""Build a :class:`FloatNetwork` from arrays, checking shapes and values.

    Parameters
    ----------
    weights : sequence of array_like
        :math:`W_1, \dots, W_L`, each of shape ``(d_i, d_{i-1})``.
    biases : sequence of array_like or None
        :math:`b_1, \dots, b_L`; None (or ``has_bias=False``) for zeros.
    activations : sequence of Activation
        One per hidden layer, :math:`L - 1` in all.
    has_bias : bool
    source : str, optional
        The file the arrays came from, for messages.
    names : sequence of str, optional
        The key of each array in ``source`` (``W1, b1, W2, ...`` by default),
        for messages.
    source_dtype : str, optional
        The dtype the parameters are stored in, for reports; by default the
        dtype of the weight arrays (``"mixed"`` when they differ).

    Raises
    ------
    ShapeError
        For wrong ranks or dimensions that do not chain.
    InputError
        For non-numeric arrays, NaN, infinities or entries above
        :data:`MAX_MAGNITUDE`.
    """
    depth = len(weights)
    if depth == 0:
        raise ShapeError("a network needs at least one weight matrix", source=source)
    if len(activations) != depth - 1:
        raise ShapeError(f"{depth} weight matrices need {depth - 1} activations, got "
                         f"{len(activations)}", source=source)
    if names is None:
        names = [name for index in range(1, depth + 1) for name in (f"W{index}", f"b{index}")]
    weight_names, bias_names = names[0::2], names[1::2]
    if biases is None or not has_bias:
        biases = [None] * depth
    if len(biases) != depth:
        raise ShapeError(f"{depth} weight matrices need {depth} bias vectors, got {len(biases)}",
                         source=source)
    matrices = []
    vectors = []
    dtypes = set()
    for index in range(depth):
        matrix = _checked_array(weights[index], 2, source, weight_names[index])
        dtypes.add(str(numpy.asarray(weights[index]).dtype))
        if matrices and matrix.shape[1] != matrices[-1].shape[0]:
            raise ShapeError(f"expected {matrices[-1].shape[0]} columns to follow "
                             f"{weight_names[index - 1]} of shape {matrices[-1].shape}, got "
                             f"shape {matrix.shape}", source=source, key=weight_names[index])
        if biases[index] is None:
            vector = numpy.zeros(matrix.shape[0])
        else:
            vector = _checked_array(biases[index], 1, source, bias_names[index])
            if vector.shape[0] != matrix.shape[0]:
                raise ShapeError(f"expected {matrix.shape[0]} entries, one per row of "
                                 f"{weight_names[index]}, got {vector.shape[0]}",
                                 source=source, key=bias_names[index])
        matrices.append(matrix)
        vectors.append(vector)
    if source_dtype is None:
        source_dtype = dtypes.pop() if len(dtypes) == 1 else "mixed"
    return FloatNetwork(tuple(matrices), tuple(vectors), tuple(activations), has_bias,
                        source_dtype)


def _checked_array(value, rank, source, key):
    try:
        array = numpy.asarray(value)
    except (TypeError, ValueError) as error:
        raise InputError(f"expected an array of numbers: {error}", source=source,
                         key=key) from None
    what = "a matrix" if rank == 2 else "a vector"
    if array.dtype.kind not in "fiu":
        raise InputError(f"expected {what} of real numbers, got dtype {array.dtype}",
                         source=source, key=key)
    if array.ndim != rank:
        raise ShapeError(f"expected {what}, got an array of shape {array.shape}",
                         source=source, key=key)
    if 0 in array.shape:
        raise ShapeError(f"expected a non-empty array, got shape {array.shape}", source=source,
                         key=key)
    array = array.astype(float)
    finite = numpy.isfinite(array)
    if not finite.all():
        position = tuple(int(entry) for entry in numpy.argwhere(~finite)[0])
        raise InputError(f"entry {list(position)} is {array[position]}; expected finite numbers",
                         source=source, key=key)
    largest = float(numpy.abs(array).max())
    if largest > MAX_MAGNITUDE:
        raise InputError(f"an entry has magnitude {largest:.3g}; expected at most "
                         f"{MAX_MAGNITUDE:.0e}", source=source, key=key)
    return array
