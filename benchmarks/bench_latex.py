r"""Time LaTeX derivations, elided and in full, against the derivation itself.

For each hidden width ``n`` the script builds a tanh network
``R^2 -> R^n -> R^2`` equivariant under swapping the two coordinates (hidden
neurons swap in pairs), then measures, in the same process:

* derive: ``Theory.derive``, the baseline;
* elided: ``derivation_latex`` with the default bound (matrices above 10 rows or
  columns elided, neuron-match tables above 64 rows shortened);
* full: ``derivation_latex`` with ``max_dimension=n``, so nothing is elided;
* pdflatex: one compilation of each document (when ``pdflatex`` is installed),
  with the page count from its log, or pdflatex's error when it fails.

Each in-process timing is the best of ``--repeat`` runs. The report computed
by ``Theory.verify`` is shared, so the LaTeX timings cover rendering only.

Usage::

    python benchmarks/bench_latex.py                    # widths 16, 64, 256
    python benchmarks/bench_latex.py --widths 64 512 --repeat 3
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import symequiv
from symequiv.latex import derivation_latex


def swap_theory_text(hidden):
    """Return a theory file: a tanh network R^2 -> R^hidden -> R^2, equivariant under the swap."""
    pairs = [(index + 1, 2 * index + 3) for index in range(hidden // 2)]
    weights = [row for a, b in pairs for row in ([a, b], [b, a])]
    outgoing = [value for index in range(hidden // 2) for value in (index + 1, -index - 2)]
    swapped = [value for index in range(hidden // 2) for value in (-index - 2, index + 1)]
    return f"""
[theory]
name = "swap-{hidden}"

[group]
generators = ["s"]
relations = ["s^2"]

[group.input]
s = {{ permutation = [1, 0] }}

[group.output]
s = {{ permutation = [1, 0] }}

[model]
widths = [2, {hidden}, 2]
activation = "tanh"
bias = false

[parameters]
W1 = {weights}
W2 = [{outgoing}, {swapped}]
"""


def best_time(function, repeat):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def compile_seconds(text, name, directory):
    """Compile ``text`` once and return ``(seconds, pages)``.

    Returns ``(error, None)`` with pdflatex's first error line when it fails, and
    ``(None, None)`` when pdflatex is not installed.
    """
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return None, None
    (directory / f"{name}.tex").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                             f"{name}.tex"], cwd=directory, capture_output=True, text=True,
                            check=False, timeout=600)
    seconds = time.perf_counter() - start
    log = (directory / f"{name}.log").read_text(encoding="latin-1")
    if result.returncode != 0:
        error = next((line for line in log.splitlines() if line.startswith("!")), "failed")
        return error.lstrip("! "), None
    pages = re.search(r"Output written on .*? \((\d+) pages?", log)
    return seconds, int(pages.group(1)) if pages else None


def measure(hidden, repeat, directory):
    theory = symequiv.loads(swap_theory_text(hidden))

    def derive():
        theory.__dict__.pop("derivation", None)
        return theory.derive()

    derive_seconds, _ = best_time(derive, repeat)
    report = theory.verify()
    elided_seconds, elided = best_time(lambda: derivation_latex(theory, report), repeat)
    full_seconds, full = best_time(
        lambda: derivation_latex(theory, report, max_dimension=hidden), repeat)
    elided_compile, elided_pages = compile_seconds(elided, f"elided-{hidden}", directory)
    full_compile, full_pages = compile_seconds(full, f"full-{hidden}", directory)
    return {
        "hidden": hidden,
        "derive": derive_seconds,
        "elided": elided_seconds,
        "full": full_seconds,
        "elided_compile": elided_compile,
        "full_compile": full_compile,
        "elided_pages": elided_pages,
        "full_pages": full_pages,
    }


def format_seconds(value):
    """Format a time, or pass through pdflatex's error message when it failed."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[16, 64, 256],
                        help="even hidden widths to measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs per in-process timing")
    arguments = parser.parse_args()
    print("| hidden | derive (s) | elided (s) | elided / derive | full (s) | full / elided "
          "| pdflatex elided (s) | pdflatex full (s) | pages elided / full |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as directory:
        for hidden in arguments.widths:
            row = measure(hidden, arguments.repeat, pathlib.Path(directory))
            print(f"| {hidden} | {format_seconds(row['derive'])} "
                  f"| {format_seconds(row['elided'])} | {row['elided'] / row['derive']:.2f} "
                  f"| {format_seconds(row['full'])} | {row['full'] / row['elided']:.2f} "
                  f"| {format_seconds(row['elided_compile'])} "
                  f"| {format_seconds(row['full_compile'])} "
                  f"| {row['elided_pages']} / {row['full_pages']} |", flush=True)


if __name__ == "__main__":
    main()
