"""Bad input on the command line: exit status 2 and one error line naming file and key.

Each case writes a broken copy of ``theories/tanh-swap.toml`` and runs
``symequiv verify`` in a child process, so a traceback would show up on
standard error exactly as a user would see it.
"""

from __future__ import annotations

import subprocess

import pytest

from symequiv.cli.main import main
from tests.cli.runner import edited_theory, run_symequiv

W1 = "W1 = [[1, 2], [2, 1], [1, -3], [-3, 1]]"
B1 = 'b1 = ["1/2", "1/2", -1, -1]'
INPUT_ACTION = "[group.input]\ns = [[0, 1], [1, 0]]"


def assert_one_error_line(result, path, key, phrase):
    """Check status 2, no traceback, no report and one line ``symequiv: error: FILE: ...``."""
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    prefix = f"symequiv: error: {path}: " + (f"{key}: " if key else "")
    assert lines[0].startswith(prefix), lines[0]
    assert phrase in lines[0]


@pytest.mark.parametrize("replacements, key, phrase", [
    pytest.param([("[theory]", "[theory")], None, "invalid TOML: ", id="malformed-toml"),
    pytest.param([("[model]", "[extra]\nx = 1\n\n[model]")], "top level",
                 "unknown key(s) ['extra']", id="unknown-table"),
    pytest.param([("widths = [2, 4, 2]", "widths = [2, 0, 2]")], "model.widths",
                 "every width must be between 1 and 65536", id="zero-width"),
    pytest.param([(W1, "W1 = [[1, 2], [2, 1], [1, -3], [-3, 1, 0]]")], "parameters.W1[3]",
                 "expected a row of 2 numbers (widths = [2, 4, 2]), got 3", id="row-length"),
    pytest.param([(INPUT_ACTION, "[group.input]\ns = [[1, 1], [1, 1]]")], "group.input.s",
                 "the matrix is singular (rank 1 < 2)", id="singular-generator"),
    pytest.param([('relations = ["s^2"]', 'relations = ["s"]')], "group.relations",
                 "the relation s does not hold for the input action", id="relation-fails"),
    pytest.param([(B1, 'b1 = [nan, "1/2", -1, -1]')], "parameters.b1[0]",
                 "nan is not a finite number", id="nan"),
    pytest.param([('activation = "tanh"', 'activation = "swish"')], "model.activation",
                 "unknown activation 'swish'", id="unknown-activation"),
    pytest.param([(B1, '''b1 = ["__import__('os')", "1/2", -1, -1]''')], "parameters.b1[0]",
                 "unexpected character \"'\" at position 11", id="dunder-import"),
    pytest.param([(B1, 'b1 = ["2^1000", "1/2", -1, -1]')], "parameters.b1[0]",
                 "exceeds 64 in absolute value", id="huge-power"),
    pytest.param([(B1, f'b1 = [{"9" * 300}, "1/2", -1, -1]')], "parameters.b1[0]",
                 "the integer has more than 200 digits", id="integer-300-digits"),
    pytest.param([(B1, f'b1 = [{"9" * 5000}, "1/2", -1, -1]')], None, "digits",
                 id="integer-5000-digits"),
    pytest.param([(W1 + "\n" + B1 + "\nW2 = [[1, 2, 3, -1], [2, 1, -1, 3]]\nb2 = [1, 1]",
                   'file = "weights.npz"')], "parameters.file",
                 "weights.npz: cannot read the weights file: it does not exist", id="weights-file"),
])
def test_verify_bad_file_prints_one_line(tmp_path, replacements, key, phrase):
    path = edited_theory(tmp_path, "tanh-swap", replacements, "bad.toml")

    result = run_symequiv("verify", path)

    assert_one_error_line(result, path, key, phrase)


def test_verify_missing_file(tmp_path):
    path = tmp_path / "missing.toml"

    result = run_symequiv("verify", path)

    assert_one_error_line(result, path, None, "cannot read the file: No such file or directory")


def test_verify_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[theory]\nname = "caf\xe9"\n')

    result = run_symequiv("verify", path)

    assert_one_error_line(result, path, None, "the file is not UTF-8 text")


def test_derive_bad_file_prints_one_line(tmp_path):
    path = edited_theory(tmp_path, "tanh-swap", [("widths = [2, 4, 2]", "widths = 3")],
                         "bad.toml")

    result = run_symequiv("derive", path)

    assert_one_error_line(result, path, "model.widths",
                          "expected a list of at least two integers")


@pytest.mark.slow
def test_infinite_group_is_rejected(tmp_path):
    """The shear [[1, 1], [0, 1]] has infinite order, so enumerating G must stop at its bound."""
    shear = "s = [[1, 1], [0, 1]]"
    path = edited_theory(tmp_path, "tanh-swap", [
        ('relations = ["s^2"]\n', ""),
        ("s = [[0, 1], [1, 0]]", shear),
        ("s = [[0, 1], [1, 0]]", shear),
    ], "bad.toml")

    try:
        result = run_symequiv("verify", path, timeout=120, limit_memory=True)
    except subprocess.TimeoutExpired:
        pytest.fail("symequiv verify did not reject the infinite group within 120 seconds")

    # The message may give the order bound or name the generator of infinite order.
    assert_one_error_line(result, path, "group.generators", "infinite")


@pytest.mark.slow
def test_long_relation_word_ends_quickly(tmp_path):
    """A relation of 200 letters s^1000000 is rejected within a minute.

    Each letter is within the word bounds, but s has infinite order, so the
    relation cannot hold and its product has about 10^8 digits per entry.
    """
    word = " ".join(["s^1000000"] * 200)
    dense = "s = [[1, 1], [1, 2]]"
    path = edited_theory(tmp_path, "tanh-swap", [
        ('relations = ["s^2"]', f'relations = ["{word}"]'),
        ("s = [[0, 1], [1, 0]]", dense),
        ("s = [[0, 1], [1, 0]]", dense),
    ], "bad.toml")

    try:
        result = run_symequiv("verify", path, timeout=60, limit_memory=True)
    except subprocess.TimeoutExpired:
        pytest.fail("symequiv verify did not reject the relation within 60 seconds")

    assert_one_error_line(result, path, "group.relations", "s^1000000")


def test_in_process_bad_file_returns_2(tmp_path, capsys):
    path = edited_theory(tmp_path, "tanh-swap", [("widths = [2, 4, 2]", "widths = [2]")],
                         "bad.toml")

    status = main(["verify", str(path)])

    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err == (f"symequiv: error: {path}: model.widths: expected a list of at "
                            "least two integers [d_0, ..., d_L]\n")


# -- usage errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("arguments, message", [
    pytest.param([], "symequiv: error: the following arguments are required: COMMAND",
                 id="no-arguments"),
    pytest.param(["frobnicate"], "symequiv: error: argument COMMAND: invalid choice: "
                 "'frobnicate'", id="unknown-subcommand"),
    pytest.param(["verify", "--frobnicate", "theories/tanh-swap.toml"],
                 "symequiv: error: unrecognized arguments: --frobnicate", id="unknown-option"),
    pytest.param(["verify"], "symequiv: error: the following arguments are required: "
                 "FILE; see 'symequiv verify --help'", id="verify-without-file"),
    pytest.param(["verify", "--seed", "abc", "theories/tanh-swap.toml"],
                 "symequiv: error: argument --seed: invalid int value: 'abc'; see "
                 "'symequiv verify --help'", id="seed-not-integer"),
    pytest.param(["derive", "theories/tanh-swap.toml", "theories/linear-swap.toml"],
                 "symequiv: error: unrecognized arguments: theories/linear-swap.toml",
                 id="derive-two-files"),
])
def test_usage_error_exits_2(arguments, message):
    result = run_symequiv(*arguments)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message)
    assert result.stderr.endswith(" --help'\n")


def test_usage_error_in_process_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])

    assert info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_version_option():
    result = run_symequiv("--version")

    assert result.returncode == 0
    assert result.stdout == "symequiv 0.1.0\n"


def test_bad_layers_list_is_one_line_with_status_2(tmp_path):
    path = tmp_path / "bad-layers.toml"
    path.write_text(
        '[theory]\nname = "bad"\n[group]\ngenerators = ["s"]\n[group.input]\ns = "trivial"\n'
        '[group.output]\ns = "trivial"\n[model]\nlayers = [{ kind = "attention", tokens = 1, '
        'features = 2, heads = 1 }]\n[parameters]\n', encoding="utf-8")

    result = run_symequiv("verify", path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (f"symequiv: error: {path}: model.layers[0].tokens: expected an "
                             "integer from 2 to 65536\n")
