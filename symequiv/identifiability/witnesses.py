r"""Second parameters with the same function: constructive proofs of non-identifiability.

Each candidate :math:`\theta'` changes one pair of adjacent layers around a
degenerate neuron of :math:`\theta`:

* a *dead* neuron (zero outgoing weights) gets other incoming weights;
* a *constant* neuron with an exact value moves it into the next bias and
  becomes a dead, non-constant neuron;
* *duplicate* neurons are merged;
* a set :math:`S` of neurons of an activation with a linear bypass whose
  :math:`\sum_{j \in S} c_j w_j^\top` vanishes gets its rows negated, the next
  bias compensating;
* a *linear bypass* pair :math:`c\,(\sigma(z) - \sigma(-z)) = c\,c_\sigma z`
  gets its bias shifted, the next bias compensating; without biases, a
  non-homogeneous activation lets the pair be scaled instead;
* for :math:`\sigma(t) = t^2`, two neurons whose outgoing columns are
  proportional, :math:`c_k = \lambda c_j`, contribute
  :math:`c_j (z_j^2 + \lambda z_k^2)`; a reflection :math:`R` with
  :math:`R^\top D R = D` for :math:`D = \operatorname{diag}(1, \lambda)` mixes
  the two rows without changing that quadratic form. With a single output every
  pair of square neurons qualifies.

A candidate counts only when both facts are proved exactly: the modified
layers compute the same map (:func:`~symequiv.derivation.normal_form.tails_agree`,
or for polynomial activations the expansion of both maps),
and no sequence :math:`k_i \in K_i` relates :math:`\theta'` to :math:`\theta`
(:func:`~symequiv.derivation.relate.relate` fails with a complete search).
"""

from __future__ import annotations

import itertools

import sympy

from symequiv.actions.maps import identity_affine
from symequiv.activations.catalogue import t
from symequiv.activations.symmetry import ScaleSet
from symequiv.derivation.normal_form import tails_agree
from symequiv.derivation.relate import relate
from symequiv.identifiability import bypass_criterion
from symequiv.models.dense import DenseLayer
from symequiv.models.matching import RowMatcher
from symequiv.models.network import nested_strings
from symequiv.verdicts import ParameterWitness


def affine_relation_text(field, scale, shift, keeper, neuron):
    """Render ``h_neuron = scale h_keeper + shift`` readably, such as ``h_4 = 1 - h_1``.

    ``keeper`` and ``neuron`` are 0-based indices; the text numbers neurons from 1.
    """
    keeper, neuron = keeper + 1, neuron + 1
    scale_text = str(field.to_expr(scale))
    shift_expr = field.to_expr(shift)
    term = {"1": f"h_{keeper}", "-1": f"-h_{keeper}"}.get(scale_text,
                                                           f"{scale_text} h_{keeper}")
    if shift_expr == 0:
        return f"h_{neuron} = {term}"
    if term.startswith("-"):
        return f"h_{neuron} = {shift_expr} - {term[1:]}"
    return f"h_{neuron} = {term} + {shift_expr}"


def _affine(layer):
    return DenseLayer(layer.field, layer.weights, layer.bias, None, layer.has_bias)


def _column(layer, neuron):
    return [row[neuron] for row in layer.weights]


def _with_column(layer, neuron, values, bias=None):
    weights = [list(row) for row in layer.weights]
    for row, value in zip(weights, values):
        row[neuron] = value
    return layer.with_parameters(weights, layer.bias if bias is None else bias)


def _with_row(layer, neuron, weights_row, bias_value):
    weights = [list(row) for row in layer.weights]
    bias = list(layer.bias)
    weights[neuron] = list(weights_row)
    bias[neuron] = bias_value
    return layer.with_parameters(weights, bias)


def _unit_row(field, length):
    return [field.one] + [field.zero] * (length - 1)


def _candidates(network, index):
    """Yield ``(description, hidden, next_layer)`` modifications at hidden layer ``index``."""
    field = network.field
    zero = field.zero
    layer = network.layers[index]
    following = network.layers[index + 1]
    activation = layer.activation
    number = index + 1
    if activation is None or activation.is_identity:
        return
    for neuron, (weights, bias) in enumerate(layer.rows):
        column = _column(following, neuron)
        constant = all(value == zero for value in weights)
        if all(value == zero for value in column):
            if constant:
                new_row = _unit_row(field, layer.input_dimension)
                change = "first incoming weight set to 1"
            else:
                new_row = [zero] * layer.input_dimension
                change = "incoming weights set to 0"
            yield (f"neuron {neuron + 1} of layer {number} has zero outgoing weights, so its "
                   f"incoming weights do not affect f; {change}",
                   _with_row(layer, neuron, new_row, bias), following)
            continue
        if constant:
            value = activation.exact_value(bias, field)
            if value is None or (value != zero and not following.has_bias):
                continue
            moved_bias = [entry + weight * value for entry, weight in zip(following.bias, column)]
            yield (f"neuron {neuron + 1} of layer {number} is the constant "
                   f"{field.to_expr(value)}; "
                   "moved into the next bias and given nonzero incoming weights",
                   _with_row(layer, neuron, _unit_row(field, layer.input_dimension), bias),
                   _with_column(following, neuron, [zero] * len(column), moved_bias))
    yield from _duplicate_candidates(layer, following, number)
    yield from _bypass_candidates(layer, following, number)
    yield from _flip_set_candidates(layer, following, number)
    yield from _quadratic_candidates(layer, following, number)


def _quadratic_candidates(layer, following, number):
    if layer.activation.polynomial_degree != 2 or layer.activation.symmetry.homogeneity != 2:
        return
    field = layer.field
    zero = field.zero
    columns = [_column(following, neuron) for neuron in range(layer.output_dimension)]
    for first, second in itertools.combinations(range(layer.output_dimension), 2):
        ratio = _proportion(field, columns[first], columns[second])
        if ratio is None:
            continue
        # Reflection along v: R = I - 2 v v^T D / (v^T D v) keeps z^T D z.
        for vector in ((field.one, field.one + field.one), (field.one + field.one, field.one)):
            norm = vector[0] * vector[0] + ratio * vector[1] * vector[1]
            if norm != zero:
                break
        weights = (field.one, ratio)
        reflection = [[(field.one if row == column else zero)
                       - (vector[row] * vector[column] * weights[column] * 2) / norm
                       for column in range(2)] for row in range(2)]
        rows = [list(layer.rows[first][0]) + [layer.rows[first][1]],
                list(layer.rows[second][0]) + [layer.rows[second][1]]]
        mixed = [[reflection[row][0] * a + reflection[row][1] * b
                  for a, b in zip(rows[0], rows[1])] for row in range(2)]
        changed = _with_row(layer, first, mixed[0][:-1], mixed[0][-1])
        changed = _with_row(changed, second, mixed[1][:-1], mixed[1][-1])
        relation = str(field.to_expr(ratio))
        magnitude = str(field.to_expr(ratio if field.sign(ratio) > 0 else -ratio))
        form = (f"z_{first + 1}^2 {'+' if field.sign(ratio) > 0 else '-'} "
                + ("" if magnitude == "1" else magnitude + " ") + f"z_{second + 1}^2")
        yield (f"neurons {first + 1} and {second + 1} of layer {number} square their inputs and "
               f"have proportional outgoing weights (c_{second + 1} = {relation} "
               f"c_{first + 1}); their rows were mixed by a reflection that keeps "
               f"{form}", changed, following)
        return


def _proportion(field, first, second):
    """Return lambda with second = lambda * first (both nonzero), or None."""
    zero = field.zero
    pivot = next((index for index, value in enumerate(first) if value != zero), None)
    if pivot is None:
        return None
    ratio = second[pivot] / first[pivot]
    if ratio == zero or any(b != ratio * a for a, b in zip(first, second)):
        return None
    return ratio


def polynomial_tails_agree(first, second):
    r"""Prove that two one-hidden-layer polynomial maps are equal by expanding them.

    ``first`` and ``second`` are ``(hidden, output)`` pairs as in
    :func:`~symequiv.derivation.normal_form.tails_agree`. Returns True only for
    a proof; False otherwise (also for non-polynomial activations).
    """
    hidden, output = first
    if hidden.activation is None or hidden.activation.polynomial_degree is None:
        return False
    inputs = sympy.symbols(f"h0:{hidden.input_dimension}")
    left = output.evaluate_symbolic(hidden.evaluate_symbolic(list(inputs)))
    right = second[1].evaluate_symbolic(second[0].evaluate_symbolic(list(inputs)))
    return all(sympy.expand(a - b) == 0 for a, b in zip(left, right))


def _duplicate_candidates(layer, following, number):
    field = layer.field
    matcher = RowMatcher(layer.activation, field)
    first_of = {}
    for neuron, (weights, bias) in enumerate(layer.rows):
        key = matcher.key(tuple(weights), bias)
        if key[0] not in first_of:
            first_of[key[0]] = (neuron, key)
            continue
        keeper, keeper_key = first_of[key[0]]
        _, latent_scale, shift = matcher.pair_latent(keeper_key, key)
        if shift != field.zero and not following.has_bias:
            continue
        column = _column(following, neuron)
        kept = _column(following, keeper)
        merged = _with_column(following, keeper, [a + latent_scale * b
                                                  for a, b in zip(kept, column)])
        bias = [entry + shift * weight for entry, weight in zip(merged.bias, column)]
        merged = _with_column(merged, neuron, [field.zero] * len(column), bias)
        relation = affine_relation_text(field, latent_scale, shift, keeper, neuron)
        yield (f"neurons {keeper + 1} and {neuron + 1} of layer {number} are duplicates "
               f"({relation}); merged into neuron {keeper + 1}", layer, merged)


def _bypass_candidates(layer, following, number):
    field = layer.field
    symmetry = layer.activation.symmetry
    bypass = symmetry.bypass
    if bypass is None:
        return
    zero = field.zero
    degree = symmetry.homogeneity
    normalized = {}
    for neuron, (weights, bias) in enumerate(layer.rows):
        row = tuple(weights) + (bias,)
        lead = next((value for value in row if value != zero), None)
        if lead is None:
            continue
        magnitude = field.leading_constant(lead)
        if field.canonical_sign(magnitude) < 0:
            magnitude = -magnitude
        if degree is None:
            magnitude = field.one
        normalized.setdefault(tuple(value / magnitude for value in row), []).append(
            (neuron, magnitude))
    for row, members in normalized.items():
        opposite = normalized.get(tuple(-value for value in row))
        if not opposite or field.canonical_sign(next(v for v in row if v != zero)) < 0:
            continue
        (first, first_scale), (second, second_scale) = members[0], opposite[0]
        first_column = _column(following, first)
        second_column = _column(following, second)
        ratio = (second_scale / first_scale) ** (degree or 0)
        # c_1 sigma(z) + c_2 sigma(-s z) is affine when c_1 + s^m c_2 = 0.
        if any(a + ratio * b != zero for a, b in zip(first_column, second_column)):
            continue
        if layer.has_bias and following.has_bias:
            first_weights, first_bias = layer.rows[first]
            second_weights, second_bias = layer.rows[second]
            shifted = _with_row(layer, first, first_weights, first_bias + first_scale)
            shifted = _with_row(shifted, second, second_weights,
                                second_bias - second_scale)
            # The pair adds c_1 m_1^m c_sigma (u + 1) instead of c_1 m_1^m c_sigma u.
            constant = field.convert(bypass) * first_scale ** (degree or 0)
            compensated = [entry - weight * constant
                           for entry, weight in zip(following.bias, first_column)]
            term = "t" if bypass == 1 else f"{bypass} t"
            yield (f"neurons {first + 1} and {second + 1} of layer {number} form a linear bypass "
                   f"(sigma(t) - sigma(-t) = {term}); their biases were shifted and the "
                   "next bias compensates", shifted, following.with_parameters(
                       following.weights, compensated))
        elif degree is None:
            doubled = layer
            for neuron in (first, second):
                weights, bias = layer.rows[neuron]
                doubled = _with_row(doubled, neuron, [2 * value for value in weights], 2 * bias)
            halved = following
            for neuron in (first, second):
                halved = _with_column(halved, neuron,
                                      [value / 2 for value in _column(following, neuron)])
            yield (f"neurons {first + 1} and {second + 1} of layer {number} form a linear bypass; "
                   "scaling both rows by 2 and their outgoing weights by 1/2 keeps f",
                   doubled, halved)


def _flip_set_candidates(layer, following, number):
    r"""Negate the rows of a set :math:`S` of neurons with :math:`\sum_S c_j w_j^\top = 0`.

    With the bypass :math:`\sigma(-z) = \sigma(z) - c_\sigma z`, negating the
    rows of :math:`S` changes the next pre-activation by
    :math:`-c_\sigma \sum_S c_j (w_j \cdot h + b_j)`, whose linear part vanishes;
    the next bias absorbs the constant :math:`-c_\sigma \sum_S c_j b_j`.
    """
    symmetry = layer.activation.symmetry
    if symmetry.bypass is None or symmetry.bypass == 0:
        return
    field = layer.field
    neurons = bypass_criterion.flip_set(layer, following)
    if neurons is None:
        return
    bypass = field.convert(symmetry.bypass)
    shift = [field.zero] * following.output_dimension
    flipped = layer
    for neuron in neurons:
        weights, bias = layer.rows[neuron]
        flipped = _with_row(flipped, neuron, [-value for value in weights], -bias)
        shift = [total + bypass * weight * bias
                 for total, weight in zip(shift, _column(following, neuron))]
    if any(value != field.zero for value in shift) and not following.has_bias:
        return
    compensated = following.with_parameters(
        following.weights, [entry + value for entry, value in zip(following.bias, shift)])
    names = ", ".join(str(neuron + 1) for neuron in neurons)
    term = "z" if symmetry.bypass == 1 else f"{symmetry.bypass} z"
    yield (f"the neurons {{{names}}} of layer {number} have sum of c_j w_j^T equal to 0, so "
           f"negating their rows (w_j, b_j) changes the next pre-activation only by a "
           f"constant (sigma(-z) = sigma(z) - {term}), which the next bias compensates",
           flipped, compensated)


def find_parameter_witness(network):
    r"""Return a :class:`ParameterWitness` of non-identifiability, or None.

    Only dense networks are searched. None means no candidate was proved; it
    does not mean the parameters are identifiable.
    """
    if not all(isinstance(layer, DenseLayer) for layer in network.layers):
        return None
    field = network.field
    identity_in = identity_affine(field, network.input_dimension)
    identity_out = identity_affine(field, network.output_dimension)
    for index in range(network.depth - 1):
        layer = network.layers[index]
        following = network.layers[index + 1]
        for description, new_layer, new_following in _candidates(network, index):
            before = (layer, _affine(following))
            after = (new_layer, _affine(new_following))
            if not (tails_agree(before, after) or polynomial_tails_agree(before, after)):
                continue
            candidate = network.with_layer(index + 1, new_layer).with_layer(index + 2,
                                                                             new_following)
            relation = relate(network, candidate, identity_in, identity_out, max_chains=1)
            if relation.found or not relation.complete:
                continue
            return ParameterWitness(
                description + " (the function is unchanged, proved by the normal form or the "
                f"expansion of layers {index + 1} and {index + 2})",
                candidate.parameter_strings(),
                f"no k_i in K_i relates it to theta: {relation.failure} "
                f"(layer f_{relation.failure_layer})",
            )
    return _constant_outside_field_witness(network)


def _constant_outside_field_witness(network):
    r"""Move a constant neuron's value :math:`\sigma(b)` into the next bias symbolically.

    Used when :math:`\sigma(b)` is not in the field of the parameters (such as
    :math:`\tanh(2)`), so :math:`\theta'` is given by sympy expressions and the
    equality of functions is proved by expanding the two changed layers
    symbolically. No :math:`k_i` relates it to :math:`\theta` because every
    :math:`K_i` used here acts by monomial matrices (with an affine shift at
    most), which keep the number of zero columns of :math:`W_{i+1}`, and
    :math:`\theta'` has one more.
    """
    field = network.field
    if field.symbols:
        return None
    zero = field.zero
    expressions = network.parameter_expressions()
    for index in range(network.depth - 1):
        layer = network.layers[index]
        following = network.layers[index + 1]
        activation = layer.activation
        if (activation is None or activation.is_identity or not following.has_bias
                or activation.symmetry.scale_set is ScaleSet.AFFINE):
            continue
        for neuron, (weights, bias) in enumerate(layer.rows):
            column = _column(following, neuron)
            if (any(value != zero for value in weights) or all(value == zero for value in column)
                    or activation.exact_value(bias, field) is not None):
                continue
            # NOTE: theta' then contains an expression such as tanh(2), which a theory file
            # cannot state, so this witness cannot be loaded back or re-checked by the kernel.
            value = activation.formula.subs(t, field.to_expr(bias))
            second = {name: [list(row) if isinstance(row, list) else row for row in entries]
                      for name, entries in expressions.items()}
            incoming, outgoing, next_bias = f"W{index + 1}", f"W{index + 2}", f"b{index + 2}"
            second[incoming][neuron] = [sympy.Integer(1)] + [sympy.Integer(0)] * (
                layer.input_dimension - 1)
            for row, weight in enumerate(column):
                second[outgoing][row][neuron] = sympy.Integer(0)
                second[next_bias][row] = second[next_bias][row] + field.to_expr(weight) * value
            if not _symbolic_layers_agree(activation, layer.input_dimension, expressions,
                                          second, index):
                continue
            number = index + 1
            return ParameterWitness(
                f"neuron {neuron + 1} of layer {number} has zero incoming weights, so it is the "
                f"constant {value}, which is not in the exact field of the parameters; that "
                "value times its outgoing weights was moved into the next bias, and the neuron "
                "was given zero outgoing weights and first incoming weight 1 (the function is "
                f"unchanged, proved by expanding layers {number} and {number + 1} "
                "symbolically)",
                {name: nested_strings(entries) for name, entries in second.items()},
                f"no k_i in K_i relates it to theta: every K_i here acts by monomial matrices, "
                f"which keep the number of zero columns of W{number + 1}, and theta' has one "
                "more than theta")
    return None


def _symbolic_layers_agree(activation, width, first, second, index):
    """Prove that layers ``index`` and ``index + 1`` of two parameter dicts compute one map."""
    inputs = sympy.symbols(f"h0:{width}")

    def pre_activation(parameters):
        weights = parameters[f"W{index + 1}"]
        bias = parameters.get(f"b{index + 1}", [0] * len(weights))
        hidden = [activation.formula.subs(t, sum(w * x for w, x in zip(row, inputs)) + b)
                  for row, b in zip(weights, bias)]
        outgoing = parameters[f"W{index + 2}"]
        next_bias = parameters[f"b{index + 2}"]
        return [sum(w * h for w, h in zip(row, hidden)) + b
                for row, b in zip(outgoing, next_bias)]

    return all(sympy.expand(a - b) == 0
               for a, b in zip(pre_activation(first), pre_activation(second)))
