r"""Reparameterization by removing degenerate neurons: the :math:`\theta^*` of the theorem.

For weakly identifiable parameters the theorem's conclusion concerns a
reparameterization :math:`\theta^*` with the same function, in which dead
neurons are zeroed and duplicate neurons merged. The reduction keeps the
architecture (the widths) and rewrites, until nothing changes:

* *constant neurons* (zero incoming weights) whose constant value is exact:
  the value times the outgoing column moves into the next layer's bias, and
  the outgoing column becomes zero;
* *duplicate neurons*: when neuron :math:`k` equals :math:`\lambda h_j + \mu`
  for an earlier neuron :math:`j` (their rows agree up to an admissible scale),
  the next layer's column :math:`j` gains :math:`\lambda` times column
  :math:`k`, its bias gains :math:`\mu` times column :math:`k`, and column
  :math:`k` becomes zero;
* *dead neurons* (zero outgoing column) get zero incoming weights and bias.

Each step is an exact identity, so :math:`\theta^*` has the same function as
:math:`\theta`; :func:`reduce_network` also re-proves this with the normal
form of each modified pair of layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import sympy

from symequiv.activations.catalogue import t
from symequiv.activations.symmetry import ScaleSet
from symequiv.derivation.normal_form import tails_agree
from symequiv.identifiability.witnesses import affine_relation_text
from symequiv.models.dense import DenseLayer
from symequiv.models.matching import RowMatcher
from symequiv.models.network import Network


@dataclass(frozen=True)
class ReductionStep:
    r"""One rewrite of the reduction: its kind, layer (from 1), neurons and description.

    The exact data of the rewrite, for certificates: ``value`` is the constant
    :math:`\sigma(b)` of a constant neuron; ``scale``, ``latent_scale`` and
    ``shift`` give a duplicate ``neurons = (j, k)`` as :math:`R_k = c R_j` and
    :math:`h_k = \lambda h_j + \mu` (``scale`` None when both are constant).
    """

    kind: str
    layer: int
    neurons: tuple
    description: str
    value: object = dataclass_field(default=None, compare=False)
    scale: object = dataclass_field(default=None, compare=False)
    latent_scale: object = dataclass_field(default=None, compare=False)
    shift: object = dataclass_field(default=None, compare=False)


@dataclass(frozen=True)
class Reparameterization:
    r"""The reduced parameters :math:`\theta^*` with the steps that produced them.

    Attributes
    ----------
    original : Network
    network : Network
        :math:`\theta^*`.
    steps : tuple of ReductionStep
    verified : bool
        True when every modified pair of layers was proved to compute the same map.
    blocked : tuple of ReductionStep
        Constant neurons that could not be removed exactly, because their value
        :math:`\sigma(b)` lies outside the field of the parameters or the next
        layer has no bias to take it. When there is one, ``network`` is not
        :math:`\theta^*`.
    """

    original: Network
    network: Network
    steps: tuple
    verified: bool
    blocked: tuple = ()

    @property
    def changed(self):
        return bool(self.steps)

    @property
    def formed(self):
        """True when every degenerate neuron was removed, so ``network`` is theta*."""
        return not self.blocked

    def blocked_reason(self):
        """Return why theta* is not formed, naming the first blocked neuron."""
        if not self.blocked:
            return ""
        return f"theta* is not formed: {self.blocked[0].description}"


class _Editable:
    """Mutable copies of the dense layers' parameters."""

    def __init__(self, network):
        self.field = network.field
        self.layers = list(network.layers)
        self.weights = [[list(row) for row in layer.weights] for layer in self.layers]
        self.bias = [list(layer.bias) for layer in self.layers]

    def column(self, layer_index, neuron):
        return [row[neuron] for row in self.weights[layer_index]]

    def set_column(self, layer_index, neuron, values):
        for row, value in zip(self.weights[layer_index], values):
            row[neuron] = value

    def layer(self, index):
        return self.layers[index].with_parameters(self.weights[index], self.bias[index])

    def build(self):
        layers = [layer.with_parameters(weights, bias)
                  for layer, weights, bias in zip(self.layers, self.weights, self.bias)]
        return Network(layers)


def _is_zero(values, zero):
    return all(value == zero for value in values)


def reduce_network(network, max_rounds=100):
    r"""Return :math:`\theta^*` for an MLP, with the steps taken.

    Parameters
    ----------
    network : Network
        Dense layers only; others are returned unchanged.
    max_rounds : int
        A bound on passes over the layers; each pass either changes something
        or ends the loop, and there are finitely many neurons to zero.

    Returns
    -------
    Reparameterization
    """
    if not all(isinstance(layer, DenseLayer) for layer in network.layers):
        return Reparameterization(network, network, (), True)
    editable = _Editable(network)
    steps = []
    blocked = {}
    verified = True
    for _ in range(max_rounds):
        changed = False
        for index in range(network.depth - 2, -1, -1):
            before = (editable.layer(index), _affine(editable.layer(index + 1)))
            if _reduce_layer(editable, index, steps, blocked):
                changed = True
                # Only layer index's rows and layer index + 1's columns and bias
                # changed, so equal pre-activations of layer index + 1 prove equal networks.
                after = (editable.layer(index), _affine(editable.layer(index + 1)))
                verified = verified and tails_agree(before, after)
        if not changed:
            break
    still_blocked = tuple(step for (layer, neuron), step in sorted(blocked.items())
                          if not _is_zero(editable.column(layer, neuron), editable.field.zero))
    return Reparameterization(network, editable.build(), tuple(steps), verified, still_blocked)


def _affine(layer):
    """Return the affine part of a layer, its pre-activation map."""
    return DenseLayer(layer.field, layer.weights, layer.bias, None, layer.has_bias)


def _blocked_step(field, layer, layer_number, neuron, bias, has_value):
    value = sympy.simplify(layer.activation.formula.subs(t, field.to_expr(bias)))
    if has_value:
        reason = "the next layer has no bias to take it"
    else:
        reason = "which is not in the exact field of the parameters"
    return ReductionStep("constant-blocked", layer_number, (neuron,),
                         f"neuron {neuron + 1} of layer {layer_number} has zero incoming "
                         f"weights, so it is the constant {value}, {reason}", value=value)


def _reduce_layer(editable, index, steps, blocked):
    layer = editable.layers[index]
    activation = layer.activation
    field = editable.field
    zero = field.zero
    changed = False
    layer_number = index + 1
    next_has_bias = editable.layers[index + 1].has_bias
    width = layer.output_dimension

    # Constant neurons: move the exact constant into the next bias.
    for neuron in range(width):
        weights = editable.weights[index][neuron]
        column = editable.column(index + 1, neuron)
        if not _is_zero(weights, zero) or _is_zero(column, zero):
            continue
        value = activation.exact_value(editable.bias[index][neuron], field)
        if value is None or (value != zero and not next_has_bias):
            blocked[(index + 1, neuron)] = _blocked_step(
                field, layer, layer_number, neuron, editable.bias[index][neuron],
                value is not None)
            continue
        next_bias = editable.bias[index + 1]
        for row, entry in enumerate(column):
            next_bias[row] += entry * value
        editable.set_column(index + 1, neuron, [zero] * len(column))
        steps.append(ReductionStep("constant", layer_number, (neuron,),
                                   f"neuron {neuron + 1} of layer {layer_number} is the constant "
                                   f"{field.to_expr(value)}; moved into the next bias",
                                   value=value))
        changed = True

    # Duplicate neurons: merge into the first of each class.
    if activation.symmetry.scale_set is not ScaleSet.AFFINE:
        matcher = RowMatcher(activation, field)
        first_of = {}
        for neuron in range(width):
            key = matcher.key(tuple(editable.weights[index][neuron]),
                              editable.bias[index][neuron])
            column = editable.column(index + 1, neuron)
            if _is_zero(column, zero):
                continue
            if key[0] not in first_of:
                first_of[key[0]] = (neuron, key)
                continue
            keeper, keeper_key = first_of[key[0]]
            scale, latent_scale, shift = matcher.pair_latent(keeper_key, key)
            if shift != zero and not next_has_bias:
                continue
            kept_column = editable.column(index + 1, keeper)
            editable.set_column(index + 1, keeper, [a + latent_scale * b
                                                    for a, b in zip(kept_column, column)])
            next_bias = editable.bias[index + 1]
            for row, entry in enumerate(column):
                next_bias[row] += shift * entry
            editable.set_column(index + 1, neuron, [zero] * len(column))
            relation = affine_relation_text(field, latent_scale, shift, keeper, neuron)
            steps.append(ReductionStep(
                "duplicate", layer_number, (keeper, neuron),
                f"neurons {keeper + 1} and {neuron + 1} of layer {layer_number} are duplicates "
                f"({relation}); merged into neuron {keeper + 1}",
                scale=scale, latent_scale=latent_scale, shift=shift))
            changed = True

    # Dead neurons: zero their incoming weights and bias.
    for neuron in range(width):
        column = editable.column(index + 1, neuron)
        if not _is_zero(column, zero):
            continue
        row = editable.weights[index][neuron]
        if _is_zero(row, zero) and editable.bias[index][neuron] == zero:
            continue
        editable.weights[index][neuron] = [zero] * len(row)
        editable.bias[index][neuron] = zero
        steps.append(ReductionStep("dead", layer_number, (neuron,),
                                   f"neuron {neuron + 1} of layer {layer_number} has zero outgoing "
                                   "weights; its incoming weights and bias were set to zero"))
        changed = True
    return changed
