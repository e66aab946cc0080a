"""``symequiv verify FILE...``: check every claim of each theory file."""

from __future__ import annotations

from symequiv.cli.common import print_error, print_json
from symequiv.errors import SymequivError
from symequiv.report import format_report, report_to_dict
from symequiv.theory import load


def add_parser(subparsers):
    parser = subparsers.add_parser("verify", help="check every claim of theory files",
                                   description="Check every claim of each theory file and "
                                   "print a report; exit 0 when all hold, 1 when one does "
                                   "not, 2 for bad input.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="theory files (TOML)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the witness searches (default 0)")
    parser.set_defaults(run=run)


def run(arguments):
    status = 0
    reports = []
    for path in arguments.files:
        try:
            report = load(path).verify(seed=arguments.seed)
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
