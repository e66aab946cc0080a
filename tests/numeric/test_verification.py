"""Claims on float parameters: numerical evidence, certified refutations and unknowns."""

from __future__ import annotations

import numpy

from symequiv.numeric.verification import (
    end_to_end_verdict,
    identifiability_verdict,
    verify_float_network,
)
from symequiv.verdicts import Status
from tests.numeric.planted import planted_network

CLAIMS = {"end_to_end_equivariant": True, "layerwise_equivariant": True}


def perturbed(network, row=0, column=0, amount=1e-3):
    weights = [matrix.copy() for matrix in network.weights]
    weights[0][row, column] += amount
    return network.with_parameters(weights, network.biases)


def test_equivariant_network_gives_evidence_that_holds():
    rng = numpy.random.default_rng(1)
    network, action, _ = planted_network(rng, [6, 8, 8, 4], "tanh", noise=1e-9)

    report = verify_float_network(network, action, 1e-6, CLAIMS)

    assert report.all_hold
    for name in CLAIMS:
        verdict = report.result(name).verdict
        assert verdict.status is Status.EVIDENCE
        assert verdict.observed is True
        assert verdict.tolerance == 1e-6
        assert verdict.margin > 10


def test_strict_rejects_evidence():
    rng = numpy.random.default_rng(1)
    network, action, _ = planted_network(rng, [6, 8, 8, 4], "tanh", noise=1e-9)

    report = verify_float_network(network, action, 1e-6, CLAIMS, strict=True)

    assert not report.all_hold
    assert [result.holds for result in report.claims] == [False, False]


def test_perturbed_network_is_refuted_with_certified_witness():
    rng = numpy.random.default_rng(2)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh")

    verdict = end_to_end_verdict(perturbed(network, amount=0.05), action, 1e-6,
                                 numpy.random.default_rng(0))

    assert verdict.status is Status.REFUTED
    assert verdict.method == "certified witness"
    assert verdict.reason.startswith("at this input |f(g x) - g f(x)| / max(|f(x)|, m) is at "
                                     "least ")
    assert verdict.witness.generator == "s"
    assert verdict.witness.precision == 128
    assert verdict.tolerance == 1e-6


def test_refutation_survives_strict_mode():
    rng = numpy.random.default_rng(2)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh")
    claims = {"end_to_end_equivariant": False}

    report = verify_float_network(perturbed(network, amount=0.05), action, 1e-6, claims,
                                  strict=True)

    assert report.all_hold


def test_perturbation_below_tolerance_is_evidence_for_true():
    rng = numpy.random.default_rng(2)
    network, action, _ = planted_network(rng, [6, 8, 4], "tanh")

    verdict = end_to_end_verdict(perturbed(network, amount=1e-9), action, 1e-4,
                                 numpy.random.default_rng(0))

    assert verdict.status is Status.EVIDENCE
    assert verdict.observed is True


def test_perturbed_layer_is_evidence_against_layerwise():
    rng = numpy.random.default_rng(3)
    network, action, _ = planted_network(rng, [6, 8, 8, 4], "tanh")

    report = verify_float_network(perturbed(network, amount=0.01), action, 1e-6)

    verdict = report.result("layerwise_equivariant").verdict
    assert verdict.status is Status.EVIDENCE
    assert verdict.observed is False
    assert verdict.reason.startswith("for the generator s, layer f_1: the best pairing leaves a "
                                     "relative residual of ")


def test_identifiability_for_one_hidden_tanh_layer():
    rng = numpy.random.default_rng(4)
    network, _, _ = planted_network(rng, [6, 8, 4], "tanh")

    verdict = identifiability_verdict(network, 1e-6, rng)

    assert verdict.status is Status.EVIDENCE
    assert verdict.observed is True
    assert verdict.method == "Sussmann (1992), within the tolerance"


def test_identifiability_with_duplicate_neuron_is_evidence_against():
    rng = numpy.random.default_rng(4)
    network, _, _ = planted_network(rng, [6, 8, 4], "tanh")
    weights = [matrix.copy() for matrix in network.weights]
    biases = [vector.copy() for vector in network.biases]
    weights[0][1] = -weights[0][0]
    biases[0][1] = -biases[0][0]

    verdict = identifiability_verdict(network.with_parameters(weights, biases), 1e-6, rng)

    assert verdict.observed is False
    assert "closest pair of neurons up to sign 0;" in verdict.reason


def test_identifiability_of_deeper_network_is_unknown():
    rng = numpy.random.default_rng(5)
    network, _, _ = planted_network(rng, [6, 8, 8, 4], "tanh")

    verdict = identifiability_verdict(network, 1e-6, rng)

    assert verdict.status is Status.UNKNOWN


def test_report_details_carry_relations():
    rng = numpy.random.default_rng(6)
    network, action, _ = planted_network(rng, [6, 8, 4], "gelu")

    report = verify_float_network(network, action, 1e-6)

    relation = report.details["relations"]["s"]
    assert relation["holds"] is True
    assert relation["layers"][0]["status"] == "matched"
    assert report.details["widths"] == [6, 8, 4]
    assert report.derivation is None
