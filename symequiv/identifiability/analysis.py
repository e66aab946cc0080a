r"""Everything symequiv establishes about a network's identifiability, in one report.

:func:`analyze` collects, for an MLP: the identities of each hidden
activation and its latent group :math:`K_i`; the parameter-symmetry group with
the stabilizer (and, on request, the orbit) of :math:`\theta`; the reduction to
:math:`\theta^*` and the submodel :math:`\tilde\theta`; every catalogue
criterion with its hypotheses; the decision; weak identifiability through the
submodel; the functional dimension; and the exact fiber for small polynomial
networks. :func:`format_analysis` and :func:`analysis_to_dict` render it for
``symequiv identify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from symequiv.activations.discovery import discover_symmetry
from symequiv.identifiability import fibers
from symequiv.identifiability.catalogue import evaluate_criteria
from symequiv.identifiability.decide import decide_identifiability
from symequiv.identifiability.functional_dimension import functional_dimension
from symequiv.identifiability.parameter_group import orbit, parameter_symmetry_group, stabilizer
from symequiv.identifiability.submodel import submodel
from symequiv.verdicts import ParameterWitness, Status, Verdict


@dataclass(frozen=True)
class IdentifiabilityAnalysis:
    """The parts of :func:`analyze`'s report; see the module docstring."""

    network: object
    discoveries: tuple
    group: object
    stabilizer: object
    orbit: tuple
    orbit_complete: bool
    submodel: object
    criteria: tuple
    verdict: Verdict
    weak: Verdict
    functional_dimension: object
    fiber: object

    def __str__(self):
        """Return the text ``symequiv identify`` prints."""
        return format_analysis(self)


def analyze(network, orbit_limit=0, seed=0):
    """Analyze the identifiability of an MLP; return an :class:`IdentifiabilityAnalysis`.

    Parameters
    ----------
    network : Network
    orbit_limit : int
        How many orbit elements to list (0 lists none).
    seed : int
        Seed of the sampled inputs of a numeric functional dimension.
    """
    discoveries = tuple(discover_symmetry(layer.activation.formula)
                        for layer in network.hidden_layers)
    group = parameter_symmetry_group(network)
    fixed = stabilizer(network)
    listed, complete = orbit(network, orbit_limit) if orbit_limit else ((), False)
    reduction = submodel(network)
    criteria = evaluate_criteria(network)
    verdict = decide_identifiability(network)
    weak = _weak_identifiability(verdict, reduction)
    dimension = None
    if not network.field.symbols:
        dimension = functional_dimension(network, seed=seed)
    fiber = None
    if fibers.applicability(network) is None:
        fiber = fibers.compute_fiber(network, seed=seed)
    return IdentifiabilityAnalysis(network, discoveries, group, fixed, listed, complete,
                                   reduction, criteria, verdict, weak, dimension, fiber)


def _weak_identifiability(verdict, reduction):
    method = "submodel"
    if verdict.status is Status.PROVED:
        return Verdict.proved(method, "theta is identifiable, so weakly identifiable")
    if not reduction.reparameterization.formed:
        return Verdict.unknown(reduction.reparameterization.blocked_reason()
                               + ", so the submodel theta~ is not formed either", method)
    if not reduction.changed:
        return Verdict.unknown("no neuron can be removed, so weak identifiability is "
                               "identifiability itself, which is not proved", method)
    if not reduction.verified:
        return Verdict.unknown("the reduction could not be re-proved exact", method)
    reduced = decide_identifiability(reduction.reduced)
    widths = list(reduction.reduced.widths)
    if reduced.status is Status.PROVED:
        return Verdict.proved(method, f"theta = beta(theta~) up to the reduction, and the "
                              f"submodel theta~ of widths {widths} is identifiable "
                              f"({reduced.method}: {reduced.reason})")
    return Verdict.unknown(f"the submodel theta~ of widths {widths} is not proved identifiable "
                           f"({reduced.status.value}: {reduced.reason})", method)


# -- rendering -----------------------------------------------------------------------------------


def _status(holds):
    return {True: "holds", False: "fails", None: "undecided"}[holds]


def _verdict_lines(label, verdict, indent="  "):
    method = f" by {verdict.method}" if verdict.method != "none" else ""
    lines = [f"{label}: {verdict.status.value}{method}", f"{indent}{verdict.reason}"]
    if verdict.conditional:
        lines.append(f"{indent}conditional on: {verdict.conditional}")
    if verdict.witness is not None:
        lines.append(f"{indent}witness: {verdict.witness.describe()}")
        if isinstance(verdict.witness, ParameterWitness):
            from symequiv.report import format_parameters

            lines.append(f"{indent}theta':")
            lines.extend(format_parameters(verdict.witness.parameters, indent + "  "))
    return lines


def format_analysis(analysis, name="", source=None):
    """Render an :class:`IdentifiabilityAnalysis` as text."""
    network = analysis.network
    lines = [name + (f"  ({source})" if source else "")] if name or source else []
    activations = ", ".join(layer.label for layer in network.hidden_layers)
    lines.append(f"network: widths {list(network.widths)}, activations {activations}, "
                 f"{network.parameter_count} parameters")

    lines.append("activations and latent groups:")
    for index, (layer, discovery) in enumerate(zip(network.hidden_layers,
                                                   analysis.discoveries), start=1):
        lines.append(f"  layer {index} ({layer.label}): K_{index} = {layer.latent_group().name}")
        for check in discovery.checks:
            status = check.verdict.status.value
            lines.append(f"    {check.name}: {check.equation}: {status}")

    group = analysis.group
    lines.append(f"parameter symmetries: {group.describe()}")
    for layer in group.layers:
        lines.append(f"  layer {layer.layer}: {layer.order_formula}"
                     + (f", dimension {layer.dimension}" if layer.dimension else ""))
        lines.extend(f"    generator: {generator}" for generator in layer.generators)
        if layer.note:
            lines.append(f"    note: {layer.note}")
    lines.append(f"  stabilizer of theta: {analysis.stabilizer.describe()}")
    if analysis.orbit:
        more = "" if analysis.orbit_complete else " (more exist)"
        lines.append(f"  orbit of the finite part: {len(analysis.orbit)} parameters listed{more}")
        from symequiv.report import format_parameters

        for number, member in enumerate(analysis.orbit, start=1):
            lines.append(f"    [{number}]")
            lines.extend(format_parameters(member.parameter_expressions(), "      "))

    lines.extend(_reduction_lines(analysis.submodel))

    lines.append("criteria:")
    for result in analysis.criteria:
        criterion = result.criterion
        if not result.applies:
            lines.append(f"  {criterion.name}: does not apply ({result.reason})")
            continue
        lines.append(f"  {criterion.name} ({criterion.source}):")
        for hypothesis in result.hypotheses:
            detail = f" ({hypothesis.detail})" if hypothesis.detail else ""
            lines.append(f"    {hypothesis.label} {hypothesis.statement}: "
                         f"{_status(hypothesis.holds)}{detail}")
        if result.verdict is not None:
            lines.append(f"    gives: {result.verdict.status.value}"
                         + (" (conditional)" if result.verdict.conditional else ""))
        else:
            lines.append(f"    gives nothing: {result.reason}")

    lines.extend(_verdict_lines("identifiable", analysis.verdict))
    lines.extend(_verdict_lines("weakly identifiable", analysis.weak))
    if analysis.functional_dimension is not None:
        lines.append(f"functional dimension: {analysis.functional_dimension.describe()}")
    if analysis.fiber is not None:
        fiber = analysis.fiber
        cases = "1 case" if fiber.cases == 1 else f"{fiber.cases} cases"
        points = ("1 orbit point" if fiber.orbit_points == 1
                  else f"{fiber.orbit_points} orbit points")
        lines.append(f"exact fiber: {fiber.verdict.status.value} ({cases}, {points}, "
                     f"{fiber.seconds:.2f} s)")
        lines.append(f"  {fiber.verdict.reason}")
    return "\n".join(lines)


def _reduction_lines(reduction):
    blocked = reduction.reparameterization.blocked
    if blocked:
        lines = ["reduction: theta* is not formed:"]
        lines.extend(f"  {step.description}" for step in blocked)
        lines.extend(f"  done before: {step.description}"
                     for step in reduction.reparameterization.steps)
        return lines
    if not reduction.reparameterization.changed:
        return ["reduction: no neuron is dead, constant or duplicated, so theta* = theta"]
    lines = ["reduction to theta* (same function):"]
    lines.extend(f"  {step.description}" for step in reduction.reparameterization.steps)
    from symequiv.report import format_parameters

    lines.append(f"submodel theta~: widths {list(reduction.reduced.widths)}")
    lines.extend(format_parameters(reduction.reduced.parameter_expressions(), "  "))
    lines.extend(f"  {embedding.describe()}" for embedding in reduction.embeddings)
    lines.append("  beta places theta~ on the kept rows and columns, zeros elsewhere")
    for fact, holds in reduction.proof:
        lines.append(f"  [{'ok' if holds else 'FAIL'}] {fact}")
    return lines


def analysis_to_dict(analysis):
    """Describe an :class:`IdentifiabilityAnalysis` as JSON-ready data."""
    network = analysis.network
    reduction = analysis.submodel
    return {
        "widths": list(network.widths),
        "parameters": network.parameter_count,
        "activations": [
            {"layer": index, "activation": layer.label,
             "latent_group": layer.latent_group().name,
             "identities": [check.to_dict() for check in discovery.checks]}
            for index, (layer, discovery) in enumerate(
                zip(network.hidden_layers, analysis.discoveries), start=1)],
        "parameter_symmetries": analysis.group.to_dict(),
        "stabilizer": analysis.stabilizer.to_dict(),
        "orbit": {"complete": analysis.orbit_complete,
                  "parameters": [member.parameter_strings() for member in analysis.orbit]},
        "reduction": {
            "steps": [step.description for step in reduction.reparameterization.steps],
            "theta_star": reduction.theta_star.parameter_strings(),
            "submodel": {**reduction.to_dict(),
                         "parameters": reduction.reduced.parameter_strings()},
        },
        "criteria": [result.to_dict() for result in analysis.criteria],
        "identifiable": analysis.verdict.to_dict(),
        "weakly_identifiable": analysis.weak.to_dict(),
        "functional_dimension": (None if analysis.functional_dimension is None
                                 else analysis.functional_dimension.to_dict()),
        "fiber": None if analysis.fiber is None else analysis.fiber.to_dict(),
    }
