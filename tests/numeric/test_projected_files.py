"""``inspect --projected``: the projected weights file and its exact theory file."""

from __future__ import annotations

import re

import numpy
import pytest

import symequiv
from symequiv.cli.main import main
from symequiv.errors import InputError
from symequiv.numeric.inspection import inspect_network
from symequiv.numeric.projected_files import write_projected_files
from tests.cli.runner import THEORIES

FLOAT_THEORY = THEORIES / "tanh-mirror-float.toml"


def test_projected_theory_is_proved(tmp_path, capsys):
    out = tmp_path / "projected.npz"

    status = main(["inspect", str(FLOAT_THEORY), "--samples", "1000", "--no-progress",
                   "--projected", str(out)])

    assert status == 0
    assert (f"projected weights written to {out}, their exact theory to "
            f"{tmp_path / 'projected.toml'}") in capsys.readouterr().out.splitlines()
    with numpy.load(out) as arrays:
        assert sorted(arrays.files) == ["W1", "W2", "b1", "b2"]
        assert arrays["W1"].shape == (8, 16)
    assert main(["verify", str(tmp_path / "projected.toml")]) == 0
    report = capsys.readouterr().out
    assert "  [ok]   layerwise_equivariant = true: proved by derivation" in report.splitlines()


def test_perturbed_projected_theory_is_rejected(tmp_path, capsys):
    out = tmp_path / "projected.npz"
    main(["inspect", str(FLOAT_THEORY), "--samples", "1000", "--no-progress",
          "--projected", str(out)])
    path = tmp_path / "projected.toml"
    text = path.read_text(encoding="utf-8")
    # Change the first entry of W1, which breaks the pairing of neurons 1 and 2.
    perturbed = re.sub(r'W1 = \[\[("?[^,\]]+"?)', 'W1 = [["1/3"', text, count=1)
    assert perturbed != text
    path.write_text(perturbed, encoding="utf-8")
    capsys.readouterr()

    assert main(["verify", str(path)]) == 1
    assert "  [FAIL] layerwise_equivariant = true" in capsys.readouterr().out


def test_projected_file_needs_npz_suffix(tmp_path):
    theory = symequiv.load(FLOAT_THEORY)
    inspection = inspect_network(theory.network, theory.action, 200, theory.tolerance,
                                 numpy.random.default_rng(0))

    with pytest.raises(InputError, match=r"out\.pt: expected a file name ending in \.npz, got "
                                         r"'\.pt'$"):
        write_projected_files(tmp_path / "out.pt", theory, inspection)
