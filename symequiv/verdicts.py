r"""Verdicts: what symequiv established about a property, and how.

Every check returns a :class:`Verdict` with one of four statuses:

* ``PROVED`` -- the property holds, by exact computation or a cited theorem
  whose hypotheses were checked exactly;
* ``REFUTED`` -- the property fails, with a witness (an input whose certified
  enclosures disagree, a second parameter, or the exact step that fails);
* ``EVIDENCE`` -- floating-point agreement within a stated tolerance, never a
  proof;
* ``UNKNOWN`` -- not decided, with the reason.

A claim in a theory file states the value a property should have; it *holds*
when the verdict settles the property at that value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from dataclasses import field as dataclass_field


class Status(enum.Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    EVIDENCE = "numerical evidence"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class InputWitness:
    r"""An input :math:`x` and a group element with :math:`f(g x) \ne g f(x)`.

    Attributes
    ----------
    generator : str
    point : tuple of str
        The exact input, as strings such as ``"1/2"``.
    coordinate : int
        An output coordinate (from 0) where the two sides differ.
    left, right : str
        Enclosures of :math:`f(g x)_i` and :math:`(g f(x))_i`, as
        ``[midpoint +/- radius]``; exact values when ``exact`` is True.
    difference : str
        An enclosure of their difference, which excludes zero.
    precision : int or None
        Bits of working precision of the ball arithmetic.
    substitutions : dict
        Values chosen for free symbols, if the parameters have any.
    exact : bool
        True when the values were computed in exact arithmetic.
    """

    generator: str
    point: tuple
    coordinate: int
    left: str
    right: str
    difference: str
    precision: int | None = None
    substitutions: dict = dataclass_field(default_factory=dict)
    exact: bool = False

    def describe(self):
        where = ", ".join(self.point)
        if self.exact:
            proof = "computed exactly"
        else:
            proof = (f"the enclosure of the difference excludes 0, computed with "
                     f"{self.precision}-bit ball arithmetic")
        text = (f"x = ({where}), g = {self.generator}: coordinate {self.coordinate + 1} of "
                f"f(g x) is {self.left} but of g f(x) is {self.right} "
                f"(difference {self.difference}; {proof})")
        if self.substitutions:
            values = ", ".join(f"{name} = {value}" for name, value in self.substitutions.items())
            text += f", at {values}"
        return text

    def to_dict(self):
        return {
            "kind": "input",
            "generator": self.generator,
            "point": list(self.point),
            "coordinate": self.coordinate,
            "left": self.left,
            "right": self.right,
            "difference": self.difference,
            "precision_bits": self.precision,
            "substitutions": dict(self.substitutions),
            "exact": self.exact,
        }


@dataclass(frozen=True)
class ParameterWitness:
    r"""A second parameter :math:`\theta'` with the same function as :math:`\theta`.

    Attributes
    ----------
    description : str
        What was changed and why the function is unchanged.
    parameters : dict
        :math:`\theta'` as ``{"W1": [[...]], ...}`` of strings.
    outside_orbit : str
        Why no sequence :math:`k_i \in K_i` relates :math:`\theta'` to :math:`\theta`,
        or why the relating sequence is not unique.
    """

    description: str
    parameters: dict
    outside_orbit: str

    def describe(self):
        return f"{self.description}; {self.outside_orbit}"

    def to_dict(self):
        return {"kind": "parameters", "description": self.description,
                "parameters": self.parameters, "outside_orbit": self.outside_orbit}


@dataclass(frozen=True)
class StepWitness:
    """The step of a derivation that fails, such as a layer with no latent map."""

    description: str

    def describe(self):
        return self.description

    def to_dict(self):
        return {"kind": "step", "description": self.description}


@dataclass(frozen=True)
class Verdict:
    """The status of one property, with the method, the reason and any witness.

    Attributes
    ----------
    status : Status
    method : str
        How it was decided, such as ``"derivation"`` or ``"Sussmann (1992)"``.
    reason : str
    witness : InputWitness, ParameterWitness, StepWitness or None
    conditional : str or None
        An unproved assumption the verdict rests on, if any.
    tolerance : float or None
        For numerical evidence, and for refutations of a claim that holds
        within a tolerance.
    observed : bool or None
        For numerical evidence, the value the evidence points to.
    margin : float or None
        For numerical evidence: how clearly it points there, as a ratio
        (such as the runner-up residual over the best one).
    """

    status: Status
    method: str
    reason: str
    witness: object = None
    conditional: str | None = None
    tolerance: float | None = None
    observed: bool | None = None
    margin: float | None = None

    @classmethod
    def proved(cls, method, reason, **extra):
        return cls(Status.PROVED, method, reason, **extra)

    @classmethod
    def refuted(cls, method, reason, witness=None, **extra):
        return cls(Status.REFUTED, method, reason, witness, **extra)

    @classmethod
    def unknown(cls, reason, method="none"):
        return cls(Status.UNKNOWN, method, reason)

    @classmethod
    def evidence(cls, method, reason, observed, tolerance, margin=None):
        """Floating-point agreement (``observed`` True) or disagreement within ``tolerance``."""
        return cls(Status.EVIDENCE, method, reason, tolerance=tolerance, observed=observed,
                   margin=margin)

    @property
    def value(self):
        """True, False, or None when undecided."""
        if self.status is Status.PROVED:
            return True
        if self.status is Status.REFUTED:
            return False
        return None

    def to_dict(self):
        return {
            "status": self.status.value,
            "method": self.method,
            "reason": self.reason,
            "witness": None if self.witness is None else self.witness.to_dict(),
            "conditional": self.conditional,
            "tolerance": self.tolerance,
            "observed": self.observed,
            "margin": _finite_or_none(self.margin),
        }


def _finite_or_none(value):
    """JSON has no infinity: an infinite margin (an exact fit) is written as null."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return value
