"""orbit_key: equal for parameters related by the latent groups, and only for those."""

from __future__ import annotations

import itertools

import numpy
import pytest

from symequiv.activations.catalogue import NAMED, power
from symequiv.exact.field import ExactField
from symequiv.models.network import Network
from symequiv.search.symmetry import orbit_key

QQ = ExactField.rational()


def network(activation, first, first_bias, second, second_bias, has_bias=True):
    """A one-hidden-layer MLP over the rationals from integer (or rational) entries."""

    def matrix(rows):
        return [[QQ.convert(value) for value in row] for row in rows]

    def vector(entries):
        return [QQ.convert(value) for value in entries]

    return Network.mlp(QQ, [matrix(first), matrix(second)],
                       [vector(first_bias), vector(second_bias)], [activation], has_bias)


TANH = NAMED["tanh"]
BASE = ([[1, 2], [0, -1], [3, 1]], [1, 0, -2], [[1, 2, 3], [0, 1, -1]], [1, 1])


def test_permuted_neurons_share_key():
    first, first_bias, second, second_bias = BASE
    order = [2, 0, 1]

    permuted = network(TANH, [first[j] for j in order], [first_bias[j] for j in order],
                       [[row[j] for j in order] for row in second], second_bias)

    assert orbit_key(permuted) == orbit_key(network(TANH, *BASE))


def test_tanh_sign_flip_shares_key():
    first, first_bias, second, second_bias = BASE
    flipped = network(TANH, [[-1, -2]] + first[1:], [-1] + first_bias[1:],
                      [[-row[0]] + row[1:] for row in second], second_bias)

    assert orbit_key(flipped) == orbit_key(network(TANH, *BASE))


def test_sigmoid_flip_moves_bias():
    sigmoid = NAMED["sigmoid"]
    first, first_bias, second, second_bias = BASE
    # sigmoid(-z) = 1 - sigmoid(z): negate the row and the column, add the column to the bias.
    flipped = network(sigmoid, [[-1, -2]] + first[1:], [-1] + first_bias[1:],
                      [[-row[0]] + row[1:] for row in second],
                      [bias + row[0] for bias, row in zip(second_bias, second)])

    assert orbit_key(flipped) == orbit_key(network(sigmoid, *BASE))


def test_relu_positive_scale_shares_key():
    relu = NAMED["relu"]
    first, first_bias, second, second_bias = BASE
    scaled = network(relu, [[3, 6]] + first[1:], [3] + first_bias[1:],
                     [[QQ.convert(row[0]) / 3] + row[1:] for row in second], second_bias)

    assert orbit_key(scaled) == orbit_key(network(relu, *BASE))


@pytest.mark.parametrize("name", ["relu", "gelu"])
def test_sign_flip_outside_latent_group_changes_key(name):
    activation = NAMED[name]
    first, first_bias, second, second_bias = BASE
    flipped = network(activation, [[-1, -2]] + first[1:], [-1] + first_bias[1:],
                      [[-row[0]] + row[1:] for row in second], second_bias)

    assert orbit_key(flipped) != orbit_key(network(activation, *BASE))


def test_cubic_negative_scale_shares_key():
    cubic = power(3)
    first, _, second, _ = BASE
    zero = [0] * 3
    scaled = network(cubic, [[-2, -4]] + first[1:], zero,
                     [[QQ.convert(row[0]) / -8] + row[1:] for row in second], [0, 0],
                     has_bias=False)

    assert orbit_key(scaled) == orbit_key(network(cubic, first, zero, second, [0, 0],
                                                  has_bias=False))


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "gelu"])
def test_equal_keys_only_for_equal_functions(name):
    activation = NAMED[name]
    rng = numpy.random.default_rng(3)
    points = rng.normal(size=(40, 2)) * 2
    groups = {}
    for entries in itertools.islice(itertools.product((-1, 0, 1), repeat=9), 0, None, 7):
        first = [list(entries[0:2]), list(entries[2:4])]
        first_bias = list(entries[4:6])
        second = [list(entries[6:8])]
        candidate = network(activation, first, first_bias, second, [entries[8]])
        groups.setdefault(orbit_key(candidate), []).append(candidate)

    shared = [members for members in groups.values() if len(members) > 1]
    assert shared, "no two parameters shared a key, so the check below would be empty"
    for members in shared:
        reference = members[0].evaluate_numpy(points)
        for member in members[1:]:
            assert numpy.allclose(member.evaluate_numpy(points), reference, atol=1e-12)
