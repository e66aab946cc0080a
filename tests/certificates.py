"""Certificates of bundled theories, built once per test session and copied per test."""

from __future__ import annotations

import copy
import functools
import pathlib

import symequiv
from symequiv.certificate import build_certificate
from symequiv.models.expansion import FLATTENING
from symequiv.theory.numeric_theory import NumericTheory
from tests.cli.runner import bundled_text

THEORIES = pathlib.Path(__file__).resolve().parent.parent / "theories"
BUNDLED = sorted(path.stem for path in THEORIES.glob("*.toml"))


def _kind(name):
    theory = symequiv.load(THEORIES / f"{name}.toml")
    if isinstance(theory, NumericTheory):
        return "float"
    kinds = {layer.kind for layer in theory.network.layers}
    if kinds == {"dense"}:
        return "dense"
    return "expanded" if kinds <= set(FLATTENING) else "attention"


# derive exports LaTeX, certificates and Lean files of exact theories only; float theories
# export the projection through inspect. Certificates and Lean files state networks of
# conv, tokenwise and Deep Sets layers by their dense expansion, and record the verdicts
# of networks with attention layers without evidence.
FLOAT = [name for name in BUNDLED if _kind(name) == "float"]
EXACT = [name for name in BUNDLED if name not in FLOAT]
DENSE = [name for name in EXACT if _kind(name) == "dense"]
OTHER_LAYERS = [name for name in EXACT if name not in DENSE]
EXPANDED = [name for name in OTHER_LAYERS if _kind(name) == "expanded"]
ATTENTION = [name for name in OTHER_LAYERS if name not in EXPANDED]


@functools.cache
def _built(name):
    return build_certificate(symequiv.load(THEORIES / f"{name}.toml"))


def certificate_of(name):
    """Return a fresh copy of the certificate of ``theories/NAME.toml``, safe to tamper with."""
    return copy.deepcopy(_built(name))


def claim(certificate, prop):
    """Return the claim entry of one property."""
    return next(entry for entry in certificate["claims"] if entry["property"] == prop)


def duplicate_neuron_certificate():
    """Return the certificate of tanh-swap with a fifth neuron that repeats neuron 1.

    Swapping neurons 1 and 5 relates theta to itself, so the relation is not
    unique and identifiability is refuted by two relations.
    """
    text = bundled_text("tanh-swap")
    for old, new in (("widths = [2, 4, 2]", "widths = [2, 5, 2]"),
                     ("W1 = [[1, 2], [2, 1], [1, -3], [-3, 1]]",
                      "W1 = [[1, 2], [2, 1], [1, -3], [-3, 1], [1, 2]]"),
                     ('b1 = ["1/2", "1/2", -1, -1]', 'b1 = ["1/2", "1/2", -1, -1, "1/2"]'),
                     ("W2 = [[1, 2, 3, -1], [2, 1, -1, 3]]",
                      "W2 = [[1, 2, 3, -1, 1], [2, 1, -1, 3, 2]]"),
                     ("identifiable = true", "identifiable = false")):
        assert old in text
        text = text.replace(old, new)
    return build_certificate(symequiv.loads(text))


# A tokenwise tanh layer and a dense readout that weights tokens 1 and 3 alike: reversing
# the tokens passes through the first layer and is absorbed by the readout.
TOKENWISE_TEXT = """
[theory]
name = "tokenwise-reversal"

[group]
generators = ["r"]
relations = ["r^2"]

[group.input]
r = { permutation = [2, 1, 0] }

[group.output]
r = "trivial"

[model]
layers = [
  { kind = "tokenwise", tokens = 3, inputs = 1, outputs = 2, activation = "tanh" },
  { kind = "dense", inputs = 6, outputs = 1 },
]

[parameters]
W1 = [[1], [-2]]
b1 = ["1/2", 1]
W2 = [[1, 2, -1, 3, 1, 2]]
b2 = [0]

[expect]
end_to_end_equivariant = true
layerwise_equivariant = true
"""


def tokenwise_theory():
    """Return the theory of :data:`TOKENWISE_TEXT`."""
    return symequiv.loads(TOKENWISE_TEXT)
