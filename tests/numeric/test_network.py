"""Float networks: building them from arrays, and evaluating them in numpy and in Arb."""

from __future__ import annotations

import numpy
import pytest

from symequiv.activations.catalogue import NAMED
from symequiv.errors import InputError, ShapeError
from symequiv.exact.intervals import working_precision
from symequiv.numeric.network import network_from_arrays

TANH = [NAMED["tanh"]]


def small_arrays():
    return [numpy.array([[1.0, -2.0], [0.5, 0.25], [3.0, 1.0]]), numpy.array([[1.0, 2.0, -1.0]])], \
        [numpy.array([0.0, 1.0, -1.0]), numpy.array([0.5])]


def test_network_evaluates_tanh_mlp():
    weights, biases = small_arrays()
    network = network_from_arrays(weights, biases, TANH)

    output = network.evaluate(numpy.array([[1.0, 2.0]]))

    hidden = numpy.tanh(weights[0] @ [1.0, 2.0] + biases[0])
    assert output.tolist() == [[float((weights[1] @ hidden)[0] + biases[1][0])]]
    assert network.widths == (2, 3, 1)
    assert network.parameter_count == 13


def test_network_prefix_outputs_end_with_output():
    weights, biases = small_arrays()
    network = network_from_arrays(weights, biases, TANH)
    inputs = numpy.array([[0.5, -1.0], [2.0, 0.0]])

    prefixes = network.prefix_outputs(inputs)

    assert [prefix.shape for prefix in prefixes] == [(2, 3), (2, 1)]
    assert numpy.array_equal(prefixes[-1], network.evaluate(inputs))


def test_network_arb_encloses_float_value():
    import flint

    weights, biases = small_arrays()
    network = network_from_arrays(weights, biases, TANH)

    with working_precision(128):
        ball = network.evaluate_arb([flint.arb(1.0), flint.arb(2.0)])[0]

    value = network.evaluate(numpy.array([[1.0, 2.0]]))[0, 0]
    assert abs(float(ball.mid()) - value) < 1e-14
    assert float(ball.rad()) < 1e-30


def test_network_keeps_float32_values_exactly():
    weights, biases = small_arrays()
    narrow = [matrix.astype(numpy.float32) + numpy.float32(1e-3) for matrix in weights]

    network = network_from_arrays(narrow, biases, TANH)

    assert network.source_dtype == "float32"
    assert numpy.array_equal(network.weights[0], narrow[0].astype(numpy.float64))


@pytest.mark.parametrize("bad, message", [
    (float("nan"), r"^W1: entry \[0, 1\] is nan; expected finite numbers$"),
    (float("inf"), r"^W1: entry \[0, 1\] is inf; expected finite numbers$"),
    (1e300, r"^W1: an entry has magnitude 1e\+300; expected at most 1e\+15$"),
], ids=["nan", "infinity", "huge"])
def test_network_rejects_bad_entries(bad, message):
    weights, biases = small_arrays()
    weights[0][0, 1] = bad

    with pytest.raises(InputError, match=message):
        network_from_arrays(weights, biases, TANH)


def test_network_rejects_complex_dtype():
    weights, biases = small_arrays()
    weights[0] = weights[0].astype(complex)

    with pytest.raises(InputError, match=r"^W1: expected a matrix of real numbers, got dtype "
                                         r"complex128$"):
        network_from_arrays(weights, biases, TANH)


def test_network_rejects_vector_as_matrix():
    weights, biases = small_arrays()
    weights[1] = numpy.array([1.0, 2.0, -1.0])

    with pytest.raises(ShapeError, match=r"^W2: expected a matrix, got an array of shape \(3,\)$"):
        network_from_arrays(weights, biases, TANH)


def test_network_rejects_dimensions_that_do_not_chain():
    weights, biases = small_arrays()
    weights[1] = numpy.ones((1, 4))

    with pytest.raises(ShapeError, match=r"^W2: expected 3 columns to follow W1 of shape "
                                         r"\(3, 2\), got shape \(1, 4\)$"):
        network_from_arrays(weights, biases, TANH)


def test_network_rejects_bias_of_wrong_length():
    weights, biases = small_arrays()
    biases[0] = numpy.zeros(2)

    with pytest.raises(ShapeError, match=r"^b1: expected 3 entries, one per row of W1, got 2$"):
        network_from_arrays(weights, biases, TANH, source=None)


def test_network_message_names_source_file():
    weights, biases = small_arrays()
    biases[0] = numpy.zeros(2)

    with pytest.raises(ShapeError, match=r"^model\.pt: 0\.bias: expected 3 entries"):
        network_from_arrays(weights, biases, TANH, source="model.pt",
                            names=["0.weight", "0.bias", "2.weight", "2.bias"])


def test_network_rejects_wrong_activation_count():
    weights, biases = small_arrays()

    with pytest.raises(ShapeError, match=r"^2 weight matrices need 1 activations, got 2$"):
        network_from_arrays(weights, biases, TANH * 2)


def test_network_without_bias_has_zero_biases():
    weights, _ = small_arrays()

    network = network_from_arrays(weights, None, TANH, has_bias=False)

    assert [bias.tolist() for bias in network.biases] == [[0.0, 0.0, 0.0], [0.0]]
    assert sorted(network.parameter_arrays()) == ["W1", "W2"]
