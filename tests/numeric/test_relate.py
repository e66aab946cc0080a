"""The float construction: planted latent actions recovered layer by layer, and snapping."""

from __future__ import annotations

from fractions import Fraction

import numpy
import pytest

from symequiv.activations.catalogue import NAMED
from symequiv.activations.symmetry import ScaleSet
from symequiv.exact.field import ExactField
from symequiv.numeric.matching import MatchStatus
from symequiv.numeric.relate import (
    latent_homomorphism,
    relate_generator,
    relate_network,
    snap_element,
    snap_scale,
)
from tests.numeric.planted import planted_network


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "gelu", "relu"])
@pytest.mark.parametrize("seed", range(4))
def test_relate_recovers_planted_latent_actions(activation, seed):
    rng = numpy.random.default_rng(seed)
    network, action, latent = planted_network(rng, [6, 10, 8, 4], activation, noise=1e-6)

    relation = relate_generator(network, action, "s", 1e-4, rng)

    assert relation.holds
    for step, (images, signs) in zip(relation.steps, latent):
        assert step.match.status is MatchStatus.MATCHED
        assert step.match.images.tolist() == images.tolist()
        assert numpy.sign(step.match.scales).tolist() == signs.tolist()
    checks = latent_homomorphism(action, {"s": relation}, network)
    assert [check.holds for check in checks] == [True, True]


def test_sigmoid_flip_snaps_to_affine_latent_map():
    rng = numpy.random.default_rng(2)
    network, action, latent = planted_network(rng, [4, 6, 2], "sigmoid")

    relation = relate_generator(network, action, "s", 1e-9, rng)

    element = relation.steps[0].element
    images, signs = latent[0]
    translation = [str(value) for value in element.map.translation_or_zero()]
    expected = ["0"] * 6
    for source, image in enumerate(images):
        if signs[source] < 0:
            expected[image] = "1"
    assert translation == expected


def test_perturbed_layer_stops_relation():
    rng = numpy.random.default_rng(3)
    network, action, _ = planted_network(rng, [6, 10, 8, 4], "tanh")
    weights = [matrix.copy() for matrix in network.weights]
    weights[1][0, 0] += 0.5
    perturbed = network.with_parameters(weights, network.biases)

    relation = relate_generator(perturbed, action, "s", 1e-6, rng)

    assert not relation.holds
    assert relation.failed_layer == 2
    assert relation.output_residual is None


def test_forced_relation_goes_past_a_failure():
    rng = numpy.random.default_rng(3)
    network, action, _ = planted_network(rng, [6, 10, 8, 4], "tanh")
    weights = [matrix.copy() for matrix in network.weights]
    weights[1][0, 0] += 0.5
    perturbed = network.with_parameters(weights, network.biases)

    relations = relate_network(perturbed, action, 1e-6, rng, force=True)

    assert relations["s"].complete
    assert [step.match.status for step in relations["s"].steps] == [MatchStatus.MATCHED,
                                                                     MatchStatus.NO_MATCH]


@pytest.mark.parametrize("value, scale_set, expected", [
    (0.9999999, ScaleSet.POSITIVE, Fraction(1)),
    (0.5000001, ScaleSet.POSITIVE, Fraction(1, 2)),
    (-2.9999999, ScaleSet.NONZERO, Fraction(-3)),
    (0.3333333, ScaleSet.NONZERO, Fraction(1, 3)),
    (-0.7, ScaleSet.SIGN, Fraction(-1)),
    (-0.7, ScaleSet.ONE, Fraction(1)),
], ids=["one", "half", "minus-three", "third", "sign", "permutation"])
def test_snap_scale_picks_simplest_fraction(value, scale_set, expected):
    assert snap_scale(value, scale_set, 1e-5) == expected


def test_snap_element_for_relu_is_positive_monomial():
    field = ExactField.rational()
    rng = numpy.random.default_rng(0)
    source = rng.standard_normal((3, 4))
    target = numpy.empty_like(source)
    target[[2, 0, 1]] = numpy.array([[2.0], [0.5], [1.0]]) * source
    from symequiv.numeric.matching import match_float_rows

    match = match_float_rows(source, target, ScaleSet.POSITIVE, 1e-9, rng)
    element = snap_element(match, NAMED["relu"], field, 1e-9)

    assert element.map.linear.images == (2, 0, 1)
    assert [str(scale) for scale in element.map.linear.scales] == ["2", "1/2", "1"]
    assert element.map.translation is None
