"""``symequiv identify``: text and JSON reports, exit statuses and bad input."""

from __future__ import annotations

import json
import pathlib

import pytest

from symequiv.cli.main import main
from tests.cli.runner import THEORIES, run_symequiv


def run_in_process(capsys, *arguments):
    status = main(list(map(str, arguments)))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name, status, line", [
    ("tanh-swap", 0, "identifiable: proved by Sussmann (1992)"),
    ("gelu-swap", 0, "identifiable: proved by one-hidden-layer bypass criterion"),
    ("cubic-monomial", 0, "identifiable: proved by exact fiber (Groebner basis)"),
    ("square-invariant", 1, "identifiable: refuted by second parameter"),
    ("linear-wide", 1, "identifiable: refuted by rank criterion for linear networks"),
    ("relu-cyclic", 1, "identifiable: unknown by deep ReLU or GELU networks"),
])
def test_identify_decision_and_status(capsys, name, status, line):
    code, out, err = run_in_process(capsys, "identify", THEORIES / f"{name}.toml")

    assert code == status
    assert line in out.splitlines()
    assert err == ""


def test_identify_prints_every_section(capsys):
    _, out, _ = run_in_process(capsys, "identify", THEORIES / "sigmoid-opposite-duplicate.toml")
    lines = out.splitlines()

    assert ("  layer 1 (sigmoid): K_1 = signed permutations of 4 coordinates acting affinely (a "
            "flip sends h to 1 - h)") in lines
    assert "    affine reflection: sigma(-t) = 1 - sigma(t): proved" in lines
    assert "parameter symmetries: finite, of order 384" in lines
    assert "submodel theta~: widths [1, 3, 1]" in lines
    assert ("    (iii) no two hidden neurons have (w_j, b_j) equal up to sign: fails (neurons 1 "
            "and 4 have (w, b) equal up to sign)") in lines
    assert "weakly identifiable: proved by submodel" in lines
    assert any(line.startswith("functional dimension: 10 (numeric") for line in lines)


def test_identify_lists_orbit_on_request(capsys):
    _, out, _ = run_in_process(capsys, "identify", "--orbit", "3",
                               THEORIES / "tanh-swap.toml")

    assert "  orbit of the finite part: 3 parameters listed (more exist)" in out.splitlines()


def test_identify_json(capsys):
    code, out, _ = run_in_process(capsys, "identify", "--json", THEORIES / "cubic-monomial.toml")
    data = json.loads(out)

    assert code == 0
    assert data["identifiable"]["status"] == "proved"
    assert data["fiber"]["orbit_points"] == 2
    assert data["functional_dimension"] == {
        "rank": 10, "parameters": 12, "symmetry_dimension": 2, "expected": 10, "exact": True,
        "gap": None, "tolerance": None, "samples": None}
    assert data["criteria"][0]["criterion"] == "Sussmann (1992)"


def test_identify_missing_file_exits_2(tmp_path):
    result = run_symequiv("identify", tmp_path / "missing.toml")

    assert result.returncode == 2
    assert result.stderr.startswith("symequiv: error: ")
    assert "missing.toml: cannot read the file: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value, message", [
    ("-1", "expected a count from 0 to 1000, got -1"),
    ("many", "expected an integer, got 'many'"),
])
def test_identify_bad_orbit_count_exits_2(capsys, value, message):
    with pytest.raises(SystemExit) as raised:
        main(["identify", "--orbit", value, str(THEORIES / "tanh-swap.toml")])

    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_identify_attention_shows_decision_only(capsys):
    code, out, _ = run_in_process(capsys, "identify",
                                  str(THEORIES / "attention-reversal-swaps-heads.toml"))

    assert code == 1
    assert ("the network has attention, tokenwise layers; the detailed analysis (activation "
            "identities, parameter symmetries, criteria, functional dimension, fibers) covers "
            "multilayer perceptrons only, so only the decision is shown") in out
    assert "identifiable: unknown" in out


def test_identify_attention_json(capsys):
    code, out, _ = run_in_process(capsys, "identify", "--json",
                                  str(THEORIES / "attention-reversal-swaps-heads.toml"))
    data = json.loads(out)

    assert code == 1
    assert data["verdict"]["status"] == "unknown"
    assert data["note"].startswith("the network has attention, tokenwise layers")


def test_identify_rejects_float_weights(capsys):
    code, out, err = run_in_process(capsys, "identify", THEORIES / "tanh-mirror-float.toml")

    assert code == 2
    assert out == ""
    assert err.startswith("symequiv: error: identify decides identifiability exactly and needs "
                          "exact parameters, but this theory reads float weights from ")


def test_identify_counts_no_bias_parameters(capsys):
    path = pathlib.Path(__file__).parent / "data" / "cubic-no-bias.toml"

    _, out, _ = run_in_process(capsys, "identify", path)
    code, json_out, _ = run_in_process(capsys, "identify", "--json", path)
    data = json.loads(json_out)

    assert code == 0
    assert "network: widths [2, 2, 1], activations power(3), 6 parameters" in out.splitlines()
    assert ("    generator: scale neuron 1 by c: w_1 -> c w_1, column 1 of W2 -> c^-3 column 1 "
            "of W2, c != 0") in out.splitlines()
    assert data["parameters"] == 6
    assert data["functional_dimension"]["parameters"] == 6
    assert set(data["reduction"]["theta_star"]) == {"W1", "W2"}
