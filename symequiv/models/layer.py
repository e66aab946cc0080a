r"""The interface every layer implements, and the results of matching inside a latent group.

A layer is a parametric map :math:`f_i(\,\cdot\,; \theta_i) : V_{i-1} \to V_i`
with exact parameters. The derivation engine, identifiability checks and
renderers use only this interface:

* evaluation: exact (:meth:`Layer.evaluate_symbolic`), floating point
  (:meth:`Layer.evaluate_numpy`) and certified intervals
  (:meth:`Layer.evaluate_arb`);
* how a map acts on the layer: :meth:`Layer.absorb` rewrites
  :math:`f_i(A x + t;\ \theta_i)` as :math:`q\, f_i(x;\ \theta'_i)` with new
  parameters of the same kind and a map :math:`q` on the output, or explains
  why the layer cannot take the map in. :math:`q` is the identity for
  *adjunction* and a map such as a token permutation for *generalized
  adjunction*;
  :meth:`Layer.postcompose` gives the layer :math:`x \mapsto A f_i(x) + t`.
  For the first and last layer these moves carry the group action onto the
  parameters, which is the adjunction step of the theorem;
* the latent group :math:`K_i` on :math:`V_i` with a matcher:
  :meth:`Layer.match` finds :math:`k \in K_i` with
  :math:`f_i(\,\cdot\,; \theta'_i) = k \circ f_i(\,\cdot\,; \theta_i)` or proves
  there is none, and :meth:`Layer.relation_holds` re-checks one candidate
  exactly.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from dataclasses import field as dataclass_field


@dataclass(frozen=True)
class Absorption:
    r"""The result of moving a map on a layer's input onto its parameters.

    When ``layer`` is set, :math:`f(A x + t;\ \theta) = q\, f(x;\ \theta')` for
    every input :math:`x`, with :math:`\theta'` the parameters of ``layer`` and
    :math:`q` ``output_map`` (None stands for the identity).

    Attributes
    ----------
    layer : Layer or None
        The layer with parameters :math:`\theta'`, or None when the map cannot
        be moved onto the parameters.
    output_map : AffineMap or None
        :math:`q`, the part of the map that passes through to the output.
    reason : str
        Why the map cannot be absorbed, when ``layer`` is None.
    """

    layer: object
    output_map: object = None
    reason: str = ""

    @property
    def absorbed(self):
        return self.layer is not None

    @property
    def strict(self):
        """True when nothing passes through: the adjunction of the theorem in its plain form."""
        return self.layer is not None and (self.output_map is None
                                           or self.output_map.is_identity)

    @classmethod
    def failed(cls, reason):
        return cls(None, None, reason)


@dataclass(frozen=True)
class LatentElement:
    r"""An element :math:`k` of a latent group :math:`K_i`.

    Attributes
    ----------
    map : AffineMap
        How :math:`k` acts on the latent space :math:`V_i`.
    preactivation_scales : tuple or None
        For pointwise activations, the scale :math:`c_j` applied to the row of
        source neuron :math:`j` (None for a constant neuron matched by value);
        the identity :math:`\sigma(c_j z) = \lambda_j \sigma(z) + \mu_j` links
        it to the latent map.
    details : dict
        Layer-specific data that describe the element in the layer's own terms
        (such as a head permutation and per-head basis changes); not compared.
    """

    map: object
    preactivation_scales: tuple | None = None
    details: dict = dataclass_field(default_factory=dict, compare=False)

    def __eq__(self, other):
        return isinstance(other, LatentElement) and self.map == other.map

    def __hash__(self):
        return hash(self.map)


@dataclass(frozen=True)
class Match:
    r"""The outcome of searching :math:`K_i` for :math:`k` with :math:`f' = k \circ f`.

    Attributes
    ----------
    element : LatentElement or None
        One solution, or None when none was found.
    complete : bool
        When ``element`` is None: True if that proves no solution exists.
        When ``element`` is set: True if ``element`` and ``alternatives``
        are all the solutions.
    unique : bool or None
        True when ``element`` is the only solution, False when others exist,
        None when unknown.
    alternatives : tuple of LatentElement
        Other solutions, enumerated up to a bound.
    reason : str
        Why the match failed, or what makes it non-unique.
    """

    element: LatentElement | None
    complete: bool
    unique: bool | None = None
    alternatives: tuple = ()
    reason: str = ""
    details: dict = dataclass_field(default_factory=dict, compare=False)

    @property
    def found(self):
        return self.element is not None

    def solutions(self):
        """Return every solution found: ``element`` first, then the alternatives."""
        if self.element is None:
            return ()
        return (self.element,) + tuple(self.alternatives)


class LatentGroup(abc.ABC):
    """The symmetry group :math:`K_i` of a layer type on its latent space."""

    @property
    @abc.abstractmethod
    def name(self):
        """A phrase such as 'signed permutations of 4 coordinates'."""

    @abc.abstractmethod
    def contains(self, element):
        """Return True when the :class:`LatentElement` lies in the group."""


class Layer(abc.ABC):
    r"""A parametric layer :math:`f(\,\cdot\,; \theta) : \mathbb{R}^{n} \to \mathbb{R}^{m}`."""

    field = None
    input_dimension = 0
    output_dimension = 0

    @property
    @abc.abstractmethod
    def kind(self):
        """A short name of the layer type, such as ``"dense"``."""

    @property
    def label(self):
        """A short name for reports, such as ``"tanh"``; the layer kind unless overridden."""
        return self.kind

    @abc.abstractmethod
    def parameters(self):
        """Return the parameters as an ordered dict of name to nested tuples of field elements."""

    @property
    def parameter_count(self):
        total = 0
        for value in self.parameters().values():
            total += _count(value)
        return total

    # -- evaluation ------------------------------------------------------------

    @abc.abstractmethod
    def evaluate_numpy(self, inputs):
        """Evaluate on a float array of shape ``(batch, input_dimension)``."""

    @abc.abstractmethod
    def evaluate_arb(self, vector, substitutions=None):
        """Evaluate on a list of ``flint.arb`` balls; the result encloses the exact value.

        ``substitutions`` maps free symbols of the parameters to balls.
        """

    @abc.abstractmethod
    def evaluate_symbolic(self, vector):
        """Evaluate on a list of sympy expressions, returning sympy expressions."""

    # -- maps acting on the layer ---------------------------------------------

    def precompose(self, affine_map):
        r"""Return the layer :math:`x \mapsto f(A x + t)` as a layer of the same kind.

        Returns None when that map is not a layer of this kind, which the
        default does for every map; :meth:`absorb` then reports that. A layer
        overrides this or :meth:`absorb`.
        """
        return None

    def absorb(self, affine_map):
        r"""Move a map on the input onto the parameters: :math:`f(Ax + t) = q\, f(x; \theta')`.

        The default uses :meth:`precompose`, so :math:`q` is the identity.
        Layers whose structure passes part of the map through to the output
        (token or grid permutations) override this.

        Returns
        -------
        Absorption
        """
        if affine_map.is_identity:
            return Absorption(self)
        layer = self.precompose(affine_map)
        if layer is None:
            return Absorption.failed(f"a {self.kind} layer cannot absorb this map on its input")
        return Absorption(layer)

    def commute(self, affine_map):
        r"""Return :math:`q` with :math:`f(A x + t;\ \theta) = q\, f(x;\ \theta)` for all theta.

        This is equivariance built into the layer's structure, such as a
        Deep Sets layer's under permutations of its elements, and it is true
        whatever the parameters are. Returns None when the layer has no such
        property for this map; the default knows only the identity.
        """
        if affine_map.is_identity:
            return affine_map
        return None

    @abc.abstractmethod
    def postcompose(self, element):
        r"""Return the layer :math:`x \mapsto k\, f(x)`.

        ``element`` is an :class:`AffineMap` for an output layer and a
        :class:`LatentElement` of the latent group for a hidden layer. Returns
        None when the result is not a layer of this kind.
        """

    # -- the latent group -------------------------------------------------------

    @abc.abstractmethod
    def latent_group(self):
        """Return the :class:`LatentGroup` on the output space, for hidden layers."""

    @abc.abstractmethod
    def match(self, target):
        r"""Find :math:`k \in K` with ``target`` :math:`= k \circ` ``self``.

        Returns a :class:`Match`.
        """

    @abc.abstractmethod
    def relation_holds(self, target, element):
        r"""Check exactly that ``target`` :math:`= k \circ` ``self`` for one element ``k``.

        For an output layer ``element`` is an :class:`AffineMap` on the output space.
        """

    def describe_latent(self, element):
        """Return text lines that describe a latent element in the layer's own terms, or None.

        Reports print these before the element's matrix; None means the
        matrix alone describes it.
        """
        return None

    @property
    def polynomial_degree(self):
        """The degree of the layer as a polynomial map of its input, or None when not polynomial."""
        return None

    def explain_mismatch(self, target, element):
        """Describe where ``target`` differs from ``element`` after ``self``, or return None.

        Called only after :meth:`relation_holds` returned False, for messages.
        """
        return None

    def same_parameters(self, other):
        """Return True when the two layers are of one type and have equal parameters."""
        return type(other) is type(self) and other.parameters() == self.parameters()

    @abc.abstractmethod
    def convert_parameters(self, field, convert):
        """Return this layer over ``field``, each parameter entry passed through ``convert``."""


def _count(value):
    if isinstance(value, tuple):
        return sum(_count(item) for item in value)
    return 1
