"""CandidateEvaluator: the outcome of each question on known networks, checked against verify."""

from __future__ import annotations

import itertools

import pytest

from symequiv.search.questions import CandidateEvaluator, OutcomeKind, claims_for
from symequiv.search.spec import Question
from symequiv.search.strategies import exhaustive_points
from symequiv.verdicts import Status
from symequiv.verification import verify_network
from tests.search.templates import GELU_PAIR, TANH_SWAP_GRID, edit, template, values

# Points of gelu-pair (a, b, c, d, p, q, r): f(x) = p gelu(a x + c) + q gelu(b x + d) + r.
DEAD_UNIT = values(1, 0, 0, 0, 0, 0, 0)  # f = 0; neuron 1 has no partner under x -> -x
BYPASS = values(-1, 1, 1, -1, -1, 1, 1)  # f = gelu(x - 1) - gelu(1 - x) + 1 = x
SWAPPED_PAIR = values(1, -1, 0, 0, 1, -1, 0)  # f = gelu(x) - gelu(-x) = x, neurons swap
NOT_ODD = values(1, 0, 1, 0, 1, 0, 0)  # f = gelu(x + 1)


def outcome(question, point, text=GELU_PAIR):
    return CandidateEvaluator(template(text, question=question.value)).evaluate(point)


@pytest.mark.parametrize(("question", "point", "kind", "label"), [
    (Question.NOT_LAYERWISE, DEAD_UNIT, OutcomeKind.COUNTEREXAMPLE,
     "end-to-end equivariant, not layerwise equivariant"),
    (Question.NOT_LAYERWISE, BYPASS, OutcomeKind.COUNTEREXAMPLE,
     "end-to-end equivariant, not layerwise equivariant"),
    (Question.NOT_LAYERWISE, SWAPPED_PAIR, OutcomeKind.NOT_COUNTEREXAMPLE,
     "layerwise equivariant"),
    (Question.NOT_LAYERWISE, NOT_ODD, OutcomeKind.NOT_COUNTEREXAMPLE,
     "not end-to-end equivariant"),
    (Question.NO_HOMOMORPHISM, DEAD_UNIT, OutcomeKind.NOT_COUNTEREXAMPLE,
     "layerwise equivariant at theta*"),
    (Question.NO_HOMOMORPHISM, BYPASS, OutcomeKind.COUNTEREXAMPLE,
     "no homomorphism at theta = theta*"),
    (Question.NO_HOMOMORPHISM, NOT_ODD, OutcomeKind.NOT_COUNTEREXAMPLE,
     "not end-to-end equivariant"),
    (Question.NOT_IDENTIFIABLE, DEAD_UNIT, OutcomeKind.COUNTEREXAMPLE, "not identifiable"),
    (Question.NOT_IDENTIFIABLE, NOT_ODD, OutcomeKind.COUNTEREXAMPLE, "not identifiable"),
], ids=["dead-unit", "bypass", "swapped-pair", "not-odd", "dead-unit-reduced",
        "bypass-reduced", "not-odd-reduced", "dead-unit-identifiability",
        "dead-neuron-identifiability"])
def test_outcome(question, point, kind, label):
    result = outcome(question, point)

    assert result.kind is kind
    assert result.label == label


def test_identifiable_tanh_network_is_no_counterexample():
    result = outcome(Question.NOT_IDENTIFIABLE, values("1/2", 1, 2, 2, 1), TANH_SWAP_GRID)

    assert result == outcome(Question.NOT_IDENTIFIABLE, values("1/2", 1, 2, 2, 1),
                             TANH_SWAP_GRID)
    assert result.kind is OutcomeKind.NOT_COUNTEREXAMPLE
    assert result.label == "identifiable"


def test_vanishing_denominator_is_undefined():
    text = edit(GELU_PAIR, 'b1 = ["c", "d"]', 'b1 = ["c/d", "d"]')

    result = outcome(Question.NOT_LAYERWISE, values(1, 1, 1, 0, 1, 1, 1), text)

    assert result.kind is OutcomeKind.UNDEFINED


EXPECTING = GELU_PAIR + """
[expect]
layerwise_after_reparameterization = true
"""


@pytest.mark.parametrize(("point", "kind", "label"), [
    (BYPASS, OutcomeKind.COUNTEREXAMPLE, "refutes layerwise_after_reparameterization"),
    (DEAD_UNIT, OutcomeKind.NOT_COUNTEREXAMPLE, "every claim holds"),
], ids=["bypass", "dead-unit"])
def test_expect_question(point, kind, label):
    result = outcome(Question.EXPECT, point, EXPECTING)

    assert result.kind is kind
    assert result.label == label


def test_expect_question_undecided_claim():
    text = GELU_PAIR + "\n[expect]\nidentifiable = true\n"

    # Rows (1, 1) and (-1, -1) violate (G3), so the bypass criterion does not apply, and
    # no witness construction of symequiv builds a second parameter for this network.
    result = outcome(Question.EXPECT, values(1, -1, 1, -1, 1, 2, 0), text)

    assert result.kind is OutcomeKind.UNDECIDED
    assert result.label == "undecided: identifiable"


def test_claims_for_each_question():
    assert claims_for(Question.NOT_LAYERWISE) == {"end_to_end_equivariant": True,
                                                  "layerwise_equivariant": False}
    assert claims_for(Question.NO_HOMOMORPHISM)["layerwise_after_reparameterization"] is False
    assert claims_for(Question.NOT_IDENTIFIABLE) == {"identifiable": False}
    assert claims_for(Question.EXPECT) == {}


@pytest.mark.parametrize("question", [Question.NOT_LAYERWISE, Question.NO_HOMOMORPHISM])
def test_counterexamples_agree_with_verify(question):
    gelu = template(GELU_PAIR, question=question.value)
    evaluator = CandidateEvaluator(gelu)
    required = claims_for(question)
    points = list(itertools.islice(exhaustive_points(gelu.settings.domains), 0, 2187, 23))
    points += [DEAD_UNIT, BYPASS, SWAPPED_PAIR]
    found = 0
    for point in points:
        network = gelu.instantiate(point)
        result = evaluator.evaluate_network(network)
        report = verify_network(network, gelu.action)
        verdicts = {claim.property: claim.verdict for claim in report.results}
        settled = all(verdicts[key].value is value for key, value in required.items())
        assert result.is_counterexample is settled, gelu.describe_values(point)
        if result.kind is OutcomeKind.NOT_COUNTEREXAMPLE:
            assert any(verdicts[key].status is not Status.UNKNOWN
                       and verdicts[key].value is not value for key, value in required.items())
        found += result.is_counterexample
    assert found >= 2
