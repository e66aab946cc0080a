"""The Python API: a theory exports its certificate, LaTeX and Lean text, as the CLI does."""

from __future__ import annotations

import json

import pytest

import symequiv
from symequiv import kernel
from tests.certificates import THEORIES


def test_certificate_round_trip_in_python():
    theory = symequiv.load(THEORIES / "tanh-swap.toml")

    results = symequiv.check(theory.certificate())

    assert [certified for _, _, certified, _ in results] == [True, True, True, True]


def test_check_reads_a_path(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(symequiv.load(THEORIES / "relu-cyclic.toml").certificate()))

    assert symequiv.check(path)[0][:3] == ("end_to_end_equivariant", "proved", True)


def test_check_raises_on_tampering():
    certificate = symequiv.load(THEORIES / "tanh-swap.toml").certificate()
    certificate["latent_actions"]["theta"][0]["s"]["images"] = [0, 1, 2, 3]

    with pytest.raises(kernel.Rejected, match="layer f_1"):
        symequiv.check(certificate)


def test_latex_and_lean_share_one_report():
    theory = symequiv.load(THEORIES / "tanh-odd-signed.toml")
    report = theory.verify()

    assert theory.latex(report=report).startswith("\\documentclass")
    assert theory.latex(standalone=False, report=report).startswith("% The derivation of")
    assert "namespace Symequiv.TanhOddSigned" in theory.lean(report)
