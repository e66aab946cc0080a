r"""The questions a search asks each candidate, and the outcome of asking.

Each question names the properties (of :mod:`symequiv.verification`) that make
a network a counterexample, and a candidate counts only when every one of them
is *settled* at the required value: proved or refuted exactly, never guessed.

``not_layerwise`` (the default)
    end-to-end equivariance proved, and layerwise equivariance at
    :math:`\theta` refuted: the derivation shows that no homomorphisms
    :math:`\rho_i : G \to K_i` make every layer equivariant. Dead units and
    linear bypass pairs give such networks.
``no_homomorphism``
    the same, and also at the reparameterization :math:`\theta^*` (dead
    neurons zeroed, duplicates merged): the theorem's conclusion fails for
    every reparameterization symequiv builds. Dead units no longer count;
    linear bypass pairs still do.
``not_identifiable``
    identifiability refuted (by a second parameter with the same function, or
    by two different relating sequences).
``expect``
    some claim of the template's ``[expect]`` table refuted.

The cheap checks come first: most candidates of a family are not even
equivariant, and a derivation that succeeds settles the question at once.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from symequiv.derivation.endtoend import decide_end_to_end
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.errors import SymequivError
from symequiv.identifiability.decide import decide_identifiability
from symequiv.identifiability.reduction import reduce_network
from symequiv.search.spec import Question
from symequiv.verdicts import Status
from symequiv.verification import verify_network

logger = logging.getLogger(__name__)

# The seed of the input-witness search, the default of `symequiv verify`, so that a
# written counterexample verifies with the same witnesses the search found.
WITNESS_SEED = 0


class OutcomeKind(enum.Enum):
    COUNTEREXAMPLE = "counterexample"
    NOT_COUNTEREXAMPLE = "not a counterexample"
    UNDECIDED = "undecided"
    UNDEFINED = "undefined"


@dataclass(frozen=True)
class Outcome:
    """The outcome for one candidate: its kind and a short fixed label that gives the reason."""

    kind: OutcomeKind
    label: str

    @property
    def is_counterexample(self):
        return self.kind is OutcomeKind.COUNTEREXAMPLE


def _no(label):
    return Outcome(OutcomeKind.NOT_COUNTEREXAMPLE, label)


def _undecided(label):
    return Outcome(OutcomeKind.UNDECIDED, label)


UNDEFINED = Outcome(OutcomeKind.UNDEFINED, "a parameter's denominator vanishes")


def claims_for(question, expectations=None):
    """Return the claims that state a counterexample's failure, as ``{property: bool}``.

    For ``expect`` the claims are filled in from the refuted ones when the
    counterexample is proved.
    """
    if question is Question.NOT_LAYERWISE:
        return {"end_to_end_equivariant": True, "layerwise_equivariant": False}
    if question is Question.NO_HOMOMORPHISM:
        return {"end_to_end_equivariant": True, "layerwise_equivariant": False,
                "layerwise_after_reparameterization": False}
    if question is Question.NOT_IDENTIFIABLE:
        return {"identifiable": False}
    return {}


class CandidateEvaluator:
    """Ask a template's question of networks of the family.

    Parameters
    ----------
    template : Template
    """

    def __init__(self, template):
        self.template = template
        self.question = template.settings.question
        self.action = template.action
        self.expectations = dict(template.theory.expectations)

    def evaluate(self, values):
        """Return the :class:`Outcome` for the network at ``values``."""
        try:
            network = self.template.instantiate(values)
        except ZeroDivisionError:
            return UNDEFINED
        return self.evaluate_network(network, values)

    def evaluate_network(self, network, values=None):
        """Return the :class:`Outcome` for ``network``; ``values`` only names it in logs."""
        try:
            if self.question is Question.NOT_IDENTIFIABLE:
                return _identifiability_outcome(network)
            if self.question is Question.EXPECT:
                return self._expect_outcome(network)
            outcome = _layerwise_outcome(network, self.action)
            if outcome.is_counterexample and self.question is Question.NO_HOMOMORPHISM:
                return _reparameterized_outcome(network, self.action)
            return outcome
        except SymequivError as error:
            logger.warning("evaluating the candidate %s failed: %s",
                           self.template.describe_values(values) if values else "", error)
            return _undecided(f"evaluation failed ({type(error).__name__})")

    def _expect_outcome(self, network):
        report = verify_network(network, self.action, self.expectations, seed=WITNESS_SEED)
        refuted = [result.property for result in report.claims
                   if result.verdict.value is not None and not result.holds]
        if refuted:
            return Outcome(OutcomeKind.COUNTEREXAMPLE, "refutes " + ", ".join(refuted))
        undecided = [result.property for result in report.claims if not result.holds]
        if undecided:
            return _undecided("undecided: " + ", ".join(undecided))
        return _no("every claim holds")


def _layerwise_outcome(network, action):
    """Decide whether the network is end-to-end but not layerwise equivariant at theta."""
    derivation = derive(network, action)
    if derivation.derived:
        return _no("layerwise equivariant")
    end_to_end = decide_end_to_end(network, action, derivation, None, seed=WITNESS_SEED)
    if end_to_end.status is Status.REFUTED:
        return _no("not end-to-end equivariant")
    if derivation.status is DerivationStatus.INCONCLUSIVE:
        return _undecided("layerwise equivariance undecided")
    if end_to_end.status is Status.PROVED:
        return Outcome(OutcomeKind.COUNTEREXAMPLE,
                       "end-to-end equivariant, not layerwise equivariant")
    # The theorem refutes end-to-end equivariance when theta is identifiable and no
    # latent action exists; identifiability is computed only for these few candidates.
    if decide_identifiability(network).status is Status.PROVED:
        return _no("not end-to-end equivariant")
    return _undecided("end-to-end equivariance undecided")


def _reparameterized_outcome(network, action):
    """Decide whether the conclusion also fails at theta*, for a network failing at theta."""
    reparameterization = reduce_network(network)
    if not reparameterization.formed:
        return _undecided("theta* not formed exactly")
    if not reparameterization.changed:
        return Outcome(OutcomeKind.COUNTEREXAMPLE, "no homomorphism at theta = theta*")
    if not reparameterization.verified:
        return _undecided("reduction to theta* not re-proved")
    reduced = derive(reparameterization.network, action)
    if reduced.derived:
        return _no("layerwise equivariant at theta*")
    if reduced.status is DerivationStatus.INCONCLUSIVE:
        return _undecided("layerwise equivariance at theta* undecided")
    return Outcome(OutcomeKind.COUNTEREXAMPLE, "no homomorphism at theta nor theta*")


def _identifiability_outcome(network):
    verdict = decide_identifiability(network)
    if verdict.status is Status.REFUTED:
        return Outcome(OutcomeKind.COUNTEREXAMPLE, "not identifiable")
    if verdict.status is Status.PROVED:
        return _no("identifiable")
    return _undecided("identifiability undecided")
