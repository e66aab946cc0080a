r"""Time the tolerant matcher against the Hungarian algorithm, and inspect on a large network.

Matching: for each width ``w`` the script builds the rows of the two hidden
layers of a random network ``64 -> w -> w``, applies a random signed
permutation to them with relative noise (1e-6 in float64; float32 rounds the
rows instead), and times, in the same process,

* symequiv: :func:`symequiv.numeric.matching.match_float_rows`;
* baseline: the full residual matrix and
  :func:`scipy.optimize.linear_sum_assignment` on it.

It reports both times, their ratio and whether the assignments agree with each
other and with the planted one.

Inspect: it writes a planted mirror-equivariant tanh network
``784 -> 1024 -> 1024 -> 10`` (28x28 images, noise 1e-4) as ``.npz`` with a
theory file, runs ``symequiv inspect --samples 100000`` in a child process and
reports the wall time and the child's peak resident memory.

Usage::

    python benchmarks/bench_numeric.py                       # everything, best of 3
    python benchmarks/bench_numeric.py --widths 256 1024 --skip-inspect
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import numpy
import scipy.optimize

from symequiv.activations.symmetry import ScaleSet
from symequiv.numeric.matching import _residual_matrix, match_float_rows


def planted_layer(rng, size, length, dtype):
    source = rng.standard_normal((size, length))
    images = rng.permutation(size)
    signs = rng.choice([-1.0, 1.0], size)
    target = numpy.empty_like(source)
    target[images] = signs[:, None] * source
    if dtype == numpy.float64:
        target += 1e-6 * numpy.abs(target) * rng.standard_normal(target.shape)
    return source.astype(dtype), target.astype(dtype), images


def best_of(repeat, function, *arguments):
    """Return ``(fastest time, result)`` of ``repeat`` calls of ``function(*arguments)``."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*arguments)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def hungarian_images(source, target):
    costs, _ = _residual_matrix(source.astype(float), target.astype(float), ScaleSet.SIGN)
    targets, sources = scipy.optimize.linear_sum_assignment(costs)
    images = numpy.empty(len(source), dtype=int)
    images[sources] = targets
    return images


def time_matching(width, dtype, seed, repeat):
    rng = numpy.random.default_rng(seed)
    rows = []
    for length in (64 + 1, width + 1):
        source, target, images = planted_layer(rng, width, length, dtype)
        ours, match = best_of(repeat, match_float_rows, source, target, ScaleSet.SIGN, 1e-4,
                              rng)
        theirs, baseline_images = best_of(repeat, hungarian_images, source, target)
        rows.append({
            "ours": ours, "theirs": theirs,
            "agree": bool(numpy.array_equal(match.images, baseline_images)),
            "planted": bool(numpy.array_equal(match.images, images)),
            "status": match.status.value,
        })
    return {"width": width, "dtype": numpy.dtype(dtype).name,
            "ours": sum(row["ours"] for row in rows), "theirs": sum(row["theirs"] for row in rows),
            "agree": all(row["agree"] for row in rows),
            "planted": all(row["planted"] for row in rows),
            "status": ", ".join(row["status"] for row in rows)}


THEORY = """\
[theory]
name = "mirror-784-1024-1024-10"

[group]
generators = ["m"]
relations = ["m^2"]

[group.input]
m = {{ image = [28, 28], flip = "horizontal" }}

[group.output]
m = "trivial"

[model]
widths = [784, 1024, 1024, 10]
activation = "tanh"

[parameters]
file = "{weights}"
tolerance = "1e-2"
"""


def write_large_network(folder, seed=0):
    """Average random weights over the mirror so that the network is planted-equivariant."""
    rng = numpy.random.default_rng(seed)
    rows, columns = numpy.divmod(numpy.arange(784), 28)
    mirror = rows * 28 + (27 - columns)
    hidden = numpy.arange(1024).reshape(512, 2)[:, ::-1].reshape(-1)
    first = rng.standard_normal((1024, 784)) / 28
    second = rng.standard_normal((1024, 1024)) / 32
    third = rng.standard_normal((10, 1024)) / 32
    # W P = S W with P the mirror on pixels and S the swap of neurons 2k, 2k+1.
    first = (first + first[hidden][:, mirror]) / 2
    second = (second + second[hidden][:, hidden]) / 2
    third = (third + third[:, hidden]) / 2
    biases = [rng.standard_normal(1024), rng.standard_normal(1024), rng.standard_normal(10)]
    biases[0] = (biases[0] + biases[0][hidden]) / 2
    biases[1] = (biases[1] + biases[1][hidden]) / 2
    arrays = {"W1": first, "W2": second, "W3": third,
              "b1": biases[0], "b2": biases[1], "b3": biases[2]}
    arrays = {name: value + 1e-4 * numpy.abs(value).mean() * rng.standard_normal(value.shape)
              for name, value in arrays.items()}
    numpy.savez(folder / "large.npz", **arrays)
    path = folder / "large.toml"
    path.write_text(THEORY.format(weights="large.npz"), encoding="utf-8")
    return path


def time_inspect(samples):
    with tempfile.TemporaryDirectory() as directory:
        path = write_large_network(pathlib.Path(directory))
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "symequiv.cli.main", "inspect", str(path),
                                 "--samples", str(samples), "--no-progress"],
                                capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[256, 1024, 4096])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--skip-inspect", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per matching timing; the "
                        "fastest is kept (default 3)")
    arguments = parser.parse_args()

    print("| width | dtype | symequiv (s) | Hungarian on full matrix (s) | speed-up | same "
          "assignment | planted recovered |")
    print("| ---: | --- | ---: | ---: | ---: | --- | --- |")
    for width in arguments.widths:
        for dtype in (numpy.float64, numpy.float32):
            row = time_matching(width, dtype, seed=width, repeat=arguments.repeat)
            print(f"| {row['width']} | {row['dtype']} | {row['ours']:.3f} | {row['theirs']:.3f} "
                  f"| {row['theirs'] / row['ours']:.1f}x | {'yes' if row['agree'] else 'NO'} | "
                  f"{'yes' if row['planted'] else 'NO'} |", flush=True)
    if arguments.skip_inspect:
        return
    seconds, peak_mib, result = time_inspect(arguments.samples)
    print()
    print(f"inspect 784-1024-1024-10, {arguments.samples} samples: {seconds:.1f} s, peak "
          f"resident memory {peak_mib:.0f} MiB, exit status {result.returncode}")
    print(result.stdout)
    if result.returncode:
        print(result.stderr)


if __name__ == "__main__":
    main()
