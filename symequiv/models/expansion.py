r"""Dense expansion: weight-shared layers written as the dense layers they equal.

Convolution, tokenwise and Deep Sets layers are linear maps with weight
sharing followed by a pointwise activation, so on the flattened spaces each is
exactly a dense layer :math:`x \mapsto \sigma(W x + b)`. Certificates and Lean
files state the expanded dense network, which the kernel re-checks with its
dense layer relation. The flattening is the layers' own:

* convolution: channel-major, coordinate :math:`i H W + r W + s` is channel
  :math:`i` at row :math:`r`, column :math:`s`; output neuron :math:`(o, p)`
  has weight :math:`K[o][i][a][b]` on the input read at offset
  :math:`(a - m, b - m)` from :math:`p` (zero or circular padding) and bias
  :math:`b_o`;
* tokenwise: token-major, coordinate :math:`t c + f`; the weight matrix is
  block diagonal with the shared :math:`W` in every block;
* Deep Sets: element-major like tokens; the block of element :math:`t` on
  element :math:`u` is :math:`W + U` when :math:`t = u`, else :math:`U`.

Attention is not a pointwise activation after a linear map, so it has no
dense expansion (:class:`~symequiv.errors.UnsupportedError`).

The engine reports latent elements of these layers with pre-activation
scales per channel (:math:`c_o` for every neuron of channel :math:`o`);
:func:`expand_element` repeats them for every neuron of the flattened space.
"""

from __future__ import annotations

import dataclasses

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.activations.catalogue import NAMED
from symequiv.errors import UnsupportedError
from symequiv.models.conv import ConvLayer
from symequiv.models.deepsets import DeepSetsLayer
from symequiv.models.dense import DenseLayer
from symequiv.models.layer import LatentElement
from symequiv.models.network import Network
from symequiv.models.tokenwise import TokenwiseLayer

# The layer kinds with a dense expansion, with the flattening order of their spaces.
FLATTENING = {
    "dense": "as given",
    "conv": "channel-major: coordinate i*H*W + r*W + s is channel i at row r, column s",
    "tokenwise": "token-major: coordinate t*c + f is feature f of token t",
    "deepsets": "element-major: coordinate t*c + f is feature f of element t",
}


def _conv_weights(layer):
    # NOTE: the expansion has (c_out H W) x (c_in H W) entries, mostly zero, so certificates
    # and Lean files grow with the fourth power of the grid side.
    zero = layer.field.zero
    middle = (layer.size - 1) // 2
    positions = layer.height * layer.width
    rows = []
    for out_channel in range(layer.out_channels):
        for row in range(layer.height):
            for column in range(layer.width):
                weights = [zero] * layer.input_dimension
                for in_channel in range(layer.in_channels):
                    plane = layer.kernel[out_channel][in_channel]
                    for a in range(layer.size):
                        for b in range(layer.size):
                            r, c = row + a - middle, column + b - middle
                            if layer.padding == "circular":
                                r, c = r % layer.height, c % layer.width
                            elif not (0 <= r < layer.height and 0 <= c < layer.width):
                                continue
                            weights[in_channel * positions + r * layer.width + c] += plane[a][b]
                rows.append(weights)
    bias = [value for value in layer.bias for _ in range(positions)]
    return rows, bias


def _block_weights(layer, diagonal, off_diagonal):
    """Return block weights: ``diagonal`` on the diagonal blocks, ``off_diagonal`` elsewhere."""
    rows = []
    for token in range(layer.tokens):
        for neuron in range(len(diagonal)):
            row = []
            for source in range(layer.tokens):
                row.extend((diagonal if source == token else off_diagonal)[neuron])
            rows.append(row)
    return rows, list(layer.core.bias) * layer.tokens


def expand_layer(layer):
    r"""Return the :class:`DenseLayer` equal to ``layer`` on the flattened spaces.

    Raises
    ------
    UnsupportedError
        For a layer kind without a dense expansion (attention).
    """
    if isinstance(layer, DenseLayer):
        return layer
    if isinstance(layer, ConvLayer):
        weights, bias = _conv_weights(layer)
    elif isinstance(layer, DeepSetsLayer):
        # The core stacks (W, U) on (x_t, sum), but the expansion needs W + U on x_t, U elsewhere.
        weights, bias = _block_weights(layer, [tuple(w + u for w, u in zip(row, pool))
                                               for row, pool in zip(layer.weights,
                                                                    layer.pool_weights)],
                                       layer.pool_weights)
    elif isinstance(layer, TokenwiseLayer):
        zero = layer.field.zero
        width = layer.core.input_dimension
        weights, bias = _block_weights(layer, layer.core.weights,
                                       [(zero,) * width] * len(layer.core.weights))
    else:
        raise UnsupportedError(f"{layer.kind} layers have no dense expansion, because they "
                               "are not a linear map followed by a pointwise activation")
    return DenseLayer(layer.field, weights, bias, layer.activation, layer.has_bias)


def expand_network(network):
    """Return the network of the dense expansions of every layer.

    Raises
    ------
    UnsupportedError
        When a layer has no dense expansion.
    """
    layers = [expand_layer(layer) for layer in network.layers]
    identity = NAMED["identity"]
    # A hidden layer without activation is affine, which a dense layer writes as identity.
    layers[:-1] = [layer if layer.activation is not None else DenseLayer(
        layer.field, layer.weights, layer.bias, identity, layer.has_bias)
        for layer in layers[:-1]]
    return Network(layers)


def _channel_of(layer, neuron, channels):
    if isinstance(layer, ConvLayer):
        return neuron // (layer.height * layer.width)
    return neuron % channels


def as_monomial(affine_map):
    """Return ``affine_map`` with a :class:`MonomialMatrix` linear part when it is monomial."""
    linear = affine_map.linear
    if isinstance(linear, MonomialMatrix):
        return affine_map
    zero = linear.field.zero
    images = [None] * linear.dimension
    scales = [None] * linear.dimension
    for row_index, row in enumerate(linear.rows()):
        nonzero = [column for column, entry in enumerate(row) if entry != zero]
        if len(nonzero) != 1 or images[nonzero[0]] is not None:
            return affine_map
        images[nonzero[0]] = row_index
        scales[nonzero[0]] = row[nonzero[0]]
    return AffineMap(MonomialMatrix(linear.field, images, scales), affine_map.translation)


def expand_element(layer, element):
    r"""Return the latent element with one pre-activation scale per neuron of ``layer``.

    ``element.map`` already acts on the whole flattened space :math:`V_i`, but the
    engine gives the scales per channel for weight-shared layers.
    """
    scales = element.preactivation_scales
    width = layer.output_dimension
    if scales is not None and len(scales) != width:
        channels = len(scales)
        scales = tuple(scales[_channel_of(layer, neuron, channels)] for neuron in range(width))
    return LatentElement(as_monomial(element.map), scales, element.details)


def expand_latent_actions(network, latent_actions):
    """Return the latent actions of a derivation with every element expanded."""
    return tuple({generator: expand_element(layer, element)
                  for generator, element in actions.items()}
                 for layer, actions in zip(network.hidden_layers, latent_actions))


def expand_derivation(derivation):
    """Return a derivation restated on the dense expansion of its network, or None for None."""
    if derivation is None:
        return None
    latent_actions = derivation.latent_actions
    if derivation.derived:
        latent_actions = expand_latent_actions(derivation.network, latent_actions)
    return dataclasses.replace(derivation, network=expand_network(derivation.network),
                               latent_actions=latent_actions)


def expand_report(report):
    """Return a verification report with its derivations restated on the dense expansion."""
    return dataclasses.replace(report, derivation=expand_derivation(report.derivation),
                               reduced_derivation=expand_derivation(report.reduced_derivation))


def _shape(layer):
    if isinstance(layer, ConvLayer):
        return {"height": layer.height, "width": layer.width, "padding": layer.padding}
    if isinstance(layer, TokenwiseLayer):
        return {"tokens": layer.tokens}
    return {}


def _nested(value, text):
    if isinstance(value, tuple):
        return [_nested(item, text) for item in value]
    return text(value)


def describe_expansion(network, text):
    """Return the ``expanded_from`` record of a certificate.

    It contains the layer kinds, the flattening order of each kind and, per
    layer, its shape and original parameters (entries written by ``text``),
    so that a reader can rebuild the expansion from the certificate alone.
    """
    kinds = [layer.kind for layer in network.layers]
    layers = []
    for layer in network.layers:
        record = {"kind": layer.kind}
        record.update(_shape(layer))
        record["parameters"] = {name: _nested(value, text)
                                for name, value in layer.parameters().items()}
        layers.append(record)
    return {"kinds": kinds,
            "flattening": {kind: FLATTENING[kind] for kind in dict.fromkeys(kinds)},
            "layers": layers}
