"""Small templates shared by the search tests, and helpers to build them."""

from __future__ import annotations

import pathlib
from fractions import Fraction

from symequiv.search.template import Template

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# A generic GELU network R -> R^2 -> R, odd under negation; seven free symbols.
GELU_PAIR = (TEMPLATES / "gelu-pair.toml").read_text(encoding="utf-8")

# The same family with ReLU.
RELU_PAIR = (TEMPLATES / "relu-pair.toml").read_text(encoding="utf-8")

# A tanh family of identifiable networks (Sussmann) with 162 grid points.
TANH_SWAP_GRID = (TEMPLATES / "tanh-swap-grid.toml").read_text(encoding="utf-8")

# A cubic network R^2 -> R^2 -> R^2 under the swap, with free output weights.
CUBIC_SWAP = """\
[theory]
name = "cubic-swap"

[group]
generators = ["s"]
relations = ["s^2"]

[group.input]
s = { permutation = [1, 0] }

[group.output]
s = { permutation = [1, 0] }

[model]
widths = [2, 2, 2]
activation = { power = 3 }
bias = false

[parameters]
W1 = [[1, "a"], ["b", 1]]
W2 = [["p", "q"], ["u", "v"]]

[search]
values = [-1, 0, 1]
"""


def template(text, source="template.toml", **overrides):
    """Read a template from text, with settings overridden (question, strategy, ...)."""
    result = Template.from_text(text, source)
    if overrides:
        result = result.with_settings(result.settings.overridden(**overrides))
    return result


def values(*numbers):
    """Return a tuple of Fractions."""
    return tuple(Fraction(number) for number in numbers)


def edit(text, old, new):
    """Return ``text`` with ``old`` replaced once by ``new``; fail loudly if ``old`` is absent."""
    assert old in text, f"the template has no {old!r}"
    return text.replace(old, new, 1)
