"""Shared checks of group laws and homomorphism properties on sampled elements.

Tests import these instead of restating associativity, identities and inverses
for each kind of element.
"""

from __future__ import annotations

import itertools


def assert_group_laws(elements, identity):
    """Check identity, inverses and associativity on every pair and triple of ``elements``."""
    for element in elements:
        assert element.compose(identity) == element
        assert identity.compose(element) == element
        assert element.compose(element.inverse()) == identity
        assert element.inverse().compose(element) == identity
    for first, second, third in itertools.product(elements, repeat=3):
        assert first.compose(second).compose(third) == first.compose(second.compose(third))


def assert_homomorphism(source, target, words):
    """Check that each word's value in ``source`` and ``target`` match under the generator map.

    ``source`` and ``target`` map generator names to elements; ``words`` are
    :class:`~symequiv.groups.words.Word` objects whose products are compared
    through ``compose``, so the map must send equal source values to equal
    target values.
    """
    from symequiv.groups.words import Word

    def value(images, word):
        result = None
        for name, exponent in word.letters:
            power = images[name].power(exponent)
            result = power if result is None else result.compose(power)
        return result

    seen = {}
    for word in words:
        assert isinstance(word, Word)
        source_value = value(source, word)
        target_value = value(target, word)
        if source_value in seen:
            assert seen[source_value] == target_value
        else:
            seen[source_value] = target_value
