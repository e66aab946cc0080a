r"""Proving a counterexample: an exact theory file that ``symequiv verify`` reproduces.

A counterexample found by the search is specialized to its exact rational
parameters and checked with :func:`~symequiv.verification.verify_network`.
Every property that verification settles (proved or refuted) becomes a claim
in ``[expect]``, so the claims include those that show the failure. The theory
is written as TOML, read back with the ordinary loader and verified again. It
counts as proved only when every claim of the file read back holds.

A proved counterexample also gets a certificate, re-checked at once by the
independent kernel (:mod:`symequiv.kernel`) and written next to the theory
file. A kernel rejection withdraws the proof, since the engine and the kernel
then disagree.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from symequiv import kernel
from symequiv.certificate import build_certificate, write_certificate
from symequiv.errors import InputError, UnsupportedError
from symequiv.search.output import OUT_OPTION, prepare_output_directory, safe_file_stem, write_text
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
    certificate : CertificateCheck or None
        The kernel's re-check of the certificate; None when not proved.
    """

    name: str
    path: str | None
    text: str
    claims: dict
    report: object
    proved: bool
    reason: str = ""
    certificate: object = None


@dataclass(frozen=True)
class CertificateCheck:
    """The certificate of a counterexample as the kernel re-checked it.

    Attributes
    ----------
    path : str or None
        Where the certificate was written; None when nothing was written.
    accepted : bool or None
        True when the kernel accepted it, False when it rejected it, None when no
        certificate could be built (``reason`` gives the cause).
    certified : tuple of str
        The properties whose verdicts the kernel re-checked from evidence.
    uncertified : tuple of str
        The properties recorded without evidence, which the certificate does not prove.
    reason : str
        The kernel's message on rejection, or why there is no certificate.
    """

    path: str | None
    accepted: bool | None
    certified: tuple = ()
    uncertified: tuple = ()
    reason: str = ""


def certify_with_kernel(theory, report, path=None):
    """Build the certificate of ``theory``, re-check it with the kernel, write it to ``path``.

    Returns
    -------
    CertificateCheck
    """
    try:
        data = build_certificate(theory, report)
    except UnsupportedError as error:
        return CertificateCheck(None, None, reason=str(error))
    # The kernel reads what a file would hold, so the data goes through JSON first.
    try:
        results = kernel.check(json.loads(json.dumps(data)))
    except kernel.Rejected as error:
        return CertificateCheck(None, False, reason=str(error))
    if path is not None:
        write_certificate(path, data)
    certified = tuple(prop for prop, _, checked, _ in results if checked)
    uncertified = tuple(prop for prop, _, checked, _ in results if not checked)
    return CertificateCheck(path, True, certified, uncertified)


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


def prove_counterexample(template, values, number, out_dir=None, original=None):
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

    Returns
    -------
    Proof
    """
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
    certificate_path = None
    if path is not None:
        prepare_output_directory(out_dir)
        certificate_path = path[:-len(".toml")] + ".json"
    try:
        certificate = certify_with_kernel(theory, reread, certificate_path)
    except InputError as error:
        raise error.located(key=OUT_OPTION) from None
    if certificate.accepted is False:
        return Proof(name, None, text, claims, reread, False,
                     f"the kernel rejected its certificate: {certificate.reason}", certificate)
    if path is not None:
        write_text(path, text)
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
    return safe_file_stem(name) + ".toml"
