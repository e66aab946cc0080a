r"""The identifiability relation: find :math:`k_1, \dots, k_{L-1}` relating two parameters.

Two parameters :math:`\theta, \theta'` of the same architecture are related by
latent elements :math:`k_i \in K_i` when, for every layer :math:`i` and input
:math:`y`,

.. math::  f_i(k_{i-1}\, y;\ \theta'_i) = k_i\, f_i(y;\ \theta_i),

with :math:`k_0` and :math:`k_L` fixed in advance (the identity when comparing
parameters, :math:`\rho_{in}(g)` and :math:`\rho_{out}(g)` when checking
equivariance directly). The search goes layer by layer: :math:`k_{i-1}` is
absorbed into layer :math:`i` of :math:`\theta'` (:meth:`Layer.absorb`), and the
layer's matcher finds :math:`k_i`. Where a match is not unique, the other
solutions are tried depth first, up to a bound.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CHAINS = 64


@dataclass(frozen=True)
class Chain:
    r"""One solution :math:`(k_1, \dots, k_{L-1})` with the matches that produced it."""

    elements: tuple
    matches: tuple

    @property
    def unique_steps(self):
        return all(match.unique for match in self.matches)


@dataclass(frozen=True)
class Relation:
    r"""The solutions found for the identifiability relation between two parameters.

    Attributes
    ----------
    chains : tuple of Chain
        Solutions found, at most the requested number.
    complete : bool
        True when ``chains`` holds every solution (so an empty tuple proves
        there is none).
    failure : str
        Why the first failing branch failed, when no chain was found.
    failure_layer : int or None
        The layer (from 1) where that branch failed.
    failure_elements : tuple of LatentElement
        The latent elements :math:`k_1, k_2, \dots` that branch found before it failed.
    """

    chains: tuple
    complete: bool
    failure: str = ""
    failure_layer: int | None = None
    failure_elements: tuple = ()

    @property
    def found(self):
        return bool(self.chains)

    @property
    def unique(self):
        """True when exactly one solution exists, None when that is not known."""
        if len(self.chains) > 1:
            return False
        if not self.complete:
            return None
        return len(self.chains) == 1


def relate(source, target, first, last, max_chains=MAX_CHAINS, stop_after=None):
    r"""Search for latent elements relating ``target`` to ``source``.

    Parameters
    ----------
    source, target : Network
        :math:`\theta` and :math:`\theta'`, of the same architecture.
    first : AffineMap
        :math:`k_0` on the input space.
    last : AffineMap
        :math:`k_L` on the output space.
    max_chains : int
        Stop after this many solutions.
    stop_after : int, optional
        Return partial chains :math:`(k_1, \dots, k_s)` for ``s = stop_after``
        hidden layers, without checking the later layers (``last`` is then unused).

    Returns
    -------
    Relation
    """
    search = _Search(source, target, last, max_chains, stop_after)
    search.extend(0, first, (), ())
    return Relation(tuple(search.chains), search.complete, search.failure, search.failure_layer,
                    search.failure_elements)


class _Search:
    def __init__(self, source, target, last, max_chains, stop_after=None):
        self.stop_after = stop_after
        self.source = source
        self.target = target
        self.last = last
        self.max_chains = max_chains
        self.chains = []
        self.complete = True
        self.failure = ""
        self.failure_layer = None
        self.failure_elements = ()

    def _fail(self, layer_number, reason, complete, elements=()):
        if not complete:
            self.complete = False
        if self.failure_layer is None:
            self.failure = reason
            self.failure_layer = layer_number
            self.failure_elements = elements

    def extend(self, position, previous, elements, matches):
        if self.stop_after is not None and position == self.stop_after:
            self.chains.append(Chain(elements, matches))
            return
        source_layer = self.source.layers[position]
        layer_number = position + 1
        absorption = self.target.layers[position].absorb(previous)
        if not absorption.strict:
            # A latent element of K_{i-1} is absorbed by the parameters of layer i
            # by definition of K_{i-1}; anything else is outside this search.
            reason = absorption.reason or "it passes a map through to its output"
            self._fail(layer_number, f"the layer cannot absorb the latent element before it: "
                                     f"{reason}", False)
            return
        moved = absorption.layer
        if position == len(self.source.layers) - 1:
            if source_layer.relation_holds(moved, self.last):
                self.chains.append(Chain(elements, matches))
            else:
                detail = source_layer.explain_mismatch(moved, self.last)
                reason = (f"the output layer f_{layer_number} is not equivariant for the latent "
                          "action found before it")
                self._fail(layer_number, reason + (f": {detail}" if detail else ""), True,
                           elements)
            return
        match = source_layer.match(moved)
        if not match.found:
            self._fail(layer_number, match.reason or "no latent element matches", match.complete,
                       elements)
            return
        if not match.complete:
            self.complete = False
        for element in match.solutions():
            if len(self.chains) >= self.max_chains:
                self.complete = False
                return
            # The matcher's result is re-checked exactly before it is used.
            if not source_layer.relation_holds(moved, element):
                self._fail(layer_number, "a candidate from the matcher failed the exact check",
                           False)
                continue
            self.extend(position + 1, element.map, elements + (element,), matches + (match,))
