r"""Proving a counterexample: an exact theory file that ``symequiv verify`` reproduces.

A counterexample found by the search is specialized to its exact rational
parameters and checked with :func:`~symequiv.verification.verify_network`.
Every property that verification settles (proved or refuted) becomes a claim
in ``[expect]``, so the claims include those that show the failure. The theory
is written as TOML, read back with the ordinary loader and verified again. It
counts as proved only when every claim of the file read back holds.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from symequiv.search.questions import WITNESS_SEED, claims_for
from symequiv.search.spec import Question
from symequiv.theory.loader import loads
from symequiv.theory.writer import dumps_theory
from symequiv.verification import PROPERTIES, verify_network

# The tables a counterexample file copies from its template unchanged.
COPIED_TABLES = ("group", "model")


@dataclass(frozen=True)
class Proof:
    r"""The theory file of one counterexample and the verification of it.

    Attributes
    ----------
    name : str
        The theory's name, such as ``gelu-pair-counterexample-1``.
    path : str or None
        Where the file was written; None when nothing was written.
    text : str
        The TOML text.
    claims : dict
        The ``[expect]`` claims, property to bool.
    report : Report or None
        The verification of the file read back.
    proved : bool
        True when every claim holds and the claims show the failure.
    reason : str
        Why the counterexample is not proved, when it is not.
    certificate : object
        A kernel certificate, when a ``certify`` function was given.
    """

    name: str
    path: str | None
    text: str
    claims: dict
    report: object
    proved: bool
    reason: str = ""
    certificate: object = None


def required_claims(template, report):
    """Return the claims a counterexample to ``template``'s question must satisfy."""
    question = template.settings.question
    if question is not Question.EXPECT:
        return claims_for(question)
    refuted = {}
    for result in report.results:
        expected = template.theory.expectations.get(result.property)
        value = result.verdict.value
        if expected is not None and value is not None and value is not expected:
            refuted[result.property] = value
    return refuted


def prove_counterexample(template, values, number, out_dir=None, original=None, certify=None):
    r"""Verify the network at ``values``, write its theory file and verify the file.

    Parameters
    ----------
    template : Template
    values : tuple of Fraction
    number : int
        Numbers the counterexample in its name, from 1.
    out_dir : str, optional
        Where to write ``NAME.toml`` once it verifies; None writes nothing.
    original : tuple of Fraction, optional
        The values found before minimization, mentioned in the description.
    certify : callable, optional
        ``certify(text, report)`` returning a certificate that a small kernel can
        re-check.

    Returns
    -------
    Proof
    """
    # NOTE: no certificate kernel ships with this version, so the command line passes
    # certify=None; the theory file and its re-verification are the proof.
    name = f"{template.name}-counterexample-{number}"
    network = template.instantiate(values)
    report = verify_network(network, template.action, {}, name=name, seed=WITNESS_SEED)
    claims = {result.property: result.verdict.value for result in report.results
              if result.verdict.value is not None}
    required = required_claims(template, report)
    verdicts = {result.property: result.verdict for result in report.results}
    missing = [f"{key} = {str(value).lower()} (it is {verdicts[key].status.value})"
               for key, value in required.items() if claims.get(key) is not value]
    text = counterexample_text(template, values, claims, name, original)
    path = os.path.join(out_dir, _file_name(name)) if out_dir is not None else None
    if missing or not required:
        reason = ("verification does not confirm " + ", ".join(missing) if missing
                  else "no claim of [expect] is refuted")
        return Proof(name, None, text, claims, None, False, reason)

    theory = loads(text, source=path or f"<{name}>")
    reread = theory.verify(seed=WITNESS_SEED)
    if not reread.all_hold:
        failed = ", ".join(result.property for result in reread.claims if not result.holds)
        return Proof(name, None, text, claims, reread, False,
                     f"the theory file would not verify: {failed}")
    if path is not None:
        os.makedirs(out_dir, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    certificate = certify(text, reread) if certify is not None else None
    return Proof(name, path, text, claims, reread, True, "", certificate)


def counterexample_text(template, values, claims, name, original=None):
    """Return the theory file of the network at ``values`` with the given claims."""
    question = template.settings.question
    found = template.describe_values(values)
    description = (f"A counterexample found by symequiv search in the family {template.name}, "
                   f"at {found}: {question.description}.")
    if original is not None and tuple(original) != tuple(values):
        description += f" Minimized from {template.describe_values(original)}."
    tables = {"theory": {"name": name, "description": description}}
    for table in COPIED_TABLES:
        tables[table] = template.tables[table]
    tables["parameters"] = template.parameter_values(values)
    tables["expect"] = {key: claims[key] for key in PROPERTIES if key in claims}
    source = template.source or "a template"
    comment = (f"Written by symequiv search from {source} (question {question.value}, "
               f"strategy {template.settings.strategy.value}, seed {template.settings.seed}).")
    return dumps_theory(tables, {"group": ("input", "output")}, comment)


def _file_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".toml"
