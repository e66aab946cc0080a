"""The criteria catalogue: each hypothesis violated on its own, and each criterion's verdict."""

from __future__ import annotations

import pytest

from symequiv.identifiability.catalogue import CRITERIA, evaluate_criteria
from symequiv.verdicts import Status
from tests.identifiability.networks import small_network

# gelu-swap: one hidden layer satisfying (G1)-(G4).
BYPASS = {"W1": "[[1, 2], [2, 1], [1, -3], [-3, 1]]", "b1": '["1/2", "1/2", -1, -1]',
          "W2": "[[1, 2, 3, -1], [2, 1, -1, 3]]", "b2": "[1, 1]"}


def _result(network, key):
    (result,) = evaluate_criteria(network, (key,))
    return result


def test_every_criterion_names_source_and_scope():
    for criterion in CRITERIA:
        assert criterion.source
        assert criterion.scope
        assert criterion.conclusion


@pytest.mark.parametrize("activation", ['"gelu"', '"relu"', '"silu"', '"softplus"',
                                        '{ leaky_relu = "1/10" }'])
def test_bypass_criterion_proves_generic_network(activation):
    result = _result(small_network([2, 4, 2], activation, BYPASS), "bypass")

    assert result.applies
    assert [hypothesis.holds for hypothesis in result.hypotheses] == [True] * 4
    assert result.verdict.status is Status.PROVED


@pytest.mark.parametrize("changes, label, detail", [
    pytest.param({"W2": "[[1, 2, 3, 0], [2, 1, -1, 0]]"}, "(G1)",
                 "neuron(s) 4 have zero outgoing weights", id="G1-dead-neuron"),
    pytest.param({"W1": "[[1, 2], [2, 1], [1, -3], [0, 0]]"}, "(G2)",
                 "neuron(s) 4 have zero incoming weights", id="G2-constant-neuron"),
    pytest.param({"W1": "[[1, 2], [2, 1], [1, -3], [-1, -2]]",
                  "b1": '["1/2", "1/2", -1, "-1/2"]'},
                 "(G3)", "neurons 1 and 4 have rows equal up to sign", id="G3-opposite-rows"),
    pytest.param({"W2": "[[1, -1, 3, -1], [1, -1, -1, 3]]",
                  "W1": "[[1, 2], [1, 2], [1, -3], [-3, 1]]", "b1": '["1/2", 2, -1, -1]'},
                 "(G4)", "the neurons {1, 2} have sum of c_j w_j^T equal to 0",
                 id="G4-cancelling-flip"),
])
def test_bypass_criterion_single_violation(changes, label, detail):
    network = small_network([2, 4, 2], '"gelu"', {**BYPASS, **changes})

    result = _result(network, "bypass")

    failed = [hypothesis for hypothesis in result.hypotheses if not hypothesis.holds]
    assert [hypothesis.label for hypothesis in failed] == [label]
    assert failed[0].detail == detail
    assert result.verdict is None


def test_relu_parallel_rows_violate_g3():
    """For ReLU a positive or negative multiple of a row is the same hyperplane."""
    parameters = {**BYPASS, "W1": "[[1, 2], [2, 1], [1, -3], [-2, -4]]"}
    network = small_network([2, 4, 2], '"relu"', parameters)

    failed = [hypothesis.label for hypothesis in _result(network, "bypass").hypotheses
              if not hypothesis.holds]

    assert failed == ["(G3)"]


# -- Fefferman ----------------------------------------------------------------------------------

DEEP = {"W1": "[[1, 2], [3, -1]]", "b1": "[1, -2]", "W2": "[[1, -1], [2, 3]]", "b2": "[3, 5]",
        "W3": "[[1, 2]]", "b3": "[0]"}


def test_fefferman_conditions_hold_gives_conditional():
    result = _result(small_network([2, 2, 2, 1], '"tanh"', DEEP), "fefferman")

    assert [hypothesis.holds for hypothesis in result.hypotheses] == [True, True, True]
    assert result.verdict.status is Status.UNKNOWN
    assert result.verdict.conditional.startswith("every parameter with the same function also "
                                                 "satisfies (F1)-(F3)")


@pytest.mark.parametrize("changes, label", [
    pytest.param({"W2": "[[1, 0], [2, 3]]"}, "(F1)", id="F1-zero-weight"),
    pytest.param({"b1": "[0, -2]"}, "(F2)", id="F2-zero-bias"),
    pytest.param({"b2": "[3, -3]"}, "(F3)", id="F3-equal-absolute-biases"),
])
def test_fefferman_single_violation(changes, label):
    result = _result(small_network([2, 2, 2, 1], '"tanh"', {**DEEP, **changes}), "fefferman")

    assert [hypothesis.label for hypothesis in result.hypotheses
            if not hypothesis.holds] == [label]
    assert result.verdict is None


def test_fefferman_equal_biases_mention_equivariance():
    result = _result(small_network([2, 2, 2, 1], '"tanh"', {**DEEP, "b1": "[1, -1]"}),
                     "fefferman")

    detail = result.hypotheses[2].detail
    assert detail.startswith("equal absolute biases: neurons 1 and 2 of layer 1 (|b| = 1)")
    assert "equivariant networks usually violate this" in detail


# -- necessary conditions and the deep-bypass entry ----------------------------------------------


def test_dead_neuron_violates_necessary_condition():
    network = small_network([2, 4, 2], '"gelu"', {**BYPASS, "W2": "[[1, 2, 3, 0], [2, 1, -1, 0]]"})

    result = _result(network, "necessary")

    assert [hypothesis.holds for hypothesis in result.hypotheses] == [False, True]
    assert result.verdict.status is Status.REFUTED


def test_deep_relu_is_conditional():
    result = _result(small_network([2, 2, 2, 1], '"relu"', DEEP), "deep-bypass")

    assert result.applies
    assert result.verdict.status is Status.UNKNOWN
    assert result.verdict.conditional is not None


def test_criteria_outside_scope_say_why():
    result = _result(small_network([2, 4, 2], '"tanh"', BYPASS), "bypass")

    assert not result.applies
    assert result.reason == "needs one hidden layer with relu, leaky_relu, gelu, silu or softplus"


def test_constant_neuron_with_next_bias_fails_necessary_condition():
    network = small_network([2, 3, 1], '"tanh"', {
        "W1": "[[1, 2], [0, 0], [3, 0]]", "b1": '[1, 2, "1/2"]', "W2": "[[1, -2, 3]]",
        "b2": "[1]"})

    result = evaluate_criteria(network, ("necessary",))[0]

    assert result.hypotheses[1].holds is False
    assert result.verdict.status is Status.REFUTED
    assert result.verdict.reason.startswith(
        "neuron 2 of layer 1 has zero incoming weights, so its constant value can move into "
        "the next bias (or is 0); the neuron is then dead")


def test_constant_neuron_without_next_bias_gives_nothing():
    network = small_network([2, 2, 1], '"sigmoid"', {
        "W1": "[[1, 2], [0, 0]]", "W2": "[[1, 1]]"}, bias=False)

    result = evaluate_criteria(network, ("necessary",))[0]

    assert result.verdict is None
    assert result.reason == (
        "(N2) fails, but it is a hypothesis of their theorem and refutes identifiability only "
        "when the next layer has a bias to take the constant, which it has not here")
