"""Notebook output: the Markdown and LaTeX reprs of theories, reports and derivations."""

from __future__ import annotations

import symequiv
from tests.certificates import THEORIES


def load(name):
    return symequiv.load(THEORIES / f"{name}.toml")


def test_report_markdown_table():
    text = load("tanh-not-equivariant").verify()._repr_markdown_()

    lines = text.splitlines()
    assert lines[2:4] == ["| property | claim | verdict | method |", "| --- | --- | --- | --- |"]
    assert "| `end_to_end_equivariant` | false ✓ | refuted | certified witness |" in lines
    assert any(line.startswith("  witness: x = (5/4, -1), g = s") for line in lines)
    assert lines[-1] == "4 of 4 claims hold."


def test_report_latex_is_one_math_block():
    text = load("tanh-swap").verify()._repr_latex_()

    assert text.startswith("$$\\begin{array}{llll}")
    assert text.endswith("\\end{array}$$")
    assert r"\text{identifiable} & \text{true}\ \checkmark & \text{proved} & " \
           r"\text{Sussmann (1992)}" in text


def test_derivation_markdown_lists_latent_actions():
    text = load("tanh-swap").derive()._repr_markdown_()

    assert text.splitlines()[0] == ("**Derivation: derived.** every layer is equivariant under "
                                    "the constructed latent actions (every $k_i(g)$ is unique)")
    assert "the permutation $(1\\;2)(3\\;4)$" in text
    assert "* layer 1 homomorphism: $\\rho_{1}(s)^{2} = I$" in text


def test_failed_derivation_markdown_gives_reason():
    text = load("tanh-not-equivariant").derive()._repr_markdown_()

    assert text.startswith("**Derivation: no latent action.** for the generator s, layer f_1")


def test_derivation_latex_aligned():
    text = load("relu-cyclic").derive()._repr_latex_()

    assert text.startswith("$$\\begin{aligned}\\rho_{1}(c) &= \\begin{bmatrix}")
    assert text.count("&= ") == 2


def test_theory_markdown_shows_setting():
    text = load("sigmoid-affine-flip")._repr_markdown_()

    assert text.startswith("**sigmoid-affine-flip**: A sigmoid network with f(-x) = -f(x).")
    assert r"\sigma_{1}(t) = \frac{1}{1 + e^{- t}}" in text
    assert "$G$ has generators n and relations $n^{2}$:" in text


def test_theory_latex_lists_actions():
    text = load("tanh-swap")._repr_latex_()

    assert r"\rho_{\mathrm{in}}(s) &= \begin{bmatrix} 0 & 1 \\ 1 & 0 \end{bmatrix}" in text


def test_theory_with_attention_renders_parameters():
    text = load("layers-mixed")._repr_markdown_()

    assert r"f_{2} &: \text{attention layer, attention (1 head)}" in text
    assert r"\mathrm{WV}_{2}[1] = \begin{bmatrix} 1 & 0 \\ 1 & 1 \end{bmatrix}" in text
