r"""Tokenwise layers :math:`x_t \mapsto \sigma(W x_t + b)`: one dense layer applied to every token.

The input is a sequence of :math:`n` tokens of :math:`c_{in}` features, stored
token-major (:mod:`symequiv.actions.tokens`), and the same weights act on each
token: the position-wise feed-forward layer of a transformer, or the output
projection :math:`W_O` after an attention layer.

* *Adjunction.* A map :math:`P \otimes M` (with a translation that is the same
  for every token) is absorbed as :math:`W \mapsto W M`, :math:`b \mapsto b + W t`,
  and the token permutation :math:`P` passes through to the output:
  :math:`f(P \otimes M\, x) = (P \otimes I)\, f(x;\ \theta')`.
* *Latent group.* The activation's group :math:`K` on the :math:`c_{out}`
  channels, acting alike on every token (:math:`I_n \otimes k`). Matching is
  the dense matcher on the shared rows. No latent map can mix tokens,
  because each output token depends on its own input token only.
"""

from __future__ import annotations

import numpy

from symequiv.actions.maps import AffineMap, identity_affine
from symequiv.actions.notation import permutation_cycles
from symequiv.actions.tokens import factor_tokens, lift_tokens, tokens_identity
from symequiv.errors import ShapeError
from symequiv.models.layer import Absorption, LatentElement, LatentGroup, Layer, Match


class TokenwiseLatentGroup(LatentGroup):
    """A latent group on one token's channels, acting alike on every token."""

    def __init__(self, core_group, tokens):
        self.core_group = core_group
        self.tokens = tokens

    @property
    def name(self):
        return f"{self.core_group.name}, acting alike on each of {self.tokens} tokens"

    def contains(self, element):
        core = _core_element(element, self.tokens)
        return core is not None and self.core_group.contains(core)


def split_tokens(affine_map, tokens):
    r"""Return ``(images, feature_map)`` when ``affine_map`` is :math:`P \otimes A` with one A.

    ``feature_map`` is an :class:`AffineMap` on one token, its translation
    repeated for every token. None when the map is not of that form.
    """
    factors = factor_tokens(affine_map.linear, tokens)
    if factors is None:
        return None
    images, feature = factors
    size = feature.dimension
    translation = affine_map.translation
    shift = None
    if translation is not None:
        # Shared weights and bias can absorb a shift only when every token gets the same one.
        blocks = {tuple(translation[token * size:(token + 1) * size])
                  for token in range(tokens)}
        if len(blocks) != 1:
            return None
        shift = next(iter(blocks))
    return images, AffineMap(feature, shift)


def _core_element(element, tokens):
    core = element.details.get("core") if isinstance(element, LatentElement) else None
    if core is not None:
        return core
    affine_map = element.map if isinstance(element, LatentElement) else element
    split = split_tokens(affine_map, tokens)
    if split is None or not tokens_identity(split[0]):
        return None
    scales = element.preactivation_scales if isinstance(element, LatentElement) else None
    return LatentElement(split[1], scales)


def describe_token_permutation(images):
    """Return a line naming the token permutation, with tokens numbered from 1."""
    if tokens_identity(images):
        return "tokens: not moved"
    return f"tokens: permutation {permutation_cycles(images)}"


class TokenwiseLayer(Layer):
    r"""The layer :math:`x_t \mapsto \sigma(W x_t + b)` applied to each of ``tokens`` tokens.

    Parameters
    ----------
    tokens : int
    core : DenseLayer
        The layer applied to one token; its activation None gives an affine layer.
    """

    def __init__(self, tokens, core):
        if tokens < 1:
            raise ShapeError(f"a tokenwise layer needs at least one token, got {tokens}")
        self.tokens = tokens
        self.core = core
        self.field = core.field
        self.input_dimension = tokens * core.input_dimension
        self.output_dimension = tokens * core.output_dimension

    @property
    def kind(self):
        return "tokenwise"

    @property
    def label(self):
        return f"tokenwise {self.core.label}"

    @property
    def activation(self):
        return self.core.activation

    @property
    def has_bias(self):
        return self.core.has_bias

    def __repr__(self):
        return (f"TokenwiseLayer({self.tokens} tokens, {self.core.input_dimension} -> "
                f"{self.core.output_dimension}, {self.core.label})")

    def parameters(self):
        return self.core.parameters()

    def same_parameters(self, other):
        return (isinstance(other, TokenwiseLayer) and other.tokens == self.tokens
                and self.core.same_parameters(other.core))

    def convert_parameters(self, field, convert):
        return TokenwiseLayer(self.tokens, self.core.convert_parameters(field, convert))

    def _with_core(self, core):
        return TokenwiseLayer(self.tokens, core)

    @property
    def polynomial_degree(self):
        return self.core.polynomial_degree

    # -- evaluation ----------------------------------------------------------------

    def evaluate_numpy(self, inputs):
        inputs = numpy.asarray(inputs, dtype=float)
        batch = inputs.shape[0]
        per_token = inputs.reshape(batch * self.tokens, self.core.input_dimension)
        return self.core.evaluate_numpy(per_token).reshape(batch, self.output_dimension)

    def evaluate_arb(self, vector, substitutions=None):
        size = self.core.input_dimension
        outputs = []
        for token in range(self.tokens):
            outputs.extend(self.core.evaluate_arb(vector[token * size:(token + 1) * size],
                                                  substitutions))
        return outputs

    def evaluate_symbolic(self, vector):
        size = self.core.input_dimension
        outputs = []
        for token in range(self.tokens):
            block = list(vector[token * size:(token + 1) * size])
            outputs.extend(self.core.evaluate_symbolic(block))
        return outputs

    # -- maps acting on the layer ----------------------------------------------------

    def precompose(self, affine_map):
        split = split_tokens(affine_map, self.tokens)
        if split is None or not tokens_identity(split[0]):
            return None
        return self._with_core(self.core.precompose(split[1]))

    def absorb(self, affine_map):
        if affine_map.is_identity:
            return Absorption(self)
        split = split_tokens(affine_map, self.tokens)
        if split is None:
            return Absorption.failed(
                "a tokenwise layer applies the same weights to every token, so it absorbs only "
                "maps that permute the tokens and act on every token alike (the same feature "
                "map and the same shift)")
        images, feature = split
        layer = self._with_core(self.core.precompose(feature))
        if tokens_identity(images):
            return Absorption(layer)
        identity = identity_affine(self.field, self.core.output_dimension)
        return Absorption(layer, lift_tokens(identity, self.tokens, images))

    def commute(self, affine_map):
        if affine_map.is_identity:
            return affine_map
        split = split_tokens(affine_map, self.tokens)
        if split is None or not split[1].is_identity:
            return None
        identity = identity_affine(self.field, self.core.output_dimension)
        return lift_tokens(identity, self.tokens, split[0])

    def postcompose(self, element):
        core = _core_element(element, self.tokens)
        if core is None:
            return None
        if not isinstance(element, LatentElement):
            core = core.map
        result = self.core.postcompose(core)
        return None if result is None else self._with_core(result)

    # -- the latent group --------------------------------------------------------------

    def latent_group(self):
        core_group = self.core.latent_group()
        if core_group is None:
            return None
        return TokenwiseLatentGroup(core_group, self.tokens)

    def _lift(self, core_element):
        return LatentElement(lift_tokens(core_element.map, self.tokens),
                             core_element.preactivation_scales, {"core": core_element})

    def match(self, target):
        if not isinstance(target, TokenwiseLayer) or target.tokens != self.tokens:
            return Match(None, True, reason="the layers are not tokenwise layers on the same "
                                            "number of tokens")
        match = self.core.match(target.core)
        if not match.found:
            return match
        return Match(self._lift(match.element), match.complete, match.unique,
                     tuple(self._lift(element) for element in match.alternatives), match.reason,
                     match.details)

    def relation_holds(self, target, element):
        if not isinstance(target, TokenwiseLayer) or target.tokens != self.tokens:
            return False
        core = _core_element(element, self.tokens)
        if core is None:
            return False
        affine_map = element.map if isinstance(element, LatentElement) else element
        if lift_tokens(core.map, self.tokens) != affine_map:
            return False
        return self.core.relation_holds(target.core, core if isinstance(element, LatentElement)
                                        else core.map)

    def explain_mismatch(self, target, element):
        if not isinstance(target, TokenwiseLayer):
            return None
        core = _core_element(element, self.tokens)
        if core is None:
            return ("the map does not act alike on every token, so the shared weights cannot "
                    "absorb it")
        return self.core.explain_mismatch(
            target.core, core if isinstance(element, LatentElement) else core.map)

    def describe_latent(self, element):
        from symequiv.report import format_map

        lines = []
        passthrough = element.details.get("passthrough")
        if passthrough is not None:
            split = split_tokens(passthrough, self.tokens)
            if split is not None:
                lines.append(describe_token_permutation(split[0]))
        core = element.details.get("core")
        if core is not None:
            lines.append("on the channels of every token:")
            lines.extend(format_map(core.map, indent="  "))
        return lines or None
