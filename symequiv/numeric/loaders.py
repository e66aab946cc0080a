r"""Reading weights files: ``.npz``, ``.safetensors``, PyTorch state dicts and ONNX graphs.

:func:`read_arrays` returns every array of a file by name, as numpy arrays, and
:func:`read_weights_file` also returns the dtype each array is stored in.
The formats are chosen by suffix:

=====================  ==========================================================
suffix                 how it is read
=====================  ==========================================================
``.npz``               ``numpy.load`` with ``allow_pickle=False``
``.safetensors``       ``safetensors.numpy.load_file`` (extra ``safetensors``)
``.pt``, ``.pth``,     ``torch.load(..., weights_only=True)``, which unpickles only
``.bin``               tensors and plain containers (extra ``torch``); a state dict
                       nested under ``"state_dict"`` or ``"model_state_dict"`` is
                       found too
``.onnx``              the initializers, plus ``W1, b1, W2, ...`` read off the chain
                       of ``Gemm`` and ``MatMul`` + ``Add`` nodes (extra ``onnx``)
=====================  ==========================================================

Every failure is an :class:`~symequiv.errors.InputError` naming the file.
"""

from __future__ import annotations

import os
import pickle
import re
import zipfile
from dataclasses import dataclass

import numpy

from symequiv.errors import InputError, MissingDependencyError

SUFFIXES = {
    ".npz": "npz",
    ".safetensors": "safetensors",
    ".pt": "torch",
    ".pth": "torch",
    ".bin": "torch",
    ".onnx": "onnx",
}


@dataclass(frozen=True)
class StoredWeights:
    """The arrays of a weights file and the dtype each is stored in.

    Attributes
    ----------
    arrays : dict
        Name to numpy array; see :func:`read_arrays` for the conversions.
    dtypes : dict
        Name to the dtype in the file, such as ``"bfloat16"`` or ``"float32"``.
    """

    arrays: dict
    dtypes: dict


def read_arrays(path):
    """Return ``{name: array}`` for every array stored in a weights file.

    Float arrays keep their dtype, except that bfloat16 becomes float32 and the
    ``W1, b1, ...`` read off an ONNX graph become float64, both exactly; other
    real arrays become float64.

    Raises
    ------
    InputError
        When the file is missing, unreadable, of an unknown suffix or malformed.
    MissingDependencyError
        When the package that reads the format is not installed.
    """
    return read_weights_file(path).arrays


def read_weights_file(path):
    """Read a weights file into a :class:`StoredWeights`; raises as :func:`read_arrays`."""
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise InputError(f"unknown weights file suffix {suffix!r}; expected one of "
                         f"{sorted(SUFFIXES)}", source=path)
    if not os.path.isfile(path):
        reason = "is a directory" if os.path.isdir(path) else "does not exist"
        raise InputError(f"cannot read the weights file: it {reason}", source=path)
    reader = {"npz": _read_npz, "safetensors": _read_safetensors, "torch": _read_torch,
              "onnx": _read_onnx}[kind]
    arrays, dtypes = reader(path)
    dtypes = {name: dtypes.get(name, str(numpy.asarray(array).dtype))
              for name, array in arrays.items()}
    arrays = {name: _as_float(array, path, name) for name, array in arrays.items()}
    return StoredWeights(arrays, dtypes)


def _as_float(array, path, name):
    array = numpy.asarray(array)
    if array.dtype.kind not in "fiub":
        raise InputError(f"expected real numbers, got dtype {array.dtype}", source=path,
                         key=name)
    # Floats keep their dtype, so reports can show how the weights were stored.
    return array if array.dtype.kind == "f" else array.astype(numpy.float64)


def _read_npz(path):
    if not zipfile.is_zipfile(path):
        # numpy.load would try the file as a pickle and blame pickled data.
        raise InputError("not a valid .npz archive: it is not a zip file (write it with "
                         "numpy.savez)", source=path)
    try:
        with numpy.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}, {}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise InputError(f"not a valid .npz archive of arrays ({error})", source=path) from None


def _read_safetensors(path):
    try:
        from safetensors import SafetensorError
        from safetensors.numpy import load_file
    except ImportError:
        raise MissingDependencyError("safetensors", "safetensors",
                                     "reading .safetensors weights") from None
    try:
        return load_file(path), {}
    except (SafetensorError, OSError, ValueError, TypeError) as error:
        # NOTE: numpy has no bfloat16, so safetensors.numpy rejects such tensors;
        # save them as float32, or as a PyTorch state dict.
        raise InputError(f"not a valid .safetensors file ({error})", source=path) from None


_STATE_DICT_KEYS = ("state_dict", "model_state_dict")


def _read_torch(path):
    try:
        import torch
    except ImportError:
        raise MissingDependencyError("torch", "torch", "reading PyTorch weights") from None
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError,
            AttributeError, TypeError) as error:
        raise InputError(_torch_failure(error), source=path) from None
    if isinstance(data, dict):
        for key in _STATE_DICT_KEYS:
            if isinstance(data.get(key), dict):
                data = data[key]
                break
    if not isinstance(data, dict):
        raise InputError(f"expected a state dict (a dict of tensors), got "
                         f"{type(data).__name__}; save model.state_dict(), not the model",
                         source=path)
    arrays = {}
    dtypes = {}
    for name, value in data.items():
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu()
            dtypes[str(name)] = str(value.dtype).removeprefix("torch.")
            if value.dtype == torch.bfloat16:
                # numpy has no bfloat16, and float32 represents every bfloat16 value exactly.
                value = value.to(torch.float32)
            arrays[str(name)] = value.numpy()
    if not arrays:
        raise InputError("the state dict contains no tensors", source=path)
    return arrays, dtypes


_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
_UNSUPPORTED_GLOBAL = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")
_UNPICKLER_ERROR = re.compile(r"WeightsUnpickler error:\s*(.+?)\s*(?:\n\n|$)", re.DOTALL)


def _torch_failure(error):
    """Describe why ``torch.load(..., weights_only=True)`` failed, in one line.

    torch's own message advises ``weights_only=False``, which runs arbitrary
    code from the file, so only the cause is kept.
    """
    text = _ANSI_ESCAPE.sub("", str(error))
    pickled = _UNSUPPORTED_GLOBAL.search(text)
    if pickled:
        return (f"the file holds a pickled {pickled.group(1)} object (such as a whole "
                "model), not a state dict; save model.state_dict() with torch.save instead")
    cause = _UNPICKLER_ERROR.search(text)
    if cause:
        detail = " ".join(cause.group(1).split())
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        detail = lines[0] if lines else type(error).__name__
        if "weights_only" in detail:
            detail = type(error).__name__
    return (f"not a valid PyTorch state dict file: it is corrupt or was not written by "
            f"torch.save ({detail})")


# -- ONNX --------------------------------------------------------------------------


def _read_onnx(path):
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise MissingDependencyError("onnx", "onnx", "reading ONNX weights") from None
    try:
        model = onnx.load(path)
    except Exception as error:
        raise InputError(f"not a valid ONNX model ({type(error).__name__}: {error})",
                         source=path) from None
    graph = model.graph
    constants = {tensor.name: numpy_helper.to_array(tensor) for tensor in graph.initializer}
    arrays = dict(constants)
    dtypes = {}
    chain = _affine_chain(graph, constants, path)
    for index, (weights, bias, weights_dtype, bias_dtype) in enumerate(chain, start=1):
        arrays[f"W{index}"] = weights
        arrays[f"b{index}"] = bias
        dtypes[f"W{index}"] = weights_dtype
        dtypes[f"b{index}"] = bias_dtype
    return arrays, dtypes


def _attribute(node, name, default):
    import onnx

    for attribute in node.attribute:
        if attribute.name == name:
            return onnx.helper.get_attribute_value(attribute)
    return default


def _affine_chain(graph, constants, path):
    r"""Return ``[(W_i, b_i, dtype of W_i, dtype of b_i)]`` for the affine nodes, in order.

    The arrays are float64; the dtypes are those of the constants in the graph.

    ``Gemm`` computes :math:`Y = \alpha A B' + \beta C` on row batches :math:`A`,
    so :math:`W = \alpha B'^T` and :math:`b = \beta C`; ``MatMul`` with a
    constant right factor :math:`B` gives :math:`W = B^T`, and an ``Add`` of a
    constant vector to its output gives :math:`b`. Constants are initializers,
    ``Constant`` nodes, and ``Transpose``, ``Identity`` or ``Cast`` nodes
    applied to them.
    """
    from onnx import numpy_helper

    # NOTE: only the affine nodes are read; the activations between them come from
    # the theory file and are not compared with the graph's nodes.
    constants = dict(constants)
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    chain = []
    for node in graph.node:
        if node.op_type == "Constant":
            value = _attribute(node, "value", None)
            if value is not None:
                constants[node.output[0]] = numpy_helper.to_array(value)
        elif node.op_type in ("Transpose", "Identity", "Cast") and node.input[0] in constants:
            value = constants[node.input[0]]
            if node.op_type == "Transpose":
                permutation = _attribute(node, "perm", None)
                value = numpy.transpose(value, permutation)
            constants[node.output[0]] = value
        elif node.op_type == "Gemm":
            chain.append(_gemm(node, constants, path))
        elif node.op_type == "MatMul" and len(node.input) == 2 and node.input[1] in constants:
            weights_dtype = str(numpy.asarray(constants[node.input[1]]).dtype)
            matrix = numpy.asarray(constants[node.input[1]], dtype=float)
            bias_dtype = weights_dtype
            if matrix.ndim != 2:
                raise InputError(f"MatMul node {node.name!r} has a constant of shape "
                                 f"{matrix.shape}; expected a matrix", source=path)
            bias = numpy.zeros(matrix.shape[1])
            for consumer in consumers.get(node.output[0], []):
                if consumer.op_type == "Add":
                    other = [name for name in consumer.input if name != node.output[0]]
                    if len(other) == 1 and other[0] in constants:
                        bias_dtype = str(numpy.asarray(constants[other[0]]).dtype)
                        bias = numpy.asarray(constants[other[0]], dtype=float).reshape(-1)
            chain.append((matrix.T, bias, weights_dtype, bias_dtype))
    if not chain:
        raise InputError("the ONNX graph has no Gemm or MatMul node with constant weights",
                         source=path)
    return chain


def _gemm(node, constants, path):
    if len(node.input) < 2 or node.input[1] not in constants:
        raise InputError(f"Gemm node {node.name!r} has no constant weight matrix", source=path)
    if _attribute(node, "transA", 0):
        raise InputError(f"Gemm node {node.name!r} transposes its input (transA = 1); "
                         "expected a batch of rows", source=path)
    weights_dtype = str(numpy.asarray(constants[node.input[1]]).dtype)
    bias_dtype = weights_dtype
    matrix = numpy.asarray(constants[node.input[1]], dtype=float)
    if matrix.ndim != 2:
        raise InputError(f"Gemm node {node.name!r} has a weight of shape {matrix.shape}; "
                         "expected a matrix", source=path)
    alpha = float(_attribute(node, "alpha", 1.0))
    beta = float(_attribute(node, "beta", 1.0))
    weights = alpha * (matrix if _attribute(node, "transB", 0) else matrix.T)
    bias = numpy.zeros(weights.shape[0])
    if len(node.input) > 2 and node.input[2]:
        if node.input[2] not in constants:
            raise InputError(f"Gemm node {node.name!r} has a bias that is not a constant",
                             source=path)
        bias_dtype = str(numpy.asarray(constants[node.input[2]]).dtype)
        constant = numpy.asarray(constants[node.input[2]], dtype=float)
        try:
            bias = beta * numpy.broadcast_to(constant, (1, weights.shape[0])).reshape(-1)
        except ValueError:
            raise InputError(f"Gemm node {node.name!r} has a bias of shape {constant.shape} "
                             f"for {weights.shape[0]} outputs", source=path) from None
    return weights, bias, weights_dtype, bias_dtype
