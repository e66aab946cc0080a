"""``symequiv derive FILE``: print the latent actions the theorem constructs."""

from __future__ import annotations

from symequiv.cli.common import load_theory, print_error, print_json
from symequiv.errors import SymequivError
from symequiv.report import derivation_to_dict, format_derivation, reparameterization_to_dict


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "derive", help="construct the latent actions rho_i(g)",
        description="Run the theorem's construction on a theory file: for every hidden "
        "layer and generator, print the latent action rho_i(g) that makes the layer "
        "equivariant, and the reparameterized parameters theta* when they differ. Exit 0 "
        "when latent actions were derived at theta or theta*, 1 otherwise, 2 for bad input.")
    parser.add_argument("file", metavar="FILE", help="a theory file (TOML)")
    parser.add_argument("--json", action="store_true", help="print the derivation as JSON")
    parser.set_defaults(run=run)


def run(arguments):
    theory = load_theory(arguments.file)
    if theory is None:
        return 2
    try:
        derivation = theory.derive()
        reparameterization = theory.reduce()
        reduced = None
        if reparameterization.changed and reparameterization.verified:
            from symequiv.derivation.engine import derive

            reduced = derive(reparameterization.network, theory.action)
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
    derived = derivation.derived or (reduced is not None and reduced.derived)
    return 0 if derived else 1
