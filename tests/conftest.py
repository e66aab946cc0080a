"""Fixtures shared by the test suite."""

from __future__ import annotations

import pathlib

import pytest

from symequiv.exact.field import ExactField

ROOT = pathlib.Path(__file__).resolve().parent.parent
THEORIES = ROOT / "theories"


@pytest.fixture
def rational():
    """The field of rational numbers."""
    return ExactField.rational()


@pytest.fixture
def theory_path():
    """Return the path of a bundled theory file by its stem."""

    def path(name):
        return THEORIES / f"{name}.toml"

    return path
