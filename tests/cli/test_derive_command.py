"""``symequiv derive``: latent actions, the reparameterization theta* and exit status."""

from __future__ import annotations

import json

import pytest

from symequiv.cli.main import main
from tests.cli.runner import THEORIES, run_symequiv


def run_in_process(capsys, *arguments):
    """Run ``main`` and return ``(status, stdout, stderr)``."""
    status = main(list(map(str, arguments)))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_tanh_swap_prints_rho_1(capsys):
    path = THEORIES / "tanh-swap.toml"

    status, out, err = run_in_process(capsys, "derive", path)

    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[:4] == [
        f"tanh-swap  ({path})",
        "G: generators s; relations s^2; order 2",
        "network: widths [2, 4, 2], activations tanh",
        "derivation at theta: derived",
    ]
    start = lines.index("    rho_1(s) =")
    assert lines[start - 1] == "  layer 1 (tanh); K_1 = signed permutations of 4 coordinates"
    assert lines[start + 1:start + 6] == [
        "      permutation (1 2)(3 4)",
        "      [0  1  0  0]",
        "      [1  0  0  0]",
        "      [0  0  0  1]",
        "      [0  0  1  0]",
    ]
    assert "(every k_i(g) is unique)" in out
    assert "theta*" not in out


def test_tanh_swap_in_child_process():
    result = run_symequiv("derive", "theories/tanh-swap.toml")

    assert result.returncode == 0
    assert "rho_1(s) =" in result.stdout
    assert result.stderr == ""


def test_dead_neuron_prints_theta_star(capsys):
    status, out, _ = run_in_process(capsys, "derive", THEORIES / "tanh-dead-neuron.toml")

    assert status == 0
    lines = out.splitlines()
    assert "derivation at theta: no latent action" in lines
    start = lines.index("reparameterization theta* (same function):")
    assert lines[start + 1:start + 6] == [
        "  neuron 5 of layer 1 has zero outgoing weights; its incoming weights and bias were "
        "set to zero",
        "  W1 = [[1, 2], [2, 1], [1, -3], [-3, 1], [0, 0]]",
        "  b1 = [1/2, 1/2, -1, -1, 0]",
        "  W2 = [[1, 2, 3, -1, 0], [2, 1, -1, 3, 0]]",
        "  b2 = [1, 1]",
    ]
    assert lines[start + 6] == "derivation at theta*: derived"
    assert "      permutation (1 2)(3 4)" in lines


def test_gelu_bypass_has_no_latent_action(capsys):
    status, out, _ = run_in_process(capsys, "derive", THEORIES / "gelu-bypass.toml")

    assert status == 1
    lines = out.splitlines()
    assert "derivation at theta: no latent action" in lines
    assert ("  for the generator s, layer f_1: 1 neuron of the transformed layer (neuron 1) but 0 "
            "of the original layer have normalized row (0, 1, 0), exactly") in lines
    assert "rho_1(s) =" not in out


def test_gelu_bypass_in_child_process():
    result = run_symequiv("derive", "theories/gelu-bypass.toml")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_json_derivation_of_tanh_swap(capsys):
    path = THEORIES / "tanh-swap.toml"

    status, out, _ = run_in_process(capsys, "derive", "--json", path)

    assert status == 0
    data = json.loads(out)
    assert set(data) == {"name", "source", "derivation", "reparameterization",
                         "reduced_derivation"}
    assert data["name"] == "tanh-swap"
    assert data["source"] == str(path)
    derivation = data["derivation"]
    assert derivation["status"] == "derived"
    assert derivation["unique"] is True
    assert derivation["widths"] == [2, 4, 2]
    assert derivation["group_order"] == 2
    assert derivation["failure"] is None
    rho = derivation["layers"][0]["latent_actions"]["s"]
    assert rho["kind"] == "permutation"
    assert rho["cycles"] == "(1 2)(3 4)"
    assert rho["images"] == [1, 0, 3, 2]
    assert rho["translation"] is None
    assert data["reparameterization"] == {"changed": False, "verified": True, "formed": True,
                                          "blocked": [], "steps": [], "parameters": None}
    assert data["reduced_derivation"] is None


def test_json_derivation_of_dead_neuron(capsys):
    status, out, _ = run_in_process(capsys, "derive", "--json",
                                    THEORIES / "tanh-dead-neuron.toml")

    assert status == 0
    data = json.loads(out)
    assert data["derivation"]["status"] == "no latent action"
    assert data["derivation"]["failure"] == {"generator": "s", "layer": 1}
    assert data["reparameterization"]["changed"] is True
    assert data["reparameterization"]["parameters"]["W1"][4] == ["0", "0"]
    assert data["reduced_derivation"]["status"] == "derived"


def test_sigmoid_latent_action_is_affine(capsys):
    status, out, _ = run_in_process(capsys, "derive", "--json",
                                    THEORIES / "sigmoid-affine-flip.toml")

    assert status == 0
    rho = json.loads(out)["derivation"]["layers"][0]["latent_actions"]["n"]
    assert rho["kind"] == "signed permutation"
    assert rho["images"] == [0, 2, 1]
    assert rho["scales"] == ["-1", "-1", "-1"]
    assert rho["translation"] == ["1", "1", "1"]


def test_attention_swap_prints_tokens_and_heads(capsys):
    path = THEORIES / "attention-reversal-swaps-heads.toml"

    status, out, err = run_in_process(capsys, "derive", path)

    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[2] == ("network: widths [6, 6, 3], layers attention (2 heads, positional "
                        "score biases), tokenwise affine")
    start = lines.index("    rho_1(r) =")
    assert lines[start + 1:start + 5] == [
        "      tokens: permutation (1 3)",
        "      heads: permutation (1 2)",
        "      head 1 -> head 2, basis change A_1:",
        "        permutation ()",
    ]


def test_attention_json_carries_summary(capsys):
    path = THEORIES / "attention-reversal-swaps-heads.toml"

    status, out, _ = run_in_process(capsys, "derive", "--json", path)

    assert status == 0
    action = json.loads(out)["derivation"]["layers"][0]["latent_actions"]["r"]
    assert action["summary"][:2] == ["tokens: permutation (1 3)", "heads: permutation (1 2)"]
    assert action["images"] == [5, 4, 3, 2, 1, 0]


def test_deepsets_permutation_says_theorem_does_not_apply(capsys):
    path = THEORIES / "deepsets-permutation.toml"

    status, out, err = run_in_process(capsys, "derive", path)

    assert status == 1
    assert err == ""
    lines = out.splitlines()
    assert lines[3] == "derivation at theta: theorem does not apply"
    assert lines[4].startswith("  the theorem does not apply: adjunction fails for the generator "
                               "s at layer f_1: a Deep Sets layer commutes with every permutation")
def test_latex_options_write_files(capsys, tmp_path):
    document, body = tmp_path / "d.tex", tmp_path / "b.tex"

    status, out, err = run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml",
                                      "--latex", document, "--latex-body", body)

    assert status == 0, err
    assert out.splitlines()[-2:] == [f"LaTeX document written to {document}",
                                     f"LaTeX fragment written to {body}"]
    assert document.read_text().startswith("\\documentclass")
    assert body.read_text().startswith("% The derivation of tanh-swap")


def test_latex_max_dimension_turns_off_elision(capsys, tmp_path):
    default, full = tmp_path / "default.tex", tmp_path / "full.tex"

    run_in_process(capsys, "derive", THEORIES / "conv-circular-translation.toml",
                   "--latex", default)
    status, _, err = run_in_process(capsys, "derive", THEORIES / "conv-circular-translation.toml",
                                    "--latex", full, "--latex-max-dimension", "1000")

    assert status == 0, err
    assert "elided" in default.read_text()
    assert "elided" not in full.read_text()
    assert r"\cdots" not in full.read_text()


@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_latex_max_dimension_must_be_positive(capsys, tmp_path, value):
    with pytest.raises(SystemExit) as info:
        main(["derive", str(THEORIES / "tanh-swap.toml"), "--latex", str(tmp_path / "x.tex"),
              "--latex-max-dimension", value])
    err = capsys.readouterr().err

    assert info.value.code == 2
    assert err == ("symequiv: error: argument --latex-max-dimension: expected a positive "
                   f"integer, got '{value}'; see 'symequiv derive --help'\n")
    assert not (tmp_path / "x.tex").exists()


def test_refuted_network_exits_1_though_claims_hold(capsys):
    # derive reports whether latent actions exist, not whether the claims hold.
    derive_status, _, _ = run_in_process(capsys, "derive", THEORIES / "tanh-not-equivariant.toml")
    verify_status, _, _ = run_in_process(capsys, "verify", THEORIES / "tanh-not-equivariant.toml")

    assert derive_status == 1
    assert verify_status == 0


def test_lean_option_writes_file(capsys, tmp_path):
    path = tmp_path / "out.lean"

    status, out, _ = run_in_process(capsys, "derive", THEORIES / "linear-swap.toml",
                                    "--lean", path)

    assert status == 0
    assert out.splitlines()[-1] == f"Lean statements written to {path}"
    assert "namespace Symequiv.LinearSwap" in path.read_text()


def test_unwritable_output_exits_2(capsys, tmp_path):
    target = tmp_path / "missing" / "out.tex"

    status, out, err = run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml",
                                      "--latex", target)

    assert status == 2
    assert out == ""
    assert err == f"symequiv: error: {target}: cannot write the LaTeX file: No such file or " \
                  "directory\n"


def test_lean_of_irrational_theory_exits_2(capsys, tmp_path):
    source = tmp_path / "radical.toml"
    source.write_text((THEORIES / "tanh-swap.toml").read_text().replace(
        'b1 = ["1/2", "1/2", -1, -1]', 'b1 = ["sqrt(2)", "sqrt(2)", -1, -1]'))

    status, _, err = run_in_process(capsys, "derive", source, "--lean", tmp_path / "x.lean")

    assert status == 2
    assert err.startswith("symequiv: error: Lean export needs rational numbers or free symbols")
