"""The per-layer report behind ``symequiv inspect``: the matcher's generator and warnings."""

from __future__ import annotations

import numpy

from symequiv.activations.catalogue import NAMED
from symequiv.numeric.inspection import format_inspection, inspect_network, inspection_to_dict
from symequiv.numeric.network import network_from_arrays
from tests.numeric.planted import planted_network


def wide_random_network():
    """A network of 300 tanh neurons, where the runner-up depends on the random projection."""
    rng = numpy.random.default_rng(5)
    return network_from_arrays([rng.standard_normal((300, 4)), rng.standard_normal((2, 300))],
                               [rng.standard_normal(300), rng.standard_normal(2)],
                               [NAMED["tanh"]])


def swap_action():
    _, action, _ = planted_network(numpy.random.default_rng(0), [4, 4, 2], "tanh")
    return action


def test_runner_up_does_not_depend_on_samples():
    network = wide_random_network()
    action = swap_action()

    runner_ups = []
    for samples in (20, 200):
        inspection = inspect_network(network, action, samples, 1e-2,
                                     numpy.random.default_rng(0), project=False)
        runner_ups.append(inspection.generators[0].layers[0].match.runner_up)

    assert runner_ups[0] == runner_ups[1]


def test_underdetermined_fit_is_warned():
    network = wide_random_network()

    inspection = inspect_network(network, swap_action(), 100, 1e-2, numpy.random.default_rng(0),
                                 project=False)

    expected = ("the fit of A_1 is underdetermined: 50 fit samples for 300 unknowns per row; "
                "use --samples of at least 602, and many more for a stable fit")
    assert inspection.warnings == (expected,)
    assert format_inspection(inspection).splitlines()[-1] == f"warning: {expected}"
    assert inspection_to_dict(inspection)["warnings"] == [expected]


def test_enough_samples_give_no_warning():
    rng = numpy.random.default_rng(2)
    network, action, _ = planted_network(rng, [4, 6, 2], "tanh")

    inspection = inspect_network(network, action, 16, 1e-6, rng, project=False)

    assert inspection.warnings == ()
