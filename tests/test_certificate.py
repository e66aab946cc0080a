"""Certificates: exact strings, the evidence chosen for each verdict, and what stays uncertified."""

from __future__ import annotations

import json
from fractions import Fraction

import flint
import pytest

import symequiv
from symequiv import kernel
from symequiv.certificate import SCHEMA_VERSION, _interval, build_certificate, write_certificate
from tests.certificates import certificate_of, claim, duplicate_neuron_certificate
from tests.cli.runner import bundled_text


def test_header_and_numbers():
    certificate = certificate_of("tanh-swap")

    assert certificate["format"] == "symequiv certificate"
    assert certificate["version"] == SCHEMA_VERSION == 1
    assert certificate["numbers"] == {"kind": "rational"}
    assert certificate["network"]["parameters"]["b1"] == ["1/2", "1/2", "-1", "-1"]
    assert certificate["network"]["activations"] == ["tanh"]


def test_latent_action_with_scales():
    latent = certificate_of("tanh-odd-signed")["latent_actions"]["theta"][0]["n"]

    assert latent == {"images": [1, 0, 3, 2], "scales": ["-1", "-1", "-1", "-1"],
                      "translation": None, "preactivation_scales": ["-1", "-1", "-1", "-1"]}


def test_identities_listed_once():
    identities = certificate_of("sigmoid-affine-flip")["identities"]

    assert identities == [{"activation": "sigmoid", "scale": "-1", "factor": "-1", "shift": "1"}]


def test_free_symbols_written_as_expressions():
    certificate = certificate_of("tanh-swap-family")

    assert certificate["numbers"] == {"kind": "rational functions",
                                      "symbols": ["p", "q", "a", "b", "c", "d"]}
    assert certificate["network"]["parameters"]["W1"][2] == ["1", "-c"]


def test_reduction_steps_carry_exact_data():
    steps = certificate_of("sigmoid-opposite-duplicate")["reparameterization"]["steps"]

    assert steps == [
        {"kind": "duplicate", "layer": 1, "neurons": [0, 3], "scale": "-1", "factor": "-1",
         "shift": "1"},
        {"kind": "dead", "layer": 1, "neurons": [3]},
    ]


def test_unchanged_theta_has_no_reparameterization():
    assert certificate_of("tanh-swap")["reparameterization"] is None


def test_dead_neuron_evidence_at_theta_star():
    certificate = certificate_of("tanh-dead-neuron")

    assert claim(certificate, "end_to_end_equivariant")["evidence"] == {
        "kind": "latent actions", "at": "theta_star"}
    assert claim(certificate, "layerwise_equivariant")["evidence"] == {
        "kind": "first-layer mismatch", "generator": "s", "neuron": 4}


def test_exact_witness_bounds_are_points():
    evidence = claim(certificate_of("cubic-not-equivariant"), "end_to_end_equivariant")["evidence"]

    assert evidence["point"] == ["4", "6"]
    assert evidence["left"] == ["1000", "1000"]
    assert evidence["right"] == ["-1", "-1"]
    assert evidence["difference"] == ["1001", "1001"]


def test_uncertified_verdicts_have_notes():
    certificate = certificate_of("gelu-bypass")
    notes = {entry["property"]: entry.get("note") for entry in certificate["claims"]
             if entry["evidence"] is None}

    assert set(notes) == {"end_to_end_equivariant", "identifiable",
                          "layerwise_after_reparameterization"}
    assert notes["end_to_end_equivariant"].startswith("proved by the normal form")
    assert notes["identifiable"].startswith("refuted by a second parameter")
    assert notes["layerwise_after_reparameterization"].startswith("refuted at theta* by a failed "
                                                                  "match")


def test_unknown_verdict_note():
    entry = claim(certificate_of("relu-cyclic"), "identifiable")

    assert entry["evidence"] is None
    assert entry["note"].startswith("not decided (unknown): no criterion decides "
                                    "identifiability of deep relu networks")


def test_interval_contains_ball():
    with symequiv.exact.intervals.working_precision(200):
        ball = flint.arb(2).sqrt() - flint.arb(1) / 3

        lower, upper = (Fraction(value) for value in _interval(ball))

        assert lower < upper
        assert _fraction(ball.mid()) - _fraction(ball.rad()) >= lower
        assert _fraction(ball.mid()) + _fraction(ball.rad()) <= upper
        assert upper - lower < Fraction(1, 10**18)


def _fraction(point):
    mantissa, exponent = (int(value) for value in point.man_exp())
    return Fraction(mantissa) * Fraction(2) ** exponent


def test_non_unique_relation_certified():
    certificate = duplicate_neuron_certificate()

    entry = claim(certificate, "identifiable")
    results = kernel.check(json.loads(json.dumps(certificate)))

    assert entry["evidence"]["kind"] == "two relations"
    assert results[1] == ("identifiable", "refuted", True, "two relations re-checked")


def test_irrational_numbers_unsupported_by_kernel():
    text = bundled_text("tanh-swap").replace('b1 = ["1/2", "1/2", -1, -1]',
                                             'b1 = ["sqrt(2)", "sqrt(2)", -1, -1]')
    certificate = build_certificate(symequiv.loads(text))

    assert certificate["numbers"]["kind"] == "algebraic"
    assert certificate["network"]["parameters"]["b1"][0] == "sqrt(2)"
    with pytest.raises(kernel.Unsupported, match="unsupported by the kernel: numbers in"):
        kernel.check(certificate)


def test_written_file_keeps_rows_on_one_line(tmp_path):
    path = tmp_path / "c.json"

    write_certificate(path, certificate_of("tanh-swap"))

    text = path.read_text()
    assert '   "b1": [ "1/2", "1/2", "-1", "-1" ],\n' in text
    assert json.loads(text) == certificate_of("tanh-swap")


def test_unwritable_path_raises_input_error(tmp_path):
    with pytest.raises(symequiv.errors.InputError, match="cannot write the certificate: "):
        write_certificate(tmp_path / "missing" / "c.json", certificate_of("tanh-swap"))
