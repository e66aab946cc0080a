"""``symequiv verify FILE...``: check every claim of each theory file."""

from __future__ import annotations

import argparse

from symequiv.cli.common import print_error, print_json
from symequiv.errors import SymequivError
from symequiv.report import format_report, report_to_dict
from symequiv.theory import load


def add_parser(subparsers):
    parser = subparsers.add_parser("verify", help="check every claim of theory files",
                                   description="Check every claim of each theory file and "
                                   "print a report; exit 0 when all hold, 1 when one does "
                                   "not, 2 for bad input. For float weights, numerical "
                                   "evidence counts as holding unless --strict is given.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="theory files (TOML)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the witness searches and of the sampling (default 0)")
    parser.add_argument("--strict", action="store_true",
                        help="count only proofs and refutations; numerical evidence from "
                        "float weights then does not make a claim hold")
    parser.add_argument("--tolerance", type=_tolerance, default=None, metavar="TAU",
                        help="relative tolerance for theories with float weights, overriding "
                        "[parameters] tolerance (default: the file's, else 1e-6)")
    parser.set_defaults(run=run)


def _tolerance(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text}")
    return value


def run(arguments):
    status = 0
    reports = []
    for path in arguments.files:
        try:
            report = load(path).verify(seed=arguments.seed, strict=arguments.strict,
                                       tolerance=arguments.tolerance)
        except SymequivError as error:
            print_error(error)
            status = 2
            # Keep the JSON list aligned with the arguments.
            reports.append({"source": path, "error": str(error)})
            continue
        if not report.all_hold and status == 0:
            status = 1
        if arguments.json:
            reports.append(report_to_dict(report))
        else:
            print(format_report(report))
    if arguments.json:
        print_json(reports)
    return status
