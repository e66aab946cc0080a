"""Tests of the derivation engine: the latent actions it constructs and the failures it reports."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy
import pytest

import symequiv
from symequiv.actions.maps import DenseMatrix, MonomialMatrix, identity_affine
from symequiv.derivation.engine import DerivationStatus, derive
from symequiv.errors import InputError
from tests.derivation.constructions import CYCLIC_LIFT, OCTAGON, ORDER_FOUR_LIFT
from tests.derivation.reference import (
    BUNDLED,
    ReferenceNetwork,
    apply_map,
    bundled_text,
    is_exactly_computable,
    load_bundled,
    to_fraction,
)


def _fractions(field, entries):
    return tuple(to_fraction(field.to_expr(entry)) for entry in entries)


def _summary(affine_map):
    """Return ``(images, scales, translation)`` of a monomial latent map, as Fractions."""
    field = affine_map.field
    linear = affine_map.linear
    assert isinstance(linear, MonomialMatrix)
    translation = None
    if affine_map.translation is not None:
        translation = _fractions(field, affine_map.translation)
    return linear.images, _fractions(field, linear.scales), translation


# Expected rho_i(g) for the bundled theories whose latent maps are monomial:
# theory -> ((layer, generator, images, scales, translation), ...).
MONOMIAL_LATENT_ACTIONS = {
    "tanh-swap": ((1, "s", (1, 0, 3, 2), (1, 1, 1, 1), None),),
    "tanh-reflection": ((1, "s", (1, 0, 3, 2), (1, 1, 1, 1), None),),
    "tanh-odd-signed": ((1, "n", (1, 0, 3, 2), (-1, -1, -1, -1), None),),
    "sigmoid-affine-flip": ((1, "n", (0, 2, 1), (-1, -1, -1), (1, 1, 1)),),
    "sigmoid-opposite-duplicate": ((1, "n", (0, 2, 1, 3), (-1, -1, -1, -1), (1, 1, 1, 1)),),
    "cubic-monomial": ((1, "a", (1, 0), (8, Fraction(1, 8)), None),),
    "relu-positive-scale": ((1, "a", (1, 0), (2, Fraction(1, 2)), None),),
    "leaky-relu-swap": ((1, "s", (1, 0, 3, 2), (2, Fraction(1, 2), 1, 1), None),),
    "relu-bypass": ((1, "n", (1, 0), (1, 1), None),),
    "relu-cyclic": ((1, "c", (1, 2, 3, 4, 0), (1,) * 5, None),
                    (2, "c", (1, 2, 3, 4, 0), (1,) * 5, None)),
    "square-invariant": ((1, "n", (0, 1, 2), (1, 1, 1), None),),
    "dihedral-image": ((1, "r", (1, 7, 6, 2, 3, 0, 4, 5), (1,) * 8, None),
                       (1, "m", (2, 3, 0, 1, 7, 6, 5, 4), (1,) * 8, None)),
}


@pytest.mark.parametrize("name", sorted(MONOMIAL_LATENT_ACTIONS))
def test_derive_bundled_monomial_latent_actions(name):
    """The latent maps of the bundled theories match the expected images, scales and shifts.

    Each of these theories has a unique latent element per generator
    (``unique`` is True), so the expected maps are the only correct results.
    test_derived_layers_are_equivariant re-checks them.
    """
    theory = load_bundled(name)

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.unique is True
    assert len(derivation.latent_actions) == theory.network.depth - 1
    for layer, generator, images, scales, translation in MONOMIAL_LATENT_ACTIONS[name]:
        shift = None if translation is None else tuple(Fraction(value) for value in translation)
        expected = (images, tuple(Fraction(scale) for scale in scales), shift)
        assert _summary(derivation.latent_map(layer, generator)) == expected


def test_derive_tanh_swap_pair_swap():
    """tanh-swap: rho_1(s) permutes the hidden neurons as (1 2)(3 4), with no signs or shift."""
    theory = load_bundled("tanh-swap")

    derivation = derive(theory.network, theory.action)
    latent = derivation.latent_map(1, "s")

    assert latent.linear.images == (1, 0, 3, 2)
    assert latent.linear.is_permutation
    assert latent.translation is None
    assert derivation.reason == "every layer is equivariant under the constructed latent actions"


def test_derive_cubic_monomial_scales_are_cubes():
    """cubic-monomial: pre-activation scales 2 and 1/2 give latent scales 2^3 = 8 and 1/8."""
    theory = load_bundled("cubic-monomial")

    element = derive(theory.network, theory.action).latent_actions[0]["a"]

    assert _fractions(theory.network.field, element.preactivation_scales) == (2, Fraction(1, 2))
    assert _fractions(theory.network.field, element.map.linear.scales) == (8, Fraction(1, 8))


def test_derive_linear_swap_dense_map():
    r"""linear-swap: the latent map is :math:`W_1 P W_1^{-1} = [[2, -3], [1, -2]]` plus (2, 2).

    With the identity activation, :math:`f_1(P x) = A f_1(x) + t` forces
    :math:`A = W_1 P W_1^{-1}` and :math:`t = b_1 - A b_1 = (1, 1) - (-1, -1)`.
    """
    theory = load_bundled("linear-swap")
    field = theory.network.field

    latent = derive(theory.network, theory.action).latent_map(1, "s")

    assert isinstance(latent.linear, DenseMatrix)
    rows = tuple(_fractions(field, row) for row in latent.linear.rows())
    assert rows == ((2, -3), (1, -2))
    assert _fractions(field, latent.translation) == (2, 2)


def test_derive_dihedral_satisfies_relations():
    """dihedral-image: rho_1(r) and rho_1(m) are permutations with r^4 = m^2 = (m r)^2 = 1."""
    theory = load_bundled("dihedral-image")
    derivation = derive(theory.network, theory.action)
    rotation = derivation.latent_map(1, "r")
    mirror = derivation.latent_map(1, "m")
    identity = identity_affine(theory.network.field, 8)

    assert rotation.linear.is_permutation
    assert mirror.linear.is_permutation
    assert rotation.translation is None
    assert mirror.translation is None
    assert rotation.power(4) == identity
    assert rotation.power(2) != identity
    assert mirror.power(2) == identity
    assert mirror.compose(rotation).power(2) == identity
    assert all(check.holds for check in derivation.homomorphism_checks)


def _assert_layerwise_equivariant(theory, derivation, rng):
    r"""Check :math:`f_i(k_{i-1} y) = k_i f_i(y)` at seeded points with reference arithmetic.

    Here :math:`k_0 = \rho_{in}(g)` and :math:`k_L = \rho_{out}(g)`. Free symbols
    get seeded integer values: a derivation over the rational functions in the
    symbols is valid for every value where the parameters are defined.
    """
    network = theory.network
    substitutions = {str(symbol): str(int(rng.integers(2, 9))) for symbol in network.field.symbols}
    exact = is_exactly_computable(network) and network.field.is_rational

    with mpmath.workdps(60):
        reference = ReferenceNetwork(network, substitutions, exact=exact)
        for generator in theory.action.generators:
            maps = ([theory.action.input[generator]]
                    + [derivation.latent_map(layer, generator)
                       for layer in range(1, network.depth)]
                    + [theory.action.output[generator]])
            for layer in range(1, network.depth + 1):
                for _ in range(3):
                    point = [Fraction(int(value), 4) for value in
                             rng.integers(-12, 13, size=network.widths[layer - 1])]
                    if not exact:
                        point = [mpmath.mpf(value.numerator) / value.denominator
                                 for value in point]
                    left = reference.layer(layer, apply_map(maps[layer - 1], point, exact,
                                                            substitutions))
                    right = apply_map(maps[layer], reference.layer(layer, point), exact,
                                      substitutions)
                    for a, b in zip(left, right):
                        if exact:
                            assert a == b
                        else:
                            assert abs(a - b) < mpmath.mpf(10) ** -50


@pytest.mark.parametrize("name", BUNDLED)
def test_derived_layers_are_equivariant(name):
    """Every derivation of a bundled theory is re-checked layer by layer, independently."""
    theory = load_bundled(name)
    derivation = derive(theory.network, theory.action)
    if not derivation.derived:
        pytest.skip(f"{name} has no layerwise derivation ({derivation.status.value})")

    _assert_layerwise_equivariant(theory, derivation, numpy.random.default_rng(0))


def test_derive_octagon_rotation_cycle():
    """octagon: the rotation by 45 degrees, over QQ(sqrt(2)), shifts the neurons by one."""
    theory = symequiv.loads(OCTAGON)

    derivation = derive(theory.network, theory.action)

    assert str(theory.network.field) == "QQ<sqrt(2)>"
    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.unique is True
    rotation = derivation.latent_map(1, "r")
    assert rotation.linear.images == (1, 2, 3, 4, 5, 6, 7, 0)
    assert rotation.linear.is_permutation
    assert rotation.power(8).is_identity
    assert not rotation.power(4).is_identity
    _assert_layerwise_equivariant(theory, derivation, numpy.random.default_rng(1))


# -- no latent action ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param(
            "gelu-bypass",
            "for the generator s, layer f_1: 1 neuron of the transformed layer (neuron 1) but 0 "
            "of the original layer have normalized row (0, 1, 0), exactly",
            id="gelu-bypass",
        ),
        pytest.param(
            "tanh-not-equivariant",
            "for the generator s, layer f_1: 1 neuron of the transformed layer (neuron 1) but 0 "
            "of the original layer have normalized row (2, 1, 1), up to sign",
            id="tanh-not-equivariant",
        ),
        pytest.param(
            "tanh-dead-neuron",
            "for the generator s, layer f_1: 1 neuron of the transformed layer (neuron 5) but 0 "
            "of the original layer have normalized row (7, 5, 2), up to sign",
            id="tanh-dead-neuron",
        ),
    ],
)
def test_derive_reports_missing_latent_action(name, reason):
    """GELU determines each neuron exactly and tanh up to sign, so a row without partner proves
    that no latent element exists for the generator."""
    theory = load_bundled(name)

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert derivation.failure_generator == "s"
    assert derivation.failure_layer == 1
    assert derivation.reason == reason
    assert derivation.latent_actions == ()
    assert not derivation.derived


def test_derive_symbolic_bias_inconclusive():
    """A symbol in a bias makes the row match incomplete: a scale depending on the symbol
    could relate rows, so a missing partner proves nothing."""
    text = bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                              'b1 = ["a", "1/2", -1, -1]')
    theory = symequiv.loads(text)

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.INCONCLUSIVE
    assert derivation.failure_generator == "s"
    assert derivation.failure_layer == 1
    assert derivation.reason.endswith(
        "; the search was incomplete, so other latent elements may exist")


# -- uniqueness ----------------------------------------------------------------------------

ZERO_NEURON = """
[theory]
name = "tanh-swap-zero-neuron"

[group]
generators = ["s"]
relations = ["s^2"]

[group.input]
s = { permutation = [1, 0] }

[group.output]
s = { permutation = [1, 0] }

[model]
widths = [2, 5, 2]
activation = "tanh"

[parameters]
W1 = [[1, 2], [2, 1], [1, -3], [-3, 1], [0, 0]]
b1 = ["1/2", "1/2", -1, -1, 0]
W2 = [[1, 2, 3, -1, 0], [2, 1, -1, 3, 0]]
b2 = [1, 1]
"""


def test_derive_tanh_swap_unique():
    """tanh-swap has no two neurons equal up to sign and no constant neuron, so k_1(s) is unique."""
    theory = load_bundled("tanh-swap")

    derivation = derive(theory.network, theory.action)

    assert derivation.unique is True
    assert derivation.steps["s"].relation.unique is True
    assert len(derivation.steps["s"].relation.chains) == 1


def test_derive_zero_neuron_not_unique():
    """A zero neuron computes tanh(0) = 0, which both signs fix, so k_1(s) may flip it."""
    theory = symequiv.loads(ZERO_NEURON)

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.unique is False
    chains = derivation.steps["s"].relation.chains
    assert len(chains) == 2
    assert {chain.elements[0].map.linear.scales[4] for chain in chains} == {
        theory.network.field.one, -theory.network.field.one}
    assert all(chain.elements[0].map.linear.images == (1, 0, 3, 2, 4) for chain in chains)


# -- homomorphism --------------------------------------------------------------------------


def test_derive_order_four_lift_rejected():
    r"""Every :math:`k_1(s)` has order 4, so no choice respects :math:`s^2 = 1`.

    The pairs :math:`(g, k)` relating :math:`\theta^g` to :math:`\theta` form a
    cyclic group of order 4 over :math:`G = \mathbb{Z}/2`, a non-split
    extension, so no homomorphism :math:`G \to K_1` exists.
    """
    theory = symequiv.loads(ORDER_FOUR_LIFT.format(relations='relations = ["s^2"]'))
    field = theory.network.field

    derivation = derive(theory.network, theory.action)

    chains = derivation.steps["s"].relation.chains
    assert len(chains) == 2
    assert derivation.steps["s"].relation.complete
    for chain in chains:
        square = chain.elements[0].map.power(2)
        assert not square.is_identity
        assert square.linear.scales[2:] == (-field.one, -field.one)
    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert derivation.reason == ("the latent elements found at layer f_1 do not form a "
                                 "homomorphism: the relation s^2 fails")
    assert derivation.failure_layer == 1
    assert derivation.failure_generator is None
    assert derivation.unique is False
    assert derivation.latent_actions == ()


def test_derive_order_four_lift_cayley():
    """Without declared relations the Cayley graph of G finds the failing word s s."""
    theory = symequiv.loads(ORDER_FOUR_LIFT.format(relations=""))

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.NO_LATENT_ACTION
    assert derivation.reason == ("the latent elements found at layer f_1 do not form a "
                                 "homomorphism: the word s s is the identity in G but not on "
                                 "the latent space")


def test_derive_max_combinations_inconclusive():
    """With one combination tried of two, a failed relation no longer proves anything."""
    theory = symequiv.loads(ORDER_FOUR_LIFT.format(relations='relations = ["s^2"]'))

    derivation = derive(theory.network, theory.action, max_combinations=1)

    assert derivation.status is DerivationStatus.INCONCLUSIVE
    assert derivation.reason == ("the latent elements found at layer f_1 do not form a "
                                 "homomorphism: the relation s^2 fails; other choices of "
                                 "latent elements were not all tried")


@pytest.mark.parametrize("relations", ['relations = ["c^3"]', ""], ids=["relations", "cayley"])
def test_derive_chooses_homomorphic_combination(relations):
    r"""Of the two latent elements for c only :math:`-Q` (order 3) gives a homomorphism.

    :math:`Q^3 = -1` on the zero neurons because the signs of the 3-cycle
    multiply to -1; negating all three signs gives :math:`(-Q)^3 = 1`.
    """
    theory = symequiv.loads(CYCLIC_LIFT.format(relations=relations))
    action = theory.action

    derivation = derive(theory.network, action)

    chains = derivation.steps["c"].relation.chains
    respects_relations = [
        action.check_latent_homomorphism({"c": chain.elements[0].map}, 6).holds
        for chain in chains]
    assert sorted(respects_relations) == [False, True]
    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.unique is False
    chosen = derivation.latent_map(1, "c")
    assert chosen == chains[respects_relations.index(True)].elements[0].map
    assert chosen.power(3).is_identity
    assert derivation.latent_map(2, "c").power(3).is_identity


def test_derive_first_combination_violates_relation():
    """The matcher lists Q before -Q, so with max_combinations=1 only the failing Q is tried."""
    theory = symequiv.loads(CYCLIC_LIFT.format(relations='relations = ["c^3"]'))

    derivation = derive(theory.network, theory.action, max_combinations=1)

    assert derivation.status is DerivationStatus.INCONCLUSIVE
    assert derivation.reason == ("the latent elements found at layer f_1 do not form a "
                                 "homomorphism: the relation c^3 fails; other choices of "
                                 "latent elements were not all tried")


def test_derive_network_without_hidden_layer():
    """An affine network commuting with the swap is derived with no latent action to build."""
    theory = symequiv.loads("""
[theory]
name = "affine-swap"
[group]
generators = ["s"]
relations = ["s^2"]
[group.input]
s = { permutation = [1, 0] }
[group.output]
s = { permutation = [1, 0] }
[model]
widths = [2, 2]
[parameters]
W1 = [[2, 1], [1, 2]]
b1 = [3, 3]
""")

    derivation = derive(theory.network, theory.action)

    assert derivation.status is DerivationStatus.DERIVED
    assert derivation.latent_actions == ()
    assert derivation.unique is True


def test_derive_steps_hold_adjoint_parameters():
    r"""Step 1 moves g onto the first and last layer: :math:`W_1 \rho_{in}(g)` and
    :math:`\rho_{out}(g)^{-1} W_L`."""
    theory = load_bundled("tanh-swap")
    field = theory.network.field

    step = derive(theory.network, theory.action).steps["s"]

    first = tuple(_fractions(field, row) for row in step.adjoint.layers[0].weights)
    last = tuple(_fractions(field, row) for row in step.adjoint.layers[1].weights)
    assert first == ((2, 1), (1, 2), (-3, 1), (1, -3))
    assert last == ((2, 1, -1, 3), (1, 2, 3, -1))
    assert step.generator == "s"


def test_latent_map_rejects_layer_out_of_range():
    derivation = load_bundled("tanh-swap").derive()

    with pytest.raises(InputError, match=r"layer must be a hidden layer from 1 to 1, got 0"):
        derivation.latent_map(0, "s")
    with pytest.raises(InputError, match=r"layer must be a hidden layer from 1 to 1, got 2"):
        derivation.latent_map(2, "s")


def test_latent_map_rejects_unknown_generator():
    derivation = load_bundled("tanh-swap").derive()

    with pytest.raises(InputError, match=r"unknown generator 'zz'; the generators are s"):
        derivation.latent_map(1, "zz")


def test_latent_map_of_failed_derivation_raises():
    derivation = load_bundled("gelu-bypass").derive()

    with pytest.raises(InputError, match=r"^no latent action was derived: for the generator s"):
        derivation.latent_map(1, "s")
