"""Records of the criteria catalogue: a hypothesis checked on theta, and a criterion's result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of a criterion, checked exactly on the parameters.

    Attributes
    ----------
    label : str
        Its label in the source, such as ``"(ii)"``.
    statement : str
        What it requires.
    holds : bool or None
        None when it could not be decided.
    detail : str
        Where it fails (the neurons involved), or why it was not decided.
    """

    label: str
    statement: str
    holds: bool | None
    detail: str = ""

    def to_dict(self):
        return {"label": self.label, "statement": self.statement, "holds": self.holds,
                "detail": self.detail}


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one catalogue criterion on one network.

    Attributes
    ----------
    criterion : Criterion
    applies : bool
        False when the network is outside the criterion's scope (architecture
        or activation); ``reason`` then says why.
    hypotheses : tuple of Hypothesis
    verdict : Verdict or None
        The criterion's conclusion about identifiability, or None when its
        hypotheses do not settle anything.
    reason : str
    """

    criterion: object
    applies: bool
    hypotheses: tuple = ()
    verdict: object = None
    reason: str = ""

    @property
    def failed(self):
        return [hypothesis for hypothesis in self.hypotheses if hypothesis.holds is False]

    def to_dict(self):
        return {
            "criterion": self.criterion.name,
            "source": self.criterion.source,
            "applies": self.applies,
            "hypotheses": [hypothesis.to_dict() for hypothesis in self.hypotheses],
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Criterion:
    """An identifiability result from the literature or from symequiv's own proofs.

    Attributes
    ----------
    key : str
        A short identifier such as ``"sussmann"``.
    name : str
        The method name in verdicts, such as ``"Sussmann (1992)"``.
    source : str
        The citation.
    scope : str
        The networks it is about.
    conclusion : str
        What it gives when its hypotheses hold (and when they fail).
    check : callable
        ``check(network)`` returns a :class:`CriterionResult`.
    """

    key: str
    name: str
    source: str
    scope: str
    conclusion: str
    check: object

    def to_dict(self):
        return {"key": self.key, "name": self.name, "source": self.source, "scope": self.scope,
                "conclusion": self.conclusion}
