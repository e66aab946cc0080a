r"""Symmetry reduction: a canonical form of an MLP's parameters under its latent groups.

Parameters :math:`\theta` and :math:`k \cdot \theta` (for :math:`k_i \in K_i`)
compute the same function, and every question a search asks has the same
answer for both: end-to-end equivariance depends only on the function,
layerwise equivariance moves to the conjugate latent actions
:math:`k_i \rho_i(g) k_i^{-1}`, and identifiability is a property of the
orbit. A search therefore evaluates only the first candidate of each orbit.

:func:`orbit_key` moves the parameters to a representative of their orbit,
hidden layer by hidden layer:

1. each non-constant neuron's row :math:`(w_j, b_j)` is scaled to its
   canonical form under the activation's admissible scales (first nonzero
   entry positive, or 1, as in :mod:`symequiv.models.matching`), and the next
   layer absorbs the latent map :math:`h_j \mapsto \lambda h_j + \mu`;
2. the neurons are sorted by incoming row, bias and outgoing column.

Equal keys therefore prove that two parameters lie in one orbit, so skipping
the later one is sound. Different keys do not prove different orbits (ties
between equal rows, and later layers rescaling the columns used for sorting,
can leave two representatives of one orbit); such pairs are both evaluated.
"""

from __future__ import annotations

import hashlib

from symequiv.models.matching import RowMatcher


def orbit_key(network):
    """Return a hex digest shared by parameters whose canonical forms agree.

    Parameters
    ----------
    network : Network
        An MLP over the rationals.

    Returns
    -------
    str
        32 hex digits (a 128-bit BLAKE2b digest of the canonical parameters).
    """
    field = network.field
    layers = network.layers
    weights = [[list(row) for row in layer.weights] for layer in layers]
    biases = [list(layer.bias) for layer in layers]
    for index, layer in enumerate(layers[:-1]):
        following = layers[index + 1]
        if not layer.activation.is_identity:
            _normalize_rows(field, layer.activation, weights, biases, index, following.has_bias)
        _sort_neurons(weights, biases, index)
    text = ";".join(
        "|".join(",".join(_text(entry) for entry in row) for row in layer_weights)
        + "#" + ",".join(_text(entry) for entry in layer_bias)
        for layer_weights, layer_bias in zip(weights, biases))
    return hashlib.blake2b(text.encode("ascii"), digest_size=16).hexdigest()


def _text(entry):
    return f"{entry.numerator}/{entry.denominator}"


def _normalize_rows(field, activation, weights, biases, index, next_has_bias):
    r"""Scale each row to its canonical form; the next layer absorbs the latent map.

    A row scaled by :math:`c` outputs :math:`h' = \lambda h + \mu`, so the next
    layer's column :math:`j` becomes :math:`W_{:,j} / \lambda` and its bias loses
    :math:`W_{:,j}\,\mu / \lambda`.
    """
    matcher = RowMatcher(activation, field)
    symmetry = activation.symmetry
    zero = field.zero
    one = field.one
    following = weights[index + 1]
    for neuron, row in enumerate(weights[index]):
        if all(entry == zero for entry in row):
            continue
        factor = matcher.normalizer(tuple(row) + (biases[index][neuron],))
        if factor == one:
            continue
        latent_scale, shift = symmetry.latent_map(factor, field)
        if shift != zero and not next_has_bias:
            continue
        weights[index][neuron] = [factor * entry for entry in row]
        biases[index][neuron] = factor * biases[index][neuron]
        for output, output_row in enumerate(following):
            column_entry = output_row[neuron]
            output_row[neuron] = column_entry / latent_scale
            if shift != zero:
                biases[index + 1][output] -= column_entry * shift / latent_scale


def _sort_neurons(weights, biases, index):
    rows = weights[index]
    bias = biases[index]
    following = weights[index + 1]
    order = sorted(range(len(rows)), key=lambda neuron: (
        tuple(rows[neuron]), bias[neuron], tuple(row[neuron] for row in following)))
    weights[index] = [rows[neuron] for neuron in order]
    biases[index] = [bias[neuron] for neuron in order]
    weights[index + 1] = [[row[neuron] for neuron in order] for row in following]
