"""``symequiv check``: the derive -> certificate -> check round trip and its exit status."""

from __future__ import annotations

import json

import pytest

from symequiv.cli.main import main
from tests.certificates import EXACT, FLOAT
from tests.cli.runner import THEORIES, run_symequiv


def run_in_process(capsys, *arguments):
    status = main(list(map(str, arguments)))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", EXACT)
def test_round_trip_accepted(capsys, tmp_path, name):
    certificate = tmp_path / f"{name}.json"

    run_in_process(capsys, "derive", THEORIES / f"{name}.toml", "--certificate", certificate)
    status, out, err = run_in_process(capsys, "check", certificate)

    assert status == 0, err
    assert err == ""
    assert out.splitlines()[0].startswith(f"{name}  ({certificate}): accepted by the kernel; ")


def test_tanh_swap_output(capsys, tmp_path):
    certificate = tmp_path / "tanh-swap.json"
    run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml", "--certificate", certificate)

    status, out, _ = run_in_process(capsys, "check", certificate)

    assert status == 0
    assert out.splitlines() == [
        f"tanh-swap  ({certificate}): accepted by the kernel; 4 of 4 verdicts re-checked",
        "  certified: end_to_end_equivariant, identifiable, layerwise_equivariant, "
        "layerwise_after_reparameterization",
        "  not certified: none",
        "  [checked] end_to_end_equivariant (claimed true): proved",
        "      latent actions at theta re-checked",
        "  [checked] identifiable (claimed true): proved",
        "      Sussmann (1992) re-checked",
        "  [checked] layerwise_equivariant (claimed true): proved",
        "      latent actions at theta re-checked",
        "  [checked] layerwise_after_reparameterization (claimed true): proved",
        "      latent actions at theta re-checked",
    ]


def test_derive_reports_written_certificate(capsys, tmp_path):
    certificate = tmp_path / "out.json"

    status, out, _ = run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml",
                                    "--certificate", certificate)

    assert status == 0
    assert out.splitlines()[-1] == f"certificate written to {certificate}"
    assert json.loads(certificate.read_text())["version"] == 1


def test_json_output(capsys, tmp_path):
    certificate = tmp_path / "gelu.json"
    run_in_process(capsys, "derive", THEORIES / "gelu-bypass.toml", "--certificate", certificate)

    status, out, _ = run_in_process(capsys, "check", "--json", certificate)

    data = json.loads(out)
    assert status == 0
    assert data["accepted"] is True
    assert [result["certified"] for result in data["results"]] == [False, False, True, False]


def test_tampered_certificate_exits_1(tmp_path):
    certificate = tmp_path / "tanh-swap.json"
    run_symequiv("derive", "theories/tanh-swap.toml", "--certificate", certificate)
    data = json.loads(certificate.read_text())
    data["network"]["parameters"]["b1"][0] = "1"
    certificate.write_text(json.dumps(data))

    result = run_symequiv("check", certificate)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"symequiv: rejected: {certificate}: latent_actions.theta, generator s, layer f_1: "
        "neuron 2 of the moved layer is not 1 times neuron 1"]


def test_unsupported_certificate_exits_1(capsys, tmp_path):
    certificate = tmp_path / "c.json"
    run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml", "--certificate", certificate)
    data = json.loads(certificate.read_text())
    data["version"] = 7
    certificate.write_text(json.dumps(data))

    status, _, err = run_in_process(capsys, "check", certificate)

    assert status == 1
    assert err == (f"symequiv: unsupported: {certificate}: version: unsupported by the kernel: "
                   "certificate version 7; this kernel reads 1\n")


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "invalid JSON: Expecting property name enclosed in double quotes"),
    ("[1, 2]", "format: not a symequiv certificate"),
    ('{"a": Infinity}', "invalid JSON: Infinity is not an exact number"),
    ("[" * 100000 + "]" * 100000, "invalid JSON: maximum recursion depth exceeded"),
])
def test_bad_file_exits_2(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)

    result = run_symequiv("check", path)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"symequiv: error: {path}: ")
    assert message in result.stderr


def test_missing_file_exits_2(capsys, tmp_path):
    status, _, err = run_in_process(capsys, "check", tmp_path / "absent.json")

    assert status == 2
    assert err == (f"symequiv: error: {tmp_path / 'absent.json'}: cannot read the file: "
                   "No such file or directory\n")


def test_conv_output_names_expansion(capsys, tmp_path):
    certificate = tmp_path / "conv.json"
    run_in_process(capsys, "derive", THEORIES / "conv-dihedral.toml", "--certificate",
                   certificate)

    status, out, _ = run_in_process(capsys, "check", certificate)

    assert status == 0
    assert out.splitlines()[:4] == [
        f"conv-dihedral  ({certificate}): accepted by the kernel; 2 of 4 verdicts re-checked",
        "  certified: end_to_end_equivariant, layerwise_equivariant",
        "  not certified: identifiable, layerwise_after_reparameterization",
        "  the kernel checked the dense expansion of the conv layers; that the expansion "
        "equals the layers is trusted",
    ]


def test_attention_output_says_nothing_certified(capsys, tmp_path):
    certificate = tmp_path / "mixed.json"
    run_in_process(capsys, "derive", THEORIES / "layers-mixed.toml", "--certificate",
                   certificate)

    status, out, _ = run_in_process(capsys, "check", certificate)

    assert status == 0
    assert out.splitlines()[:8] == [
        f"layers-mixed  ({certificate}): accepted by the kernel; 0 of 4 verdicts re-checked",
        "  certified: none",
        "  not certified: end_to_end_equivariant, identifiable, layerwise_equivariant, "
        "layerwise_after_reparameterization",
        "  the kernel does not evaluate attention layers, so no verdict about this network is "
        "certified",
        "  nothing is certified: an accepted certificate proves only its checked verdicts",
        "  [not certified] end_to_end_equivariant (claimed true): proved",
        "      proved by derivation; the kernel does not evaluate attention layers, so it "
        "cannot re-check this verdict",
        "  [not certified] identifiable: unknown",
    ]


def test_attention_json_has_scope(capsys, tmp_path):
    certificate = tmp_path / "mixed.json"
    run_in_process(capsys, "derive", THEORIES / "layers-mixed.toml", "--certificate",
                   certificate)

    status, out, _ = run_in_process(capsys, "check", certificate, "--json")

    assert status == 0
    data = json.loads(out)
    assert data["scope"][0] == ("the kernel does not evaluate attention layers, so no verdict "
                                "about this network is certified")
    assert [result["certified"] for result in data["results"]] == [False] * 4


def test_strict_accepts_fully_certified(capsys, tmp_path):
    certificate = tmp_path / "tanh-swap.json"
    run_in_process(capsys, "derive", THEORIES / "tanh-swap.toml", "--certificate", certificate)

    status, _, err = run_in_process(capsys, "check", certificate, "--strict")

    assert status == 0
    assert err == ""


def test_strict_rejects_uncertified_verdicts(capsys, tmp_path):
    certificate = tmp_path / "gelu-bypass.json"
    run_in_process(capsys, "derive", THEORIES / "gelu-bypass.toml", "--certificate",
                   certificate)

    plain_status, _, _ = run_in_process(capsys, "check", certificate)
    status, out, err = run_in_process(capsys, "check", certificate, "--strict")

    assert plain_status == 0
    assert status == 1
    assert out.splitlines()[1:3] == [
        "  certified: layerwise_equivariant",
        "  not certified: end_to_end_equivariant, identifiable, "
        "layerwise_after_reparameterization",
    ]
    assert err == (f"symequiv: not certified: {certificate}: --strict requires every verdict "
                   "to be certified, but end_to_end_equivariant, identifiable, "
                   "layerwise_after_reparameterization are not\n")


def test_strict_json_exits_1_when_uncertified(capsys, tmp_path):
    certificate = tmp_path / "mixed.json"
    run_in_process(capsys, "derive", THEORIES / "layers-mixed.toml", "--certificate",
                   certificate)

    status, out, _ = run_in_process(capsys, "check", certificate, "--json", "--strict")

    assert status == 1
    assert json.loads(out)["all_certified"] is False


@pytest.mark.parametrize("option", ["--certificate", "--latex", "--lean"])
@pytest.mark.parametrize("name", FLOAT)
def test_exports_of_float_weights_rejected(capsys, tmp_path, name, option):
    status, out, err = run_in_process(capsys, "derive", THEORIES / f"{name}.toml",
                                      option, tmp_path / "out")

    assert status == 2
    assert out == ""
    assert err.startswith("symequiv: error: LaTeX, certificates and Lean files need exact "
                          "parameters, but this theory reads float weights from ")
    assert err.endswith("; run `symequiv inspect FILE --certificate OUT.json` (or --latex "
                        "OUT.tex) instead, which projects the weights, certifies the "
                        "projection exactly and exports it\n")
    assert not (tmp_path / "out").exists()
