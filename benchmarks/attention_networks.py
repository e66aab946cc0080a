"""Theory files for attention layers that are equivariant by construction.

The network is one attention layer with positional score biases and a
tokenwise output projection, on ``tokens`` tokens of ``features`` features.
The heads come in pairs. The first head of a pair has a relative-position
bias ``b(j - r)``, which is circulant, so a cyclic shift of the tokens leaves
it alone. The second is its mirror image: its bias is ``b(r - j)``, its
bilinear form ``M^T B M`` and its value map ``V M``, where ``M`` reverses the
order of the features.
Reversing the tokens together with the features therefore swaps the two
heads of every pair, and the projection ``[W, M W]`` per pair turns that swap
into the output action. Groups:

* ``reversal``: ``m`` (tokens and features reversed), order 2;
* ``shift``: ``c`` (tokens shifted cyclically by one), order ``tokens``;
* ``dihedral``: both, with relations ``c^n``, ``m^2``, ``m c m c``, order ``2 n``.
"""

from __future__ import annotations

import numpy


def _matrix(rows):
    return "[" + ", ".join("[" + ", ".join(str(int(value)) for value in row) + "]"
                           for row in rows) + "]"


def _stack(matrices):
    return "[" + ",\n  ".join(_matrix(matrix) for matrix in matrices) + "]"


def _reversal(tokens, features):
    return [(tokens - 1 - token) * features + (features - 1 - feature)
            for token in range(tokens) for feature in range(features)]


def _shift(tokens, features):
    return [((token + 1) % tokens) * features + feature
            for token in range(tokens) for feature in range(features)]


def theory_text(tokens, features, heads, group, seed=0):
    """Return the TOML text of the theory; ``heads`` must be even."""
    rng = numpy.random.default_rng(seed)
    size = features // heads
    flip = numpy.eye(features, dtype=int)[::-1]

    query, key, value, biases, projection = [], [], [], [], []
    for _ in range(heads // 2):
        q = rng.integers(-3, 4, size=(size, features))
        k = rng.integers(-3, 4, size=(size, features))
        v = rng.integers(-3, 4, size=(size, features))
        offsets = rng.integers(-2, 3, size=tokens)
        bias = numpy.array([[offsets[(j - r) % tokens] for j in range(tokens)]
                            for r in range(tokens)])
        mirrored = numpy.array([[offsets[(r - j) % tokens] for j in range(tokens)]
                                for r in range(tokens)])
        w = rng.integers(-3, 4, size=(features, size))
        query += [q, q @ flip]
        key += [k, k @ flip]
        value += [v, v @ flip]
        biases += [bias, mirrored]
        projection += [w, flip @ w]

    generators = {"reversal": ["m"], "shift": ["c"], "dihedral": ["c", "m"]}[group]
    relations = {"reversal": ["m^2"], "shift": [f"c^{tokens}"],
                 "dihedral": [f"c^{tokens}", "m^2", "m c m c"]}[group]
    maps = {"m": _reversal(tokens, features), "c": _shift(tokens, features)}

    lines = [
        "[theory]",
        f'name = "attention-{group}-{tokens}x{features}-{heads}-heads"',
        "",
        "[group]",
        f"generators = {generators!r}".replace("'", '"'),
        f"relations = {relations!r}".replace("'", '"'),
        "",
        "[group.input]",
    ]
    lines += [f"{name} = {{ permutation = {maps[name]} }}" for name in generators]
    lines += ["", "[group.output]"]
    lines += [f"{name} = {{ permutation = {maps[name]} }}" for name in generators]
    lines += [
        "",
        "[model]",
        'architecture = "attention"',
        f"tokens = {tokens}",
        f"features = {features}",
        f"heads = {heads}",
        f"key_dimension = {size}",
        f"value_dimension = {size}",
        'positions = "bias"',
        f"outputs = {features}",
        "bias = false",
        "",
        "[parameters]",
        f"WQ1 = {_stack(query)}",
        f"WK1 = {_stack(key)}",
        f"WV1 = {_stack(value)}",
        f"S1 = {_stack(biases)}",
        f"W2 = {_matrix(numpy.hstack(projection))}",
        "",
        "[expect]",
        "layerwise_equivariant = true",
    ]
    return "\n".join(lines) + "\n"
