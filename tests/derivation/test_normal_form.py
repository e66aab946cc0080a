"""Tests of the normal form: exact zero tests for sums of neurons through activation identities.

``True`` from :func:`combination_vanishes` or :func:`tails_agree` is a proof
of an identity. So every case expected to return ``True`` here is a true
identity, and each case expected to return ``False`` changes one number of a
true identity.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from symequiv.activations.catalogue import NAMED, leaky_relu, power
from symequiv.derivation.normal_form import combination_vanishes, tails_agree
from symequiv.exact.field import ExactField
from symequiv.models.dense import DenseLayer

FIELD = ExactField.rational()

# sigma(t) - sigma(-t) = k t for the activations with a linear bypass.
BYPASS = [
    pytest.param(NAMED["gelu"], Fraction(1), id="gelu"),
    pytest.param(NAMED["relu"], Fraction(1), id="relu"),
    pytest.param(NAMED["silu"], Fraction(1), id="silu"),
    pytest.param(NAMED["softplus"], Fraction(1), id="softplus"),
    pytest.param(leaky_relu(Fraction(1, 10)), Fraction(11, 10), id="leaky-relu"),
]

NONLINEAR = [
    pytest.param(NAMED[name], id=name)
    for name in ("tanh", "sigmoid", "relu", "gelu", "silu", "softplus")
] + [pytest.param(leaky_relu(Fraction(1, 10)), id="leaky-relu"),
     pytest.param(power(2), id="square"), pytest.param(power(3), id="cube")]


def _number(value):
    value = Fraction(value)
    return FIELD.convert(value.numerator) / FIELD.convert(value.denominator)


def _vector(values):
    return [_number(value) for value in values]


def _layer(weights, bias, activation=None):
    return DenseLayer(FIELD, [_vector(row) for row in weights], _vector(bias), activation)


def _tail(activation, hidden_rows, output_weights, output_bias):
    """One hidden layer and an affine output: ``(DenseLayer, DenseLayer)`` for tails_agree."""
    hidden = _layer([row[:-1] for row in hidden_rows], [row[-1] for row in hidden_rows],
                    activation)
    return hidden, _layer(output_weights, output_bias)


def _vanishes(activation, terms, affine_rows, affine_vector):
    return combination_vanishes(
        activation, FIELD,
        [(_vector(coefficients), _vector(weights), _number(bias))
         for coefficients, weights, bias in terms],
        [_vector(row) for row in affine_rows], _vector(affine_vector))


@pytest.mark.parametrize(("activation", "slope"), BYPASS)
def test_bypass_pair_equals_linear_map(activation, slope):
    r""":math:`\sigma(z) - \sigma(-z) - k z = 0` for :math:`z = 2 h_0 - 3 h_1 + 1/2`."""
    weights, bias = (2, -3), Fraction(1, 2)
    terms = [((1,), weights, bias), ((-1,), (-2, 3), -bias)]

    assert _vanishes(activation, terms, [[-slope * 2, slope * 3]], [-slope * bias])


@pytest.mark.parametrize(("activation", "slope"), BYPASS)
def test_bypass_pair_wrong_slope_unproved(activation, slope):
    """Changing the linear part by h_0 breaks the identity, so nothing is proved."""
    weights, bias = (2, -3), Fraction(1, 2)
    terms = [((1,), weights, bias), ((-1,), (-2, 3), -bias)]

    assert not _vanishes(activation, terms, [[-slope * 2 + 1, slope * 3]], [-slope * bias])


def test_gelu_even_part_is_not_linear():
    r"""The even part :math:`\mathrm{gelu}(z) + \mathrm{gelu}(-z) = z\,\mathrm{erf}(z/\sqrt 2)`.

    It is not the linear map :math:`z`, so nothing is proved.
    """
    terms = [((1,), (1,), 0), ((1,), (-1,), 0)]

    assert not _vanishes(NAMED["gelu"], terms, [[-1]], [0])


@pytest.mark.parametrize(("activation", "slope"), BYPASS)
def test_bypass_moves_bias_to_output(activation, slope):
    r"""The pairs :math:`\sigma(\pm(w h + b))` and :math:`\sigma(\pm w h)` differ by a constant.

    With outgoing weights (1, -1) the first tail is :math:`k (w h + b)` and
    the second :math:`k\,w h`, so the second output bias must be :math:`k b`.
    """
    first = _tail(activation, [(1, 2, 3), (-1, -2, -3)], [[1, -1]], [0])
    second = _tail(activation, [(1, 2, 0), (-1, -2, 0)], [[1, -1]], [slope * 3])

    assert tails_agree(first, second)


@pytest.mark.parametrize("activation", NONLINEAR)
def test_split_duplicates_equal_merged_neuron(activation):
    r""":math:`2\sigma(z) + 3\sigma(z) = 5\sigma(z)` for every activation."""
    first = _tail(activation, [(1, -2, Fraction(1, 3)), (1, -2, Fraction(1, 3))],
                  [[2, 3], [1, -1]], [1, 0])
    second = _tail(activation, [(1, -2, Fraction(1, 3))], [[5], [0]], [1, 0])

    assert tails_agree(first, second)


@pytest.mark.parametrize("activation", NONLINEAR)
def test_changed_outgoing_weight_unproved(activation):
    """5 sigma(z) against 6 sigma(z): not an identity, so tails_agree returns False."""
    first = _tail(activation, [(1, -2, Fraction(1, 3))], [[5]], [1])
    second = _tail(activation, [(1, -2, Fraction(1, 3))], [[6]], [1])

    assert not tails_agree(first, second)


def test_sigmoid_flip_folds_into_bias():
    r""":math:`c\,\sigma(-z) = -c\,\sigma(z) + c` since :math:`\sigma(-t) = 1 - \sigma(t)`."""
    first = _tail(NAMED["sigmoid"], [(-1, 2, -1)], [[3]], [Fraction(1, 2)])
    second = _tail(NAMED["sigmoid"], [(1, -2, 1)], [[-3]], [Fraction(7, 2)])

    assert tails_agree(first, second)


def test_sigmoid_flip_without_constant_unproved():
    """Leaving out the constant c of the flip breaks the identity."""
    first = _tail(NAMED["sigmoid"], [(-1, 2, -1)], [[3]], [Fraction(1, 2)])
    second = _tail(NAMED["sigmoid"], [(1, -2, 1)], [[-3]], [Fraction(1, 2)])

    assert not tails_agree(first, second)


def test_tanh_oddness_flips_outgoing_sign():
    r""":math:`c \tanh(-z) = -c \tanh(z)`."""
    first = _tail(NAMED["tanh"], [(-1, 2, -1)], [[3]], [0])
    second = _tail(NAMED["tanh"], [(1, -2, 1)], [[-3]], [0])

    assert tails_agree(first, second)


@pytest.mark.parametrize(
    ("activation", "factor"),
    [
        pytest.param(NAMED["relu"], 2, id="relu"),
        pytest.param(leaky_relu(Fraction(1, 10)), 2, id="leaky-relu"),
        pytest.param(power(2), 4, id="square"),
        pytest.param(power(3), 8, id="cube"),
    ],
)
def test_homogeneity_moves_scale_to_output(activation, factor):
    r""":math:`\sigma(2 z) = 2^m \sigma(z)` for an activation positively homogeneous of degree m."""
    first = _tail(activation, [(2, -4, 6)], [[3]], [0])
    second = _tail(activation, [(1, -2, 3)], [[3 * factor]], [0])

    assert tails_agree(first, second)


def test_relu_negative_scale_is_not_homogeneity():
    """relu(-2 z) is not a multiple of relu(z): relu(-2 z) = 2 relu(z) - 2 z, not 2 relu(z)."""
    first = _tail(NAMED["relu"], [(-2, 4, -6)], [[3]], [0])
    second = _tail(NAMED["relu"], [(1, -2, 3)], [[6]], [0])

    assert not tails_agree(first, second)


def test_relu_negative_scale_with_bypass():
    """3 relu(-2 z) = 6 relu(z) - 6 z with z = h_0 - 2 h_1 + 3: the linear part is written out
    as a second bypass pair, relu(u) - relu(-u) = u."""
    first = _tail(NAMED["relu"], [(-2, 4, -6)], [[3]], [0])
    second = _tail(NAMED["relu"], [(1, -2, 3), (1, -2, 3), (-1, 2, -3)], [[6, -6, 6]], [0])

    assert tails_agree(first, second)


@pytest.mark.parametrize(
    ("activation", "bias", "value"),
    [
        pytest.param(NAMED["relu"], 3, 3, id="relu-positive"),
        pytest.param(NAMED["relu"], -3, 0, id="relu-negative"),
        pytest.param(NAMED["tanh"], 0, 0, id="tanh-zero"),
        pytest.param(NAMED["sigmoid"], 0, Fraction(1, 2), id="sigmoid-zero"),
        pytest.param(power(3), -2, -8, id="cube"),
    ],
)
def test_constant_neuron_joins_affine_part(activation, bias, value):
    """A neuron with zero weights and an exactly known value is the constant sigma(b)."""
    terms = [((1,), (0, 0), bias)]

    assert _vanishes(activation, terms, [[0, 0]], [-value])


def test_constant_neuron_wrong_value_unproved():
    """relu(3) = 3, not 2."""
    assert not _vanishes(NAMED["relu"], [((1,), (0, 0), 3)], [[0, 0]], [-2])


def test_tails_different_activations_unproved():
    """tails_agree only rewrites within one activation, so gelu against silu returns False."""
    first = _tail(NAMED["gelu"], [(1, 0, 0)], [[1]], [0])
    second = _tail(NAMED["silu"], [(1, 0, 0)], [[1]], [0])

    assert not tails_agree(first, second)


def test_identity_activation_tail_is_affine():
    """With the identity activation a tail is affine: 2 (h + 1) equals (2 h) + 2."""
    first = _tail(NAMED["identity"], [(1, 1)], [[2]], [0])
    second = _tail(NAMED["identity"], [(2, 0)], [[1]], [2])

    assert tails_agree(first, second)
