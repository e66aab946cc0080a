r"""Exact zero tests for sums of neurons, through the activation's identities.

A one-hidden-layer map is a sum :math:`\sum_j c_j\,\sigma(w_j \cdot h + b_j) + M h + v`
with vector coefficients :math:`c_j`. The identities of :math:`\sigma` rewrite
each term into a normal form:

* *orientation*: when :math:`\sigma(-t) = p\,\sigma(t) + q\,t + r`, a term whose
  row :math:`(w_j, b_j)` has a negative leading entry becomes
  :math:`p\,c_j\,\sigma(-w_j \cdot h - b_j)` plus the affine term
  :math:`c_j(-q\,(w_j \cdot h + b_j) + r)`; a linear bypass thus turns a pair
  of opposite neurons into an affine map;
* *scale*: when :math:`\sigma` is positively homogeneous of degree :math:`m`,
  the row is divided by the absolute value of its leading entry and the
  coefficient multiplied by its :math:`m`-th power;
* constant neurons with an exact value join the affine part, and the identity
  activation is affine throughout.

Terms with the same normal row are added up. If every summed coefficient and
the affine part vanish, the map is identically zero: a proof. The converse
needs linear independence of the neurons, which is not assumed here, so a
nonzero normal form proves nothing.
"""

from __future__ import annotations


def _add_scaled(target, coefficients, vector):
    for row_index, coefficient in enumerate(coefficients):
        if not coefficient:
            continue
        row = target[row_index]
        for column, entry in enumerate(vector):
            row[column] += coefficient * entry


def combination_vanishes(activation, field, terms, affine_rows, affine_vector):
    r"""Return True when the normal form of the combination is zero.

    Parameters
    ----------
    activation : Activation
    field : ExactField
    terms : iterable of (coefficients, weights, bias)
        The term :math:`c\,\sigma(w \cdot h + b)`; ``coefficients`` has one entry
        per output coordinate.
    affine_rows : list of lists
        :math:`M`, updated in place.
    affine_vector : list
        :math:`v`, updated in place.

    Returns
    -------
    bool
        True proves the combination is identically zero; False proves nothing.
    """
    zero = field.zero
    symmetry = activation.symmetry
    negation = symmetry.negation
    collected = {}
    for coefficients, weights, bias in terms:
        coefficients = list(coefficients)
        if all(value == zero for value in coefficients):
            continue
        if activation.is_identity:
            _add_scaled(affine_rows, coefficients, weights)
            _add_affine_constant(affine_vector, coefficients, bias)
            continue
        if all(value == zero for value in weights):
            value = activation.exact_value(bias, field)
            if value is not None:
                _add_affine_constant(affine_vector, coefficients, value)
                continue
        row = list(weights) + [bias]
        lead = next(value for value in row if value != zero) if any(
            value != zero for value in row) else None
        if lead is None:
            value = activation.exact_value(zero, field)
            if value is None:
                key = ("zero",)
                _collect(collected, key, coefficients, zero)
                continue
            _add_affine_constant(affine_vector, coefficients, value)
            continue
        if negation is not None and field.canonical_sign(lead) < 0:
            p, q, r = (field.convert(negation.p), field.convert(negation.q),
                       field.convert(negation.r))
            # sigma(z) = p sigma(-z) + q (-z) + r, the identity taken at -z.
            _add_scaled(affine_rows, [-q * value for value in coefficients], weights)
            _add_affine_constant(affine_vector, coefficients, r - q * bias)
            coefficients = [p * value for value in coefficients]
            row = [-value for value in row]
            lead = -lead
        if symmetry.homogeneity is not None:
            constant = field.leading_constant(lead)
            magnitude = constant if field.canonical_sign(constant) > 0 else -constant
            row = [value / magnitude for value in row]
            factor = magnitude ** symmetry.homogeneity
            coefficients = [factor * value for value in coefficients]
        _collect(collected, tuple(row), coefficients, zero)
    if any(any(value != zero for value in total) for total in collected.values()):
        return False
    if any(any(value != zero for value in row) for row in affine_rows):
        return False
    return all(value == zero for value in affine_vector)


def _add_affine_constant(vector, coefficients, constant):
    for index, coefficient in enumerate(coefficients):
        vector[index] += coefficient * constant


def _collect(collected, key, coefficients, zero):
    total = collected.setdefault(key, [zero] * len(coefficients))
    for index, value in enumerate(coefficients):
        total[index] += value


def one_hidden_layer_terms(hidden, output, sign):
    r"""Return the terms of :math:`\pm W_2\,\sigma(W_1 h + b_1)`.

    Each term is ``(coefficients, weights, bias)``.
    """
    columns = list(zip(*output.weights)) if output.weights else []
    for (weights, bias), column in zip(hidden.rows, columns):
        coefficients = column if sign > 0 else tuple(-value for value in column)
        yield coefficients, weights, bias


def tails_agree(first, second):
    r"""Prove that two one-hidden-layer maps :math:`h \mapsto f_2(f_1(h))` are equal.

    Parameters
    ----------
    first, second : tuple of (DenseLayer, DenseLayer)
        ``(hidden, output)`` pairs with the same activation and dimensions; the
        output layers are affine.

    Returns
    -------
    bool
        True proves equality; False proves nothing.
    """
    hidden, output = first
    other_hidden, other_output = second
    field = hidden.field
    activation = hidden.activation
    if activation is None or other_hidden.activation != activation:
        return False
    zero = field.zero
    affine_rows = [[zero] * hidden.input_dimension for _ in range(output.output_dimension)]
    affine_vector = [a - b for a, b in zip(output.bias, other_output.bias)]
    terms = list(one_hidden_layer_terms(hidden, output, 1))
    terms += list(one_hidden_layer_terms(other_hidden, other_output, -1))
    return combination_vanishes(activation, field, terms, affine_rows, affine_vector)
