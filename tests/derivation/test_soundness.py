"""Soundness: perturbed equivariant networks must lose their derivation and be refuted.

For every bundled theory whose derivation succeeds, one weight or bias at a
time is increased by 1 or 1/7. Unless a stated mathematical reason keeps the
perturbed network equivariant, the derivation must stop reporting DERIVED and
:func:`decide_end_to_end` must refute equivariance with a witness, which is
then re-checked here with reference arithmetic (mpmath at 60 digits, or exact
Fractions for polynomial and piecewise-linear networks).
"""

from __future__ import annotations

import fractions

import mpmath
import numpy
import pytest

import symequiv
from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.derivation.endtoend import decide_end_to_end
from symequiv.derivation.engine import derive
from symequiv.verdicts import InputWitness, Status
from tests.derivation.constructions import OCTAGON
from tests.derivation.reference import (
    BUNDLED_MLP,
    assert_certified_witness,
    equivariance_gap,
    is_exactly_computable,
    load_bundled,
)

DELTAS = (fractions.Fraction(1), fractions.Fraction(1, 7))
ENTRIES_PER_SEED = 4


def _entries(network):
    """Every parameter entry as ``(layer from 1, "W" or "b", row, column or None)``."""
    entries = []
    for index, layer in enumerate(network.layers, start=1):
        for row, weights in enumerate(layer.weights):
            entries.extend((index, "W", row, column) for column in range(len(weights)))
        if layer.has_bias:
            entries.extend((index, "b", row, None) for row in range(layer.output_dimension))
    return entries


def _entry_name(entry):
    index, kind, row, column = entry
    return f"W{index}[{row}][{column}]" if kind == "W" else f"b{index}[{row}]"


def _perturb(network, entry, delta):
    index, kind, row, column = entry
    layer = network.layer(index)
    field = network.field
    step = field.convert(delta.numerator) / field.convert(delta.denominator)
    weights = [list(values) for values in layer.weights]
    bias = list(layer.bias)
    if kind == "W":
        weights[row][column] += step
    else:
        bias[row] += step
    return network.with_layer(index, layer.with_parameters(weights, bias))


def _still_equivariant_reason(theory, derivation, entry):
    """Return why the perturbed network is still equivariant, or None when it is not.

    Only two reasons occur among the bundled theories:

    * G acts trivially on the output and the entry is in the output layer, read
      from the bias or from hidden features every generator fixes (latent map
      the identity): changing it adds a G-invariant function to an invariant one;
    * every generator acts on the input as x -> -x and the entry is an incoming
      weight of a neuron with zero bias that the latent action sends to itself
      with pre-activation scale -1: the row (w, 0) goes to (-w, 0) = -(w, 0)
      whatever w is, so the same latent element still relates the layers.
    """
    network = theory.network
    action = theory.action
    field = network.field
    index, kind, row, _ = entry
    generators = action.generators

    if index == network.depth and all(action.output[name].is_identity for name in generators):
        if kind == "b":
            return "an invariant function plus a constant is invariant"
        last_hidden = network.depth - 1
        if last_hidden > 0 and all(derivation.latent_map(last_hidden, name).is_identity
                                   for name in generators):
            return "the output layer reads hidden features that every generator fixes"

    dimension = network.input_dimension
    negation = AffineMap(MonomialMatrix(field, range(dimension), (-field.one,) * dimension))
    if (index == 1 and kind == "W" and network.depth > 1
            and all(action.input[name] == negation for name in generators)
            and network.layer(1).bias[row] == field.zero):
        elements = [derivation.latent_actions[0][name] for name in generators]
        if all(element.map.linear.images[row] == row
               and element.preactivation_scales[row] == -field.one for element in elements):
            return "a zero-bias neuron is sent to its own negative under x -> -x"
    return None


def _assert_still_equivariant(network, action, label, rng):
    """Evidence for a stated reason: f(g x) = g f(x) at seeded points, exactly or to 50 digits."""
    exact = is_exactly_computable(network)
    with mpmath.workdps(60):
        for generator in action.generators:
            for _ in range(3):
                point = [fractions.Fraction(int(value), 3)
                         for value in rng.integers(-9, 10, size=network.input_dimension)]
                _, _, gap = equivariance_gap(network, action, generator, point, exact=exact)
                if exact:
                    assert all(value == 0 for value in gap), label
                else:
                    assert max(abs(value) for value in gap) < mpmath.mpf(10) ** -50, label


def _check_perturbation(name, theory, derivation, entry, delta, rng):
    label = f"{name}: {_entry_name(entry)} + {delta}"
    network = _perturb(theory.network, entry, delta)
    action = theory.action

    perturbed = derive(network, action)
    verdict = decide_end_to_end(network, action, perturbed, seed=0)

    reason = _still_equivariant_reason(theory, derivation, entry)
    if reason is not None:
        assert perturbed.derived, f"{label} should stay derived: {reason}"
        assert verdict.status is Status.PROVED, label
        _assert_still_equivariant(network, action, label, rng)
        return
    assert not perturbed.derived, label
    assert verdict.status is Status.REFUTED, f"{label}: {verdict.status.value}, {verdict.reason}"
    witness = verdict.witness
    assert isinstance(witness, InputWitness), label
    if network.is_polynomial:
        assert verdict.method == "polynomial identity", label
        assert witness.exact, label
    else:
        assert verdict.method == "certified witness", label
        assert not witness.exact, label
        assert witness.precision in (128, 512), label
    assert_certified_witness(network, action, witness, digits=60)


def _derived_theory(name):
    theory = load_bundled(name)
    derivation = derive(theory.network, theory.action)
    if not derivation.derived:
        pytest.skip(f"{name} has no layerwise derivation to perturb")
    return theory, derivation


@pytest.mark.parametrize("seed", range(3), ids=lambda seed: f"seed{seed}")
@pytest.mark.parametrize("name", BUNDLED_MLP)
def test_perturbed_parameter_is_refuted(name, seed):
    """Seeded single-entry perturbations of a derived theory are refuted with checked witnesses."""
    theory, derivation = _derived_theory(name)
    rng = numpy.random.default_rng(seed)
    entries = _entries(theory.network)
    chosen = rng.choice(len(entries), size=min(ENTRIES_PER_SEED, len(entries)), replace=False)

    for position in chosen:
        delta = DELTAS[int(rng.integers(len(DELTAS)))]
        _check_perturbation(name, theory, derivation, entries[int(position)], delta, rng)


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED_MLP)
def test_every_entry_perturbation_refuted(name):
    """Every entry, both step sizes: no perturbation outside the stated reasons stays derived."""
    theory, derivation = _derived_theory(name)
    rng = numpy.random.default_rng(0)

    for entry in _entries(theory.network):
        for delta in DELTAS:
            _check_perturbation(name, theory, derivation, entry, delta, rng)


@pytest.mark.parametrize("seed", range(3), ids=lambda seed: f"seed{seed}")
def test_perturbed_algebraic_network_is_refuted(seed):
    """octagon has weights in QQ(sqrt(2)); perturbations are refuted there too."""
    theory = symequiv.loads(OCTAGON)
    derivation = derive(theory.network, theory.action)
    assert derivation.derived
    rng = numpy.random.default_rng(seed)
    entries = _entries(theory.network)
    chosen = rng.choice(len(entries), size=ENTRIES_PER_SEED, replace=False)

    for position in chosen:
        delta = DELTAS[int(rng.integers(len(DELTAS)))]
        _check_perturbation("octagon", theory, derivation, entries[int(position)], delta, rng)


@pytest.mark.parametrize(
    ("name", "entry", "reason"),
    [
        pytest.param("dihedral-image", (2, "b", 0, None),
                     "an invariant function plus a constant is invariant", id="dihedral-bias"),
        pytest.param("square-invariant", (2, "W", 0, 1),
                     "the output layer reads hidden features that every generator fixes",
                     id="square-output-weight"),
        pytest.param("square-invariant", (1, "W", 2, 0),
                     "a zero-bias neuron is sent to its own negative under x -> -x",
                     id="square-input-weight"),
        pytest.param("sigmoid-affine-flip", (1, "W", 0, 0),
                     "a zero-bias neuron is sent to its own negative under x -> -x",
                     id="sigmoid-zero-bias-neuron"),
    ],
)
def test_exempt_perturbations_stay_derived(name, entry, reason):
    """The exceptions above are real: these perturbations keep the network derived."""
    theory, derivation = _derived_theory(name)

    assert _still_equivariant_reason(theory, derivation, entry) == reason
    _check_perturbation(name, theory, derivation, entry, DELTAS[0],
                        numpy.random.default_rng(1))


def test_no_exemption_for_tanh_swap():
    """tanh-swap has a nontrivial output action and no zero bias, so no entry is exempt."""
    theory, derivation = _derived_theory("tanh-swap")

    reasons = [_still_equivariant_reason(theory, derivation, entry)
               for entry in _entries(theory.network)]

    assert reasons == [None] * 22
