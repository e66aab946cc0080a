"""Bad theory files: each kind is rejected with one line naming the file, the key and the fix.

Every case goes through ``symequiv.loads(text, source="bad.toml")`` and pins
the message (whole, except where it quotes a long input or a tomllib text),
the exception class and the ``source`` and ``key`` attributes. The
command-line side of the same promise (exit status 2, one line on standard
error, no traceback) is tested in ``tests/cli/test_bad_input.py``.
"""

from __future__ import annotations

import re

import pytest

import symequiv
from symequiv.errors import (
    ExpressionError,
    GroupError,
    InputError,
    LimitError,
    ShapeError,
    TheoryError,
)

# A valid theory: a tanh network of widths [2, 2, 2] under the swap of coordinates.
VALID = """\
[theory]
name = "swap"

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
"""

INPUT_ACTION = "[group.input]\ns = [[0, 1], [1, 0]]"
OUTPUT_ACTION = "[group.output]\ns = [[0, 1], [1, 0]]"
PARAMETERS = "W1 = [[1, 2], [2, 1]]\nb1 = [0, 0]\nW2 = [[1, 0], [0, 1]]\nb2 = [0, 0]\n"
ACTIVATION = 'activation = "tanh"'
B1 = "b1 = [0, 0]"


def edit(old, new, text=VALID):
    """Return ``text`` with ``old`` replaced once by ``new``; fail loudly if ``old`` is absent."""
    assert old in text, f"the template has no {old!r}"
    return text.replace(old, new, 1)


def with_b1(entry):
    """Return the valid theory with the first bias entry replaced by a raw TOML value."""
    return edit(B1, f"b1 = [{entry}, 0]")


def with_input_action(value):
    """Return the valid theory with the input action of ``s`` replaced by a raw TOML value."""
    return edit(INPUT_ACTION, f"[group.input]\ns = {value}")


def with_activation(value):
    return edit(ACTIVATION, f"activation = {value}")


def exactly(message):
    """Return a ``match`` pattern for the whole message, with the file name in front."""
    return exactly_path("bad.toml", message)


def exactly_path(path, message):
    """Return a ``match`` pattern for the whole message of an error about ``path``."""
    return "^" + re.escape(f"{path}: {message}") + "$"


ACTIVATION_FORMS = ('{ leaky_relu = "1/10" }, { power = 3 }, { expression = "..." }')
NAMED_ACTIVATIONS = "['gelu', 'identity', 'relu', 'sigmoid', 'silu', 'softplus', 'tanh']"
PROPERTIES = ("['end_to_end_equivariant', 'identifiable', 'layerwise_after_reparameterization', "
              "'layerwise_equivariant']")
NOT_A_SYMBOL = ("cannot be used as a free symbol, because it reads as a constant or variable "
                "elsewhere (reserved: E, I, cos, e, i, inf, lambda, nan, oo, pi, sin, sqrt, t, x, "
                "names starting with _)")


def assert_rejected(text, kind, key, pattern):
    """Load ``text`` and check the exception class, message, source and key."""
    with pytest.raises(kind, match=pattern) as info:
        symequiv.loads(text, source="bad.toml")
    error = info.value
    assert isinstance(error, InputError)
    assert error.source == "bad.toml"
    assert error.key == key
    assert "\n" not in str(error)


def test_valid_template_loads():
    theory = symequiv.loads(VALID, source="bad.toml")

    assert theory.name == "swap"
    assert theory.network.widths == (2, 2, 2)


# -- syntax and structure --------------------------------------------------------------------


def test_malformed_toml_names_line_and_column():
    assert_rejected("[theory\nname = 1\n", TheoryError, None,
                    r"^bad\.toml: invalid TOML: .*\(at line 1, column 8\)$")


@pytest.mark.parametrize("text", [
    pytest.param(edit('name = "swap"', 'description = "no name"'), id="name-missing"),
    pytest.param(edit('name = "swap"', 'name = ""'), id="name-empty"),
    pytest.param(edit('name = "swap"', 'name = "   "'), id="name-blank"),
    pytest.param(edit('name = "swap"', "name = 3"), id="name-integer"),
])
def test_theory_name_must_be_nonempty(text):
    assert_rejected(text, TheoryError, "theory.name", exactly("theory.name: expected a "
                                                             "non-empty string"))


def test_missing_theory_table():
    text = edit('[theory]\nname = "swap"\n', "")

    assert_rejected(text, TheoryError, "theory", exactly("theory: missing table"))


def test_theory_table_must_be_table():
    text = edit('[theory]\nname = "swap"\n', 'theory = "swap"\n')

    assert_rejected(text, TheoryError, "theory", exactly("theory: expected a table, got str"))


def test_unknown_top_level_table():
    assert_rejected(VALID + "\n[extra]\nx = 1\n", TheoryError, "top level",
                    exactly("top level: unknown key(s) ['extra']; allowed: ['expect', 'group', "
                            "'model', 'parameters', 'search', 'theory']"))


@pytest.mark.parametrize("text, key, message", [
    pytest.param(edit('name = "swap"', 'name = "swap"\nauthor = "x"'), "theory",
                 "unknown key(s) ['author']; allowed: ['description', 'format', 'name']",
                 id="theory"),
    pytest.param(edit('generators = ["s"]', 'generators = ["s"]\norder = 2'), "group",
                 "unknown key(s) ['order']; allowed: ['generators', 'input', 'output', "
                 "'relations']", id="group"),
    pytest.param(edit(INPUT_ACTION, INPUT_ACTION + "\nr = [[1, 0], [0, 1]]"), "group.input",
                 "unknown key(s) ['r']; allowed: ['s']", id="group-input"),
    pytest.param(edit(OUTPUT_ACTION, OUTPUT_ACTION + "\nr = [[1, 0], [0, 1]]"),
                 "group.output", "unknown key(s) ['r']; allowed: ['s']", id="group-output"),
    pytest.param(edit(ACTIVATION, ACTIVATION + "\ndropout = 0"), "model",
                 "unknown key(s) ['dropout']; allowed: ['activation', 'architecture', 'bias', "
                 "'widths']", id="model"),
    pytest.param(edit(B1, B1 + "\nc1 = [0, 0]"), "parameters",
                 "unknown parameter(s) ['c1']; expected ['W1', 'b1', 'W2', 'b2']",
                 id="parameters"),
    pytest.param(VALID + "\n[expect]\nequivariant = true\n", "expect",
                 f"unknown key(s) ['equivariant'] (did you mean 'layerwise_equivariant'?); "
                 f"allowed: {PROPERTIES}", id="expect"),
])
def test_unknown_key_in_table(text, key, message):
    assert_rejected(text, TheoryError, key, exactly(f"{key}: {message}"))


def test_unknown_key_in_action_form():
    text = with_input_action("{ permutation = [1, 0], sign = 1 }")

    assert_rejected(text, InputError, "group.input.s",
                    exactly("group.input.s: the input action of s: unknown key(s) ['sign']; "
                            "this form takes ['permutation']"))


def test_unknown_key_in_activation_table():
    text = with_activation("{ power = 3, offset = 1 }")

    assert_rejected(text, InputError, "model.activation",
                    exactly("model.activation: invalid activation {'power': 3, 'offset': 1}; "
                            f"expected a name or one of {ACTIVATION_FORMS}"))


def test_unsupported_format_version():
    text = edit('name = "swap"', 'name = "swap"\nformat = 2')

    assert_rejected(text, TheoryError, "theory.format",
                    exactly("theory.format: only format 1 is supported"))


def test_unknown_architecture():
    text = edit(ACTIVATION, ACTIVATION + '\narchitecture = "cnn"')

    assert_rejected(text, TheoryError, "model.architecture",
                    exactly("model.architecture: unknown architecture 'cnn'; expected one of "
                            "['mlp', 'attention', 'conv', 'deepsets'] or a layers list"))


@pytest.mark.parametrize("text, key, message", [
    pytest.param(VALID + "\n[expect]\nidentifiable = 1\n", "expect.identifiable",
                 "expected true or false", id="expect-integer"),
    pytest.param(VALID + '\n[expect]\nidentifiable = "yes"\n', "expect.identifiable",
                 "expected true or false", id="expect-string"),
    pytest.param(edit(ACTIVATION, ACTIVATION + "\nbias = 1"), "model.bias",
                 "expected true or false", id="bias-integer"),
])
def test_boolean_keys_reject_other_types(text, key, message):
    assert_rejected(text, TheoryError, key, exactly(f"{key}: {message}"))


# -- widths and shapes --------------------------------------------------------------------------

WIDTHS_LIST = "model.widths: expected a list of at least two integers [d_0, ..., d_L]"
WIDTHS_RANGE = "model.widths: every width must be between 1 and 65536"


@pytest.mark.parametrize("widths, message", [
    pytest.param("3", WIDTHS_LIST, id="not-a-list"),
    pytest.param("[2]", WIDTHS_LIST, id="too-short"),
    pytest.param("[]", WIDTHS_LIST, id="empty"),
    pytest.param('[2, "2", 2]', WIDTHS_LIST, id="string-entry"),
    pytest.param("[2, 2.0, 2]", WIDTHS_LIST, id="float-entry"),
    pytest.param("[2, true, 2]", WIDTHS_LIST, id="boolean-entry"),
    pytest.param("[2, 0, 2]", WIDTHS_RANGE, id="zero"),
    pytest.param("[2, -1, 2]", WIDTHS_RANGE, id="negative"),
    pytest.param("[2, 100000, 2]", WIDTHS_RANGE, id="huge"),
    pytest.param("[" + ", ".join(["1"] * 66) + "]",
                 "model.widths: at most 64 layers are supported", id="too-deep"),
])
def test_invalid_widths(widths, message):
    text = edit("widths = [2, 2, 2]", f"widths = {widths}")

    assert_rejected(text, TheoryError, "model.widths", exactly(message))


@pytest.mark.parametrize("old, new, key, message", [
    pytest.param("W1 = [[1, 2], [2, 1]]", "W1 = [[1, 2]]", "parameters.W1",
                 "expected 2 rows of 2 numbers (widths = [2, 2, 2]), got 1 rows",
                 id="W1-row-count"),
    pytest.param("W2 = [[1, 0], [0, 1]]", "W2 = [[1, 0], [0, 1], [1, 1]]", "parameters.W2",
                 "expected 2 rows of 2 numbers (widths = [2, 2, 2]), got 3 rows",
                 id="W2-row-count"),
    pytest.param("W1 = [[1, 2], [2, 1]]", "W1 = [[1, 2], [2, 1, 3]]", "parameters.W1[1]",
                 "expected a row of 2 numbers (widths = [2, 2, 2]), got 3",
                 id="W1-row-length"),
    pytest.param("W1 = [[1, 2], [2, 1]]", "W1 = [1, 2]", "parameters.W1[0]",
                 "expected a row of 2 numbers (widths = [2, 2, 2]), got int",
                 id="W1-flat-list"),
    pytest.param("W1 = [[1, 2], [2, 1]]", 'W1 = "identity"', "parameters.W1",
                 "expected 2 rows of 2 numbers (widths = [2, 2, 2]), got str",
                 id="W1-string"),
    pytest.param(B1, "b1 = [0, 0, 0]", "parameters.b1",
                 "expected a vector of 2 numbers (widths = [2, 2, 2]), got 3",
                 id="b1-length"),
    pytest.param(B1, "b1 = [[0], 0]", "parameters.b1",
                 "expected a vector of 2 numbers (widths = [2, 2, 2]), got 2",
                 id="b1-nested"),
])
def test_parameter_shape_disagrees_with_widths(old, new, key, message):
    assert_rejected(edit(old, new), ShapeError, key, exactly(f"{key}: {message}"))


@pytest.mark.parametrize("removed, key, message", [
    pytest.param("W2 = [[1, 0], [0, 1]]\n", "parameters.W2",
                 "missing; expected a 2 x 2 matrix (widths = [2, 2, 2])", id="W2"),
    pytest.param("b1 = [0, 0]\n", "parameters.b1",
                 "missing; expected a vector of 2 numbers (widths = [2, 2, 2])", id="b1"),
])
def test_missing_parameter(removed, key, message):
    assert_rejected(edit(removed, ""), TheoryError, key, exactly(f"{key}: {message}"))


def test_missing_parameters_table():
    text = edit("[parameters]\n" + PARAMETERS, "")

    assert_rejected(text, TheoryError, "parameters", exactly("parameters: missing table"))


def test_extra_parameter():
    text = edit("b2 = [0, 0]", "b2 = [0, 0]\nW3 = [[1, 0], [0, 1]]")

    assert_rejected(text, TheoryError, "parameters",
                    exactly("parameters: unknown parameter(s) ['W3']; expected ['W1', 'b1', "
                            "'W2', 'b2']"))


def test_bias_given_when_bias_false():
    text = edit(ACTIVATION, ACTIVATION + "\nbias = false")
    text = edit("b2 = [0, 0]\n", "", text)

    assert_rejected(text, TheoryError, "parameters",
                    exactly("parameters: unknown parameter(s) ['b1'] (the model has bias = "
                            "false); expected ['W1', 'W2']"))


def test_weights_file_that_does_not_exist(tmp_path):
    source = tmp_path / "bad.toml"
    text = edit(PARAMETERS, 'file = "weights.npz"\n')

    with pytest.raises(InputError, match=r"bad\.toml: parameters\.file: .*weights\.npz: cannot "
                                         r"read the weights file: it does not exist$") as info:
        symequiv.loads(text, source=str(source))
    assert info.value.source == str(source)
    assert info.value.key == "parameters.file"


# -- the group -------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["input", "output"])
def test_singular_generator_matrix(side):
    text = edit(f"[group.{side}]\ns = [[0, 1], [1, 0]]", f"[group.{side}]\ns = [[1, 1], [1, 1]]")

    assert_rejected(text, GroupError, f"group.{side}.s",
                    exactly(f"group.{side}.s: the {side} action of s: the matrix is singular "
                            "(rank 1 < 2), so it cannot act as a group element"))


@pytest.mark.parametrize("value, message", [
    pytest.param("[[0, 1, 0], [1, 0, 0]]", "row 0 has 3 entries; expected 2", id="wide"),
    pytest.param("[[0, 1], [1, 0], [1, 1]]",
                 "expected a 2 x 2 matrix (a list of 2 rows)", id="tall"),
])
def test_non_square_generator_matrix(value, message):
    assert_rejected(with_input_action(value), ShapeError, "group.input.s",
                    exactly(f"group.input.s: the input action of s: {message}"))


@pytest.mark.parametrize("side, value, message", [
    pytest.param("input", "[[1]]", "expected a 2 x 2 matrix (a list of 2 rows)",
                 id="input-matrix-1x1"),
    pytest.param("input", "{ permutation = [1, 2, 0] }",
                 "the action has dimension 3 but the space has dimension 2",
                 id="input-permutation-3"),
    pytest.param("output", '{ image = [3, 3], flip = "horizontal" }',
                 "the action has dimension 9 but the space has dimension 2",
                 id="output-image-3x3"),
    pytest.param("output", "{ shift = 1, size = 3 }",
                 "a shift of 3 positions needs a dimension divisible by 3, got 2",
                 id="output-shift-3"),
])
def test_action_of_wrong_dimension(side, value, message):
    text = edit(f"[group.{side}]\ns = [[0, 1], [1, 0]]", f"[group.{side}]\ns = {value}")

    assert_rejected(text, ShapeError, f"group.{side}.s",
                    exactly(f"group.{side}.s: the {side} action of s: {message}"))


@pytest.mark.parametrize("relations, output, side, word", [
    pytest.param('["s"]', "[[0, 1], [1, 0]]", "input", "s", id="input-fails"),
    pytest.param('["s^3"]', "[[0, 1], [1, 0]]", "input", "s^3", id="odd-power"),
    pytest.param('["s^2"]', '{ monomial = [[1, 2], [0, 2]] }', "output", "s^2",
                 id="output-fails"),
])
def test_relation_not_satisfied(relations, output, side, word):
    text = edit('relations = ["s^2"]', f"relations = {relations}")
    text = edit(OUTPUT_ACTION, f"[group.output]\ns = {output}", text)

    assert_rejected(text, GroupError, "group.relations",
                    exactly(f"group.relations: the relation {word} does not hold for the "
                            f"{side} action: the product is not the identity"))


def test_relation_with_unknown_generator():
    text = edit('relations = ["s^2"]', 'relations = ["s^2", "r s"]')

    assert_rejected(text, InputError, "group.relations[1]",
                    exactly("group.relations[1]: the word 'r s' uses 'r', which is not a "
                            "generator (generators: s)"))


@pytest.mark.parametrize("generators, message", [
    pytest.param('["s", "s"]', "generator names must be distinct", id="duplicate"),
    pytest.param('["1s"]', "'1s' is not a valid name (letters, digits and underscores, not "
                 "starting with a digit)", id="leading-digit"),
    pytest.param('["a.b"]', "'a.b' is not a valid name (letters, digits and underscores, not "
                 "starting with a digit)", id="dotted"),
    pytest.param('[""]', "'' is not a valid name (letters, digits and underscores, not "
                 "starting with a digit)", id="empty"),
    pytest.param('["e"]', '"e" is reserved for the identity word; choose another generator '
                 "name", id="reserved-e"),
    pytest.param("[1]", "expected a non-empty list of generator names", id="integer"),
    pytest.param("[]", "expected a non-empty list of generator names", id="none"),
    pytest.param('"s"', "expected a non-empty list of generator names", id="string"),
])
def test_invalid_generator_names(generators, message):
    text = edit('generators = ["s"]', f"generators = {generators}")

    assert_rejected(text, TheoryError, "group.generators",
                    exactly(f"group.generators: {message}"))


def test_missing_action_of_generator():
    text = edit(INPUT_ACTION, "[group.input]")

    assert_rejected(text, TheoryError, "group.input.s",
                    exactly("group.input.s: missing the input action of generator s"))


def test_action_with_free_symbol():
    text = with_input_action('[["a", 1], [1, 0]]')

    assert_rejected(text, TheoryError, "group.input.s",
                    exactly("group.input.s: group actions must be constant; a contains a free "
                            "symbol"))


@pytest.mark.parametrize("value, kind, message", [
    pytest.param('"swap"', InputError, "unknown action 'swap'; expected one of: ",
                 id="unknown-name"),
    pytest.param("{ permutation = [0, 0] }", GroupError,
                 "permutation images must be a permutation of 0..1; missing [1]",
                 id="permutation-repeats"),
    pytest.param("{ signed_permutation = [[1, 2], [0, 1]] }", InputError,
                 "signs of a signed permutation must be 1 or -1", id="sign-two"),
    pytest.param("{ monomial = [[1, 0], [0, 1]] }", GroupError,
                 "a monomial scale is zero, so the map is singular", id="monomial-zero"),
    pytest.param("{ permutation = [1, 0], shift = 1 }", InputError,
                 "expected exactly one of the keys ['image', 'matrix', 'monomial', "
                 "'permutation', 'reflection', 'shift', 'signed_permutation'], got "
                 "['permutation', 'shift']", id="two-forms"),
    pytest.param("{ shift = 1 }", InputError,
                 "a cyclic shift needs 'size', the number of positions", id="shift-no-size"),
])
def test_invalid_action_form(value, kind, message):
    assert_rejected(with_input_action(value), kind, "group.input.s",
                    "^" + re.escape(f"bad.toml: group.input.s: the input action of s: {message}"))


def test_reflection_along_zero_vector():
    assert_rejected(with_input_action("{ reflection = [0, 0] }"), GroupError, "group.input.s",
                    exactly("group.input.s: the input action of s: the reflection normal "
                            "[0, 0] is the zero vector"))


# -- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry, name", [
    pytest.param("nan", "nan", id="nan"),
    pytest.param("inf", "inf", id="inf"),
    pytest.param("-inf", "-inf", id="minus-inf"),
])
def test_non_finite_float_parameter(entry, name):
    assert_rejected(with_b1(entry), TheoryError, "parameters.b1[0]",
                    exactly(f"parameters.b1[0]: {name} is not a finite number"))


def test_float_parameter_asks_for_exact_string():
    assert_rejected(with_b1("0.5"), ExpressionError, "parameters.b1[0]",
                    exactly('parameters.b1[0]: the float 0.5 is not exact; write the number as '
                            'a string such as "1/2"'))


def test_float_in_action_asks_for_exact_string():
    assert_rejected(with_input_action("[[0, 1.0], [1, 0]]"), ExpressionError, "group.input.s",
                    exactly('group.input.s: the input action of s: row 0: the float 1.0 is not '
                            'exact; write the number as a string such as "1"'))


@pytest.mark.parametrize("entry", ['"nan"', '"inf"', '"NaN"', '"Infinity"', '"oo"'])
def test_non_finite_name_is_not_a_number(entry):
    name = entry.strip('"')

    assert_rejected(with_b1(entry), ExpressionError, "parameters.b1[0]",
                    exactly(f"parameters.b1[0]: '{name}' is not a finite number, so it is "
                            f"neither a value nor a free symbol at '{name}' (position 0) in "
                            f"'{name}'"))


@pytest.mark.parametrize("entry, message", [
    pytest.param("true", "expected a number, got the boolean True", id="boolean"),
    pytest.param("{ a = 1 }", "expected an integer or a string, got dict", id="table"),
    pytest.param("1979-05-27", "expected an integer or a string, got date", id="date"),
    pytest.param('""', "the expression is empty", id="empty-string"),
    pytest.param('"1/0"', "division by zero at '/' (position 1) in '1/0'", id="division-by-zero"),
    pytest.param('"sqrt(-1)"', "sqrt of the negative number -1 at 'sqrt' (position 0) in "
                 "'sqrt(-1)'", id="sqrt-negative"),
    pytest.param('"cos(1)"', "cos takes a rational multiple of pi, got 1 at 'cos' (position 0) "
                 "in 'cos(1)'", id="cos-not-rational-pi"),
    pytest.param('"x"', f"'x' {NOT_A_SYMBOL} at 'x' (position 0) in 'x'",
                 id="reserved-symbol"),
])
def test_invalid_number_entry(entry, message):
    assert_rejected(with_b1(entry), ExpressionError, "parameters.b1[0]",
                    exactly(f"parameters.b1[0]: {message}"))


@pytest.mark.parametrize("entry, message", [
    pytest.param('''"__import__('os')"''',
                 "unexpected character \"'\" at position 11 in \"__import__('os')\"",
                 id="dunder-import"),
    pytest.param('"os.system"', "unexpected character '.' at position 2 in 'os.system'",
                 id="os-system"),
    pytest.param('"a.b"', "unexpected character '.' at position 1 in 'a.b'", id="attribute"),
    pytest.param('"exec(1)"', "unknown function 'exec' (allowed: cos, sin, sqrt) at 'exec' "
                 "(position 0) in 'exec(1)'", id="exec-call"),
    pytest.param('"__class__"', f"'__class__' {NOT_A_SYMBOL} at '__class__' "
                 "(position 0) in '__class__'", id="dunder-name"),
    pytest.param('"a[0]"', "unexpected character '[' at position 1 in 'a[0]'", id="subscript"),
])
def test_code_in_number_is_rejected(entry, message):
    assert_rejected(with_b1(entry), ExpressionError, "parameters.b1[0]",
                    exactly(f"parameters.b1[0]: {message}"))


def test_number_string_with_300_digits():
    assert_rejected(with_b1(f'"{"9" * 300}"'), LimitError, "parameters.b1[0]",
                    "^" + re.escape("bad.toml: parameters.b1[0]: the number 99999999999999999999"
                                    "... in '") + ".*" + re.escape("'... has 300 digits; at most "
                                                                   "200 are accepted") + "$")


def test_300_digit_integer_names_key():
    assert_rejected(with_b1("9" * 300), LimitError, "parameters.b1[0]",
                    exactly("parameters.b1[0]: the integer has more than 200 digits"))


def test_300_digit_integer_in_action():
    assert_rejected(with_input_action(f"[[0, {'9' * 300}], [1, 0]]"), LimitError,
                    "group.input.s",
                    exactly("group.input.s: the input action of s: row 0: the integer has more "
                            "than 200 digits"))


def test_power_with_large_exponent():
    assert_rejected(with_b1('"2^1000"'), LimitError, "parameters.b1[0]",
                    exactly("parameters.b1[0]: the exponent '1000' in '2^1000' exceeds 64 in "
                            "absolute value"))


def test_nested_powers_past_digit_bound():
    """Each exponent is within bounds, but the value has 78,914 digits."""
    text = with_b1('"((2^64)^64)^64"')

    assert_rejected(text, LimitError, "parameters.b1[0]",
                    exactly("parameters.b1[0]: '((2^64)^64)^64' evaluates to a number with more "
                            "than 2000 digits"))


@pytest.mark.parametrize("old, new", [
    pytest.param(B1, f"b1 = [{'9' * 5000}, 0]", id="parameter"),
    pytest.param("widths = [2, 2, 2]", f"widths = [2, {'9' * 5000}, 2]", id="width"),
])
def test_integer_literal_with_5000_digits(old, new):
    with pytest.raises(InputError, match=r"^bad\.toml: .*digits") as info:
        symequiv.loads(edit(old, new), source="bad.toml")
    assert info.value.source == "bad.toml"


def test_deeply_nested_expression():
    entry = '"' + "(" * 45 + "1" + ")" * 45 + '"'

    with pytest.raises(LimitError, match=r"^bad\.toml: parameters\.b1\[0\]: .* nests deeper "
                                         r"than 40 levels$"):
        symequiv.loads(with_b1(entry), source="bad.toml")


# -- activations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, message", [
    pytest.param('"swish"', f"unknown activation 'swish'; expected one of {NAMED_ACTIVATIONS} "
                 f"or a table {ACTIVATION_FORMS}", id="unknown-name"),
    pytest.param('"leaky_relu"', 'leaky_relu needs its negative slope: { leaky_relu = "1/10" }',
                 id="leaky-relu-without-slope"),
    pytest.param("{ power = 0 }", "the power must be a positive integer, got 0", id="power-0"),
    pytest.param("{ power = 1000 }", "the power 1000 exceeds the maximum 32", id="power-1000"),
    pytest.param('{ leaky_relu = "sqrt(2)" }', "the leaky_relu slope must be rational, got "
                 "sqrt(2)", id="irrational-slope"),
    pytest.param("{ expression = 3 }", "an expression activation must be a string in t",
                 id="expression-not-string"),
    pytest.param("3", f"invalid activation 3; expected a name or one of {ACTIVATION_FORMS}",
                 id="integer"),
])
def test_invalid_activation(value, message):
    assert_rejected(with_activation(value), InputError, "model.activation",
                    exactly(f"model.activation: {message}"))


@pytest.mark.parametrize("formula, message", [
    pytest.param("t + y", "unknown name 'y'; the only variable is t at 'y' (position 4) in "
                 "'t + y'", id="unknown-name"),
    pytest.param("foo(t)", "unknown function 'foo' (allowed: abs, atan, cos, cosh, erf, exp, "
                 "log, max, min, sin, sinh, sqrt, tanh) at 'foo' (position 0) in 'foo(t)'",
                 id="unknown-function"),
    pytest.param("t.real", "unexpected character '.' at position 1 in 't.real'",
                 id="attribute"),
    pytest.param("__import__('os')", "unexpected character \"'\" at position 11 in "
                 "\"__import__('os')\"", id="dunder-import"),
    pytest.param("1", "the activation does not depend on t at the end in '1'", id="constant"),
])
def test_invalid_expression_activation(formula, message):
    text = with_activation(f'{{ expression = "{formula}" }}')

    assert_rejected(text, ExpressionError, "model.activation",
                    exactly(f"model.activation: {message}"))


@pytest.mark.parametrize("old, new, key, message", [
    pytest.param(ACTIVATION, 'activation = ["tanh", "relu"]', "model.activation",
                 "expected 1 activations (one per hidden layer), got 2", id="two-for-one"),
    pytest.param(ACTIVATION, "", "model.activation",
                 "missing; expected an activation or a list of 1", id="missing"),
    pytest.param(ACTIVATION, 'activation = ["tnh"]', "model.activation[0]",
                 f"unknown activation 'tnh'; expected one of {NAMED_ACTIVATIONS} or a table "
                 f"{ACTIVATION_FORMS}", id="list-entry-unknown"),
])
def test_wrong_activation_count_or_entry(old, new, key, message):
    kind = InputError if key.endswith("]") else TheoryError

    assert_rejected(edit(old, new), kind, key, exactly(f"{key}: {message}"))


def test_activation_without_hidden_layer():
    text = edit("widths = [2, 2, 2]", "widths = [2, 2]")

    assert_rejected(text, TheoryError, "model.activation",
                    exactly("model.activation: a network without hidden layers takes no "
                            "activation"))


# -- files -----------------------------------------------------------------------------------------


def test_file_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.toml"

    with pytest.raises(TheoryError, match=exactly_path(path, "cannot read the file: No such "
                                                             "file or directory")):
        symequiv.load(path)


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(TheoryError, match=exactly_path(tmp_path, "cannot read the file: Is a "
                                                                 "directory")):
        symequiv.load(tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[theory]\nname = "caf\xe9"\n')

    with pytest.raises(TheoryError, match=exactly_path(path, "the file is not UTF-8 text "
                                                             "(invalid continuation byte)")):
        symequiv.load(path)


def test_load_error_names_path(tmp_path):
    path = tmp_path / "widths.toml"
    path.write_text(edit("widths = [2, 2, 2]", "widths = [2, 0, 2]"), encoding="utf-8")

    with pytest.raises(TheoryError, match=exactly_path(path, "model.widths: every width must be "
                                                             "between 1 and 65536")) as info:
        symequiv.load(path)
    assert info.value.source == str(path)
    assert info.value.key == "model.widths"

