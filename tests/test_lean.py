"""Lean export: the statements are faithful, checked by evaluating every obligation in Python.

symequiv does not run Lean, so these tests parse the exported matrices and
evaluate each obligation and relation with exact fractions: a false
statement in the file fails here.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

import symequiv
from symequiv.errors import UnsupportedError
from symequiv.lean import lean_statements, write_lean
from tests.certificates import ATTENTION, DENSE, EXPANDED, THEORIES, tokenwise_theory
from tests.cli.runner import bundled_text

_DEFINITION = re.compile(r"def (\w+) : Matrix \(Fin (\d+)\) \(Fin (\d+)\) ℚ :=\n  (.+)")
_THEOREM = re.compile(r"theorem ((?:obligation|relation)\w*) :\n    (.+?) := by")


def load(name):
    return symequiv.load(THEORIES / f"{name}.toml")


def _matrices(text):
    matrices = {}
    for name, _, _, body in _DEFINITION.findall(text):
        top = re.fullmatch(r"Matrix\.of fun i j => (\w+) \(Fin\.castSucc i\) j", body)
        if top:
            matrices[name] = matrices[top.group(1)][:-1]
            continue
        rows = body.removeprefix("!![").removesuffix("]").split("; ")
        matrices[name] = [[Fraction(entry.strip("()")) for entry in row.split(", ")]
                          for row in rows]
    return matrices


def _product(left, right):
    # Expanded convolutions give large sparse matrices, so zero entries are skipped.
    columns = list(zip(*right))
    return [[sum((a * b for a, b in zip(row, column) if a), Fraction(0)) for column in columns]
            for row in left]


def _value(expression, matrices):
    result = None
    for factor in expression.split(" * "):
        name, _, exponent = factor.partition(" ^ ")
        matrix = matrices[name]
        for _ in range(int(exponent or 1)):
            result = matrix if result is None else _product(result, matrix)
    return result


def _obligations(text):
    matrices = _matrices(text)
    results = {}
    for name, statement in _THEOREM.findall(text):
        left, right = statement.split(" = ")
        value = _value(left, matrices)
        if right == "1":
            expected = [[Fraction(int(i == j)) for j in range(len(value))]
                        for i in range(len(value))]
        else:
            expected = _value(right, matrices)
        results[name] = value == expected
    return results


@pytest.mark.parametrize("name", [name for name in DENSE + EXPANDED
                                  if name != "tanh-swap-family"])
def test_every_obligation_true(name):
    results = _obligations(lean_statements(load(name)))

    assert all(results.values()), [key for key, value in results.items() if not value]


def test_tanh_swap_statements():
    text = lean_statements(load("tanh-swap"))

    assert "namespace Symequiv.TanhSwap" in text
    assert ("def Aug1 : Matrix (Fin 4) (Fin 3) ℚ :=\n"
            "  !![1, 2, (1/2); 2, 1, (1/2); 1, (-3), (-1); (-3), 1, (-1)]") in text
    assert set(_obligations(text)) == {"relation1_Hin", "relation1_Hout", "obligation1_s",
                                       "obligation2_s", "relation1_H1"}
    assert ("theorem layer1_equivariant_s (σ : ℝ → ℝ)\n    (h1 : ∀ t : ℝ, σ (1 * t) = 1 * σ t + 0) "
            ":\n    ∀ x, layerMap σ Aug1 (affineMap Hin_s x) = affineMap H1_s (layerMap σ Aug1 x) "
            ":= by\n  sorry") in text


def test_tampered_obligation_detected():
    text = lean_statements(load("tanh-swap")).replace(
        "!![1, 2, (1/2); 2, 1, (1/2);", "!![1, 2, (1/2); 2, 1, (1/3);")

    assert _obligations(text)["obligation1_s"] is False


def test_inverse_letters_get_inverse_matrices():
    text = bundled_text("dihedral-image").replace('"m r m r"', '"m r m r^-1 r^2"')
    lean = lean_statements(symequiv.loads(text))

    assert "def Hin_r_inv : Matrix (Fin 10) (Fin 10) ℚ" in lean
    assert "def H1_r_inv : Matrix (Fin 9) (Fin 9) ℚ" in lean
    assert all(_obligations(lean).values())


def test_theta_star_statements_when_theta_fails():
    text = lean_statements(load("tanh-dead-neuron"))

    assert "-- At theta the derivation failed" in text
    assert "theorem obligation1_sStar :" in text


def test_failed_derivation_states_nothing():
    text = lean_statements(load("tanh-not-equivariant"))

    assert "-- Nothing about layerwise equivariance is stated." in text
    assert "\ntheorem " not in text


def test_free_symbols_become_arguments():
    text = lean_statements(load("tanh-swap-family"))

    assert "def Aug1 (p q a b c d : ℚ) : Matrix (Fin 4) (Fin 3) ℚ :=" in text
    assert "norm_num [Aug1, Hin_s, P1_s, " in text
    assert text.count("<;> ring") == text.count("theorem relation") + text.count(
        "theorem obligation")


def test_irrational_numbers_rejected():
    text = bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                             'b1 = ["sqrt(2)", "sqrt(2)", -1, -1]')

    with pytest.raises(UnsupportedError, match="Lean export needs rational numbers or free "
                                               "symbols"):
        lean_statements(symequiv.loads(text))


def test_unwritable_path_raises_input_error(tmp_path):
    with pytest.raises(symequiv.errors.InputError, match="cannot write the Lean file"):
        write_lean(tmp_path / "missing" / "x.lean", load("tanh-swap"))


def test_tokenwise_obligations_true():
    results = _obligations(lean_statements(tokenwise_theory()))

    assert set(results) == {"relation1_Hin", "relation1_Hout", "obligation1_r",
                            "obligation2_r", "relation1_H1"}
    assert all(results.values())


def test_conv_stated_as_dense_expansion():
    text = lean_statements(load("conv-dihedral"))

    assert "-- The layers (conv, conv) are stated as their dense expansions" in text
    assert "def Aug1 : Matrix (Fin 72) (Fin 10) ℚ :=" in text
    assert "theorem obligation1_r :" in text


def test_perturbed_conv_obligation_false():
    text = lean_statements(load("conv-dihedral"))
    old = "def Aug1 : Matrix (Fin 72) (Fin 10) ℚ :=\n  !![1, (-1), 0, 0, 3,"
    assert old in text

    results = _obligations(text.replace(old, old.replace("!![1,", "!![2,")))

    assert results["obligation1_r"] is False


@pytest.mark.parametrize("name", ATTENTION)
def test_attention_states_relations_only(name):
    text = lean_statements(load(name))

    assert ("-- This network has attention layers, which are not a linear map followed by a "
            "pointwise\n-- activation, so no layer and no latent action is stated") in text
    assert "theorem obligation" not in text
    assert "theorem layer" not in text
    assert all(_obligations(text).values())
    assert {name.split("_")[1] for name in _obligations(text)} == {"Hin", "Hout"}
