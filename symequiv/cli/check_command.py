"""``symequiv check CERT.json``: re-check a certificate with the independent kernel."""

from __future__ import annotations

import sys

from symequiv import kernel
from symequiv.cli.common import print_json


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "check", help="re-check a certificate with the small independent kernel",
        description="Re-check every verdict that a certificate (written by symequiv derive "
        "--certificate) holds evidence for, with exact arithmetic and without the derivation "
        "engine. Exit 0 when the certificate is accepted, 1 when a check fails or the kernel "
        "cannot re-check a case (or, with --strict, when a verdict is not certified), 2 when "
        "the file is not a readable certificate.")
    parser.add_argument("file", metavar="CERT.json", help="a certificate file (JSON)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 unless the kernel certifies every verdict, not only "
                        "accepts the certificate")
    parser.set_defaults(run=run)


def run(arguments):
    path = arguments.file
    try:
        data = kernel.read(path)
        results = kernel.check(data)
    except kernel.Malformed as error:
        print(f"symequiv: error: {path}: {error}", file=sys.stderr)
        return 2
    except kernel.Rejected as error:
        kind = "unsupported" if isinstance(error, kernel.Unsupported) else "rejected"
        print(f"symequiv: {kind}: {path}: {error}", file=sys.stderr)
        return 1

    name = (data.get("theory") or {}).get("name", "") if isinstance(data, dict) else ""
    expected = {claim.get("property"): claim.get("expected") for claim in data["claims"]}
    certified = [prop for prop, _, is_certified, _ in results if is_certified]
    uncertified = [prop for prop, _, is_certified, _ in results if not is_certified]
    status = 1 if arguments.strict and uncertified else 0

    if arguments.json:
        entries = [{"property": prop, "status": verdict, "expected": expected.get(prop),
                    "certified": is_certified, "summary": summary}
                   for prop, verdict, is_certified, summary in results]
        print_json({"source": path, "name": name, "accepted": True,
                    "all_certified": not uncertified,
                    "scope": _scope(data["network"], None), "results": entries})
        return status

    count = len(certified)
    print(f"{name}  ({path}): accepted by the kernel; {count} of {len(results)} verdicts "
          "re-checked")
    print(f"  certified: {', '.join(certified) or 'none'}")
    print(f"  not certified: {', '.join(uncertified) or 'none'}")
    for line in _scope(data["network"], count):
        print(f"  {line}")
    for prop, verdict, is_certified, summary in results:
        claim = "" if expected.get(prop) is None else f" (claimed {str(expected[prop]).lower()})"
        print(f"  [{'checked' if is_certified else 'not certified'}] {prop}{claim}: {verdict}")
        print(f"      {summary}")

    if status:
        print(f"symequiv: not certified: {path}: --strict requires every verdict to be "
              f"certified, but {', '.join(uncertified)} "
              f"{'is' if len(uncertified) == 1 else 'are'} not", file=sys.stderr)
    return status


def _scope(network, count):
    """Return lines saying what the kernel evaluated: all, a dense expansion, or no layers."""
    lines = []
    not_evaluated = network.get("not_evaluated") or []
    expanded = network.get("expanded_from")
    if not_evaluated:
        lines.append(f"the kernel does not evaluate {' and '.join(not_evaluated)} layers, so no "
                     "verdict about this network is certified")
    elif isinstance(expanded, dict):
        kinds = ", ".join(dict.fromkeys(expanded.get("kinds") or []))
        lines.append(f"the kernel checked the dense expansion of the {kinds} layers; that the "
                     "expansion equals the layers is trusted")
    if count == 0:
        lines.append("nothing is certified: an accepted certificate proves only its checked "
                     "verdicts")
    return lines
