r"""Networks as compositions of layers, :math:`f = f_L \circ \dots \circ f_1`.

Layers are numbered from 1 as in the literature: ``network.layers[i - 1]`` is
:math:`f_i`, the latent space :math:`V_i` is its output, :math:`V_0` the input
and :math:`V_L` the output of the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy

from symequiv.actions.maps import identity_affine
from symequiv.errors import ShapeError, UnsupportedError
from symequiv.models.dense import DenseLayer


@dataclass(frozen=True)
class Adjunction:
    r"""The adjunction step for one group element: :math:`\theta^g` and what passed through.

    When ``network`` is set, it computes
    :math:`x \mapsto \rho_{out}(g)^{-1} f(\rho_{in}(g)\, x;\ \theta)`, and layer
    :math:`i` satisfies :math:`f_i(q_{i-1} y;\ \theta_i) = q_i\, f_i(y;\ \theta^g_i)`
    with :math:`q_0 = \rho_{in}(g)`; ``passthrough`` contains :math:`q_1, \dots, q_{L-1}`
    (None where :math:`q_i` is the identity).

    Attributes
    ----------
    network : Network or None
        :math:`\theta^g`, or None when the theorem does not apply.
    passthrough : tuple
        :math:`q_i` on each hidden space, or None for the identity.
    reason : str
        Why the group element could not be moved onto the parameters.
    layer : int or None
        The layer (from 1) that could not absorb it.
    """

    network: object
    passthrough: tuple = ()
    reason: str = ""
    layer: int | None = None

    @property
    def applies(self):
        return self.network is not None


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

    def adjunction(self, input_map, output_map):
        r"""Move :math:`\rho_{in}(g)` and :math:`\rho_{out}(g)` onto the parameters.

        This is the adjunction step of the theorem. Each layer in turn absorbs
        the map on its input (:meth:`Layer.absorb`). Nothing passes through a
        dense layer, so only the first layer changes. Token or grid
        permutations pass through attention, tokenwise and convolutional
        layers to the next layer (generalized adjunction). The last layer then
        absorbs :math:`\rho_{out}(g)^{-1} q_L`.

        Returns
        -------
        Adjunction
            With ``network`` None when a layer cannot absorb the map, which
            means the theorem does not apply to this network and group.
        """
        layers = []
        passthrough = []
        current = input_map
        for number, layer in enumerate(self.layers, start=1):
            absorption = layer.absorb(current)
            if not absorption.absorbed:
                return Adjunction(None, (), absorption.reason, number)
            layers.append(absorption.layer)
            output = absorption.output_map
            if output is not None and output.is_identity:
                output = None
            passthrough.append(output)
            if output is not None:
                current = output
            else:
                current = identity_affine(self.field, layer.output_dimension)
        remainder = output_map.inverse()
        if passthrough[-1] is not None:
            remainder = remainder.compose(passthrough[-1])
        last = layers[-1].postcompose(remainder)
        if last is None:
            reason = ("the last layer cannot absorb the output action"
                      + (" combined with the map that passed through the earlier layers"
                         if passthrough[-1] is not None else ""))
            return Adjunction(None, (), reason, len(layers))
        layers[-1] = last
        return Adjunction(Network(layers), tuple(passthrough[:-1]))

    def adjoint(self, input_map, output_map):
        r"""Return :math:`\theta^g` for the maps :math:`\rho_{in}(g)` and :math:`\rho_{out}(g)`.

        :math:`\theta^g` computes :math:`x \mapsto \rho_{out}(g)^{-1} f(\rho_{in}(g) x)`;
        see :meth:`adjunction`.

        Raises
        ------
        ShapeError
            When the last layer cannot absorb the output action.
        UnsupportedError
            When another layer cannot absorb the map on its input.
        """
        adjunction = self.adjunction(input_map, output_map)
        if adjunction.applies:
            return adjunction.network
        if adjunction.layer == self.depth and "last layer" in adjunction.reason:
            raise ShapeError(adjunction.reason)
        raise UnsupportedError(f"layer f_{adjunction.layer}: {adjunction.reason}")

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
        """Return the activation of each hidden layer (None for a layer that has none)."""
        return [getattr(layer, "activation", None) for layer in self.hidden_layers]

    @cached_property
    def is_polynomial(self):
        """True when every layer is a polynomial map, so the network is one."""
        return all(layer.polynomial_degree is not None for layer in self.layers)

    @property
    def polynomial_degree(self):
        """The product of the layers' degrees, or None when some layer is not polynomial."""
        degree = 1
        for layer in self.layers:
            if layer.polynomial_degree is None:
                return None
            degree *= layer.polynomial_degree
        return degree

    def parameter_expressions(self):
        r"""Return the parameters as ``{"W1": rows, "b1": entries, ...}`` of sympy expressions."""
        result = {}
        for index, layer in enumerate(self.layers, start=1):
            for name, value in layer.parameters().items():
                short = {"weights": "W", "bias": "b"}.get(name, name)
                result[f"{short}{index}"] = _to_expressions(self.field, value)
        return result

    def parameter_strings(self):
        """Return :meth:`parameter_expressions` with every entry written as a string."""
        return {name: nested_strings(value)
                for name, value in self.parameter_expressions().items()}


def nested_strings(value):
    """Return nested lists with every entry written as a string."""
    if isinstance(value, list):
        return [nested_strings(item) for item in value]
    return str(value)


def _to_expressions(field, value):
    if isinstance(value, tuple):
        return [_to_expressions(field, item) for item in value]
    return field.to_expr(value)
