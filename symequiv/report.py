r"""Plain-text and JSON renderings of verification reports and derivations.

Numbers are printed exactly (``1/2``, ``sqrt(2)/2``). Monomial maps are shown
in cycle notation (coordinates numbered from 1, see
:mod:`symequiv.actions.notation`) together with their scales; dense matrices
are printed in full up to :data:`MAX_PRINTED_DIMENSION` and elided beyond,
while the JSON rendering always carries every entry.
"""

from __future__ import annotations

from symequiv.actions.maps import MonomialMatrix
from symequiv.actions.notation import permutation_cycles, signed_cycles
from symequiv.verdicts import ParameterWitness

MAX_PRINTED_DIMENSION = 8


def _text(field, element):
    return str(field.to_expr(element))


def map_to_dict(affine_map):
    """Describe an :class:`AffineMap` as JSON-ready data."""
    field = affine_map.field
    linear = affine_map.linear
    result = {"dimension": linear.dimension}
    if isinstance(linear, MonomialMatrix):
        if linear.is_permutation:
            result["kind"] = "permutation"
            result["cycles"] = permutation_cycles(linear.images)
        elif linear.is_signed_permutation:
            result["kind"] = "signed permutation"
            signs = [1 if scale == field.one else -1 for scale in linear.scales]
            result["cycles"] = signed_cycles(linear.images, signs)
        else:
            result["kind"] = "monomial"
        result["images"] = list(linear.images)
        result["scales"] = [_text(field, scale) for scale in linear.scales]
    else:
        result["kind"] = "matrix"
        result["matrix"] = [[_text(field, entry) for entry in row] for row in linear.rows()]
    result["translation"] = (None if affine_map.translation is None
                             else [_text(field, entry) for entry in affine_map.translation])
    return result


def format_map(affine_map, indent="    "):
    """Render an :class:`AffineMap` as indented text lines."""
    description = map_to_dict(affine_map)
    field = affine_map.field
    lines = []
    kind = description["kind"]
    if kind in ("permutation", "signed permutation"):
        text = f"{kind} {description['cycles']}"
        linear = affine_map.linear
        if (kind == "signed permutation" and linear.images == tuple(range(linear.dimension))
                and all(scale == -field.one for scale in linear.scales)):
            # "(1)-(2)-" lists every coordinate as a one-cycle that returns negated.
            text += ", that is -I"
        lines.append(text)
    elif kind == "monomial":
        pairs = ", ".join(f"e{column + 1} -> {scale} e{image + 1}" for column, (image, scale)
                          in enumerate(zip(description["images"], description["scales"])))
        lines.append(f"monomial matrix: {pairs}")
    if affine_map.dimension <= MAX_PRINTED_DIMENSION:
        rows = [[_text(field, entry) for entry in row] for row in affine_map.linear.rows()]
        width = max(len(entry) for row in rows for entry in row)
        lines.extend("[" + "  ".join(entry.rjust(width) for entry in row) + "]" for row in rows)
    elif kind == "matrix":
        lines.append(f"a dense {affine_map.dimension} x {affine_map.dimension} matrix "
                     "(elided; --json prints every entry)")
    if description["translation"] is not None:
        lines.append("plus the translation (" + ", ".join(description["translation"]) + ")")
    return [indent + line for line in lines]


def format_parameters(expressions, indent="  "):
    """Render ``{"W1": rows, "b1": entries}`` as text lines, eliding large matrices."""
    lines = []
    for name, value in expressions.items():
        if value and isinstance(value[0], list):
            if len(value) * len(value[0]) > MAX_PRINTED_DIMENSION**2:
                lines.append(f"{indent}{name}: a {len(value)} x {len(value[0])} matrix "
                             "(elided; --json prints every entry)")
                continue
            lines.append(f"{indent}{name} = [" + ", ".join(
                "[" + ", ".join(str(entry) for entry in row) + "]" for row in value) + "]")
        else:
            lines.append(f"{indent}{name} = [" + ", ".join(str(entry) for entry in value) + "]")
    return lines


# -- verification reports ----------------------------------------------------------


def format_report(report):
    """Render a :class:`~symequiv.verification.Report` as text."""
    title = report.name + (f"  ({report.source})" if report.source else "")
    lines = [title]
    for result in report.results:
        verdict = result.verdict
        if result.expected is None:
            tag = "[info]"
            claim = f"{result.property} (not claimed)"
        else:
            tag = "[ok]  " if result.holds else "[FAIL]"
            claim = f"{result.property} = {str(result.expected).lower()}"
        method = f" by {verdict.method}" if verdict.method != "none" else ""
        status = verdict.status.value
        if verdict.observed is not None:
            status += f" for {str(verdict.observed).lower()}"
        lines.append(f"  {tag} {claim}: {status}{method}")
        lines.append(f"         {verdict.reason}")
        if verdict.tolerance is not None:
            margin = "" if verdict.margin is None else f", margin {verdict.margin:.3g}"
            lines.append(f"         tolerance {verdict.tolerance:.3g}{margin}")
        if verdict.conditional:
            lines.append(f"         conditional on: {verdict.conditional}")
        if verdict.witness is not None:
            lines.append(f"         witness: {verdict.witness.describe()}")
            if isinstance(verdict.witness, ParameterWitness):
                lines.append("         theta':")
                lines.extend(format_parameters(verdict.witness.parameters, " " * 11))
    claims = report.claims
    held = sum(1 for result in claims if result.holds)
    if claims:
        lines.append(f"  {held} of {len(claims)} claims hold")
    else:
        lines.append("  no claims in [expect]; every property above was computed")
    return "\n".join(lines)


def report_to_dict(report):
    """Describe a report as JSON-ready data."""
    return {
        "name": report.name,
        "source": report.source,
        "all_claims_hold": report.all_hold,
        "results": [result.to_dict() for result in report.results],
        "derivation": (None if report.derivation is None
                       else derivation_to_dict(report.derivation)),
        "reparameterization": (None if report.reparameterization is None
                               else reparameterization_to_dict(report.reparameterization)),
        "reduced_derivation": (None if report.reduced_derivation is None
                               else derivation_to_dict(report.reduced_derivation)),
        "numeric": report.details,
    }


# -- derivations ---------------------------------------------------------------------


def derivation_to_dict(derivation):
    """Describe a :class:`~symequiv.derivation.engine.Derivation` as JSON-ready data."""
    network = derivation.network
    layers = []
    for index, layer in enumerate(network.hidden_layers, start=1):
        entry = {"layer": index, "activation": layer.label,
                 "latent_group": layer.latent_group().name, "latent_actions": {}}
        if derivation.derived:
            for generator, element in derivation.latent_actions[index - 1].items():
                entry["latent_actions"][generator] = map_to_dict(element.map)
                summary = layer.describe_latent(element)
                if summary:
                    entry["latent_actions"][generator]["summary"] = summary
            check = derivation.homomorphism_checks[index - 1]
            entry["homomorphism"] = {"holds": check.holds, "reason": check.reason}
        layers.append(entry)
    return {
        "status": derivation.status.value,
        "reason": derivation.reason,
        "unique": derivation.unique,
        "widths": list(network.widths),
        "generators": list(derivation.action.generators),
        "relations": [str(word) for word in derivation.action.relations],
        "group_order": derivation.action.order,
        "layers": layers,
        "failure": None if derivation.derived else {
            "generator": derivation.failure_generator, "layer": derivation.failure_layer},
    }


def reparameterization_to_dict(reparameterization):
    return {
        "changed": reparameterization.changed,
        "verified": reparameterization.verified,
        "formed": reparameterization.formed,
        "blocked": [step.description for step in reparameterization.blocked],
        "steps": [step.description for step in reparameterization.steps],
        "parameters": (reparameterization.network.parameter_strings()
                       if reparameterization.changed and reparameterization.formed else None),
    }


def format_derivation(derivation, name="", source=None, reparameterization=None,
                      reduced=None):
    """Render a derivation (and the one at the reduced parameters) as text."""
    network = derivation.network
    action = derivation.action
    lines = []
    if name or source:
        lines.append(name + (f"  ({source})" if source else ""))
    relations = ", ".join(str(word) for word in action.relations) or "none declared"
    order = action.order
    lines.append(f"G: generators {', '.join(action.generators)}; relations {relations}"
                 + (f"; order {order}" if order is not None else ""))
    if all(layer.kind == "dense" for layer in network.layers):
        activations = ", ".join(layer.label for layer in network.hidden_layers)
        lines.append(f"network: widths {list(network.widths)}"
                     + (f", activations {activations}" if activations else ""))
    else:
        layers = ", ".join(layer.label for layer in network.layers)
        lines.append(f"network: widths {list(network.widths)}, layers {layers}")
    lines.extend(_format_one(derivation, "theta"))
    if reparameterization is not None and not reparameterization.formed:
        lines.append(f"reparameterization: {reparameterization.blocked_reason()}")
    elif reparameterization is not None and reparameterization.changed:
        lines.append("reparameterization theta* (same function):")
        lines.extend(f"  {step.description}" for step in reparameterization.steps)
        lines.extend(format_parameters(reparameterization.network.parameter_expressions(), "  "))
        if reduced is not None:
            lines.extend(_format_one(reduced, "theta*"))
    return "\n".join(lines)


def _format_one(derivation, label):
    lines = []
    uniqueness = {True: "every k_i(g) is unique", False: "some k_i(g) are not unique",
                  None: "uniqueness of the k_i(g) not established"}[derivation.unique]
    lines.append(f"derivation at {label}: {derivation.status.value}")
    lines.append(f"  {derivation.reason}")
    if not derivation.derived:
        return lines
    lines.append(f"  ({uniqueness})")
    network = derivation.network
    for index, layer in enumerate(network.hidden_layers, start=1):
        lines.append(f"  layer {index} ({layer.label}); K_{index} = "
                     f"{layer.latent_group().name}")
        for generator, element in derivation.latent_actions[index - 1].items():
            lines.append(f"    rho_{index}({generator}) =")
            summary = layer.describe_latent(element)
            if summary:
                lines.extend("      " + line for line in summary)
                if element.map.dimension > MAX_PRINTED_DIMENSION:
                    continue
                lines.append("      as a matrix on V_" + f"{index}:")
            lines.extend(format_map(element.map, indent="      "))
        lines.append(f"    homomorphism: {derivation.homomorphism_checks[index - 1].reason}")
    return lines
