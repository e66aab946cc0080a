r"""Cycle notation for permutations and signed permutations.

Coordinates are numbered from 1 here, as in the literature on the
hyperoctahedral group, because a sign cannot be attached to 0. A signed
permutation sends :math:`e_j` to :math:`s_j e_{\pi(j)}`; following the signed
index :math:`+j \to s_j \pi(j) \to \dots` either returns to :math:`+j` (a
*paired* cycle, written ``(1 -2 3)``: :math:`e_1 \mapsto -e_2`,
:math:`-e_2 \mapsto e_3`, :math:`e_3 \mapsto e_1`) or to :math:`-j` first (a
*balanced* cycle, written with a trailing minus, ``(1 2)-``: :math:`e_1 \mapsto
e_2 \mapsto -e_1`). Fixed points with sign +1 are omitted; ``()`` is the
identity.
"""

from __future__ import annotations

from symequiv.errors import InputError


def signed_cycles(images, signs):
    r"""Return the cycle notation of the signed permutation ``(images, signs)``.

    Parameters
    ----------
    images : sequence of int
        :math:`\pi(j)` for ``j = 0..n-1``.
    signs : sequence of int
        :math:`s_j \in \{1, -1\}`.

    Returns
    -------
    str

    Examples
    --------
    >>> signed_cycles([1, 0], [1, 1])
    '(1 2)'
    >>> signed_cycles([1, 0], [1, -1])
    '(1 2)-'
    >>> signed_cycles([0, 1], [-1, 1])
    '(1)-'
    """
    if sorted(images) != list(range(len(images))):
        # Following the images of a non-permutation never returns to the start.
        raise InputError(f"invalid images {list(images)}: expected a permutation of "
                         f"0, ..., {len(images) - 1}")
    seen = set()
    cycles = []
    for start in range(len(images)):
        if start in seen:
            continue
        entries = []
        position, sign = start, 1
        while True:
            seen.add(position)
            entries.append(sign * (position + 1))
            sign *= signs[position]
            position = images[position]
            if position == start:
                break
        balanced = sign == -1
        if len(entries) == 1 and not balanced:
            continue
        text = "(" + " ".join(str(entry) for entry in entries) + ")"
        cycles.append(text + ("-" if balanced else ""))
    return "".join(cycles) or "()"


def permutation_cycles(images):
    """Return the cycle notation of a permutation, numbering coordinates from 1.

    Examples
    --------
    >>> permutation_cycles([1, 2, 0, 3])
    '(1 2 3)'
    """
    return signed_cycles(images, [1] * len(images))
