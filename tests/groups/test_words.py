"""Tests of words in named generators, symequiv.groups.words."""

from __future__ import annotations

import pytest

from symequiv.actions.maps import MonomialMatrix, identity_map
from symequiv.errors import InputError, LimitError
from symequiv.groups.words import MAX_EXPONENT, MAX_LETTERS, Word, parse_word

GENERATORS = {"m", "r"}


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        pytest.param("r^4", (("r", 4),), id="power"),
        pytest.param("m r m r", (("m", 1), ("r", 1), ("m", 1), ("r", 1)), id="product"),
        pytest.param("r m r^-1 m", (("r", 1), ("m", 1), ("r", -1), ("m", 1)), id="inverse"),
        pytest.param("r ^ -2", (("r", -2),), id="spaces-around-caret"),
        pytest.param("r^+3", (("r", 3),), id="plus-sign"),
        pytest.param("  m  r  ", (("m", 1), ("r", 1)), id="surrounding-spaces"),
        pytest.param("r r", (("r", 1), ("r", 1)), id="repeated-letter-kept"),
        pytest.param("r^0 m", (("m", 1),), id="zero-exponent-dropped"),
        pytest.param(f"r^{MAX_EXPONENT}", (("r", MAX_EXPONENT),), id="largest-exponent"),
        pytest.param(f"r^-{MAX_EXPONENT}", (("r", -MAX_EXPONENT),), id="smallest-exponent"),
    ],
)
def test_parse_word_reads_letters(text, letters):
    assert parse_word(text, GENERATORS).letters == letters


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("e", id="e"),
        pytest.param("1", id="one"),
        pytest.param("r^0", id="zero-power"),
        pytest.param("r^-0", id="negative-zero-power"),
    ],
)
def test_parse_word_reads_identity(text):
    word = parse_word(text, GENERATORS)

    assert word == Word(())
    assert str(word) == "e"


def test_parse_word_reads_generator_named_e():
    # "e" denotes the identity only when no generator has that name.
    assert parse_word("e", {"e", "f"}).letters == (("e", 1),)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("m r^-1 m", id="inverse"),
        pytest.param("r^4", id="power"),
        pytest.param("m r m r", id="product"),
    ],
)
def test_word_string_round_trips(text):
    assert str(parse_word(text, GENERATORS)) == text


def test_word_inverse_reverses_and_negates():
    word = parse_word("r m^-2 r^3", GENERATORS)

    assert word.inverse().letters == (("r", -3), ("m", 2), ("r", -1))
    assert word.inverse().inverse() == word


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("m s", "the word 'm s' uses 's', which is not a generator (generators: m, r)",
                     id="unknown"),
        pytest.param("mr", "the word 'mr' uses 'mr', which is not a generator (generators: m, r)",
                     id="missing-space"),
    ],
)
def test_parse_word_rejects_unknown_generator(text, message):
    with pytest.raises(InputError) as error:
        parse_word(text, GENERATORS)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("r^", 1, id="missing-exponent"),
        pytest.param("r*m", 1, id="star"),
        pytest.param("r^2^3", 3, id="double-exponent"),
        pytest.param("2 r", 0, id="leading-number"),
        pytest.param("r^1/2", 3, id="fraction"),
        pytest.param("(m r)^2", 0, id="parentheses"),
    ],
)
def test_parse_word_rejects_syntax_error(text, position):
    with pytest.raises(InputError) as error:
        parse_word(text, GENERATORS)

    assert str(error.value) == (
        f"invalid word {text!r} at position {position}: expected a generator name with an "
        "optional exponent such as r^-1"
    )


def test_parse_word_rejects_non_string():
    with pytest.raises(InputError) as error:
        parse_word(["r", "m"], GENERATORS)

    assert str(error.value) == "a word must be a string, got list"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(f"r^{MAX_EXPONENT + 1}",
                     f"the exponent {MAX_EXPONENT + 1} in 'r^{MAX_EXPONENT + 1}' exceeds "
                     f"{MAX_EXPONENT} in absolute value",
                     id="just-above"),
        pytest.param(f"r^-{MAX_EXPONENT + 1}",
                     f"the exponent -{MAX_EXPONENT + 1} in 'r^-{MAX_EXPONENT + 1}' exceeds "
                     f"{MAX_EXPONENT} in absolute value",
                     id="just-below"),
        pytest.param("r^99999999", f"the exponent in 'r^99999999' exceeds {MAX_EXPONENT}",
                     id="many-digits"),
        pytest.param("r^" + "9" * 5000, None, id="huge"),
    ],
)
def test_parse_word_rejects_exponent_out_of_bounds(text, message):
    with pytest.raises(LimitError) as error:
        parse_word(text, GENERATORS)

    if message is not None:
        assert str(error.value) == message


def test_parse_word_exponent_leading_zeros():
    assert parse_word("r^00000001", GENERATORS).letters == (("r", 1),)


def test_parse_word_accepts_max_letters():
    word = parse_word(" ".join(["r"] * MAX_LETTERS), GENERATORS)

    assert len(word.letters) == MAX_LETTERS


def test_parse_word_rejects_too_many_letters():
    text = " ".join(["r"] * (MAX_LETTERS + 1))

    with pytest.raises(LimitError) as error:
        parse_word(text, GENERATORS)

    assert str(error.value) == f"the word {text[:40]!r}... has more than {MAX_LETTERS} letters"


# -- evaluation ------------------------------------------------------------------


@pytest.fixture
def permutations(rational):
    """A transposition m and a 3-cycle r of three coordinates; m r != r m."""
    return {
        "m": MonomialMatrix(rational, [1, 0, 2]),
        "r": MonomialMatrix(rational, [1, 2, 0]),
    }


def test_evaluate_composes_right_to_left(rational, permutations):
    m, r = permutations["m"], permutations["r"]
    assert m.compose(r) != r.compose(m)

    value = parse_word("m r", GENERATORS).evaluate(permutations, identity_map(rational, 3))

    # "m r" is rho(m) rho(r): apply r first, then m.
    assert value == m.compose(r)
    vector = (10, 20, 30)
    assert value.apply(vector) == m.apply(r.apply(vector))
    assert value.apply(vector) == (10, 30, 20)


def test_evaluate_applies_exponents(rational, permutations):
    m, r = permutations["m"], permutations["r"]

    value = parse_word("r^-1 m r^2", GENERATORS).evaluate(permutations, identity_map(rational, 3))

    assert value == r.inverse().compose(m).compose(r).compose(r)


def test_evaluate_empty_word_returns_identity(rational, permutations):
    identity = identity_map(rational, 3)

    assert Word(()).evaluate(permutations, identity) is identity


def test_evaluate_inverse_word_gives_inverse(rational, permutations):
    identity = identity_map(rational, 3)
    word = parse_word("m r^2 m r", GENERATORS)

    value = word.evaluate(permutations, identity)

    assert word.inverse().evaluate(permutations, identity) == value.inverse()


@pytest.mark.parametrize(
    ("text", "is_identity"),
    [
        pytest.param("r^3", True, id="r-cubed"),
        pytest.param("m^2", True, id="m-squared"),
        pytest.param("m r m r", True, id="dihedral-relation"),
        pytest.param("m r m r^-1", False, id="not-commuting"),
        pytest.param(f"r^{MAX_EXPONENT - 1}", True, id="large-multiple-of-three"),
    ],
)
def test_evaluate_checks_s3_relations(rational, permutations, text, is_identity):
    value = parse_word(text, GENERATORS).evaluate(permutations, identity_map(rational, 3))

    assert value.is_identity is is_identity
