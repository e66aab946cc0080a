"""The exact theory of a projected network, and its certificate."""

from __future__ import annotations

import numpy
import pytest

import symequiv
from symequiv import kernel
from symequiv.errors import UnsupportedError
from symequiv.numeric.inspection import float_network_of, inspect_network
from symequiv.numeric.projected_theory import projected_certificate, projected_theory
from tests.certificates import THEORIES

SAMPLES = 200


def _inspect(project=True):
    theory = symequiv.load(THEORIES / "tanh-mirror-float.toml")
    inspection = inspect_network(float_network_of(theory), theory.action, SAMPLES,
                                 theory.tolerance, numpy.random.default_rng(0),
                                 project=project, name=theory.name, source=theory.source)
    return theory, inspection


def test_projected_theory_is_exact():
    theory, inspection = _inspect()

    exact = projected_theory(theory, inspection)

    assert exact.name == "tanh-mirror-float-projected"
    assert exact.network.field.is_rational
    assert exact.expectations == theory.expectations
    assert exact.derive().derived


def test_projected_theory_needs_projection():
    theory, inspection = _inspect(project=False)

    with pytest.raises(UnsupportedError, match="there is no projected network to export: the "
                                               "projection is not requested"):
        projected_theory(theory, inspection)


def test_projected_certificate_accepted():
    theory, inspection = _inspect()

    results = kernel.check(projected_certificate(theory, inspection))

    assert [result[2] for result in results] == [True] * 4


def test_perturbed_projected_weight_rejected():
    theory, inspection = _inspect()
    certificate = projected_certificate(theory, inspection)
    weights = certificate["network"]["parameters"]["W1"]
    weights[0][0] = weights[0][0] + "1"

    with pytest.raises(kernel.Rejected, match=r"latent_actions\.theta, generator m, layer f_1: "
                                              r"neuron \d+ of the moved layer is not -?1 times "
                                              r"neuron 1"):
        kernel.check(certificate)
