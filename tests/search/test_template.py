"""Template: reading a family, instantiating it at rational points, and rejected files."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from symequiv.errors import TheoryError
from symequiv.search.spec import Question
from symequiv.search.template import Template
from tests.search.templates import CUBIC_SWAP, GELU_PAIR, edit, template, values


def test_symbols_in_order_of_first_appearance():
    assert template(GELU_PAIR).symbols == ("a", "b", "c", "d", "p", "q", "r")


def test_settings_from_search_table():
    settings = template(GELU_PAIR).settings

    assert settings.question is Question.NO_HOMOMORPHISM
    assert settings.grid_size == 3**7


def test_default_settings_without_search_table():
    text = GELU_PAIR[:GELU_PAIR.index("[search]")]

    settings = template(text).settings

    assert settings.question is Question.NOT_LAYERWISE
    assert [domain.values for domain in settings.domains] == [values(0, 1, -1)] * 7


def test_instantiate_gives_exact_network():
    network = template(GELU_PAIR).instantiate(values(1, -1, "1/2", 0, 2, -2, 3))

    assert network.field.is_rational
    hidden, output = network.layers
    assert [[str(entry) for entry in row] for row in hidden.weights] == [["1"], ["-1"]]
    assert [str(entry) for entry in hidden.bias] == ["1/2", "0"]
    assert [str(entry) for entry in output.weights[0]] == ["2", "-2"]
    assert str(output.bias[0]) == "3"


def test_instantiate_rational_function_parameters():
    text = edit(GELU_PAIR, 'b1 = ["c", "d"]', 'b1 = ["c/d", "d^2 - 1"]')

    network = template(text).instantiate(values(1, 1, 3, 2, 1, 1, 1))

    assert [str(entry) for entry in network.layers[0].bias] == ["3/2", "3"]


def test_instantiate_vanishing_denominator_raises():
    text = edit(GELU_PAIR, 'b1 = ["c", "d"]', 'b1 = ["c/d", "d"]')

    with pytest.raises(ZeroDivisionError):
        template(text).instantiate(values(1, 1, 3, 0, 1, 1, 1))


def test_instantiate_without_bias():
    network = template(CUBIC_SWAP).instantiate(values(2, 3, 1, 0, 0, 1))

    assert not network.layers[0].has_bias
    assert network.layers[0].weights[0] == (1, 2)


def test_action_is_rational():
    action = template(GELU_PAIR).action

    assert action.field.is_rational
    assert action.input["n"].linear.scales == (-1,)


def test_parameter_values_are_fractions():
    parameters = template(GELU_PAIR).parameter_values(values(1, 0, 0, 0, "1/2", 0, 0))

    assert parameters == {"W1": [[1], [0]], "b1": [0, 0], "W2": [[Fraction(1, 2), 0]],
                          "b2": [0]}


def test_describe_values():
    assert template(GELU_PAIR).describe_values(values(1, "-1/2", 0, 0, 0, 0, 0)) == (
        "a = 1, b = -1/2, c = 0, d = 0, p = 0, q = 0, r = 0")


def test_template_without_symbols_rejected():
    text = edit(edit(edit(edit(GELU_PAIR[:GELU_PAIR.index("[search]")], '[["a"], ["b"]]',
                                "[[1], [2]]"), '["c", "d"]', "[0, 0]"), '[["p", "q"]]',
                      "[[1, 1]]"), '["r"]', "[0]")

    with pytest.raises(TheoryError, match=re.escape(
            "t.toml: parameters: the parameters have no free symbols, so there is nothing "
            "to search")):
        Template.from_text(text, "t.toml")


def test_template_with_bare_pi_rejected():
    text = edit(GELU_PAIR, 'b2 = ["r"]', 'b2 = ["r + pi"]')

    with pytest.raises(TheoryError, match=re.escape(
            "t.toml: parameters: pi appears outside cos and sin, which a search cannot "
            "substitute")):
        Template.from_text(text, "t.toml")


def test_expect_question_needs_claims():
    with pytest.raises(TheoryError, match=re.escape(
            't.toml: search.question: the question "expect" looks for values that refute a '
            "claim of [expect], but the file has no [expect] claims")):
        template(GELU_PAIR, "t.toml", question="expect")


def test_missing_file_rejected(tmp_path):
    with pytest.raises(TheoryError, match="cannot read the file"):
        Template.from_file(tmp_path / "absent.toml")
