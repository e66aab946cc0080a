"""submodel: the reduced network with alpha, alpha* and beta."""

from __future__ import annotations

import sympy

from symequiv.identifiability.submodel import submodel
from tests.identifiability.networks import assert_same_function_balls, load_bundled, small_network


def test_sigmoid_duplicate_reduces_to_three_neurons():
    network = load_bundled("sigmoid-opposite-duplicate").network

    reduction = submodel(network)

    assert reduction.changed
    assert reduction.reduced.widths == (1, 3, 1)
    assert reduction.verified
    embedding = reduction.embeddings[0]
    assert embedding.kept == (0, 1, 2)
    assert embedding.removed == (3,)
    assert embedding.constant == sympy.Rational(1, 2)
    assert embedding.alpha([5, 6, 7]) == [5, 6, 7, sympy.Rational(1, 2)]
    assert embedding.alpha_star([5, 6, 7, 8]) == [5, 6, 7]
    assert reduction.beta().same_parameters(reduction.theta_star)
    assert_same_function_balls(network, reduction.reduced, seed=5)


def test_dead_neuron_is_removed_with_linear_alpha():
    reduction = submodel(load_bundled("tanh-dead-neuron").network)

    assert reduction.reduced.widths == (2, 4, 2)
    assert reduction.embeddings[0].constant == 0
    assert [holds for _, holds in reduction.proof] == [True, True, True]


def test_irreducible_network_is_its_own_submodel():
    network = load_bundled("tanh-swap").network

    reduction = submodel(network)

    assert not reduction.changed
    assert reduction.reduced.same_parameters(network)


def test_analysis_and_derivation_str_are_cli_text():
    from symequiv.identifiability.analysis import analyze, format_analysis
    from symequiv.report import format_derivation

    theory = load_bundled("tanh-swap")
    analysis = analyze(theory.network)
    derivation = theory.derive()

    assert str(analysis) == format_analysis(analysis)
    assert str(analysis).splitlines()[0] == (
        "network: widths [2, 4, 2], activations tanh, 22 parameters")
    assert str(derivation) == format_derivation(derivation)
    assert str(derivation).splitlines()[2] == "derivation at theta: derived"


def test_identify_text_shows_second_parameter():
    from symequiv.identifiability.analysis import analyze

    network = small_network([2, 3, 1], '"relu"', {
        "W1": "[[1, 0], [0, 1], [1, 1]]", "b1": "[1, 2, 3]", "W2": "[[1, 1, -1]]",
        "b2": "[0]"})

    lines = str(analyze(network)).splitlines()

    start = lines.index("  theta':")
    assert lines[start + 1:start + 5] == ["    W1 = [[-1, 0], [0, -1], [-1, -1]]",
                                          "    b1 = [-1, -2, -3]",
                                          "    W2 = [[1, 1, -1]]",
                                          "    b2 = [0]"]


def test_identify_text_fiber_counts_singular():
    from symequiv.identifiability.analysis import analyze

    network = small_network([2, 2, 1], "{ power = 2 }", {
        "W1": "[[1, 1], [1, -2]]", "W2": "[[1, 2]]"}, bias=False)

    line = next(line for line in str(analyze(network)).splitlines()
                if line.startswith("exact fiber:"))

    assert line.startswith("exact fiber: refuted (1 case, 2 orbit points, ")
