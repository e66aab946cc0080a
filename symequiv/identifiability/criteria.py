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

Sussmann (1992) for sigmoid
    :math:`\operatorname{sigmoid}(t) = (1 + \tanh(t/2))/2`, so a one-hidden-layer
    sigmoid network with rows :math:`(w_j, b_j)` and outgoing weights
    :math:`c_j` is the tanh network with rows :math:`(w_j, b_j)/2`, outgoing
    weights :math:`c_j/2` and output bias :math:`v + \sum_j c_j/2`. The three
    conditions are unchanged by this, and a sign flip of a tanh neuron is the
    affine flip :math:`h \mapsto 1 - h` of the sigmoid neuron.

Linear networks
    With identity activations the latent groups are affine groups, and the
    parameters are identifiable exactly when every hidden width equals the rank
    of the linear part of the end-to-end map.
"""

from __future__ import annotations

from symequiv.exact import linalg
from symequiv.models.dense import DenseLayer
from symequiv.verdicts import ParameterWitness, StepWitness, Verdict

SUSSMANN = "Sussmann (1992)"
SUSSMANN_SIGMOID = "Sussmann (1992) via sigmoid(t) = (1 + tanh(t/2))/2"
SUSSMANN_ACTIVATIONS = ("tanh", "sigmoid")


def sussmann_conditions(network):
    r"""Return the failed irreducibility conditions of a one-hidden-layer tanh or sigmoid network.

    Returns
    -------
    list of str or None
        Empty when all three conditions hold; None when the criterion does not
        apply (not one hidden layer, or neither tanh nor sigmoid).
    """
    if network.depth != 2 or not all(isinstance(layer, DenseLayer) for layer in network.layers):
        return None
    if network.layers[0].activation is None:
        return None
    if network.layers[0].activation.name not in SUSSMANN_ACTIVATIONS:
        return None
    field = network.field
    zero = field.zero
    hidden, output = network.layers
    failures = []
    columns = list(zip(*output.weights))
    for neuron, column in enumerate(columns):
        if all(value == zero for value in column):
            failures.append(f"(i) neuron {neuron + 1} has zero outgoing weights c_{neuron + 1}")
    seen = {}
    for neuron, (weights, bias) in enumerate(hidden.rows):
        if all(value == zero for value in weights):
            failures.append(f"(ii) neuron {neuron + 1} has zero incoming weights w_{neuron + 1}")
            continue
        row = tuple(weights) + (bias,)
        lead = next(value for value in row if value != zero)
        canonical = row if field.canonical_sign(lead) > 0 else tuple(-value for value in row)
        if canonical in seen:
            failures.append(f"(iii) neurons {seen[canonical] + 1} and {neuron + 1} have "
                            "(w, b) equal up to sign")
        else:
            seen[canonical] = neuron
    return failures


def sussmann(network):
    """Return the verdict of Sussmann's criterion, or None when it does not apply."""
    failures = sussmann_conditions(network)
    if failures is None:
        return None
    tanh = network.layers[0].activation.name == "tanh"
    method = SUSSMANN if tanh else SUSSMANN_SIGMOID
    if not failures and tanh:
        return Verdict.proved(
            SUSSMANN,
            "one hidden tanh layer with (i) nonzero outgoing weights, (ii) nonzero incoming "
            "weights and (iii) no two neurons equal up to sign: the network is irreducible, "
            "so its parameters are determined up to a unique signed permutation",
        )
    if not failures:
        return Verdict.proved(
            SUSSMANN_SIGMOID,
            "one hidden sigmoid layer with (i) nonzero outgoing weights, (ii) nonzero incoming "
            "weights and (iii) no two neurons equal up to sign: the tanh network it equals is "
            "irreducible, so its parameters are determined up to a unique signed permutation "
            "acting affinely (a flip sends h to 1 - h)",
        )
    return Verdict.refuted(
        method,
        "the network is reducible: " + "; ".join(failures) + ", so a network with fewer "
        "neurons computes the same function and a dead neuron with arbitrary weights can be "
        "added",
        StepWitness("Sussmann's irreducibility condition " + failures[0]),
    )


def is_linear(network):
    """True for a network of dense layers whose activations are all the identity."""
    return all(isinstance(layer, DenseLayer)
               and (layer.activation is None or layer.activation.is_identity)
               for layer in network.layers)


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
    witness = _linear_witness(network, too_wide[0][0])
    return Verdict.refuted(method, f"the end-to-end linear map has rank {rank} but {details}",
                           witness)


def _linear_witness(network, index):
    r"""Build a second parameter for a linear network with a hidden width above the rank.

    With :math:`Q` the linear part of the map into :math:`V_i` and :math:`P` that
    of the map out of it, :math:`\operatorname{rank} PQ < d_i` forces
    :math:`\operatorname{rank} Q < d_i` or :math:`\operatorname{rank} P < d_i`.
    In the first case a functional :math:`\phi` with :math:`\phi Q = 0` is added
    to the first row of :math:`W_{i+1}` (and :math:`\phi` of the offset
    subtracted from its bias); in the second a vector :math:`u` with
    :math:`P u = 0` is added to the first column of :math:`W_i`. Neither changes
    the function, and the rank criterion puts the result outside the orbit.
    """
    field = network.field
    layers = network.layers
    into = layers[0].weights
    offset = list(layers[0].bias)
    for layer in layers[1:index]:
        into = _multiply(field, layer.weights, into)
        offset = [sum((a * b for a, b in zip(row, offset)), field.zero) + bias
                  for row, bias in zip(layer.weights, layer.bias)]
    width = len(into)
    candidate = None
    description = ""
    functionals = linalg.left_null_space(field, into) if linalg.rank(
        field, into, network.input_dimension) < width else []
    following = layers[index]
    shift = (sum((a * b for a, b in zip(functionals[0], offset)), field.zero)
             if functionals else field.zero)
    # The next bias must absorb phi(offset), which needs a bias unless that is zero.
    if functionals and (following.has_bias or shift == field.zero):
        functional = functionals[0]
        weights = [list(row) for row in following.weights]
        weights[0] = [a + b for a, b in zip(weights[0], functional)]
        bias = list(following.bias)
        bias[0] = bias[0] - shift
        candidate = network.with_layer(index + 1, following.with_parameters(weights, bias))
        description = (f"a functional that vanishes on the image of V_0 in V_{index} was "
                       f"added to the first row of W{index + 1}")
    else:
        out = layers[-1].weights
        for layer in reversed(layers[index:-1]):
            out = _multiply(field, out, layer.weights)
        kernel = linalg.left_null_space(field, [tuple(column) for column in zip(*out)])
        if kernel:
            vector = kernel[0]
            layer = layers[index - 1]
            weights = [list(row) for row in layer.weights]
            for row, entry in zip(weights, vector):
                row[0] = row[0] + entry
            candidate = network.with_layer(index, layer.with_parameters(weights, layer.bias))
            description = (f"a vector in the kernel of the map out of V_{index} was added to "
                           f"the first column of W{index}")
    if candidate is None or not _same_affine_map(network, candidate):
        return StepWitness(f"V_{index} is wider than the rank of the end-to-end linear map")
    parameters = {name: [[str(entry) for entry in row] if isinstance(row, list) else str(row)
                         for row in value]
                  for name, value in candidate.parameter_expressions().items()}
    return ParameterWitness(
        description + "; the end-to-end affine map is unchanged (checked exactly)", parameters,
        "the hidden width exceeds the rank, so by the rank criterion the parameters are not "
        "identifiable")


def _same_affine_map(first, second):
    field = first.field
    maps = []
    for network in (first, second):
        matrix = network.layers[0].weights
        offset = list(network.layers[0].bias)
        for layer in network.layers[1:]:
            matrix = _multiply(field, layer.weights, matrix)
            offset = [sum((a * b for a, b in zip(row, offset)), field.zero) + bias
                      for row, bias in zip(layer.weights, layer.bias)]
        maps.append(([tuple(row) for row in matrix], offset))
    return maps[0] == maps[1]


def _multiply(field, left, right):
    zero = field.zero
    columns = list(zip(*right))
    return [tuple(sum((a * b for a, b in zip(row, column)), zero) for column in columns)
            for row in left]
