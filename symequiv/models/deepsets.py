r"""Deep Sets layers :math:`x_t \mapsto \sigma(W x_t + U \sum_j x_j + b)`, equivariant by design.

The input is a set of :math:`n` elements of :math:`c_{in}` features, stored
element-major like a token sequence. The same weights act on every element,
and :math:`U` acts on the sum over the set, so the layer commutes with every
permutation of the elements whatever its parameters are.

That built-in equivariance is why the theorem does not cover these
layers: a permutation :math:`P` of the elements is not moved onto the
parameters (:math:`f(P x;\ \theta) = P f(x;\ \theta)`, and no :math:`\theta'`
gives :math:`f(x;\ \theta')`), so adjunction fails. symequiv reports that the
theorem does not apply for a group that moves elements, rather than deriving
latent actions. A map that acts on every element alike (:math:`I \otimes M`,
with one shift for every element) is absorbed as :math:`W \mapsto W M`,
:math:`U \mapsto U M`, and then the theorem applies as usual.

The latent group of a hidden layer is the activation's group on the
:math:`c_{out}` channels, acting alike on every element. For :math:`n \ge 2`,
neuron :math:`o` of element :math:`t` has weight :math:`W_o + U_o` on
:math:`x_t` and :math:`U_o` on the other elements, so the rows
:math:`(W_o, U_o, b_o)` determine it and the dense matcher on those rows is exact.
"""

from __future__ import annotations

from functools import cached_property

import numpy

from symequiv.actions.maps import AffineMap, identity_affine, linear_map
from symequiv.actions.tokens import factor_tokens, lift_tokens, tokens_identity
from symequiv.errors import ShapeError
from symequiv.models.dense import DenseLayer
from symequiv.models.layer import Absorption, Match
from symequiv.models.tokenwise import TokenwiseLatentGroup, TokenwiseLayer, split_tokens


class DeepSetsLayer(TokenwiseLayer):
    r"""The layer :math:`x_t \mapsto \sigma(W x_t + U \sum_j x_j + b)` on a set of elements.

    Parameters
    ----------
    field : ExactField
    elements : int
        :math:`n \ge 2`.
    weights, pool_weights : matrices
        :math:`W` and :math:`U`, both :math:`c_{out} \times c_{in}`, by rows.
    bias : sequence
    activation : Activation or None
    has_bias : bool
    """

    def __init__(self, field, elements, weights, pool_weights, bias, activation=None,
                 has_bias=True):
        if elements < 2:
            raise ShapeError(f"a Deep Sets layer needs at least 2 elements, got {elements}")
        self.weights = tuple(tuple(row) for row in weights)
        self.pool_weights = tuple(tuple(row) for row in pool_weights)
        if len(self.weights) != len(self.pool_weights) or any(
                len(row) != len(self.weights[0]) for row in self.weights + self.pool_weights):
            raise ShapeError("the element weights and the pool weights must have the same shape")
        inputs = len(self.weights[0])
        core = DenseLayer(field, [row + pool for row, pool in zip(self.weights,
                                                                   self.pool_weights)],
                          bias, activation, has_bias)
        super().__init__(elements, core)
        self.element_inputs = inputs
        self.input_dimension = elements * inputs

    @property
    def kind(self):
        return "deepsets"

    @property
    def elements(self):
        return self.tokens

    @property
    def label(self):
        return f"deepsets {self.core.label}"

    def __repr__(self):
        return (f"DeepSetsLayer({self.tokens} elements, {self.element_inputs} -> "
                f"{self.core.output_dimension}, {self.core.label})")

    def parameters(self):
        return {"W": self.weights, "Wpool": self.pool_weights, "bias": self.core.bias}

    def same_parameters(self, other):
        return (isinstance(other, DeepSetsLayer) and other.tokens == self.tokens
                and self.core.same_parameters(other.core))

    def _from_core(self, core):
        inputs = self.element_inputs
        return DeepSetsLayer(core.field, self.tokens, [row[:inputs] for row in core.weights],
                             [row[inputs:] for row in core.weights], core.bias,
                             core.activation, core.has_bias)

    def _with_core(self, core):
        return self._from_core(core)

    def convert_parameters(self, field, convert):
        return self._from_core(self.core.convert_parameters(field, convert))

    # -- evaluation ------------------------------------------------------------------

    @cached_property
    def _float_parts(self):
        weights = self.core.float_weights
        inputs = self.element_inputs
        return weights[:, :inputs], weights[:, inputs:], self.core.float_bias

    def evaluate_numpy(self, inputs):
        inputs = numpy.asarray(inputs, dtype=float)
        batch = inputs.shape[0]
        elements = inputs.reshape(batch, self.tokens, self.element_inputs)
        weights, pool, bias = self._float_parts
        total = elements.sum(axis=1, keepdims=True)
        values = elements @ weights.T + total @ pool.T + bias
        values = values.reshape(batch, self.output_dimension)
        if self.core.activation is None:
            return values
        return self.core.activation.numpy_function(values)

    def _stacked(self, vector, zero):
        size = self.element_inputs
        elements = [list(vector[index * size:(index + 1) * size]) for index in range(self.tokens)]
        total = [sum((element[feature] for element in elements), zero)
                 for feature in range(size)]
        return [element + total for element in elements]

    def evaluate_arb(self, vector, substitutions=None):
        import flint

        outputs = []
        for stacked in self._stacked(vector, flint.arb(0)):
            outputs.extend(self.core.evaluate_arb(stacked, substitutions))
        return outputs

    def evaluate_symbolic(self, vector):
        import sympy

        outputs = []
        for stacked in self._stacked(list(vector), sympy.Integer(0)):
            outputs.extend(self.core.evaluate_symbolic(stacked))
        return outputs

    # -- maps acting on the layer ----------------------------------------------------

    def _stacked_map(self, feature):
        r"""Return the map :math:`(x_t, s) \mapsto (M x_t + t_0, M s + n t_0)` for the core."""
        field = self.field
        size = self.element_inputs
        zero = field.zero
        rows = [[zero] * (2 * size) for _ in range(2 * size)]
        for row_index, row in enumerate(feature.linear.rows()):
            rows[row_index][:size] = row
            rows[size + row_index][size:] = row
        translation = None
        if feature.translation is not None:
            translation = tuple(feature.translation) + tuple(
                self.tokens * entry for entry in feature.translation)
        return AffineMap(linear_map(field, rows, invertible=True), translation)

    def precompose(self, affine_map):
        split = split_tokens(affine_map, self.tokens)
        if split is None or not tokens_identity(split[0]):
            return None
        return self._from_core(self.core.precompose(self._stacked_map(split[1])))

    def absorb(self, affine_map):
        if affine_map.is_identity:
            return Absorption(self)
        factors = factor_tokens(affine_map.linear, self.tokens)
        if factors is not None and not tokens_identity(factors[0]):
            return Absorption.failed(
                f"a Deep Sets layer commutes with every permutation of its {self.tokens} "
                "elements whatever its parameters are, so a permutation of the elements is not "
                "moved onto the parameters (f(P x; theta) = P f(x; theta), and no theta' gives "
                "f(x; theta')); the layer is equivariant by construction, and the theorem says "
                "nothing about it")
        # NOTE: maps I (x) M + J (x) N, which add a multiple of the set sum, could also
        # be absorbed by the parameters. Only I (x) M is handled here.
        layer = self.precompose(affine_map)
        if layer is None:
            return Absorption.failed(
                "a Deep Sets layer absorbs only maps that act on every element alike (the same "
                "feature map and the same shift)")
        return Absorption(layer)

    def commute(self, affine_map):
        if affine_map.is_identity:
            return affine_map
        if affine_map.translation is not None:
            return None
        factors = factor_tokens(affine_map.linear, self.tokens)
        if factors is None or not factors[1].is_identity:
            return None
        identity = identity_affine(self.field, self.core.output_dimension)
        return lift_tokens(identity, self.tokens, factors[0])

    # -- the latent group ------------------------------------------------------------

    def latent_group(self):
        core_group = self.core.latent_group()
        if core_group is None:
            return None
        return TokenwiseLatentGroup(core_group, self.tokens)

    def match(self, target):
        if not isinstance(target, DeepSetsLayer) or target.tokens != self.tokens:
            return Match(None, True, reason="the layers are not Deep Sets layers on the same "
                                            "number of elements")
        return super().match(target)

    def relation_holds(self, target, element):
        if not isinstance(target, DeepSetsLayer):
            return False
        return super().relation_holds(target, element)

