r"""Reading theory files (format 1): TOML in, a :class:`Theory` out.

A theory file is data. It is parsed with ``tomllib``, every table and key is
checked against the format, and every number goes through the whitelist
parser of :mod:`symequiv.exact.parser`. Errors name the file, the key and what
was expected; they are :class:`~symequiv.errors.TheoryError` (or another
:class:`~symequiv.errors.InputError`), never a traceback from deep inside.
"""

from __future__ import annotations

import math
import os
import re
import tomllib

import sympy

from symequiv.actions.builders import parse_action
from symequiv.activations.catalogue import parse_activation_spec
from symequiv.errors import InputError, SymequivError, TheoryError, UnsupportedError
from symequiv.exact.field import ExactField
from symequiv.exact.parser import parse_number
from symequiv.groups.action import GroupAction
from symequiv.groups.words import parse_word
from symequiv.models.network import Network
from symequiv.verification import PROPERTIES

FORMAT_SECTIONS = ("theory", "group", "model", "parameters", "expect")
MAX_WIDTH = 1 << 16
MAX_DEPTH = 64
MAX_FILE_BYTES = 512 * 1024 * 1024
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class _Context:
    """The file being read, so that every error can name it."""

    def __init__(self, source):
        self.source = source

    def error(self, key, message, value=None, kind=TheoryError):
        return kind(message, source=self.source, key=key, value=value)

    def table(self, data, key, required=True):
        value = data.get(key.rsplit(".", 1)[-1])
        if value is None:
            if required:
                raise self.error(key, "missing table")
            return {}
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {type(value).__name__}", value)
        return value

    def allow(self, table, allowed, key):
        extra = sorted(set(table) - set(allowed))
        if extra:
            raise self.error(key, f"unknown key(s) {extra}; allowed: {sorted(allowed)}", extra)

    def wrap(self, error, key):
        if isinstance(error, InputError):
            return error.located(source=self.source, key=key)
        return self.error(key, str(error))


def load(path):
    r"""Read a theory file.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Theory

    Raises
    ------
    InputError
        For every kind of invalid file, naming the file and key.
    """
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise TheoryError(f"cannot read the file: {error.strerror}", source=path) from None
    if size > MAX_FILE_BYTES:
        raise TheoryError(f"the file is {size} bytes; at most {MAX_FILE_BYTES} are accepted",
                          source=path)
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise TheoryError(f"the file is not UTF-8 text ({error.reason})", source=path) from None
    except OSError as error:
        raise TheoryError(f"cannot read the file: {error.strerror}", source=path) from None
    return loads(text, source=path)


def loads(text, source="<string>"):
    """Read a theory from TOML text; ``source`` names it in messages."""
    context = _Context(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TheoryError(f"invalid TOML: {error}", source=source) from None
    except ValueError as error:
        # tomllib lets Python's limit on integer literals (4300 digits) escape as ValueError.
        raise TheoryError(f"invalid TOML: a number is too large to read ({error})",
                          source=source) from None
    try:
        return _build(context, data)
    except InputError as error:
        if error.source is None:
            raise error.located(source=source) from None
        raise
    except UnsupportedError as error:
        raise TheoryError(str(error), source=source) from None


def _build(context, data):
    from symequiv.theory.theory import Theory

    context.allow(data, FORMAT_SECTIONS, "top level")
    header = context.table(data, "theory")
    context.allow(header, {"name", "description", "format"}, "theory")
    name = header.get("name")
    if not isinstance(name, str) or not name.strip():
        raise context.error("theory.name", "expected a non-empty string", name)
    description = header.get("description", "")
    if not isinstance(description, str):
        raise context.error("theory.description", "expected a string", description)
    if header.get("format", 1) != 1:
        raise context.error("theory.format", "only format 1 is supported", header.get("format"))

    model = _read_model(context, context.table(data, "model"))
    group = _read_group(context, context.table(data, "group"), model)
    parameters = _read_parameters(context, context.table(data, "parameters"), model)
    expectations = _read_expectations(context, context.table(data, "expect", required=False))

    field = _field(context, parameters, group)
    network = _network(context, field, model, parameters)
    action = _action(context, field, group)
    return Theory(name.strip(), description, network, action, expectations, source=context.source)


# -- [model] -------------------------------------------------------------------


def _read_model(context, table):
    context.allow(table, {"architecture", "widths", "activation", "bias"}, "model")
    architecture = table.get("architecture", "mlp")
    if architecture != "mlp":
        raise context.error("model.architecture", f"unknown architecture {architecture!r}; "
                            "expected \"mlp\"", architecture)
    widths = table.get("widths")
    if (not isinstance(widths, list) or len(widths) < 2
            or not all(isinstance(width, int) and not isinstance(width, bool) for width in widths)):
        raise context.error("model.widths", "expected a list of at least two integers "
                            "[d_0, ..., d_L]", widths)
    if any(width < 1 or width > MAX_WIDTH for width in widths):
        raise context.error("model.widths", f"every width must be between 1 and {MAX_WIDTH}",
                            widths)
    if len(widths) - 1 > MAX_DEPTH:
        raise context.error("model.widths", f"at most {MAX_DEPTH} layers are supported", widths)
    bias = table.get("bias", True)
    if not isinstance(bias, bool):
        raise context.error("model.bias", "expected true or false", bias)
    hidden = len(widths) - 2
    raw = table.get("activation")
    if hidden == 0:
        activations = []
        if raw is not None:
            raise context.error("model.activation", "a network without hidden layers takes no "
                                "activation", raw)
    else:
        if raw is None:
            raise context.error("model.activation", "missing; expected an activation or a list "
                                f"of {hidden}")
        specs = raw if isinstance(raw, list) else [raw] * hidden
        if len(specs) != hidden:
            raise context.error("model.activation", f"expected {hidden} activations (one per "
                                f"hidden layer), got {len(specs)}", raw)
        activations = []
        for index, spec in enumerate(specs):
            key = "model.activation" if not isinstance(raw, list) else f"model.activation[{index}]"
            try:
                activations.append(parse_activation_spec(spec))
            except InputError as error:
                raise context.wrap(error, key) from None
    return {"widths": widths, "activations": activations, "bias": bias}


# -- [group] -------------------------------------------------------------------


def _read_group(context, table, model):
    context.allow(table, {"generators", "relations", "input", "output"}, "group")
    generators = table.get("generators")
    if (not isinstance(generators, list) or not generators
            or not all(isinstance(name, str) for name in generators)):
        raise context.error("group.generators", "expected a non-empty list of generator names",
                            generators)
    for name in generators:
        if not _IDENTIFIER.match(name):
            raise context.error("group.generators", f"{name!r} is not a valid name (letters, "
                                "digits and underscores, not starting with a digit)", name)
    if "e" in generators:
        raise context.error("group.generators", '"e" is reserved for the identity word; '
                            "choose another generator name", "e")
    if len(set(generators)) != len(generators):
        raise context.error("group.generators", "generator names must be distinct", generators)
    relations_raw = table.get("relations", [])
    if not isinstance(relations_raw, list):
        raise context.error("group.relations", "expected a list of words", relations_raw)
    relations = []
    for index, text in enumerate(relations_raw):
        try:
            relations.append(parse_word(text, set(generators)))
        except InputError as error:
            raise context.wrap(error, f"group.relations[{index}]") from None
    widths = model["widths"]
    actions = {}
    for side, dimension in (("input", widths[0]), ("output", widths[-1])):
        maps = context.table(table, f"group.{side}")
        context.allow(maps, generators, f"group.{side}")
        specs = {}
        for name in generators:
            key = f"group.{side}.{name}"
            if name not in maps:
                raise context.error(key, f"missing the {side} action of generator {name}")
            try:
                specs[name] = parse_action(maps[name], dimension,
                                           where=f"the {side} action of {name}")
            except InputError as error:
                raise context.wrap(error, key) from None
        actions[side] = specs
    return {"generators": generators, "relations": relations, **actions}


# -- [parameters] ----------------------------------------------------------------


def _read_parameters(context, table, model):
    if "file" in table:
        raise context.error("parameters.file", "weights files need the numeric fallback, "
                            "which this version of symequiv does not include; give exact "
                            "values instead", table["file"])
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
        values[name] = _read_array(context, table[name], shape, key, widths)
    return values


def _read_array(context, value, shape, key, widths):
    if len(shape) == 1:
        if not isinstance(value, list) or len(value) != shape[0] or any(
                isinstance(entry, list) for entry in value):
            count = len(value) if isinstance(value, list) else type(value).__name__
            raise context.error(key, f"expected a vector of {shape[0]} numbers (widths = "
                                f"{widths}), got {count}", value, kind=_shape_error())
        return [_read_number(context, entry, f"{key}[{index}]")
                for index, entry in enumerate(value)]
    rows, columns = shape
    if not isinstance(value, list) or len(value) != rows:
        count = f"{len(value)} rows" if isinstance(value, list) else type(value).__name__
        raise context.error(key, f"expected {rows} rows of {columns} numbers (widths = "
                            f"{widths}), got {count}", value, kind=_shape_error())
    result = []
    for row_index, row in enumerate(value):
        if not isinstance(row, list) or len(row) != columns:
            count = len(row) if isinstance(row, list) else type(row).__name__
            raise context.error(f"{key}[{row_index}]", f"expected a row of {columns} numbers "
                                f"(widths = {widths}), got {count}", row, kind=_shape_error())
        result.append([_read_number(context, entry, f"{key}[{row_index}][{column}]")
                       for column, entry in enumerate(row)])
    return result


def _shape_error():
    from symequiv.errors import ShapeError

    return ShapeError


def _read_number(context, entry, key):
    # Plain integers stay Python ints, so that large rational theories skip sympy.
    if type(entry) is int and abs(entry) < 10**200:
        return entry
    if isinstance(entry, float) and not math.isfinite(entry):
        raise context.error(key, f"{entry} is not a finite number", entry)
    try:
        return parse_number(entry)
    except InputError as error:
        raise context.wrap(error, key) from None


# -- [expect] ------------------------------------------------------------------


def _read_expectations(context, table):
    context.allow(table, PROPERTIES, "expect")
    for key, value in table.items():
        if not isinstance(value, bool):
            raise context.error(f"expect.{key}", "expected true or false", value)
    return dict(table)


# -- assembly ------------------------------------------------------------------


def _field(context, parameters, group):
    expressions = []
    rational = True
    for values in parameters.values():
        for entry in _flatten(values):
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


def _flatten(values):
    for entry in values:
        if isinstance(entry, list):
            yield from _flatten(entry)
        else:
            yield entry


def _convert(field, entry):
    if isinstance(entry, int):
        return field.domain(entry)
    if isinstance(entry, sympy.Rational) and field.is_rational:
        return field.domain(int(entry.p)) / field.domain(int(entry.q))
    return field.convert(entry)


def _network(context, field, model, parameters):
    layers = len(model["widths"]) - 1
    weights = []
    biases = []
    for index in range(1, layers + 1):
        weights.append([[_convert(field, entry) for entry in row]
                        for row in parameters[f"W{index}"]])
        if model["bias"]:
            biases.append([_convert(field, entry) for entry in parameters[f"b{index}"]])
        else:
            biases.append([field.zero] * model["widths"][index])
    return Network.mlp(field, weights, biases, model["activations"], has_bias=model["bias"])


def _action(context, field, group):
    maps = {side: {name: spec.build(field) for name, spec in group[side].items()}
            for side in ("input", "output")}
    descriptions = {name: (group["input"][name].description, group["output"][name].description)
                    for name in group["generators"]}
    try:
        return GroupAction(group["generators"], maps["input"], maps["output"],
                           group["relations"], descriptions=descriptions)
    except InputError as error:
        raise error.located(source=context.source, key=None if error.key else "group") from None
