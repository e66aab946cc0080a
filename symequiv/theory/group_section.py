"""The ``[group]`` tables: generators, relations and the input and output actions."""

from __future__ import annotations

import re

from symequiv.actions.builders import parse_action
from symequiv.errors import InputError
from symequiv.groups.action import GroupAction
from symequiv.groups.words import parse_word

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def read_group(context, table, model):
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


def build_action(context, field, group):
    maps = {side: {name: spec.build(field) for name, spec in group[side].items()}
            for side in ("input", "output")}
    descriptions = {name: (group["input"][name].description, group["output"][name].description)
                    for name in group["generators"]}
    try:
        return GroupAction(group["generators"], maps["input"], maps["output"],
                           group["relations"], descriptions=descriptions)
    except InputError as error:
        raise error.located(source=context.source, key=None if error.key else "group") from None
