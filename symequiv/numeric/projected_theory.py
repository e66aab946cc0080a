r"""The exact theory of a projected network, for certificates and LaTeX from ``inspect``.

``symequiv inspect`` projects float weights onto the parameters that are
equivariant for the snapped latent actions (:mod:`~symequiv.numeric.projection`)
and runs the derivation engine on the exact result. This module wraps that
exact network as a :class:`~symequiv.theory.theory.Theory`, so the usual
certificate and LaTeX exports apply to it. Every export states that it is
about the projection, not the float weights, and gives the distance and the
change in outputs that ``inspect`` measured.
"""

from __future__ import annotations

import math

from symequiv.errors import UnsupportedError
from symequiv.theory.theory import Theory


def _number(value):
    return f"{value:.3g}"


def _finite(value):
    # JSON has no infinity or NaN, and the kernel rejects files that contain them.
    return value if math.isfinite(value) else None


def projected_theory(theory, inspection):
    """Return the exact :class:`Theory` of the projected network of ``inspection``.

    Raises
    ------
    UnsupportedError
        When the inspection has no projection, with the reason.
    """
    projection = inspection.projection
    if projection is None:
        raise UnsupportedError(f"there is no projected network to export: the projection is "
                               f"{inspection.projection_note}")
    weights = getattr(theory, "weights_path", None) or "the theory file"
    description = (
        f"The exact projection of the weights of {theory.name} (from {weights}) onto the "
        "parameters equivariant for the latent actions snapped by symequiv inspect; the "
        "statements are about the projected network, not the original weights. Relative "
        f"distance {_number(projection.distance)}; change in outputs on "
        f"{projection.output_change['samples']} noise inputs, relative to max(|f(y)|, m) "
        f"with m = {_number(projection.output_change['m'])} the median |f(y)|: median "
        f"{_number(projection.output_change['median'])}, max "
        f"{_number(projection.output_change['max'])}.")
    return Theory(f"{theory.name}-projected", description, projection.exact_network,
                  theory.action, dict(theory.expectations), theory.source)


def projection_record(inspection):
    """Return the ``theory.projection`` entry of a certificate: distances and snapped actions."""
    from symequiv.certificate import map_record

    projection = inspection.projection
    snapped = []
    for report in inspection.generators:
        for index, layer in enumerate(report.layers):
            if len(snapped) <= index:
                snapped.append({})
            if layer.element is not None:
                snapped[index][report.generator] = map_record(layer.element.map)
    return {
        "about": "the exact projection of the inspected weights",
        "distance": _finite(projection.distance),
        "layer_distances": [_finite(value) for value in projection.layer_distances],
        "output_change": {key: _finite(value) for key, value in projection.output_change.items()},
        "samples": inspection.samples,
        "group_orders": list(projection.group_orders),
        "snapped_latent_actions": snapped,
    }


def projected_certificate(theory, inspection, report=None):
    """Return the certificate of the projected network, with its ``theory.projection`` record.

    ``report`` is the projected theory's ``verify()``, computed when omitted.
    """
    from symequiv.certificate import build_certificate

    exact = projected_theory(theory, inspection)
    certificate = build_certificate(exact, report)
    certificate["theory"]["projection"] = projection_record(inspection)
    return certificate
