r"""Multi-head self-attention on a sequence of tokens, with exact matching of heads.

Glossary: :math:`n` tokens of :math:`d` features, stored token-major; :math:`h`
heads; head :math:`i` has query and key maps :math:`Q_i, K_i` of shape
:math:`d_k \times d` and a value map :math:`V_i` of shape :math:`d_v \times d`.
With :math:`z_t = x_t (+ e_t)` the layer outputs, for each token :math:`r`, the
concatenation over heads of

.. math::  \sum_j \operatorname{softmax}_j\big(z_r^\top B_i z_j + S_i[r, j]\big)\, V_i z_j,
           \qquad B_i = Q_i^\top K_i,

so the output has :math:`n\,h\,d_v` coordinates (token-major, heads in order
within a token). Positional information is optional: ``positions = "none"``,
``"bias"`` (a learned :math:`n \times n` score bias :math:`S_i` per head, as in
relative-position attention) or ``"absolute"`` (a learned :math:`n \times d`
encoding :math:`E` added to the input, :math:`z_t = x_t + e_t`). The
:math:`1/\sqrt{d_k}` scaling of scores is taken into :math:`Q_i`, so every
parameter stays exact.

Symmetry lives in the bilinear forms :math:`B_i` and the value maps: the
:math:`GL(d_k)` inside each query-key pair leaves :math:`B_i` unchanged, and
the latent group :math:`K = GL(d_v)^h \rtimes S_h` acts on each token's
concatenated head outputs by a basis change :math:`A_i` inside each head and a
permutation :math:`\pi` of the heads: :math:`V'_{\pi(i)} = A_i V_i`. Softmax is
never compared numerically: two layers are related by :math:`k \in K` exactly
when, for every head with :math:`V_i \ne 0`, :math:`B'_{\pi(i)} = B_i`, the
score biases agree up to a constant in each row (softmax ignores those), and
:math:`V'_{\pi(i)} = A_i V_i`; heads with :math:`V_i = 0` output zero whatever
:math:`B_i` is. The converse holds for :math:`n \ge 2`: putting one token
:math:`x` among zero tokens and scaling it shows :math:`V'_{\pi(i)} = A_i V_i`
and equal quadratic forms, and two distinct tokens then separate the full
bilinear forms, because a softmax weight is strictly monotone in its score.

Adjunction: a map :math:`P \otimes M` on the input (tokens moved by :math:`P`,
the same feature map :math:`M` on every token) gives
:math:`f(P \otimes M\, x;\ \theta) = (P \otimes I)\, f(x;\ \theta')` with
:math:`Q'_i = Q_i M`, :math:`K'_i = K_i M`, :math:`V'_i = V_i M`,
:math:`S'_i[r, j] = S_i[P(r), P(j)]` and :math:`e'_t = M^{-1}(e_{P(t)} + t_{P(t)})`
for a translation :math:`t`. The token permutation passes through to the
output (generalized adjunction) and reaches the next layer.
"""

from __future__ import annotations

import itertools
from functools import cached_property

import numpy

from symequiv.actions.maps import AffineMap, identity_affine, linear_map
from symequiv.actions.notation import permutation_cycles
from symequiv.actions.tokens import factor_tokens, lift_tokens, token_linear, tokens_identity
from symequiv.errors import ShapeError
from symequiv.exact import linalg
from symequiv.models.dense import _invertible_solution
from symequiv.models.layer import Absorption, LatentElement, LatentGroup, Layer, Match
from symequiv.models.tokenwise import describe_token_permutation

POSITIONS = ("none", "bias", "absolute")
MAX_ALTERNATIVES = 256
MAX_PRINTED_BLOCK = 8


class AttentionLatentGroup(LatentGroup):
    r""":math:`GL(d_v)^h \rtimes S_h` on each token's concatenated head outputs."""

    def __init__(self, layer):
        self.layer = layer

    @property
    def name(self):
        layer = self.layer
        return (f"GL({layer.value_dimension})^{layer.heads} x| S_{layer.heads} (a basis change "
                f"inside each head and a permutation of the heads), alike on each of "
                f"{layer.tokens} tokens")

    def contains(self, element):
        return self.layer.decompose_latent(element) is not None


class AttentionLayer(Layer):
    r"""Multi-head self-attention with exact parameters.

    Parameters
    ----------
    field : ExactField
    tokens, features : int
        :math:`n \ge 2` and :math:`d`.
    query, key : sequence of matrices
        :math:`Q_i, K_i`, one :math:`d_k \times d` matrix (by rows) per head.
    value : sequence of matrices
        :math:`V_i`, one :math:`d_v \times d` matrix per head.
    positions : str
        ``"none"``, ``"bias"`` or ``"absolute"``.
    position_parameters : sequence or None
        The :math:`h` score biases (each :math:`n \times n`) for ``"bias"``, the
        :math:`n \times d` encoding :math:`E` for ``"absolute"``.
    """

    def __init__(self, field, tokens, features, query, key, value, positions="none",
                 position_parameters=None):
        self.field = field
        self.tokens = tokens
        self.features = features
        self.query = _matrices(query)
        self.key = _matrices(key)
        self.value = _matrices(value)
        self.positions = positions
        self.heads = len(self.query)
        if positions not in POSITIONS:
            raise ShapeError(f"unknown positions {positions!r}; expected one of {POSITIONS}")
        if tokens < 2:
            raise ShapeError(f"attention needs at least 2 tokens, got {tokens}")
        if self.heads < 1 or len(self.key) != self.heads or len(self.value) != self.heads:
            raise ShapeError(f"attention needs the same number of query, key and value maps, "
                             f"got {len(self.query)}, {len(self.key)} and {len(self.value)}")
        self.key_dimension = len(self.query[0])
        self.value_dimension = len(self.value[0])
        for name, maps, rows in (("query", self.query, self.key_dimension),
                                 ("key", self.key, self.key_dimension),
                                 ("value", self.value, self.value_dimension)):
            for head, matrix in enumerate(maps, start=1):
                if len(matrix) != rows or any(len(row) != features for row in matrix):
                    raise ShapeError(f"the {name} map of head {head} must be {rows} x "
                                     f"{features}")
        self.position_parameters = None
        if positions == "bias":
            self.position_parameters = _matrices(position_parameters)
            if len(self.position_parameters) != self.heads or any(
                    len(matrix) != tokens or any(len(row) != tokens for row in matrix)
                    for matrix in self.position_parameters):
                raise ShapeError(f"score biases must be {self.heads} matrices of {tokens} x "
                                 f"{tokens}")
        elif positions == "absolute":
            self.position_parameters = tuple(tuple(row) for row in position_parameters)
            if len(self.position_parameters) != tokens or any(
                    len(row) != features for row in self.position_parameters):
                raise ShapeError(f"the positional encoding must be {tokens} x {features}")
        elif position_parameters is not None:
            raise ShapeError('an attention layer with positions = "none" takes no positional '
                             "parameters")
        self.input_dimension = tokens * features
        self.output_dimension = tokens * self.heads * self.value_dimension

    @property
    def kind(self):
        return "attention"

    @property
    def label(self):
        extra = {"none": "", "bias": ", positional score biases",
                 "absolute": ", absolute positional encoding"}[self.positions]
        heads = "1 head" if self.heads == 1 else f"{self.heads} heads"
        return f"attention ({heads}{extra})"

    def __repr__(self):
        return (f"AttentionLayer({self.tokens} tokens x {self.features}, {self.heads} heads, "
                f"d_k={self.key_dimension}, d_v={self.value_dimension}, {self.positions})")

    def parameters(self):
        result = {"WQ": self.query, "WK": self.key, "WV": self.value}
        if self.positions == "bias":
            result["S"] = self.position_parameters
        elif self.positions == "absolute":
            result["E"] = self.position_parameters
        return result

    def _replace(self, field=None, query=None, key=None, value=None, position_parameters=None):
        return AttentionLayer(
            field or self.field, self.tokens, self.features,
            self.query if query is None else query, self.key if key is None else key,
            self.value if value is None else value, self.positions,
            self.position_parameters if position_parameters is None else position_parameters)

    def same_parameters(self, other):
        return (isinstance(other, AttentionLayer) and other.positions == self.positions
                and self.parameters() == other.parameters())

    def convert_parameters(self, field, convert):
        def each(value):
            if isinstance(value, tuple):
                return tuple(each(item) for item in value)
            return convert(value)

        return AttentionLayer(field, self.tokens, self.features, each(self.query),
                              each(self.key), each(self.value), self.positions,
                              None if self.position_parameters is None
                              else each(self.position_parameters))

    # -- the invariants that matching compares ------------------------------------------

    @cached_property
    def forms(self):
        r"""The bilinear forms :math:`B_i = Q_i^\top K_i`, one :math:`d \times d` matrix a head."""
        return tuple(linalg.multiply(self.field, linalg.transpose(query), key,
                                     self.key_dimension)
                     for query, key in zip(self.query, self.key))

    @cached_property
    def normalized_biases(self):
        """Each head's score biases minus each row's first entry, which softmax cannot see."""
        if self.positions != "bias":
            return (None,) * self.heads
        return tuple(tuple(tuple(entry - row[0] for entry in row) for row in matrix)
                     for matrix in self.position_parameters)

    @cached_property
    def live_heads(self):
        zero = self.field.zero
        return tuple(any(entry != zero for row in value for entry in row)
                     for value in self.value)

    def head_key(self, head):
        """Return the invariants of a head that a latent element preserves, as a hashable key."""
        return (_hashable(self.field, self.forms[head]),
                _hashable(self.field, self.normalized_biases[head]))

    # -- evaluation ------------------------------------------------------------------

    def _float(self, matrices):
        return numpy.array([[[float(self.field.to_arb(entry).mid()) for entry in row]
                             for row in matrix] for matrix in matrices], dtype=float)

    @cached_property
    def _float_parameters(self):
        query = self._float(self.query)
        key = self._float(self.key)
        value = self._float(self.value)
        biases = None
        encoding = None
        if self.positions == "bias":
            biases = self._float(self.position_parameters)
        elif self.positions == "absolute":
            encoding = self._float([self.position_parameters])[0]
        return query, key, value, biases, encoding

    def evaluate_numpy(self, inputs):
        inputs = numpy.asarray(inputs, dtype=float)
        batch = inputs.shape[0]
        tokens = inputs.reshape(batch, self.tokens, self.features)
        query, key, value, biases, encoding = self._float_parameters
        if encoding is not None:
            tokens = tokens + encoding
        outputs = []
        for head in range(self.heads):
            queries = tokens @ query[head].T
            keys = tokens @ key[head].T
            scores = queries @ keys.transpose(0, 2, 1)
            if biases is not None:
                scores = scores + biases[head]
            scores = scores - scores.max(axis=2, keepdims=True)
            weights = numpy.exp(scores)
            weights = weights / weights.sum(axis=2, keepdims=True)
            outputs.append(weights @ (tokens @ value[head].T))
        return numpy.concatenate(outputs, axis=2).reshape(batch, self.output_dimension)

    def _tokens_of(self, vector, constant):
        size = self.features
        tokens = [list(vector[index * size:(index + 1) * size]) for index in range(self.tokens)]
        if self.positions == "absolute":
            tokens = [[value + constant(entry) for value, entry in zip(token, encoding)]
                      for token, encoding in zip(tokens, self.position_parameters)]
        return tokens

    def _evaluate(self, vector, constant, exp, zero):
        tokens = self._tokens_of(vector, constant)

        def apply(matrix, token):
            return [sum((constant(entry) * value for entry, value in zip(row, token)
                         if entry != self.field.zero), zero) for row in matrix]

        outputs = [[] for _ in range(self.tokens)]
        for head in range(self.heads):
            queries = [apply(self.query[head], token) for token in tokens]
            keys = [apply(self.key[head], token) for token in tokens]
            values = [apply(self.value[head], token) for token in tokens]
            for row in range(self.tokens):
                scores = [sum((a * b for a, b in zip(queries[row], keys[column])), zero)
                          for column in range(self.tokens)]
                if self.positions == "bias":
                    scores = [score + constant(bias) for score, bias in
                              zip(scores, self.position_parameters[head][row])]
                weights = [exp(score) for score in scores]
                total = sum(weights[1:], weights[0])
                for coordinate in range(self.value_dimension):
                    outputs[row].append(sum((weight * value[coordinate] for weight, value
                                             in zip(weights, values)), zero) / total)
        return [value for token in outputs for value in token]

    def evaluate_arb(self, vector, substitutions=None):
        import flint

        return self._evaluate(vector, lambda entry: self.field.to_arb(entry, substitutions),
                              lambda value: value.exp(), flint.arb(0))

    def evaluate_symbolic(self, vector):
        import sympy

        return self._evaluate(list(vector), self.field.to_expr, sympy.exp, sympy.Integer(0))

    # -- maps acting on the layer ----------------------------------------------------

    def _moved(self, images, feature, translation):
        """Return the layer with its parameters moved by :math:`P \\otimes M` and a translation."""
        def times_feature(matrices):
            return tuple(feature.matrix_times(matrix) for matrix in matrices)

        position_parameters = None
        if self.positions == "bias":
            position_parameters = tuple(
                tuple(tuple(matrix[images[row]][images[column]] for column in range(self.tokens))
                      for row in range(self.tokens)) for matrix in self.position_parameters)
        elif self.positions == "absolute":
            inverse = feature.inverse()
            size = self.features
            zero = self.field.zero
            shifts = translation or (zero,) * (self.tokens * size)
            position_parameters = tuple(
                inverse.apply(tuple(entry + shift for entry, shift in zip(
                    self.position_parameters[images[token]],
                    shifts[images[token] * size:(images[token] + 1) * size])))
                for token in range(self.tokens))
        return self._replace(query=times_feature(self.query), key=times_feature(self.key),
                             value=times_feature(self.value),
                             position_parameters=position_parameters)

    def _split_input(self, affine_map):
        factors = factor_tokens(affine_map.linear, self.tokens)
        if factors is None:
            return None, ("an attention layer absorbs only maps that permute the tokens and "
                          "apply one feature map to every token")
        if affine_map.translation is not None and self.positions != "absolute":
            return None, ("attention without absolute positional encodings cannot absorb a "
                          "translation of its input")
        return factors, ""

    def precompose(self, affine_map):
        factors, _ = self._split_input(affine_map)
        if factors is None or not tokens_identity(factors[0]):
            return None
        return self._moved(factors[0], factors[1], affine_map.translation)

    def absorb(self, affine_map):
        if affine_map.is_identity:
            return Absorption(self)
        factors, reason = self._split_input(affine_map)
        if factors is None:
            return Absorption.failed(reason)
        images, feature = factors
        layer = self._moved(images, feature, affine_map.translation)
        if tokens_identity(images):
            return Absorption(layer)
        identity = identity_affine(self.field, self.heads * self.value_dimension)
        return Absorption(layer, lift_tokens(identity, self.tokens, images))

    def commute(self, affine_map):
        if affine_map.is_identity:
            return affine_map
        if self.positions != "none" or affine_map.translation is not None:
            return None
        factors = factor_tokens(affine_map.linear, self.tokens)
        if factors is None or not factors[1].is_identity:
            return None
        identity = identity_affine(self.field, self.heads * self.value_dimension)
        return lift_tokens(identity, self.tokens, factors[0])

    def postcompose(self, element):
        affine_map = element.map if isinstance(element, LatentElement) else element
        decomposition = self.decompose_latent(affine_map)
        if decomposition is None:
            return None
        heads, blocks = decomposition
        value = [None] * self.heads
        for source, (target, block) in enumerate(zip(heads, blocks)):
            value[target] = linalg.multiply(self.field, block, self.value[source],
                                            self.value_dimension)
        query = [None] * self.heads
        key = [None] * self.heads
        biases = [None] * self.heads if self.positions == "bias" else None
        for source, target in enumerate(heads):
            query[target] = self.query[source]
            key[target] = self.key[source]
            if biases is not None:
                biases[target] = self.position_parameters[source]
        return self._replace(query=tuple(query), key=tuple(key), value=tuple(value),
                             position_parameters=None if biases is None else tuple(biases))

    # -- the latent group ------------------------------------------------------------

    def latent_group(self):
        return AttentionLatentGroup(self)

    def decompose_latent(self, element):
        r"""Read :math:`(\pi, A_1, \dots, A_h)` off a latent map, or return None.

        The map must be linear and act alike on every token by a block
        matrix with exactly one invertible block :math:`A_i` in each block
        column :math:`i`, at block row :math:`\pi(i)`.
        """
        affine_map = element.map if isinstance(element, LatentElement) else element
        if affine_map.translation is not None or affine_map.dimension != self.output_dimension:
            return None
        factors = factor_tokens(affine_map.linear, self.tokens)
        if factors is None or not tokens_identity(factors[0]):
            return None
        rows = factors[1].rows()
        size = self.value_dimension
        zero = self.field.zero
        heads = [None] * self.heads
        blocks = [None] * self.heads
        for source in range(self.heads):
            targets = [target for target in range(self.heads)
                       if any(entry != zero for row in rows[target * size:(target + 1) * size]
                              for entry in row[source * size:(source + 1) * size])]
            if len(targets) != 1:
                return None
            target = targets[0]
            block = tuple(tuple(row[source * size:(source + 1) * size])
                          for row in rows[target * size:(target + 1) * size])
            if linalg.rank(self.field, block, size) != size:
                return None
            heads[source] = target
            blocks[source] = block
        if sorted(heads) != list(range(self.heads)):
            return None
        return tuple(heads), tuple(blocks)

    def _element(self, heads, blocks):
        size = self.value_dimension
        zero = self.field.zero
        dimension = self.heads * size
        rows = [[zero] * dimension for _ in range(dimension)]
        for source, (target, block) in enumerate(zip(heads, blocks)):
            for row_index, row in enumerate(block):
                rows[target * size + row_index][source * size:(source + 1) * size] = row
        feature = linear_map(self.field, rows, invertible=True)
        linear = token_linear(self.field, range(self.tokens), feature)
        return LatentElement(AffineMap(linear), None,
                             {"heads": tuple(heads), "blocks": tuple(blocks)})

    def _value_solution(self, source, target_value):
        """Solve :math:`A V = V'` for an invertible A: ``(A, unique)`` or None."""
        field = self.field
        value = self.value[source]
        solution = linalg.solve_left(field, value, target_value)
        if solution is None:
            return None
        particular, null_rows = solution
        size = self.value_dimension
        source_rank = size - len(null_rows)
        if linalg.rank(field, target_value, self.features) != source_rank:
            return None
        linear = _invertible_solution(field, particular, null_rows)
        if linear is None:
            return None
        return linear.rows(), not null_rows

    def match(self, target):
        if (not isinstance(target, AttentionLayer) or target.positions != self.positions
                or (target.tokens, target.features, target.heads, target.key_dimension,
                    target.value_dimension) != (self.tokens, self.features, self.heads,
                                                 self.key_dimension, self.value_dimension)):
            return Match(None, True, reason="the layers are attention layers of different shapes")
        symbolic = bool(self.field.symbols)
        if self.positions == "absolute" and target.position_parameters != self.position_parameters:
            # NOTE: shifting every token by a vector in the common left kernel of all
            # B_i and V_i leaves the layer unchanged, so differing encodings prove nothing.
            return Match(None, False, reason="the positional encodings differ, and K does not "
                                             "change them")
        dead = [head for head in range(self.heads) if not self.live_heads[head]]
        target_dead = [head for head in range(self.heads) if not target.live_heads[head]]
        if len(dead) != len(target_dead):
            return Match(None, not symbolic, reason=(
                f"{len(target_dead)} head(s) of the transformed layer but {len(dead)} of the "
                "original have a zero value map"))

        buckets = {}
        for head in range(self.heads):
            if self.live_heads[head]:
                buckets.setdefault(self.head_key(head), []).append(head)
        target_buckets = {}
        for head in range(self.heads):
            if target.live_heads[head]:
                target_buckets.setdefault(target.head_key(head), []).append(head)
        for key, targets in target_buckets.items():
            sources = buckets.get(key, [])
            if len(sources) != len(targets):
                what = "bilinear form Q^T K" + (" and score biases" if self.positions == "bias"
                                                else "")
                return Match(None, not symbolic, reason=(
                    f"head(s) {_numbers(targets)} of the transformed layer have a {what} that "
                    f"{len(sources)} head(s) of the original layer have"))

        per_bucket = []
        for key, sources in buckets.items():
            targets = target_buckets[key]
            pairs = {(source, head): self._value_solution(source, target.value[head])
                     for source in sources for head in targets}
            assignments = [choice for choice in itertools.permutations(targets)
                           if all(pairs[(source, head)] is not None
                                  for source, head in zip(sources, choice))]
            if not assignments:
                return Match(None, not symbolic, reason=(
                    f"no invertible A carries the value maps of head(s) {_numbers(sources)} to "
                    f"those of head(s) {_numbers(targets)} (V' = A V)"))
            per_bucket.append((sources, assignments, pairs))

        elements = []
        unique_blocks = True
        exhaustive = True
        for combination in itertools.product(*(assignments for _, assignments, _ in per_bucket)):
            heads = [None] * self.heads
            blocks = [None] * self.heads
            for (sources, _, pairs), choice in zip(per_bucket, combination):
                for source, head in zip(sources, choice):
                    block, unique = pairs[(source, head)]
                    heads[source], blocks[source] = head, block
                    unique_blocks = unique_blocks and unique
            for source, head in zip(dead, target_dead):
                heads[source] = head
                blocks[source] = linalg_identity(self.field, self.value_dimension)
            elements.append(self._element(heads, blocks))
            if len(elements) > MAX_ALTERNATIVES:
                exhaustive = False
                break

        reasons = []
        if len(elements) > 1:
            groups = [_numbers(sources) for sources, assignments, _ in per_bucket
                      if len(assignments) > 1]
            reasons.append("heads with equal bilinear forms whose value maps can be exchanged: "
                           + "; ".join(f"{{{group}}}" for group in groups))
        if not unique_blocks:
            reasons.append("a value map V_i has rank below d_v, so the basis change A_i inside "
                           "that head is not unique")
        if dead:
            reasons.append(f"head(s) {_numbers(dead)} have a zero value map, so their bilinear "
                           "form and basis change are free")
        unique = len(elements) == 1 and unique_blocks and not dead
        complete = exhaustive and unique_blocks and not dead and not symbolic
        return Match(elements[0], complete, None if symbolic and unique else unique,
                     tuple(elements[1:]), "; ".join(reasons))

    def relation_holds(self, target, element):
        if not isinstance(target, AttentionLayer) or target.positions != self.positions:
            return False
        decomposition = self.decompose_latent(element)
        if decomposition is None:
            return False
        if self.positions == "absolute" and target.position_parameters != self.position_parameters:
            return False
        heads, blocks = decomposition
        zero = self.field.zero
        for source, (head, block) in enumerate(zip(heads, blocks)):
            moved = linalg.multiply(self.field, block, self.value[source], self.value_dimension)
            if moved != tuple(tuple(row) for row in target.value[head]):
                return False
            if all(entry == zero for row in moved for entry in row):
                continue
            if target.head_key(head) != self.head_key(source):
                return False
        return True

    def explain_mismatch(self, target, element):
        decomposition = self.decompose_latent(element)
        if decomposition is None:
            return "the map is not a head permutation with a basis change inside each head"
        return None

    def describe_latent(self, element):
        from symequiv.report import format_map

        lines = []
        passthrough = element.details.get("passthrough")
        if passthrough is not None:
            factors = factor_tokens(passthrough.linear, self.tokens)
            if factors is not None:
                lines.append(describe_token_permutation(factors[0]))
        if "heads" in element.details:
            heads, blocks = element.details["heads"], element.details["blocks"]
        else:
            decomposition = self.decompose_latent(element)
            if decomposition is None:
                return lines or None
            heads, blocks = decomposition
        if tokens_identity(heads):
            lines.append("heads: not permuted")
        else:
            lines.append(f"heads: permutation {permutation_cycles(heads)}")
        for source, (head, block) in enumerate(zip(heads, blocks), start=1):
            lines.append(f"head {source} -> head {head + 1}, basis change A_{source}:")
            if self.value_dimension <= MAX_PRINTED_BLOCK:
                lines.extend(format_map(AffineMap(linear_map(self.field, block,
                                                             invertible=True)), indent="  "))
            else:
                lines.append(f"  a {self.value_dimension} x {self.value_dimension} matrix "
                             "(elided; --json prints every entry)")
        return lines


def _hashable(field, rows):
    # python-flint hashes fmpq through Fraction, several times slower than hashing
    # numerators and denominators, which identify a rational matrix just as well.
    if rows is None or not field.is_rational:
        return rows
    return tuple(tuple((entry.numerator, entry.denominator) for entry in row) for row in rows)


def _matrices(values):
    return tuple(tuple(tuple(row) for row in matrix) for matrix in values)


def _numbers(indices):
    return ", ".join(str(index + 1) for index in indices)


def linalg_identity(field, size):
    return tuple(tuple(field.one if row == column else field.zero for column in range(size))
                 for row in range(size))

