r"""Reading theory files (format 1): TOML in, a :class:`Theory` out.

A theory file is data. It is parsed with ``tomllib``, every table and key is
checked against the format, and every number goes through the whitelist
parser of :mod:`symequiv.exact.parser`. Errors name the file, the key and what
was expected; they are :class:`~symequiv.errors.TheoryError` (or another
:class:`~symequiv.errors.InputError`), never a traceback from deep inside.
"""

from __future__ import annotations

import os
import tomllib

from symequiv.errors import InputError, TheoryError, UnsupportedError
from symequiv.theory.context import Context
from symequiv.theory.group_section import build_action, read_group
from symequiv.theory.model_section import build_network, read_model
from symequiv.theory.parameters_section import build_field, read_parameters
from symequiv.theory.search_section import read_search
from symequiv.theory.weights_section import WeightsParameters
from symequiv.verification import PROPERTIES

# Each top-level table has its own reader module; a new table is added here and there.
FORMAT_SECTIONS = ("theory", "group", "model", "parameters", "expect", "search")
MAX_FILE_BYTES = 512 * 1024 * 1024


def load(path):
    r"""Read a theory file.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Theory or NumericTheory
        A :class:`NumericTheory` when ``[parameters]`` names a weights file.

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
    context = Context(source)
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

    model = read_model(context, context.table(data, "model"))
    group = read_group(context, context.table(data, "group"), model)
    parameters = read_parameters(context, context.table(data, "parameters"), model)
    expectations = _read_expectations(context, context.table(data, "expect", required=False))
    search_table = context.table(data, "search", required=False)

    if isinstance(parameters, WeightsParameters):
        from symequiv.theory.numeric_theory import NumericTheory

        if search_table:
            raise context.error("search", "a search ranges over free symbols in [parameters], "
                                "but this theory reads float weights from a file")

        action = build_action(context, build_field(context, {}, group), group)
        return NumericTheory(name.strip(), description, parameters.network, action,
                             expectations, source=context.source,
                             tolerance=parameters.tolerance, weights_path=parameters.path)
    search = read_search(context, search_table, parameters, expectations)
    field = build_field(context, parameters, group)
    network = build_network(context, field, model, parameters)
    action = build_action(context, field, group)
    return Theory(name.strip(), description, network, action, expectations, source=context.source,
                  search=search)


# -- [expect] ------------------------------------------------------------------


def _read_expectations(context, table):
    context.allow(table, PROPERTIES, "expect")
    for key, value in table.items():
        if not isinstance(value, bool):
            raise context.error(f"expect.{key}", "expected true or false", value)
    return dict(table)


