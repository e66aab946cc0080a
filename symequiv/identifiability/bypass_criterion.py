r"""Identifiability of one-hidden-layer networks whose activation has a linear bypass.

For :math:`f(x) = \sum_j c_j\,\sigma(w_j \cdot x + b_j) + v` with
:math:`\sigma` one of ReLU, leaky ReLU, GELU, SiLU or softplus, symequiv proves:
if

* (G1) every :math:`c_j \ne 0`,
* (G2) every :math:`w_j \ne 0`,
* (G3) no two rows :math:`(w_j, b_j), (w_k, b_k)` are equal up to a nonzero
  factor (ReLU, leaky ReLU) or up to sign (GELU, SiLU, softplus), and
* (G4) no nonempty set :math:`S` of neurons with :math:`c_j w_j^\top \ne 0`
  has :math:`\sum_{j \in S} c_j w_j^\top = 0`,

then every parameter of the same widths with the same function is
:math:`\theta` up to a unique permutation (and positive scales for ReLU and
leaky ReLU). Proof, in outline: the neurons with distinct rows up to sign are
linearly independent modulo affine functions (kinks for the piecewise-linear
activations; for GELU, on a generic line, the second derivatives are
:math:`p_j(s) e^{-z_j(s)^2/2}` with pairwise different quadratic exponents; for
SiLU and softplus, the poles of the second derivative at
:math:`z_j = i\pi(2k+1)`). So the other parameter has one neuron on each row of
:math:`\theta`, either the same or (by the bypass
:math:`\sigma(-z) = \sigma(z) - c_\sigma z`) the opposite one; the opposite
ones leave :math:`\sum_{j \in S} c_j w_j^\top x` to be compensated, which (G4)
forbids. docs/identifiability.md gives the proof in full.

For :math:`|t|` (leaky ReLU with slope -1) the flip is a symmetry, so (G4) is
not needed.
"""

from __future__ import annotations

import itertools
import math

import flint

from symequiv.exact import linalg
from symequiv.identifiability.hypotheses import CriterionResult, Hypothesis
from symequiv.verdicts import Verdict

NAME = "one-hidden-layer bypass criterion"
MAX_SUBSET_NEURONS = 12
# A prime below 2^62: a rank computed modulo it is at most the rank over Q.
PRIME = 4611686018427387847
BYPASS_ACTIVATIONS = ("relu", "gelu", "silu", "softplus")


def applies_to(activation):
    if activation is None:
        return False
    return activation.name in BYPASS_ACTIVATIONS or (
        activation.name.startswith("leaky_relu(") and activation.symmetry.homogeneity == 1)


def check(criterion, network):
    """Check (G1)-(G4) on a one-hidden-layer network; return a :class:`CriterionResult`."""
    activation = getattr(network.layers[0], "activation", None)
    if network.depth != 2 or not applies_to(activation):
        return CriterionResult(criterion, False, reason=(
            "needs one hidden layer with relu, leaky_relu, gelu, silu or softplus"))
    if network.field.symbols:
        return CriterionResult(criterion, False, reason="the parameters contain free symbols")
    hidden, output = network.layers
    field = network.field
    zero = field.zero
    columns = [tuple(column) for column in zip(*output.weights)]
    homogeneous = activation.symmetry.homogeneity is not None
    even = activation.symmetry.negation is not None and activation.symmetry.negation.is_even

    dead = [index + 1 for index, column in enumerate(columns)
            if all(value == zero for value in column)]
    constant = [index + 1 for index, (weights, _) in enumerate(hidden.rows)
                if all(value == zero for value in weights)]
    hypotheses = [
        Hypothesis("(G1)", "every neuron has nonzero outgoing weights c_j", not dead,
                   _neurons("zero outgoing weights", dead)),
        Hypothesis("(G2)", "every neuron has nonzero incoming weights w_j", not constant,
                   _neurons("zero incoming weights", constant)),
    ]
    pair = _equal_rows(field, hidden.rows, homogeneous)
    words = "up to a nonzero factor" if homogeneous else "up to sign"
    hypotheses.append(Hypothesis(
        "(G3)", f"no two neurons have rows (w_j, b_j) equal {words}", pair is None,
        "" if pair is None else f"neurons {pair[0] + 1} and {pair[1] + 1} have rows equal {words}"))
    if not even:
        hypotheses.append(_flip_hypothesis(field, hidden, columns))
    if all(hypothesis.holds for hypothesis in hypotheses):
        symmetry = "positive scales and a permutation" if homogeneous else "a permutation"
        return CriterionResult(criterion, True, tuple(hypotheses), Verdict.proved(
            NAME, f"one hidden {activation.name} layer satisfying (G1)-(G4): the parameters "
            f"are determined up to unique {symmetry}"))
    return CriterionResult(criterion, True, tuple(hypotheses), None,
                           "a hypothesis fails or is undecided, so the criterion gives nothing")


def _neurons(what, neurons):
    if not neurons:
        return ""
    return f"neuron(s) {', '.join(str(neuron) for neuron in neurons)} have {what}"


def _equal_rows(field, rows, homogeneous):
    zero = field.zero
    seen = {}
    for index, (weights, bias) in enumerate(rows):
        row = tuple(weights) + (bias,)
        lead = next((value for value in row if value != zero), None)
        if lead is None:
            continue
        if homogeneous:
            key = tuple(value / lead for value in row)
        else:
            key = row if field.sign(lead) > 0 else tuple(-value for value in row)
        if key in seen:
            return seen[key], index
        seen[key] = index
    return None


def _flip_hypothesis(field, hidden, columns):
    statement = ("no nonempty set S of neurons with nonzero c_j w_j^T has sum over S of "
                 "c_j w_j^T = 0")
    # Neurons with c_j w_j^T = 0 violate (G1) or (G2) instead; leaving them out keeps
    # each hypothesis about one thing.
    numbered = _outer_products(field, hidden, columns)
    labels = [index for index, _ in numbered]
    vectors = [vector for _, vector in numbered]
    independent = _independent(field, vectors)
    if independent:
        return Hypothesis("(G4)", statement, True,
                          "the matrices c_j w_j^T are linearly independent")
    if len(vectors) > MAX_SUBSET_NEURONS:
        return Hypothesis("(G4)", statement, None,
                          f"the matrices c_j w_j^T are linearly dependent and the "
                          f"{len(vectors)} neurons are too many to try every subset "
                          f"(at most {MAX_SUBSET_NEURONS})")
    subset = _vanishing_subset(field, vectors)
    if subset is not None:
        names = ", ".join(str(labels[index] + 1) for index in subset)
        return Hypothesis("(G4)", statement, False,
                          f"the neurons {{{names}}} have sum of c_j w_j^T equal to 0")
    return Hypothesis("(G4)", statement, True, "no subset sums to 0 (every subset was tried)")


def _outer_products(field, hidden, columns):
    """Return ``(neuron, c_j w_j^T)`` for the neurons whose outer product is nonzero."""
    zero = field.zero
    numbered = [(index, tuple(c * w for c in column for w in weights))
                for index, ((weights, _), column) in enumerate(zip(hidden.rows, columns))]
    return [(index, vector) for index, vector in numbered
            if any(value != zero for value in vector)]


def _vanishing_subset(field, vectors):
    """Return the indices of the smallest nonempty subset of ``vectors`` summing to 0, or None."""
    zero = field.zero
    for size in range(1, len(vectors) + 1):
        for subset in itertools.combinations(range(len(vectors)), size):
            total = [zero] * len(vectors[0])
            for index in subset:
                total = [a + b for a, b in zip(total, vectors[index])]
            if all(value == zero for value in total):
                return subset
    return None


def flip_set(hidden, following):
    r"""Return neurons :math:`S` with :math:`\sum_{j \in S} c_j w_j^\top = 0`, or None.

    ``hidden`` and ``following`` are adjacent dense layers; :math:`c_j` is
    column :math:`j` of ``following``. Only neurons with :math:`c_j w_j^\top \ne 0`
    take part, and subsets are tried only when there are at most
    ``MAX_SUBSET_NEURONS`` of them, so None proves nothing.
    """
    field = hidden.field
    columns = [tuple(column) for column in zip(*following.weights)]
    numbered = _outer_products(field, hidden, columns)
    vectors = [vector for _, vector in numbered]
    if not vectors or len(vectors) > MAX_SUBSET_NEURONS or _independent(field, vectors):
        return None
    subset = _vanishing_subset(field, vectors)
    if subset is None:
        return None
    return tuple(numbered[index][0] for index in subset)


def _independent(field, vectors):
    """True when the vectors are proved linearly independent (False proves nothing)."""
    if not vectors:
        return True
    if len(vectors) > len(vectors[0]):
        return False
    if field.is_rational:
        rows = []
        for vector in vectors:
            scale = 1
            for value in vector:
                scale = math.lcm(scale, int(value.denominator))
            rows.append([int(value.numerator) * (scale // int(value.denominator)) % PRIME
                         for value in vector])
        matrix = flint.nmod_mat(rows, PRIME)
        return matrix.rank() == len(vectors)
    return linalg.rank(field, vectors) == len(vectors)

