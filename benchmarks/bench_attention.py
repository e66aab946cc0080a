r"""Time deriving latent actions for an attention layer under groups of growing order.

For each group of :func:`attention_networks.theory_text` (token reversal,
cyclic shift, and the dihedral group they generate) the script writes a
theory file and measures, in the same process:

* load: ``symequiv.load`` (TOML parsing, exact conversion, group check);
* derive: ``Theory.derive`` (adjunction, matching of heads, homomorphism checks).

The reversal group (order 2, one generator) is the baseline. The derive time
should follow the number of generators, not the order of the group, so it
reports derive time per generator relative to the baseline. Each timing is
the best of ``--repeat`` runs.

Usage::

    python benchmarks/bench_attention.py                       # n = 16, d = 64, h = 8
    python benchmarks/bench_attention.py --tokens 8 --features 16 --heads 4 --repeat 3
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from attention_networks import theory_text

import symequiv

GROUPS = ("reversal", "shift", "dihedral")


def best_time(function, repeat):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def measure(group, arguments, directory):
    path = pathlib.Path(directory) / f"attention-{group}.toml"
    path.write_text(theory_text(arguments.tokens, arguments.features, arguments.heads, group))
    load_seconds, theory = best_time(lambda: symequiv.load(path), arguments.repeat)

    def derive():
        theory.__dict__.pop("derivation", None)
        return theory.derive()

    derive_seconds, derivation = best_time(derive, arguments.repeat)
    if not derivation.derived:
        raise SystemExit(f"the derivation failed for {group}: {derivation.reason}")
    return {
        "group": group,
        "generators": len(theory.action.generators),
        "order": theory.action.order,
        "parameters": theory.network.parameter_count,
        "load": load_seconds,
        "derive": derive_seconds,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=16, help="number of tokens n (default 16)")
    parser.add_argument("--features", type=int, default=64,
                        help="features per token d (default 64)")
    parser.add_argument("--heads", type=int, default=8, help="number of heads h, even (default 8)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing (best kept)")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for group in GROUPS:
            rows.append(measure(group, arguments, directory))
    baseline = rows[0]["derive"] / rows[0]["generators"]
    print(f"n = {arguments.tokens}, d = {arguments.features}, h = {arguments.heads}, "
          f"{rows[0]['parameters']} parameters")
    print(f"{'group':<10} {'generators':>10} {'order':>6} {'load s':>8} {'derive s':>9} "
          f"{'derive/generator s':>19} {'vs baseline':>12}")
    for row in rows:
        per_generator = row["derive"] / row["generators"]
        print(f"{row['group']:<10} {row['generators']:>10} {row['order']:>6} "
              f"{row['load']:>8.3f} {row['derive']:>9.3f} {per_generator:>19.3f} "
              f"{per_generator / baseline:>12.2f}")


if __name__ == "__main__":
    main()
