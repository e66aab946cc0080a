"""Projection onto equivariant parameters, and its exact certification."""

from __future__ import annotations

import numpy
import pytest

from symequiv.derivation.engine import derive
from symequiv.errors import UnsupportedError
from symequiv.numeric.projection import project_network
from symequiv.numeric.relate import relate_network
from tests.numeric.planted import planted_network


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "gelu", "relu"])
def test_projection_of_noisy_planted_network_is_certified(activation):
    rng = numpy.random.default_rng(1)
    network, action, _ = planted_network(rng, [6, 8, 8, 4], activation, noise=1e-3)
    relations = relate_network(network, action, 1e-2, rng, force=True)

    projection = project_network(network, action, relations, rng)

    assert projection.certified
    assert projection.group_orders == (2, 2, 2)
    assert 1e-5 < projection.distance < 1e-2
    assert projection.output_change["max"] < 0.1
    assert all(distance < 1e-2 for distance in projection.layer_distances)


def test_projection_of_equivariant_network_changes_nothing():
    rng = numpy.random.default_rng(2)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh")
    relations = relate_network(network, action, 1e-9, rng)

    projection = project_network(network, action, relations, rng)

    assert projection.certified
    assert projection.distance < 1e-12
    assert projection.output_change["max"] < 1e-12


def test_projected_network_is_equivariant_in_ball_arithmetic():
    import flint

    from symequiv.exact.intervals import working_precision

    rng = numpy.random.default_rng(3)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh", noise=1e-2)
    relations = relate_network(network, action, 0.1, rng, force=True)
    projection = project_network(network, action, relations, rng, certify=False)
    exact = projection.exact_network
    point = (1, 2, 3, -1, 0, 5)
    field = exact.field
    moved = action.input["s"].apply(tuple(field.convert(value) for value in point))

    with working_precision(256):
        left = exact.evaluate_arb([field.to_arb(value) for value in moved])
        right = action.output["s"].apply(tuple(exact.evaluate_arb(
            [flint.arb(value) for value in point])))
        differences = [a - b for a, b in zip(left, right)]

    assert all(difference.contains(0) for difference in differences)
    assert all(abs(difference).upper() < 1e-60 for difference in differences)


def test_perturbed_projection_is_not_certified():
    rng = numpy.random.default_rng(4)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh", noise=1e-3)
    relations = relate_network(network, action, 1e-2, rng, force=True)
    projection = project_network(network, action, relations, rng, certify=False)
    layer = projection.exact_network.layer(1)
    rows = [list(row) for row in layer.weights]
    rows[0][0] += layer.field.one / 1000

    derivation = derive(projection.exact_network.with_layer(1, layer.with_parameters(
        rows, layer.bias)), action)

    assert not derivation.derived


def test_projection_needs_complete_relations():
    rng = numpy.random.default_rng(5)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh")
    weights = [matrix.copy() for matrix in network.weights]
    weights[0][0, 0] += 1.0
    perturbed = network.with_parameters(weights, network.biases)
    relations = relate_network(perturbed, action, 1e-9, rng)

    with pytest.raises(UnsupportedError, match=r"^for the generator s, layer f_1 has no latent "
                                               r"element to project onto$"):
        project_network(perturbed, action, relations, rng)


def test_projection_rejects_latent_actions_of_infinite_order():
    rng = numpy.random.default_rng(6)
    network, action, _ = planted_network(rng, [6, 8, 4], "relu")
    pair = next(index for index, image in enumerate(
        relate_network(network, action, 1e-9, rng)["s"].steps[0].match.images) if image != index)
    weights = [matrix.copy() for matrix in network.weights]
    biases = [vector.copy() for vector in network.biases]
    # Scaling one neuron of a swapped pair by 2.6 keeps the network equivariant with
    # latent scales 2.6 and 1/2.6, but a tolerance of 0.4 snaps them to 3 and 1/2,
    # whose product is not 1: the snapped element has infinite order.
    weights[0][pair] *= 2.6
    biases[0][pair] *= 2.6
    scaled = network.with_parameters(weights, biases)
    relations = relate_network(scaled, action, 0.4, rng, force=True)

    with pytest.raises(UnsupportedError, match=r"^the latent actions generate more than 4096 "
                                               r"elements, so they cannot be averaged"):
        project_network(scaled, action, relations, rng)


def test_output_change_is_relative_to_the_median_floor():
    rng = numpy.random.default_rng(1)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh", noise=1e-2)
    relations = relate_network(network, action, 5e-2, rng, force=True)

    projection = project_network(network, action, relations, numpy.random.default_rng(7),
                                 samples=64, certify=False)

    inputs = numpy.random.default_rng(7).standard_normal((64, 6))
    before = network.evaluate(inputs)
    after = projection.network.evaluate(inputs)
    norms = numpy.linalg.norm(before, axis=1)
    floor = float(numpy.median(norms))
    change = numpy.linalg.norm(after - before, axis=1) / numpy.maximum(norms, floor)
    assert projection.output_change == {"median": float(numpy.median(change)),
                                        "max": float(change.max()), "m": floor, "samples": 64}
