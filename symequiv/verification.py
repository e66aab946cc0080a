r"""Checking the claims of a theory: the four properties and their verdicts.

The properties, for parameters :math:`\theta` and a group :math:`G`:

``end_to_end_equivariant``
    :math:`f(g x; \theta) = g f(x; \theta)` for all :math:`g \in G` and inputs :math:`x`.
``identifiable``
    every :math:`\theta'` with the same function is related to :math:`\theta` by a
    unique sequence :math:`k_i \in K_i`.
``layerwise_equivariant``
    there are homomorphisms :math:`\rho_i : G \to K_i` making every layer
    equivariant at :math:`\theta` as given.
``layerwise_after_reparameterization``
    the same at :math:`\theta^*`, the reparameterization with dead neurons
    zeroed and duplicates merged (the theorem's conclusion for weakly
    identifiable parameters).

Every property is computed whether or not the theory claims it; a claim holds
when the verdict settles the property at the claimed value.
"""

from __future__ import annotations

from dataclasses import dataclass

from symequiv.derivation.endtoend import decide_end_to_end
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.identifiability.decide import decide_identifiability
from symequiv.identifiability.reduction import reduce_network
from symequiv.models.dense import DenseLayer
from symequiv.verdicts import ParameterWitness, Status, StepWitness, Verdict

PROPERTIES = (
    "end_to_end_equivariant",
    "identifiable",
    "layerwise_equivariant",
    "layerwise_after_reparameterization",
)


@dataclass(frozen=True)
class ClaimResult:
    """One property: the claimed value (None when unclaimed) and the verdict."""

    property: str
    expected: bool | None
    verdict: Verdict
    strict: bool = False

    @property
    def holds(self):
        """True or False for claims, None for unclaimed properties.

        Numerical evidence counts when it points to the claimed value, unless
        ``strict`` asks for proofs.
        """
        if self.expected is None:
            return None
        if self.verdict.status is Status.EVIDENCE and not self.strict:
            return self.verdict.observed is self.expected
        return self.verdict.value is self.expected

    def to_dict(self):
        return {"property": self.property, "expected": self.expected,
                "holds": self.holds, "verdict": self.verdict.to_dict()}


@dataclass(frozen=True)
class Report:
    """The results of verifying one theory.

    Attributes
    ----------
    name : str
    source : str or None
    results : tuple of ClaimResult
        One per property, in :data:`PROPERTIES` order.
    derivation : Derivation
        At :math:`\\theta`.
    reparameterization : Reparameterization
    reduced_derivation : Derivation or None
        At :math:`\\theta^*`, when it differs from :math:`\\theta`.
    details : dict or None
        Extra JSON-ready data, such as the numeric checks on float parameters.
    """

    name: str
    source: str | None
    results: tuple
    derivation: object
    reparameterization: object
    reduced_derivation: object = None
    details: dict | None = None

    @property
    def claims(self):
        return tuple(result for result in self.results if result.expected is not None)

    @property
    def all_hold(self):
        return all(result.holds for result in self.claims)

    def result(self, name):
        return next(result for result in self.results if result.property == name)

    def __str__(self):
        """Return the text ``symequiv verify`` prints."""
        from symequiv.report import format_report

        return format_report(self)

    def _repr_markdown_(self):
        from symequiv.latex.notebook import report_markdown

        return report_markdown(self)

    def _repr_latex_(self):
        from symequiv.latex.notebook import report_latex

        return report_latex(self)


def _layerwise_verdict(derivation, end_to_end):
    if derivation.status is DerivationStatus.NOT_APPLICABLE:
        return Verdict.unknown(derivation.reason, method="adjunction check")
    if derivation.status is DerivationStatus.DERIVED:
        return Verdict.proved("derivation", derivation.reason)
    if derivation.status is DerivationStatus.NO_LATENT_ACTION:
        return Verdict.refuted("derivation", "no homomorphisms into the latent groups make "
                                             "every layer equivariant",
                               StepWitness(derivation.reason))
    if end_to_end.status is Status.REFUTED:
        return Verdict.refuted(end_to_end.method,
                               "the network is not end-to-end equivariant, and layerwise "
                               "equivariance would imply it", end_to_end.witness)
    return Verdict.unknown("the derivation was inconclusive: " + derivation.reason)


def _refute_by_the_theorem(identifiable, end_to_end, derivation):
    r"""Refute identifiability when the network is equivariant but no latent action exists.

    For an end-to-end equivariant network, :math:`\theta^g` computes
    :math:`\rho_{out}(g)^{-1} f(\rho_{in}(g) x) = f(x)`, the function of
    :math:`\theta`. Were :math:`\theta` identifiable, a unique sequence
    :math:`k_i(g)` would relate :math:`\theta^g` to :math:`\theta`, and uniqueness
    would make :math:`g \mapsto k_i(g)` homomorphisms. A complete derivation that
    finds none therefore refutes identifiability, with :math:`\theta^g` as the
    second parameter.
    """
    if identifiable.status is not Status.UNKNOWN or end_to_end.status is not Status.PROVED:
        return identifiable
    if derivation.status is not DerivationStatus.NO_LATENT_ACTION:
        return identifiable
    for generator, step in derivation.steps.items():
        # With maps passing through layers (generalized adjunction), theta^g alone
        # does not compute f, so it is no second parameter.
        if step.adjoint is None or any(map_ is not None for map_ in step.passthrough):
            return identifiable
        if not step.relation.found:
            parameters = step.adjoint.parameter_strings()
            witness = ParameterWitness(
                f"theta^{generator}, the parameters moved by the generator {generator}, "
                "computes the same function as theta, because the network is end-to-end "
                "equivariant",
                parameters,
                f"no k_i in K_i relates it to theta: {step.relation.failure} "
                f"(layer f_{step.relation.failure_layer})")
            return Verdict.refuted("theorem", "the network is end-to-end equivariant but no "
                                   "latent action relates theta^g to theta; identifiable "
                                   "parameters would have one", witness)
    witness = StepWitness(derivation.reason)
    return Verdict.refuted("theorem", "the network is end-to-end equivariant, and the latent "
                           "elements relating theta^g to theta form no homomorphism; for "
                           "identifiable parameters they are unique and so would form one",
                           witness)


def verify_network(network, action, expectations=None, name="", source=None, seed=0,
                   strict=False):
    r"""Compute every property for ``network`` under ``action`` and compare with the claims.

    Parameters
    ----------
    network : Network
    action : GroupAction
    expectations : dict, optional
        Property name to the claimed bool.
    name, source : str
        For the report.
    seed : int
        Seed of the witness searches.
    strict : bool
        Count only proofs and refutations as settling a claim; exact
        parameters never give numerical evidence, so this changes nothing here.

    Returns
    -------
    Report
    """
    expectations = dict(expectations or {})
    derivation = derive(network, action)
    identifiable = decide_identifiability(network)
    end_to_end = decide_end_to_end(network, action, derivation, identifiable, seed=seed)
    identifiable = _refute_by_the_theorem(identifiable, end_to_end, derivation)
    layerwise = _layerwise_verdict(derivation, end_to_end)

    reparameterization = reduce_network(network)
    reduced_derivation = None
    if not all(isinstance(layer, DenseLayer) for layer in network.layers):
        # NOTE: theta* (dead units zeroed, duplicates merged) is built for dense layers
        # only; dead heads or channels of other layers are not removed.
        after = Verdict.unknown("the reparameterization theta* is computed for dense layers "
                                "only, so the theorem's conclusion at theta* is not decided "
                                "for this network")
        if derivation.status is DerivationStatus.NOT_APPLICABLE:
            after = Verdict.unknown(derivation.reason, method="adjunction check")
    elif not reparameterization.formed:
        after = Verdict.unknown(reparameterization.blocked_reason()
                                + ", so the theorem's conclusion at theta* is not decided")
    elif not reparameterization.changed:
        qualifier = (" for all values of the free symbols" if network.field.symbols else "")
        after = Verdict(layerwise.status, layerwise.method,
                        f"theta* = theta, since no neuron is dead, constant or duplicated"
                        f"{qualifier}; " + layerwise.reason, layerwise.witness)
    elif not reparameterization.verified:
        after = Verdict.unknown("the reduction to theta* could not be re-proved exact")
    else:
        reduced_derivation = derive(reparameterization.network, action)
        after = _layerwise_verdict(reduced_derivation, end_to_end)
        after = Verdict(after.status, after.method, "at theta*: " + after.reason, after.witness)

    verdicts = {
        "end_to_end_equivariant": end_to_end,
        "identifiable": identifiable,
        "layerwise_equivariant": layerwise,
        "layerwise_after_reparameterization": after,
    }
    results = tuple(ClaimResult(name_, expectations.get(name_), verdicts[name_], strict)
                    for name_ in PROPERTIES)
    return Report(name, source, results, derivation, reparameterization, reduced_derivation)
