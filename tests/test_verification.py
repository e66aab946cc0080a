"""verify_network: the four properties of each bundled theory, and when a claim holds."""

from __future__ import annotations

import pathlib

import numpy
import pytest

import symequiv
from symequiv.theory.loader import loads
from symequiv.verdicts import ParameterWitness, Status, StepWitness, Verdict
from symequiv.verification import PROPERTIES, ClaimResult, _refute_by_the_theorem, verify_network

THEORIES = pathlib.Path(__file__).resolve().parent.parent / "theories"

P, R, U = Status.PROVED, Status.REFUTED, Status.UNKNOWN
FIBER = "exact fiber (Groebner basis)"
SIGMOID = "Sussmann (1992) via sigmoid(t) = (1 + tanh(t/2))/2"
DERIVATION = "derivation"


def load(name):
    return symequiv.load(THEORIES / f"{name}.toml")


# Per theory: (status, method) of end_to_end_equivariant, identifiable,
# layerwise_equivariant and layerwise_after_reparameterization, in that order.
EXPECTED = {
    "cubic-monomial": [(P, DERIVATION), (P, FIBER), (P, DERIVATION), (P, DERIVATION)],
    "cubic-not-equivariant": [(R, "polynomial identity"), (P, FIBER), (R, DERIVATION),
                              (R, DERIVATION)],
    "dihedral-image": [(P, DERIVATION), (P, "Sussmann (1992)"), (P, DERIVATION),
                       (P, DERIVATION)],
    "gelu-bypass": [(P, "normal form"), (R, "second parameter"), (R, DERIVATION),
                    (R, DERIVATION)],
    "gelu-odd-pair": [(P, "normal form"), (R, "second parameter"), (R, DERIVATION),
                      (R, DERIVATION)],
    "leaky-relu-swap": [(P, DERIVATION), (U, "none"), (P, DERIVATION), (P, DERIVATION)],
    "linear-swap": [(P, DERIVATION), (P, "rank criterion for linear networks"),
                    (P, DERIVATION), (P, DERIVATION)],
    "relu-bypass": [(P, DERIVATION), (R, "second parameter"), (P, DERIVATION),
                    (P, DERIVATION)],
    "relu-cyclic": [(P, DERIVATION), (U, "deep ReLU or GELU networks"), (P, DERIVATION),
                    (P, DERIVATION)],
    "relu-positive-scale": [(P, DERIVATION), (P, "one-hidden-layer bypass criterion"),
                            (P, DERIVATION), (P, DERIVATION)],
    "sigmoid-affine-flip": [(P, DERIVATION), (P, SIGMOID), (P, DERIVATION), (P, DERIVATION)],
    "sigmoid-opposite-duplicate": [(P, DERIVATION), (R, "second parameter"), (P, DERIVATION),
                                   (P, DERIVATION)],
    "square-invariant": [(P, DERIVATION), (R, "second parameter"), (P, DERIVATION),
                         (P, DERIVATION)],
    "tanh-dead-neuron": [(P, "normal form"), (R, "second parameter"), (R, DERIVATION),
                         (P, DERIVATION)],
    "tanh-not-equivariant": [(R, "certified witness"), (P, "Sussmann (1992)"),
                             (R, DERIVATION), (R, DERIVATION)],
    "tanh-odd-signed": [(P, DERIVATION), (P, "Sussmann (1992)"), (P, DERIVATION),
                        (P, DERIVATION)],
    "tanh-reflection": [(P, DERIVATION), (P, "Sussmann (1992)"), (P, DERIVATION),
                        (P, DERIVATION)],
    "tanh-swap": [(P, DERIVATION), (P, "Sussmann (1992)"), (P, DERIVATION), (P, DERIVATION)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_theory_statuses(name):
    theory = load(name)

    report = verify_network(theory.network, theory.action, theory.expectations,
                            name=theory.name, source=theory.source)

    assert [result.property for result in report.results] == list(PROPERTIES)
    observed = [(result.verdict.status, result.verdict.method) for result in report.results]
    assert observed == EXPECTED[name]
    assert report.all_hold
    for result in report.results:
        assert result.expected == theory.expectations.get(result.property)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refuted_verdicts_carry_witness(name):
    theory = load(name)

    report = theory.verify()

    for result in report.results:
        if result.verdict.status is Status.REFUTED:
            assert result.verdict.witness is not None, result.property


def test_dead_neuron_report_uses_theta_star():
    theory = load("tanh-dead-neuron")

    report = theory.verify()

    assert report.reparameterization.changed
    assert report.reduced_derivation is not None
    assert report.reduced_derivation.derived
    after = report.result("layerwise_after_reparameterization")
    assert after.verdict.reason == ("at theta*: every layer is equivariant under the constructed "
                                    "latent actions")
    layerwise = report.result("layerwise_equivariant")
    assert isinstance(layerwise.verdict.witness, StepWitness)


def test_unchanged_network_reuses_layerwise_verdict():
    report = load("tanh-swap").verify()

    assert report.reduced_derivation is None
    assert report.result("layerwise_after_reparameterization").verdict.reason == (
        "theta* = theta, since no neuron is dead, constant or duplicated; every layer is "
        "equivariant under the constructed latent actions")


def test_constant_outside_field_leaves_theta_star_unknown():
    theory = loads("""
[theory]
name = "tanh-zero-row"
[group]
generators = ["g"]
[group.input]
g = "trivial"
[group.output]
g = "trivial"
[model]
widths = [2, 3, 1]
activation = "tanh"
[parameters]
W1 = [[1, 2], [0, 0], [3, 0]]
b1 = [1, 2, "1/2"]
W2 = [[1, -2, 3]]
b2 = [1]
""")

    report = theory.verify()

    after = report.result("layerwise_after_reparameterization").verdict
    assert after.status is Status.UNKNOWN
    assert after.reason == (
        "theta* is not formed: neuron 2 of layer 1 has zero incoming weights, so it is the "
        "constant tanh(2), which is not in the exact field of the parameters, so the "
        "theorem's conclusion at theta* is not decided")
    assert report.result("identifiable").verdict.status is Status.REFUTED


def test_identifiable_witness_is_parameter_witness():
    report = load("relu-bypass").verify()

    assert isinstance(report.result("identifiable").verdict.witness, ParameterWitness)


def test_theory_verify_matches_verify_network():
    theory = load("gelu-bypass")

    first = theory.verify()
    second = verify_network(theory.network, theory.action, theory.expectations)

    assert [result.to_dict() for result in first.results] == [
        result.to_dict() for result in second.results]


def test_without_expectations_nothing_is_claimed():
    theory = load("tanh-swap")

    report = verify_network(theory.network, theory.action)

    assert report.claims == ()
    assert report.all_hold is True
    assert [result.holds for result in report.results] == [None] * 4
    assert [result.expected for result in report.results] == [None] * 4


def test_false_claim_of_proved_property_fails():
    theory = load("tanh-swap")

    report = verify_network(theory.network, theory.action, {"identifiable": False})

    assert [result.property for result in report.claims] == ["identifiable"]
    assert report.result("identifiable").holds is False
    assert report.all_hold is False


def test_claim_of_unknown_property_fails():
    theory = load("relu-cyclic")

    report = verify_network(theory.network, theory.action, {"identifiable": True})

    assert report.result("identifiable").verdict.status is Status.UNKNOWN
    assert report.result("identifiable").holds is False
    assert report.all_hold is False


def test_symbolic_theory_verifies():
    text = (THEORIES / "tanh-swap.toml").read_text(encoding="utf-8")
    text = text.replace("W1 = [[1, 2], [2, 1], [1, -3], [-3, 1]]",
                        'W1 = [["a", "b"], ["b", "a"], [1, -3], [-3, 1]]')
    text = text.replace("identifiable = true\n", "")
    theory = symequiv.loads(text, source="family.toml")

    report = theory.verify()

    statuses = [result.verdict.status for result in report.results]
    assert statuses == [Status.PROVED, Status.UNKNOWN, Status.PROVED, Status.PROVED]
    assert report.all_hold


def test_radical_theory_is_verified():
    text = (THEORIES / "tanh-swap.toml").read_text(encoding="utf-8")
    text = text.replace("W1 = [[1, 2], [2, 1], [1, -3], [-3, 1]]",
                        'W1 = [["sqrt(2)/2", 2], [2, "sqrt(2)/2"], [1, -3], [-3, 1]]')
    theory = symequiv.loads(text, source="radical.toml")

    report = theory.verify()

    assert str(theory.network.field) == "QQ<sqrt(2)>"
    assert [result.verdict.status for result in report.results] == [Status.PROVED] * 4
    assert report.all_hold


# -- ClaimResult.holds -----------------------------------------------------------------------------


def verdict(status):
    return Verdict(status, "test", "a verdict built by the test")


@pytest.mark.parametrize("expected, status, holds", [
    pytest.param(True, Status.PROVED, True, id="true-proved"),
    pytest.param(True, Status.REFUTED, False, id="true-refuted"),
    pytest.param(True, Status.UNKNOWN, False, id="true-unknown"),
    pytest.param(True, Status.EVIDENCE, False, id="true-evidence"),
    pytest.param(False, Status.REFUTED, True, id="false-refuted"),
    pytest.param(False, Status.PROVED, False, id="false-proved"),
    pytest.param(False, Status.UNKNOWN, False, id="false-unknown"),
    pytest.param(False, Status.EVIDENCE, False, id="false-evidence"),
    pytest.param(None, Status.PROVED, None, id="unclaimed-proved"),
    pytest.param(None, Status.REFUTED, None, id="unclaimed-refuted"),
    pytest.param(None, Status.UNKNOWN, None, id="unclaimed-unknown"),
])
def test_claim_holds_at_settled_value(expected, status, holds):
    result = ClaimResult("identifiable", expected, verdict(status))

    assert result.holds is holds


def test_claim_result_to_dict():
    result = ClaimResult("identifiable", False, verdict(Status.REFUTED))

    assert result.to_dict() == {
        "property": "identifiable",
        "expected": False,
        "holds": True,
        "verdict": {"status": "refuted", "method": "test",
                    "reason": "a verdict built by the test", "witness": None,
                    "conditional": None, "tolerance": None, "observed": None,
                    "margin": None},
    }


def test_theorem_refutes_identifiability():
    # For an equivariant network theta^g has the function of theta; were theta
    # identifiable, a latent element would relate them, which the derivation excludes.
    # The flip-set witness settles gelu-odd-pair first, so the theorem is applied alone.
    theory = load("gelu-odd-pair")
    report = theory.verify()
    unknown = Verdict.unknown("no criterion applies")
    verdict = _refute_by_the_theorem(unknown, report.result("end_to_end_equivariant").verdict,
                                     report.derivation)
    adjoint = report.derivation.steps["n"].adjoint

    assert verdict.status is R
    assert verdict.method == "theorem"
    assert isinstance(verdict.witness, ParameterWitness)
    assert verdict.witness.parameters == {"W1": [["-1"], ["-1"]], "b1": ["1", "-1"],
                                          "W2": [["-1", "1"]], "b2": ["1"]}
    inputs = numpy.linspace(-3, 3, 13).reshape(-1, 1)
    assert numpy.allclose(adjoint.evaluate_numpy(inputs), theory.network.evaluate_numpy(inputs),
                          rtol=0, atol=1e-12)


def test_theorem_skips_non_equivariant_network():
    report = load("tanh-not-equivariant").verify()
    verdict = report.result("identifiable").verdict

    assert verdict.status is P
    assert verdict.method == "Sussmann (1992)"


def test_report_str_is_cli_text():
    from symequiv.report import format_report

    report = load("tanh-swap").verify()

    assert str(report) == format_report(report)
    assert str(report).splitlines()[-1] == "  4 of 4 claims hold"
