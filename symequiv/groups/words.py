r"""Words in named generators.

A word is a product of generator names, each with an optional integer
exponent: ``"r^4"``, ``"m r m r"``, ``"r m r^-1 m"``. Words act right to left,
as function composition does: ``"m r"`` applies ``r`` first, so its value is
the product :math:`\rho(m)\rho(r)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symequiv.actions.maps import check_entry_size
from symequiv.errors import InputError, LimitError

MAX_EXPONENT = 10**6
MAX_LETTERS = 1000

_LETTER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\s*\^\s*([+-]?\d+))?")


@dataclass(frozen=True)
class Word:
    """A word as a tuple of ``(generator, exponent)`` letters, leftmost first."""

    letters: tuple

    def short(self, limit=60):
        """Return the word as text, cut to ``limit`` characters for messages."""
        text = str(self)
        return text if len(text) <= limit else text[:limit] + " ..."

    def __str__(self):
        if not self.letters:
            return "e"
        return " ".join(name if exponent == 1 else f"{name}^{exponent}"
                        for name, exponent in self.letters)

    def inverse(self):
        return Word(tuple((name, -exponent) for name, exponent in reversed(self.letters)))

    def evaluate(self, images, identity):
        r"""Return the product of ``images[name] ** exponent`` over the letters.

        Parameters
        ----------
        images : dict
            Generator name to an element with ``compose`` and ``power``.
        identity : object
            The identity element, returned for the empty word.
        """
        result = identity
        for name, exponent in self.letters:
            result = result.compose(images[name].power(exponent))
            if hasattr(result, "linear"):
                check_entry_size(result)
        return result


def parse_word(text, generators):
    r"""Parse a word over the given generator names.

    Parameters
    ----------
    text : str
    generators : collection of str

    Returns
    -------
    Word

    Raises
    ------
    InputError
        For unknown generator names or syntax errors.
    LimitError
        For exponents beyond :data:`MAX_EXPONENT` or words longer than
        :data:`MAX_LETTERS` letters.

    Examples
    --------
    >>> str(parse_word("m r^-1 m", {"m", "r"}))
    'm r^-1 m'
    """
    if not isinstance(text, str):
        raise InputError(f"a word must be a string, got {type(text).__name__}", value=text)
    letters = []
    position = 0
    stripped = text.strip()
    if stripped == "" or (stripped in ("e", "1") and stripped not in generators):
        return Word(())
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _LETTER.match(text, position)
        if match is None:
            raise InputError(
                f"invalid word {text!r} at position {position}: expected a generator name "
                "with an optional exponent such as r^-1",
                value=text,
            )
        name, exponent = match.group(1), match.group(2)
        if name not in generators:
            raise InputError(
                f"the word {text!r} uses {name!r}, which is not a generator "
                f"(generators: {', '.join(sorted(generators))})",
                value=text,
            )
        if exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 7:
            raise LimitError(f"the exponent in {text!r} exceeds {MAX_EXPONENT}", value=text)
        exponent = int(exponent) if exponent is not None else 1
        if abs(exponent) > MAX_EXPONENT:
            raise LimitError(
                f"the exponent {exponent} in {text!r} exceeds {MAX_EXPONENT} in absolute value",
                value=text,
            )
        if exponent:
            letters.append((name, exponent))
        if len(letters) > MAX_LETTERS:
            raise LimitError(f"the word {text[:40]!r}... has more than {MAX_LETTERS} letters",
                             value=text)
        position = match.end()
    return Word(tuple(letters))
