"""``symequiv identify FILE``: decide identifiability and show how."""

from __future__ import annotations

from symequiv.cli.common import load_theory, print_error, print_json
from symequiv.errors import SymequivError, UnsupportedError
from symequiv.identifiability.analysis import analysis_to_dict, analyze, format_analysis
from symequiv.identifiability.decide import decide_identifiability
from symequiv.models.dense import DenseLayer
from symequiv.theory.numeric_theory import NumericTheory
from symequiv.verdicts import Status

MAX_ORBIT_LISTED = 1000


def _orbit_count(text):
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if not 0 <= value <= MAX_ORBIT_LISTED:
        raise argparse.ArgumentTypeError(
            f"expected a count from 0 to {MAX_ORBIT_LISTED}, got {value}")
    return value


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "identify", help="decide whether the parameters are identifiable",
        description="Print each hidden activation's identities and latent group K, the "
        "parameter symmetries and the stabilizer of theta, the reduction to theta* and its "
        "submodel, every identifiability criterion with its hypotheses, the decision, the "
        "functional dimension, and the exact fiber for small polynomial networks. Exit 0 "
        "when the parameters are proved identifiable, 1 when they are not or it is "
        "undecided, 2 for bad input.")
    parser.add_argument("file", metavar="FILE", help="a theory file (TOML)")
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.add_argument("--orbit", type=_orbit_count, default=0, metavar="N",
                        help="list up to N parameters of the orbit of theta under the finite "
                        f"part of K (0 to {MAX_ORBIT_LISTED}, default 0)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the sampled inputs of a numeric functional dimension "
                        "(default 0)")
    parser.set_defaults(run=run)


def run(arguments):
    theory = load_theory(arguments.file)
    if theory is None:
        return 2
    if isinstance(theory, NumericTheory):
        print_error(UnsupportedError(
            "identify decides identifiability exactly and needs exact parameters, but this "
            f"theory reads float weights from {theory.weights_path}; run `symequiv inspect` "
            "to match the float weights within a tolerance"))
        return 2
    if not all(isinstance(layer, DenseLayer) for layer in theory.network.layers):
        return _run_other_kinds(theory, arguments)
    try:
        analysis = analyze(theory.network, orbit_limit=arguments.orbit, seed=arguments.seed)
    except SymequivError as error:
        print_error(error)
        return 2
    if arguments.json:
        print_json({"name": theory.name, "source": theory.source, **analysis_to_dict(analysis)})
    else:
        print(format_analysis(analysis, theory.name, theory.source))
    return 0 if analysis.verdict.status is Status.PROVED else 1


def _run_other_kinds(theory, arguments):
    """Show only the decision for networks with attention, convolution or other kinds.

    The activation identities, parameter groups, fibers and functional dimension
    are computed for multilayer perceptrons only.
    """
    try:
        verdict = decide_identifiability(theory.network)
    except SymequivError as error:
        print_error(error)
        return 2
    kinds = sorted({layer.kind for layer in theory.network.layers})
    note = (f"the network has {', '.join(kinds)} layers; the detailed analysis (activation "
            "identities, parameter symmetries, criteria, functional dimension, fibers) covers "
            "multilayer perceptrons only, so only the decision is shown")
    if arguments.json:
        print_json({"name": theory.name, "source": theory.source, "note": note,
                    "verdict": verdict.to_dict()})
    else:
        lines = [f"{theory.name}  ({theory.source})", note,
                 f"identifiable: {verdict.status.value}"
                 + (f" by {verdict.method}" if verdict.method != "none" else ""),
                 f"  {verdict.reason}"]
        if verdict.witness is not None:
            lines.append(f"  witness: {verdict.witness.describe()}")
        print("\n".join(lines))
    return 0 if verdict.status is Status.PROVED else 1
