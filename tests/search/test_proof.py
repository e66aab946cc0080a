"""Proofs: counterexample files verify, and a perturbed file is rejected."""

from __future__ import annotations

import json
import re

from symequiv.search.proof import counterexample_text, prove_counterexample
from tests.cli.runner import run_symequiv
from tests.search.templates import GELU_PAIR, TANH_SWAP_GRID, template, values

BYPASS = values(-1, 1, 1, -1, -1, 1, 1)


def test_proof_writes_a_file_that_verifies(tmp_path):
    family = template(GELU_PAIR)

    proof = prove_counterexample(family, BYPASS, 1, tmp_path)

    assert proof.proved
    assert proof.name == "gelu-pair-counterexample-1"
    assert proof.path == str(tmp_path / "gelu-pair-counterexample-1.toml")
    assert proof.claims == {"end_to_end_equivariant": True, "identifiable": False,
                            "layerwise_equivariant": False,
                            "layerwise_after_reparameterization": False}
    result = run_symequiv("verify", proof.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 of 4 claims hold" in result.stdout


def test_perturbed_counterexample_is_rejected(tmp_path):
    proof = prove_counterexample(template(GELU_PAIR), BYPASS, 1, tmp_path)
    text = (tmp_path / "gelu-pair-counterexample-1.toml").read_text(encoding="utf-8")
    assert "b2 = [1]\n" in text
    perturbed = tmp_path / "perturbed.toml"
    perturbed.write_text(text.replace("b2 = [1]\n", "b2 = [2]\n"), encoding="utf-8")

    result = run_symequiv("verify", perturbed)

    assert proof.proved
    assert result.returncode == 1
    assert "[FAIL] end_to_end_equivariant = true: refuted" in result.stdout


def test_counterexample_text_describes_its_origin():
    family = template(GELU_PAIR)

    text = counterexample_text(family, BYPASS, {"identifiable": False}, "n",
                               original=values(-1, 1, 1, -1, -1, 1, 0))

    assert text.startswith("# Written by symequiv search from template.toml (question "
                           "no_homomorphism, strategy exhaustive, seed 0).\n")
    assert re.search(r"description = \"A counterexample found by symequiv search in the family "
                     r"gelu-pair, at a = -1, .*, r = 1: end-to-end equivariant, .* Minimized "
                     r"from a = -1, .*, r = 0\.\"", text)
    assert "[expect]\nidentifiable = false\n" in text


def test_point_that_is_no_counterexample_is_not_proved(tmp_path):
    family = template(TANH_SWAP_GRID)

    proof = prove_counterexample(family, values("1/2", 1, 1, 1, 1), 1, tmp_path)

    assert not proof.proved
    assert proof.reason == ("verification does not confirm layerwise_equivariant = false "
                            "(it is proved)")
    assert proof.path is None
    assert not list(tmp_path.iterdir())


def test_proof_certificate_accepted(tmp_path):
    proof = prove_counterexample(template(GELU_PAIR), BYPASS, 1, tmp_path)

    check = proof.certificate
    assert check.accepted is True
    assert check.path == str(tmp_path / "gelu-pair-counterexample-1.json")
    assert check.certified == ("layerwise_equivariant",)
    assert check.uncertified == ("end_to_end_equivariant", "identifiable",
                                 "layerwise_after_reparameterization")
    result = run_symequiv("check", check.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accepted by the kernel; 1 of 4 verdicts re-checked" in result.stdout


def test_tampered_proof_certificate_rejected(tmp_path):
    proof = prove_counterexample(template(GELU_PAIR), BYPASS, 1, tmp_path)
    path = tmp_path / "gelu-pair-counterexample-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    # With b1 = (-1, -1) the rows (w, b) are (-1, -1) and (1, -1); negating the input
    # swaps them, so the first-layer mismatch that refutes layerwise equivariance fails.
    assert data["network"]["parameters"]["b1"] == ["1", "-1"]
    data["network"]["parameters"]["b1"] = ["-1", "-1"]
    path.write_text(json.dumps(data), encoding="utf-8")

    result = run_symequiv("check", path)

    assert proof.proved
    assert result.returncode == 1
    assert result.stderr.startswith(f"symequiv: rejected: {path}: ")
