"""Tests of decide_end_to_end: which method settles f(g x) = g f(x), and what it returns."""

from __future__ import annotations

import dataclasses

import mpmath
import pytest

import symequiv
from symequiv.derivation.endtoend import decide_end_to_end
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.identifiability.decide import decide_identifiability
from symequiv.verdicts import InputWitness, Status, StepWitness, Verdict
from tests.derivation.constructions import (
    ORDER_FOUR_LIFT,
    RATIONAL_FUNCTION_PARAMETERS,
    saturated_tanh_swap,
)
from tests.derivation.reference import (
    BUNDLED,
    assert_certified_witness,
    equivariance_gap,
    load_bundled,
)

PROVED, REFUTED = Status.PROVED, Status.REFUTED

# The method that decides each bundled theory, in the order decide_end_to_end tries them.
BUNDLED_METHODS = {
    "cubic-monomial": (PROVED, "derivation"),
    "cubic-not-equivariant": (REFUTED, "polynomial identity"),
    "dihedral-image": (PROVED, "derivation"),
    "gelu-bypass": (PROVED, "normal form"),
    "leaky-relu-swap": (PROVED, "derivation"),
    "linear-swap": (PROVED, "derivation"),
    "relu-bypass": (PROVED, "derivation"),
    "relu-cyclic": (PROVED, "derivation"),
    "relu-positive-scale": (PROVED, "derivation"),
    "sigmoid-affine-flip": (PROVED, "derivation"),
    "sigmoid-opposite-duplicate": (PROVED, "derivation"),
    "square-invariant": (PROVED, "derivation"),
    "tanh-dead-neuron": (PROVED, "normal form"),
    "tanh-not-equivariant": (REFUTED, "certified witness"),
    "tanh-odd-signed": (PROVED, "derivation"),
    "tanh-reflection": (PROVED, "derivation"),
    "tanh-swap": (PROVED, "derivation"),
    "tanh-swap-family": (PROVED, "derivation"),
}

NORMAL_FORM_REASON = (
    "the layers before the last hidden layer are equivariant, and for every generator the "
    "last hidden layer and the output layer agree after rewriting with the activation's "
    "identities"
)


def _decide(theory, identifiability=None):
    derivation = derive(theory.network, theory.action)
    return decide_end_to_end(theory.network, theory.action, derivation, identifiability, seed=0)


@pytest.mark.parametrize("name", sorted(BUNDLED_METHODS))
def test_bundled_theory_decision_method(name):
    """Each bundled theory is settled by the first method in order that applies to it."""
    if name not in BUNDLED:
        pytest.skip(f"{name} is not among the bundled theories")
    theory = load_bundled(name)
    status, method = BUNDLED_METHODS[name]

    verdict = _decide(theory, decide_identifiability(theory.network))

    assert verdict.status is status
    assert verdict.method == method
    if status is REFUTED:
        assert isinstance(verdict.witness, InputWitness)
        assert_certified_witness(theory.network, theory.action, verdict.witness)
    else:
        assert verdict.witness is None


@pytest.mark.parametrize("name", ["gelu-bypass", "tanh-dead-neuron"])
def test_normal_form_proves_bypass_tail(name):
    """No latent map exists (a bypass pair or a dead neuron has no partner), yet the tail
    F(g h) - g F(h) rewrites to zero: gelu(t) - gelu(-t) = t, and a neuron with zero
    outgoing weights contributes nothing."""
    theory = load_bundled(name)
    derivation = derive(theory.network, theory.action)

    verdict = decide_end_to_end(theory.network, theory.action, derivation)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert verdict.status is PROVED
    assert verdict.method == "normal form"
    assert verdict.reason == NORMAL_FORM_REASON


def test_normal_form_after_equivariant_prefix():
    """The order-four lift has no homomorphic latent action, but layer f_1 is equivariant and the
    tail after it ignores the zero neurons, so the normal form proves equivariance."""
    theory = symequiv.loads(ORDER_FOUR_LIFT.format(relations='relations = ["s^2"]'))
    derivation = derive(theory.network, theory.action)

    verdict = decide_end_to_end(theory.network, theory.action, derivation)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert verdict.status is PROVED
    assert verdict.method == "normal form"


SATURATED = saturated_tanh_swap()


def test_saturated_network_is_not_equivariant():
    """At 1000 digits, f(s x)_0 - f(x)_1 is about -4e-865 at x = (1, -1): the fixture is sound."""
    theory = symequiv.loads(SATURATED)

    with mpmath.workdps(1000):
        _, _, gap = equivariance_gap(theory.network, theory.action, "s", ["1", "-1"])
        assert gap[0] < -mpmath.mpf(10) ** -866
        assert gap[0] > -mpmath.mpf(10) ** -864


def test_theorem_refutes_saturated_network():
    """Identifiable parameters and no latent action contradict the theorem's conclusion,
    so the network cannot be end-to-end equivariant."""
    theory = symequiv.loads(SATURATED)
    identifiability = decide_identifiability(theory.network)
    derivation = derive(theory.network, theory.action)

    verdict = decide_end_to_end(theory.network, theory.action, derivation, identifiability)

    assert identifiability.status is PROVED
    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert verdict.status is REFUTED
    assert verdict.method == "theorem"
    assert verdict.witness == StepWitness(derivation.reason)
    assert verdict.reason == (
        "the parameters are identifiable and no latent action makes every layer equivariant, "
        "so by the theorem the network is not end-to-end equivariant (" + derivation.reason + ")")


def test_theorem_needs_proved_identifiability():
    """Without a proof of identifiability the same network stays unknown, with every reason."""
    theory = symequiv.loads(SATURATED)
    derivation = derive(theory.network, theory.action)
    unknown = Verdict.unknown("identifiability was not decided")

    for identifiability in (None, unknown):
        verdict = decide_end_to_end(theory.network, theory.action, derivation, identifiability)

        assert verdict.status is Status.UNKNOWN
        assert verdict.method == "none"
        assert verdict.reason == (
            "no layerwise derivation was found (" + derivation.reason + "); no certified "
            "witness was found among the sampled inputs; the network is not polynomial, so "
            "no exact expansion applies")


def test_theorem_needs_complete_search():
    """An inconclusive derivation is no proof that the latent action is missing."""
    theory = symequiv.loads(SATURATED)
    derivation = dataclasses.replace(derive(theory.network, theory.action),
                                     status=DerivationStatus.INCONCLUSIVE)
    identifiability = decide_identifiability(theory.network)

    verdict = decide_end_to_end(theory.network, theory.action, derivation, identifiability)

    assert verdict.status is Status.UNKNOWN


def test_derivation_is_tried_first():
    """A derived network is proved by the derivation, even when it is also polynomial."""
    theory = load_bundled("cubic-monomial")

    verdict = _decide(theory)

    assert verdict.method == "derivation"
    assert verdict.reason == "every layer is equivariant, so the composition is"


def test_certified_witness_for_changed_bias():
    """tanh-not-equivariant is refuted whatever the seed of the witness search."""
    theory = load_bundled("tanh-not-equivariant")
    derivation = derive(theory.network, theory.action)

    for seed in range(3):
        verdict = decide_end_to_end(theory.network, theory.action, derivation, seed=seed)

        assert verdict.status is REFUTED
        assert verdict.method == "certified witness"
        assert verdict.reason == "an input where f(g x) and g f(x) differ"
        assert_certified_witness(theory.network, theory.action, verdict.witness)


def test_rational_function_identity_not_refuted():
    """f(x) = 3 x for every admissible a, so a refutation is unsound (see test_polynomial)."""
    theory = symequiv.loads(RATIONAL_FUNCTION_PARAMETERS)

    verdict = _decide(theory)

    assert verdict.status is not REFUTED, verdict.witness
