"""Tests of group actions on input and output, symequiv.groups.action."""

from __future__ import annotations

import pytest

from symequiv.actions.builders import parse_action
from symequiv.actions.maps import AffineMap, identity_affine, linear_map
from symequiv.errors import GroupError, InputError
from symequiv.groups.action import GroupAction
from symequiv.groups.words import Word, parse_word
from tests.group_laws import assert_homomorphism


def affine(field, rows, translation=None):
    linear = linear_map(field, [[field.convert(entry) for entry in row] for row in rows])
    if translation is not None:
        translation = [field.convert(entry) for entry in translation]
    return AffineMap(linear, translation)


def words(texts, generators):
    return [parse_word(text, set(generators)) for text in texts]


QUARTER_TURN = [[0, -1], [1, 0]]
MIRROR = [[1, 0], [0, -1]]
NEGATION = [[-1]]
ONE = [[1]]
SHEAR = [[1, 1], [0, 1]]


@pytest.fixture
def square_image(rational):
    """D4 on the pixels of a 3 x 3 image, acting trivially on a one-dimensional output."""
    rotation = parse_action({"image": [3, 3], "rotate": 90}, 9).build(rational)
    flip = parse_action({"image": [3, 3], "flip": "horizontal"}, 9).build(rational)
    trivial = parse_action("trivial", 1).build(rational)
    return {"r": rotation, "m": flip}, {"r": trivial, "m": trivial}


# -- construction ---------------------------------------------------------------


def test_order_of_d4_on_image(square_image):
    inputs, outputs = square_image

    action = GroupAction(["r", "m"], inputs, outputs)

    assert action.order == 8
    assert action.input_dimension == 9
    assert action.output_dimension == 1


def test_order_counts_joint_action(rational):
    # A sign on the input and a 3-cycle on the output generate C6 jointly.
    cycle = parse_action({"permutation": [1, 2, 0]}, 3).build(rational)

    action = GroupAction(["s"], {"s": affine(rational, NEGATION)}, {"s": cycle})

    assert action.order == 6


def test_valid_relations_are_accepted(square_image):
    inputs, outputs = square_image
    relations = words(["r^4", "m^2", "m r m r"], inputs)

    action = GroupAction(["r", "m"], inputs, outputs, relations)

    assert action.relations == tuple(relations)
    assert action.order == 8


@pytest.mark.parametrize(
    ("inputs", "outputs", "side"),
    [
        pytest.param(QUARTER_TURN, NEGATION, "input", id="input"),
        pytest.param(NEGATION, QUARTER_TURN, "output", id="output"),
    ],
)
def test_relation_failing_on_one_side_is_rejected(rational, inputs, outputs, side):
    with pytest.raises(GroupError) as error:
        GroupAction(["r"], {"r": affine(rational, inputs)}, {"r": affine(rational, outputs)},
                    words(["r^2"], ["r"]))

    assert str(error.value) == (
        f"group.relations: the relation r^2 does not hold for the {side} action: "
        "the product is not the identity"
    )
    assert error.value.key == "group.relations"
    assert error.value.value == "r^2"


def test_relation_failing_for_translation_is_rejected(rational):
    # x -> -x + 1 is an involution, but x -> x + 1 has infinite order.
    step = affine(rational, ONE, [1])

    with pytest.raises(GroupError) as error:
        GroupAction(["s"], {"s": affine(rational, NEGATION)}, {"s": step}, words(["s^2"], ["s"]))

    assert str(error.value) == (
        "group.relations: the relation s^2 does not hold for the output action: "
        "the product is not the identity"
    )

    flip = affine(rational, NEGATION, [1])
    action = GroupAction(["s"], {"s": affine(rational, NEGATION)}, {"s": flip},
                         words(["s^2"], ["s"]))
    assert action.order == 2


def test_infinite_group_without_relations_is_rejected(rational):
    """The shear [[1, 1], [0, 1]] has characteristic polynomial (x - 1)^2 but is not the
    identity, so it is not diagonalizable and has infinite order."""
    with pytest.raises(GroupError) as error:
        GroupAction(["u"], {"u": affine(rational, SHEAR)}, {"u": affine(rational, ONE)},
                    max_order=50)

    assert str(error.value) == (
        "group.generators: the input action of u has infinite order, so it does not generate "
        "a finite group; declare relations in [group] relations only if G is meant to be "
        "infinite"
    )
    assert error.value.key == "group.generators"


def test_group_larger_than_bound_without_relations_is_rejected(rational):
    """A signed 4-cycle has order 8, above the bound of 5, although it has finite order."""
    eighth = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [-1, 0, 0, 0]]
    rotation = AffineMap(linear_map(rational, [[rational.convert(value) for value in row]
                                               for row in eighth]))
    with pytest.raises(GroupError) as error:
        GroupAction(["r"], {"r": rotation}, {"r": affine(rational, ONE)}, max_order=5)

    assert str(error.value) == (
        "group.generators: the group generated by r has more than 5 elements (or is "
        "infinite); declare relations in [group] relations so that G is defined by its "
        "presentation"
    )


def test_infinite_group_with_relations_is_accepted(rational):
    # v = u^2 presents the infinite cyclic group generated by the shear u.
    shear = affine(rational, SHEAR)
    inputs = {"u": shear, "v": shear.power(2)}
    outputs = {"u": affine(rational, ONE), "v": affine(rational, ONE)}

    action = GroupAction(["u", "v"], inputs, outputs, words(["v u^-2"], inputs), max_order=50)

    assert action.order is None
    assert action.cayley_graph is None


def test_group_needs_a_generator(rational):
    with pytest.raises(InputError) as error:
        GroupAction([], {}, {})

    assert str(error.value) == "a group needs at least one generator"


def test_group_needs_input_and_output_for_each_generator(rational):
    inputs = {"r": affine(rational, NEGATION), "m": affine(rational, NEGATION)}

    with pytest.raises(InputError) as error:
        GroupAction(["r", "m"], inputs, {"r": affine(rational, ONE)})

    assert str(error.value) == "generators without an input or output action: ['m']"


# -- latent homomorphisms ---------------------------------------------------------


@pytest.fixture
def sign_group(rational):
    """C2 generated by r, acting by -1 on a one-dimensional input and output."""
    return {"r": affine(rational, NEGATION)}, {"r": affine(rational, NEGATION)}


def test_latent_map_satisfying_relations_holds(square_image, rational):
    inputs, outputs = square_image
    action = GroupAction(["r", "m"], inputs, outputs, words(["r^4", "m^2", "m r m r"], inputs))
    latent = {"r": affine(rational, QUARTER_TURN), "m": affine(rational, MIRROR)}

    result = action.check_latent_homomorphism(latent, 2)

    assert result.holds is True
    assert all(check.holds for check in result.relations)
    assert [check.where for check in result.relations] == ["latent"] * 3
    assert result.cayley_consistent is True
    assert result.failing_word is None
    assert result.reason == (
        "every declared relation holds and the map is consistent on the Cayley graph of G"
    )


def test_latent_map_violating_relation_fails(square_image, rational):
    inputs, outputs = square_image
    action = GroupAction(["r", "m"], inputs, outputs, words(["r^4", "m^2", "m r m r"], inputs))
    # A shear for m breaks m^2 but keeps r^4.
    latent = {"r": affine(rational, QUARTER_TURN), "m": affine(rational, SHEAR)}

    result = action.check_latent_homomorphism(latent, 2)

    assert result.holds is False
    assert [check.holds for check in result.relations] == [True, False, False]
    assert result.failing_word == Word((("m", 2),))
    assert result.cayley_consistent is None
    assert result.reason == "the relation m^2 fails"


def test_latent_map_consistent_on_cayley_graph_holds(square_image, rational):
    inputs, outputs = square_image
    action = GroupAction(["r", "m"], inputs, outputs)
    latent = {"r": affine(rational, QUARTER_TURN), "m": affine(rational, MIRROR)}

    result = action.check_latent_homomorphism(latent, 2)

    assert result.holds is True
    assert result.relations == ()
    assert result.cayley_consistent is True
    assert result.failing_word is None
    assert result.reason == "consistent on the Cayley graph of G"
    sources = {name: action.joint(name) for name in action.generators}
    assert_homomorphism(sources, latent,
                        words(["r", "m", "r m", "m r", "r^3 m", "m r^-1", "r^4", "m r m r"],
                              latent))


def test_latent_map_inconsistent_on_cayley_graph_fails(sign_group, rational):
    inputs, outputs = sign_group
    action = GroupAction(["r"], inputs, outputs)
    identity = identity_affine(rational, 2)
    latent = {"r": affine(rational, QUARTER_TURN)}

    result = action.check_latent_homomorphism(latent, 2)

    assert result.holds is False
    assert result.cayley_consistent is False
    assert result.failing_word == Word((("r", 1), ("r", 1)))
    assert result.reason == "the word r r is the identity in G but not on the latent space"
    assert result.failing_word.evaluate(inputs, identity_affine(rational, 1)).is_identity
    assert result.failing_word.evaluate(latent, identity) != identity


def test_latent_map_not_factoring_through_group(sign_group, rational):
    # G = <r | r^4> acts on input and output through r -> -1, so r^2 acts trivially
    # there. The quarter turn satisfies r^4 but not r^2.
    inputs, outputs = sign_group
    action = GroupAction(["r"], inputs, outputs, words(["r^4"], ["r"]))

    result = action.check_latent_homomorphism({"r": affine(rational, QUARTER_TURN)}, 2)

    assert result.holds is True
    assert result.cayley_consistent is False
    assert result.failing_word is None
    assert result.reason == (
        "every declared relation holds; it does not factor through the matrix group, since "
        "the word r r acts trivially on input and output but not here"
    )


def test_latent_affine_flip_is_checked_with_translation(sign_group, rational):
    # The sigmoid flip h -> 1 - h on each coordinate is an involution.
    inputs, outputs = sign_group
    action = GroupAction(["r"], inputs, outputs)
    flip = affine(rational, [[-1, 0], [0, -1]], [1, 1])
    shifted = affine(rational, [[1, 0], [0, 1]], [1, 0])

    assert action.check_latent_homomorphism({"r": flip}, 2).holds is True
    assert action.check_latent_homomorphism({"r": shifted}, 2).holds is False


def test_latent_check_for_infinite_group(rational):
    shear = affine(rational, SHEAR)
    inputs = {"u": shear, "v": shear.power(2)}
    outputs = {"u": affine(rational, ONE), "v": affine(rational, ONE)}
    action = GroupAction(["u", "v"], inputs, outputs, words(["v u^-2"], inputs), max_order=50)
    latent = {"u": affine(rational, [[2]]), "v": affine(rational, [[4]])}

    result = action.check_latent_homomorphism(latent, 1)

    assert result.holds is True
    assert result.cayley_consistent is None
    assert result.reason == "every declared relation holds"
