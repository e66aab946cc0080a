"""Tests of cycle notation in symequiv.actions.notation."""

from __future__ import annotations

import re

import numpy
import pytest

from symequiv.actions.notation import permutation_cycles, signed_cycles
from symequiv.errors import InputError


def decode_signed_cycles(text, dimension):
    """Rebuild (images, signs) from cycle notation, following the documented convention.

    Inside a cycle ``(a b ...)`` the signed basis vector of each entry goes to that of
    the next entry. The last entry goes back to ``+first`` in a paired cycle, and to
    ``-first`` in a balanced cycle, which is written with a trailing minus.
    """
    images = list(range(dimension))
    signs = [1] * dimension
    if text == "()":
        return images, signs
    cycles = re.findall(r"\(([^)]*)\)(-?)", text)
    assert "".join(f"({body}){minus}" for body, minus in cycles) == text
    for body, minus in cycles:
        entries = [int(entry) for entry in body.split()]
        targets = entries[1:] + [entries[0] if not minus else -entries[0]]
        for source, target in zip(entries, targets):
            # e_|source| goes to sign(source) * sign(target) * e_|target|.
            column = abs(source) - 1
            images[column] = abs(target) - 1
            same_sign = (source > 0) == (target > 0)
            signs[column] = 1 if same_sign else -1
    return images, signs


@pytest.mark.parametrize(
    ("images", "signs", "expected"),
    [
        pytest.param([0, 1, 2], [1, 1, 1], "()", id="identity"),
        pytest.param([], [], "()", id="empty"),
        pytest.param([1, 0], [1, 1], "(1 2)", id="transposition"),
        pytest.param([1, 0], [1, -1], "(1 2)-", id="balanced-transposition"),
        pytest.param([1, 0], [-1, -1], "(1 -2)", id="paired-negated-transposition"),
        pytest.param([0, 1], [-1, 1], "(1)-", id="negated-fixed-point"),
        pytest.param([0, 1, 2], [1, -1, -1], "(2)-(3)-", id="two-negated-fixed-points"),
        # e_1 -> -e_2, -e_2 -> e_3, e_3 -> e_1.
        pytest.param([1, 2, 0], [-1, -1, 1], "(1 -2 3)", id="paired-three-cycle"),
        # e_1 -> e_2 -> e_3 -> -e_1.
        pytest.param([1, 2, 0], [1, 1, -1], "(1 2 3)-", id="balanced-three-cycle"),
        pytest.param([1, 0, 2, 4, 3], [1, 1, -1, -1, 1], "(1 2)(3)-(4 -5)-", id="mixed"),
        pytest.param([2, 1, 0, 3], [1, 1, 1, -1], "(1 3)(4)-", id="fixed-point-omitted"),
    ],
)
def test_signed_cycles_worked_examples(images, signs, expected):
    assert signed_cycles(images, signs) == expected


@pytest.mark.parametrize(
    ("images", "expected"),
    [
        pytest.param([0, 1, 2], "()", id="identity"),
        pytest.param([1, 2, 0, 3], "(1 2 3)", id="three-cycle"),
        pytest.param([1, 0, 3, 2], "(1 2)(3 4)", id="two-transpositions"),
        pytest.param([3, 0, 1, 2], "(1 4 3 2)", id="four-cycle"),
    ],
)
def test_permutation_cycles_worked_examples(images, expected):
    assert permutation_cycles(images) == expected


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_signed_cycles_round_trip(seed):
    rng = numpy.random.default_rng(seed)
    for _ in range(20):
        dimension = int(rng.integers(1, 7))
        images = [int(image) for image in rng.permutation(dimension)]
        signs = [int(sign) for sign in rng.choice([-1, 1], size=dimension)]

        text = signed_cycles(images, signs)

        assert decode_signed_cycles(text, dimension) == (images, signs)


def test_signed_cycles_rejects_non_permutation():
    with pytest.raises(InputError, match=r"invalid images \[0, 0\]: expected a permutation"):
        signed_cycles([0, 0], [1, 1])
