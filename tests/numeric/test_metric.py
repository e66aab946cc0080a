"""The per-layer metric: fitted maps, median errors and nearest elements of K."""

from __future__ import annotations

import numpy
import pytest

from symequiv.activations.catalogue import NAMED
from symequiv.numeric.metric import fit_layer_maps, nearest_element
from symequiv.numeric.network import network_from_arrays
from tests.numeric.planted import matrix, planted_network


@pytest.mark.parametrize("activation", ["tanh", "gelu", "sigmoid"])
def test_metric_on_planted_network_is_exact(activation):
    rng = numpy.random.default_rng(1)
    network, action, latent = planted_network(rng, [6, 8, 8, 4], activation)

    fits, output = fit_layer_maps(network, action, 4000, numpy.random.default_rng(0))["s"]

    assert output.median_error < 1e-12
    for fit, (images, signs) in zip(fits, latent):
        assert fit.median_error < 1e-8
        assert fit.nearest.images.tolist() == images.tolist()
        assert numpy.sign(fit.nearest.scales).tolist() == signs.tolist()
        assert fit.nearest.distance < 1e-6


def test_metric_on_random_network_reports_large_error():
    rng = numpy.random.default_rng(2)
    planted, action, _ = planted_network(rng, [6, 8, 8, 4], "tanh")
    weights = [rng.standard_normal(matrix_.shape) for matrix_ in planted.weights]
    network = network_from_arrays(weights, planted.biases, planted.activations)

    fits, output = fit_layer_maps(network, action, 4000, numpy.random.default_rng(0))["s"]

    assert fits[0].median_error > 0.05
    assert fits[0].nearest.distance > 0.1
    assert output.median_error > 0.1


def test_nearest_element_of_noisy_signed_permutation():
    rng = numpy.random.default_rng(3)
    images = numpy.array([2, 0, 1, 3])
    signs = numpy.array([1.0, -1.0, -1.0, 1.0])
    fitted = matrix(images, signs) + 1e-3 * rng.standard_normal((4, 4))

    nearest = nearest_element(fitted, None, NAMED["tanh"])

    assert nearest.images.tolist() == images.tolist()
    assert nearest.scales.tolist() == signs.tolist()
    assert 1e-4 < nearest.distance < 1e-2


def test_nearest_element_for_gelu_ignores_signs():
    fitted = -matrix(numpy.array([1, 0]), numpy.array([1.0, 1.0]))

    nearest = nearest_element(fitted, None, NAMED["gelu"])

    # Every entry of -P is at most 0, so the identity captures most: |-P - I| / |I| = sqrt(2).
    assert nearest.images.tolist() == [0, 1]
    assert nearest.scales.tolist() == [1.0, 1.0]
    assert nearest.distance == pytest.approx(2**0.5)


def test_nearest_element_for_sigmoid_flip_has_translation():
    fitted = numpy.array([[0.0, -1.0], [-1.0, 0.0]])

    nearest = nearest_element(fitted, numpy.array([1.0, 1.0]), NAMED["sigmoid"])

    assert nearest.images.tolist() == [1, 0]
    assert nearest.translation.tolist() == [1.0, 1.0]
    assert nearest.distance == 0.0
