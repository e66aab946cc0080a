r"""Write the float32 weights of ``theories/tanh-mirror-float.toml``.

A tanh network ``16 -> 8 -> 2`` on 4x4 images, equivariant under the
left-right mirror: the mirror swaps the two outputs, and the hidden neurons
swap in pairs, 1-2 and 3-4 as they are and 5-6 and 7-8 with a change of
sign. Built by averaging seeded random weights over the mirror, then
stored as float32, which keeps the symmetry exact because the mirror only
permutes and negates entries. Usage::

    python examples/planted_mirror.py theories/tanh-mirror-float.npz
"""

from __future__ import annotations

import sys

import numpy


def mirror_matrix(images, signs):
    size = len(images)
    result = numpy.zeros((size, size))
    result[images, numpy.arange(size)] = signs
    return result


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tanh-mirror-float.npz"
    rng = numpy.random.default_rng(2026)
    rows, columns = numpy.divmod(numpy.arange(16), 4)
    mirror = mirror_matrix(rows * 4 + (3 - columns), numpy.ones(16))
    hidden = mirror_matrix(numpy.array([1, 0, 3, 2, 5, 4, 7, 6]),
                           numpy.array([1, 1, 1, 1, -1, -1, -1, -1]))
    output = mirror_matrix(numpy.array([1, 0]), numpy.ones(2))
    first = rng.standard_normal((8, 16))
    first_bias = rng.standard_normal(8)
    second = rng.standard_normal((2, 8))
    second_bias = rng.standard_normal(2)
    arrays = {
        "W1": (first + hidden @ first @ mirror) / 2,
        "b1": (first_bias + hidden @ first_bias) / 2,
        "W2": (second + output @ second @ hidden) / 2,
        "b2": (second_bias + output @ second_bias) / 2,
    }
    numpy.savez(path, **{name: value.astype(numpy.float32) for name, value in arrays.items()})


if __name__ == "__main__":
    main()
