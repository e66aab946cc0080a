r"""The claims of a theory with float parameters: evidence within a tolerance, or refutations.

A trained network is almost never exactly equivariant, so for float
parameters each property is read *within the relative tolerance* :math:`\tau`:

``end_to_end_equivariant``
    :math:`\|f(g x) - g f(x)\| \le \tau \max(\|f(x)\|, m)` for the inputs
    examined, with :math:`m` the median of :math:`\|f(y)\|` over the sampled
    inputs (so that an input where :math:`f(x) \approx 0` does not make the
    relative error meaningless). Numerical evidence when every sampled input
    passes; *refuted* when Arb ball arithmetic, on the float weights exactly
    as stored, proves the error above that bound at some input.
``layerwise_equivariant``
    the float construction (:mod:`~symequiv.numeric.relate`) finds, for every
    generator, latent elements within :math:`\tau` in every layer, and the
    snapped elements satisfy the group's relations exactly.
``identifiable``
    for one hidden tanh layer, Sussmann's conditions with :math:`\tau` as the
    threshold; otherwise unknown.
``layerwise_after_reparameterization``
    as ``layerwise_equivariant`` when no neuron is dead or duplicated within
    :math:`\tau`; otherwise unknown.

Nothing here is a proof of a property holding: agreement is reported as
numerical evidence, with the tolerance and a margin.
"""

from __future__ import annotations

import math

import numpy

from symequiv.activations.symmetry import ScaleSet
from symequiv.exact.intervals import describe_ball, working_precision
from symequiv.numeric.matching import MatchStatus, match_float_rows
from symequiv.numeric.relate import FloatAffine, latent_homomorphism, relate_network
from symequiv.verdicts import InputWitness, Verdict
from symequiv.verification import PROPERTIES, ClaimResult, Report

SAMPLES = 2048
CERTIFIED_CANDIDATES = 8
PRECISIONS = (128, 256)


def _errors(network, input_map, output_map, inputs):
    """Return ``(|f(g x) - g f(x)|, |f(x)|)`` for a batch of rows."""
    outputs = network.evaluate(inputs)
    moved = network.evaluate(input_map.apply_rows(inputs))
    expected = output_map.apply_rows(outputs)
    return numpy.linalg.norm(moved - expected, axis=1), numpy.linalg.norm(outputs, axis=1)


def end_to_end_verdict(network, action, tolerance, rng, samples=SAMPLES):
    r"""Return the verdict on :math:`\|f(g x) - g f(x)\| \le \tau \max(\|f(x)\|, m)`.

    Inputs are standard normal noise, and :math:`m` is the median output
    norm over them. The worst inputs are re-evaluated in ball arithmetic, and
    a refutation is reported only when the certified lower bound of the
    error exceeds the bound.
    """
    largest = 0.0
    scale = None
    for generator in action.generators:
        input_map = FloatAffine.from_exact(action.input[generator])
        output_map = FloatAffine.from_exact(action.output[generator])
        inputs = rng.standard_normal((samples, network.input_dimension))
        with numpy.errstate(all="ignore"):
            differences, norms = _errors(network, input_map, output_map, inputs)
        if scale is None:
            scale = max(float(numpy.median(norms)), 1e-300)
        errors = differences / numpy.maximum(norms, scale)
        largest = max(largest, float(numpy.nan_to_num(errors, nan=numpy.inf).max()))
        for index in numpy.argsort(-errors)[:CERTIFIED_CANDIDATES]:
            if not errors[index] > tolerance:
                break
            witness, bound = certify_input(network, action, generator, inputs[index], tolerance,
                                           scale)
            if witness is not None:
                return Verdict.refuted(
                    "certified witness", f"at this input |f(g x) - g f(x)| / max(|f(x)|, m) is "
                    f"at least {bound:.3g}, above the tolerance {tolerance:.3g}, with m = "
                    f"{scale:.3g} the median |f(y)| over the samples (Arb ball arithmetic on "
                    "the stored weights)", witness, tolerance=tolerance)
    if largest <= tolerance:
        margin = tolerance / largest if largest > 0 else float("inf")
        return Verdict.evidence(
            "sampling", f"the largest |f(g x) - g f(x)| / max(|f(x)|, m) over {samples} noise "
            f"inputs per generator is {largest:.3g}, within the tolerance {tolerance:.3g} "
            f"(m = {scale:.3g}, the median |f(y)|)", True, tolerance, margin)
    return Verdict.unknown(f"the largest relative error in floating point is {largest:.3g}, "
                           f"above the tolerance {tolerance:.3g}, but ball arithmetic did not "
                           "certify it", method="sampling")


def certify_input(network, action, generator, point, tolerance, scale=0.0):
    r"""Return ``(witness, bound)`` when Arb proves the error exceeds ``tolerance``.

    The error is :math:`\|f(g x) - g f(x)\| / \max(\|f(x)\|, m)` with
    :math:`m` = ``scale``. ``point`` is a float vector, taken as the exact
    binary number each entry stores; ``(None, None)`` when no precision
    separates the bound from the tolerance.
    """
    import flint

    field = action.field
    input_map = action.input[generator]
    output_map = action.output[generator]
    for bits in PRECISIONS:
        with working_precision(bits):
            exact = [flint.arb(float(value)) for value in point]
            moved = _apply_arb(input_map, exact, field)
            left = network.evaluate_arb(moved)
            outputs = network.evaluate_arb(exact)
            right = _apply_arb(output_map, outputs, field)
            differences = [a - b for a, b in zip(left, right)]
            difference_norm = sum((value * value for value in differences), flint.arb(0)).sqrt()
            output_norm = sum((value * value for value in outputs), flint.arb(0)).sqrt()
            # Round the bound down: the smallest error over the ball, over the largest
            # denominator, each rounded away from the claim.
            smallest = math.nextafter(float(difference_norm.lower()), 0.0)
            denominator = max(math.nextafter(float(output_norm.upper()), math.inf), scale)
            bound = math.nextafter(smallest / denominator, 0.0)
            if bound > tolerance:
                coordinate = max(range(len(differences)),
                                 key=lambda index: float(abs(differences[index]).lower()))
                witness = InputWitness(
                    generator, tuple(repr(float(value)) for value in point), coordinate,
                    describe_ball(left[coordinate], 17), describe_ball(right[coordinate], 17),
                    describe_ball(differences[coordinate]), bits)
                return witness, bound
    return None, None


def _apply_arb(affine_map, vector, field):
    linear = affine_map.linear
    shift = affine_map.translation_or_zero()
    zero = field.zero
    result = []
    for row, offset in zip(linear.rows(), shift):
        total = field.to_arb(offset)
        for entry, value in zip(row, vector):
            if entry != zero:
                total += field.to_arb(entry) * value
        result.append(total)
    return result


def layerwise_verdict(network, action, tolerance, relations, checks):
    """Return the verdict on layerwise equivariance from the float relations."""
    method = "float construction"
    failing = [relation for relation in relations.values() if not relation.holds]
    if not failing and checks is not None and all(check.holds for check in checks):
        margins = [step.match.margin for relation in relations.values()
                   for step in relation.steps]
        margin = min(margins) if margins else float("inf")
        worst = max([step.match.error for relation in relations.values()
                     for step in relation.steps]
                    + [relation.output_residual for relation in relations.values()])
        ambiguous = any(relation.ambiguous for relation in relations.values())
        reason = (f"for every generator each layer matches an element of K_i with relative "
                  f"residual at most {worst:.3g} (tolerance {tolerance:.3g}), and the snapped "
                  "elements satisfy the group's relations")
        if ambiguous:
            reason += "; some matches are ambiguous, so the latent action is not unique"
        return Verdict.evidence(method, reason, True, tolerance, margin)
    for relation in failing:
        determined = all(step.match.status is MatchStatus.MATCHED
                         for step in relation.steps[:-1] if step.element is not None)
        if relation.ambiguous and relation.complete:
            determined = False
        if not determined:
            continue
        layer = relation.failed_layer
        if relation.complete:
            detail = (f"the output layer f_{layer} is off by a relative residual of "
                      f"{relation.output_residual:.3g}")
        else:
            detail = f"layer f_{layer}: {relation.steps[-1].match.reason}"
        return Verdict.evidence(method, f"for the generator {relation.generator}, {detail}; "
                                "the earlier layers were matched unambiguously, so no other "
                                "choice of latent elements was left", False, tolerance)
    if checks is not None and not failing:
        check = next(check for check in checks if not check.holds)
        if not any(relation.ambiguous for relation in relations.values()):
            return Verdict.evidence(method, f"the snapped latent elements are not a "
                                    f"homomorphism: {check.reason}", False, tolerance)
    return Verdict.unknown("a match was ambiguous, and the choice made did not give "
                           "equivariant layers; other choices were not tried", method=method)


def identifiability_verdict(network, tolerance, rng):
    """Return the verdict on identifiability: Sussmann's conditions within the tolerance."""
    if network.depth != 2 or network.activations[0].name != "tanh":
        return Verdict.unknown("for float parameters identifiability is examined only for "
                               "one hidden tanh layer (Sussmann's conditions within the "
                               "tolerance)")
    weights, bias, outgoing = network.weights[0], network.biases[0], network.weights[1]
    rows = numpy.column_stack([weights, bias])
    row_size = float(numpy.linalg.norm(rows, axis=1).max())
    smallest_incoming = float(numpy.linalg.norm(weights, axis=1).min()) / max(row_size, 1e-300)
    column_norms = numpy.linalg.norm(outgoing, axis=0)
    smallest_outgoing = float(column_norms.min()) / max(float(column_norms.max()), 1e-300)
    if rows.shape[0] > 1:
        self_match = match_float_rows(rows, rows, ScaleSet.SIGN, tolerance, rng)
        closest_pair = self_match.runner_up
    else:
        closest_pair = float("inf")
    smallest = min(smallest_incoming, smallest_outgoing, closest_pair)
    reason = (f"smallest incoming weight norm {smallest_incoming:.3g}, smallest outgoing "
              f"weight norm {smallest_outgoing:.3g} (relative to the largest), closest pair of "
              f"neurons up to sign {closest_pair:.3g}")
    method = "Sussmann (1992), within the tolerance"
    if smallest > tolerance:
        return Verdict.evidence(method, reason + f", all above the tolerance {tolerance:.3g}",
                                True, tolerance, smallest / tolerance)
    return Verdict.evidence(method, reason + f"; one is within the tolerance {tolerance:.3g}, "
                            "so the network is close to a reducible one", False, tolerance)


def _reducible_within(network, tolerance, rng):
    """Return a reason when a neuron is dead or duplicated within the tolerance, else None."""
    for index in range(1, network.depth):
        weights, bias = network.weights[index - 1], network.biases[index - 1]
        rows = numpy.column_stack([weights, bias])
        norms = numpy.linalg.norm(weights, axis=1)
        if norms.min() <= tolerance * max(float(norms.max()), 1e-300):
            return f"layer {index} has a neuron with incoming weights within the tolerance of 0"
        outgoing = numpy.linalg.norm(network.weights[index], axis=0)
        if outgoing.min() <= tolerance * max(float(outgoing.max()), 1e-300):
            return f"layer {index} has a neuron with outgoing weights within the tolerance of 0"
        activation = network.activation(index)
        if rows.shape[0] > 1 and not activation.is_identity:
            match = match_float_rows(rows, rows, activation.symmetry.scale_set, tolerance, rng)
            if match.runner_up <= tolerance:
                return f"layer {index} has two neurons equal within the tolerance"
    return None


def verify_float_network(network, action, tolerance, expectations=None, name="", source=None,
                         seed=0, strict=False):
    r"""Compute every property of a float network within ``tolerance``.

    Parameters
    ----------
    network : FloatNetwork
    action : GroupAction
    tolerance : float
        Relative tolerance.
    expectations : dict, optional
    name, source : str
    seed : int
        Seed of the ``numpy.random.Generator`` for sampling and projections.
    strict : bool
        Count only proofs and refutations as settling a claim.

    Returns
    -------
    Report
        With ``derivation`` and ``reparameterization`` None and the float
        relations summarized in ``details``.
    """
    expectations = dict(expectations or {})
    rng = numpy.random.default_rng(seed)
    end_to_end = end_to_end_verdict(network, action, tolerance, rng)
    relations = relate_network(network, action, tolerance, rng)
    checks = latent_homomorphism(action, relations, network)
    layerwise = layerwise_verdict(network, action, tolerance, relations, checks)
    identifiable = identifiability_verdict(network, tolerance, rng)
    reducible = _reducible_within(network, tolerance, rng)
    if reducible is None:
        after = Verdict(layerwise.status, layerwise.method,
                        "theta* = theta within the tolerance, since no neuron is dead or "
                        "duplicated; " + layerwise.reason, layerwise.witness,
                        tolerance=layerwise.tolerance, observed=layerwise.observed,
                        margin=layerwise.margin)
    else:
        # NOTE: float parameters are not reduced to theta*; a near-dead or
        # near-duplicate neuron leaves this property unknown.
        after = Verdict.unknown(f"{reducible}, and float parameters are not reduced to theta*")
    verdicts = {
        "end_to_end_equivariant": end_to_end,
        "identifiable": identifiable,
        "layerwise_equivariant": layerwise,
        "layerwise_after_reparameterization": after,
    }
    results = tuple(ClaimResult(property_, expectations.get(property_), verdicts[property_],
                                strict) for property_ in PROPERTIES)
    details = {"tolerance": tolerance, "widths": list(network.widths),
               "stored_dtype": network.source_dtype,
               "relations": {generator: relation_to_dict(relation)
                             for generator, relation in relations.items()}}
    return Report(name, source, results, None, None, None, details)


def relation_to_dict(relation):
    """Describe a :class:`~symequiv.numeric.relate.FloatRelation` as JSON-ready data."""
    layers = []
    for step in relation.steps:
        match = step.match
        layers.append({"layer": step.layer, "status": match.status.value,
                       "error": match.error, "runner_up": _finite(match.runner_up),
                       "margin": _finite(match.margin), "reason": match.reason})
    return {"generator": relation.generator, "layers": layers,
            "output_residual": relation.output_residual, "holds": relation.holds}


def _finite(value):
    return None if value is None or not numpy.isfinite(value) else float(value)
