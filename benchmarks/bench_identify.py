"""Time reduction and criteria checks, exact fibers and a numeric functional dimension.

Usage::

    python benchmarks/bench_identify.py [--repeat 3]

Three measurements, each the best of ``--repeat`` runs in one process:

1. reduction (``reduce_network``) and the criteria catalogue on one-hidden-layer
   tanh networks with random integer weights at three sizes up to 10^6
   parameters, with the time per parameter and the ratio of each size's time
   per parameter to the smallest's;
2. the exact fiber of every bundled theory with power activations;
3. the numeric functional dimension of a width-64 network of depth 3
   (widths [64, 64, 64, 1], tanh).
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import symequiv
from symequiv.activations.catalogue import NAMED
from symequiv.exact.field import ExactField
from symequiv.identifiability import fibers
from symequiv.identifiability.catalogue import evaluate_criteria
from symequiv.identifiability.functional_dimension import functional_dimension
from symequiv.identifiability.reduction import reduce_network
from symequiv.models.network import Network

SIZES = [(100, 100, 10), (100, 1000, 10), (100, 9000, 10)]
# One output, so the Jacobian has one row per input: a few more rows than parameters.
SAMPLES = 8_500


def random_network(widths, activation, seed):
    field = ExactField.rational()
    rng = numpy.random.default_rng(seed)
    weights = []
    biases = []
    for inputs, outputs in zip(widths, widths[1:]):
        weights.append([[field.convert(int(value)) for value in row]
                        for row in rng.integers(-50, 51, size=(outputs, inputs))])
        biases.append([field.convert(int(value)) for value in rng.integers(-50, 51, size=outputs)])
    return Network.mlp(field, weights, biases, [activation] * (len(widths) - 2))


def best(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def linear_scaling(repeat):
    print("| widths | parameters | reduction (s) | criteria (s) | total per parameter (us) "
          "| ratio to smallest |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    first = None
    for widths in SIZES:
        network = random_network(widths, NAMED["tanh"], seed=1)
        count = network.parameter_count
        reduction = best(lambda network=network: reduce_network(network), repeat)
        criteria = best(lambda network=network: evaluate_criteria(
            network, ("sussmann", "bypass", "fefferman", "necessary", "linear")), repeat)
        per_parameter = (reduction + criteria) / count * 1e6
        first = first or per_parameter
        print(f"| {list(widths)} | {count:,} | {reduction:.3f} | {criteria:.3f} | "
              f"{per_parameter:.2f} | {per_parameter / first:.2f} |")


def fiber_times(repeat):
    print("| theory | parameters | verdict | cases | time (s) |")
    print("| --- | ---: | --- | ---: | ---: |")
    for path in sorted((ROOT / "theories").glob("*.toml")):
        network = symequiv.load(path).network
        if fibers.applicability(network) is not None:
            continue
        result = {}

        def compute(network=network, result=result):
            result["fiber"] = fibers.compute_fiber(network)

        seconds = best(compute, repeat)
        fiber = result["fiber"]
        print(f"| {path.stem} | {network.parameter_count} | {fiber.verdict.status.value} | "
              f"{fiber.cases} | {seconds:.2f} |")


def dimension_time(repeat):
    network = random_network((64, 64, 64, 1), NAMED["tanh"], seed=2)
    scaled = Network([layer.with_parameters(
        [[entry / 400 for entry in row] for row in layer.weights],
        [entry / 400 for entry in layer.bias]) for layer in network.layers])
    result = {}

    def compute():
        result["dimension"] = functional_dimension(scaled, samples=SAMPLES, seed=0)

    seconds = best(compute, repeat)
    dimension = result["dimension"]
    print(f"functional dimension of widths [64, 64, 64, 1] (tanh, {dimension.parameters} "
          f"parameters, {dimension.samples} inputs): rank {dimension.rank}, {seconds:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    arguments = parser.parse_args()
    linear_scaling(arguments.repeat)
    print()
    fiber_times(arguments.repeat)
    print()
    dimension_time(arguments.repeat)


if __name__ == "__main__":
    main()
