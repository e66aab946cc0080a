r"""Time certificate checking against deriving, and LaTeX generation against its output size.

Networks come from :func:`dihedral_networks.theory_text` (8x8 images, D4),
as in ``bench_derive.py``. Two measurements, each the best of ``--repeat``
runs in one process:

* check versus derive: ``Theory.derive`` against the kernel re-checking the
  certificate (``kernel.read`` of the written JSON and ``kernel.check``), for
  hidden widths ``8 * orbits``; the target is check time at most 1/5 of
  derive time on the largest network, [64, 1024, 1024, 10];
* LaTeX: ``derivation_latex`` with no elision, so the output grows with the
  network, and its time per kilobyte of output (target: flat, that is,
  generation linear in output size). The report is computed beforehand, so
  only the rendering is timed.

Usage::

    python benchmarks/bench_certificate.py                       # the default sizes
    python benchmarks/bench_certificate.py --orbits 32 128 --latex-orbits 1 2 4 --repeat 3
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from dihedral_networks import theory_text

import symequiv
from symequiv import kernel
from symequiv.certificate import build_certificate, write_certificate
from symequiv.latex import derivation_latex


def best_time(function, repeat):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def load(orbits, directory):
    path = pathlib.Path(directory) / f"dihedral-{orbits}.toml"
    path.write_text(theory_text(8, [orbits, orbits], 10, seed=orbits))
    return symequiv.load(path)


def measure_check(orbits, repeat, directory):
    theory = load(orbits, directory)

    def derive():
        theory.__dict__.pop("derivation", None)
        return theory.derive()

    derive_seconds, _ = best_time(derive, repeat)
    report = theory.verify()
    path = pathlib.Path(directory) / f"dihedral-{orbits}.json"
    write_seconds, _ = best_time(
        lambda: write_certificate(path, build_certificate(theory, report)), 1)
    check_seconds, results = best_time(lambda: kernel.check(kernel.read(path)), repeat)
    certified = [prop for prop, _, is_certified, _ in results if is_certified]
    return {"widths": list(theory.network.widths), "parameters": theory.network.parameter_count,
            "derive": derive_seconds, "write": write_seconds, "check": check_seconds,
            "bytes": path.stat().st_size, "certified": len(certified)}


def measure_latex(orbits, repeat, directory):
    theory = load(orbits, directory)
    report = theory.verify()
    seconds, text = best_time(
        lambda: derivation_latex(theory, report, max_dimension=10**9), repeat)
    return {"widths": list(theory.network.widths), "seconds": seconds, "bytes": len(text)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orbits", type=int, nargs="+", default=[32, 64, 128],
                        help="orbits of 8 neurons per hidden layer for check versus derive")
    parser.add_argument("--latex-orbits", type=int, nargs="+", default=[1, 2, 4, 8],
                        help="orbits per hidden layer for the LaTeX measurement")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing (best kept)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        checks = [measure_check(orbits, arguments.repeat, directory)
                  for orbits in arguments.orbits]
        latex = [measure_latex(orbits, arguments.repeat, directory)
                 for orbits in arguments.latex_orbits]
    print(f"{'widths':<22} {'parameters':>10} {'derive s':>9} {'check s':>8} "
          f"{'check/derive':>12} {'write s':>8} {'JSON MB':>8} {'re-checked':>10}")
    for row in checks:
        print(f"{row['widths']!s:<22} {row['parameters']:>10} {row['derive']:>9.3f} "
              f"{row['check']:>8.3f} {row['check'] / row['derive']:>12.2f} {row['write']:>8.3f} "
              f"{row['bytes'] / 1e6:>8.1f} {row['certified']:>8} of 4")
    print()
    print(f"{'widths':<22} {'LaTeX s':>8} {'output KB':>10} {'ms per KB':>10}")
    for row in latex:
        print(f"{row['widths']!s:<22} {row['seconds']:>8.3f} {row['bytes'] / 1e3:>10.1f} "
              f"{1e3 * row['seconds'] / (row['bytes'] / 1e3):>10.3f}")
    per_kilobyte = [row["seconds"] / row["bytes"] for row in latex]
    print(f"time per output byte, largest / smallest: "
          f"{max(per_kilobyte) / min(per_kilobyte):.2f}")


if __name__ == "__main__":
    main()
