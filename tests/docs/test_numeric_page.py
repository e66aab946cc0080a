"""The walk-through of docs/numeric.md: its files and Python snippets run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "numeric.md"


def fenced_blocks(language):
    text = PAGE.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def run_python(code, folder):
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                          text=True, timeout=600)


def run_symequiv_command(arguments, folder):
    return subprocess.run([sys.executable, "-m", "symequiv.cli.main", *arguments], cwd=folder,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_walk_through_and_snippets_run(tmp_path):
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != "2.13.0":
        pytest.skip("the page shows the output of weights trained with torch 2.13.0")
    python_blocks = fenced_blocks("python")
    (tmp_path / "model.toml").write_text(fenced_blocks("toml")[0], encoding="utf-8")

    training = run_python(python_blocks[0], tmp_path)
    assert training.returncode == 0, training.stderr
    assert (tmp_path / "model.pt").is_file()

    shown_outputs = fenced_blocks("text")
    verify = run_symequiv_command(["verify", "model.toml"], tmp_path)
    assert verify.returncode == 1
    assert verify.stdout == shown_outputs[0]
    inspect = run_symequiv_command(["inspect", "model.toml", "--no-progress"], tmp_path)
    assert inspect.returncode == 0
    assert inspect.stdout == shown_outputs[1]

    for code in python_blocks[1:]:
        result = run_python(code, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "  [info] end_to_end_equivariant (not claimed): refuted by certified witness" in (
            result.stdout.splitlines())


def test_page_has_no_undefined_theory_variable():
    for code in fenced_blocks("python"):
        if "theory." in code:
            assert "theory = " in code
