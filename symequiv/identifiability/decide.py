r"""Deciding whether parameters are identifiable.

:math:`\theta` is identifiable when every :math:`\theta'` with the same
end-to-end function is related to it by a *unique* sequence
:math:`k_i \in K_i`. The decision tries, in order:

1. the criteria that prove identifiability cheaply: the rank criterion for
   linear networks, Sussmann's criterion for one hidden tanh or sigmoid
   layer, and the one-hidden-layer bypass criterion
   (:mod:`~symequiv.identifiability.catalogue`);
2. non-uniqueness: two different sequences relating :math:`\theta` to itself;
3. a second parameter with the same function outside the orbit
   (:mod:`~symequiv.identifiability.witnesses`);
4. the refutations of the catalogue (a failed Sussmann condition, a rank
   below a hidden width, a dead neuron);
5. the exact fiber of small polynomial networks
   (:mod:`~symequiv.identifiability.fibers`).

Everything else is reported as unknown, with the reason for the activation
family at hand, and marked conditional where a criterion (Fefferman's, or
the open case of deep ReLU-like networks) leaves an assumption.
"""

from __future__ import annotations

from symequiv.actions.maps import identity_affine
from symequiv.derivation.relate import relate
from symequiv.identifiability.catalogue import evaluate_criteria
from symequiv.identifiability.witnesses import find_parameter_witness
from symequiv.models.dense import DenseLayer
from symequiv.verdicts import Status, StepWitness, Verdict

_OPEN = {
    "relu": "identifiability of ReLU networks is open in general (only generic results "
            "are known), and symequiv does not assume it",
    "gelu": "no identifiability criterion is implemented for GELU; its linear bypass "
            "gelu(t) - gelu(-t) = t makes many parameters non-identifiable",
    "silu": "no identifiability criterion is implemented for SiLU; its linear bypass "
            "makes many parameters non-identifiable",
    "softplus": "no identifiability criterion is implemented for softplus; its linear "
                "bypass makes many parameters non-identifiable",
}


def decide_identifiability(network):
    r"""Return a :class:`~symequiv.verdicts.Verdict` on the identifiability of ``network``."""
    if network.depth < 2:
        return Verdict.proved("no hidden layer", "a network without hidden layers has no "
                                                 "latent groups, so the sequence of k_i is empty")
    # With free symbols a criterion checked on rational functions would only hold
    # for generic values (a nonzero polynomial still vanishes somewhere), so the
    # criteria are skipped and only value-independent arguments remain.
    symbolic = bool(network.field.symbols)
    # The catalogue's criteria are stated for multilayer perceptrons only.
    dense = all(isinstance(layer, DenseLayer) for layer in network.layers)
    use_criteria = dense and not symbolic
    cheap = evaluate_criteria(network, ("linear", "sussmann", "bypass")) if use_criteria else ()
    for result in cheap:
        if result.verdict is not None and result.verdict.status is Status.PROVED:
            return result.verdict
    linear = next((result.verdict for result in cheap if result.criterion.key == "linear"
                   and result.verdict is not None), None)
    if linear is not None:
        return linear

    field = network.field
    identity_in = identity_affine(field, network.input_dimension)
    identity_out = identity_affine(field, network.output_dimension)
    self_relation = relate(network, network, identity_in, identity_out, max_chains=2)
    if len(self_relation.chains) > 1:
        first, second = self_relation.chains[:2]
        layer = next(index for index, (a, b) in
                     enumerate(zip(first.elements, second.elements), start=1) if a != b)
        return Verdict.refuted(
            "non-unique relation",
            f"two different sequences of latent elements relate theta to itself; they differ "
            f"at layer f_{layer}",
            StepWitness(f"k_{layer} is not unique: "
                        + (second.matches[layer - 1].reason or "several solutions")),
        )

    witness = find_parameter_witness(network)
    if witness is not None:
        return Verdict.refuted("second parameter", "a parameter with the same function lies "
                                                   "outside the orbit of theta", witness)
    if symbolic:
        return Verdict.unknown("the parameters contain free symbols, and identifiability "
                               "can depend on their values; substitute values to decide it")
    remaining = evaluate_criteria(network, ("necessary", "polynomial", "fefferman",
                                            "deep-bypass")) if dense else ()
    decided = [result.verdict for result in cheap + remaining
               if result.verdict is not None and result.verdict.status is not Status.UNKNOWN]
    if decided:
        return decided[0]
    conditional = [result.verdict for result in remaining if result.verdict is not None]
    if conditional:
        verdict = conditional[0]
        return Verdict(Status.UNKNOWN, verdict.method, verdict.reason + "; no witness of "
                       "non-identifiability was found", conditional=verdict.conditional)
    return Verdict.unknown(_reason(network, cheap + remaining))


def _reason(network, results=()):
    kinds = sorted({layer.kind for layer in network.layers if layer.kind != "dense"})
    if kinds:
        named = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        return (f"no identifiability criterion is implemented for networks with {named} "
                "layers, and the search for a second parameter with the same function covers "
                "dense layers only")
    bypass = next((result for result in results if result.criterion.key == "bypass"
                   and result.applies), None)
    if bypass is not None:
        open_hypotheses = [f"{hypothesis.label} {hypothesis.detail or hypothesis.statement}"
                           for hypothesis in bypass.hypotheses if not hypothesis.holds]
        return ("the one-hidden-layer bypass criterion does not apply ("
                + "; ".join(open_hypotheses) + "), and no witness of non-identifiability "
                "was found")
    names = {layer.activation.name.split("(")[0] for layer in network.hidden_layers
             if getattr(layer, "activation", None) is not None}
    for name in ("relu", "leaky_relu", "gelu", "silu", "softplus"):
        if name in names:
            return _OPEN.get(name, _OPEN["relu"]) + "; no witness of non-identifiability was found"
    if names == {"tanh"}:
        return ("Fefferman's genericity conditions fail, no other criterion for tanh networks "
                "with more than one hidden layer is implemented, and no witness of "
                "non-identifiability was found")
    fiber = next((result for result in results if result.criterion.key == "polynomial"
                  and result.applies), None)
    if fiber is not None:
        return fiber.reason
    return ("no identifiability criterion applies to these activations, and no witness of "
            "non-identifiability was found")
