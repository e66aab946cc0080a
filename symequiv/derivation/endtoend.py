r"""Deciding end-to-end equivariance :math:`f(g x) = g f(x)`.

The methods, tried in order:

1. a successful derivation proves it (every layer is equivariant), and so does
   equivariance built into every layer (:func:`built_in_equivariance`);
2. for polynomial networks, expanding :math:`f(gx) - g f(x)` decides it exactly;
3. when the layers up to :math:`f_{L-2}` are equivariant and the rest is one
   hidden layer, the normal form of
   :math:`F(k_{L-2}(g) h) - g F(h)` (:mod:`~symequiv.derivation.normal_form`)
   can prove the tail equivariant even where no latent map exists for the
   last hidden layer (linear bypasses);
4. a search for an input whose ball-arithmetic enclosures prove
   :math:`f(gx) \ne g f(x)` refutes it;
5. if :math:`\theta` is identifiable and no latent action exists, the theorem
   itself refutes it.

Otherwise the verdict is unknown, with the reasons collected on the way.
"""

from __future__ import annotations

from symequiv.actions.maps import identity_affine
from symequiv.derivation.engine import DerivationStatus
from symequiv.derivation.normal_form import tails_agree
from symequiv.derivation.polynomial import decide_polynomial
from symequiv.derivation.relate import relate
from symequiv.derivation.witness import search_input_witness
from symequiv.models.dense import DenseLayer
from symequiv.verdicts import Status, StepWitness, Verdict

MAX_TAIL_CHAINS = 16


def decide_end_to_end(network, action, derivation, identifiability=None, seed=0):
    r"""Return the verdict on end-to-end equivariance.

    Parameters
    ----------
    network : Network
    action : GroupAction
    derivation : Derivation
        The derivation at the same parameters.
    identifiability : Verdict, optional
        Whether :math:`\theta` is identifiable; used by method 5.
    seed : int
        Seed of the witness search.

    Returns
    -------
    Verdict
    """
    if derivation.derived:
        return Verdict.proved("derivation", "every layer is equivariant, so the composition is")

    if built_in_equivariance(network, action):
        return Verdict.proved(
            "built-in equivariance",
            "every layer commutes with each generator whatever its parameters are (such as a "
            "Deep Sets layer under a permutation of its elements), and the maps that pass "
            "through the last layer are the output action")

    polynomial = decide_polynomial(network, action)
    if polynomial is not None:
        return polynomial

    if _tail_proves(network, action):
        return Verdict.proved(
            "normal form",
            "the layers before the last hidden layer are equivariant, and for every "
            "generator the last hidden layer and the output layer agree after rewriting "
            "with the activation's identities",
        )

    witness = search_input_witness(network, action, seed=seed)
    if witness is not None:
        return Verdict.refuted("certified witness", "an input where f(g x) and g f(x) differ",
                               witness)

    if (identifiability is not None and identifiability.status is Status.PROVED
            and derivation.status is DerivationStatus.NO_LATENT_ACTION):
        return Verdict.refuted(
            "theorem",
            "the parameters are identifiable and no latent action makes every layer "
            "equivariant, so by the theorem the network is not end-to-end equivariant "
            f"({derivation.reason})",
            StepWitness(derivation.reason),
        )

    reasons = ["no layerwise derivation was found (" + derivation.reason + ")",
               "no certified witness was found among the sampled inputs"]
    if not network.is_polynomial:
        reasons.append("the network is not polynomial, so no exact expansion applies")
    return Verdict.unknown("; ".join(reasons))


def built_in_equivariance(network, action):
    r"""Return True when each layer's structure alone makes the network equivariant.

    For every generator, :meth:`Layer.commute` carries :math:`\rho_{in}(g)`
    through the layers (:math:`f_i(q_{i-1} y) = q_i f_i(y)` for every parameter);
    the network is then equivariant when :math:`q_L = \rho_{out}(g)`.
    """
    for generator in action.generators:
        current = action.input[generator]
        for layer in network.layers:
            current = layer.commute(current)
            if current is None:
                return False
        if current != action.output[generator]:
            return False
    return True


def _tail_proves(network, action):
    """Method 3: equivariant prefix, then a one-hidden-layer tail proved by its normal form."""
    # NOTE: only the last hidden layer is rewritten; a bypass in an earlier layer of a
    # deeper network leaves end-to-end equivariance unknown unless a witness refutes it.
    depth = network.depth
    if depth < 2:
        return False
    if not all(isinstance(layer, DenseLayer) for layer in network.layers):
        return False
    hidden, output = network.layers[-2], network.layers[-1]
    if hidden.activation is None:
        return False
    field = network.field
    prefix_length = depth - 2
    for generator in action.generators:
        input_map = action.input[generator]
        output_map = action.output[generator]
        if prefix_length == 0:
            candidates = [input_map]
        else:
            relation = relate(network, network, input_map, identity_affine(
                field, network.output_dimension), MAX_TAIL_CHAINS, stop_after=prefix_length)
            candidates = [chain.elements[-1].map for chain in relation.chains]
        moved_output = output.postcompose(output_map)
        if not any(tails_agree((hidden.precompose(candidate), output), (hidden, moved_output))
                   for candidate in candidates):
            return False
    return True
