"""``symequiv inspect`` and ``symequiv verify`` on theories with float weights."""

from __future__ import annotations

import json

import numpy
import pytest

from symequiv.cli.main import main
from tests.cli.runner import THEORIES, run_symequiv

FLOAT_THEORY = THEORIES / "tanh-mirror-float.toml"


def run_in_process(capsys, *arguments):
    status = main(list(map(str, arguments)))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_inspect_reports_layers_and_certificate(capsys):
    status, out, err = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000",
                                      "--no-progress")

    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"tanh-mirror-float  ({FLOAT_THEORY})"
    assert lines[1] == "network: widths [16, 8, 2], activations tanh; weights stored as float32"
    layer = next(line for line in lines if line.startswith("  f_1"))
    assert "signed permutation (1 2)(3 4)(5 -6)(7 -8)" in layer
    assert layer.endswith("matched")
    assert "         chosen pairing: signed permutation (1 2)(3 4)(5 -6)(7 -8)" in lines
    assert ("runner-up: the smallest residual between any neuron and a partner other than its "
            "chosen one; margin = runner-up / match residual") in lines
    assert ("  certified: the projected network (exact rationals) is layerwise equivariant, "
            "proved by derivation") in lines


def test_inspect_json_has_metric_and_match(capsys):
    status, out, _ = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000",
                                    "--json")

    data = json.loads(out)
    layer = data["generators"][0]["layers"][0]
    assert status == 0
    assert layer["metric_error"] < 1e-10
    assert layer["nearest_element"]["images"] == [1, 0, 3, 2, 5, 4, 7, 6]
    assert layer["match"]["status"] == "matched"
    assert layer["match"]["margin"] is None
    assert data["projection"]["certified"] is True
    assert data["plots"] == []


def test_inspect_writes_plots(tmp_path, capsys):
    pytest.importorskip("matplotlib")

    status, out, _ = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "1000",
                                    "--plots", tmp_path / "plots", "--no-certify")

    assert status == 0
    names = sorted(path.name for path in (tmp_path / "plots").iterdir())
    assert names == ["errors-m.png", "filters-m.png", "maps-m.png"]
    assert f"wrote {tmp_path / 'plots' / 'maps-m.png'}" in out.splitlines()
    assert "  not certified (not requested)" in out.splitlines()


def test_inspect_of_exact_theory(capsys):
    status, out, _ = run_in_process(capsys, "inspect", THEORIES / "tanh-swap.toml", "--samples",
                                    "1000")

    assert status == 0
    assert "exact parameters, inspected as float64" in out


def test_inspect_progress_bar_goes_to_stderr(capsys):
    status, _, err = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "1000",
                                    "--progress", "--no-projection")

    assert status == 0
    assert err.startswith("\rsampling [")
    assert err.endswith("100%  " + err.rsplit("100%  ", 1)[1])


def test_inspect_rejects_wrong_image_shape(capsys):
    status, out, err = run_in_process(capsys, "inspect", FLOAT_THEORY, "--image-shape", "3",
                                      "3")

    assert status == 2
    assert out == ""
    assert err == ("symequiv: error: --image-shape 3 3 has 9 pixels but the input dimension "
                   "is 16\n")


def test_inspect_bad_weights_file_prints_one_line(tmp_path):
    numpy.savez(tmp_path / "tanh-mirror-float.npz", W1=numpy.ones((8, 3)))
    theory = tmp_path / "theory.toml"
    theory.write_text(FLOAT_THEORY.read_text(encoding="utf-8"), encoding="utf-8")

    result = run_symequiv("inspect", theory)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "has no array 'b1' for b1" in result.stderr


def test_derive_on_float_theory_exits_2(capsys):
    status, out, err = run_in_process(capsys, "derive", FLOAT_THEORY)

    assert status == 2
    assert out == ""
    assert err.startswith("symequiv: error: derive needs exact parameters")


def test_verify_float_theory_holds_unless_strict(capsys):
    status, out, _ = run_in_process(capsys, "verify", FLOAT_THEORY)
    strict_status, strict_out, _ = run_in_process(capsys, "verify", "--strict", FLOAT_THEORY)

    assert status == 0
    assert "  [ok]   layerwise_equivariant = true: numerical evidence for true by float " \
           "construction" in out.splitlines()
    assert strict_status == 1
    assert strict_out.splitlines()[-1] == "  0 of 4 claims hold"


def test_verify_tolerance_option_is_checked(capsys):
    with pytest.raises(SystemExit) as info:
        main(["verify", "--tolerance", "2", str(FLOAT_THEORY)])

    assert info.value.code == 2
    assert "argument --tolerance: expected a number between 0 and 1, got 2" in \
        capsys.readouterr().err


def test_verify_float_json_has_numeric_details(capsys):
    status, out, _ = run_in_process(capsys, "verify", "--json", FLOAT_THEORY)

    data = json.loads(out)[0]
    assert status == 0
    assert data["derivation"] is None
    assert data["numeric"]["relations"]["m"]["holds"] is True
    verdict = data["results"][0]["verdict"]
    assert verdict["status"] == "numerical evidence"
    assert verdict["observed"] is True
    assert verdict["tolerance"] == 1e-9


def test_inspect_certificate_accepted_by_check(capsys, tmp_path):
    certificate = tmp_path / "projected.json"

    status, out, err = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000",
                                      "--no-progress", "--certificate", certificate)

    assert status == 0, err
    assert out.splitlines()[-1] == (f"certificate of the projected network written to "
                                    f"{certificate}")
    status, out, err = run_in_process(capsys, "check", certificate)
    assert status == 0, err
    assert out.splitlines()[0] == (f"tanh-mirror-float-projected  ({certificate}): accepted by "
                                   "the kernel; 4 of 4 verdicts re-checked")


def test_inspect_certificate_states_projection(capsys, tmp_path):
    certificate = tmp_path / "projected.json"

    run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000", "--no-progress",
                   "--certificate", certificate)

    theory = json.loads(certificate.read_text())["theory"]
    assert theory["description"].startswith("The exact projection of the weights of "
                                            "tanh-mirror-float (from ")
    assert "not the original weights" in theory["description"]
    assert theory["projection"]["samples"] == 2000
    assert theory["projection"]["distance"] == 0.0
    assert theory["projection"]["snapped_latent_actions"][0]["m"]["images"] == [
        1, 0, 3, 2, 5, 4, 7, 6]


def test_inspect_latex_written(capsys, tmp_path):
    document = tmp_path / "projected.tex"

    status, out, _ = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000",
                                    "--no-progress", "--latex", document)

    assert status == 0
    assert out.splitlines()[-1] == (f"LaTeX derivation of the projected network written to "
                                    f"{document}")
    text = document.read_text()
    assert "\\begin{document}" in text
    assert "The exact projection of the weights of tanh-mirror-float" in text


@pytest.mark.parametrize("option", ["--no-projection", "--no-certify"])
def test_inspect_certificate_needs_projection(capsys, tmp_path, option):
    status, out, err = run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000",
                                      "--no-progress", option, "--certificate",
                                      tmp_path / "c.json")

    assert status == 2
    assert out == ""
    assert err == ("symequiv: error: --certificate, --latex and --projected export the "
                   "certified projection, so they cannot be combined with --no-projection or "
                   "--no-certify\n")
    assert not (tmp_path / "c.json").exists()


def test_inspect_latex_compiles(capsys, tmp_path):
    import shutil
    import subprocess

    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not installed")
    document = tmp_path / "projected.tex"
    run_in_process(capsys, "inspect", FLOAT_THEORY, "--samples", "2000", "--no-progress",
                   "--latex", document)

    result = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                             document.name], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)

    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "projected.pdf").exists()


def test_inspect_certificate_missing_directory(capsys, tmp_path):
    target = tmp_path / "missing" / "x.json"

    status, out, err = run_in_process(capsys, "inspect", str(THEORIES / "tanh-mirror-float.toml"),
                                      "--samples", "200", "--certificate", str(target))

    assert status == 2
    assert out == ""
    assert err == (f"symequiv: error: {target}: cannot write the certificate: "
                   "No such file or directory\n")
