"""decide_identifiability and its criteria: Sussmann (1992) and the rank of linear networks."""

from __future__ import annotations

import pytest

from symequiv.identifiability.criteria import (
    SUSSMANN,
    SUSSMANN_SIGMOID,
    linear_rank,
    sussmann,
    sussmann_conditions,
)
from symequiv.identifiability.decide import decide_identifiability
from symequiv.verdicts import ParameterWitness, Status
from tests.identifiability.networks import load_bundled, small_network

RANK = "rank criterion for linear networks"
SECOND = "second parameter"
DEEP_RELU = ("no criterion decides identifiability of deep relu networks, and linear bypasses "
             "make many of them non-identifiable; no witness of non-identifiability was found")
RELU_PROVED = ("one hidden relu layer satisfying (G1)-(G4): the parameters are determined up to "
               "unique positive scales and a permutation")
LEAKY_OPEN = ("the one-hidden-layer bypass criterion does not apply ((G3) neurons 1 and 2 have "
              "rows equal up to a nonzero factor; (G4) the neurons {1, 2} have sum of c_j w_j^T "
              "equal to 0), and no witness of non-identifiability was found")
FIBER_PROVED = ("after normalizing every neuron's row (first nonzero entry 1), the real fiber "
                "has exactly the 2 points of the K-orbit, counted in 16 cases by Groebner bases "
                "over Q and Hermite's trace form; each is reached by a unique k")
SIGMOID_PROVED = ("one hidden sigmoid layer with (i) nonzero outgoing weights, (ii) nonzero "
                  "incoming weights and (iii) no two neurons equal up to sign: the tanh network "
                  "it equals is irreducible, so its parameters are determined up to a unique "
                  "signed permutation acting affinely (a flip sends h to 1 - h)")
SUSSMANN_PROVED = ("one hidden tanh layer with (i) nonzero outgoing weights, (ii) nonzero "
                   "incoming weights and (iii) no two neurons equal up to sign: the network is "
                   "irreducible, so its parameters are determined up to a unique signed "
                   "permutation")


@pytest.mark.parametrize("name, status, method, reason", [
    ("tanh-swap", Status.PROVED, SUSSMANN, SUSSMANN_PROVED),
    ("tanh-odd-signed", Status.PROVED, SUSSMANN, SUSSMANN_PROVED),
    ("tanh-reflection", Status.PROVED, SUSSMANN, SUSSMANN_PROVED),
    ("tanh-not-equivariant", Status.PROVED, SUSSMANN, SUSSMANN_PROVED),
    ("dihedral-image", Status.PROVED, SUSSMANN, SUSSMANN_PROVED),
    ("linear-swap", Status.PROVED, RANK,
     "every hidden width equals the rank 2 of the end-to-end linear map"),
    ("relu-cyclic", Status.UNKNOWN, "deep ReLU or GELU networks", DEEP_RELU),
    ("relu-positive-scale", Status.PROVED, "one-hidden-layer bypass criterion", RELU_PROVED),
    ("leaky-relu-swap", Status.UNKNOWN, "none", LEAKY_OPEN),
    ("cubic-monomial", Status.PROVED, "exact fiber (Groebner basis)", FIBER_PROVED),
    ("cubic-not-equivariant", Status.PROVED, "exact fiber (Groebner basis)", FIBER_PROVED),
    ("sigmoid-affine-flip", Status.PROVED, SUSSMANN_SIGMOID, SIGMOID_PROVED),
])
def test_bundled_theory_without_witness(name, status, method, reason):
    verdict = decide_identifiability(load_bundled(name).network)

    assert verdict.status is status
    assert verdict.method == method
    assert verdict.reason == reason
    assert verdict.witness is None


@pytest.mark.parametrize("name, description", [
    ("gelu-bypass", "neurons 1 and 2 of layer 1 form a linear bypass (sigma(t) - sigma(-t) = "
                    "t); their biases were shifted and the next bias compensates"),
    ("relu-bypass", "neurons 1 and 2 of layer 1 form a linear bypass (sigma(t) - sigma(-t) = "
                    "t); their biases were shifted and the next bias compensates"),
    ("tanh-dead-neuron", "neuron 5 of layer 1 has zero outgoing weights, so its incoming "
                         "weights do not affect f; incoming weights set to 0"),
    ("sigmoid-opposite-duplicate", "neurons 1 and 4 of layer 1 are duplicates (h_4 = 1 - h_1); "
                                   "merged into neuron 1"),
    ("square-invariant", "neurons 1 and 2 of layer 1 square their inputs and have proportional "
                         "outgoing weights (c_2 = -2 c_1); their rows were mixed by a reflection "
                         "that keeps z_1^2 - 2 z_2^2"),
])
def test_bundled_theory_refuted_by_second_parameter(name, description):
    verdict = decide_identifiability(load_bundled(name).network)

    assert verdict.status is Status.REFUTED
    assert verdict.method == SECOND
    assert verdict.reason == "a parameter with the same function lies outside the orbit of theta"
    assert isinstance(verdict.witness, ParameterWitness)
    assert verdict.witness.description.startswith(description)
    assert verdict.witness.outside_orbit.startswith("no k_i in K_i relates it to theta: ")


# -- Sussmann's conditions, one at a time ----------------------------------------------------------

# tanh-swap: an irreducible one-hidden-layer tanh network of widths [2, 4, 2].
IRREDUCIBLE = {
    "W1": "[[1, 2], [2, 1], [1, -3], [-3, 1]]",
    "b1": '["1/2", "1/2", -1, -1]',
    "W2": "[[1, 2, 3, -1], [2, 1, -1, 3]]",
    "b2": "[1, 1]",
}


def tanh_network(**changes):
    return small_network([2, 4, 2], '"tanh"', {**IRREDUCIBLE, **changes})


def test_irreducible_network_satisfies_all_conditions():
    network = tanh_network()

    assert sussmann_conditions(network) == []
    assert sussmann(network).status is Status.PROVED
    assert decide_identifiability(network).method == SUSSMANN


@pytest.mark.parametrize("changes, failure", [
    pytest.param({"W2": "[[1, 2, 3, 0], [2, 1, -1, 0]]"},
                 "(i) neuron 4 has zero outgoing weights c_4", id="i-zero-outgoing-column"),
    pytest.param({"W1": "[[1, 2], [2, 1], [0, 0], [-3, 1]]"},
                 "(ii) neuron 3 has zero incoming weights w_3", id="ii-zero-incoming-row"),
    pytest.param({"W1": "[[1, 2], [2, 1], [1, -3], [-1, -2]]",
                  "b1": '["1/2", "1/2", -1, "-1/2"]'},
                 "(iii) neurons 1 and 4 have (w, b) equal up to sign", id="iii-opposite-neurons"),
    pytest.param({"W1": "[[1, 2], [2, 1], [1, -3], [1, 2]]",
                  "b1": '["1/2", "1/2", -1, "1/2"]'},
                 "(iii) neurons 1 and 4 have (w, b) equal up to sign", id="iii-equal-neurons"),
])
def test_one_violated_condition_is_named(changes, failure):
    network = tanh_network(**changes)

    assert sussmann_conditions(network) == [failure]
    verdict = sussmann(network)
    assert verdict.status is Status.REFUTED
    assert verdict.method == SUSSMANN
    assert verdict.reason.startswith(f"the network is reducible: {failure}, ")
    assert decide_identifiability(network).status is Status.REFUTED


def test_irrational_constant_neuron_refuted():
    """tanh(-1) is outside Q, so theta' moves it into the next bias symbolically."""
    network = tanh_network(W1="[[1, 2], [2, 1], [0, 0], [-3, 1]]")

    verdict = decide_identifiability(network)

    assert verdict.status is Status.REFUTED
    assert verdict.method == SECOND
    assert verdict.witness.parameters["W1"][2] == ["1", "0"]
    assert [row[2] for row in verdict.witness.parameters["W2"]] == ["0", "0"]
    assert verdict.witness.outside_orbit.endswith(
        "keep the number of zero columns of W2, and theta' has one more than theta")


def test_positive_multiple_is_not_duplicate():
    """(w, b) and 2 (w, b) are different tanh neurons, so condition (iii) holds."""
    network = tanh_network(W1="[[1, 2], [2, 1], [1, -3], [2, 4]]", b1='["1/2", "1/2", -1, 1]')

    assert sussmann_conditions(network) == []
    assert decide_identifiability(network).status is Status.PROVED


@pytest.mark.parametrize("widths, activation, parameters", [
    pytest.param([2, 2, 2], '"relu"', {"W1": "[[1, 0], [0, 1]]", "b1": "[0, 0]",
                                       "W2": "[[1, 0], [0, 1]]", "b2": "[0, 0]"}, id="relu"),
    pytest.param([1, 1, 1, 1], '"tanh"', {"W1": "[[1]]", "b1": "[0]", "W2": "[[1]]",
                                          "b2": "[0]", "W3": "[[1]]", "b3": "[0]"},
                 id="two-hidden-layers"),
])
def test_sussmann_does_not_apply(widths, activation, parameters):
    network = small_network(widths, activation, parameters)

    assert sussmann_conditions(network) is None
    assert sussmann(network) is None


def test_deep_tanh_network_is_unknown():
    network = small_network([1, 1, 1, 1], '"tanh"', {"W1": "[[1]]", "b1": "[0]", "W2": "[[1]]",
                                                     "b2": "[0]", "W3": "[[1]]", "b3": "[0]"})

    verdict = decide_identifiability(network)

    assert verdict.status is Status.UNKNOWN
    assert verdict.reason == ("Fefferman's genericity conditions fail, no other criterion for "
                              "tanh networks with more than one hidden layer is implemented, and "
                              "no witness of non-identifiability was found")


# -- linear networks -------------------------------------------------------------------------------


@pytest.mark.parametrize("widths, parameters, reason", [
    pytest.param([2, 3, 2], {"W1": "[[1, 0], [0, 1], [1, 1]]", "b1": "[0, 0, 0]",
                             "W2": "[[1, 0, 0], [0, 1, 0]]", "b2": "[0, 0]"},
                 "the end-to-end linear map has rank 2 but V_1 has dimension 3",
                 id="width-3-above-rank-2"),
    pytest.param([2, 2, 2], {"W1": "[[1, 0], [2, 0]]", "b1": "[0, 0]",
                             "W2": "[[1, 0], [0, 1]]", "b2": "[0, 0]"},
                 "the end-to-end linear map has rank 1 but V_1 has dimension 2",
                 id="rank-deficient-first-layer"),
    pytest.param([2, 2, 1, 2], {"W1": "[[1, 0], [0, 1]]", "b1": "[0, 0]", "W2": "[[1, 1]]",
                                "b2": "[0]", "W3": "[[1], [2]]", "b3": "[0, 0]"},
                 "the end-to-end linear map has rank 1 but V_1 has dimension 2",
                 id="bottleneck-in-second-layer"),
])
def test_hidden_width_above_rank_is_refuted(widths, parameters, reason):
    network = small_network(widths, '"identity"', parameters)

    verdict = decide_identifiability(network)

    assert verdict.status is Status.REFUTED
    assert verdict.method == RANK
    assert verdict.reason == reason
    assert linear_rank(network) == verdict


def test_full_rank_linear_network_is_proved():
    network = small_network([2, 2, 2], '"identity"', {"W1": "[[1, 2], [0, 1]]", "b1": "[1, 1]",
                                                      "W2": "[[2, -3], [1, 0]]",
                                                      "b2": "[1, -1]"})

    verdict = linear_rank(network)

    assert verdict.status is Status.PROVED
    assert verdict.reason == "every hidden width equals the rank 2 of the end-to-end linear map"


@pytest.mark.parametrize("network", [
    pytest.param(lambda: tanh_network(W1="[[1, 2], [2, 1], [0, 0], [-3, 1]]"),
                 id="sussmann-zero-incoming-row"),
    pytest.param(lambda: small_network([2, 3, 2], '"identity"', {
        "W1": "[[1, 0], [0, 1], [1, 1]]", "b1": "[0, 0, 0]", "W2": "[[1, 0, 0], [0, 1, 0]]",
        "b2": "[0, 0]"}), id="rank-width-3-above-rank-2"),
])
def test_refuted_identifiability_carries_witness(network):
    """A refuted verdict names its witness: a second parameter or the step that fails."""
    verdict = decide_identifiability(network())

    assert verdict.status is Status.REFUTED
    assert verdict.witness is not None


def test_rank_criterion_ignores_nonlinear_networks():
    assert linear_rank(load_bundled("tanh-swap").network) is None


def test_network_without_hidden_layer_is_identifiable():
    network = small_network([2, 1], None, {"W1": "[[1, 2]]", "b1": "[0]"})

    verdict = decide_identifiability(network)

    assert verdict.status is Status.PROVED
    assert verdict.method == "no hidden layer"


def test_symbolic_parameters_stay_unknown():
    """Sussmann's conditions hold for generic a, but fail at a = 0, so no proof is given."""
    network = tanh_network(W1='[["a", 2], [2, "a"], [1, -3], [-3, 1]]')

    verdict = decide_identifiability(network)

    assert verdict.status is Status.UNKNOWN
    assert verdict.reason == ("the parameters contain free symbols, and identifiability can "
                              "depend on their values; substitute values to decide it")


def test_failed_flip_condition_refuted_by_second_parameter():
    # (G1)-(G3) hold and (G4) fails: c_1 w_1^T + c_2 w_2^T + c_3 w_3^T = 0.
    network = small_network([2, 3, 1], '"relu"', {
        "W1": "[[1, 0], [0, 1], [1, 1]]", "b1": "[1, 2, 3]", "W2": "[[1, 1, -1]]",
        "b2": "[0]"})

    verdict = decide_identifiability(network)

    assert verdict.status is Status.REFUTED
    assert verdict.method == SECOND
    assert isinstance(verdict.witness, ParameterWitness)
    assert verdict.witness.parameters["b1"] == ["-1", "-2", "-3"]
