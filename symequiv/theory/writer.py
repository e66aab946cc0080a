r"""Writing theory files: the TOML text of a theory from plain data.

Only the types a theory file uses are written: tables, strings, integers,
booleans, lists and inline tables. Strings are written as TOML basic strings
with JSON escapes, which TOML reads the same way.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def dumps_theory(tables, subtables=None, comment=None):
    r"""Return the TOML text of a theory.

    Parameters
    ----------
    tables : dict
        Table name to a dict of keys, in the order to write them.
    subtables : dict, optional
        Table name to the keys whose dict values are written as ``[table.key]``
        sections (such as ``{"group": ("input", "output")}``); other dict values
        are written as inline tables.
    comment : str, optional
        Lines written first, each as a ``#`` comment.

    Examples
    --------
    >>> print(dumps_theory({"theory": {"name": "x"}, "model": {"widths": [1, 1]}}), end="")
    [theory]
    name = "x"
    <BLANKLINE>
    [model]
    widths = [1, 1]
    """
    subtables = subtables or {}
    lines = []
    if comment:
        lines.extend(f"# {line}".rstrip() for line in comment.splitlines())
        lines.append("")
    for name, table in tables.items():
        nested = [key for key in subtables.get(name, ()) if key in table]
        lines.append(f"[{_key(name)}]")
        lines.extend(f"{_key(key)} = {_value(value)}" for key, value in table.items()
                     if key not in nested)
        lines.append("")
        for key in nested:
            lines.append(f"[{_key(name)}.{_key(key)}]")
            lines.extend(f"{_key(inner)} = {_value(value)}"
                         for inner, value in table[key].items())
            lines.append("")
    return "\n".join(lines[:-1]) + "\n" if lines else ""


def _key(key):
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return json.dumps(f"{value.numerator}/{value.denominator}")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(key)} = {_value(item)}"
                                for key, item in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} values to a theory file")
