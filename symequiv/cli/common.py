"""Helpers shared by the subcommands: loading files and printing errors."""

from __future__ import annotations

import json
import sys

from symequiv.errors import SymequivError
from symequiv.theory import load


def print_error(error):
    """Print one error line to standard error, as ``symequiv: error: FILE: KEY: message``."""
    print(f"symequiv: error: {error}", file=sys.stderr)


def load_theory(path):
    """Load a theory file, printing the error and returning None on bad input."""
    try:
        return load(path)
    except SymequivError as error:
        print_error(error)
        return None


def print_json(data):
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")
