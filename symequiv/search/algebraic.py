r"""The algebraic strategy: visit only grid points where end-to-end equivariance is forced.

End-to-end equivariance :math:`f(\rho_{in}(g) x) = \rho_{out}(g) f(x)` is
imposed as polynomial equations on the free symbols, and the search visits the
grid points on their solution set. Some symbols are enumerated on the grid, and
the others, in which the equations are then linear, are solved for exactly
(:class:`_LinearizedSystem`).

*Polynomial networks* (powers and the identity): :math:`f(\rho_{in}(g) x) -
\rho_{out}(g) f(x)` is a rational function of :math:`x` and the symbols; every
coefficient of its numerator, as a polynomial in :math:`x`, must vanish. These
equations are exactly equivalent to equivariance.

*One hidden layer, other activations*: :math:`f(\rho_{in}(g) x) -
\rho_{out}(g) f(x)` is a sum of terms :math:`C_t \sigma(R_t \cdot X)` plus
:math:`b_2 - b'_2`, with :math:`X = (x, 1)`: the rows :math:`R_t` (with their
bias) of :math:`W_1 \rho_{in}(g)` with coefficients the columns of
:math:`W_2`, and the rows of :math:`W_1` with coefficients minus the columns of
:math:`\rho_{out}(g) W_2` (whose bias is :math:`b'_2`). A *pattern* makes some
neurons dead (their columns of :math:`W_2` vanish) and splits the other terms
into pairs :math:`(t, u)` with :math:`R_t = \epsilon R_u`. With the
activation's negation identity :math:`\sigma(-t) = p\,\sigma(t) + q\,t + r`
the sum vanishes when

* :math:`C_t + C_u = 0` for :math:`\epsilon = 1`, and :math:`p\,C_t + C_u = 0`
  for :math:`\epsilon = -1`;
* the affine terms cancel:
  :math:`b_2 - b'_2 + \sum_{\epsilon = -1} C_t (q\, R_u \cdot X + r) = 0`
  as a polynomial in :math:`x`.

A pair of a transformed and an original neuron is a latent symmetry; pairs
with :math:`\epsilon = -1` under a linear bypass (:math:`p = 1, q \ne 0`, as
for ReLU and GELU), inside one side or across, are where equivariant networks
that are not layerwise equivariant live. These equations are sufficient, not
necessary: three or more terms on one row, or rows equal up to a positive
scale other than 1 (which ReLU allows), are not among the patterns, so the
search visits a part of the equivariant set and can miss counterexamples that
the exhaustive strategy finds.
"""

from __future__ import annotations

import itertools
import math

import flint
import sympy

from symequiv.derivation.polynomial import MAX_MONOMIALS, network_degree
from symequiv.errors import UnsupportedError
from symequiv.search.strategies import CandidateStream, exhaustive_points

MAX_PATTERNS = 20_000
MAX_SYSTEMS = 20_000
# Solutions kept per system, keyed by the values of the symbols in its equations.
MAX_CACHED_SOLUTIONS = 4096

_ZERO = flint.fmpq(0)


def algebraic_stream(template):
    r"""Return the :class:`CandidateStream` of grid points on the equivariant set.

    Raises
    ------
    UnsupportedError
        For networks with more than one hidden layer that are not polynomial.
    """
    network = template.theory.network
    notes = []
    if network.is_polynomial:
        systems = [_polynomial_equations(network, template.theory.action)]
        notes.append("equations: the coefficients of f(g x) - g f(x), exact for polynomial "
                     "networks")
    elif network.depth == 2:
        systems, pattern_notes = _pattern_systems(network, template.theory.action)
        notes.extend(pattern_notes)
    else:
        raise UnsupportedError(
            f"the algebraic strategy handles polynomial networks and networks with one "
            f"hidden layer; this network has {network.depth - 1} hidden layers "
            f"({', '.join(layer.label for layer in network.hidden_layers)}); use the "
            "exhaustive or random strategy")
    equalities = [constraint.equation for constraint in template.settings.constraints
                  if constraint.relation == "="]
    linearized = _systems_with_constraints(systems, equalities, template.symbols)
    domains = template.settings.domains
    points = _distinct(_round_robin([system.points(domains) for system in linearized]))
    return CandidateStream(points, None, tuple(notes))


# -- equations -------------------------------------------------------------------


def _apply_map(affine_map, vector):
    field = affine_map.field
    return [sum((field.to_expr(entry) * value for entry, value in zip(row, vector)),
                field.to_expr(offset))
            for row, offset in zip(affine_map.linear.rows(), affine_map.translation_or_zero())]


def _polynomial_equations(network, action):
    degree = network_degree(network)
    variables = len(network.field.symbols) + network.input_dimension
    if math.comb(variables + degree, degree) > MAX_MONOMIALS:
        raise UnsupportedError(
            f"the polynomial network has degree {degree} in {variables} variables, too many "
            f"monomials (over {MAX_MONOMIALS}) to expand; use the exhaustive or random strategy")
    # The parser never accepts names starting with an underscore, so these cannot
    # collide with a template's symbols.
    inputs = [sympy.Symbol(f"_x{index}") for index in range(network.input_dimension)]
    outputs = network.evaluate_symbolic(inputs)
    equations = []
    for generator in action.generators:
        moved = network.evaluate_symbolic(_apply_map(action.input[generator], inputs))
        expected = _apply_map(action.output[generator], outputs)
        for left, right in zip(moved, expected):
            numerator, _ = sympy.fraction(sympy.cancel(sympy.together(left - right)))
            numerator = sympy.expand(numerator)
            if numerator != 0:
                equations.extend(sympy.Poly(numerator, *inputs).coeffs())
    return _normalized(equations)


def _normalized(equations):
    """Return the equations expanded, without zeros and with fixed signs.

    Returns None when an equation is a nonzero constant, which no point satisfies.
    """
    result = set()
    for equation in equations:
        expression = sympy.expand(equation)
        if expression == 0:
            continue
        if not expression.free_symbols:
            return None
        if expression.could_extract_minus_sign():
            expression = -expression
        result.add(expression)
    return frozenset(result)


def _pattern_systems(network, action):
    """Return one equation system per pattern and generator combination, and notes."""
    hidden, output = network.layers
    negation = hidden.activation.symmetry.negation
    signs = (1, -1) if negation is not None else (1,)
    per_generator = []
    notes = []
    for generator in action.generators:
        systems, truncated = _generator_patterns(hidden, output, action.input[generator],
                                                 action.output[generator], negation, signs)
        if truncated:
            notes.append(f"generator {generator}: only the first {MAX_PATTERNS} patterns "
                         "were formed")
        per_generator.append(sorted(systems, key=_system_order))
    combined = set()
    for choice in itertools.product(*per_generator):
        system = _normalized(itertools.chain.from_iterable(choice))
        if system is not None:
            combined.add(system)
        if len(combined) >= MAX_SYSTEMS:
            notes.append(f"only the first {MAX_SYSTEMS} combinations of patterns were formed")
            break
    width = hidden.output_dimension
    sign_text = "+-1" if len(signs) == 2 else "1"
    notes.append(f"equations: term patterns of the hidden layer (dead neurons, and pairs of "
                 f"the {2 * width} terms with rows equal up to {sign_text}); {len(combined)} "
                 "distinct system(s)")
    return sorted(combined, key=_system_order), notes


def _system_order(system):
    return (len(system), sorted(str(equation) for equation in system))


def _generator_patterns(hidden, output, input_map, output_map, negation, signs):
    r"""Return the equation systems of every pattern for one generator, and a truncation flag.

    The terms are :math:`c_j \sigma(a_j \cdot X)` (:math:`j < d`) and
    :math:`-c'_k \sigma(r_k \cdot X)`; a pattern makes some neurons dead and
    splits the other terms into pairs with equal or opposite rows.
    """
    field = hidden.field

    def expr(entry):
        return field.to_expr(entry)

    width = hidden.output_dimension
    moved_output = output.postcompose(output_map)
    rows = [[expr(entry) for entry in row] + [expr(bias)]
            for row, bias in hidden.precompose(input_map).rows]
    rows += [[expr(entry) for entry in row] + [expr(bias)] for row, bias in hidden.rows]
    coefficients = [[expr(row[neuron]) for row in output.weights] for neuron in range(width)]
    coefficients += [[-expr(row[neuron]) for row in moved_output.weights]
                     for neuron in range(width)]
    bias_difference = [expr(a) - expr(b) for a, b in zip(output.bias, moved_output.bias)]
    p, q, r = ((negation.p, negation.q, negation.r) if negation is not None
               else (sympy.Integer(1), sympy.Integer(0), sympy.Integer(0)))

    # The equations of one pair (t, u, sign), checked once for a constant contradiction:
    # equal rows up to the sign, and a vanishing coefficient of sigma(r_u . X).
    pair_equations = {}
    for first, second in itertools.combinations(range(2 * width), 2):
        for sign in signs:
            factor = p if sign == -1 else 1
            equations = [a - sign * b for a, b in zip(rows[first], rows[second])]
            equations += [factor * a + b for a, b in
                          zip(coefficients[first], coefficients[second])]
            pair_equations[first, second, sign] = _normalized(equations)
    dead_equations = {j: _normalized(coefficients[j]) for j in range(width)}

    systems = set()
    count = 0
    for dead_count in range(width + 1):
        for dead in itertools.combinations(range(width), dead_count):
            if any(dead_equations[j] is None for j in dead):
                continue
            alive = [term for term in range(2 * width) if term % width not in dead]
            base = list(itertools.chain.from_iterable(dead_equations[j] for j in dead))
            for pairs in _matchings(alive, signs, pair_equations):
                count += 1
                if count > MAX_PATTERNS:
                    return systems, True
                equations = list(base)
                for pair in pairs:
                    equations.extend(pair_equations[pair])
                equations.extend(_affine_equations(pairs, rows, coefficients, bias_difference,
                                                   q, r))
                system = _normalized(equations)
                if system is not None:
                    systems.add(system)
    return systems, False


def _matchings(terms, signs, pair_equations):
    """Yield the splittings of ``terms`` into signed pairs without a constant contradiction."""
    if not terms:
        yield ()
        return
    first, rest = terms[0], terms[1:]
    for position, second in enumerate(rest):
        remaining = rest[:position] + rest[position + 1:]
        for sign in signs:
            if pair_equations[first, second, sign] is None:
                continue
            for pairs in _matchings(remaining, signs, pair_equations):
                yield ((first, second, sign),) + pairs


def _affine_equations(pairs, rows, coefficients, bias_difference, q, r):
    r"""Return the equations that make :math:`b_2 - b'_2 + \sum C_t (q\, R_u \cdot X + r)` vanish.

    The sum runs over the pairs :math:`(t, u)` with opposite rows, where
    :math:`C_t \sigma(R_t \cdot X) = C_t (p\,\sigma(R_u \cdot X) + q\, R_u \cdot X + r)`.
    """
    inputs = len(rows[0]) - 1
    equations = []
    for output_index, difference in enumerate(bias_difference):
        linear = [sympy.Integer(0)] * inputs
        constant = difference
        for first, second, sign in pairs:
            if sign != -1:
                continue
            coefficient = coefficients[first][output_index]
            for index in range(inputs):
                linear[index] += q * coefficient * rows[second][index]
            constant += q * coefficient * rows[second][-1] + r * coefficient
        equations.extend(linear)
        equations.append(constant)
    return equations


# -- solutions -------------------------------------------------------------------


class _LinearizedSystem:
    r"""A polynomial system split into enumerated symbols and symbols solved for exactly.

    The *determined* symbols are chosen so that no monomial contains two of them or
    a power of one. Once the other symbols take grid values, the equations are
    linear in the determined ones, and the exact reduced row echelon form
    (python-flint's ``fmpq_mat.rref``) gives every solution. Nonlinear systems
    thus never reach a symbolic solver.

    Parameters
    ----------
    equations : sequence of tuple
        Each equation as its terms ``(exponents, coefficient)``, from :func:`_terms`.
    size : int
        The number of symbols.
    """

    def __init__(self, equations, size):
        self.equations = tuple(equations)
        self.size = size
        self.determined = self._choose_determined()
        determined = set(self.determined)
        # The solution depends only on the enumerated symbols that occur in an equation.
        self.involved = tuple(sorted(
            {position for terms in self.equations for monomial, _ in terms
             for position, power in enumerate(monomial) if power} - determined))

    def _choose_determined(self):
        # Symbols in more equations first: each one solved for is one fewer to enumerate.
        counts = [sum(1 for terms in self.equations if any(monomial[position]
                                                           for monomial, _ in terms))
                  for position in range(self.size)]
        chosen = []
        for position in sorted(range(self.size), key=lambda index: (-counts[index], index)):
            if counts[position] == 0:
                continue
            trial = chosen + [position]
            if all(sum(monomial[index] for index in trial) <= 1
                   for terms in self.equations for monomial, _ in terms):
                chosen = trial
        return tuple(sorted(chosen))

    def points(self, domains):
        """Yield the grid points that satisfy every equation, smallest enumerated values first.

        NOTE: every grid point of the enumerated symbols costs one exact solve, even
        where the equations have no solution on the grid. A system with many
        enumerated symbols can therefore take long between points, and hidden widths
        of 4 and more give thousands of such systems.
        """
        determined = self.determined
        exact = {value: flint.fmpq(value.numerator, value.denominator)
                 for domain in domains for value in domain.values}
        fixed = {position: domains[position].values[0] for position in determined}
        completions = {}
        for point in exhaustive_points(domains, fixed):
            key = tuple(point[position] for position in self.involved)
            if key not in completions:
                if len(completions) >= MAX_CACHED_SOLUTIONS:
                    completions.clear()
                completions[key] = self._completions(point, domains, exact)
            for solved in completions[key]:
                values = list(point)
                for position, value in zip(determined, solved):
                    values[position] = value
                yield tuple(values)

    def _completions(self, point, domains, exact):
        """Return the values of the determined symbols, on their grid, that solve the equations."""
        determined = self.determined
        solution = _solve_linear(self._linear_rows(point, exact), len(determined))
        if solution is None:
            return ()
        pivots, free = solution
        allowed = [{exact[value]: value for value in domains[position].values}
                   for position in determined]
        free_domains = [domains[determined[column]] for column in free]
        result = []
        for free_values in exhaustive_points(free_domains):
            solved = [None] * len(determined)
            for column, value in zip(free, free_values):
                solved[column] = exact[value]
            for column, (constant, coefficients) in pivots.items():
                total = constant
                for index, coefficient in coefficients:
                    total -= coefficient * exact[free_values[index]]
                solved[column] = total
            if all(value in allowed[column] for column, value in enumerate(solved)):
                result.append(tuple(allowed[column][value]
                                    for column, value in enumerate(solved)))
        return tuple(result)

    def _linear_rows(self, point, exact):
        """Substitute the enumerated values; returns the rows ``[c_1, ..., c_k, constant]``."""
        column_of = {position: column for column, position in enumerate(self.determined)}
        width = len(self.determined) + 1
        rows = []
        for terms in self.equations:
            row = [_ZERO] * width
            for monomial, coefficient in terms:
                value = coefficient
                column = width - 1
                for position, power in enumerate(monomial):
                    if not power:
                        continue
                    if position in column_of:
                        column = column_of[position]
                    else:
                        value *= exact[point[position]] ** power
                row[column] += value
            rows.append(row)
        return rows


def _terms(equation, generators):
    """Return the terms ``(exponents, coefficient)`` of a polynomial equation."""
    polynomial = sympy.Poly(equation, *generators, domain="QQ")
    return tuple((tuple(int(power) for power in monomial),
                  flint.fmpq(int(coefficient.numerator), int(coefficient.denominator)))
                 for monomial, coefficient in polynomial.terms())


def _solve_linear(rows, unknowns):
    r"""Solve :math:`A y + c = 0` exactly, by the reduced row echelon form (python-flint).

    Returns
    -------
    tuple or None
        None when inconsistent; otherwise ``(pivots, free)``: ``pivots`` maps a
        pivot column to ``(constant, ((free index, coefficient), ...))`` with
        :math:`y_{pivot} = constant - \sum coefficient \cdot y_{free}`, and
        ``free`` lists the free columns.
    """
    if not rows:
        return {}, list(range(unknowns))
    width = unknowns + 1
    matrix = flint.fmpq_mat(len(rows), width, [entry for row in rows for entry in row])
    reduced, rank = matrix.rref()
    pivot_columns = []
    for index in range(rank):
        column = next(column for column in range(width) if reduced[index, column] != 0)
        if column == unknowns:
            return None
        pivot_columns.append(column)
    free = [column for column in range(unknowns) if column not in pivot_columns]
    pivots = {}
    for index, column in enumerate(pivot_columns):
        pivots[column] = (-reduced[index, unknowns], tuple(
            (position, reduced[index, free_column]) for position, free_column in enumerate(free)
            if reduced[index, free_column] != 0))
    return pivots, free


def _systems_with_constraints(systems, equalities, names):
    """Attach the constraint equalities to every system and linearize them, without repeats."""
    generators = [sympy.Symbol(name, real=True) for name in names]
    extra = {sympy.expand(equation) for equation in equalities}
    terms = {}
    linearized = {}
    for system in systems:
        if system is None:
            # A constant equation such as 1 = 0: no point of the family is equivariant.
            continue
        equations = frozenset(system) | extra
        if equations in linearized:
            continue
        for equation in equations:
            if equation not in terms:
                terms[equation] = _terms(equation, generators)
        linearized[equations] = _LinearizedSystem(
            [terms[equation] for equation in sorted(equations, key=str)], len(names))
    return [linearized[key] for key in sorted(linearized, key=_system_order)]


def _distinct(points):
    """Yield each point once, because the solution sets of different patterns overlap."""
    seen = set()
    for point in points:
        key = ",".join(f"{value.numerator}/{value.denominator}" for value in point)
        if key not in seen:
            seen.add(key)
            yield point


def _round_robin(iterators):
    """Yield from each iterator in turn, so that every system's small points come early."""
    active = list(iterators)
    while active:
        still_active = []
        for iterator in active:
            try:
                yield next(iterator)
            except StopIteration:
                continue
            still_active.append(iterator)
        active = still_active
