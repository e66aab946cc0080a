"""Writing the projected network of ``symequiv inspect`` as a weights file and a theory file.

The weights file is an ``.npz`` with the array names of the input weights
file (after its ``[parameters] keys``), holding the projected parameters
rounded to float64. The theory file beside it (same name, suffix ``.toml``)
contains the same parameters as exact rationals, so ``symequiv verify`` proves
its claims instead of sampling them.
"""

from __future__ import annotations

import os
import tomllib

import numpy

from symequiv.errors import InputError
from symequiv.numeric.projected_theory import projected_theory
from symequiv.theory.writer import dumps_theory


def write_projected_files(path, theory, inspection):
    """Write the projected weights to ``path`` (.npz) and their exact theory beside it.

    Returns
    -------
    tuple of str
        The weights file and the theory file written.

    Raises
    ------
    InputError
        When ``path`` does not end in ``.npz``, a file cannot be written or the
        theory file cannot be reread.
    UnsupportedError
        When the inspection has no projection.
    """
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    if suffix.lower() != ".npz":
        raise InputError(f"expected a file name ending in .npz, got {suffix or 'no suffix'!r}",
                         source=path)
    exact = projected_theory(theory, inspection)
    tables = _source_tables(theory)
    keys = tables.get("parameters", {}).get("keys", {})

    arrays = {}
    parameters = {}
    network = inspection.projection.network
    layers = inspection.projection.exact_network.layers
    for index, (matrix, bias, layer) in enumerate(zip(network.weights, network.biases, layers),
                                                  start=1):
        arrays[keys.get(f"W{index}", f"W{index}")] = matrix
        parameters[f"W{index}"] = [[_exact_text(entry) for entry in row]
                                   for row in layer.weights]
        if network.has_bias:
            arrays[keys.get(f"b{index}", f"b{index}")] = bias
            parameters[f"b{index}"] = [_exact_text(entry) for entry in layer.bias]
    try:
        numpy.savez(path, **arrays)
    except OSError as error:
        raise InputError(f"cannot write the projected weights: {error.strerror}",
                         source=path) from None

    tables["theory"] = {"name": exact.name, "description": exact.description}
    tables["parameters"] = parameters
    if "expect" in tables:
        # The expectations move to the end, as in the bundled theory files.
        tables["expect"] = tables.pop("expect")
    theory_path = stem + ".toml"
    text = dumps_theory(tables, {"group": ("input", "output")},
                        comment=f"Exact projection written by symequiv inspect; the rounded "
                        f"float64 weights are in {os.path.basename(path)}.")
    try:
        with open(theory_path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"cannot write the projected theory: {error.strerror}",
                         source=theory_path) from None
    return path, theory_path


def _source_tables(theory):
    try:
        with open(theory.source, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, TypeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"cannot reread the theory file to write the projection: {error}",
                         source=str(theory.source)) from None


def _exact_text(entry):
    text = str(entry)
    return int(text) if "/" not in text and "." not in text else text
