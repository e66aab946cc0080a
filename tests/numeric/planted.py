"""Networks with planted symmetries, built by averaging random weights over a group of order 2.

Every map here is an involution given by ``(images, signs)``: coordinate ``j``
goes to ``images[j]`` with sign ``signs[j]``. Averaging a random layer ``W``
with ``S^-1 W P`` makes ``W P = S W`` hold, so the layer is equivariant with
the pre-activation action ``S``.
"""

from __future__ import annotations

import numpy

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.activations.catalogue import NAMED
from symequiv.exact.field import ExactField
from symequiv.groups.action import GroupAction
from symequiv.groups.words import parse_word
from symequiv.numeric.network import network_from_arrays


def signed_involution(rng, size, allow_signs=True):
    """Return ``(images, signs)`` of a random signed involution of ``size`` coordinates."""
    order = rng.permutation(size)
    images = numpy.arange(size)
    for first, second in zip(order[0:size - 1:2], order[1:size:2]):
        images[first], images[second] = second, first
    signs = numpy.ones(size)
    if allow_signs:
        # A swapped pair carries one sign on both sides, so the map stays an involution.
        for first in range(size):
            second = images[first]
            if first < second and rng.random() < 0.5:
                signs[first] = signs[second] = -1.0
    return images, signs


def matrix(images, signs):
    """The dense matrix sending e_j to signs[j] e_images[j]."""
    size = len(images)
    result = numpy.zeros((size, size))
    result[images, numpy.arange(size)] = signs
    return result


def exact_map(field, images, signs):
    """The same involution as an exact :class:`AffineMap`."""
    return AffineMap(MonomialMatrix(field, [int(image) for image in images],
                                    [field.domain(int(sign)) for sign in signs]))


def planted_network(rng, widths, activation="tanh", noise=0.0, signs=True, bias=True):
    """Return ``(network, action, latent)`` with a planted order-2 symmetry.

    ``latent[i]`` is the planted ``(images, signs)`` of hidden layer ``i + 1``;
    ``noise`` adds Gaussian noise of that size relative to each entry's scale.
    """
    field = ExactField.rational()
    maps = [signed_involution(rng, widths[0], allow_signs=False)]
    hidden_signs = signs and activation in ("tanh", "sigmoid")
    for width in widths[1:-1]:
        maps.append(signed_involution(rng, width, allow_signs=hidden_signs))
    maps.append(signed_involution(rng, widths[-1], allow_signs=False))
    weights, biases = [], []
    for index in range(1, len(widths)):
        before = matrix(*maps[index - 1])
        after = matrix(*maps[index])
        # A sigmoid neuron flipped by the previous latent map becomes 1 - h, which
        # shifts this layer's pre-activation by W t with t = 1 on flipped neurons.
        shift = numpy.zeros(widths[index - 1])
        if activation == "sigmoid" and 1 < index:
            shift = (maps[index - 1][1] < 0).astype(float)
        raw = rng.standard_normal((widths[index], widths[index - 1]))
        raw_bias = rng.standard_normal(widths[index]) if bias else numpy.zeros(widths[index])
        # The map (W, b) -> (S W P, S (b + W t)) is an involution (S^-1 = S), so
        # the average of a point and its image is fixed by it.
        weights.append((raw + after @ raw @ before) / 2)
        biases.append((raw_bias + after @ (raw_bias + raw @ shift)) / 2)
    if noise:
        weights = [matrix_ + noise * rng.standard_normal(matrix_.shape) for matrix_ in weights]
        biases = [vector + noise * rng.standard_normal(vector.shape) for vector in biases]
    activations = [NAMED[activation]] * (len(widths) - 2)
    network = network_from_arrays(weights, biases, activations)
    action = GroupAction(["s"], {"s": exact_map(field, *maps[0])},
                         {"s": exact_map(field, *maps[-1])}, [parse_word("s^2", {"s"})])
    return network, action, maps[1:-1]
