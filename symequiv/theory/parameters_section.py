"""The ``[parameters]`` table: exact weights and biases, and the field that holds them.

A table with ``file`` names a weights file instead; :mod:`~symequiv.theory.weights_section`
reads it.
"""

from __future__ import annotations

import math

import sympy

from symequiv.errors import InputError, ShapeError, SymequivError
from symequiv.exact.field import ExactField
from symequiv.exact.parser import parse_number


def read_parameters(context, table, model):
    if "file" in table:
        if "specs" in model:
            raise context.error("parameters.file", "weights files are read for multilayer "
                                "perceptrons only; give the parameters of other layer kinds "
                                "as exact values", table["file"])
        from symequiv.theory.weights_section import read_weights_table

        return read_weights_table(context, table, model)
    if "specs" in model:
        return _read_layer_parameters(context, table, model["specs"])
    widths = model["widths"]
    layers = len(widths) - 1
    expected = {}
    for index in range(1, layers + 1):
        expected[f"W{index}"] = (widths[index], widths[index - 1])
        if model["bias"]:
            expected[f"b{index}"] = (widths[index],)
    extra = sorted(set(table) - set(expected))
    if extra:
        hint = " (the model has bias = false)" if any(key.startswith("b") for key in extra) \
            and not model["bias"] else ""
        raise context.error("parameters", f"unknown parameter(s) {extra}{hint}; expected "
                            f"{list(expected)}", extra)
    values = {}
    for name, shape in expected.items():
        key = f"parameters.{name}"
        if name not in table:
            what = (f"a {shape[0]} x {shape[1]} matrix" if len(shape) == 2
                    else f"a vector of {shape[0]} numbers")
            raise context.error(key, f"missing; expected {what} (widths = {widths})")
        values[name] = read_array(context, table[name], shape, key, widths)
    return values


def read_array(context, value, shape, key, widths):
    if len(shape) == 1:
        if not isinstance(value, list) or len(value) != shape[0] or any(
                isinstance(entry, list) for entry in value):
            count = len(value) if isinstance(value, list) else type(value).__name__
            raise context.error(key, f"expected a vector of {shape[0]} numbers (widths = "
                                f"{widths}), got {count}", value, kind=shape_error())
        return [read_number(context, entry, f"{key}[{index}]")
                for index, entry in enumerate(value)]
    rows, columns = shape
    if not isinstance(value, list) or len(value) != rows:
        count = f"{len(value)} rows" if isinstance(value, list) else type(value).__name__
        raise context.error(key, f"expected {rows} rows of {columns} numbers (widths = "
                            f"{widths}), got {count}", value, kind=shape_error())
    result = []
    for row_index, row in enumerate(value):
        if not isinstance(row, list) or len(row) != columns:
            count = len(row) if isinstance(row, list) else type(row).__name__
            raise context.error(f"{key}[{row_index}]", f"expected a row of {columns} numbers "
                                f"(widths = {widths}), got {count}", row, kind=shape_error())
        result.append([read_number(context, entry, f"{key}[{row_index}][{column}]")
                       for column, entry in enumerate(row)])
    return result


def shape_error():
    return ShapeError


def read_number(context, entry, key):
    # Plain integers stay Python ints, so that large rational theories skip sympy.
    if type(entry) is int and abs(entry) < 10**200:
        return entry
    if isinstance(entry, float) and not math.isfinite(entry):
        raise context.error(key, f"{entry} is not a finite number", entry)
    try:
        return parse_number(entry)
    except InputError as error:
        raise context.wrap(error, key) from None


def build_field(context, parameters, group):
    expressions = []
    rational = True
    for values in parameters.values():
        for entry in flatten(values):
            if not isinstance(entry, int):
                expressions.append(entry)
                rational = rational and entry.is_Rational
    for side in ("input", "output"):
        for name, spec in group[side].items():
            for entry in spec.expressions():
                if entry.free_symbols:
                    raise context.error(f"group.{side}.{name}", "group actions must be "
                                        f"constant; {entry} contains a free symbol", str(entry))
                expressions.append(entry)
                rational = rational and entry.is_Rational
    if rational:
        return ExactField.rational()
    try:
        return ExactField.for_expressions(expressions)
    except SymequivError as error:
        raise context.error("parameters", str(error)) from None


def flatten(values):
    for entry in values:
        if isinstance(entry, list):
            yield from flatten(entry)
        else:
            yield entry


def convert_number(field, entry):
    if isinstance(entry, int):
        return field.domain(entry)
    if isinstance(entry, sympy.Rational) and field.is_rational:
        return field.domain(int(entry.p)) / field.domain(int(entry.q))
    return field.convert(entry)


def _read_layer_parameters(context, table, specs):
    """Read the parameters of a model given as layer specs, named by :meth:`LayerSpec.shapes`."""
    expected = {}
    for spec in specs:
        for name, (shape, what) in spec.shapes().items():
            expected[name] = (shape, what, spec)
    extra = sorted(set(table) - set(expected))
    if extra:
        raise context.error("parameters", f"unknown parameter(s) {extra}; expected "
                            f"{list(expected)}", extra)
    values = {}
    for name, (shape, what, spec) in expected.items():
        key = f"parameters.{name}"
        where = f"{spec.description}, {what}"
        if name not in table:
            raise context.error(key, f"missing; expected {_shape_text(shape)} numbers ({where})")
        values[name] = _read_nested(context, table[name], shape, key, where)
    return values


def _shape_text(shape):
    return " x ".join(str(size) for size in shape)


def _read_nested(context, value, shape, key, where):
    if len(shape) == 1:
        if not isinstance(value, list) or len(value) != shape[0] or any(
                isinstance(entry, list) for entry in value):
            count = len(value) if isinstance(value, list) else type(value).__name__
            raise context.error(key, f"expected a list of {shape[0]} numbers ({where}), got "
                                f"{count}", value, kind=ShapeError)
        return [read_number(context, entry, f"{key}[{index}]")
                for index, entry in enumerate(value)]
    if not isinstance(value, list) or len(value) != shape[0]:
        count = len(value) if isinstance(value, list) else type(value).__name__
        raise context.error(key, f"expected {_shape_text(shape)} numbers, a list of "
                            f"{shape[0]} at this level ({where}), got {count}", value,
                            kind=ShapeError)
    return [_read_nested(context, item, shape[1:], f"{key}[{index}]", where)
            for index, item in enumerate(value)]
