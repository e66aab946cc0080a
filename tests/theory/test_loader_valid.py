"""Valid theory files: exact numbers, symbols, radicals, architectures and every action form."""

from __future__ import annotations

import pytest
import sympy

import symequiv
from symequiv.activations.catalogue import t

VALID = """\
[theory]
name = "  swap  "
description = "a tanh network under the swap"

[group]
generators = ["s"]
relations = ["s^2"]

[group.input]
s = [[0, 1], [1, 0]]

[group.output]
s = [[0, 1], [1, 0]]

[model]
widths = [2, 2, 2]
activation = "tanh"

[parameters]
W1 = [[1, 2], [2, 1]]
b1 = [0, 0]
W2 = [[1, 0], [0, 1]]
b2 = [0, 0]

[expect]
end_to_end_equivariant = true
identifiable = false
"""


def edit(old, new, text=VALID):
    """Return ``text`` with ``old`` replaced once by ``new``; fail loudly if ``old`` is absent."""
    assert old in text, f"the template has no {old!r}"
    return text.replace(old, new, 1)


def expressions(theory):
    return theory.network.parameter_expressions()


def test_header_and_claims_are_read():
    theory = symequiv.loads(VALID, source="valid.toml")

    assert theory.name == "swap"
    assert theory.description == "a tanh network under the swap"
    assert theory.source == "valid.toml"
    assert theory.expectations == {"end_to_end_equivariant": True, "identifiable": False}


def test_load_reads_file_and_records_path(tmp_path):
    path = tmp_path / "swap.toml"
    path.write_text(VALID, encoding="utf-8")

    theory = symequiv.load(path)

    assert theory.source == str(path)
    assert theory.network.widths == (2, 2, 2)


def test_rational_parameters_stay_in_rationals():
    text = edit("b1 = [0, 0]", 'b1 = ["1/2", "-3"]')
    text = edit("b2 = [0, 0]", 'b2 = ["0.25", "1e-2"]', text)

    theory = symequiv.loads(text, source="valid.toml")

    assert theory.network.field.is_rational
    assert expressions(theory)["b1"] == [sympy.Rational(1, 2), -3]
    assert expressions(theory)["b2"] == [sympy.Rational(1, 4), sympy.Rational(1, 100)]


def test_symbols_in_parameters_build_function_field():
    text = edit("W1 = [[1, 2], [2, 1]]", 'W1 = [["a", "b"], ["b", "a"]]')
    text = edit("b1 = [0, 0]", 'b1 = ["c", "c/2 + 1"]', text)

    theory = symequiv.loads(text, source="valid.toml")

    a, b, c = sympy.symbols("a b c", real=True)
    field = theory.network.field
    assert field.symbols == (a, b, c)
    assert not field.is_rational
    assert expressions(theory)["W1"] == [[a, b], [b, a]]
    assert expressions(theory)["b1"] == [c, c / 2 + 1]


@pytest.mark.parametrize("entry", ['"sqrt(2)/2"', '"cos(pi/4)"', '"1/sqrt(2)"'])
def test_radicals_build_algebraic_field(entry):
    text = edit("W1 = [[1, 2], [2, 1]]", f"W1 = [[{entry}, 1], [1, {entry}]]")

    theory = symequiv.loads(text, source="valid.toml")

    field = theory.network.field
    assert str(field) == "QQ<sqrt(2)>"
    assert field.domain.is_Algebraic
    assert expressions(theory)["W1"] == [[sympy.sqrt(2) / 2, 1], [1, sympy.sqrt(2) / 2]]


def test_integer_with_200_digits_is_accepted():
    largest = 10**200 - 1
    text = edit("b1 = [0, 0]", f'b1 = [{largest}, "{largest}"]')

    theory = symequiv.loads(text, source="valid.toml")

    assert expressions(theory)["b1"] == [largest, largest]


def test_bias_false_gives_zero_fixed_biases():
    text = edit('activation = "tanh"', 'activation = "tanh"\nbias = false')
    text = edit("b1 = [0, 0]\n", "", text)
    text = edit("b2 = [0, 0]\n", "", text)

    theory = symequiv.loads(text, source="valid.toml")

    layers = theory.network.layers
    assert [layer.has_bias for layer in layers] == [False, False]
    assert [layer.bias for layer in layers] == [(0, 0), (0, 0)]
    assert expressions(theory)["W1"] == [[1, 2], [2, 1]]


def test_activation_list_per_hidden_layer():
    text = edit("widths = [2, 2, 2]", "widths = [2, 2, 2, 2]")
    text = edit('activation = "tanh"', 'activation = ["tanh", "relu"]', text)
    text = edit("b2 = [0, 0]", "b2 = [0, 0]\nW3 = [[1, 0], [0, 1]]\nb3 = [0, 0]", text)

    theory = symequiv.loads(text, source="valid.toml")

    names = [activation.name for activation in theory.network.hidden_activations()]
    assert names == ["tanh", "relu"]
    assert theory.network.depth == 3


@pytest.mark.parametrize("value, name, formula", [
    pytest.param('{ leaky_relu = "1/10" }', "leaky_relu(1/10)",
                 sympy.Piecewise((t, t >= 0), (t / 10, True)), id="leaky-relu"),
    pytest.param("{ power = 3 }", "power(3)", t**3, id="power-3"),
    pytest.param('{ expression = "t^3 + t" }', "expression(t^3 + t)", t**3 + t,
                 id="expression"),
    pytest.param('"sigmoid"', "sigmoid", 1 / (1 + sympy.exp(-t)), id="sigmoid"),
    pytest.param('{ leaky_relu = 0 }', "relu", sympy.Max(t, 0), id="leaky-relu-slope-0"),
])
def test_activation_forms(value, name, formula):
    text = edit('activation = "tanh"', f"activation = {value}")

    theory = symequiv.loads(text, source="valid.toml")

    activation = theory.network.hidden_activations()[0]
    assert activation.name == name
    assert activation.formula == formula


def test_network_without_hidden_layer():
    text = edit("widths = [2, 2, 2]", "widths = [2, 2]")
    text = edit('activation = "tanh"\n', "", text)
    text = edit("W2 = [[1, 0], [0, 1]]\nb2 = [0, 0]\n", "", text)

    theory = symequiv.loads(text, source="valid.toml")

    assert theory.network.depth == 1
    assert theory.network.hidden_activations() == []


# -- action forms ------------------------------------------------------------------------------

ACTION_TEMPLATE = """\
[theory]
name = "action"

[group]
generators = ["s"]

[group.input]
s = {value}

[group.output]
s = "trivial"

[model]
widths = [{dimension}, 1]

[parameters]
W1 = [[{ones}]]
b1 = [0]
"""

R = sympy.Rational


@pytest.mark.parametrize("value, dimension, description, rows, translation", [
    pytest.param("[[0, 1], [1, 0]]", 2, "matrix", [[0, 1], [1, 0]], None, id="matrix"),
    pytest.param('[[0, "-1"], [1, 0]]', 2, "matrix", [[0, -1], [1, 0]], None,
                 id="matrix-rotation"),
    pytest.param("[[0, -1], [1, -1]]", 2, "matrix", [[0, -1], [1, -1]], None,
                 id="matrix-dense-order-3"),
    pytest.param("{ matrix = [[-1, 0], [0, 1]], translation = [1, 0] }", 2, "affine",
                 [[-1, 0], [0, 1]], [1, 0], id="affine"),
    pytest.param("{ permutation = [1, 2, 0] }", 3, "permutation",
                 [[0, 0, 1], [1, 0, 0], [0, 1, 0]], None, id="permutation"),
    pytest.param("{ signed_permutation = [[1, 1], [0, -1]] }", 2, "signed permutation",
                 [[0, -1], [1, 0]], None, id="signed-permutation"),
    pytest.param('{ monomial = [[1, 2], [0, "1/2"]] }', 2, "monomial",
                 [[0, R(1, 2)], [2, 0]], None, id="monomial"),
    pytest.param('{ image = [2, 2], flip = "horizontal" }', 4, "horizontal flip",
                 [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], None,
                 id="image-flip"),
    pytest.param('{ image = [2, 2], flip = "vertical" }', 4, "vertical flip",
                 [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]], None,
                 id="image-flip-vertical"),
    pytest.param("{ image = [2, 2], rotate = 90 }", 4, "rotation by 90 degrees",
                 [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0]], None,
                 id="image-rotate"),
    pytest.param("{ reflection = [1, 2] }", 2, "reflection",
                 [[R(3, 5), R(-4, 5)], [R(-4, 5), R(-3, 5)]], None, id="reflection"),
    pytest.param("{ reflection = [1, -1] }", 2, "reflection", [[0, 1], [1, 0]], None,
                 id="reflection-monomial"),
    pytest.param("{ shift = 1, size = 3 }", 3, "cyclic shift by 1",
                 [[0, 0, 1], [1, 0, 0], [0, 1, 0]], None, id="shift"),
    pytest.param("{ shift = 1, size = 3 }", 6, "cyclic shift by 1",
                 [[0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0],
                  [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0]], None,
                 id="shift-two-features"),
    pytest.param('"trivial"', 2, "trivial", [[1, 0], [0, 1]], None, id="trivial"),
])
def test_action_form_builds_exact_map(value, dimension, description, rows, translation):
    text = ACTION_TEMPLATE.format(value=value, dimension=dimension,
                                  ones=", ".join(["1"] * dimension))

    theory = symequiv.loads(text, source="action.toml")

    action = theory.action
    affine_map = action.input["s"]
    field = theory.network.field
    assert affine_map.linear.to_sympy() == sympy.Matrix(rows)
    if translation is None:
        assert affine_map.translation is None
    else:
        assert [field.to_expr(entry) for entry in affine_map.translation] == translation
    assert action.descriptions["s"] == (description, "trivial")
    assert action.output["s"].is_identity


def test_rotation_moves_pixels_counterclockwise():
    text = ACTION_TEMPLATE.format(value="{ image = [2, 2], rotate = 90 }", dimension=4,
                                  ones="1, 1, 1, 1")
    theory = symequiv.loads(text, source="action.toml")
    a, b, c, d = sympy.symbols("a b c d")

    # The image [[a, b], [c, d]] turned a quarter counterclockwise is [[b, d], [a, c]].
    image = theory.action.input["s"].linear.to_sympy() * sympy.Matrix([a, b, c, d])

    assert list(image) == [b, d, a, c]


def test_group_without_relations_is_enumerated():
    text = ACTION_TEMPLATE.format(value="{ image = [2, 2], rotate = 90 }", dimension=4,
                                  ones="1, 1, 1, 1")

    theory = symequiv.loads(text, source="action.toml")

    assert theory.action.relations == ()
    assert theory.action.order == 4


def test_relations_define_the_group():
    text = edit('relations = ["s^2"]', 'relations = ["s^2", "s s^-1", "s^4"]')

    theory = symequiv.loads(text, source="valid.toml")

    assert [str(word) for word in theory.action.relations] == ["s^2", "s s^-1", "s^4"]
    assert theory.action.order == 2
