r"""Exact fibers of small polynomial networks: every parameter with the same function as theta.

For hidden activations :math:`t^m` (:math:`m \ge 2`) the network is a
polynomial map, and :math:`f(\,\cdot\,; \theta') = f(\,\cdot\,; \theta)` is a
system of polynomial equations in :math:`\theta'`: the coefficients of
:math:`f(x; \theta') - f(x; \theta)` in :math:`x`. Its solution set is the
*fiber* of :math:`\theta`.

The latent group scales each neuron by any :math:`c \ne 0` (its row by
:math:`c`, its outgoing column by :math:`c^{-m}`), so the fiber is never
finite. Normalizing every row of :math:`\theta'` so that its first nonzero
entry is 1 picks one point of each scaling orbit. Rows that are entirely zero
(a neuron computing 0) are a case of their own, with their outgoing column set
to 0. Every normalization pattern is one *case*, and in each case the system is
solved with a Groebner basis over :math:`\mathbb{Q}` (sympy). The normalized
:math:`K`-orbit of :math:`\theta` is a finite set :math:`O` of rational points
(one per permutation of the hidden neurons).

In a case whose Groebner basis is zero-dimensional, the number of distinct
*real* solutions is the signature of the Hermite trace form
:math:`(f, g) \mapsto \operatorname{tr}(M_{fg})` on the quotient algebra
(:math:`M_h` is multiplication by :math:`h`); the eigenvalues of a symmetric
matrix are real, so Descartes' rule of signs on its characteristic polynomial
counts them exactly. If every case has exactly as many real solutions as
orbit points, the real fiber is the orbit: identifiable, proved. A case with
more proves a parameter outside the orbit. Positive-dimensional cases are cut
with hyperplanes near :math:`\theta` to look for real points outside the
orbit; if none is found the answer is unknown.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass

import sympy
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symequiv.identifiability.hypotheses import CriterionResult, Hypothesis
from symequiv.verdicts import ParameterWitness, Status, StepWitness, Verdict

NAME = "exact fiber (Groebner basis)"
MAX_PARAMETERS = 12
MAX_QUOTIENT_DIMENSION = 80
MAX_CUTS = 4
# Positive-dimensional cases cut with hyperplanes in search of a witness; the rest
# are only counted, because each cut costs several Groebner bases.
MAX_CUT_CASES = 2
# Cutting recomputes a Groebner basis per fixed unknown, which grows quickly with
# the number of unknowns, so only small cases are cut.
MAX_CUT_UNKNOWNS = 6
TIME_BUDGET_SECONDS = 30.0


@dataclass(frozen=True)
class Fiber:
    """The fiber of theta compared with its orbit.

    Attributes
    ----------
    verdict : Verdict
        Proved (the real fiber is the orbit), refuted (a parameter outside it),
        or unknown with the reason.
    orbit_points : int
        Distinct normalized points of the K-orbit.
    cases : int
        Normalization patterns examined.
    real_solutions : int or None
        Real solutions over all zero-dimensional cases, when every case was.
    positive_dimensional : int
        Cases whose solution set has positive dimension over the complex numbers.
    seconds : float
    """

    verdict: Verdict
    orbit_points: int
    cases: int
    real_solutions: int | None
    positive_dimensional: int
    seconds: float

    def to_dict(self):
        return {"verdict": self.verdict.to_dict(), "orbit_points": self.orbit_points,
                "cases": self.cases, "real_solutions": self.real_solutions,
                "positive_dimensional_cases": self.positive_dimensional,
                "seconds": round(self.seconds, 3)}


def applicability(network):
    """Return None when :func:`compute_fiber` applies, else the reason it does not."""
    if network.depth < 2:
        return "the network has no hidden layer"
    for layer in network.hidden_layers:
        activation = getattr(layer, "activation", None)
        degree = None if activation is None else activation.polynomial_degree
        homogeneity = None if activation is None else activation.symmetry.homogeneity
        if degree is None or degree < 2 or homogeneity != degree:
            # NOTE: other polynomial activations, such as t^3 + t, need their own
            # normalization of the neuron scales; their fibers are not computed.
            return "needs a power t^m with m >= 2 in every hidden layer"
    if not network.field.is_rational:
        return "needs rational parameters"
    count = sum(layer.output_dimension * (layer.input_dimension + (1 if layer.has_bias else 0))
                for layer in network.layers)
    if count > MAX_PARAMETERS:
        return (f"the network has {count} parameters; exact fibers are computed for at most "
                f"{MAX_PARAMETERS}")
    zero = network.field.zero
    for number, layer in enumerate(network.hidden_layers, start=1):
        following = network.layers[number]
        for neuron, row in enumerate(layer.rows):
            if all(value == zero for value in row[0]) and row[1] == zero:
                return f"neuron {neuron + 1} of layer {number} is zero"
            if all(weights[neuron] == zero for weights in following.weights):
                return f"neuron {neuron + 1} of layer {number} has zero outgoing weights"
    return None


def check(criterion, network):
    """Compute the fiber for the catalogue when the network is small enough."""
    reason = applicability(network)
    if reason is not None:
        return CriterionResult(criterion, False, reason=reason)
    fiber = compute_fiber(network)
    hypothesis = Hypothesis("(P)", f"power activations, at most {MAX_PARAMETERS} parameters, "
                            "no zero neuron", True)
    verdict = fiber.verdict if fiber.verdict.status is not Status.UNKNOWN else None
    return CriterionResult(criterion, True, (hypothesis,), verdict, fiber.verdict.reason)


# -- the system ----------------------------------------------------------------------------------


class _Unknowns:
    """Symbols for the entries of theta', layer by layer, with their theta values."""

    def __init__(self, network):
        self.network = network
        self.weights = []
        self.biases = []
        for number, layer in enumerate(network.layers, start=1):
            self.weights.append([[sympy.Symbol(f"W{number}_{row}_{column}")
                                  for column in range(layer.input_dimension)]
                                 for row in range(layer.output_dimension)])
            self.biases.append([sympy.Symbol(f"b{number}_{row}") if layer.has_bias
                                else sympy.Integer(0) for row in range(layer.output_dimension)])
        self.symbols = [symbol for matrix in self.weights for row in matrix for symbol in row]
        self.symbols += [symbol for vector in self.biases for symbol in vector
                         if isinstance(symbol, sympy.Symbol)]

    def row(self, layer_index, neuron):
        """Return the unknowns of one neuron's row, bias last when the layer has one."""
        values = list(self.weights[layer_index][neuron])
        if self.network.layers[layer_index].has_bias:
            values.append(self.biases[layer_index][neuron])
        return values

    def evaluate(self, inputs, substitution):
        values = list(inputs)
        for index, layer in enumerate(self.network.layers):
            weights = [[symbol.subs(substitution) for symbol in row]
                       for row in self.weights[index]]
            biases = [symbol.subs(substitution) for symbol in self.biases[index]]
            values = [sum((w * v for w, v in zip(row, values)), bias)
                      for row, bias in zip(weights, biases)]
            if layer.activation is not None:
                degree = layer.activation.polynomial_degree
                values = [value**degree for value in values]
        return values


def _network_values(network):
    """theta as exact sympy rationals, ``{symbol name: value}`` order as in :class:`_Unknowns`."""
    field = network.field
    values = []
    for layer in network.layers:
        values.append(([[field.to_expr(entry) for entry in row] for row in layer.weights],
                       [field.to_expr(entry) for entry in layer.bias]))
    return values


def _normalized_orbit(network, unknowns):
    r"""Return the distinct normalized points of the orbit, as dicts symbol -> rational.

    Permute the hidden neurons, then scale each row so that its first nonzero
    entry is 1, moving :math:`c^{-m}` into the next layer's column.
    """
    layers = _network_values(network)
    hidden = network.depth - 1
    permutations = [itertools.permutations(range(network.widths[index + 1]))
                    for index in range(hidden)]
    points = []
    for choice in itertools.product(*permutations):
        weights = [[list(row) for row in matrix] for matrix, _ in layers]
        biases = [list(vector) for _, vector in layers]
        for index, order in enumerate(choice):
            weights[index] = [weights[index][source] for source in order]
            biases[index] = [biases[index][source] for source in order]
            weights[index + 1] = [[row[source] for source in order]
                                  for row in weights[index + 1]]
        for index in range(hidden):
            degree = network.layers[index].activation.polynomial_degree
            for neuron in range(len(weights[index])):
                row = weights[index][neuron] + ([biases[index][neuron]]
                                                if network.layers[index].has_bias else [])
                lead = next(value for value in row if value != 0)
                weights[index][neuron] = [value / lead for value in weights[index][neuron]]
                biases[index][neuron] = biases[index][neuron] / lead
                for row in weights[index + 1]:
                    row[neuron] = row[neuron] * lead**degree
        point = {}
        for index in range(network.depth):
            for row_symbols, row_values in zip(unknowns.weights[index], weights[index]):
                point.update(zip(row_symbols, row_values))
            for symbol, value in zip(unknowns.biases[index], biases[index]):
                if isinstance(symbol, sympy.Symbol):
                    point[symbol] = value
        if point not in points:
            points.append(point)
    return points


def _cases(network, unknowns):
    """Yield normalization substitutions: per neuron, the first nonzero entry or a zero row."""
    per_neuron = []
    for index in range(network.depth - 1):
        for neuron in range(network.widths[index + 1]):
            row = unknowns.row(index, neuron)
            options = []
            for position in range(len(row)):
                fixed = {symbol: sympy.Integer(0) for symbol in row[:position]}
                fixed[row[position]] = sympy.Integer(1)
                options.append(fixed)
            zero_row = {symbol: sympy.Integer(0) for symbol in row}
            for outgoing in unknowns.weights[index + 1]:
                zero_row[outgoing[neuron]] = sympy.Integer(0)
            options.append(zero_row)
            per_neuron.append(options)
    for combination in itertools.product(*per_neuron):
        substitution = {}
        for part in combination:
            substitution.update(part)
        yield substitution


# -- one case ------------------------------------------------------------------------------------


def _equations(network, unknowns, substitution):
    inputs = [sympy.Symbol(f"x{index}") for index in range(network.input_dimension)]
    theta = dict(_theta_substitution(network, unknowns))
    target = unknowns.evaluate(inputs, theta)
    moved = unknowns.evaluate(inputs, substitution)
    equations = []
    for left, right in zip(moved, target):
        difference = sympy.expand(left - right)
        if difference == 0:
            continue
        equations.extend(sympy.Poly(difference, *inputs).coeffs())
    return equations


def _theta_substitution(network, unknowns):
    layers = _network_values(network)
    for index, (weights, biases) in enumerate(layers):
        for row_symbols, row_values in zip(unknowns.weights[index], weights):
            yield from zip(row_symbols, row_values)
        for symbol, value in zip(unknowns.biases[index], biases):
            if isinstance(symbol, sympy.Symbol):
                yield symbol, value


def _standard_monomials(leading, count):
    """Exponent tuples divisible by no leading monomial (finitely many when zero-dimensional)."""
    found = []
    frontier = [(0,) * count]
    seen = set(frontier)
    while frontier:
        monomial = frontier.pop()
        if any(all(a >= b for a, b in zip(monomial, lead)) for lead in leading):
            continue
        found.append(monomial)
        if len(found) > MAX_QUOTIENT_DIMENSION:
            return None
        for variable in range(count):
            successor = tuple(value + (position == variable)
                              for position, value in enumerate(monomial))
            if successor not in seen:
                seen.add(successor)
                frontier.append(successor)
    return sorted(found)


def _real_solution_count(basis, variables):
    r"""Count the distinct real points of a zero-dimensional ideal (Hermite's trace form).

    Returns None when the quotient algebra is larger than :data:`MAX_QUOTIENT_DIMENSION`.
    """
    leading = [poly.monoms(order="grevlex")[0] for poly in basis.polys]
    standard = _standard_monomials(leading, len(variables))
    if standard is None:
        return None
    index = {monomial: position for position, monomial in enumerate(standard)}
    size = len(standard)

    def monomial_expr(exponents):
        return sympy.Mul(*[variable**power for variable, power in zip(variables, exponents)])

    def multiplication(variable):
        columns = []
        for monomial in standard:
            _, remainder = basis.reduce(variable * monomial_expr(monomial))
            column = [QQ(0)] * size
            if remainder != 0:
                poly = sympy.Poly(remainder, *variables, domain=QQ)
                for exponents, coefficient in zip(poly.monoms(), poly.rep.coeffs()):
                    column[index[exponents]] = coefficient
            columns.append(column)
        rows = [[columns[column][row] for column in range(size)] for row in range(size)]
        return DomainMatrix(rows, (size, size), QQ)

    matrices = [multiplication(variable) for variable in variables]
    identity = DomainMatrix.eye(size, QQ)
    products = {}
    for monomial in standard:
        product = identity
        for matrix, power in zip(matrices, monomial):
            for _ in range(power):
                product = product * matrix
        products[monomial] = product.to_list()
    hermite = [[QQ(0)] * size for _ in range(size)]
    for first in range(size):
        left = products[standard[first]]
        for second in range(first, size):
            right = products[standard[second]]
            trace = sum((left[row][column] * right[column][row]
                         for row in range(size) for column in range(size)), QQ(0))
            hermite[first][second] = hermite[second][first] = trace
    polynomial = DomainMatrix(hermite, (size, size), QQ).charpoly()
    return _descartes(polynomial) - _descartes(
        [coefficient * (-1) ** (len(polynomial) - 1 - position)
         for position, coefficient in enumerate(polynomial)])


def _descartes(coefficients):
    """Sign changes of a coefficient list: the positive roots of a real-rooted polynomial."""
    signs = [1 if value > 0 else -1 for value in coefficients if value != 0]
    return sum(1 for first, second in zip(signs, signs[1:]) if first != second)


@dataclass
class _CaseResult:
    points: int | None = 0  # real solutions, None when not counted
    positive_dimensional: bool = False
    witness: dict | None = None


def _solve_case(network, unknowns, substitution, orbit, rng, cut=True):
    equations = _equations(network, unknowns, substitution)
    variables = [symbol for symbol in unknowns.symbols if symbol not in substitution]
    in_case = [point for point in orbit
               if all(point[symbol] == value for symbol, value in substitution.items())]
    if not variables:
        return _CaseResult(0 if equations else 1)
    if not equations:
        # Every value of the remaining unknowns gives the same function.
        point = dict(substitution)
        point.update({variable: sympy.Rational(rng.randint(1, 9), 7) for variable in variables})
        return _CaseResult(None, True, point)
    basis = sympy.groebner(equations, *variables, order="grevlex", domain=QQ)
    if basis.exprs == [1]:
        return _CaseResult(0)
    if basis.is_zero_dimensional:
        return _CaseResult(_real_solution_count(basis, variables))
    witness = None
    # NOTE: larger positive-dimensional cases are never cut, so their fiber stays
    # unknown unless another case refutes identifiability.
    if cut and len(variables) <= MAX_CUT_UNKNOWNS:
        witness = _cut_for_witness(basis, variables, substitution, in_case, rng)
    return _CaseResult(None, True, witness)


def _cut_for_witness(basis, variables, substitution, in_case, rng):
    """Cut a positive-dimensional case with hyperplanes near theta; return a real point or None.

    Unknowns are fixed one at a time at rationals next to theta's values until
    the system is zero-dimensional; a point is returned only when sympy solves
    it with every coordinate rational, so that it can be checked exactly.
    """
    reference = in_case[0] if in_case else {}
    for _ in range(MAX_CUTS):
        equations = list(basis.exprs)
        fixed = set()
        while len(fixed) < len(variables):
            cut = sympy.groebner(equations, *variables, order="grevlex", domain=QQ)
            if cut.exprs == [1] or cut.is_zero_dimensional:
                break
            variable = rng.choice([item for item in variables if item not in fixed])
            fixed.add(variable)
            offset = sympy.Rational(rng.randint(1, 9), 10)
            equations.append(variable - (reference.get(variable, sympy.Integer(0)) + offset))
        try:
            solutions = sympy.solve(equations, variables, dict=True)
        except (NotImplementedError, PolynomialError, CoercionFailed):
            continue
        for solution in solutions:
            if len(solution) == len(variables) and all(
                    value.is_Rational for value in solution.values()):
                point = dict(substitution)
                point.update(solution)
                return point
    return None


# -- the fiber -----------------------------------------------------------------------------------


def compute_fiber(network, seed=0, time_budget=TIME_BUDGET_SECONDS):
    r"""Compute the real fiber of ``network``'s parameters and compare it with the K-orbit.

    Parameters
    ----------
    network : Network
    seed : int
        Seed of the hyperplane cuts.
    time_budget : float
        Seconds after which the remaining cases are skipped and the verdict is unknown.

    Returns
    -------
    Fiber

    Raises
    ------
    ValueError
        When :func:`applicability` gives a reason.
    """
    reason = applicability(network)
    if reason is not None:
        raise ValueError(reason)
    start = time.perf_counter()
    rng = random.Random(seed)
    unknowns = _Unknowns(network)
    orbit = _normalized_orbit(network, unknowns)
    expected = 1
    for width in network.widths[1:-1]:
        for factor in range(2, width + 1):
            expected *= factor
    cases = 0
    real_total = 0
    positive = 0
    total_cases = 1
    for index in range(network.depth - 1):
        row_length = network.layers[index].input_dimension + network.layers[index].has_bias
        total_cases *= (row_length + 1) ** network.widths[index + 1]
    for substitution in _cases(network, unknowns):
        if time.perf_counter() - start > time_budget:
            return Fiber(Verdict.unknown(
                f"stopped after {time_budget:g} s with {cases} of {total_cases} normalization "
                "cases examined", NAME), len(orbit), cases, None, positive,
                time.perf_counter() - start)
        cases += 1
        result = _solve_case(network, unknowns, substitution, orbit, rng,
                             cut=positive < MAX_CUT_CASES)
        in_case = sum(1 for point in orbit
                      if all(point[symbol] == value for symbol, value in substitution.items()))
        if result.witness is not None:
            verdict = _witness_verdict(network, unknowns, result.witness, orbit)
            if verdict is not None:
                return Fiber(verdict, len(orbit), cases, None, positive + 1,
                             time.perf_counter() - start)
        if result.positive_dimensional:
            positive += 1
            continue
        if result.points is None:
            return Fiber(Verdict.unknown(
                f"a case of the fiber has a quotient algebra larger than "
                f"{MAX_QUOTIENT_DIMENSION}, so its real points were not counted", NAME),
                len(orbit), cases, None, positive, time.perf_counter() - start)
        real_total += result.points
        # The orbit points of this case solve its equations, so they are counted.
        assert result.points >= in_case, (result.points, in_case)
        if result.points > in_case:
            normalized = ", ".join(f"{symbol} = {value}" for symbol, value in substitution.items())
            return Fiber(Verdict.refuted(
                NAME, f"the fiber has {result.points} real points in the case {normalized} "
                f"but the K-orbit only {in_case}, so a parameter outside the orbit has the "
                "same function", StepWitness(
                    f"Hermite's trace form counts {result.points} real solutions in the case "
                    f"{normalized}; the orbit has {in_case} there")),
                len(orbit), cases, real_total, positive, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if positive:
        return Fiber(Verdict.unknown(
            f"{positive} normalization case(s) of the fiber have positive dimension over the "
            "complex numbers, and no real point outside the orbit was found in them", NAME),
            len(orbit), cases, None, positive, seconds)
    if len(orbit) < expected:
        return Fiber(Verdict.refuted(
            NAME, f"only {len(orbit)} of the {expected} permutations of the hidden neurons give "
            "different normalized parameters, so the relating k_i are not unique",
            StepWitness("two permutations of the hidden neurons fix theta")),
            len(orbit), cases, real_total, positive, seconds)
    return Fiber(Verdict.proved(
        NAME, f"after normalizing every neuron's row (first nonzero entry 1), the real fiber has "
        f"exactly the {len(orbit)} points of the K-orbit, counted in {cases} cases by Groebner "
        "bases over Q and Hermite's trace form; each is reached by a unique k"),
        len(orbit), cases, real_total, positive, seconds)


def _witness_verdict(network, unknowns, point, orbit):
    """Check a candidate point exactly; return a refutation or None."""
    if point in orbit:
        return None
    inputs = [sympy.Symbol(f"x{index}") for index in range(network.input_dimension)]
    theta = dict(_theta_substitution(network, unknowns))
    left = unknowns.evaluate(inputs, point)
    right = unknowns.evaluate(inputs, theta)
    if any(sympy.expand(a - b) != 0 for a, b in zip(left, right)):
        return None
    parameters = {}
    for index in range(1, network.depth + 1):
        parameters[f"W{index}"] = [[str(symbol.subs(point)) for symbol in row]
                                   for row in unknowns.weights[index - 1]]
        parameters[f"b{index}"] = [str(symbol.subs(point)) for symbol in unknowns.biases[index - 1]]
    witness = ParameterWitness(
        "a point of the fiber found by cutting a positive-dimensional case with hyperplanes "
        "(f(x; theta') - f(x; theta) expands to 0)", parameters,
        "its normalized rows differ from every normalized point of the K-orbit")
    return Verdict.refuted(NAME, "the fiber contains a parameter outside the K-orbit", witness)
