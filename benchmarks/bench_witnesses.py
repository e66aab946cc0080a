"""Time the second-parameter search on one-hidden-layer ReLU networks that violate (G4).

Usage::

    python benchmarks/bench_witnesses.py [--repeat 3]

For widths ``[2, n, 1]`` the outgoing weights are chosen so that
``sum_j c_j w_j^T = 0`` over all ``n`` neurons and over no smaller set, so
both the bypass criterion's (G4) check and the witness search try every
smaller subset first. The baseline is the bypass criterion on the same
network, in the same process; the table reports the witness search as a
ratio to it. Each time is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from fractions import Fraction

import numpy

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symequiv.activations.catalogue import NAMED
from symequiv.exact.field import ExactField
from symequiv.identifiability.catalogue import evaluate_criteria
from symequiv.identifiability.witnesses import find_parameter_witness
from symequiv.models.network import Network

WIDTHS = (3, 6, 9, 12)


def flip_network(width, seed):
    """Return a ReLU network [2, width, 1] whose c_j w_j^T sum to 0 over all neurons."""
    field = ExactField.rational()
    rng = numpy.random.default_rng(seed)
    rows = [[int(value) for value in rng.integers(1, 30, size=2)] for _ in range(width - 1)]
    outgoing = [int(value) for value in rng.integers(1, 30, size=width - 1)]
    # The last neuron cancels the others: c_n = 1, w_n = -sum c_j w_j.
    rows.append([-sum(c * row[axis] for c, row in zip(outgoing, rows)) for axis in range(2)])
    outgoing.append(1)
    biases = [int(value) for value in rng.integers(-20, 21, size=width)]
    weights = [[[field.convert(Fraction(value)) for value in row] for row in rows],
               [[field.convert(Fraction(value)) for value in outgoing]]]
    return Network.mlp(field, weights, [[field.convert(b) for b in biases], [field.zero]],
                       [NAMED["relu"]])


def best(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    arguments = parser.parse_args()
    print("| widths | bypass criterion (s) | witness search (s) | ratio | witness found |")
    print("| --- | ---: | ---: | ---: | --- |")
    for width in WIDTHS:
        network = flip_network(width, seed=width)
        criterion = best(lambda network=network: evaluate_criteria(network, ("bypass",)),
                         arguments.repeat)
        found = {}

        def search(network=network, found=found):
            found["witness"] = find_parameter_witness(network)

        witness = best(search, arguments.repeat)
        print(f"| [2, {width}, 1] | {criterion:.4f} | {witness:.4f} | "
              f"{witness / criterion:.1f} | {found['witness'] is not None} |")


if __name__ == "__main__":
    main()
