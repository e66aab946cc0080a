r"""Identifiability criteria from the literature, with their hypotheses checked exactly.

Sussmann (1992)
    H. J. Sussmann, "Uniqueness of the weights for minimal feedforward nets
    with a given input-output map", *Neural Networks* 5(4):589-593, 1992. For
    :math:`f(x) = c_0 + \sum_j c_j \tanh(w_j \cdot x + b_j)` the network is
    *irreducible* when (i) every :math:`c_j \ne 0`, (ii) every :math:`w_j \ne 0`
    and (iii) :math:`(w_j, b_j) \ne \pm(w_k, b_k)` for :math:`j \ne k`; two
    irreducible networks with the same input-output map differ by a
    permutation and sign flips of the hidden neurons. An irreducible network is
    minimal, so every network of the same width computing its function is
    irreducible too; with (ii) and (iii) the signed permutation is unique. A
    reducible network computes its function with fewer neurons, so a dead
    neuron with arbitrary weights can be added: not identifiable. Multiple
    outputs are covered because (i) asks :math:`c_j` to be a nonzero vector and
    the proof rests on the linear independence of the neurons.

Linear networks
    With identity activations the latent groups are affine groups, and the
    parameters are identifiable exactly when every hidden width equals the rank
    of the linear part of the end-to-end map.
"""

from __future__ import annotations

from symequiv.exact import linalg
from symequiv.verdicts import Verdict

SUSSMANN = "Sussmann (1992)"


def sussmann_conditions(network):
    r"""Return the failed irreducibility conditions of a one-hidden-layer tanh network.

    Returns
    -------
    list of str or None
        Empty when all three conditions hold; None when the criterion does not
        apply (not one hidden layer, or not tanh).
    """
    if network.depth != 2 or getattr(network.layers[0], "activation", None) is None:
        return None
    if network.layers[0].activation.name != "tanh":
        return None
    field = network.field
    zero = field.zero
    hidden, output = network.layers
    failures = []
    columns = list(zip(*output.weights))
    for neuron, column in enumerate(columns):
        if all(value == zero for value in column):
            failures.append(f"(i) neuron {neuron} has zero outgoing weights c_{neuron}")
    seen = {}
    for neuron, (weights, bias) in enumerate(hidden.rows):
        if all(value == zero for value in weights):
            failures.append(f"(ii) neuron {neuron} has zero incoming weights w_{neuron}")
            continue
        row = tuple(weights) + (bias,)
        lead = next(value for value in row if value != zero)
        canonical = row if field.canonical_sign(lead) > 0 else tuple(-value for value in row)
        if canonical in seen:
            failures.append(f"(iii) neurons {seen[canonical]} and {neuron} have "
                            "(w, b) equal up to sign")
        else:
            seen[canonical] = neuron
    return failures


def sussmann(network):
    """Return the verdict of Sussmann's criterion, or None when it does not apply."""
    failures = sussmann_conditions(network)
    if failures is None:
        return None
    if not failures:
        return Verdict.proved(
            SUSSMANN,
            "one hidden tanh layer with (i) nonzero outgoing weights, (ii) nonzero incoming "
            "weights and (iii) no two neurons equal up to sign: the network is irreducible, "
            "so its parameters are determined up to a unique signed permutation",
        )
    return Verdict.refuted(
        SUSSMANN,
        "the network is reducible: " + "; ".join(failures) + ", so a network with fewer "
        "neurons computes the same function and a dead neuron with arbitrary weights can be "
        "added",
    )


def is_linear(network):
    return all(layer.activation is None or layer.activation.is_identity
               for layer in network.layers if hasattr(layer, "activation"))


def linear_rank(network):
    r"""Decide identifiability of a network whose hidden activations are all the identity.

    Returns
    -------
    Verdict or None
        None when some activation is not the identity.
    """
    if network.depth < 2 or not is_linear(network):
        return None
    field = network.field
    product = network.layers[0].weights
    for layer in network.layers[1:]:
        product = _multiply(field, layer.weights, product)
    rank = linalg.rank(field, product, network.input_dimension)
    hidden_widths = network.widths[1:-1]
    too_wide = [(index, width) for index, width in enumerate(hidden_widths, start=1)
                if width != rank]
    method = "rank criterion for linear networks"
    if not too_wide:
        return Verdict.proved(method, f"every hidden width equals the rank {rank} of the "
                                      "end-to-end linear map")
    details = ", ".join(f"V_{index} has dimension {width}" for index, width in too_wide)
    return Verdict.refuted(method, f"the end-to-end linear map has rank {rank} but {details}")


def _multiply(field, left, right):
    zero = field.zero
    columns = list(zip(*right))
    return [tuple(sum((a * b for a, b in zip(row, column)), zero) for column in columns)
            for row in left]
