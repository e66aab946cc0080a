r"""The derivation engine: the theorem's construction of latent group actions.

For a network :math:`\theta` and a group :math:`G` acting on its input and
output, the engine runs the proof of "identifiable equivariant networks are
layerwise equivariant" as an algorithm:

1. *Adjunction.* For each generator :math:`g`, form :math:`\theta^g`, the
   parameter whose network computes :math:`x \mapsto \rho_{out}(g)^{-1}
   f(\rho_{in}(g)\, x; \theta)`: :math:`\rho_{in}(g)` is absorbed into the first
   layer and :math:`\rho_{out}(g)^{-1}` into the last.
2. *Matching.* Find :math:`k_i(g) \in K_i` relating :math:`\theta^g` to
   :math:`\theta` layer by layer (:func:`~symequiv.derivation.relate.relate`).
   Then :math:`f_1(\rho_{in}(g) y) = k_1(g) f_1(y)`,
   :math:`f_i(k_{i-1}(g) y) = k_i(g) f_i(y)` and
   :math:`f_L(k_{L-1}(g) y) = \rho_{out}(g) f_L(y)`: every layer is
   equivariant, with :math:`\rho_i(g) = k_i(g)`. (The theorem's
   :math:`\theta^g` uses :math:`g` where this one uses :math:`g^{-1}`; with
   this convention :math:`g \mapsto k_i(g)` is a homomorphism rather than an
   anti-homomorphism.)
3. *Homomorphism.* Check that :math:`g \mapsto k_i(g)` respects the group's
   relations (or is consistent on its Cayley graph).

A successful derivation proves layerwise equivariance, and with it end-to-end
equivariance, whether or not :math:`\theta` is identifiable. Where a matcher
is not unique the engine tries the other choices, up to a bound.

Layers that pass part of a group element through to their output (a token
permutation through an attention layer, a rotation of the grid through a
convolution) satisfy the *generalized* adjunction
:math:`f_i(q_{i-1} y;\ \theta_i) = q_i f_i(y;\ \theta^g_i)`; the latent action is
then :math:`\rho_i(g) = q_i(g)\, k_i(g)`. When some layer cannot absorb the
element at all (a Deep Sets layer under a permutation of its elements), the
theorem does not apply, and the derivation reports that instead of guessing.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass

from symequiv.actions.maps import identity_affine
from symequiv.derivation.relate import MAX_CHAINS, relate
from symequiv.errors import InputError
from symequiv.models.layer import LatentElement

MAX_COMBINATIONS = 4096


class DerivationStatus(enum.Enum):
    DERIVED = "derived"
    NO_LATENT_ACTION = "no latent action"
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "theorem does not apply"


@dataclass(frozen=True)
class GeneratorStep:
    r"""Steps 1 and 2 for one generator: :math:`\theta^g` and the relation found."""

    generator: str
    adjoint: object
    relation: object
    passthrough: tuple = ()


@dataclass(frozen=True)
class Derivation:
    r"""The outcome of running the theorem's construction on a network.

    Attributes
    ----------
    network : Network
    action : GroupAction
    status : DerivationStatus
    reason : str
    steps : dict
        Generator name to :class:`GeneratorStep`.
    latent_actions : tuple of dict
        For each hidden layer :math:`i`, generator name to the
        :class:`LatentElement` :math:`\rho_i(g)`; empty unless derived.
    homomorphism_checks : tuple
        For each hidden layer, the
        :class:`~symequiv.groups.action.LatentHomomorphismCheck` of the chosen
        latent actions.
    unique : bool or None
        True when every :math:`k_i(g)` was the only solution.
    failure_generator : str or None
    failure_layer : int or None
    """

    network: object
    action: object
    status: DerivationStatus
    reason: str
    steps: dict
    latent_actions: tuple = ()
    homomorphism_checks: tuple = ()
    unique: bool | None = None
    failure_generator: str | None = None
    failure_layer: int | None = None

    @property
    def derived(self):
        return self.status is DerivationStatus.DERIVED

    def latent_map(self, layer, generator):
        r"""Return :math:`\rho_i(g)` as an :class:`AffineMap` for layer :math:`i` from 1.

        Raises
        ------
        InputError
            When nothing was derived, or ``layer`` or ``generator`` is not one of the
            network's hidden layers or the group's generators.
        """
        if not self.derived:
            raise InputError(f"no latent action was derived: {self.reason}")
        hidden = self.network.depth - 1
        if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= hidden:
            raise InputError(f"layer must be a hidden layer from 1 to {hidden}, got {layer!r}")
        if generator not in self.action.generators:
            raise InputError(f"unknown generator {generator!r}; the generators are "
                             f"{', '.join(self.action.generators)}")
        return self.latent_actions[layer - 1][generator].map

    def __str__(self):
        """Return the text ``symequiv derive`` prints for this derivation."""
        from symequiv.report import format_derivation

        return format_derivation(self)

    def _repr_markdown_(self):
        from symequiv.latex.notebook import derivation_markdown

        return derivation_markdown(self)

    def _repr_latex_(self):
        from symequiv.latex.notebook import derivation_latex

        return derivation_latex(self)


def derive(network, action, max_chains=MAX_CHAINS, max_combinations=MAX_COMBINATIONS):
    r"""Construct latent actions that make every layer of ``network`` equivariant.

    Parameters
    ----------
    network : Network
    action : GroupAction
        Must act on ``network``'s input and output dimensions.
    max_chains : int
        Solutions kept per generator where a match is not unique.
    max_combinations : int
        Combinations of per-generator solutions tried for the homomorphism.

    Returns
    -------
    Derivation
    """
    field = network.field
    identity_in = identity_affine(field, network.input_dimension)
    identity_out = identity_affine(field, network.output_dimension)
    steps = {}
    for generator in action.generators:
        adjunction = network.adjunction(action.input[generator], action.output[generator])
        if not adjunction.applies:
            reason = (f"the theorem does not apply: adjunction fails for the generator "
                      f"{generator} at layer f_{adjunction.layer}: {adjunction.reason}")
            return Derivation(network, action, DerivationStatus.NOT_APPLICABLE, reason, steps,
                              failure_generator=generator, failure_layer=adjunction.layer)
        adjoint = adjunction.network
        # One solution is enough when it is unique; otherwise collect the others
        # so that a choice respecting the group relations can be sought.
        relation = relate(network, adjoint, identity_in, identity_out, max_chains=1)
        if relation.found and not relation.complete:
            relation = relate(network, adjoint, identity_in, identity_out, max_chains)
        steps[generator] = GeneratorStep(generator, adjoint, relation, adjunction.passthrough)

    for generator, step in steps.items():
        relation = step.relation
        if not relation.found:
            status = (DerivationStatus.NO_LATENT_ACTION if relation.complete
                      else DerivationStatus.INCONCLUSIVE)
            reason = (f"for the generator {generator}, layer f_{relation.failure_layer}: "
                      f"{relation.failure}")
            if not relation.complete:
                reason += "; the search was incomplete, so other latent elements may exist"
            return Derivation(network, action, status, reason, steps,
                              failure_generator=generator, failure_layer=relation.failure_layer)

    uniqueness = [step.relation.unique for step in steps.values()]
    unique = None
    if all(value is True for value in uniqueness):
        unique = True
    elif any(value is False for value in uniqueness):
        unique = False
    return _choose_homomorphism(network, action, steps, unique, max_combinations)


def _latent_action(step, element, index):
    r"""Return :math:`\rho_i(g) = q_i(g)\, k_i(g)` for hidden layer ``index`` (from 0)."""
    passthrough = step.passthrough[index] if step.passthrough else None
    if passthrough is None:
        return element
    details = dict(element.details)
    details["passthrough"] = passthrough
    return LatentElement(passthrough.compose(element.map), element.preactivation_scales, details)


def _choose_homomorphism(network, action, steps, unique, max_combinations):
    hidden = network.depth - 1
    widths = network.widths
    generators = action.generators
    chain_lists = [steps[generator].relation.chains for generator in generators]
    exhaustive = all(steps[generator].relation.complete for generator in generators)
    first_failure = None
    tried = 0
    for combination in itertools.product(*chain_lists):
        if tried >= max_combinations:
            exhaustive = False
            break
        tried += 1
        latent_actions = []
        checks = []
        failed = None
        for index in range(hidden):
            elements = {generator: _latent_action(steps[generator], chain.elements[index], index)
                        for generator, chain in zip(generators, combination)}
            check = action.check_latent_homomorphism(
                {generator: element.map for generator, element in elements.items()},
                widths[index + 1])
            latent_actions.append(elements)
            checks.append(check)
            if not check.holds:
                failed = (index + 1, check)
                break
        if failed is None:
            reason = "every layer is equivariant under the constructed latent actions"
            return Derivation(network, action, DerivationStatus.DERIVED, reason, steps,
                              tuple(latent_actions), tuple(checks), unique)
        if first_failure is None:
            first_failure = failed
    if first_failure is None:
        return Derivation(network, action, DerivationStatus.INCONCLUSIVE,
                          "no combination of latent elements was tried (max_combinations is 0)",
                          steps, unique=unique)
    layer, check = first_failure
    reason = (f"the latent elements found at layer f_{layer} do not form a homomorphism: "
              f"{check.reason}")
    if exhaustive:
        return Derivation(network, action, DerivationStatus.NO_LATENT_ACTION, reason, steps,
                          unique=unique, failure_layer=layer)
    reason += "; other choices of latent elements were not all tried"
    return Derivation(network, action, DerivationStatus.INCONCLUSIVE, reason, steps,
                      unique=unique, failure_layer=layer)
