r"""Certificates: everything needed to re-check a theory's verdicts with exact arithmetic.

A certificate is a JSON document (schema version :data:`SCHEMA_VERSION`,
described in ``docs/certificates.md``) holding the network's parameters, the
generator matrices, the relations, the latent actions per layer and
generator, the activations' intertwining identities used, and the reduction
to :math:`\theta^*`. For each verdict it contains one piece of evidence that the
kernel (:mod:`symequiv.kernel`) can re-check. The evidence is the latent
actions, an input witness with exact interval bounds, an unmatched
first-layer neuron, the hypotheses of an identifiability criterion, or two
different relations of :math:`\theta` to itself. A verdict reached by a method
the kernel does not re-check (a normal form, a polynomial expansion, a second
parameter) is recorded with ``evidence`` null and the reason in ``note``, so
the certificate never claims more than the kernel verifies. Every number is
an exact string.
"""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction

from symequiv.actions.maps import MonomialMatrix, identity_affine
from symequiv.derivation.relate import relate
from symequiv.errors import InputError
from symequiv.exact.intervals import working_precision
from symequiv.models.expansion import FLATTENING, as_monomial, describe_expansion, expand_report
from symequiv.models.layer import LatentElement
from symequiv.models.matching import RowMatcher
from symequiv.verdicts import InputWitness, Status

SCHEMA_VERSION = 1
FORMAT_NAME = "symequiv certificate"

# Significant decimal digits kept when an interval bound is rounded outward.
BOUND_DIGITS = 20

# A JSON list of scalars: strings, numbers, null or booleans, with no nested list or object.
_SCALAR = r'(?:"(?:[^"\\\n]|\\.)*"|-?\d+|null|true|false)'
_SCALAR_LIST = re.compile(r"\[\s*" + _SCALAR + r"(?:,\s*" + _SCALAR + r")*\s*\]")


class _Numbers:
    """Exact strings for the elements of one field, with a cache for repeated values."""

    def __init__(self, field):
        self.field = field
        self.cache = {}
        domain = field.domain
        if field.is_rational:
            self.description = {"kind": "rational"}
        elif (domain.is_FractionField or domain.is_PolynomialRing) and (
                domain.domain.is_QQ or domain.domain.is_ZZ):
            self.description = {"kind": "rational functions",
                                "symbols": [str(symbol) for symbol in domain.symbols]}
        else:
            self.description = {"kind": "algebraic", "field": str(domain)}

    def text(self, element):
        cached = self.cache.get(element)
        if cached is None:
            if self.field.is_rational:
                cached = str(element)
            else:
                cached = str(self.field.to_expr(element))
            self.cache[element] = cached
        return cached

    def vector(self, values):
        return [self.text(value) for value in values]

    def matrix(self, rows):
        return [self.vector(row) for row in rows]


def _map(numbers, affine_map):
    linear = affine_map.linear
    if isinstance(linear, MonomialMatrix):
        result = {"images": list(linear.images), "scales": numbers.vector(linear.scales)}
    else:
        result = {"matrix": numbers.matrix(linear.rows())}
    result["translation"] = (None if affine_map.translation is None
                             else numbers.vector(affine_map.translation))
    return result


def map_record(affine_map):
    """Return an affine map in the certificate's form, with exact strings."""
    return _map(_Numbers(affine_map.field), affine_map)


def _latent(numbers, element):
    result = _map(numbers, element.map)
    scales = element.preactivation_scales
    result["preactivation_scales"] = (None if scales is None else
                                      [None if scale is None else numbers.text(scale)
                                       for scale in scales])
    return result


def _parameters(numbers, network):
    result = {}
    for index, layer in enumerate(network.layers, start=1):
        result[f"W{index}"] = numbers.matrix(layer.weights)
        result[f"b{index}"] = numbers.vector(layer.bias)
    return result


class _Identities:
    r"""The identities :math:`\sigma(c t) = \lambda \sigma(t) + \mu` used, without repeats."""

    def __init__(self, numbers):
        self.numbers = numbers
        self.entries = {}

    def add(self, activation, scale, factor, shift):
        text = self.numbers.text
        key = (activation.name, text(scale), text(factor), text(shift))
        self.entries.setdefault(key, {"activation": key[0], "scale": key[1], "factor": key[2],
                                      "shift": key[3]})

    def add_element(self, layer, element):
        scales = element.preactivation_scales
        if scales is None or layer.activation is None or layer.activation.is_identity:
            return
        linear = element.map.linear
        shifts = element.map.translation_or_zero()
        for source, scale in enumerate(scales):
            if scale is not None:
                image = linear.images[source]
                self.add(layer.activation, scale, linear.scales[source], shifts[image])

    def add_chain(self, network, elements):
        for layer, element in zip(network.hidden_layers, elements):
            self.add_element(layer, element)

    def as_list(self):
        return list(self.entries.values())


def _latent_actions(numbers, identities, derivation):
    if derivation is None or not derivation.derived:
        return None
    layers = []
    for layer, actions in zip(derivation.network.hidden_layers, derivation.latent_actions):
        for element in actions.values():
            identities.add_element(layer, element)
        layers.append({generator: _latent(numbers, element)
                       for generator, element in actions.items()})
    return layers


def _reparameterization(numbers, identities, reparameterization):
    if (not reparameterization.changed or not reparameterization.verified
            or not reparameterization.formed):
        return None
    network = reparameterization.original
    steps = []
    for step in reparameterization.steps:
        entry = {"kind": step.kind, "layer": step.layer, "neurons": list(step.neurons)}
        if step.kind == "constant":
            entry["value"] = numbers.text(step.value)
        elif step.kind == "duplicate":
            entry["scale"] = None if step.scale is None else numbers.text(step.scale)
            entry["factor"] = numbers.text(step.latent_scale)
            entry["shift"] = numbers.text(step.shift)
            if step.scale is not None:
                identities.add(network.layer(step.layer).activation, step.scale,
                               step.latent_scale, step.shift)
        steps.append(entry)
    return {"steps": steps, "parameters": _parameters(numbers, reparameterization.network)}


# -- evidence for each verdict ----------------------------------------------------------------


def _fraction_of_arb_point(point):
    mantissa, exponent = point.man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2**exponent) if exponent >= 0 else Fraction(mantissa,
                                                                              2**-exponent)


def _decimal_bound(value, places, upward):
    """Round a Fraction outward to ``places`` decimals and write it as a decimal string."""
    scaled = value * 10**places
    integer = math.ceil(scaled) if upward else math.floor(scaled)
    sign = "-" if integer < 0 else ""
    digits = str(abs(integer)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


def _interval(ball):
    r"""Return exact decimal bounds ``[lower, upper]`` that contain an Arb ball."""
    # The midpoint and radius are exact binary numbers, so the endpoints are exact.
    middle = _fraction_of_arb_point(ball.mid())
    radius = _fraction_of_arb_point(ball.rad())
    lower, upper = middle - radius, middle + radius
    magnitude = max(abs(lower), abs(upper), Fraction(1, 10**6))
    places = max(0, BOUND_DIGITS - 1 - math.floor(math.log10(magnitude)))
    # Keep a bound that excludes zero on its side of zero after rounding.
    if lower > 0 or upper < 0:
        gap = min(abs(lower), abs(upper))
        places = max(places, 2 - math.floor(math.log10(gap)))
    return [_decimal_bound(lower, places, False), _decimal_bound(upper, places, True)]


def witness_bounds(network, action, witness):
    r"""Return exact bounds of :math:`f(g x)_i`, :math:`(g f(x))_i` and their difference.

    Parameters
    ----------
    network : Network
    action : GroupAction
    witness : InputWitness

    Returns
    -------
    dict
        ``left``, ``right`` and ``difference``, each ``[lower, upper]`` as exact
        decimal strings; equal bounds for a witness computed exactly.
    """
    if witness.exact:
        return {"left": [witness.left] * 2, "right": [witness.right] * 2,
                "difference": [witness.difference] * 2}
    import sympy

    from symequiv.derivation.witness import specialize

    if witness.substitutions:
        network = specialize(network, {sympy.Symbol(name): sympy.Rational(value)
                                       for name, value in witness.substitutions.items()})
    field = action.field
    point = [field.convert(sympy.Rational(value)) for value in witness.point]
    moved = action.input[witness.generator].apply(point)
    output_map = action.output[witness.generator]
    with working_precision(witness.precision):
        left = network.evaluate_arb([field.to_arb(value) for value in moved])
        outputs = network.evaluate_arb([field.to_arb(value) for value in point])
        row = output_map.linear.rows()[witness.coordinate]
        right = field.to_arb(output_map.translation_or_zero()[witness.coordinate])
        for entry, value in zip(row, outputs):
            if entry != field.zero:
                right += field.to_arb(entry) * value
        left = left[witness.coordinate]
        return {"left": _interval(left), "right": _interval(right),
                "difference": _interval(left - right)}


def _input_witness(network, action, witness):
    evidence = {"kind": "input witness", "generator": witness.generator,
                "point": list(witness.point), "coordinate": witness.coordinate,
                "substitutions": dict(witness.substitutions)}
    evidence.update(witness_bounds(network, action, witness))
    return evidence


def _first_layer_mismatch(network, action, derivation):
    """Find a non-constant neuron of :math:`\\theta^g`'s first layer with no admissible partner."""
    generator = derivation.failure_generator
    layer = network.layers[0]
    activation = getattr(layer, "activation", None)
    if (derivation.failure_layer != 1 or generator is None or activation is None
            or activation.is_identity or not activation.determines_neurons):
        return None
    moved = layer.precompose(action.input[generator])
    matcher = RowMatcher(activation, network.field)
    zero = network.field.zero
    sources = {matcher.key(weights, bias)[0] for weights, bias in layer.rows}
    for neuron, (weights, bias) in enumerate(moved.rows):
        if any(entry != zero for entry in weights) and \
                matcher.key(weights, bias)[0] not in sources:
            return {"kind": "first-layer mismatch", "generator": generator, "neuron": neuron}
    return None


def _two_relations(numbers, identities, network):
    field = network.field
    relation = relate(network, network, identity_affine(field, network.input_dimension),
                      identity_affine(field, network.output_dimension), max_chains=2)
    if len(relation.chains) < 2:
        return None
    chains = []
    for chain in relation.chains[:2]:
        identities.add_chain(network, chain.elements)
        chains.append([_latent(numbers, element) for element in chain.elements])
    return {"kind": "two relations", "chains": chains}


class _Evidence:
    """Chooses, for each verdict of a report, evidence the kernel can re-check."""

    def __init__(self, network, action, report, numbers, identities, latent):
        self.network = network
        self.action = action
        self.report = report
        self.numbers = numbers
        self.identities = identities
        self.latent = latent

    def _input_witness_of(self, *properties):
        for name in properties:
            witness = self.report.result(name).verdict.witness
            if isinstance(witness, InputWitness):
                return _input_witness(self.network, self.action, witness)
        return None

    def end_to_end_equivariant(self, verdict):
        if verdict.status is Status.PROVED:
            if self.latent["theta"] is not None:
                return {"kind": "latent actions", "at": "theta"}
            if self.latent["theta_star"] is not None:
                return {"kind": "latent actions", "at": "theta_star"}
            return None
        return self._input_witness_of("end_to_end_equivariant")

    def identifiable(self, verdict):
        method = verdict.method
        if method in ("Sussmann (1992)", "rank criterion for linear networks",
                      "no hidden layer"):
            return {"kind": method}
        if method == "non-unique relation":
            return _two_relations(self.numbers, self.identities, self.network)
        return None

    def layerwise_equivariant(self, verdict):
        if verdict.status is Status.PROVED:
            return None if not self.report.derivation.derived else {"kind": "latent actions",
                                                                    "at": "theta"}
        mismatch = _first_layer_mismatch(self.network, self.action, self.report.derivation)
        return mismatch or self._input_witness_of("layerwise_equivariant",
                                                  "end_to_end_equivariant")

    def layerwise_after_reparameterization(self, verdict):
        if verdict.status is Status.PROVED:
            if not self.report.reparameterization.changed:
                return None if not self.report.derivation.derived else {"kind": "latent actions",
                                                                        "at": "theta"}
            return None if self.latent["theta_star"] is None else {"kind": "latent actions",
                                                                   "at": "theta_star"}
        # A refutation at theta* is certified only by an input witness: it refutes
        # every parameter with the same function, whichever reduction produced theta*.
        return self._input_witness_of("layerwise_after_reparameterization",
                                      "end_to_end_equivariant")


# NOTE: these verdicts stay uncertified until the kernel can re-derive normal forms.
_NOT_COVERED = {
    "normal form": "proved by the normal form of the last layers, which the kernel does not "
                   "re-derive",
    "polynomial identity": "decided by expanding f(g x) - g f(x), which the kernel does not "
                           "re-derive",
    "second parameter": "refuted by a second parameter with the same function; the kernel "
                        "does not re-prove that the functions agree",
    "theorem": "refuted by the theorem, combining a failed derivation with identifiability "
               "or with end-to-end equivariance, which the kernel does not re-derive",
}


_AFTER_REFUTED = ("refuted at theta* by a failed match; the kernel re-checks a refutation after "
                  "reparameterization only through an input witness, which refutes every "
                  "parameter with the same function")


def _claim(evidence, result):
    verdict = result.verdict
    entry = {"property": result.property, "expected": result.expected,
             "status": verdict.status.value, "method": verdict.method}
    found = None
    if verdict.status in (Status.PROVED, Status.REFUTED):
        found = getattr(evidence, result.property)(verdict)
    entry["evidence"] = found
    if found is None:
        if verdict.status not in (Status.PROVED, Status.REFUTED):
            entry["note"] = f"not decided ({verdict.status.value}): {verdict.reason}"
        else:
            entry["note"] = _NOT_COVERED.get(
                verdict.method, f"decided by {verdict.method}, for which this certificate "
                                "holds no evidence the kernel can re-check")
            if (result.property == "layerwise_after_reparameterization"
                    and verdict.status is Status.REFUTED and verdict.method == "derivation"):
                entry["note"] = _AFTER_REFUTED
    return entry


def _built_in_latent_actions(network, action):
    r"""Return the maps :math:`q_i(g)` that built-in equivariance passes through, or None.

    Each layer satisfies :math:`f_i(q_{i-1} y) = q_i f_i(y)` for every parameter
    (:meth:`Layer.commute`), which is the layer relation the kernel checks.
    Only permutations are returned, because their pre-activation scales are 1,
    and only when they satisfy the group's relations.
    """
    layers = [{} for _ in network.hidden_layers]
    for generator in action.generators:
        current = action.input[generator]
        for index, layer in enumerate(network.hidden_layers):
            current = layer.commute(current)
            permutation = None if current is None else as_monomial(current)
            if (permutation is None or permutation.translation is not None
                    or not isinstance(permutation.linear, MonomialMatrix)
                    or not permutation.linear.is_permutation):
                return None
            scales = (network.field.one,) * layer.output_dimension
            layers[index][generator] = LatentElement(permutation, scales)
    for layer, elements in zip(network.hidden_layers, layers):
        maps = {generator: element.map for generator, element in elements.items()}
        if not action.check_latent_homomorphism(maps, layer.output_dimension).holds:
            return None
    return tuple(layers)


def _nested(numbers, value):
    if isinstance(value, tuple):
        return [_nested(numbers, item) for item in value]
    return numbers.text(value)


_NOT_EVALUATED = ("{status} by {method}; the kernel does not evaluate {kinds} layers, so it "
                  "cannot re-check this verdict")


def _unevaluated_certificate(theory, report, numbers, kinds):
    """Return a certificate that records every verdict without evidence, for attention."""
    # NOTE: the kernel has no attention evaluation, so no verdict is certified here. A
    # refutation witness could be re-checked with the kernel's interval exp.
    network = theory.network
    missing = sorted({kind for kind in kinds if kind not in FLATTENING})
    parameters = {}
    for index, layer in enumerate(network.layers, start=1):
        for name, value in layer.parameters().items():
            parameters[f"{name}{index}"] = _nested(numbers, value)
    claims = []
    for result in report.results:
        verdict = result.verdict
        entry = {"property": result.property, "expected": result.expected,
                 "status": verdict.status.value, "method": verdict.method, "evidence": None}
        if verdict.status in (Status.PROVED, Status.REFUTED):
            entry["note"] = _NOT_EVALUATED.format(status=verdict.status.value,
                                                  method=verdict.method,
                                                  kinds=" and ".join(missing))
        else:
            entry["note"] = f"not decided ({verdict.status.value}): {verdict.reason}"
        claims.append(entry)
    return _document(theory, numbers, {
        "widths": list(network.widths),
        "layers": kinds,
        "not_evaluated": missing,
        "parameters": parameters,
    }, [], {"theta": None, "theta_star": None}, None, claims)


def _document(theory, numbers, network, identities, latent, reparameterization, claims):
    action = theory.action
    return {
        "format": FORMAT_NAME,
        "version": SCHEMA_VERSION,
        "theory": {"name": theory.name, "description": theory.description,
                   "source": theory.source},
        "numbers": numbers.description,
        "network": network,
        "group": {
            "generators": list(action.generators),
            "relations": [str(word) for word in action.relations],
            "input": {name: _map(numbers, action.input[name]) for name in action.generators},
            "output": {name: _map(numbers, action.output[name]) for name in action.generators},
        },
        "identities": identities,
        "latent_actions": latent,
        "reparameterization": reparameterization,
        "claims": claims,
    }


def build_certificate(theory, report=None):
    r"""Return the certificate of a theory as JSON-ready data.

    A network of convolution, tokenwise or Deep Sets layers is certified
    through its dense expansion (:mod:`symequiv.models.expansion`), recorded in
    ``network.expanded_from``. A network with attention layers gets a
    certificate whose verdicts all have ``evidence`` null, because the kernel
    does not evaluate attention.

    Parameters
    ----------
    theory : Theory
    report : Report, optional
        The result of ``theory.verify()``; computed when omitted.

    Returns
    -------
    dict
        Schema version :data:`SCHEMA_VERSION`; every number is an exact string.
    """
    report = report if report is not None else theory.verify()
    network = theory.network
    action = theory.action
    numbers = _Numbers(network.field)
    kinds = [layer.kind for layer in network.layers]
    if any(kind not in FLATTENING for kind in kinds):
        return _unevaluated_certificate(theory, report, numbers, kinds)

    built_in = None
    expanded_from = None
    if any(kind != "dense" for kind in kinds):
        if not report.derivation.derived and report.result(
                "end_to_end_equivariant").verdict.method == "built-in equivariance":
            built_in = _built_in_latent_actions(network, action)
        # NOTE: the kernel checks the expanded dense network. That it equals the original
        # layers is trusted here and tested on random inputs for the bundled theories.
        report = expand_report(report)
        expanded_from = describe_expansion(network, numbers.text)
        network = report.derivation.network

    identities = _Identities(numbers)
    latent = {"theta": _latent_actions(numbers, identities, report.derivation),
              "theta_star": _latent_actions(numbers, identities, report.reduced_derivation)}
    if built_in is not None:
        latent["theta"] = [{generator: _latent(numbers, element)
                            for generator, element in elements.items()}
                           for elements in built_in]
        latent["theta_source"] = "built-in equivariance"
    reparameterization = _reparameterization(numbers, identities, report.reparameterization)
    evidence = _Evidence(network, action, report, numbers, identities, latent)
    claims = [_claim(evidence, result) for result in report.results]
    description = {
        "widths": list(network.widths),
        "bias": all(layer.has_bias for layer in network.layers),
        "activations": [layer.activation.name for layer in network.hidden_layers],
        "parameters": _parameters(numbers, network),
    }
    if expanded_from is not None:
        description["expanded_from"] = expanded_from
    return _document(theory, numbers, description, identities.as_list(), latent,
                     reparameterization, claims)


def write_certificate(path, certificate):
    """Write a certificate to ``path`` as JSON.

    Raises
    ------
    InputError
        When the file cannot be written.
    """
    text = json.dumps(certificate, indent=1)
    # One line per vector or matrix row keeps the file readable; newlines inside the
    # lists are whitespace between tokens, since JSON strings escape theirs.
    text = _SCALAR_LIST.sub(lambda match: re.sub(r"\s*\n\s*", " ", match.group(0)), text)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as error:
        raise InputError(f"cannot write the certificate: {error.strerror}",
                         source=str(path)) from None
