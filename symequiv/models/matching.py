r"""Matching two pointwise layers inside their latent group, by canonical forms and hashing.

Problem: given source rows :math:`R_j = (w_j, b_j)` and target rows
:math:`R'_j`, find a permutation :math:`\pi` and admissible scales :math:`c_j`
with :math:`R'_{\pi(j)} = c_j R_j`. Then
:math:`\sigma(W' x + b') = k\,\sigma(W x + b)` with the latent map
:math:`(k h)_{\pi(j)} = \lambda(c_j) h_j + \mu(c_j)`.

Each row is brought to a canonical form under the admissible scales (for signs:
first nonzero entry positive; for positive scales: first nonzero entry
:math:`\pm 1`; for all nonzero scales: first nonzero entry 1), and rows are
grouped by canonical form in a dictionary. The cost is linear in the number of
parameters; the group :math:`K`, of order up to :math:`2^d d!`, is never
enumerated.

Constant neurons (:math:`w_j = 0`) are compared by their value
:math:`\sigma(b_j)` where that value is exact, because different biases can
give the same constant (every :math:`b \le 0` gives ``relu(b) = 0``).

A failed match proves that no latent map exists when the activation
determines its neurons (a non-constant neuron :math:`\sigma(w \cdot x + b)`
fixes :math:`(w, b)` up to an admissible scale) and every constant neuron is
compared exactly; otherwise the result records that the search was incomplete.
"""

from __future__ import annotations

import itertools
import math

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.activations.symmetry import ScaleSet
from symequiv.models.layer import LatentElement, Match

MAX_ALTERNATIVES = 256

_SCALE_WORDS = {
    ScaleSet.ONE: "exactly",
    ScaleSet.SIGN: "up to sign",
    ScaleSet.POSITIVE: "up to a positive scale",
    ScaleSet.NONZERO: "up to a nonzero scale",
}


class RowMatcher:
    r"""Canonical forms of neuron rows for one activation over one field.

    Parameters
    ----------
    activation : Activation
    field : ExactField
    """

    def __init__(self, activation, field):
        self.activation = activation
        self.symmetry = activation.symmetry
        self.scale_set = activation.symmetry.scale_set
        self.field = field
        self.zero = field.zero
        self.one = field.one

    # -- canonical forms ---------------------------------------------------------

    def normalizer(self, row):
        r"""Return :math:`a` such that :math:`a \cdot` ``row`` is the canonical form."""
        zero = self.zero
        lead = next((entry for entry in row if entry != zero), None)
        if lead is None or self.scale_set is ScaleSet.ONE:
            return self.one
        if self.scale_set is ScaleSet.SIGN:
            return self.one if self.field.canonical_sign(lead) > 0 else -self.one
        constant = self.field.leading_constant(lead)
        if self.scale_set is ScaleSet.POSITIVE:
            sign = self.field.canonical_sign(constant)
            return self.one / constant if sign > 0 else -self.one / constant
        return self.one / constant

    def canonical(self, row):
        factor = self.normalizer(row)
        if factor == self.one:
            return tuple(row), factor
        if factor == -self.one:
            return tuple(-entry for entry in row), factor
        return tuple(factor * entry for entry in row), factor

    def value_class(self, value):
        r"""Return a key shared by exactly the values related by a latent map.

        The latent maps act on one coordinate as :math:`h \mapsto \lambda h + \mu`.
        """
        scale_set = self.scale_set
        negation = self.symmetry.negation
        if scale_set is ScaleSet.ONE or (scale_set is ScaleSet.SIGN and negation.is_even):
            return value
        if scale_set is ScaleSet.SIGN:
            offset = self.field.convert(negation.r)
            twice = value + value - offset
            if twice == self.zero or self.field.canonical_sign(twice) > 0:
                return value
            return offset - value
        sign = self.field.canonical_sign(value) if value != self.zero else 0
        if scale_set is ScaleSet.NONZERO and not (negation is not None and negation.is_even):
            return abs(sign)
        return sign

    def value_is_fixed(self, value):
        """True when a non-identity latent map fixes ``value`` (the neuron's latent map is free)."""
        scale_set = self.scale_set
        negation = self.symmetry.negation
        if scale_set is ScaleSet.ONE or (scale_set is ScaleSet.SIGN and negation.is_even):
            return False
        if scale_set is ScaleSet.SIGN:
            return value + value == self.field.convert(negation.r)
        return value == self.zero

    # -- keys --------------------------------------------------------------------

    def _hashable(self, row):
        # Hashing flint's fmpq goes through Python's Fraction hash; numerators and
        # denominators hash several times faster and identify the row just as well.
        if self.field.is_rational:
            return tuple(entry.numerator for entry in row) + tuple(
                entry.denominator for entry in row)
        return row

    def key(self, weights, bias):
        r"""Return ``(key, factor, exact_value, complete)`` for one neuron.

        ``factor`` is the normalizer of a non-constant or bias-keyed row,
        ``exact_value`` the constant value of a value-keyed neuron, and
        ``complete`` False when equal functions might still get different keys.
        """
        zero = self.zero
        if any(entry != zero for entry in weights):
            canonical, factor = self.canonical(tuple(weights) + (bias,))
            return ("row", self._hashable(canonical)), factor, None, \
                self.activation.determines_neurons
        value = self.activation.exact_value(bias, self.field)
        if value is not None:
            return ("value", self.value_class(value)), None, value, True
        canonical, factor = self.canonical((bias,))
        return ("bias", canonical), factor, None, self.activation.injective

    # -- latent maps for one source/target pair -----------------------------------

    def pair_latent(self, source, target):
        r"""Return ``(scale, lambda, mu)`` relating one source neuron's key data to a target's."""
        _, source_factor, source_value, _ = source
        _, target_factor, target_value, _ = target
        if source_value is None:
            scale = source_factor / target_factor
            latent_scale, latent_shift = self.symmetry.latent_map(scale, self.field)
            return scale, latent_scale, latent_shift
        return (None,) + self._value_latent(source_value, target_value)

    def _value_latent(self, source, target):
        if source == target:
            return self.one, self.zero
        scale_set = self.scale_set
        if scale_set is ScaleSet.SIGN:
            return -self.one, self.field.convert(self.symmetry.negation.r)
        return target / source, self.zero


def match_rows(matcher, source_rows, target_rows):
    r"""Match target rows to source rows inside the latent group.

    Parameters
    ----------
    matcher : RowMatcher
    source_rows, target_rows : sequence of (weights, bias)
        ``weights`` a tuple of field elements, ``bias`` a field element.

    Returns
    -------
    Match
    """
    size = len(source_rows)
    if len(target_rows) != size:
        return Match(None, True, reason=f"the layers have {size} and {len(target_rows)} neurons")
    source_keys = [matcher.key(weights, bias) for weights, bias in source_rows]
    target_keys = [matcher.key(weights, bias) for weights, bias in target_rows]
    complete = all(key[3] for key in source_keys) and all(key[3] for key in target_keys)
    if matcher.field.symbols:
        # Scales are only sought among constants, so a scale depending on the
        # symbols could be missed.
        complete = False

    buckets = {}
    for index, key in enumerate(source_keys):
        buckets.setdefault(key[0], []).append(index)
    target_buckets = {}
    for index, key in enumerate(target_keys):
        target_buckets.setdefault(key[0], []).append(index)

    for key, targets in target_buckets.items():
        sources = buckets.get(key, ())
        if len(sources) != len(targets):
            reason = _mismatch_reason(matcher, key, targets, sources)
            if matcher.field.symbols:
                reason += ("; with free symbols this is not a proof, since rows can agree "
                           "for special values of the symbols")
            return Match(None, complete, reason=reason)

    assignment = [None] * size
    for key, targets in target_buckets.items():
        for source, target in zip(buckets[key], targets):
            assignment[source] = target
    element = _element(matcher, source_keys, target_keys, assignment)

    ambiguous = {key: sources for key, sources in buckets.items() if len(sources) > 1}
    fixed = [index for index, key in enumerate(source_keys)
             if key[2] is not None and matcher.value_is_fixed(key[2])]
    unique = not ambiguous and not fixed
    if unique:
        # Over symbols a second solution with scales depending on the symbols
        # could exist, which the constant-scale search does not see.
        return Match(element, complete, None if matcher.field.symbols else True)
    alternatives, exhaustive = _alternatives(matcher, source_keys, target_keys, buckets,
                                             target_buckets, fixed, element)
    reasons = []
    if ambiguous:
        groups = [", ".join(str(index + 1) for index in sources)
                  for sources in ambiguous.values()]
        reasons.append("neurons equal " + _SCALE_WORDS.get(matcher.scale_set, "up to symmetry")
                       + ": " + "; ".join(f"{{{group}}}" for group in groups))
    if fixed:
        reasons.append("constant neurons whose latent map is free: "
                       + ", ".join(str(index + 1) for index in fixed))
    return Match(element, complete and exhaustive, False, alternatives, "; ".join(reasons))


def _mismatch_reason(matcher, key, targets, sources):
    kind = key[0]
    words = _SCALE_WORDS.get(matcher.scale_set, "up to symmetry")
    if kind == "row":
        what = f"normalized row {_format(_readable(matcher, key[1]))}"
    elif kind == "value":
        what = "the same constant value"
    else:
        bias = key[1][0] if len(key[1]) == 1 else _format(key[1])
        what = f"a constant output with bias b_j = {bias}"
    neurons = ", ".join(str(index + 1) for index in targets)
    plural = len(targets) != 1
    return (f"{len(targets)} {'neurons' if plural else 'neuron'} of the transformed layer "
            f"({'neurons' if plural else 'neuron'} {neurons}) but {len(sources)} of the "
            f"original layer have {what}, {words}")


def _readable(matcher, key_row):
    """Undo :meth:`RowMatcher._hashable` for a message."""
    if not matcher.field.is_rational:
        return [matcher.field.to_expr(entry) for entry in key_row]
    half = len(key_row) // 2
    return [f"{numerator}/{denominator}" if denominator != 1 else str(numerator)
            for numerator, denominator in zip(key_row[:half], key_row[half:])]


def _format(values):
    return "(" + ", ".join(str(value) for value in values) + ")"


def _element(matcher, source_keys, target_keys, assignment):
    field = matcher.field
    size = len(assignment)
    scales = [None] * size
    latent_scales = [None] * size
    shifts = [field.zero] * size
    for source, target in enumerate(assignment):
        scale, latent_scale, shift = matcher.pair_latent(source_keys[source], target_keys[target])
        scales[source] = scale
        latent_scales[source] = latent_scale
        shifts[target] = shift
    linear = MonomialMatrix(field, assignment, latent_scales)
    return LatentElement(AffineMap(linear, shifts), tuple(scales))


def _alternatives(matcher, source_keys, target_keys, buckets, target_buckets, fixed, first):
    """Enumerate other solutions: permutations inside buckets and free latent maps."""
    field = matcher.field
    exhaustive = True
    if fixed and matcher.scale_set is not ScaleSet.SIGN:
        exhaustive = False  # the latent scale of a constant-zero neuron ranges over a continuum
    per_bucket = []
    count = 1
    for key, sources in buckets.items():
        targets = target_buckets[key]
        count *= math.factorial(len(sources))
        per_bucket.append((sources, targets))
    sign_choices = [index for index in fixed if matcher.scale_set is ScaleSet.SIGN]
    count *= 2 ** len(sign_choices)
    if count - 1 > MAX_ALTERNATIVES:
        exhaustive = False

    results = []
    bucket_iterators = [itertools.permutations(targets) for _, targets in per_bucket]
    for choice in itertools.product(*bucket_iterators):
        assignment = [None] * len(source_keys)
        for (sources, _), targets in zip(per_bucket, choice):
            for source, target in zip(sources, targets):
                assignment[source] = target
        base = _element(matcher, source_keys, target_keys, assignment)
        for flips in itertools.product((False, True), repeat=len(sign_choices)):
            element = _flip(matcher, base, [index for index, flip in zip(sign_choices, flips)
                                            if flip], field)
            if element != first:
                results.append(element)
            if len(results) >= MAX_ALTERNATIVES:
                return tuple(results), False
    return tuple(results), exhaustive


def _flip(matcher, element, sources, field):
    """Compose the latent map with the reflection on constant neurons at its fixed value."""
    if not sources:
        return element
    linear = element.map.linear
    scales = list(linear.scales)
    shifts = list(element.map.translation_or_zero())
    offset = field.convert(matcher.symmetry.negation.r)
    for source in sources:
        target = linear.images[source]
        scales[source] = -scales[source]
        # The reflection h -> r - h after h -> lambda h + mu gives -lambda h + (r - mu).
        shifts[target] = offset - shifts[target]
    return LatentElement(AffineMap(MonomialMatrix(field, linear.images, scales), shifts),
                         element.preactivation_scales)
