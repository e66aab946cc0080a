"""functional_dimension: exact for polynomial networks, numeric otherwise."""

from __future__ import annotations

import pytest

from symequiv.identifiability.functional_dimension import functional_dimension
from tests.identifiability.networks import small_network

RELU_CASES = [
    pytest.param([2, 3, 1], {"W1": "[[1, 2], [-2, 1], [1, -1]]", "b1": "[1, -1, 0]",
                             "W2": "[[1, -2, 3]]", "b2": "[1]"}, id="2-3-1"),
    pytest.param([3, 4, 2], {"W1": "[[1, 2, 0], [-2, 1, 1], [1, -1, 2], [0, 1, -1]]",
                             "b1": "[1, -1, 0, 1]", "W2": "[[1, -2, 3, 1], [2, 1, -1, 1]]",
                             "b2": "[1, 0]"}, id="3-4-2"),
    pytest.param([2, 3, 3, 1], {"W1": "[[1, 2], [-2, 1], [1, -1]]", "b1": "[1, -1, 0]",
                                "W2": "[[1, -1, 2], [2, 1, -1], [-1, 2, 1]]", "b2": "[1, 1, -1]",
                                "W3": "[[1, -2, 3]]", "b3": "[0]"}, id="2-3-3-1"),
]


@pytest.mark.parametrize("widths, parameters", RELU_CASES)
def test_relu_functional_dimension_is_params_minus_hidden_neurons(widths, parameters):
    network = small_network(widths, '"relu"', parameters)

    dimension = functional_dimension(network, samples=1000, seed=1)

    hidden = sum(widths[1:-1])
    assert not dimension.exact
    assert dimension.rank == network.parameter_count - hidden
    assert dimension.gap > 1e6


def test_cubic_functional_dimension_is_exact():
    network = small_network([2, 2, 1], "{ power = 3 }", {"W1": "[[1, 2], [3, -1]]",
                                                         "W2": "[[1, 2]]"}, bias=False)

    dimension = functional_dimension(network)

    assert dimension.exact
    assert dimension.parameters == 6
    assert dimension.symmetry_dimension == 2
    assert dimension.rank == 4


def test_square_network_rank_below_expected():
    """A quadratic in one variable has 3 coefficients, fewer than 7 - 2 parameters mod scaling."""
    network = small_network([1, 2, 1], "{ power = 2 }", {"W1": "[[1], [2]]", "b1": "[1, -1]",
                                                         "W2": "[[1, 3]]", "b2": "[0]"})

    dimension = functional_dimension(network)

    assert dimension.rank == 3
    assert dimension.deficit == 2


def test_tanh_network_with_small_weights_has_full_rank():
    network = small_network([2, 3, 1], '"tanh"', {"W1": "[[1, 2], [-1, 1], [2, -1]]",
                                                  "b1": "[1, 0, -1]", "W2": "[[1, -2, 1]]",
                                                  "b2": "[1]"})

    dimension = functional_dimension(network, seed=0)

    assert dimension.rank == 13
    assert dimension.deficit == 0
