"""Tests of row matching inside latent groups, checked against a brute-force search.

The matcher brings rows to canonical forms and hashes them. The brute-force reference
below enumerates every permutation of the neurons and, for each neuron, every admissible
pre-activation scale or latent map, and decides from the definitions alone whether the
target layer equals ``k`` after the source layer.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy
import pytest
import sympy

from symequiv.actions.maps import AffineMap, MonomialMatrix
from symequiv.activations.catalogue import NAMED, leaky_relu, power, t
from symequiv.activations.symmetry import ScaleSet
from symequiv.exact.field import ExactField
from symequiv.models.layer import LatentElement
from symequiv.models.matching import MAX_ALTERNATIVES, RowMatcher
from tests.models.layers import QQ_FIELD, dense_layer, map_data

R = sympy.Rational
TANH = NAMED["tanh"]
SIGMOID = NAMED["sigmoid"]
RELU = NAMED["relu"]
GELU = NAMED["gelu"]
LEAKY = leaky_relu(R(1, 10))
ABSOLUTE = leaky_relu(-1)
SQUARE = power(2)
CUBE = power(3)

SYMBOL = sympy.Symbol("a", real=True)
SYMBOLIC_FIELD = ExactField.for_expressions([SYMBOL])


def _numbers(values):
    return tuple(sympy.sympify(value) for value in values)


def _assert_match(match, images, scales, translation, preactivation_scales):
    assert match.found
    assert map_data(match.element) == (tuple(images), _numbers(scales), _numbers(translation))
    expected_scales = tuple(None if scale is None else QQ_FIELD.convert(sympy.sympify(scale))
                            for scale in preactivation_scales)
    assert match.element.preactivation_scales == expected_scales


# -- canonical forms and value classes ------------------------------------------------------


@pytest.mark.parametrize("activation, row, canonical, factor", [
    pytest.param(TANH, (-2, 1, 3), (2, -1, -3), -1, id="sign-negative-lead"),
    pytest.param(TANH, (2, 1, 3), (2, 1, 3), 1, id="sign-positive-lead"),
    pytest.param(RELU, (-2, 1, 3), (-1, R(1, 2), R(3, 2)), R(1, 2), id="positive"),
    pytest.param(RELU, (0, 3, 6), (0, 1, 2), R(1, 3), id="positive-leading-zero"),
    pytest.param(CUBE, (-2, 1, 3), (1, R(-1, 2), R(-3, 2)), R(-1, 2), id="nonzero"),
    pytest.param(SQUARE, (0, -4, 2), (0, 1, R(-1, 2)), R(-1, 4), id="nonzero-even"),
    pytest.param(GELU, (-2, 1, 3), (-2, 1, 3), 1, id="one"),
    pytest.param(RELU, (0, 0, 0), (0, 0, 0), 1, id="zero-row"),
])
def test_canonical_form_of_row(activation, row, canonical, factor):
    matcher = RowMatcher(activation, QQ_FIELD)

    result, normalizer = matcher.canonical(tuple(QQ_FIELD.convert(entry) for entry in row))

    assert tuple(QQ_FIELD.to_expr(entry) for entry in result) == _numbers(canonical)
    assert normalizer == QQ_FIELD.convert(factor)


@pytest.mark.parametrize("activation, value, value_class, fixed", [
    pytest.param(TANH, 0, 0, True, id="tanh-zero"),
    pytest.param(SIGMOID, R(1, 5), R(4, 5), False, id="sigmoid-below-half"),
    pytest.param(SIGMOID, R(4, 5), R(4, 5), False, id="sigmoid-above-half"),
    pytest.param(SIGMOID, R(1, 2), R(1, 2), True, id="sigmoid-half"),
    pytest.param(RELU, 5, 1, False, id="relu-positive"),
    pytest.param(RELU, 0, 0, True, id="relu-zero"),
    pytest.param(LEAKY, R(-3, 10), -1, False, id="leaky-negative"),
    pytest.param(CUBE, -8, 1, False, id="cube-negative"),
    pytest.param(CUBE, 0, 0, True, id="cube-zero"),
    pytest.param(SQUARE, 4, 1, False, id="square-positive"),
    pytest.param(GELU, 0, 0, False, id="gelu-zero"),
])
def test_value_class_of_constant(activation, value, value_class, fixed):
    """Constants related by a latent map share a class: v and r - v for a flip, signs for scales."""
    matcher = RowMatcher(activation, QQ_FIELD)
    element = QQ_FIELD.convert(value)

    assert matcher.value_class(element) == QQ_FIELD.convert(value_class)
    assert matcher.value_is_fixed(element) is fixed


# -- successful matches ---------------------------------------------------------------------


SUCCESSES = [
    pytest.param(TANH, [(1, 2, 0), (0, 1, -1)], [(0, -1, 1), (1, 2, 0)],
                 (1, 0), (1, -1), (0, 0), (1, -1), id="tanh-negated-row"),
    pytest.param(SIGMOID, [(1, 2, 1), (3, 0, -1)], [(3, 0, -1), (-1, -2, -1)],
                 (1, 0), (-1, 1), (0, 1), (-1, 1), id="sigmoid-flip-shifts-by-one"),
    pytest.param(RELU, [(1, -2, 3), (2, 0, 1)], [(4, 0, 2), (3, -6, 9)],
                 (1, 0), (3, 2), (0, 0), (3, 2), id="relu-positive-scales"),
    pytest.param(LEAKY, [(1, 1), (-1, 2)], [(R(-1, 2), 1), (3, 3)],
                 (1, 0), (3, R(1, 2)), (0, 0), (3, R(1, 2)), id="leaky-positive-scales"),
    pytest.param(ABSOLUTE, [(1, -1)], [(-3, 3)], (0,), (3,), (0,), (-3,),
                 id="absolute-value-negative-scale"),
    pytest.param(CUBE, [(1, 2, 0), (1, 0, 1)], [(-2, -4, 0), (R(1, 2), 0, R(1, 2))],
                 (0, 1), (-8, R(1, 8)), (0, 0), (-2, R(1, 2)), id="cube-nonzero-scales"),
    pytest.param(SQUARE, [(1, 2, 0), (1, 0, 1)], [(R(1, 2), 0, R(1, 2)), (-2, -4, 0)],
                 (1, 0), (4, R(1, 4)), (0, 0), (-2, R(1, 2)), id="square-sign-invisible"),
    pytest.param(GELU, [(1, 2, 0), (0, 1, -1), (3, 0, 1)], [(3, 0, 1), (1, 2, 0), (0, 1, -1)],
                 (1, 2, 0), (1, 1, 1), (0, 0, 0), (1, 1, 1), id="gelu-permutation"),
    pytest.param(RELU, [(0, 2), (1, 0)], [(1, 0), (0, 3)],
                 (1, 0), (R(3, 2), 1), (0, 0), (None, 1), id="relu-constant-by-value"),
    pytest.param(CUBE, [(0, -1)], [(0, 2)], (0,), (-8,), (0,), (None,),
                 id="cube-constant-by-value"),
    pytest.param(TANH, [(0, 2)], [(0, -2)], (0,), (-1,), (0,), (-1,),
                 id="tanh-constant-by-bias"),
    pytest.param(SIGMOID, [(0, 2)], [(0, -2)], (0,), (-1,), (1,), (-1,),
                 id="sigmoid-constant-by-bias"),
]


@pytest.mark.parametrize("activation, source_rows, target_rows, images, scales, translation, "
                         "preactivation_scales", SUCCESSES)
def test_match_finds_unique_latent_map(activation, source_rows, target_rows, images, scales,
                                       translation, preactivation_scales):
    """tanh is odd, sigmoid(-t) = 1 - sigmoid(t), relu is homogeneous, (ct)^m = c^m t^m."""
    source = dense_layer(source_rows, activation)
    target = dense_layer(target_rows, activation)

    match = source.match(target)

    _assert_match(match, images, scales, translation, preactivation_scales)
    assert match.unique is True
    assert match.complete is True
    assert match.alternatives == ()
    assert match.reason == ""
    assert source.relation_holds(target, match.element)


# -- failed matches -------------------------------------------------------------------------


def _missing(row_words, words, count_target=1, count_source=0, neurons="1"):
    noun = "neuron" if count_target == 1 else "neurons"
    return (f"{count_target} {noun} of the transformed layer ({noun} {neurons}) but "
            f"{count_source} of the original layer have {row_words}, {words}")


FAILURES = [
    pytest.param(TANH, [(1, 2, 0)], [(2, 4, 0)],
                 _missing("normalized row (2, 4, 0)", "up to sign"), id="tanh-scaled-row"),
    pytest.param(SIGMOID, [(1, 0, 1)], [(-1, 0, 1)],
                 _missing("normalized row (1, 0, -1)", "up to sign"),
                 id="sigmoid-negated-weights-only"),
    pytest.param(RELU, [(1, 2)], [(-1, -2)],
                 _missing("normalized row (-1, -2)", "up to a positive scale"),
                 id="relu-negated-row"),
    pytest.param(LEAKY, [(1, 2)], [(-3, -6)],
                 _missing("normalized row (-1, -2)", "up to a positive scale"),
                 id="leaky-negated-row"),
    pytest.param(GELU, [(1, 2)], [(-1, -2)],
                 _missing("normalized row (-1, -2)", "exactly"), id="gelu-negated-row"),
    pytest.param(CUBE, [(1, 2, 0)], [(1, 2, 1)],
                 _missing("normalized row (1, 2, 1)", "up to a nonzero scale"),
                 id="cube-non-parallel-row"),
    pytest.param(SQUARE, [(2, 0)], [(2, 1)],
                 _missing("normalized row (1, 1/2)", "up to a nonzero scale"),
                 id="square-non-parallel-row"),
    pytest.param(TANH, [(1, 0), (0, 1)], [(1, 0)], "the layers have 2 and 1 neurons",
                 id="different-widths"),
    pytest.param(RELU, [(0, 1)], [(0, -1)],
                 _missing("the same constant value", "up to a positive scale"),
                 id="relu-constant-positive-against-zero"),
    pytest.param(LEAKY, [(0, 1)], [(0, -10)],
                 _missing("the same constant value", "up to a positive scale"),
                 id="leaky-constant-sign-flipped"),
    pytest.param(CUBE, [(0, 0)], [(0, 1)],
                 _missing("the same constant value", "up to a nonzero scale"),
                 id="cube-constant-zero-against-nonzero"),
    pytest.param(TANH, [(0, 1)], [(0, 2)],
                 _missing("a constant output with bias b_j = 2", "up to sign"),
                 id="tanh-constant-different-bias"),
    pytest.param(RELU, [(1, 0)], [(0, 1)],
                 _missing("the same constant value", "up to a positive scale"),
                 id="relu-row-against-constant"),
    pytest.param(TANH, [(1, 0), (1, 0)], [(1, 0), (2, 1)],
                 _missing("normalized row (1, 0)", "up to sign", count_source=2),
                 id="tanh-duplicate-against-distinct"),
]


@pytest.mark.parametrize("activation, source_rows, target_rows, reason", FAILURES)
def test_match_proves_no_latent_map(activation, source_rows, target_rows, reason):
    """Each activation here determines its neurons, so a missing partner row proves no k exists."""
    match = dense_layer(source_rows, activation).match(dense_layer(target_rows, activation))

    assert match.found is False
    assert match.complete is True
    assert match.reason == reason
    assert match.solutions() == ()


def test_match_gelu_constants_by_bias_is_incomplete():
    """GELU is not injective, so distinct biases of constant neurons do not prove a mismatch."""
    match = dense_layer([(0, 1)], GELU).match(dense_layer([(0, 2)], GELU))

    assert match.found is False
    assert match.complete is False


def test_match_expression_activation_is_incomplete():
    """A custom formula is not known to determine its neurons, so a failure proves nothing."""
    from symequiv.activations.catalogue import from_expression

    activation = from_expression("t^3 + t")
    match = dense_layer([(1, 0)], activation).match(dense_layer([(2, 0)], activation))

    assert match.found is False
    assert match.complete is False


# -- ambiguous matches ----------------------------------------------------------------------


AMBIGUOUS = [
    pytest.param(TANH, [(1, 1), (1, 1)],
                 [((1, 0), (1, 1), (0, 0))], True, "neurons equal up to sign: {1, 2}",
                 id="tanh-duplicate-rows"),
    pytest.param(TANH, [(1, 1), (-1, -1)],
                 [((1, 0), (-1, -1), (0, 0))], True, "neurons equal up to sign: {1, 2}",
                 id="tanh-rows-equal-up-to-sign"),
    pytest.param(TANH, [(0, 0), (1, 2)],
                 [((0, 1), (-1, 1), (0, 0))], True,
                 "constant neurons whose latent map is free: 1", id="tanh-zero-row"),
    pytest.param(SIGMOID, [(0, 0)],
                 [((0,), (-1,), (1,))], True,
                 "constant neurons whose latent map is free: 1", id="sigmoid-zero-row"),
    pytest.param(RELU, [(1, 2), (2, 4)],
                 [((1, 0), (2, R(1, 2)), (0, 0))], True,
                 "neurons equal up to a positive scale: {1, 2}", id="relu-parallel-rows"),
    pytest.param(CUBE, [(1, 1), (-2, -2)],
                 [((1, 0), (-8, R(-1, 8)), (0, 0))], True,
                 "neurons equal up to a nonzero scale: {1, 2}", id="cube-parallel-rows"),
    pytest.param(GELU, [(1, 0), (1, 0)],
                 [((1, 0), (1, 1), (0, 0))], True, "neurons equal exactly: {1, 2}",
                 id="gelu-duplicate-rows"),
    pytest.param(RELU, [(0, -1), (0, -2)],
                 [((1, 0), (1, 1), (0, 0))], False,
                 "neurons equal up to a positive scale: {1, 2}; "
                 "constant neurons whose latent map is free: 1, 2",
                 id="relu-constant-zero-neurons"),
    pytest.param(RELU, [(0, 2), (0, 3)],
                 [((1, 0), (R(3, 2), R(2, 3)), (0, 0))], True,
                 "neurons equal up to a positive scale: {1, 2}",
                 id="relu-positive-constants"),
]


@pytest.mark.parametrize("activation, rows, alternatives, complete, reason", AMBIGUOUS)
def test_match_reports_alternatives(activation, rows, alternatives, complete, reason):
    """Duplicate rows can be swapped, and a constant at a fixed point of a flip can be flipped."""
    layer = dense_layer(rows, activation)
    identity_images = tuple(range(len(rows)))

    match = layer.match(layer)

    assert match.found
    assert map_data(match.element) == (identity_images, (1,) * len(rows), (0,) * len(rows))
    assert match.unique is False
    assert match.complete is complete
    assert match.reason == reason
    assert [map_data(element) for element in match.alternatives] == [
        (images, _numbers(scales), _numbers(shifts)) for images, scales, shifts in alternatives]
    for element in match.solutions():
        assert layer.relation_holds(layer, element)


def test_match_relu_constants_by_value():
    """relu(-1) = relu(-2) = 0, so rows (0, -1) and (0, -2) are the same constant neuron."""
    source = dense_layer([(0, -1)], RELU)
    target = dense_layer([(0, -2)], RELU)

    match = source.match(target)

    _assert_match(match, (0,), (1,), (0,), (None,))
    assert match.unique is False
    assert match.complete is False
    assert source.relation_holds(target, match.element)


def test_match_two_tanh_zero_rows():
    """Two zero tanh neurons admit both orders and both signs each: 2! * 2^2 = 8 maps."""
    layer = dense_layer([(0, 0), (0, 0)], TANH)

    match = layer.match(layer)

    solutions = {map_data(element) for element in match.solutions()}
    assert len(solutions) == 8
    assert len(match.solutions()) == 8
    assert match.complete is True


def test_match_alternatives_are_capped():
    """Six zero tanh neurons give 6! * 2^6 = 46080 solutions, more than the enumeration bound."""
    layer = dense_layer([(0, 0)] * 6, TANH)

    match = layer.match(layer)

    assert match.unique is False
    assert len(match.alternatives) == MAX_ALTERNATIVES
    assert match.complete is False


# -- number fields --------------------------------------------------------------------------


SQRT2 = sympy.sqrt(2)
SQRT2_FIELD = ExactField.for_expressions([SQRT2])


def test_match_relu_over_number_field():
    """Rows scaled by sqrt(2) and 3/2 match, and the sign of 1 - sqrt(2) is decided exactly."""
    source = dense_layer([(SQRT2, 1), (1 - SQRT2, 3)], RELU, SQRT2_FIELD)
    target = dense_layer([(R(3, 2) * (1 - SQRT2), R(9, 2)), (2, SQRT2)], RELU, SQRT2_FIELD)

    match = source.match(target)

    assert map_data(match.element, SQRT2_FIELD) == ((1, 0), (SQRT2, R(3, 2)), (0, 0))
    assert match.unique is True
    assert match.complete is True
    assert source.relation_holds(target, match.element)


def test_match_reason_readable_over_number_field():
    """The reason shows the normalized row as numbers, not as internal field elements."""
    source = dense_layer([(SQRT2, 1), (1 - SQRT2, 3)], RELU, SQRT2_FIELD)
    target = dense_layer([(-2, -SQRT2), (1 - SQRT2, 3)], RELU, SQRT2_FIELD)

    match = source.match(target)

    assert match.found is False
    assert match.complete is True
    assert match.reason == _missing("normalized row (-1, -sqrt(2)/2)", "up to a positive scale")


# -- symbolic fields ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [
    pytest.param(TANH, id="tanh"),
    pytest.param(SIGMOID, id="sigmoid"),
    pytest.param(RELU, id="relu"),
    pytest.param(CUBE, id="cube"),
    pytest.param(SQUARE, id="square"),
    pytest.param(GELU, id="gelu"),
])
@pytest.mark.parametrize("source_rows, target_rows", [
    pytest.param([(SYMBOL, 1)], [(SYMBOL, 2)], id="symbolic-row"),
    pytest.param([(1, 1)], [(1, 2)], id="rational-rows-in-symbolic-field"),
    pytest.param([(SYMBOL, 0)], [(1, 0)], id="symbolic-against-rational"),
])
def test_match_symbolic_failure_is_never_complete(activation, source_rows, target_rows):
    """A scale depending on the symbol can be missed, so a failure in QQ(a) proves nothing."""
    source = dense_layer(source_rows, activation, SYMBOLIC_FIELD)
    target = dense_layer(target_rows, activation, SYMBOLIC_FIELD)

    match = source.match(target)

    assert match.found is False
    assert match.complete is False


def test_match_symbolic_row_with_constant_scale():
    source = dense_layer([(SYMBOL, 1)], RELU, SYMBOLIC_FIELD)
    target = dense_layer([(2 * SYMBOL, 2)], RELU, SYMBOLIC_FIELD)

    match = source.match(target)

    assert match.found
    assert match.element.preactivation_scales == (SYMBOLIC_FIELD.convert(2),)
    assert source.relation_holds(target, match.element)


def test_match_symbolic_scale_breaks_uniqueness():
    """Rows (1, 0) and (a, 0) of t^3 are parallel with the nonzero scale a.

    Swapping them with scales a and 1/a is a second solution, so the match must not
    report itself unique.
    """
    layer = dense_layer([(1, 0), (SYMBOL, 0)], CUBE, SYMBOLIC_FIELD)
    field = SYMBOLIC_FIELD
    swap = LatentElement(
        AffineMap(MonomialMatrix(field, [1, 0],
                                 [field.convert(SYMBOL**3), field.convert(SYMBOL**-3)])),
        (field.convert(SYMBOL), field.convert(1 / SYMBOL)),
    )

    match = layer.match(layer)

    assert match.found
    assert layer.relation_holds(layer, swap)
    assert match.unique is not True


# -- brute-force reference ------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    r"""Symmetries of one activation, written from the definitions without the library.

    ``admissible`` decides whether a pre-activation scale lies in the scale set, and
    ``latent`` returns the latent map :math:`(\lambda, \mu)` of an admissible scale.
    ``constant_scales`` is "positive" or "nonzero" for homogeneous activations, whose
    constants are related by any positive or any nonzero latent scale. When it is None,
    only the latent maps of ``flip_scales`` relate constants. ``inadmissible`` lists scales
    outside the set.
    """

    activation: object
    admissible: object
    latent: object
    constant_scales: str | None
    flip_scales: tuple
    admissible_samples: tuple
    inadmissible: tuple


REFERENCES = {
    "tanh": Reference(TANH, lambda c: c in (1, -1),
                      lambda c: (R(1), R(0)) if c == 1 else (R(-1), R(0)),
                      None, (1, -1), (1, -1), (2, -2, R(1, 2), 0)),
    "sigmoid": Reference(SIGMOID, lambda c: c in (1, -1),
                         lambda c: (R(1), R(0)) if c == 1 else (R(-1), R(1)),
                         None, (1, -1), (1, -1), (2, -2, R(1, 2), 0)),
    "relu": Reference(RELU, lambda c: c > 0, lambda c: (c, R(0)),
                      "positive", (), (1, 2, R(1, 2), 3), (-1, -2, 0)),
    "leaky_relu": Reference(LEAKY, lambda c: c > 0, lambda c: (c, R(0)),
                            "positive", (), (1, 2, R(1, 2), 3), (-1, -2, 0)),
    "absolute": Reference(ABSOLUTE, lambda c: c != 0, lambda c: (abs(c), R(0)),
                          "positive", (), (1, -1, 2, -2, R(1, 2), R(-1, 3)), (0,)),
    "square": Reference(SQUARE, lambda c: c != 0, lambda c: (c**2, R(0)),
                        "positive", (), (1, -1, 2, -2, R(1, 2), R(-1, 3)), (0,)),
    "cube": Reference(CUBE, lambda c: c != 0, lambda c: (c**3, R(0)),
                      "nonzero", (), (1, -1, 2, -2, R(1, 2), R(-1, 3)), (0,)),
    "gelu": Reference(GELU, lambda c: c == 1, lambda c: (R(1), R(0)),
                      None, (1,), (1,), (-1, 2, 0)),
}

FREE = "free"  # a constant-zero neuron: every admissible latent scale works


def _constants_related(formula, source_bias, target_bias, latent_scale, shift):
    r"""Decide :math:`\sigma(b') = \lambda \sigma(b) + \mu` for integer biases.

    A 50-digit evaluation separates distinct values, and simplify confirms equal ones.
    """
    difference = formula.subs(t, target_bias) - (latent_scale * formula.subs(t, source_bias)
                                                 + shift)
    if difference == 0:
        return True
    if abs(sympy.N(difference, 50)) > sympy.Float("1e-40"):
        return False
    assert sympy.simplify(difference) == 0, difference
    return True


def _neuron_latents(reference, source_row, target_row):
    """Return the latent maps relating one target neuron to one source neuron, or FREE."""
    weights, bias = source_row[:-1], source_row[-1]
    target_weights, target_bias = target_row[:-1], target_row[-1]
    if any(weights):
        if not any(target_weights):
            return set()
        lead = next(index for index, entry in enumerate(source_row) if entry != 0)
        scale = R(target_row[lead], source_row[lead])
        parallel = all(R(after) == scale * before for before, after in zip(source_row, target_row))
        if not parallel or not reference.admissible(scale):
            return set()
        return {reference.latent(scale)}
    if any(target_weights):
        return set()

    formula = reference.activation.formula
    if reference.constant_scales is None:
        candidates = {reference.latent(R(scale)) for scale in reference.flip_scales}
        return {latent for latent in candidates
                if _constants_related(formula, bias, target_bias, *latent)}

    value = formula.subs(t, bias)
    target_value = formula.subs(t, target_bias)
    if value == 0:
        return FREE if target_value == 0 else set()
    ratio = target_value / value
    if ratio == 0 or (reference.constant_scales == "positive" and ratio < 0):
        return set()
    return {(ratio, R(0))}


def _reference_solutions(reference, source_rows, target_rows):
    """Enumerate every (images, latent scales, translation), with None as a FREE neuron's scale."""
    size = len(source_rows)
    solutions = set()
    for images in itertools.permutations(range(size)):
        choices = []
        for source, image in enumerate(images):
            latents = _neuron_latents(reference, source_rows[source], target_rows[image])
            if latents == FREE:
                latents = {(None, R(0))}
            choices.append(sorted(latents, key=str))
        for choice in itertools.product(*choices):
            scales = tuple(latent_scale for latent_scale, _ in choice)
            shifts = [R(0)] * size
            for source, (_, shift) in enumerate(choice):
                shifts[images[source]] = shift
            solutions.add((images, scales, tuple(shifts)))
    return solutions


def _free_latent_scale(reference, scale):
    """True when ``scale`` is a latent scale of the group: positive, or nonzero for odd powers."""
    if reference.constant_scales == "positive":
        return scale > 0
    return scale != 0


def _reference_accepts(reference, solutions, data):
    """True when ``data`` is a reference solution, a None scale matching any latent scale."""
    images, scales, shifts = data
    for candidate_images, candidate_scales, candidate_shifts in solutions:
        if candidate_images != images or candidate_shifts != shifts:
            continue
        if all(expected == scale
               or (expected is None and _free_latent_scale(reference, scale))
               for expected, scale in zip(candidate_scales, scales)):
            return True
    return False


def _random_rows(rng, width, inputs):
    rows = []
    for _ in range(width):
        row = [int(entry) for entry in rng.integers(-2, 3, size=inputs + 1)]
        if rng.random() < 0.25:
            row[:-1] = [0] * inputs  # a constant neuron
        rows.append(tuple(row))
    return rows


def _transformed(rng, reference, rows):
    """Apply a random permutation and random admissible scales to the rows."""
    width = len(rows)
    images = rng.permutation(width)
    target = [None] * width
    for source, row in enumerate(rows):
        samples = reference.admissible_samples
        scale = R(samples[int(rng.integers(len(samples)))])
        target[int(images[source])] = tuple(scale * entry for entry in row)
    return target


def _pair(rng, reference, mode):
    width = int(rng.integers(1, 4))
    inputs = int(rng.integers(1, 3))
    source = _random_rows(rng, width, inputs)
    if mode == "random":
        return source, _random_rows(rng, width, inputs)
    target = _transformed(rng, reference, source)
    index = int(rng.integers(width))
    row = list(target[index])
    if mode == "perturbed":
        position = int(rng.integers(inputs + 1))
        row[position] += int(rng.choice([-2, -1, 1, 2]))
    elif mode == "inadmissible":
        scale = R(reference.inadmissible[int(rng.integers(len(reference.inadmissible)))])
        row = [scale * entry for entry in row]
    target[index] = tuple(row)
    return source, target


def _check_against_reference(reference, source_rows, target_rows):
    """Compare one match with the brute-force reference; return whether a map exists."""
    solutions = _reference_solutions(reference, source_rows, target_rows)
    free = any(None in scales for _, scales, _ in solutions)
    source = dense_layer(source_rows, reference.activation)
    target = dense_layer(target_rows, reference.activation)

    match = source.match(target)

    context = (source_rows, target_rows, match)
    assert match.found == bool(solutions), context
    if not match.found:
        if reference.activation is not GELU:
            assert match.complete is True, context
        return False

    found = [map_data(element) for element in match.solutions()]
    for data, element in zip(found, match.solutions()):
        assert _reference_accepts(reference, solutions, data), (context, data)
        assert source.relation_holds(target, element), (context, data)
    if free:
        assert match.unique is False, context
        assert match.complete is False, context
    else:
        assert match.unique == (len(solutions) == 1), context
        assert match.complete is True or reference.activation is GELU, context
        if match.complete:
            assert set(found) == solutions, context
            assert len(found) == len(solutions), context
    return True


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("mode", ["random", "transformed", "perturbed", "inadmissible"])
def test_match_agrees_with_brute_force(name, mode):
    """On 120 seeded pairs of width at most 3, the matcher and the full search agree exactly.

    Transformed pairs must all match. The other modes must include pairs with no map,
    so the shortcut is also tested where no latent map exists.
    """
    reference = REFERENCES[name]
    seed = sorted(REFERENCES).index(name) * 10 + ["random", "transformed", "perturbed",
                                                  "inadmissible"].index(mode)
    rng = numpy.random.default_rng(seed)
    answers = [_check_against_reference(reference, *_pair(rng, reference, mode))
               for _ in range(120)]

    if mode == "transformed":
        assert all(answers)
    else:
        assert not all(answers)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_brute_force_reference_finds_transformed_rows(name):
    """The reference itself must find the k that built a transformed pair."""
    reference = REFERENCES[name]
    rng = numpy.random.default_rng(99)
    for _ in range(30):
        source = _random_rows(rng, 3, 2)
        target = _transformed(rng, reference, source)

        assert _reference_solutions(reference, source, target)


def test_scale_sets_covered_by_reference():
    """The brute-force comparison covers every scale set that the row matcher handles."""
    covered = {reference.activation.symmetry.scale_set for reference in REFERENCES.values()}

    assert covered == {ScaleSet.ONE, ScaleSet.SIGN, ScaleSet.POSITIVE, ScaleSet.NONZERO}


def test_mismatch_reason_names_scale_set():
    """The words in a mismatch reason name the scale set."""
    for activation, words in [(TANH, "up to sign"), (RELU, "up to a positive scale"),
                              (CUBE, "up to a nonzero scale"), (GELU, "exactly")]:
        match = dense_layer([(1, 1)], activation).match(dense_layer([(5, 7)], activation))

        assert re.search(f", {words}$", match.reason), match.reason
