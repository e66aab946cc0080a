"""Tests of relate: finding latent elements k_1, ..., k_{L-1} that relate two parameters."""

from __future__ import annotations

import itertools

import numpy
import pytest

from symequiv.actions.maps import AffineMap, MonomialMatrix, identity_affine
from symequiv.activations.catalogue import NAMED
from symequiv.derivation.relate import relate
from symequiv.exact.field import ExactField
from symequiv.models.network import Network

FIELD = ExactField.rational()


def _number(value):
    return FIELD.convert(int(value))


def _random_network(rng, widths, activation):
    """An MLP with integer entries in [-4, 4] and nonzero biases, so no neuron is constant."""
    weights = []
    biases = []
    for rows, columns in zip(widths[1:], widths[:-1]):
        weights.append([[_number(value) for value in rng.integers(-4, 5, size=columns)]
                        for _ in range(rows)])
        biases.append([_number(rng.choice([-3, -2, -1, 1, 2, 3])) for _ in range(rows)])
    return Network.mlp(FIELD, weights, biases, [NAMED[activation]] * (len(widths) - 2))


def _identities(network):
    return (identity_affine(FIELD, network.input_dimension),
            identity_affine(FIELD, network.output_dimension))


def _move_hidden_neurons(network, images, scales):
    r"""Return :math:`\theta'` with hidden neuron j moved to images[j] and its row scaled.

    Row :math:`(w_j, b_j)` becomes :math:`c_j (w_j, b_j)` at position
    :math:`\pi(j)`, and the outgoing column :math:`v_j` becomes
    :math:`v_j / \lambda_j` there, where :math:`\sigma(c_j t) = \lambda_j \sigma(t)`
    (:math:`\lambda_j = c_j` for tanh with :math:`c_j = \pm 1` and for ReLU with
    :math:`c_j > 0`). Then :math:`f_1(\theta') = k f_1(\theta)` with
    :math:`k` the monomial matrix (images, scales), and the function is unchanged.
    """
    hidden, output = network.layers
    weights = [None] * hidden.output_dimension
    bias = [None] * hidden.output_dimension
    columns = [None] * hidden.output_dimension
    for source, (row, entry) in enumerate(hidden.rows):
        scale = scales[source]
        weights[images[source]] = [scale * value for value in row]
        bias[images[source]] = scale * entry
        columns[images[source]] = [row_out[source] / scale for row_out in output.weights]
    output_weights = [[columns[neuron][index] for neuron in range(len(columns))]
                      for index in range(output.output_dimension)]
    return Network([hidden.with_parameters(weights, bias),
                    output.with_parameters(output_weights, output.bias)])


@pytest.mark.parametrize("seed", range(5), ids=lambda seed: f"seed{seed}")
def test_relate_finds_applied_signed_permutation(seed):
    """Sussmann: tanh neurons with distinct rows up to sign determine the signed permutation.

    The rows are drawn until no two agree up to sign, so the relating
    element is unique and must be the one applied.
    """
    rng = numpy.random.default_rng(seed)
    network = _random_network(rng, (3, 5, 2), "tanh")
    rows = [tuple(row) + (bias,) for row, bias in network.layers[0].rows]
    if len({min(row, tuple(-value for value in row)) for row in rows}) < len(rows):
        pytest.skip("two random rows agree up to sign")
    images = tuple(int(value) for value in rng.permutation(5))
    scales = tuple(_number(rng.choice([-1, 1])) for _ in range(5))
    target = _move_hidden_neurons(network, images, scales)

    relation = relate(network, target, *_identities(network))

    assert relation.found
    assert relation.complete
    assert relation.unique is True
    (chain,) = relation.chains
    (element,) = chain.elements
    assert element.map == AffineMap(MonomialMatrix(FIELD, images, scales))
    assert element.preactivation_scales == scales
    assert chain.unique_steps


@pytest.mark.parametrize("seed", range(3), ids=lambda seed: f"seed{seed}")
def test_relate_finds_relu_positive_monomial(seed):
    """ReLU is positively homogeneous, relu(c t) = c relu(t) for c > 0: the scales are found."""
    rng = numpy.random.default_rng(100 + seed)
    network = _random_network(rng, (2, 4, 2), "relu")
    images = tuple(int(value) for value in rng.permutation(4))
    scales = tuple(FIELD.convert(int(rng.integers(1, 4))) / FIELD.convert(int(rng.integers(1, 4)))
                   for _ in range(4))
    target = _move_hidden_neurons(network, images, scales)

    relation = relate(network, target, *_identities(network))

    assert relation.found
    element = relation.chains[0].elements[0]
    assert element.map == AffineMap(MonomialMatrix(FIELD, images, scales))


def test_relate_rejects_changed_output_weight():
    """Changing one outgoing weight leaves layer 1 matched but breaks the output relation."""
    network = _random_network(numpy.random.default_rng(7), (2, 3, 2), "tanh")
    hidden, output = network.layers
    weights = [list(row) for row in output.weights]
    weights[0][1] += FIELD.one
    target = Network([hidden, output.with_parameters(weights, output.bias)])

    relation = relate(network, target, *_identities(network))

    assert not relation.found
    assert relation.complete
    assert relation.unique is False
    assert relation.failure_layer == 2
    assert relation.failure == ("the output layer f_2 is not equivariant for the latent action "
                                "found before it: row 1 of the transformed layer is "
                                "(-2, -1, 3; bias 2) but the original layer needs "
                                "(-2, -2, 3; bias 2)")


def test_relate_rejects_changed_hidden_bias():
    """A bias changed from b to b + 1 gives a row with no partner up to sign: no k_1 exists."""
    network = _random_network(numpy.random.default_rng(8), (2, 3, 2), "tanh")
    hidden, output = network.layers
    bias = list(hidden.bias)
    bias[2] += FIELD.one
    target = Network([hidden.with_parameters(hidden.weights, bias), output])

    relation = relate(network, target, *_identities(network))

    assert not relation.found
    assert relation.complete
    assert relation.chains == ()
    assert relation.failure_layer == 1
    assert relation.failure.startswith("1 neuron of the transformed layer (neuron 3) but 0 of the "
                                       "original layer have normalized row")


def _network_with_zero_neurons():
    r"""tanh network whose neurons 3 and 4 are zero rows with zero outgoing weights.

    Both compute tanh(0) = 0, so any signed permutation of the two relates
    :math:`\theta` to itself: the 8 elements of the dihedral group of order 8.
    """
    zero = FIELD.zero
    hidden_weights = [[_number(1), _number(2)], [_number(2), _number(-1)], [zero, zero],
                      [zero, zero]]
    hidden_bias = [_number(1), _number(-1), zero, zero]
    output_weights = [[_number(1), _number(3), zero, zero]]
    return Network.mlp(FIELD, [hidden_weights, output_weights], [hidden_bias, [zero]],
                       [NAMED["tanh"]])


def test_relate_enumerates_all_self_relations():
    """On the zero neurons the stabilizer of theta is all 8 signed permutations of 2 coordinates."""
    network = _network_with_zero_neurons()

    relation = relate(network, network, *_identities(network))

    assert relation.complete
    assert relation.unique is False
    assert len(relation.chains) == 8
    blocks = {(chain.elements[0].map.linear.images[2:], chain.elements[0].map.linear.scales[2:])
              for chain in relation.chains}
    signs = (FIELD.one, -FIELD.one)
    expected = {(images, scales) for images in ((2, 3), (3, 2))
                for scales in itertools.product(signs, repeat=2)}
    assert blocks == expected
    maps = {chain.elements[0].map for chain in relation.chains}
    assert all(first.compose(second) in maps for first in maps for second in maps)


@pytest.mark.parametrize(("max_chains", "unique"), [(1, None), (3, False)],
                         ids=["one", "three"])
def test_relate_stops_at_max_chains(max_chains, unique):
    """Stopping early leaves the search incomplete; uniqueness is unknown with one chain."""
    network = _network_with_zero_neurons()

    relation = relate(network, network, *_identities(network), max_chains=max_chains)

    assert len(relation.chains) == max_chains
    assert relation.found
    assert not relation.complete
    assert relation.unique is unique


def test_relate_stop_after_ignores_later_layers():
    """stop_after=1 returns k_1 without checking later layers, so a changed output still matches."""
    rng = numpy.random.default_rng(11)
    network = _random_network(rng, (2, 3, 3, 2), "tanh")
    first, second, output = network.layers
    weights = [list(row) for row in output.weights]
    weights[1][0] += FIELD.one
    target = Network([first, second, output.with_parameters(weights, output.bias)])
    identity_in = identity_affine(FIELD, 2)

    partial = relate(network, target, identity_in, None, stop_after=1)
    full = relate(network, target, identity_in, identity_affine(FIELD, 2))

    assert partial.found
    assert len(partial.chains) == 1
    assert len(partial.chains[0].elements) == 1
    assert partial.chains[0].elements[0].map.is_identity
    assert not full.found
    assert full.failure_layer == 3


def test_relate_stop_after_all_hidden_layers():
    """stop_after=2 with two hidden layers returns k_1 and k_2 and never reads ``last``."""
    network = _random_network(numpy.random.default_rng(12), (2, 3, 3, 2), "tanh")

    relation = relate(network, network, identity_affine(FIELD, 2), None, stop_after=2)

    (chain,) = relation.chains
    assert [element.map.is_identity for element in chain.elements] == [True, True]


def test_relate_with_group_maps():
    r"""With :math:`k_0 = \rho_{in}(s)` and :math:`k_L = \rho_{out}(s)`, relate(theta, theta)
    is the direct equivariance check; for tanh-swap it finds the pair swap."""
    from tests.derivation.reference import load_bundled

    theory = load_bundled("tanh-swap")
    network = theory.network

    relation = relate(network, network, theory.action.input["s"], theory.action.output["s"])

    (chain,) = relation.chains
    assert chain.elements[0].map.linear.images == (1, 0, 3, 2)
    assert relation.unique is True
