"""Weights files: .npz, .safetensors, PyTorch state dicts and ONNX graphs, and their errors."""

from __future__ import annotations

import sys

import numpy
import pytest

from symequiv.errors import InputError, MissingDependencyError
from symequiv.numeric.loaders import read_arrays, read_weights_file

W1 = numpy.array([[1.0, -2.0], [0.5, 0.25], [3.0, 1.0]])
B1 = numpy.array([0.0, 1.0, -1.0])
W2 = numpy.array([[1.0, 2.0, -1.0]])
B2 = numpy.array([0.5])


def assert_layers(arrays, names=("W1", "b1", "W2", "b2")):
    for name, expected in zip(names, (W1, B1, W2, B2)):
        assert arrays[name].tolist() == expected.tolist()


def test_npz_round_trip(tmp_path):
    path = tmp_path / "weights.npz"
    numpy.savez(path, W1=W1, b1=B1, W2=W2, b2=B2)

    arrays = read_arrays(path)

    assert sorted(arrays) == ["W1", "W2", "b1", "b2"]
    assert_layers(arrays)


def test_npz_float32_converts_exactly(tmp_path):
    path = tmp_path / "weights.npz"
    value = numpy.float32(0.1)
    numpy.savez(path, W1=numpy.array([[value]], dtype=numpy.float32))

    arrays = read_arrays(path)

    assert arrays["W1"].dtype == numpy.float32
    assert arrays["W1"][0, 0] == value


def test_npz_with_pickled_objects_is_rejected(tmp_path):
    path = tmp_path / "weights.npz"
    numpy.savez(path, W1=numpy.array([{"a": 1}], dtype=object))

    with pytest.raises(InputError, match=r"weights\.npz: not a valid \.npz archive of arrays "
                                         r"\(Object arrays cannot be loaded"):
        read_arrays(path)


def test_npz_that_is_not_a_zip_is_rejected(tmp_path):
    path = tmp_path / "weights.npz"
    path.write_bytes(b"this is not a zip archive")

    with pytest.raises(InputError, match=r"weights\.npz: not a valid \.npz archive: it is not a "
                                         r"zip file \(write it with numpy\.savez\)$"):
        read_arrays(path)


def test_npz_stored_dtypes_are_reported(tmp_path):
    path = tmp_path / "weights.npz"
    numpy.savez(path, W1=W1.astype(numpy.float32), b1=B1, W2=W2.astype(numpy.float16),
                b2=numpy.array([1]))

    stored = read_weights_file(path)

    assert stored.dtypes == {"W1": "float32", "b1": "float64", "W2": "float16", "b2": "int64"}
    assert stored.arrays["b2"].dtype == numpy.float64


def test_unknown_suffix_is_rejected(tmp_path):
    path = tmp_path / "weights.h5"
    path.write_bytes(b"")

    with pytest.raises(InputError, match=r"weights\.h5: unknown weights file suffix '\.h5'; "
                                         r"expected one of \['\.bin', '\.npz', '\.onnx', "
                                         r"'\.pt', '\.pth', '\.safetensors'\]$"):
        read_arrays(path)


def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(InputError, match=r"missing\.npz: cannot read the weights file: it does "
                                         r"not exist$"):
        read_arrays(tmp_path / "missing.npz")


def test_directory_is_rejected(tmp_path):
    folder = tmp_path / "folder.npz"
    folder.mkdir()

    with pytest.raises(InputError, match=r"folder\.npz: cannot read the weights file: it is a "
                                         r"directory$"):
        read_arrays(folder)


# -- safetensors -----------------------------------------------------------------------------


def test_safetensors_round_trip(tmp_path):
    numpy_format = pytest.importorskip("safetensors.numpy")
    path = tmp_path / "weights.safetensors"
    numpy_format.save_file({"W1": W1, "b1": B1, "W2": W2, "b2": B2}, str(path))

    assert_layers(read_arrays(path))


def test_safetensors_garbage_is_rejected(tmp_path):
    pytest.importorskip("safetensors")
    path = tmp_path / "weights.safetensors"
    path.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00not json")

    with pytest.raises(InputError, match=r"weights\.safetensors: not a valid \.safetensors file"):
        read_arrays(path)


def test_safetensors_missing_package_names_extra(tmp_path, monkeypatch):
    path = tmp_path / "weights.safetensors"
    path.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)

    with pytest.raises(MissingDependencyError, match=r"^reading \.safetensors weights needs the "
                                                     r"optional package 'safetensors'; install "
                                                     r"it with: pip install "
                                                     r"'symequiv\[safetensors\]'$"):
        read_arrays(path)


# -- PyTorch ---------------------------------------------------------------------------------


def torch_linear_state():
    torch = pytest.importorskip("torch")
    return torch, {"0.weight": torch.tensor(W1, dtype=torch.float32),
                   "0.bias": torch.tensor(B1, dtype=torch.float32),
                   "2.weight": torch.tensor(W2, dtype=torch.float32),
                   "2.bias": torch.tensor(B2, dtype=torch.float32)}


def test_torch_state_dict_round_trip(tmp_path):
    torch, state = torch_linear_state()
    path = tmp_path / "model.pt"
    torch.save(state, path)

    arrays = read_arrays(path)

    assert_layers(arrays, ("0.weight", "0.bias", "2.weight", "2.bias"))
    assert arrays["0.weight"].dtype == numpy.float32


def test_torch_nested_state_dict_is_found(tmp_path):
    torch, state = torch_linear_state()
    path = tmp_path / "checkpoint.pth"
    torch.save({"epoch": 3, "model_state_dict": state}, path)

    assert sorted(read_arrays(path)) == ["0.bias", "0.weight", "2.bias", "2.weight"]


def test_torch_whole_module_is_rejected(tmp_path):
    torch = pytest.importorskip("torch")
    path = tmp_path / "model.pt"
    torch.save(torch.nn.Linear(2, 3), path)

    with pytest.raises(InputError, match=r"model\.pt: the file holds a pickled "
                                         r"torch\.nn\.modules\.linear\.Linear object \(such as a "
                                         r"whole model\), not a state dict; save "
                                         r"model\.state_dict\(\) with torch\.save instead$"):
        read_arrays(path)


def test_torch_bfloat16_dtype_is_reported(tmp_path):
    torch, state = torch_linear_state()
    path = tmp_path / "model.pt"
    torch.save({name: value.to(torch.bfloat16) for name, value in state.items()}, path)

    stored = read_weights_file(path)

    assert set(stored.dtypes.values()) == {"bfloat16"}
    assert stored.arrays["0.weight"].dtype == numpy.float32
    assert_layers(stored.arrays, ("0.weight", "0.bias", "2.weight", "2.bias"))


def test_torch_tensor_instead_of_dict_is_rejected(tmp_path):
    torch = pytest.importorskip("torch")
    path = tmp_path / "model.pt"
    torch.save(torch.zeros(3), path)

    with pytest.raises(InputError, match=r"model\.pt: expected a state dict \(a dict of "
                                         r"tensors\), got Tensor; save model\.state_dict\(\), "
                                         r"not the model$"):
        read_arrays(path)


def test_torch_garbage_is_rejected(tmp_path):
    pytest.importorskip("torch")
    path = tmp_path / "model.pt"
    path.write_bytes(b"garbage")

    with pytest.raises(InputError, match=r"model\.pt: not a valid PyTorch state dict file: it "
                                         r"is corrupt or was not written by torch\.save "
                                         r"\(Unsupported operand 103\)$") as raised:
        read_arrays(path)
    assert "weights_only=False" not in str(raised.value)


def test_torch_missing_package_names_extra(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    path.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "torch", None)

    with pytest.raises(MissingDependencyError, match=r"pip install 'symequiv\[torch\]'$"):
        read_arrays(path)


# -- ONNX ------------------------------------------------------------------------------------


def onnx_model(path, second="MatMul", alpha=1.0, beta=1.0):
    """Write x -> Gemm(W1, b1, transB=1) -> Tanh -> MatMul(W2^T) + b2 (or a second Gemm)."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    initializers = [numpy_helper.from_array(W1 / alpha, "fc1.weight"),
                    numpy_helper.from_array(B1 / beta, "fc1.bias"),
                    numpy_helper.from_array(W2.T.copy(), "fc2.weight_t"),
                    numpy_helper.from_array(B2, "fc2.bias")]
    nodes = [helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], transB=1,
                              alpha=alpha, beta=beta, name="fc1"),
             helper.make_node("Tanh", ["h"], ["a"])]
    if second == "MatMul":
        nodes += [helper.make_node("MatMul", ["a", "fc2.weight_t"], ["z"], name="fc2"),
                  helper.make_node("Add", ["z", "fc2.bias"], ["y"])]
    else:
        nodes += [helper.make_node("Gemm", ["a", "fc2.weight_t", "fc2.bias"], ["y"],
                                   name="fc2")]
    graph = helper.make_graph(
        nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None, 2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [None, 1])], initializers)
    onnx.save(helper.make_model(graph), path)


@pytest.mark.parametrize("second", ["MatMul", "Gemm"])
def test_onnx_chain_gives_layers(tmp_path, second):
    path = tmp_path / "model.onnx"
    onnx_model(path, second)

    arrays = read_arrays(path)

    assert_layers(arrays)
    assert arrays["fc1.weight"].tolist() == W1.tolist()


def test_onnx_float32_initializers_report_float32(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import numpy_helper

    path = tmp_path / "model.onnx"
    onnx_model(path)
    model = onnx.load(path)
    for tensor in model.graph.initializer:
        tensor.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor).astype(
            numpy.float32), tensor.name))
    onnx.save(model, path)

    stored = read_weights_file(path)

    assert stored.dtypes["W1"] == "float32"
    assert stored.dtypes["b2"] == "float32"
    assert stored.arrays["W1"].dtype == numpy.float64


def test_onnx_gemm_alpha_and_beta_are_applied(tmp_path):
    path = tmp_path / "model.onnx"
    onnx_model(path, alpha=2.0, beta=4.0)

    assert_layers(read_arrays(path))


def test_onnx_without_affine_nodes_is_rejected(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Tanh", ["x"], ["y"])], "plain",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None, 2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [None, 2])])
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph), path)

    with pytest.raises(InputError, match=r"model\.onnx: the ONNX graph has no Gemm or MatMul "
                                         r"node with constant weights$"):
        read_arrays(path)


def test_onnx_garbage_is_rejected(tmp_path):
    pytest.importorskip("onnx")
    path = tmp_path / "model.onnx"
    path.write_bytes(b"\xff\xff garbage")

    with pytest.raises(InputError, match=r"model\.onnx: not a valid ONNX model"):
        read_arrays(path)
