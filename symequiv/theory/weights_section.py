"""The ``[parameters]`` table when it names a weights file: the numeric fallback.

::

    [parameters]
    file = "weights.pt"                 # relative to the theory file
    keys = { W1 = "0.weight", b1 = "0.bias" }   # optional; default: the names W1, b1, ...
    tolerance = "1e-4"                  # optional; relative, read exactly, then as a float

The arrays are checked against ``[model] widths`` and become a
:class:`~symequiv.numeric.network.FloatNetwork`; the theory is then a
:class:`~symequiv.theory.numeric_theory.NumericTheory`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from symequiv.errors import InputError, ShapeError
from symequiv.exact.parser import parse_number

DEFAULT_TOLERANCE = 1e-6
ALLOWED_KEYS = ("file", "keys", "tolerance")


@dataclass(frozen=True)
class WeightsParameters:
    """Parameters read from a weights file.

    Attributes
    ----------
    path : str
        The weights file, resolved against the theory file's folder.
    network : FloatNetwork
    tolerance : float
        Relative tolerance of the numeric checks.
    """

    path: str
    network: object
    tolerance: float


def read_weights_table(context, table, model):
    context.allow(table, ALLOWED_KEYS, "parameters")
    file_name = table.get("file")
    if not isinstance(file_name, str) or not file_name.strip():
        raise context.error("parameters.file", "expected the path of a weights file "
                            "(.npz, .safetensors, .pt or .onnx)", file_name)
    folder = os.path.dirname(context.source) if context.source and not context.source.startswith(
        "<") else ""
    path = os.path.join(folder, file_name)
    expected = _expected_names(model)
    keys = _read_keys(context, table.get("keys", {}), expected)
    tolerance = _read_tolerance(context, table.get("tolerance"))

    from symequiv.numeric.loaders import read_weights_file
    from symequiv.numeric.network import network_from_arrays

    try:
        stored = read_weights_file(path)
    except InputError as error:
        raise context.error("parameters.file", str(error), file_name, kind=type(error)) from None
    arrays = stored.arrays
    names = []
    values = {}
    for name in expected:
        stored_name = keys.get(name, name)
        if stored_name not in arrays:
            available = ", ".join(sorted(arrays)[:12]) + (", ..." if len(arrays) > 12 else "")
            raise context.error(f"parameters.keys.{name}" if name in keys else "parameters.file",
                                f"{path} has no array {stored_name!r} for {name}; it has: "
                                f"{available} (map names with [parameters] keys)", stored_name)
        names.append(stored_name)
        values[name] = arrays[stored_name]
    depth = len(model["widths"]) - 1
    weights = [values[f"W{index}"] for index in range(1, depth + 1)]
    biases = [values[f"b{index}"] for index in range(1, depth + 1)] if model["bias"] else None
    if not model["bias"]:
        names = [name for stored in names for name in (stored, None)]
    dtypes = sorted({stored.dtypes[name] for name in names if name is not None})
    try:
        # The shapes are checked against widths first, so a transposed W1 is named
        # as such instead of making b1 look too long.
        _check_widths(weights, model["widths"], path, names)
        network = network_from_arrays(weights, biases, model["activations"], model["bias"],
                                      source=path, names=names,
                                      source_dtype=" and ".join(dtypes))
    except InputError as error:
        raise context.error("parameters.file", str(error), file_name, kind=type(error)) from None
    return WeightsParameters(path, network, tolerance)


def _expected_names(model):
    names = []
    for index in range(1, len(model["widths"])):
        names.append(f"W{index}")
        if model["bias"]:
            names.append(f"b{index}")
    return names


def _read_keys(context, keys, expected):
    if not isinstance(keys, dict):
        raise context.error("parameters.keys", "expected a table of parameter names to the "
                            'names in the file, such as { W1 = "0.weight" }', keys)
    unknown = sorted(set(keys) - set(expected))
    if unknown:
        raise context.error("parameters.keys", f"unknown parameter(s) {unknown}; expected "
                            f"some of {expected}", unknown)
    for name, stored in keys.items():
        if not isinstance(stored, str) or not stored:
            raise context.error(f"parameters.keys.{name}", "expected the name of an array in "
                                "the weights file", stored)
    return keys


def _read_tolerance(context, raw):
    if raw is None:
        return DEFAULT_TOLERANCE
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise context.error("parameters.tolerance", 'expected a number as a string, such as '
                            '"1e-4"', raw)
    try:
        value = parse_number(raw)
    except InputError as error:
        raise context.wrap(error, "parameters.tolerance") from None
    if not value.is_Rational or not 0 < value < 1:
        raise context.error("parameters.tolerance", f"expected a rational number between 0 and "
                            f"1, got {value}", raw)
    return float(value)


def _check_widths(weights, widths, path, names):
    for index, matrix in enumerate(weights, start=1):
        expected = (widths[index], widths[index - 1])
        if matrix.ndim != 2:
            # network_from_arrays reports arrays of the wrong rank.
            continue
        if matrix.shape != expected:
            raise ShapeError(f"expected shape {expected[0]} x {expected[1]} (widths = "
                             f"{widths}), got {matrix.shape[0]} x {matrix.shape[1]}",
                             source=path, key=names[2 * (index - 1)] or f"W{index}")
