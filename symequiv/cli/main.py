r"""Entry point of the ``symequiv`` command.

Exit status: 0 when every claim holds, 1 when a claim is refuted or could not
be established, 2 for bad input or usage. Each subcommand lives in its own
module and registers its arguments through ``add_parser``.
"""

from __future__ import annotations

import argparse
import os
import sys

from symequiv import __version__
from symequiv.cli import (
    check_command,
    derive_command,
    identify_command,
    inspect_command,
    search_command,
    verify_command,
)

EXIT_OK = 0
EXIT_CLAIM_FAILED = 1
EXIT_BAD_INPUT = 2

COMMANDS = (verify_command, derive_command, identify_command, inspect_command, check_command,
            search_command)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors print one line and exit with status 2."""

    def error(self, message):
        # self.prog is "symequiv" or "symequiv COMMAND", so the line points to the help
        # of the command whose arguments were wrong.
        self.exit(EXIT_BAD_INPUT, f"symequiv: error: {message}; see '{self.prog} --help'\n")


def build_parser():
    parser = _Parser(prog="symequiv", description="Exact checks of layerwise equivariance "
                     "for identifiable equivariant networks.")
    parser.add_argument("--version", action="version", version=f"symequiv {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except KeyboardInterrupt:
        print("symequiv: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (such as `head`) closed the pipe; stop writing quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CLAIM_FAILED


if __name__ == "__main__":
    sys.exit(main())
