"""The kernel: accepts every bundled certificate and rejects each tampered one.

Each tamper changes one entry of one section of a real certificate, so that
the certificate states something false, and pins the message naming the check
that fails.
"""

from __future__ import annotations

import ast
import pathlib
import random
from fractions import Fraction

import mpmath
import pytest

import symequiv
from symequiv import kernel
from symequiv.certificate import build_certificate
from tests.certificates import (
    ATTENTION,
    EXACT,
    EXPANDED,
    THEORIES,
    certificate_of,
    claim,
    duplicate_neuron_certificate,
    tokenwise_theory,
)
from tests.cli.runner import bundled_text

KERNEL_SOURCE = pathlib.Path(kernel.__file__)


@pytest.mark.parametrize("name", EXACT)
def test_bundled_certificate_accepted(name):
    results = kernel.check(certificate_of(name))

    assert [result[0] for result in results] == [
        "end_to_end_equivariant", "identifiable", "layerwise_equivariant",
        "layerwise_after_reparameterization"]


def test_tanh_swap_every_verdict_certified():
    results = kernel.check(certificate_of("tanh-swap"))

    assert results == [
        ("end_to_end_equivariant", "proved", True, "latent actions at theta re-checked"),
        ("identifiable", "proved", True, "Sussmann (1992) re-checked"),
        ("layerwise_equivariant", "proved", True, "latent actions at theta re-checked"),
        ("layerwise_after_reparameterization", "proved", True,
         "latent actions at theta re-checked"),
    ]


def test_uncertified_verdict_reported_with_note():
    results = kernel.check(certificate_of("gelu-bypass"))

    assert results[0][:3] == ("end_to_end_equivariant", "proved", False)
    assert "normal form" in results[0][3]
    assert results[2] == ("layerwise_equivariant", "refuted", True,
                          "a first-layer neuron of theta^g has no admissible partner")


# -- independence ----------------------------------------------------------------------------


def test_kernel_imports_only_standard_library_and_sympy():
    tree = ast.parse(KERNEL_SOURCE.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])

    assert modules <= {"__future__", "fractions", "json", "math", "operator", "re", "sys",
                       "sympy"}


def test_kernel_runs_standalone(tmp_path):
    import json
    import subprocess
    import sys

    path = tmp_path / "tanh-swap.json"
    path.write_text(json.dumps(certificate_of("tanh-swap")), encoding="utf-8")

    # -I keeps the project's directory off sys.path, so symequiv cannot be imported.
    result = subprocess.run([sys.executable, "-I", str(KERNEL_SOURCE), str(path)],
                            capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "end_to_end_equivariant proved: latent actions at theta re-checked")


# -- tampering, one section at a time ---------------------------------------------------------


def test_tampered_weight_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["network"]["parameters"]["W1"][0][0] = "3"

    with pytest.raises(kernel.Rejected, match=r"latent_actions\.theta, generator s, layer f_1: "
                                              r"neuron 2 of the moved layer is not 1 times "
                                              r"neuron 1"):
        kernel.check(certificate)


def test_tampered_output_bias_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["network"]["parameters"]["b2"][0] = "2"

    with pytest.raises(kernel.Rejected, match=r"layer f_2: W A != K W or W t \+ b != K b \+ mu"):
        kernel.check(certificate)


def test_tampered_input_action_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["group"]["input"]["s"]["scales"][0] = "-1"

    with pytest.raises(kernel.Rejected, match=r"group\.relations: the relation s\^2 fails for "
                                              r"rho_in"):
        kernel.check(certificate)


def test_tampered_output_action_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["group"]["output"]["s"]["scales"] = ["-1", "-1"]

    with pytest.raises(kernel.Rejected, match=r"generator s, layer f_2: W A != K W"):
        kernel.check(certificate)


def test_tampered_relation_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["group"]["relations"] = ["s"]

    with pytest.raises(kernel.Rejected, match=r"group\.relations: the relation s fails for "
                                              r"rho_in"):
        kernel.check(certificate)


def test_tampered_identity_rejected():
    certificate = certificate_of("tanh-odd-signed")
    entry = next(item for item in certificate["identities"] if item["scale"] == "-1")
    entry["factor"] = "1"

    with pytest.raises(kernel.Rejected, match=r"identities\[\d\]: the identity tanh\(-1 t\) = "
                                              r"1 tanh\(t\) \+ 0 does not hold"):
        kernel.check(certificate)


def test_tampered_sigmoid_shift_rejected():
    certificate = certificate_of("sigmoid-affine-flip")
    latent = certificate["latent_actions"]["theta"][0]["n"]
    latent["translation"][0] = "0"

    with pytest.raises(kernel.Rejected, match=r"uses sigmoid\(-1 t\) = -1 sigmoid\(t\) \+ 0, "
                                              r"which is not among the identities"):
        kernel.check(certificate)


def test_tampered_latent_permutation_rejected():
    certificate = certificate_of("tanh-swap")
    certificate["latent_actions"]["theta"][0]["s"]["images"] = [0, 1, 3, 2]

    with pytest.raises(kernel.Rejected, match=r"layer f_1: neuron 1 of the moved layer is not "
                                              r"1 times neuron 1"):
        kernel.check(certificate)


def test_tampered_preactivation_scale_rejected():
    certificate = certificate_of("tanh-odd-signed")
    certificate["latent_actions"]["theta"][0]["n"]["preactivation_scales"][0] = "1"

    with pytest.raises(kernel.Rejected, match=r"layer f_1: neuron \d of the moved layer is not "
                                              r"1 times neuron 1"):
        kernel.check(certificate)


def test_tampered_latent_action_at_theta_star_rejected():
    certificate = certificate_of("tanh-dead-neuron")
    certificate["latent_actions"]["theta_star"][0]["s"]["images"] = [0, 1, 2, 3, 4]

    with pytest.raises(kernel.Rejected, match=r"latent_actions\.theta_star, generator s, "
                                              r"layer f_1"):
        kernel.check(certificate)


def test_tampered_theta_star_rejected():
    certificate = certificate_of("sigmoid-opposite-duplicate")
    certificate["reparameterization"]["parameters"]["b2"][0] = "-3"

    with pytest.raises(kernel.Rejected, match=r"reparameterization\.parameters: theta\* "
                                              r"differs from the result of the reduction steps"):
        kernel.check(certificate)


def test_tampered_reduction_step_rejected():
    certificate = certificate_of("tanh-dead-neuron")
    certificate["reparameterization"]["steps"][0]["neurons"] = [0]

    with pytest.raises(kernel.Rejected, match=r"reparameterization\.steps\[0\]: the 'dead' "
                                              r"step does not apply to neuron 1"):
        kernel.check(certificate)


def test_tampered_duplicate_factor_rejected():
    certificate = certificate_of("sigmoid-opposite-duplicate")
    step = next(item for item in certificate["reparameterization"]["steps"]
                if item["kind"] == "duplicate")
    step["shift"] = "0"

    with pytest.raises(kernel.Rejected, match=r"reparameterization\.steps\[0\]: neuron 4 is "
                                              r"not -1 h_1 \+ 0"):
        kernel.check(certificate)


def test_tampered_claim_status_rejected():
    certificate = certificate_of("tanh-swap")
    claim(certificate, "layerwise_equivariant")["status"] = "refuted"

    with pytest.raises(kernel.Rejected, match=r"claims\[2\]: evidence 'latent actions' cannot "
                                              r"establish layerwise_equivariant = refuted"):
        kernel.check(certificate)


def test_theta_star_actions_not_layerwise():
    certificate = certificate_of("tanh-dead-neuron")
    entry = claim(certificate, "layerwise_equivariant")
    entry["status"] = "proved"
    entry["evidence"] = {"kind": "latent actions", "at": "theta_star"}

    with pytest.raises(kernel.Rejected, match=r"latent actions at 'theta_star' do not "
                                              r"establish layerwise_equivariant"):
        kernel.check(certificate)


def test_tampered_witness_point_rejected():
    certificate = certificate_of("tanh-not-equivariant")
    claim(certificate, "end_to_end_equivariant")["evidence"]["point"][0] = "1"

    with pytest.raises(kernel.Rejected, match=r"claims\[0\]: the enclosures computed with 2048 "
                                              r"bits are not inside the stated bounds"):
        kernel.check(certificate)


def test_witness_bounds_containing_zero_rejected():
    certificate = certificate_of("tanh-not-equivariant")
    claim(certificate, "end_to_end_equivariant")["evidence"]["difference"][1] = "1/10"

    with pytest.raises(kernel.Rejected, match=r"claims\[0\]: the stated bounds of f\(g x\)_i - "
                                              r"\(g f\(x\)\)_i contain 0"):
        kernel.check(certificate)


def test_tampered_witness_bound_rejected():
    certificate = certificate_of("tanh-not-equivariant")
    bounds = claim(certificate, "end_to_end_equivariant")["evidence"]["left"]
    bounds[0] = bounds[1]

    with pytest.raises(kernel.Rejected, match=r"not inside the stated bounds"):
        kernel.check(certificate)


def test_tampered_exact_witness_rejected():
    certificate = certificate_of("cubic-not-equivariant")
    claim(certificate, "end_to_end_equivariant")["evidence"]["left"] = ["999", "999"]

    with pytest.raises(kernel.Rejected, match=r"claims\[0\]: .* not inside the stated bounds"):
        kernel.check(certificate)


def test_tampered_mismatch_neuron_rejected():
    certificate = certificate_of("tanh-not-equivariant")
    claim(certificate, "layerwise_equivariant")["evidence"]["neuron"] = 2

    with pytest.raises(kernel.Rejected, match=r"claims\[2\]: neuron 3 of theta\^s is 1 times "
                                              r"neuron 4 of theta, an admissible partner"):
        kernel.check(certificate)


def test_tampered_sussmann_verdict_rejected():
    certificate = certificate_of("tanh-swap")
    claim(certificate, "identifiable")["status"] = "refuted"

    with pytest.raises(kernel.Rejected, match=r"claims\[1\]: Sussmann \(1992\): the conditions "
                                              r"hold, so the verdict 'refuted' is wrong"):
        kernel.check(certificate)


def test_tampered_rank_verdict_rejected():
    certificate = certificate_of("linear-swap")
    certificate["network"]["parameters"]["W1"] = [["1", "2"], ["2", "4"]]
    for entry in certificate["claims"]:
        if entry["property"] != "identifiable":
            entry["evidence"] = None

    with pytest.raises(kernel.Rejected, match=r"rank criterion for linear networks: the "
                                              r"conditions fail, so the verdict 'proved' is wrong"):
        kernel.check(certificate)


def test_tampered_symbolic_weight_rejected():
    certificate = certificate_of("tanh-swap-family")
    certificate["network"]["parameters"]["W1"][0][0] = "b"

    with pytest.raises(kernel.Rejected, match=r"layer f_1: neuron 2 of the moved layer is not "
                                              r"1 times neuron 1"):
        kernel.check(certificate)


def test_algebraic_numbers_unsupported():
    certificate = certificate_of("tanh-swap")
    certificate["numbers"] = {"kind": "algebraic", "field": "QQ<sqrt(2)>"}

    with pytest.raises(kernel.Unsupported, match=r"numbers: unsupported by the kernel: numbers "
                                                 r"in QQ<sqrt\(2\)>"):
        kernel.check(certificate)


def test_unknown_version_unsupported():
    certificate = certificate_of("tanh-swap")
    certificate["version"] = 2

    with pytest.raises(kernel.Unsupported, match=r"version: unsupported by the kernel: "
                                                 r"certificate version 2; this kernel reads 1"):
        kernel.check(certificate)


@pytest.mark.parametrize("version", [True, 1.0, "1"])
def test_version_of_other_type_unsupported(version):
    # true and 1.0 equal 1 in Python; only the integer 1 is version 1.
    certificate = certificate_of("tanh-swap")
    certificate["version"] = version

    with pytest.raises(kernel.Unsupported, match=r"version: unsupported by the kernel: "
                                                 r"certificate version "):
        kernel.check(certificate)


@pytest.mark.parametrize("text", ["\u09e7", "\u0664/2", "1\uff10"])
def test_digits_of_other_scripts_malformed(text):
    # Fraction reads Bengali, Arabic-Indic and full-width digits as numbers, so a
    # certificate could show a referee other numbers than those the kernel checks.
    certificate = certificate_of("tanh-swap")
    certificate["network"]["parameters"]["b2"][0] = text.encode().decode("unicode_escape")

    with pytest.raises(kernel.Malformed, match=r"network\.parameters\.b2: expected a rational "
                                               r"number such as '-3/4'"):
        kernel.check(certificate)


def test_certificate_without_verdicts_malformed():
    certificate = certificate_of("tanh-swap")
    certificate["claims"] = []

    with pytest.raises(kernel.Malformed, match=r"claims: the certificate records no verdicts, so "
                                               r"it proves nothing"):
        kernel.check(certificate)


def test_theta_evidence_rejected_for_changed_theta_star():
    certificate = certificate_of("tanh-dead-neuron")
    entry = claim(certificate, "layerwise_after_reparameterization")
    assert certificate["reparameterization"] is not None
    assert entry["evidence"] == {"kind": "latent actions", "at": "theta_star"}
    entry["evidence"]["at"] = "theta"

    with pytest.raises(kernel.Rejected, match=r"latent actions at theta do not establish "
                                              r"layerwise_after_reparameterization when theta\* "
                                              r"differs from theta"):
        kernel.check(certificate)


def test_leaky_relu_slope_one_is_identity():
    # f(x) = leaky_relu_1(x) = x is layerwise equivariant under negation, so a first-layer
    # mismatch must not be accepted: slope 1 admits every scale, as the identity does.
    theory = symequiv.loads(LEAKY_ONE)
    certificate = build_certificate(theory)
    assert certificate["network"]["activations"] == ["identity"]
    certificate["network"]["activations"] = ["leaky_relu(1)"]
    certificate["identities"].append({"activation": "leaky_relu(1)", "scale": "-1",
                                      "factor": "-1", "shift": "0"})
    entry = claim(certificate, "layerwise_equivariant")
    entry.update(status="refuted", expected=None,
                 evidence={"kind": "first-layer mismatch", "generator": "n", "neuron": 0})
    certificate["claims"] = [entry]

    with pytest.raises(kernel.Unsupported, match=r"a first-layer mismatch needs a named "
                                                 r"pointwise activation"):
        kernel.check(certificate)


LEAKY_ONE = """
[theory]
name = "leaky-one"
[group]
generators = ["n"]
relations = ["n^2"]
[group.input]
n = [[-1]]
[group.output]
n = [[-1]]
[model]
widths = [1, 1, 1]
activation = { leaky_relu = "1" }
[parameters]
W1 = [[1]]
b1 = [0]
W2 = [[1]]
b2 = [0]
"""


@pytest.mark.parametrize("text", ["1e9", "0x10", "1/0.5", "NaN", " 1", ""])
def test_inexact_number_malformed(text):
    certificate = certificate_of("tanh-swap")
    certificate["network"]["parameters"]["b2"][0] = text

    with pytest.raises(kernel.Malformed, match=r"network\.parameters\.b2: expected a rational "
                                               r"number such as '-3/4'"):
        kernel.check(certificate)


def test_missing_section_malformed():
    certificate = certificate_of("tanh-swap")
    del certificate["group"]

    with pytest.raises(kernel.Malformed, match=r"certificate\.group: expected dict, got NoneType"):
        kernel.check(certificate)


def test_wrong_matrix_shape_malformed():
    certificate = certificate_of("tanh-swap")
    certificate["network"]["parameters"]["W1"].pop()

    with pytest.raises(kernel.Malformed, match=r"network\.parameters\.W1: expected 4 rows of 2 "
                                               r"numbers"):
        kernel.check(certificate)


def test_duplicate_claim_malformed():
    certificate = certificate_of("tanh-swap")
    certificate["claims"].append(certificate["claims"][0])

    with pytest.raises(kernel.Malformed, match=r"claims\[4\]: end_to_end_equivariant is "
                                               r"claimed twice"):
        kernel.check(certificate)


def test_unreadable_file_malformed(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"version": NaN}', encoding="utf-8")

    with pytest.raises(kernel.Malformed, match=r"^invalid JSON: NaN is not an exact number"):
        kernel.read(path)


# -- homomorphisms on the Cayley graph ---------------------------------------------------------


def test_cayley_check_accepts_consistent_maps():
    certificate = kernel.Certificate(_without_relations())
    swap = kernel.Map((1, 0, 3, 2), (1, 1, 1, 1))

    certificate.check_homomorphism({"s": [swap]}, "test")


def test_cayley_check_rejects_inconsistent_maps():
    certificate = kernel.Certificate(_without_relations())
    cycle = kernel.Map((1, 2, 0, 3), (1, 1, 1, 1))

    with pytest.raises(kernel.Rejected, match=r"test: the latent maps are not consistent on the "
                                              r"Cayley graph of G"):
        certificate.check_homomorphism({"s": [cycle]}, "test")


def test_certificate_without_relations_accepted():
    assert kernel.check(_without_relations())[2][:3] == ("layerwise_equivariant", "proved", True)


def _without_relations():
    certificate = certificate_of("tanh-swap")
    certificate["group"]["relations"] = []
    return certificate


# -- numbers and maps ----------------------------------------------------------------------------


def test_rational_functions_parse_and_compare():
    numbers = kernel.Numbers({"kind": "rational functions", "symbols": ["a", "b"]})

    assert numbers("a**2 - b**2") == numbers("(a - b)*(a + b)")
    assert numbers("1/(a + b)") * numbers("a + b") == 1
    assert numbers("-a^2") == -(numbers("a") * numbers("a"))
    assert numbers("a/2") != numbers("a")
    assert numbers("2*a/3") == numbers("a") * Fraction(2, 3)


@pytest.mark.parametrize("text", ["a +", "(a", "a ** b", "c", "a ^ 100", "a $ b"])
def test_rational_function_syntax_malformed(text):
    numbers = kernel.Numbers({"kind": "rational functions", "symbols": ["a", "b"]})

    with pytest.raises(kernel.Malformed):
        numbers(text)


def test_dense_map_inverse_and_power():
    rotation = kernel.Map(rows=((0, -1), (1, 0)), shift=(1, 0))
    dense = kernel.Map(rows=((1, 2), (3, 4)))

    assert rotation.power(4).is_identity()
    assert not rotation.power(2).is_identity()
    assert dense.after(dense.inverse()).is_identity()
    assert dense.inverse().rows == ((-2, 1), (Fraction(3, 2), Fraction(-1, 2)))


def test_monomial_matrix_stored_as_monomial():
    assert kernel.Map(rows=((0, 2), (3, 0))).key() == kernel.Map((1, 0), (3, 2)).key()


# -- interval enclosures against mpmath at high precision -------------------------------------

ENCLOSURES = {
    "exp": (kernel._exp, mpmath.exp),
    "log": (kernel._log, mpmath.log),
    "tanh": (kernel._tanh, mpmath.tanh),
    "sigmoid": (kernel._sigmoid, lambda x: 1 / (1 + mpmath.exp(-x))),
    "softplus": (kernel._softplus, lambda x: mpmath.log(1 + mpmath.exp(x))),
    "erf": (kernel._erf, mpmath.erf),
}


@pytest.mark.parametrize("name", sorted(ENCLOSURES))
def test_enclosure_contains_value(name):
    enclose, reference = ENCLOSURES[name]
    rng = random.Random(35)
    points = [Fraction(rng.randint(-4000, 4000), rng.choice([1, 7, 64, 1000]))
              for _ in range(40)] + [Fraction(0), Fraction(1, 3), Fraction(-17, 2)]
    if name == "log":
        points = [abs(point) + Fraction(1, 1000) for point in points]
    mpmath.mp.prec = 400

    for point in points:
        lo, hi = enclose(point, 100)
        value = reference(mpmath.mpf(point.numerator) / point.denominator)
        assert mpmath.mpf(lo.numerator) / lo.denominator <= value, (name, point)
        assert value <= mpmath.mpf(hi.numerator) / hi.denominator, (name, point)
        assert hi - lo <= Fraction(1, 2**90) * max(1, abs(hi)), (name, point)


def test_pi_enclosure():
    lo, hi = kernel._pi(200)

    assert lo <= hi
    mpmath.mp.prec = 400
    assert mpmath.mpf(lo.numerator) / lo.denominator <= mpmath.pi
    assert mpmath.pi <= mpmath.mpf(hi.numerator) / hi.denominator
    assert hi - lo < Fraction(1, 2**200)


def test_gelu_enclosure():
    mpmath.mp.prec = 300
    for point in (Fraction(-3, 4), Fraction(0), Fraction(5, 2), Fraction(-12)):
        lo, hi = kernel._gelu((point, point), 120)
        x = mpmath.mpf(point.numerator) / point.denominator
        value = x / 2 * (1 + mpmath.erf(x / mpmath.sqrt(2)))
        assert mpmath.mpf(lo.numerator) / lo.denominator <= value <= (
            mpmath.mpf(hi.numerator) / hi.denominator)


def test_equal_chains_rejected():
    certificate = duplicate_neuron_certificate()
    evidence = claim(certificate, "identifiable")["evidence"]
    evidence["chains"][1] = evidence["chains"][0]

    with pytest.raises(kernel.Rejected, match=r"claims\[1\]: the two chains are equal"):
        kernel.check(certificate)


def test_duplicate_of_itself_rejected():
    certificate = certificate_of("sigmoid-opposite-duplicate")
    step = certificate["reparameterization"]["steps"][0]
    step.update(neurons=[3, 3], scale="1", factor="1", shift="0")

    with pytest.raises(kernel.Rejected, match=r"reparameterization\.steps\[0\]: the 'duplicate' "
                                              r"step does not apply to neuron 4"):
        kernel.check(certificate)


def test_large_relation_exponent_by_squaring():
    certificate = certificate_of("tanh-swap")
    certificate["group"]["relations"] = ["s^1000000"]

    assert kernel.check(certificate)[0][:3] == ("end_to_end_equivariant", "proved", True)


def test_substitution_values_must_be_rational():
    certificate = certificate_of("tanh-not-equivariant")
    claim(certificate, "end_to_end_equivariant")["evidence"]["substitutions"] = {"a": "1e99999"}

    with pytest.raises(kernel.Malformed, match=r"substitutions: expected rational values"):
        kernel.check(certificate)


# -- malformed input never escapes as a traceback ------------------------------------------------

ODD_VALUES = [None, [], {}, "x", 1.5, True, [1, "a"], {"kind": None}, "1/0", -1, [[[]]]]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _replaced(certificate, path, value):
    if not path:
        return value
    target = certificate
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return certificate


@pytest.mark.parametrize("name", ["tanh-not-equivariant", "sigmoid-opposite-duplicate",
                                  "tanh-swap-family", "linear-swap", "cubic-not-equivariant"])
def test_odd_values_rejected_cleanly(name):
    paths = list(_paths(certificate_of(name)))

    for path in paths:
        for value in ODD_VALUES:
            certificate = _replaced(certificate_of(name), path, value)
            try:
                kernel.check(certificate)
            except kernel.Rejected:
                continue
            except Exception as error:  # any other exception is the failure
                pytest.fail(f"{name}: {'.'.join(map(str, path))} = {value!r} raised {error!r}")


# -- dense expansions of conv, tokenwise and Deep Sets layers ---------------------------------


@pytest.mark.parametrize("name", EXPANDED)
def test_expanded_certificate_names_layers(name):
    certificate = certificate_of(name)
    kinds = [layer.kind for layer in symequiv.load(THEORIES / f"{name}.toml").network.layers]

    assert certificate["network"]["expanded_from"]["kinds"] == kinds
    assert [layer["kind"] for layer in certificate["network"]["expanded_from"]["layers"]] == kinds


def test_expansion_record_holds_original_kernel():
    layers = certificate_of("conv-dihedral")["network"]["expanded_from"]["layers"]

    assert layers[0]["height"] == 3
    assert layers[0]["padding"] == "zero"
    assert layers[0]["parameters"]["K"][0] == [[["1", "2", "0"], ["0", "1", "-1"],
                                                ["0", "0", "3"]]]


def test_conv_verdicts_certified():
    results = kernel.check(certificate_of("conv-dihedral"))

    assert [result[2] for result in results] == [True, False, True, False]


def test_tokenwise_verdicts_certified():
    results = kernel.check(build_certificate(tokenwise_theory()))

    assert [result[2] for result in results] == [True, False, True, False]


def test_perturbed_conv_weight_rejected():
    certificate = certificate_of("conv-dihedral")
    assert certificate["network"]["parameters"]["W1"][0][0] == "1"
    certificate["network"]["parameters"]["W1"][0][0] = "2"

    with pytest.raises(kernel.Rejected, match=r"latent_actions\.theta, generator r, layer f_1: "
                                              r"neuron 34 of the moved layer is not 1 times "
                                              r"neuron 1"):
        kernel.check(certificate)


def test_tampered_conv_preactivation_scale_rejected():
    certificate = certificate_of("conv-dihedral")
    certificate["latent_actions"]["theta"][0]["r"]["preactivation_scales"][0] = "-1"

    with pytest.raises(kernel.Rejected, match=r"generator r, layer f_1: neuron 34 of the moved "
                                              r"layer is not -1 times neuron 1"):
        kernel.check(certificate)


def test_perturbed_conv_theory_refuted_and_certified():
    text = bundled_text("conv-dihedral")
    old = "[[[1, 2, 0], [0, 1, -1], [0, 0, 3]]],"
    assert old in text
    theory = symequiv.loads(text.replace(old, "[[[1, 2, 0], [0, 1, -1], [0, 0, 4]]],", 1))

    results = kernel.check(build_certificate(theory))

    assert results[0] == ("end_to_end_equivariant", "refuted", True,
                          "input witness re-evaluated in interval arithmetic")
    assert results[2] == ("layerwise_equivariant", "refuted", True,
                          "a first-layer neuron of theta^g has no admissible partner")


def test_deepsets_built_in_equivariance_certified():
    certificate = certificate_of("deepsets-permutation")

    results = kernel.check(certificate)

    assert certificate["latent_actions"]["theta_source"] == "built-in equivariance"
    assert results[0] == ("end_to_end_equivariant", "proved", True,
                          "latent actions at theta re-checked")
    assert results[2][:3] == ("layerwise_equivariant", "unknown", False)
    assert "the theorem does not apply" in results[2][3]


def test_tampered_built_in_latent_map_rejected():
    certificate = certificate_of("deepsets-permutation")
    certificate["latent_actions"]["theta"][0]["s"]["images"] = [0, 1, 2, 3, 4, 5]

    with pytest.raises(kernel.Rejected, match=r"latent_actions\.theta, generator s, layer f_1: "
                                              r"neuron 1 of the moved layer is not 1 times "
                                              r"neuron 1"):
        kernel.check(certificate)


def test_tampered_deepsets_pool_weight_rejected():
    certificate = certificate_of("deepsets-permutation")
    # Row 1 reads element 2 through the pool weight U only.
    certificate["network"]["parameters"]["W1"][0][1] = "5"

    with pytest.raises(kernel.Rejected, match=r"generator s, layer f_1: neuron 3 of the moved "
                                              r"layer is not 1 times neuron 1"):
        kernel.check(certificate)


# -- attention: verdicts recorded without evidence ---------------------------------------------


@pytest.mark.parametrize("name", ATTENTION)
def test_attention_certificate_certifies_nothing(name):
    results = kernel.check(certificate_of(name))

    assert [result[2] for result in results] == [False] * 4
    decided = [result for result in results if result[1] in ("proved", "refuted")]
    assert decided
    for result in decided:
        assert "the kernel does not evaluate attention layers" in result[3]


def test_attention_certificate_with_evidence_unsupported():
    certificate = certificate_of("layers-mixed")
    claim(certificate, "end_to_end_equivariant")["evidence"] = {"kind": "latent actions",
                                                                "at": "theta"}

    with pytest.raises(kernel.Unsupported, match=r"claims\[0\]: the kernel does not evaluate "
                                                 r"attention layers, so it cannot re-check "
                                                 r"'latent actions' evidence"):
        kernel.check(certificate)


def test_attention_certificate_group_still_checked():
    certificate = certificate_of("layers-mixed")
    certificate["group"]["input"]["r"]["images"] = [1, 2, 0]

    with pytest.raises(kernel.Rejected, match=r"group\.relations: the relation r\^2 fails for "
                                              r"rho_in"):
        kernel.check(certificate)
