"""Theory files whose ``[parameters]`` name a weights file: loading and every kind of bad input."""

from __future__ import annotations

import numpy
import pytest

import symequiv
from symequiv.errors import InputError, ShapeError, TheoryError
from symequiv.theory.numeric_theory import NumericTheory

THEORY = """\
[theory]
name = "swap-float"

[group]
generators = ["s"]
relations = ["s^2"]

[group.input]
s = [[0, 1], [1, 0]]

[group.output]
s = [[0, 1], [1, 0]]

[model]
widths = [2, 2, 2]
activation = "tanh"

[parameters]
{parameters}
"""

WEIGHTS = {"W1": numpy.array([[1.0, 2.0], [2.0, 1.0]]), "b1": numpy.array([0.5, 0.5]),
           "W2": numpy.array([[1.0, 0.0], [0.0, 1.0]]), "b2": numpy.array([0.0, 0.0])}


def write(tmp_path, parameters, arrays=None, file_name="weights.npz"):
    numpy.savez(tmp_path / file_name, **(WEIGHTS if arrays is None else arrays))
    path = tmp_path / "theory.toml"
    path.write_text(THEORY.format(parameters=parameters), encoding="utf-8")
    return path


def test_weights_file_gives_numeric_theory(tmp_path):
    path = write(tmp_path, 'file = "weights.npz"')

    theory = symequiv.load(path)

    assert isinstance(theory, NumericTheory)
    assert theory.network.weights[0].tolist() == [[1.0, 2.0], [2.0, 1.0]]
    assert theory.tolerance == 1e-6
    assert theory.weights_path == str(tmp_path / "weights.npz")


def test_weights_file_is_relative_to_theory_file(tmp_path):
    folder = tmp_path / "nested"
    folder.mkdir()
    path = write(folder, 'file = "weights.npz"')

    assert symequiv.load(path).network.widths == (2, 2, 2)


def test_keys_map_other_names(tmp_path):
    arrays = {"0.weight": WEIGHTS["W1"], "0.bias": WEIGHTS["b1"], "2.weight": WEIGHTS["W2"],
              "2.bias": WEIGHTS["b2"]}
    path = write(tmp_path, 'file = "weights.npz"\nkeys = { W1 = "0.weight", b1 = "0.bias", '
                 'W2 = "2.weight", b2 = "2.bias" }', arrays)

    assert symequiv.load(path).network.biases[0].tolist() == [0.5, 0.5]


def test_tolerance_is_read_exactly(tmp_path):
    path = write(tmp_path, 'file = "weights.npz"\ntolerance = "1/1000"')

    assert symequiv.load(path).tolerance == 0.001


def test_missing_array_lists_available_names(tmp_path):
    arrays = dict(WEIGHTS)
    del arrays["b2"]
    path = write(tmp_path, 'file = "weights.npz"', arrays)

    with pytest.raises(TheoryError, match=r"theory\.toml: parameters\.file: .*weights\.npz has "
                                          r"no array 'b2' for b2; it has: W1, W2, b1 \(map "
                                          r"names with \[parameters\] keys\)$"):
        symequiv.load(path)


def test_wrong_shape_names_widths(tmp_path):
    arrays = dict(WEIGHTS, W2=numpy.ones((3, 2)), b2=numpy.zeros(3))
    path = write(tmp_path, 'file = "weights.npz"', arrays)

    with pytest.raises(ShapeError, match=r"theory\.toml: parameters\.file: .*weights\.npz: W2: "
                                         r"expected shape 2 x 2 \(widths = \[2, 2, 2\]\), got "
                                         r"3 x 2$") as info:
        symequiv.load(path)
    assert info.value.key == "parameters.file"


def test_nan_weight_is_rejected(tmp_path):
    arrays = dict(WEIGHTS, W1=numpy.array([[1.0, numpy.nan], [2.0, 1.0]]))
    path = write(tmp_path, 'file = "weights.npz"', arrays)

    with pytest.raises(InputError, match=r"parameters\.file: .*weights\.npz: W1: entry \[0, 1\] "
                                         r"is nan; expected finite numbers$"):
        symequiv.load(path)


def test_exact_parameters_beside_file_are_rejected(tmp_path):
    path = write(tmp_path, 'file = "weights.npz"\nW1 = [[1, 2], [2, 1]]')

    with pytest.raises(TheoryError, match=r"theory\.toml: parameters: unknown key\(s\) \['W1'\]; "
                                          r"allowed: \['file', 'keys', 'tolerance'\]$"):
        symequiv.load(path)


@pytest.mark.parametrize("tolerance, message", [
    ('"2"', r"expected a rational number between 0 and 1, got 2$"),
    ('"sqrt(2)/4"', r"expected a rational number between 0 and 1, got sqrt\(2\)/4$"),
    ("0.5", r"expected a number as a string, such as \"1e-4\"$"),
], ids=["too-large", "irrational", "toml-float"])
def test_invalid_tolerance_is_rejected(tmp_path, tolerance, message):
    path = write(tmp_path, f'file = "weights.npz"\ntolerance = {tolerance}')

    with pytest.raises(TheoryError, match=r"parameters\.tolerance: " + message):
        symequiv.load(path)


def test_unknown_key_name_is_rejected(tmp_path):
    path = write(tmp_path, 'file = "weights.npz"\nkeys = { W9 = "x" }')

    with pytest.raises(TheoryError, match=r"parameters\.keys: unknown parameter\(s\) \['W9'\]; "
                                          r"expected some of \['W1', 'b1', 'W2', 'b2'\]$"):
        symequiv.load(path)


def test_empty_file_name_is_rejected(tmp_path):
    path = write(tmp_path, 'file = ""')

    with pytest.raises(TheoryError, match=r"parameters\.file: expected the path of a weights "
                                          r"file \(\.npz, \.safetensors, \.pt or \.onnx\)$"):
        symequiv.load(path)


def test_model_without_bias_needs_no_bias_arrays(tmp_path):
    arrays = {"W1": WEIGHTS["W1"], "W2": WEIGHTS["W2"]}
    numpy.savez(tmp_path / "weights.npz", **arrays)
    path = tmp_path / "theory.toml"
    path.write_text(THEORY.format(parameters='file = "weights.npz"').replace(
        'activation = "tanh"', 'activation = "tanh"\nbias = false'), encoding="utf-8")

    theory = symequiv.load(path)

    assert theory.network.biases[1].tolist() == [0.0, 0.0]


def test_numeric_theory_derive_is_unsupported(tmp_path):
    theory = symequiv.load(write(tmp_path, 'file = "weights.npz"'))

    with pytest.raises(symequiv.SymequivError, match=r"^derive needs exact parameters, but this "
                                                     r"theory reads float weights from "):
        theory.derive()


@pytest.mark.parametrize(("method", "what"), [("certificate", "certificates"),
                                              ("latex", "LaTeX derivations"),
                                              ("lean", "Lean statements")])
def test_numeric_theory_exports_are_unsupported(tmp_path, method, what):
    theory = symequiv.load(write(tmp_path, 'file = "weights.npz"'))

    with pytest.raises(symequiv.SymequivError, match=rf"^{what} need exact parameters, .* run "
                                                     r"`symequiv inspect FILE --certificate "):
        getattr(theory, method)()


def test_transposed_first_weight_is_named(tmp_path):
    arrays = dict(WEIGHTS, W1=numpy.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    path = write(tmp_path, 'file = "weights.npz"', arrays)
    path.write_text(path.read_text().replace("widths = [2, 2, 2]", "widths = [2, 3, 2]"))

    with pytest.raises(ShapeError, match=r"weights\.npz: W1: expected shape 3 x 2 \(widths = "
                                         r"\[2, 3, 2\]\), got 2 x 3$"):
        symequiv.load(path)


def test_stored_dtypes_are_reported(tmp_path):
    arrays = {name: value.astype(numpy.float32) for name, value in WEIGHTS.items()}
    path = write(tmp_path, 'file = "weights.npz"', arrays)

    assert symequiv.load(path).network.source_dtype == "float32"


def test_bfloat16_state_dict_is_reported_as_bfloat16(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save({name: torch.tensor(value, dtype=torch.bfloat16)
                for name, value in WEIGHTS.items()}, tmp_path / "weights.pt")
    path = tmp_path / "theory.toml"
    path.write_text(THEORY.format(parameters='file = "weights.pt"'), encoding="utf-8")

    network = symequiv.load(path).network

    assert network.source_dtype == "bfloat16"
    assert network.weights[0].tolist() == [[1.0, 2.0], [2.0, 1.0]]
