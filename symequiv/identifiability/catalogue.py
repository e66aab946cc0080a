r"""The catalogue of identifiability criteria: each names its source and checks its hypotheses.

:func:`evaluate_criteria` runs every criterion on a network and returns one
:class:`~symequiv.identifiability.hypotheses.CriterionResult` each: whether the
network is in the criterion's scope, each hypothesis checked exactly, and the
criterion's verdict (None where its hypotheses settle nothing). The entries:

``sussmann``
    H. J. Sussmann, "Uniqueness of the weights for minimal feedforward nets
    with a given input-output map", Neural Networks 5(4):589-593, 1992. One
    hidden tanh layer; also sigmoid, through
    :math:`\operatorname{sigmoid}(t) = (1 + \tanh(t/2))/2`. Proves identifiability
    when its three conditions hold and refutes it when one fails.
``bypass``
    One hidden layer of ReLU, leaky ReLU, GELU, SiLU or softplus
    (:mod:`~symequiv.identifiability.bypass_criterion`, proved in symequiv's
    documentation). Proves identifiability when (G1)-(G4) hold.
``fefferman``
    C. Fefferman, "Reconstructing a neural net from its output", Revista
    Matemática Iberoamericana 10(3):507-555, 1994 (announced with S. Markel as
    "Recovering a feed-forward net from its output", NIPS 6, 1993). Deep tanh
    networks. His theorem compares two networks that *both* satisfy his
    genericity conditions, and his networks apply tanh at the output too, so
    symequiv reports it as conditional, never as a proof.
``necessary``
    V. Vlačić and H. Bölcskei, "Neural network identifiability for a family of
    sigmoidal nonlinearities", arXiv:1906.06994 (Constructive Approximation,
    2022), whose networks have no identically zero row or column of a weight
    matrix: a zero column is a dead neuron whose incoming weights can be
    changed freely, so it refutes identifiability for every nonlinear
    activation.
``linear``
    The rank criterion for networks of identity activations.
``polynomial``
    Exact fibers for small networks with power activations
    (:mod:`~symequiv.identifiability.fibers`).
``deep-bypass``
    Deep networks of ReLU-like and GELU-like activations: identifiability is
    open in general, and many such parameters are not identifiable; anything
    that assumes it is labelled conditional.
"""

from __future__ import annotations

from symequiv.identifiability import bypass_criterion, fibers
from symequiv.identifiability.criteria import (
    SUSSMANN,
    SUSSMANN_ACTIVATIONS,
    linear_rank,
    sussmann,
    sussmann_conditions,
)
from symequiv.identifiability.hypotheses import Criterion, CriterionResult, Hypothesis
from symequiv.verdicts import Status, StepWitness, Verdict

FEFFERMAN = "Fefferman (1994)"
NECESSARY = "Vlačić and Bölcskei (2022), necessary conditions"
DEEP_BYPASS = "deep ReLU or GELU networks"


def _activation(layer):
    return getattr(layer, "activation", None)


def _hidden_names(network):
    return [(_activation(layer).name if _activation(layer) else None)
            for layer in network.hidden_layers]


def _symbolic_result(criterion):
    return CriterionResult(criterion, False, reason="the parameters contain free symbols, so "
                           "hypotheses hold only for generic values")


# -- Sussmann ---------------------------------------------------------------------------------


_SUSSMANN_HYPOTHESES = (
    ("(i)", "every hidden neuron has nonzero outgoing weights c_j"),
    ("(ii)", "every hidden neuron has nonzero incoming weights w_j"),
    ("(iii)", "no two hidden neurons have (w_j, b_j) equal up to sign"),
)


def _check_sussmann(criterion, network):
    if network.field.symbols:
        return _symbolic_result(criterion)
    failures = sussmann_conditions(network)
    if failures is None:
        return CriterionResult(criterion, False, reason="needs one hidden layer of "
                               + " or ".join(SUSSMANN_ACTIVATIONS))
    hypotheses = []
    for label, statement in _SUSSMANN_HYPOTHESES:
        failed = [failure for failure in failures if failure.startswith(label + " ")]
        detail = "; ".join(failure[len(label) + 1:] for failure in failed)
        hypotheses.append(Hypothesis(label, statement, not failed, detail))
    return CriterionResult(criterion, True, tuple(hypotheses), sussmann(network))


# -- Fefferman --------------------------------------------------------------------------------


def _check_fefferman(criterion, network):
    # NOTE: (F1)-(F3) are Fefferman's nonzero-weight and bias conditions as commonly
    # summarized; his full statement was not checked here, which is one more reason
    # the verdict stays conditional.
    names = _hidden_names(network)
    if network.depth < 3 or any(name != "tanh" for name in names):
        return CriterionResult(criterion, False,
                               reason="needs two or more hidden layers, all tanh")
    if network.field.symbols:
        return _symbolic_result(criterion)
    field = network.field
    zero = field.zero
    zero_weights = []
    for number, layer in enumerate(network.layers, start=1):
        for row_index, row in enumerate(layer.weights, start=1):
            for column, value in enumerate(row, start=1):
                if value == zero:
                    zero_weights.append(f"W{number}[{row_index}, {column}]")
    zero_biases = []
    equal_biases = []
    for number, layer in enumerate(network.hidden_layers, start=1):
        seen = {}
        for neuron, value in enumerate(layer.bias, start=1):
            if value == zero:
                zero_biases.append(f"b{number}[{neuron}]")
                continue
            magnitude = value if field.sign(value) > 0 else -value
            if magnitude in seen:
                equal_biases.append(f"neurons {seen[magnitude]} and {neuron} of layer {number} "
                                    f"(|b| = {field.to_expr(magnitude)})")
            else:
                seen[magnitude] = neuron
    hypotheses = (
        Hypothesis("(F1)", "every weight of every layer is nonzero", not zero_weights,
                   _listed("zero weights", zero_weights)),
        Hypothesis("(F2)", "every hidden bias is nonzero", not zero_biases,
                   _listed("zero biases", zero_biases)),
        Hypothesis("(F3)", "within each hidden layer the biases have distinct absolute values",
                   not equal_biases, _listed("equal absolute biases", equal_biases)
                   + ("; the neurons of an equivariant network come in orbits that share "
                      "their biases, so equivariant networks usually violate this"
                      if equal_biases else "")),
    )
    if any(not hypothesis.holds for hypothesis in hypotheses):
        return CriterionResult(criterion, True, hypotheses, None,
                               "a genericity condition fails, so the theorem says nothing")
    conditional = ("every parameter with the same function also satisfies (F1)-(F3), and "
                   "Fefferman's theorem, stated for networks with tanh at the output as well, "
                   "carries over to an affine output layer")
    verdict = Verdict(Status.UNKNOWN, FEFFERMAN,
                      "the genericity conditions (F1)-(F3) hold, so Fefferman's theorem "
                      "identifies theta among the networks that satisfy them",
                      conditional=conditional)
    return CriterionResult(criterion, True, hypotheses, verdict)


def _listed(what, items, limit=6):
    if not items:
        return ""
    shown = ", ".join(items[:limit]) + (f" and {len(items) - limit} more"
                                        if len(items) > limit else "")
    return f"{what}: {shown}"


# -- necessary conditions ----------------------------------------------------------------------


def _check_necessary(criterion, network):
    hidden = [(number, layer) for number, layer in enumerate(network.hidden_layers, start=1)
              if _activation(layer) is not None and not _activation(layer).is_identity]
    if not hidden:
        return CriterionResult(criterion, False, reason="needs a nonlinear hidden layer")
    if network.field.symbols:
        return _symbolic_result(criterion)
    field = network.field
    zero = field.zero
    dead = []
    constant = []
    # Constant neurons whose value can move into the next bias (or is 0): each makes
    # the neuron dead without changing f, which proves non-identifiability.
    movable = []
    for number, layer in hidden:
        following = network.layers[number]
        for neuron in range(layer.output_dimension):
            name = f"neuron {neuron + 1} of layer {number}"
            if all(row[neuron] == zero for row in following.weights):
                dead.append(name)
            elif all(value == zero for value in layer.weights[neuron]):
                constant.append(name)
                value = _activation(layer).exact_value(layer.bias[neuron], field)
                if following.has_bias or value == zero:
                    movable.append(name)
    hypotheses = (
        Hypothesis("(N1)", "no hidden neuron has zero outgoing weights (no zero column)",
                   not dead, _listed("dead", dead)),
        Hypothesis("(N2)", "no hidden neuron has zero incoming weights (no zero row)",
                   not constant, _listed("constant", constant)),
    )
    if dead:
        verdict = Verdict.refuted(
            NECESSARY, f"{dead[0]} has zero outgoing weights, so its incoming weights can be "
            "changed without changing the function, and only finitely many of those changes "
            "are scalings in K", StepWitness(f"{dead[0]} is dead"))
        return CriterionResult(criterion, True, hypotheses, verdict)
    if movable:
        verdict = Verdict.refuted(
            NECESSARY, f"{movable[0]} has zero incoming weights, so its constant value can "
            "move into the next bias (or is 0); the neuron is then dead, its incoming weights "
            "can be changed without changing the function, and only finitely many of those "
            "changes are scalings in K", StepWitness(f"{movable[0]} is constant"))
        return CriterionResult(criterion, True, hypotheses, verdict)
    if constant:
        return CriterionResult(criterion, True, hypotheses, None,
                               "(N2) fails, but it is a hypothesis of their theorem and refutes "
                               "identifiability only when the next layer has a bias to take "
                               "the constant, which it has not here")
    return CriterionResult(criterion, True, hypotheses, None,
                           "(N1) and (N2) hold; they are necessary, not sufficient")


# -- linear, polynomial, deep bypass ------------------------------------------------------------


def _check_linear(criterion, network):
    if network.field.symbols:
        return _symbolic_result(criterion)
    verdict = linear_rank(network)
    if verdict is None:
        return CriterionResult(criterion, False, reason="needs identity activations throughout")
    holds = verdict.status is Status.PROVED
    hypothesis = Hypothesis("(R)", "every hidden width equals the rank of the end-to-end "
                            "linear map", holds, "" if holds else verdict.reason)
    return CriterionResult(criterion, True, (hypothesis,), verdict)


def _check_deep_bypass(criterion, network):
    names = _hidden_names(network)
    bypass = [name for name in names if name and (
        name in bypass_criterion.BYPASS_ACTIVATIONS or name.startswith("leaky_relu("))]
    if not bypass or (network.depth == 2 and bypass_criterion.applies_to(
            _activation(network.layers[0]))):
        return CriterionResult(criterion, False, reason="needs two or more hidden layers with "
                               "relu, leaky_relu, gelu, silu or softplus")
    verdict = Verdict(Status.UNKNOWN, DEEP_BYPASS,
                      f"no criterion decides identifiability of deep {bypass[0]} networks, "
                      "and linear bypasses make many of them non-identifiable",
                      conditional="results that need identifiability, such as the theorem's "
                      "conclusion for this network, hold only if it is identifiable")
    return CriterionResult(criterion, True, (), verdict)


CRITERIA = (
    Criterion("sussmann", SUSSMANN, "H. J. Sussmann, Uniqueness of the weights for minimal "
              "feedforward nets with a given input-output map, Neural Networks 5(4):589-593, "
              "1992", "one hidden tanh or sigmoid layer",
              "identifiable (unique signed permutation) when (i)-(iii) hold; not identifiable "
              "when one fails", _check_sussmann),
    Criterion("bypass", bypass_criterion.NAME, "symequiv: kinks, exponential terms and poles "
              "of one-hidden-layer networks (docs/identifiability.md)",
              "one hidden relu, leaky_relu, gelu, silu or softplus layer",
              "identifiable (unique permutation, with positive scales for ReLU) when "
              "(G1)-(G4) hold", bypass_criterion.check),
    Criterion("fefferman", FEFFERMAN, "C. Fefferman, Reconstructing a neural net from its "
              "output, Revista Matemática Iberoamericana 10(3):507-555, 1994",
              "two or more hidden tanh layers",
              "conditional: identifiable among networks that satisfy (F1)-(F3)",
              _check_fefferman),
    Criterion("necessary", NECESSARY, "V. Vlačić and H. Bölcskei, Neural network "
              "identifiability for a family of sigmoidal nonlinearities, arXiv:1906.06994",
              "any nonlinear activation, any depth",
              "not identifiable when a hidden neuron is dead, or constant with a bias in the "
              "next layer; nothing when they hold",
              _check_necessary),
    Criterion("linear", "rank criterion for linear networks", "linear algebra: a hidden width "
              "above the rank leaves a kernel or cokernel to move", "identity activations",
              "identifiable exactly when every hidden width equals the end-to-end rank",
              _check_linear),
    Criterion("polynomial", fibers.NAME, "Groebner bases over Q (sympy)",
              f"power activations, at most {fibers.MAX_PARAMETERS} parameters",
              "identifiable when the fiber equals the K-orbit; not identifiable, with a "
              "second parameter, when it is larger", fibers.check),
    Criterion("deep-bypass", DEEP_BYPASS, "none: open in general",
              "two or more hidden ReLU-like or GELU-like layers",
              "unknown; results that assume identifiability are conditional",
              _check_deep_bypass),
)


def evaluate_criteria(network, keys=None):
    """Run the catalogue (or the criteria named in ``keys``) on ``network``.

    Returns
    -------
    tuple of CriterionResult
        In catalogue order.
    """
    return tuple(criterion.check(criterion, network) for criterion in CRITERIA
                 if keys is None or criterion.key in keys)
