"""``symequiv derive FILE``: print the latent actions the theorem constructs, and export them."""

from __future__ import annotations

import argparse

from symequiv.cli.common import load_theory, print_error, print_json
from symequiv.errors import SymequivError, UnsupportedError
from symequiv.report import derivation_to_dict, format_derivation, reparameterization_to_dict
from symequiv.theory.numeric_theory import NumericTheory


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "derive", help="construct the latent actions rho_i(g)",
        description="Run the theorem's construction on a theory file: for every hidden "
        "layer and generator, print the latent action rho_i(g) that makes the layer "
        "equivariant, and the reparameterized parameters theta* when they differ. Exit 0 "
        "when latent actions were derived at theta or theta*, 1 otherwise, 2 for bad input.")
    parser.add_argument("file", metavar="FILE", help="a theory file (TOML)")
    parser.add_argument("--json", action="store_true", help="print the derivation as JSON")
    parser.add_argument("--latex", metavar="OUT.tex",
                        help="write the derivation as a standalone LaTeX document")
    parser.add_argument("--latex-body", metavar="OUT.tex",
                        help="write the derivation as a LaTeX fragment to \\input into a "
                        "document that loads amsmath and amssymb")
    parser.add_argument("--latex-max-dimension", metavar="N", type=_positive_integer,
                        default=None,
                        help="in LaTeX output, elide matrices with more than N rows or "
                        "columns, and neuron-match tables with more than max(N, 64) rows "
                        "(default 10)")
    parser.add_argument("--certificate", metavar="OUT.json",
                        help="write a certificate that 'symequiv check' re-checks")
    parser.add_argument("--lean", metavar="OUT.lean",
                        help="write the layerwise equivariance statements as a Lean 4 file")
    parser.set_defaults(run=run)


def _positive_integer(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _write_outputs(arguments, theory, report):
    """Write the files the options request; returns one message line per file written."""
    written = []
    if arguments.certificate:
        from symequiv.certificate import build_certificate, write_certificate

        write_certificate(arguments.certificate, build_certificate(theory, report))
        written.append(f"certificate written to {arguments.certificate}")
    for path, standalone in ((arguments.latex, True), (arguments.latex_body, False)):
        if path:
            from symequiv.latex import write_latex
            from symequiv.latex.typeset import MAX_DIMENSION

            write_latex(path, theory, report, standalone=standalone,
                        max_dimension=arguments.latex_max_dimension or MAX_DIMENSION)
            written.append(f"LaTeX {'document' if standalone else 'fragment'} written to {path}")
    if arguments.lean:
        from symequiv.lean import write_lean

        write_lean(arguments.lean, theory, report)
        written.append(f"Lean statements written to {arguments.lean}")
    return written


def run(arguments):
    theory = load_theory(arguments.file)
    if theory is None:
        return 2
    exports = arguments.certificate or arguments.latex or arguments.latex_body or arguments.lean
    try:
        if exports and isinstance(theory, NumericTheory):
            raise UnsupportedError(
                theory.exact_only_message("LaTeX, certificates and Lean files"))
        if exports:
            report = theory.verify()
            derivation = report.derivation
            reparameterization = report.reparameterization
            reduced = report.reduced_derivation
            written = _write_outputs(arguments, theory, report)
        else:
            derivation = theory.derive()
            reparameterization = theory.reduce()
            reduced = None
            if (reparameterization.changed and reparameterization.verified
                    and reparameterization.formed):
                from symequiv.derivation.engine import derive

                reduced = derive(reparameterization.network, theory.action)
            written = []
    except SymequivError as error:
        print_error(error)
        return 2
    if arguments.json:
        print_json({
            "name": theory.name,
            "source": theory.source,
            "derivation": derivation_to_dict(derivation),
            "reparameterization": reparameterization_to_dict(reparameterization),
            "reduced_derivation": None if reduced is None else derivation_to_dict(reduced),
        })
    else:
        print(format_derivation(derivation, theory.name, theory.source, reparameterization,
                                reduced))
        for line in written:
            print(line)
    derived = derivation.derived or (reduced is not None and reduced.derived)
    return 0 if derived else 1
