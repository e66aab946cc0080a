r"""Networks as compositions of layers, :math:`f = f_L \circ \dots \circ f_1`.

Layers are numbered from 1 as in the literature: ``network.layers[i - 1]`` is
:math:`f_i`, the latent space :math:`V_i` is its output, :math:`V_0` the input
and :math:`V_L` the output of the network.
"""

from __future__ import annotations

from functools import cached_property

import numpy

from symequiv.errors import ShapeError
from symequiv.models.dense import DenseLayer


class Network:
    r"""A composition of layers with matching dimensions over one exact field.

    Parameters
    ----------
    layers : sequence of Layer
        :math:`f_1, \dots, f_L`.
    """

    def __init__(self, layers):
        self.layers = tuple(layers)
        if not self.layers:
            raise ShapeError("a network needs at least one layer")
        self.field = self.layers[0].field
        for index, (first, second) in enumerate(zip(self.layers, self.layers[1:]), start=1):
            if first.output_dimension != second.input_dimension:
                raise ShapeError(
                    f"layer {index} outputs dimension {first.output_dimension} but layer "
                    f"{index + 1} takes dimension {second.input_dimension}"
                )

    @classmethod
    def mlp(cls, field, weights, biases, activations, has_bias=True):
        r"""Build a multilayer perceptron.

        Parameters
        ----------
        field : ExactField
        weights : sequence of matrices
            :math:`W_1, \dots, W_L` as row tuples of field elements.
        biases : sequence of vectors
            :math:`b_1, \dots, b_L`.
        activations : sequence of Activation
            One per hidden layer, :math:`L - 1` in all; the last layer is affine.
        """
        if not weights:
            raise ShapeError("an MLP needs at least one layer")
        if len(biases) != len(weights):
            raise ShapeError(f"an MLP with {len(weights)} layers needs {len(weights)} bias "
                             f"vectors, got {len(biases)}")
        if len(activations) != len(weights) - 1:
            raise ShapeError(
                f"an MLP with {len(weights)} layers needs {len(weights) - 1} activations, "
                f"got {len(activations)}"
            )
        layers = []
        for index, (matrix, bias) in enumerate(zip(weights, biases)):
            activation = activations[index] if index < len(activations) else None
            layers.append(DenseLayer(field, matrix, bias, activation, has_bias))
        return cls(layers)

    @property
    def depth(self):
        return len(self.layers)

    @property
    def widths(self):
        return (self.layers[0].input_dimension,) + tuple(
            layer.output_dimension for layer in self.layers)

    @property
    def input_dimension(self):
        return self.layers[0].input_dimension

    @property
    def output_dimension(self):
        return self.layers[-1].output_dimension

    @property
    def hidden_layers(self):
        return self.layers[:-1]

    @property
    def parameter_count(self):
        return sum(layer.parameter_count for layer in self.layers)

    def layer(self, index):
        r"""Return :math:`f_i` for ``index`` :math:`i` counted from 1."""
        return self.layers[index - 1]

    def with_layer(self, index, layer):
        """Return a copy with :math:`f_i` replaced."""
        layers = list(self.layers)
        layers[index - 1] = layer
        return Network(layers)

    def same_parameters(self, other):
        return len(self.layers) == len(other.layers) and all(
            first.same_parameters(second) for first, second in zip(self.layers, other.layers))

    def adjoint(self, input_map, output_map):
        r"""Return :math:`\theta^g` for the maps :math:`\rho_{in}(g)` and :math:`\rho_{out}(g)`.

        :math:`\theta^g` computes :math:`x \mapsto \rho_{out}(g)^{-1} f(\rho_{in}(g) x)`.
        This is the adjunction step of the theorem: the group element moves
        from the input and output onto the parameters of the first and last
        layer, and the middle layers are unchanged.
        """
        layers = list(self.layers)
        layers[0] = layers[0].precompose(input_map)
        last = layers[-1].postcompose(output_map.inverse())
        if last is None:
            raise ShapeError("the last layer cannot absorb the output action")
        layers[-1] = last
        return Network(layers)

    # -- evaluation ------------------------------------------------------------

    def evaluate_numpy(self, inputs):
        values = numpy.asarray(inputs, dtype=float)
        for layer in self.layers:
            values = layer.evaluate_numpy(values)
        return values

    def evaluate_arb(self, vector, substitutions=None):
        values = list(vector)
        for layer in self.layers:
            values = layer.evaluate_arb(values, substitutions)
        return values

    def evaluate_symbolic(self, vector):
        values = list(vector)
        for layer in self.layers:
            values = layer.evaluate_symbolic(values)
        return values

    def hidden_activations(self):
        return [layer.activation for layer in self.hidden_layers]

    @cached_property
    def is_polynomial(self):
        """True when every activation is a polynomial, so the network is a polynomial map."""
        return all(getattr(layer, "activation", None) is None
                   or layer.activation.polynomial_degree is not None for layer in self.layers)

    def parameter_expressions(self):
        r"""Return the parameters as ``{"W1": rows, "b1": entries, ...}`` of sympy expressions."""
        result = {}
        for index, layer in enumerate(self.layers, start=1):
            for name, value in layer.parameters().items():
                short = {"weights": "W", "bias": "b"}.get(name, name)
                result[f"{short}{index}"] = _to_expressions(self.field, value)
        return result


def _to_expressions(field, value):
    if isinstance(value, tuple):
        return [_to_expressions(field, item) for item in value]
    return field.to_expr(value)
