"""The derivation on attention, convolution, Deep Sets and mixed networks, and its soundness."""

from __future__ import annotations

import fractions

import mpmath
import numpy
import pytest

import symequiv
from symequiv.derivation.endtoend import built_in_equivariance, decide_end_to_end
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.errors import UnsupportedError
from symequiv.identifiability.decide import decide_identifiability
from symequiv.models.network import Network
from symequiv.verdicts import InputWitness, Status
from symequiv.verification import verify_network
from tests.derivation.reference import (
    BUNDLED,
    BUNDLED_MLP,
    assert_certified_witness,
    equivariance_gap,
    load_bundled,
)
from tests.theory.test_layer_specs import ATTENTION

LAYER_THEORIES = [name for name in BUNDLED if name not in BUNDLED_MLP]


def test_reversal_swaps_heads():
    theory = load_bundled("attention-reversal-swaps-heads")

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.unique is True
    element = derivation.latent_actions[0]["r"]
    assert element.details["heads"] == (1, 0)
    assert element.map.linear.images == (5, 4, 3, 2, 1, 0)


def test_reversal_without_positions_keeps_heads():
    theory = load_bundled("attention-reversal-fixes-heads")

    derivation = derive(theory.network, theory.action)

    assert derivation.derived
    element = derivation.latent_actions[0]["r"]
    assert element.details["heads"] == (0, 1)
    assert element.details["passthrough"].linear.images == (4, 5, 2, 3, 0, 1)
    assert built_in_equivariance(theory.network, theory.action)


def test_head_basis_change_is_not_monomial():
    theory = load_bundled("attention-head-basis-change")

    derivation = derive(theory.network, theory.action)

    assert derivation.derived
    blocks = derivation.latent_actions[0]["g"].details["blocks"]
    field = theory.network.field
    assert [[field.to_expr(entry) for entry in row] for row in blocks[1]] == [[1, -3], [0, -1]]


def test_conv_dihedral_permutes_channels_regularly():
    theory = load_bundled("conv-dihedral")

    derivation = derive(theory.network, theory.action)

    assert derivation.derived
    rotation = derivation.latent_actions[0]["r"].details["core"].map.linear
    mirror = derivation.latent_actions[0]["m"].details["core"].map.linear
    assert rotation.is_permutation and mirror.is_permutation
    assert all(image != index for index, image in enumerate(rotation.images))
    assert all(check.holds for check in derivation.homomorphism_checks)


def test_deepsets_permutation_is_not_applicable():
    theory = load_bundled("deepsets-permutation")

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.NOT_APPLICABLE
    assert derivation.failure_layer == 1
    assert derivation.reason.startswith("the theorem does not apply: adjunction fails for the "
                                        "generator s at layer f_1: a Deep Sets layer commutes")
    with pytest.raises(UnsupportedError, match="layer f_1: a Deep Sets layer commutes"):
        theory.network.adjoint(theory.action.input["s"], theory.action.output["s"])


def test_deepsets_permutation_verdicts():
    theory = load_bundled("deepsets-permutation")

    report = verify_network(theory.network, theory.action, theory.expectations)

    end_to_end = report.result("end_to_end_equivariant").verdict
    layerwise = report.result("layerwise_equivariant").verdict
    assert end_to_end.status is Status.PROVED
    assert end_to_end.method == "built-in equivariance"
    assert layerwise.status is Status.UNKNOWN
    assert layerwise.method == "adjunction check"
    assert layerwise.reason.startswith("the theorem does not apply")
    assert report.result("layerwise_after_reparameterization").verdict.status is Status.UNKNOWN


def test_deepsets_feature_negation_is_derived():
    theory = load_bundled("deepsets-feature-negation")

    derivation = derive(theory.network, theory.action)

    assert derivation.derived
    core = derivation.latent_actions[0]["n"].details["core"].map.linear
    assert core.scales == (-theory.network.field.one,) * 2


# -- soundness: perturbed parameters are never proved equivariant by mistake ------------


def _perturbed(network, position, step):
    """Add ``step`` to the parameter entry visited at ``position`` by convert_parameters."""
    field = network.field
    layers = []
    counter = [0]
    for layer in network.layers:
        def convert(entry):
            index = counter[0]
            counter[0] += 1
            return entry + step if index == position else entry

        layers.append(layer.convert_parameters(field, convert))
    return Network(layers)


def _entry_count(network):
    return sum(layer.parameter_count for layer in network.layers)


def _assert_equivariant_by_reference(network, action, rng, label):
    with mpmath.workdps(60):
        for generator in action.generators:
            for _ in range(3):
                point = [fractions.Fraction(int(value), 3)
                         for value in rng.integers(-9, 10, size=network.input_dimension)]
                _, _, gap = equivariance_gap(network, action, generator, point)
                assert max(abs(value) for value in gap) < mpmath.mpf(10) ** -50, label


@pytest.mark.parametrize("seed", range(2), ids=lambda seed: f"seed{seed}")
@pytest.mark.parametrize("name", LAYER_THEORIES)
def test_perturbed_layer_theory_verdicts_are_sound(name, seed):
    """A proof must survive an independent check; a refutation must carry a checked witness."""
    theory = load_bundled(name)
    rng = numpy.random.default_rng(seed)
    field = theory.network.field
    positions = rng.choice(_entry_count(theory.network), size=3, replace=False)

    for position in positions:
        step = field.convert(1) / field.convert(int(rng.integers(1, 8)))
        network = _perturbed(theory.network, int(position), step)
        label = f"{name}: entry {position} + {field.to_expr(step)}"

        derivation = derive(network, theory.action)
        verdict = decide_end_to_end(network, theory.action, derivation, seed=0)

        assert verdict.status in (Status.PROVED, Status.REFUTED), f"{label}: {verdict.reason}"
        if verdict.status is Status.PROVED:
            _assert_equivariant_by_reference(network, theory.action, rng, label)
        else:
            assert not derivation.derived, label
            assert isinstance(verdict.witness, InputWitness), label
            assert_certified_witness(network, theory.action, verdict.witness, digits=60)


def test_perturbed_swapping_heads_is_refuted():
    """Changing one score bias of the head-swapping layer breaks the swap; a witness shows it."""
    theory = load_bundled("attention-reversal-swaps-heads")
    layer = theory.network.layers[0]
    # Layer 1 comes first, and its score biases S follow WQ, WK and WV.
    start = sum(len(matrix) * len(matrix[0]) for name, matrices in layer.parameters().items()
                if name != "S" for matrix in matrices)
    network = _perturbed(theory.network, start + 1, theory.network.field.one)

    derivation = derive(network, theory.action)
    verdict = decide_end_to_end(network, theory.action, derivation, seed=0)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert verdict.status is Status.REFUTED
    assert_certified_witness(network, theory.action, verdict.witness, digits=60)


def test_equal_heads_refute_identifiability():
    """Two heads with the same bilinear form and values can be exchanged: k is not unique."""
    text = ATTENTION.replace("WQ1 = [[[1, 0]], [[0, 1]]]", "WQ1 = [[[1, 0]], [[1, 0]]]")
    text = text.replace("WK1 = [[[1, 1]], [[1, -1]]]", "WK1 = [[[1, 1]], [[1, 1]]]")
    text = text.replace("WV1 = [[[1, 2]], [[2, -1]]]", "WV1 = [[[1, 2]], [[1, 2]]]")
    text = text.replace("S1 = [[[0, 1], [0, 0]], [[0, 0], [1, 0]]]",
                        "S1 = [[[0, 1], [0, 0]], [[0, 1], [0, 0]]]")
    network = symequiv.loads(text).network

    verdict = decide_identifiability(network)

    assert verdict.status is Status.REFUTED
    assert verdict.method == "non-unique relation"
    assert "heads with equal bilinear forms" in verdict.witness.description
