r"""Plain-text and JSON renderings of a search result.

In text, candidates are numbered from 1 in the order the strategy visits them.
In JSON, ``index`` counts from 0 and every value is an exact string.
"""

from __future__ import annotations

from symequiv.search.questions import OutcomeKind
from symequiv.search.rational_function import format_value


def _values_dict(template, values):
    return {name: format_value(value) for name, value in zip(template.symbols, values)}


def _plural(count, word, plural=None):
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


def _count(count, word):
    """Return ``count`` with thousands separators and ``word`` in the matching number."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def format_search_result(result, template):
    """Render a :class:`~symequiv.search.runner.SearchResult` as text lines."""
    settings = result.settings
    lines = [result.name + (f"  ({result.source})" if result.source else "")]
    lines.append(f"  question: {settings.question.description} ({settings.question.value})")
    strategy = settings.strategy.value
    if settings.strategy.value == "random":
        strategy += f" (seed {settings.seed})"
    lines.append(f"  strategy: {strategy} over {_plural(len(template.symbols), 'symbol')} "
                 f"{', '.join(template.symbols)}; grid of {_count(result.grid_size, 'point')}; "
                 f"budget {settings.budget:,}")
    lines.extend(f"  note: {note}" for note in result.notes)
    if result.removed_files:
        removed = _plural(len(result.removed_files), "counterexample file")
        lines.append(f"  restart: removed {removed} of the earlier search: "
                     f"{', '.join(result.removed_files)}")
    if result.resumed_chunks:
        lines.append(f"  resumed: {_plural(result.resumed_chunks, 'chunk')} read from the "
                     "checkpoint")

    repeats = ""
    if settings.strategy.value == "random" or result.repeats:
        repeats = f"{result.repeats:,} repeating an earlier candidate, "
    lines.append(f"  visited {_count(result.visited, 'candidate')}{_ending(result)}: "
                 f"{result.evaluated:,} evaluated, {repeats}{result.duplicates:,} in the orbit "
                 f"of an earlier candidate, {result.excluded:,} excluded by constraints, "
                 f"{result.undefined:,} with an undefined parameter")
    for kind, label, count in sorted(result.outcomes, key=lambda entry: (
            _KIND_ORDER[entry[0]], -entry[2], entry[1])):
        singular, plural = _KIND_WORDS[kind]
        lines.append(f"    {count:,} {singular if count == 1 else plural}: {label}")
    lines.extend(_conclusion(result))

    for found in result.counterexamples:
        lines.extend(_format_counterexample(found, template))
    unminimized = sum(1 for found in result.counterexamples if found.minimized is None)
    if unminimized:
        lines.append(f"  {_plural(unminimized, 'more counterexample')} found but not minimized "
                     "or proved")

    rate = (result.evaluated_this_run / result.search_seconds if result.search_seconds > 0
            else 0.0)
    lines.append(f"  executor: {result.executor}; search {result.search_seconds:.1f} s "
                 f"({rate:,.0f} evaluated candidates/s), proof {result.proof_seconds:.1f} s")
    return lines


_KIND_ORDER = {kind.value: order for order, kind in enumerate(OutcomeKind)}
_KIND_WORDS = {
    OutcomeKind.COUNTEREXAMPLE.value: ("counterexample", "counterexamples"),
    OutcomeKind.NOT_COUNTEREXAMPLE.value: ("not a counterexample", "not counterexamples"),
    OutcomeKind.UNDECIDED.value: ("undecided", "undecided"),
    OutcomeKind.UNDEFINED.value: ("undefined", "undefined"),
}


def _ending(result):
    if result.stopped:
        return f" (stopped after {_plural(result.settings.stop_after, 'counterexample')})"
    if result.exhausted and result.settings.strategy.value == "exhaustive":
        return " (the whole grid)"
    if result.exhausted:
        return " (every point the strategy visits)"
    return f" (the budget of {result.settings.budget:,})"


def _conclusion(result):
    if result.counterexamples:
        return []
    undecided = result.count(OutcomeKind.UNDECIDED)
    if result.exhausted and result.settings.strategy.value == "exhaustive":
        scope = f"none in the grid of {_count(result.grid_size, 'point')}"
    elif result.exhausted:
        scope = f"none among the {_count(result.visited, 'candidate')} the strategy visits"
    else:
        scope = f"none among the first {_count(result.visited, 'candidate')}"
    lines = [f"  no counterexample: {scope}"]
    if undecided:
        lines.append(f"  ({_plural(undecided, 'candidate was', 'candidates were')} undecided, "
                     "so counterexamples among them are not excluded)")
    return lines


def _format_counterexample(found, template):
    if found.minimized is None:
        return []
    minimized = found.minimized
    if found.same_as is not None:
        return [f"  candidate {found.index + 1}, {template.describe_values(found.values)}, "
                f"minimizes to {template.describe_values(minimized.values)}, in the orbit of "
                f"counterexample {found.same_as}"]

    lines = [f"  counterexample {found.number}: candidate {found.index + 1}, "
             f"{template.describe_values(found.values)} ({found.label})"]
    change = ("unchanged" if tuple(minimized.values) == tuple(found.values)
              else template.describe_values(minimized.values))
    bound = "" if minimized.complete else ", stopped at the evaluation bound"
    nonzero = _plural(minimized.nonzero_parameters, "nonzero parameter")
    tried = _plural(minimized.evaluations, "candidate")
    lines.append(f"    minimized: {change}; {nonzero} ({tried} tried{bound})")

    proof = found.proof
    if proof is None:
        return lines
    if not proof.proved:
        lines.append(f"    not proved: {proof.reason}")
        return lines

    where = proof.path or proof.name
    lines.append(f"    proved: {where} verifies; "
                 f"{_plural(len(proof.report.claims), 'claim holds', 'claims hold')}")
    for claim in proof.report.claims:
        verdict = claim.verdict
        lines.append(f"      {claim.property} = {str(claim.expected).lower()}: "
                     f"{verdict.status.value} by {verdict.method}")
    lines.append(f"    certificate: {_certificate_line(proof.certificate)}")
    return lines


def _certificate_line(check):
    if check is None or check.accepted is None:
        return f"none ({check.reason if check is not None else 'not built'})"
    where = check.path or "built"
    total = len(check.certified) + len(check.uncertified)
    line = (f"{where} accepted by the kernel; {len(check.certified)} of {total} verdicts "
            "re-checked")
    if check.uncertified:
        line += f" (not certified: {', '.join(check.uncertified)})"
    return line


def _certificate_to_dict(check):
    if check is None:
        return None
    return {"path": check.path, "accepted": check.accepted, "certified": list(check.certified),
            "uncertified": list(check.uncertified), "reason": check.reason}


def search_result_to_dict(result, template):
    """Describe a search result as JSON-ready data."""
    settings = result.settings
    return {
        "name": result.name,
        "source": result.source,
        "question": settings.question.value,
        "strategy": settings.strategy.value,
        "seed": settings.seed,
        "budget": settings.budget,
        "stop_after": settings.stop_after,
        "symbols": list(template.symbols),
        "grid_size": result.grid_size,
        "visited": result.visited,
        "evaluated": result.evaluated,
        "duplicates": result.duplicates,
        "repeats": result.repeats,
        "excluded": result.excluded,
        "undefined": result.undefined,
        "outcomes": [{"kind": kind, "label": label, "count": count}
                     for kind, label, count in result.outcomes],
        "exhausted": result.exhausted,
        "stopped": result.stopped,
        "notes": list(result.notes),
        "resumed_chunks": result.resumed_chunks,
        "evaluated_this_run": result.evaluated_this_run,
        "removed_files": list(result.removed_files),
        "executor": result.executor,
        "search_seconds": result.search_seconds,
        "proof_seconds": result.proof_seconds,
        "counterexamples": [_counterexample_to_dict(found, template)
                            for found in result.counterexamples],
    }


def _counterexample_to_dict(found, template):
    data = {"index": found.index, "values": _values_dict(template, found.values),
            "label": found.label, "number": found.number, "same_as": found.same_as,
            "minimized": None, "proof": None}
    if found.minimized is not None:
        data["minimized"] = {
            "values": _values_dict(template, found.minimized.values),
            "nonzero_parameters": found.minimized.nonzero_parameters,
            "evaluations": found.minimized.evaluations,
            "complete": found.minimized.complete,
        }
    if found.proof is not None:
        data["proof"] = {"name": found.proof.name, "path": found.proof.path,
                         "proved": found.proof.proved, "reason": found.proof.reason,
                         "claims": dict(found.proof.claims),
                         "certificate": _certificate_to_dict(found.proof.certificate)}
    return data
