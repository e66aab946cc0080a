"""Theory files built for the derivation tests, each with the mathematics that decides it.

``ORDER_FOUR_LIFT`` and ``CYCLIC_LIFT`` are format strings whose ``{relations}``
field takes a ``relations = [...]`` line, or nothing to let the Cayley graph
define the group.
"""

from __future__ import annotations

from tests.derivation.reference import bundled_text

# Two hidden tanh layers. Layer 1 computes tanh(x_0), tanh(x_1) and two zero neurons
# z_0, z_1. Layer 2 has four neurons whose weights on (z_0, z_1) are a, b, -a, -b
# with a = (1, 2), b = (-2, 1), and two neurons that pass tanh(x_i) on. The swap s
# sends each z-weight vector to the next one in the cycle a -> b -> -a -> -b, which
# only the two signed permutations Q of order 4 on (z_0, z_1) do (a Q = b forces
# Q = [[0, 1], [-1, 0]] or its inverse). So every latent element k_1(s) has
# k_1(s)^2 = -1 on the zero neurons and the relation s^2 fails for all choices,
# while f(x) = (tanh(tanh x_0), tanh(tanh x_1)) is equivariant.
ORDER_FOUR_LIFT = """
[theory]
name = "order-four-lift"

[group]
generators = ["s"]
{relations}

[group.input]
s = {{ permutation = [1, 0] }}

[group.output]
s = {{ permutation = [1, 0] }}

[model]
widths = [2, 4, 6, 2]
activation = "tanh"

[parameters]
W1 = [[1, 0], [0, 1], [0, 0], [0, 0]]
b1 = [0, 0, 0, 0]
W2 = [[1, 2, 1, 2], [2, 1, -2, 1], [1, 2, -1, -2], [2, 1, 2, -1], [1, 0, 0, 0], [0, 1, 0, 0]]
b2 = [1, 1, 1, 1, 0, 0]
W3 = [[0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1]]
b3 = [0, 0]
"""

# The same idea for the cyclic group of order 3 permuting R^3. The latent elements
# for c on the three zero neurons are a 3-cycle Q with signs (1, 1, -1), which has
# order 6 because Q^3 = -1, and -Q, which has order 3. The matcher lists Q first.
CYCLIC_LIFT = """
[theory]
name = "cyclic-lift"

[group]
generators = ["c"]
{relations}

[group.input]
c = {{ permutation = [1, 2, 0] }}

[group.output]
c = {{ permutation = [1, 2, 0] }}

[model]
widths = [3, 6, 9, 3]
activation = "tanh"

[parameters]
W1 = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
b1 = [0, 0, 0, 0, 0, 0]
W2 = [[1, 2, 4, 1, 3, 9], [2, 4, 1, 3, 9, -1], [4, 1, 2, 9, -1, -3],
      [1, 2, 4, -1, -3, -9], [2, 4, 1, -3, -9, 1], [4, 1, 2, -9, 1, 3],
      [1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0]]
b2 = [1, 1, 1, 1, 1, 1, 0, 0, 0]
W3 = [[0, 0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0, 0, 1]]
b3 = [0, 0, 0]
"""

# A tanh network invariant under the rotation by 45 degrees: the rows are the unit
# vectors at angles 0, 45, ..., 315 degrees with equal biases and equal outgoing
# weights, so the rotation permutes the neurons cyclically. The numbers lie in
# QQ(sqrt(2)).
OCTAGON = """
[theory]
name = "octagon"

[group]
generators = ["r"]
relations = ["r^8"]

[group.input]
r = [["cos(pi/4)", "-sin(pi/4)"], ["sin(pi/4)", "cos(pi/4)"]]

[group.output]
r = "trivial"

[model]
widths = [2, 8, 1]
activation = "tanh"

[parameters]
W1 = [[1, 0], ["sqrt(2)/2", "sqrt(2)/2"], [0, 1], ["-sqrt(2)/2", "sqrt(2)/2"],
      [-1, 0], ["-sqrt(2)/2", "-sqrt(2)/2"], [0, -1], ["sqrt(2)/2", "-sqrt(2)/2"]]
b1 = [1, 1, 1, 1, 1, 1, 1, 1]
W2 = [[1, 1, 1, 1, 1, 1, 1, 1]]
b2 = [0]
"""

# A linear network with f(x) = 3 x + 1/(a+1) + 1/(a-1) - 2a/(a^2-1). The constant is
# the zero rational function, so f(x) = 3 x is odd for every a other than +-1.
RATIONAL_FUNCTION_PARAMETERS = """
[theory]
name = "rational-function-biases"

[group]
generators = ["n"]
relations = ["n^2"]

[group.input]
n = [[-1]]

[group.output]
n = [[-1]]

[model]
widths = [1, 2, 1]
activation = "identity"

[parameters]
W1 = [[1], [2]]
b1 = ["1/(a+1)", "1/(a-1)"]
W2 = [[1, 1]]
b2 = ["-2*a/(a^2-1)"]
"""


def saturated_tanh_swap():
    r"""Return tanh-swap with the biases of neurons 3 and 4 set to 1000 and 1001.

    The swap sends neuron 3's row to (-3, 1, 1000), which no neuron has, and
    Sussmann's conditions hold (nonzero weights, no two rows equal up to sign),
    so the theorem refutes equivariance. On the sampled inputs both neurons
    equal 1 to about 860 digits, so no ball computed with 512 bits separates
    :math:`f(s x)` from :math:`s f(x)`.
    """
    return bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                             'b1 = ["1/2", "1/2", 1000, 1001]')
