"""``symequiv inspect FILE``: the numeric per-layer report on trained (or exact) weights."""

from __future__ import annotations

import argparse
import sys

import numpy

from symequiv.cli.common import load_theory, print_error, print_json
from symequiv.cli.progress import ProgressBar
from symequiv.errors import SymequivError
from symequiv.numeric.metric import DEFAULT_SAMPLES

DEFAULT_TOLERANCE = 1e-6


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 2, got {value}")
    return value


def _tolerance(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text}")
    return value


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "inspect", help="numeric per-layer report on trained weights",
        description="For every generator and hidden layer: fit A_i with A_i f_i(y) ~ "
        "f_i(g y) on noise inputs and report its median relative error and the nearest "
        "element of K_i; match the weights inside K_i and report the residual, the "
        "runner-up and the margin; then project the weights onto equivariant parameters "
        "and certify the projection exactly. Exit 0 after a report, 2 for bad input.")
    parser.add_argument("file", metavar="FILE", help="a theory file (TOML), with exact "
                        "parameters or a weights file")
    parser.add_argument("--samples", type=_positive_int, default=DEFAULT_SAMPLES,
                        help=f"noise inputs per generator, half to fit and half to measure "
                        f"(default {DEFAULT_SAMPLES})")
    parser.add_argument("--tolerance", type=_tolerance, default=None, metavar="TAU",
                        help="relative tolerance of the weight-space match (default: the "
                        f"file's [parameters] tolerance, else {DEFAULT_TOLERANCE:g})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise inputs "
                        "(default 0)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--plots", metavar="DIR", help="write PNG figures into DIR "
                        "(needs matplotlib, in the numeric extra: pip install "
                        "'symequiv[numeric]', or pip install -e '.[numeric]' from a checkout)")
    parser.add_argument("--image-shape", type=int, nargs=2, metavar=("HEIGHT", "WIDTH"),
                        help="draw first-layer filters as HEIGHT x WIDTH images (default: "
                        "square when the input dimension is a square)")
    parser.add_argument("--no-projection", action="store_true",
                        help="skip the projection onto equivariant parameters")
    parser.add_argument("--no-certify", action="store_true",
                        help="project, but skip the exact certification of the projection")
    parser.add_argument("--certificate", metavar="OUT.json",
                        help="write the certificate of the projected exact network, which "
                        "'symequiv check' re-checks")
    parser.add_argument("--latex", metavar="OUT.tex",
                        help="write the derivation of the projected exact network as a "
                        "standalone LaTeX document")
    parser.add_argument("--projected", metavar="OUT.npz",
                        help="write the projected weights (float64, with the input's array "
                        "names) to OUT.npz and their exact theory file to OUT.toml, which "
                        "'symequiv verify' proves")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="draw a progress bar on standard error (default: when it is a "
                        "terminal)")
    parser.set_defaults(run=run)


def run(arguments):
    from symequiv.numeric.inspection import (
        float_network_of,
        format_inspection,
        inspect_network,
        inspection_to_dict,
    )

    theory = load_theory(arguments.file)
    if theory is None:
        return 2
    tolerance = arguments.tolerance or getattr(theory, "tolerance", DEFAULT_TOLERANCE)
    network = float_network_of(theory)
    if arguments.image_shape is not None:
        height, width = arguments.image_shape
        if height * width != network.input_dimension:
            print_error(f"--image-shape {height} {width} has {height * width} pixels but the "
                        f"input dimension is {network.input_dimension}")
            return 2
    if (arguments.certificate or arguments.latex or arguments.projected) and (
            arguments.no_projection or arguments.no_certify):
        print_error("--certificate, --latex and --projected export the certified projection, "
                    "so they cannot be combined with --no-projection or --no-certify")
        return 2
    show_progress = sys.stderr.isatty() if arguments.progress is None else arguments.progress
    bar = None
    if show_progress:
        bar = ProgressBar(arguments.samples * len(theory.action.generators), "sampling")
    try:
        inspection = inspect_network(
            network, theory.action, arguments.samples, tolerance,
            numpy.random.default_rng(arguments.seed), progress=bar,
            project=not arguments.no_projection, certify=not arguments.no_certify,
            name=theory.name, source=theory.source)
        if bar is not None:
            bar.close()
        written = []
        if arguments.plots:
            from symequiv.numeric.plots import save_plots

            try:
                written = save_plots(inspection, theory.action, arguments.plots,
                                     arguments.image_shape)
            except OSError as error:
                print_error(f"{arguments.plots}: cannot write the plots: {error.strerror}")
                return 2
        exported = _export_projection(arguments, theory, inspection)
    except SymequivError as error:
        print_error(error)
        return 2
    if arguments.json:
        data = inspection_to_dict(inspection)
        data["plots"] = written
        print_json(data)
    else:
        print(format_inspection(inspection))
        for path in written:
            print(f"wrote {path}")
        for line in exported:
            print(line)
    return 0


def _export_projection(arguments, theory, inspection):
    """Write the certificate and LaTeX of the projected network; returns one line per file."""
    if not (arguments.certificate or arguments.latex or arguments.projected):
        return []
    from symequiv.numeric.projected_theory import projected_certificate, projected_theory

    lines = []
    if arguments.projected:
        from symequiv.numeric.projected_files import write_projected_files

        weights_path, theory_path = write_projected_files(arguments.projected, theory,
                                                          inspection)
        lines.append(f"projected weights written to {weights_path}, their exact theory to "
                     f"{theory_path}")
        if not (arguments.certificate or arguments.latex):
            return lines
    exact = projected_theory(theory, inspection)
    report = exact.verify()
    if arguments.certificate:
        from symequiv.certificate import write_certificate

        write_certificate(arguments.certificate,
                          projected_certificate(theory, inspection, report))
        lines.append(f"certificate of the projected network written to {arguments.certificate}")
    if arguments.latex:
        from symequiv.latex import write_latex

        write_latex(arguments.latex, exact, report)
        lines.append(f"LaTeX derivation of the projected network written to {arguments.latex}")
    return lines
