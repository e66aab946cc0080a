r"""The per-layer report on trained weights behind ``symequiv inspect``.

For every generator :math:`g` and hidden layer :math:`i` it combines

* the function-space metric (:mod:`~symequiv.numeric.metric`): the fitted
  :math:`A_i`, its median relative error and the nearest element of
  :math:`K_i` with its distance;
* the weight-space match (:mod:`~symequiv.numeric.relate`): the best element
  of :math:`K_i` relating the rows, its residual, the runner-up and the
  margin between them;
* the projection onto the parameters equivariant for the snapped latent
  actions, and the exact certificate of the projected network
  (:mod:`~symequiv.numeric.projection`).

All figures are numerical evidence; only the certificate is a proof, and it
is about the projected network, not the trained one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from symequiv.actions.notation import permutation_cycles, signed_cycles
from symequiv.errors import SymequivError
from symequiv.numeric.metric import DEFAULT_SAMPLES, acts_affinely, fit_layer_maps
from symequiv.numeric.network import FloatNetwork
from symequiv.numeric.projection import project_network
from symequiv.numeric.relate import latent_homomorphism, relate_network

MAX_LISTED_WIDTH = 8
# The chosen pairing gets a row of its own, so it is listed in full for wider layers.
MAX_LISTED_PAIRING = 32


@dataclass(frozen=True)
class LayerReport:
    """One hidden layer for one generator: the metric and the weight-space match."""

    layer: int
    activation: str
    fit: object
    match: object
    element: object
    agreement: float


@dataclass(frozen=True)
class GeneratorReport:
    generator: str
    layers: tuple
    output_error: float
    output_residual: float | None


@dataclass(frozen=True)
class Inspection:
    r"""Everything ``symequiv inspect`` reports on one network.

    Attributes
    ----------
    name, source : str
    network : FloatNetwork
    samples : int
    tolerance : float
    generators : tuple of GeneratorReport
    homomorphism : list or None
        Per hidden layer, whether the snapped elements satisfy the relations.
    projection : Projection or None
    projection_note : str
        Why there is no projection, when there is none.
    warnings : tuple of str
        Caveats on the figures, such as a least-squares fit with too few samples.
    """

    name: str
    source: str | None
    network: object
    samples: int
    tolerance: float
    generators: tuple
    homomorphism: list | None
    projection: object
    projection_note: str = ""
    warnings: tuple = ()


def float_network_of(theory):
    """Return the :class:`FloatNetwork` of a theory, exact or numeric."""
    network = theory.network
    if isinstance(network, FloatNetwork):
        return network
    weights = [layer.float_weights for layer in network.layers]
    biases = [layer.float_bias for layer in network.layers]
    activations = [layer.activation for layer in network.hidden_layers]
    return FloatNetwork(tuple(weights), tuple(biases), tuple(activations),
                        network.layers[0].has_bias, "exact")


def inspect_network(network, action, samples=DEFAULT_SAMPLES, tolerance=1e-6, rng=None,
                    progress=None, project=True, certify=True, name="", source=None):
    r"""Run the metric, the weight-space match and the projection on a float network.

    Parameters
    ----------
    network : FloatNetwork
    action : GroupAction
    samples : int
        Noise inputs per generator for the metric.
    tolerance : float
        Relative tolerance of the weight-space match.
    rng : numpy.random.Generator
        Seeds the matcher's own generator (one draw, before any sampling), then
        draws the noise inputs, so the match does not depend on ``samples``.
    progress : callable, optional
        Called with the number of samples just processed; the total is
        ``samples`` times the number of generators.
    project, certify : bool
        Whether to project the weights, and whether to certify the projection exactly.

    Returns
    -------
    Inspection
    """
    rng = numpy.random.default_rng(0) if rng is None else rng
    matcher_rng = numpy.random.default_rng(int(rng.integers(2**63)))
    fits = fit_layer_maps(network, action, samples, rng, progress=progress)
    relations = relate_network(network, action, tolerance, matcher_rng, force=True)
    reports = []
    for generator in action.generators:
        layer_fits, output = fits[generator]
        relation = relations[generator]
        layers = []
        for fit in layer_fits:
            step = relation.steps[fit.layer - 1] if fit.layer <= len(relation.steps) else None
            match = step.match if step else None
            agreement = float("nan")
            if match is not None and fit.nearest.images is not None and len(match.images):
                agreement = float(numpy.mean(match.images == fit.nearest.images))
            layers.append(LayerReport(fit.layer, network.activation(fit.layer).name, fit, match,
                                      step.element if step else None, agreement))
        reports.append(GeneratorReport(generator, tuple(layers), output.median_error,
                                       relation.output_residual))

    checks = latent_homomorphism(action, relations, network)
    projection = None
    note = ""
    if not project:
        note = "not requested"
    elif checks is None:
        note = "a layer has no latent element to snap to"
    elif not all(check.holds for check in checks):
        failing = next(check for check in checks if not check.holds)
        note = f"the snapped latent elements are not a homomorphism: {failing.reason}"
    else:
        try:
            projection = project_network(network, action, relations, rng, certify=certify)
        except SymequivError as error:
            note = str(error)
    return Inspection(name, source, network, samples, tolerance, tuple(reports), checks,
                      projection, note, underdetermined_fits(network, samples))


def underdetermined_fits(network, samples):
    r"""Return a warning for each hidden layer whose fit of :math:`A_i` has too few samples.

    Each row of :math:`A_i` has one unknown per neuron (plus a translation
    where :math:`K_i` acts affinely). With no more fit samples than unknowns
    the least-squares fit interpolates the samples, so :math:`A_i` is not
    determined by the layer and its distance to :math:`K_i` means little.
    """
    fit_samples = max(samples // 2, 1)
    warnings = []
    for index in range(1, network.depth):
        unknowns = network.widths[index] + (1 if acts_affinely(network.activation(index)) else 0)
        if fit_samples <= unknowns:
            warnings.append(f"the fit of A_{index} is underdetermined: {fit_samples} fit "
                            f"samples for {unknowns} unknowns per row; use --samples of at "
                            f"least {2 * (unknowns + 1)}, and many more for a stable fit")
    return tuple(warnings)


# -- rendering ------------------------------------------------------------------


def describe_element(images, scales, translation=None, listed_width=MAX_LISTED_WIDTH):
    """Describe a monomial latent element: cycles up to ``listed_width`` coordinates, counts beyond.

    Cycles number coordinates from 1, and a minus marks a sign flip (see
    :func:`~symequiv.actions.notation.signed_cycles`).
    """
    if images is None:
        return "affine map"
    images = [int(image) for image in images]
    size = len(images)
    signs = [1 if scale > 0 else -1 for scale in scales]
    unit = all(abs(abs(scale) - 1) < 1e-12 for scale in scales)
    if size <= listed_width and unit:
        if all(sign == 1 for sign in signs):
            text = f"permutation {permutation_cycles(images)}"
        else:
            text = f"signed permutation {signed_cycles(images, signs)}"
    else:
        fixed = sum(1 for column, image in enumerate(images) if column == image)
        flips = sum(1 for sign in signs if sign < 0)
        kind = "permutation" if not flips else "signed permutation"
        if not unit:
            kind = "monomial matrix"
        text = f"{kind}: {fixed} of {size} fixed, {flips} sign flips"
    if translation is not None and numpy.any(translation):
        text += " with a translation"
    return text


def _number(value):
    if value is None or (isinstance(value, float) and not numpy.isfinite(value)):
        return "inf" if value is not None and value > 0 else "-"
    return f"{value:.3g}"


def format_inspection(inspection):
    """Render an :class:`Inspection` as text."""
    network = inspection.network
    lines = [inspection.name + (f"  ({inspection.source})" if inspection.source else "")]
    activations = ", ".join(activation.name for activation in network.activations)
    if network.source_dtype == "exact":
        stored = "exact parameters, inspected as float64"
    else:
        stored = f"weights stored as {network.source_dtype}"
    lines.append(f"network: widths {list(network.widths)}, activations {activations}; {stored}")
    lines.append(f"metric: A_i fitted on {inspection.samples // 2} noise inputs, median "
                 f"error on {inspection.samples - inspection.samples // 2} more; weight-space "
                 f"tolerance {inspection.tolerance:.3g}")
    for report in inspection.generators:
        lines.append(f"generator {report.generator}:")
        lines.append("  layer  activation  metric error  K distance  nearest element of K_i"
                     "                 match residual  runner-up  margin    match")
        for layer in report.layers:
            nearest = layer.fit.nearest
            match = layer.match
            lines.append(
                f"  f_{layer.layer:<4} {layer.activation:<11} {_number(layer.fit.median_error):>12}"
                f"  {_number(nearest.distance):>10}  "
                f"{describe_element(nearest.images, nearest.scales, nearest.translation):<40}"
                f" {_number(match.error if match else None):>14}"
                f"  {_number(match.runner_up if match else None):>9}"
                f"  {_number(match.margin if match else None):>6}"
                f"    {match.status.value if match else '-'}")
            if match is not None and len(match.images):
                pairing = describe_element(match.images, match.scales,
                                           listed_width=MAX_LISTED_PAIRING)
                lines.append(f"         chosen pairing: {pairing}")
            if match is not None and numpy.isfinite(layer.agreement) and layer.agreement < 1:
                lines.append(f"         the weight-space match and the nearest element of A_"
                             f"{layer.layer} agree on {100 * layer.agreement:.0f}% of neurons")
        lines.append(f"  output: median |f(g y) - rho_out(g) f(y)| / |f(y)| = "
                     f"{_number(report.output_error)}; weight-space residual "
                     f"{_number(report.output_residual)}")
    lines.append("runner-up: the smallest residual between any neuron and a partner other "
                 "than its chosen one; margin = runner-up / match residual")
    lines.extend(_format_projection(inspection))
    lines.extend(f"warning: {warning}" for warning in inspection.warnings)
    return "\n".join(lines)


def _format_projection(inspection):
    projection = inspection.projection
    if projection is None:
        return [f"projection: none ({inspection.projection_note})"]
    lines = ["projection onto the parameters equivariant for the snapped latent actions:",
             f"  relative distance {_number(projection.distance)} (per layer "
             + ", ".join(_number(value) for value in projection.layer_distances) + ")",
             f"  change in outputs on {projection.output_change['samples']} noise inputs, "
             f"|f_projected(y) - f(y)| / max(|f(y)|, m) with m = "
             f"{_number(projection.output_change['m'])} the median |f(y)|: median "
             f"{_number(projection.output_change['median'])}, max "
             f"{_number(projection.output_change['max'])}"]
    derivation = projection.derivation
    if derivation is None:
        lines.append("  not certified (not requested)")
    elif derivation.derived:
        lines.append("  certified: the projected network (exact rationals) is layerwise "
                     "equivariant, proved by derivation")
    else:
        lines.append(f"  not certified: the derivation on the projected network is "
                     f"{derivation.status.value}: {derivation.reason}")
    return lines


def inspection_to_dict(inspection):
    """Describe an :class:`Inspection` as JSON-ready data (floats, with null for infinity)."""
    generators = []
    for report in inspection.generators:
        layers = []
        for layer in report.layers:
            nearest = layer.fit.nearest
            match = layer.match
            layers.append({
                "layer": layer.layer,
                "activation": layer.activation,
                "metric_error": layer.fit.median_error,
                "fitted_map": layer.fit.fitted.tolist(),
                "nearest_element": {
                    "description": describe_element(nearest.images, nearest.scales,
                                                    nearest.translation),
                    "images": None if nearest.images is None else nearest.images.tolist(),
                    "scales": None if nearest.scales is None else nearest.scales.tolist(),
                    "distance": nearest.distance,
                },
                "match": None if match is None else {
                    "status": match.status.value,
                    "description": describe_element(match.images, match.scales,
                                                    listed_width=MAX_LISTED_PAIRING)
                    if len(match.images) else "affine map",
                    "images": match.images.tolist(),
                    "scales": match.scales.tolist(),
                    "error": match.error,
                    "runner_up": _finite(match.runner_up),
                    "margin": _finite(match.margin),
                    "reason": match.reason,
                },
                "agreement": _finite(layer.agreement),
            })
        generators.append({"generator": report.generator, "layers": layers,
                           "output_error": report.output_error,
                           "output_residual": report.output_residual})
    projection = inspection.projection
    return {
        "name": inspection.name,
        "source": inspection.source,
        "widths": list(inspection.network.widths),
        "stored_dtype": inspection.network.source_dtype,
        "samples": inspection.samples,
        "tolerance": inspection.tolerance,
        "generators": generators,
        "projection": None if projection is None else {
            "distance": projection.distance,
            "layer_distances": list(projection.layer_distances),
            "output_change": projection.output_change,
            "group_orders": list(projection.group_orders),
            "certified": projection.certified,
            "derivation": None if projection.derivation is None else {
                "status": projection.derivation.status.value,
                "reason": projection.derivation.reason},
        },
        "projection_note": inspection.projection_note,
        "warnings": list(inspection.warnings),
    }


def _finite(value):
    return None if value is None or not numpy.isfinite(value) else float(value)
