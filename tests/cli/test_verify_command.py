"""``symequiv verify``: reports, exit status and JSON output."""

from __future__ import annotations

import json

import pytest

from symequiv.cli.main import main
from tests.cli.runner import THEORIES, edited_theory, run_symequiv

BUNDLED = sorted(THEORIES.glob("*.toml"))
PROPERTIES = ["end_to_end_equivariant", "identifiable", "layerwise_equivariant",
              "layerwise_after_reparameterization"]


def run_in_process(capsys, *arguments):
    """Run ``main`` and return ``(status, stdout, stderr)``."""
    status = main(list(map(str, arguments)))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def flipped_tanh_swap(directory):
    """tanh-swap with the true claim layerwise_equivariant flipped to false."""
    return edited_theory(directory, "tanh-swap", [
        ("layerwise_equivariant = true", "layerwise_equivariant = false")], "flipped.toml")


def test_every_bundled_theory_verifies():
    if not BUNDLED:
        pytest.skip("no bundled theories found")

    result = run_symequiv("verify", *BUNDLED)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert "[FAIL]" not in result.stdout
    for path in BUNDLED:
        assert f"  ({path})" in result.stdout


def test_tanh_swap_report_lines(capsys):
    path = THEORIES / "tanh-swap.toml"

    status, out, err = run_in_process(capsys, "verify", path)

    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"tanh-swap  ({path})"
    assert "  [ok]   end_to_end_equivariant = true: proved by derivation" in lines
    assert "  [ok]   identifiable = true: proved by Sussmann (1992)" in lines
    assert "  [ok]   layerwise_equivariant = true: proved by derivation" in lines
    assert "  [ok]   layerwise_after_reparameterization = true: proved by derivation" in lines
    assert lines[-1] == "  4 of 4 claims hold"


def test_flipped_claim_fails_with_status_1(tmp_path, capsys):
    path = flipped_tanh_swap(tmp_path)

    status, out, err = run_in_process(capsys, "verify", path)

    assert status == 1
    assert err == ""
    assert "  [FAIL] layerwise_equivariant = false: proved by derivation" in out.splitlines()
    assert out.splitlines()[-1] == "  3 of 4 claims hold"


def test_flipped_claim_in_child_process(tmp_path):
    path = flipped_tanh_swap(tmp_path)

    result = run_symequiv("verify", path)

    assert result.returncode == 1
    assert "[FAIL]" in result.stdout
    assert "Traceback" not in result.stderr


def test_undecided_claim_fails_with_status_1(tmp_path, capsys):
    """ReLU identifiability is open, so claiming it cannot be established."""
    path = edited_theory(tmp_path, "relu-cyclic", [
        ("[expect]\n", "[expect]\nidentifiable = true\n")])

    status, out, _ = run_in_process(capsys, "verify", path)

    assert status == 1
    assert ("  [FAIL] identifiable = true: unknown by deep ReLU or GELU networks"
            in out.splitlines())
    assert "         conditional on: results that need identifiability, such as the " \
        "theorem's conclusion for this network, hold only if it is identifiable" in out.splitlines()


def test_unclaimed_property_is_reported_as_info(capsys):
    status, out, _ = run_in_process(capsys, "verify", THEORIES / "relu-bypass.toml")

    assert status == 0
    assert ("  [info] layerwise_equivariant (not claimed): proved by derivation"
            in out.splitlines())
    assert out.splitlines()[-1] == "  2 of 2 claims hold"


def test_theory_without_claims(tmp_path, capsys):
    text = (THEORIES / "tanh-swap.toml").read_text(encoding="utf-8")
    path = tmp_path / "no-claims.toml"
    path.write_text(text.split("[expect]")[0], encoding="utf-8")

    status, out, _ = run_in_process(capsys, "verify", path)

    assert status == 0
    assert out.splitlines()[-1] == "  no claims in [expect]; every property above was computed"


def test_json_report_has_documented_keys(capsys):
    path = THEORIES / "tanh-swap.toml"

    status, out, _ = run_in_process(capsys, "verify", "--json", path)

    assert status == 0
    reports = json.loads(out)
    assert isinstance(reports, list)
    assert len(reports) == 1
    report = reports[0]
    assert {"name", "source", "all_claims_hold", "results"} <= set(report)
    assert report["name"] == "tanh-swap"
    assert report["source"] == str(path)
    assert report["all_claims_hold"] is True
    assert [result["property"] for result in report["results"]] == PROPERTIES
    for result in report["results"]:
        assert set(result) == {"property", "expected", "holds", "verdict"}
        assert result["expected"] is True
        assert result["holds"] is True
        assert result["verdict"]["status"] == "proved"
    assert report["results"][1]["verdict"]["method"] == "Sussmann (1992)"


def test_json_report_of_flipped_claim(tmp_path, capsys):
    path = flipped_tanh_swap(tmp_path)

    status, out, _ = run_in_process(capsys, "verify", "--json", path)

    assert status == 1
    report = json.loads(out)[0]
    assert report["all_claims_hold"] is False
    layerwise = report["results"][2]
    assert layerwise["property"] == "layerwise_equivariant"
    assert layerwise["expected"] is False
    assert layerwise["holds"] is False
    assert layerwise["verdict"]["status"] == "proved"


def test_json_report_keeps_unclaimed_as_null(capsys):
    status, out, _ = run_in_process(capsys, "verify", "--json", THEORIES / "relu-bypass.toml")

    assert status == 0
    results = json.loads(out)[0]["results"]
    assert [result["expected"] for result in results] == [True, False, None, None]
    assert [result["holds"] for result in results] == [True, True, None, None]


def test_json_witness_of_refuted_property(capsys):
    status, out, _ = run_in_process(capsys, "verify", "--json",
                                    THEORIES / "tanh-not-equivariant.toml")

    assert status == 0
    end_to_end = json.loads(out)[0]["results"][0]
    assert end_to_end["verdict"]["status"] == "refuted"
    assert end_to_end["verdict"]["method"] == "certified witness"
    witness = end_to_end["verdict"]["witness"]
    assert witness["kind"] == "input"
    assert witness["generator"] == "s"
    assert witness["exact"] is False


@pytest.mark.parametrize("bad_first", [True, False], ids=["bad-first", "good-first"])
def test_good_and_bad_files_exit_2(tmp_path, capsys, bad_first):
    good = THEORIES / "tanh-swap.toml"
    bad = edited_theory(tmp_path, "tanh-swap", [("widths = [2, 4, 2]", "widths = [2, 0, 2]")],
                        "bad.toml")
    files = [bad, good] if bad_first else [good, bad]

    status, out, err = run_in_process(capsys, "verify", *files)

    assert status == 2
    assert out.splitlines()[0] == f"tanh-swap  ({good})"
    assert out.splitlines()[-1] == "  4 of 4 claims hold"
    assert err == (f"symequiv: error: {bad}: model.widths: every width must be between 1 and "
                   "65536\n")


def test_mixed_files_in_child_process(tmp_path):
    good = THEORIES / "tanh-swap.toml"
    bad = tmp_path / "missing.toml"

    result = run_symequiv("verify", good, bad)

    assert result.returncode == 2
    assert "  4 of 4 claims hold" in result.stdout.splitlines()
    assert result.stderr.splitlines() == [f"symequiv: error: {bad}: cannot read the file: No "
                                          "such file or directory"]


def test_json_with_bad_file_lists_its_error(tmp_path, capsys):
    good = THEORIES / "tanh-swap.toml"
    bad = tmp_path / "missing.toml"

    status, out, err = run_in_process(capsys, "verify", "--json", bad, good)

    assert status == 2
    data = json.loads(out)
    assert len(data) == 2
    assert data[0] == {"source": str(bad),
                       "error": f"{bad}: cannot read the file: No such file or directory"}
    assert data[1]["name"] == "tanh-swap"
    assert err == f"symequiv: error: {data[0]['error']}\n"


@pytest.mark.parametrize("order", ["bad-then-failing", "failing-then-bad"])
def test_bad_input_outranks_failed_claim(tmp_path, capsys, order):
    failing = flipped_tanh_swap(tmp_path)
    bad = tmp_path / "missing.toml"
    files = [bad, failing] if order == "bad-then-failing" else [failing, bad]

    status, out, _ = run_in_process(capsys, "verify", *files)

    assert status == 2
    assert "[FAIL]" in out


def test_failed_claim_and_good_file_exit_1(tmp_path, capsys):
    status, _, _ = run_in_process(capsys, "verify", flipped_tanh_swap(tmp_path),
                                  THEORIES / "tanh-swap.toml")

    assert status == 1


@pytest.mark.parametrize("seed", [0, 7])
def test_seed_option_keeps_verdicts(capsys, seed):
    status, out, _ = run_in_process(capsys, "verify", "--seed", seed, "--json",
                                    THEORIES / "tanh-not-equivariant.toml")

    assert status == 0
    assert json.loads(out)[0]["all_claims_hold"] is True


def test_theory_with_radicals_verifies(tmp_path):
    """Numbers such as sqrt(2) are documented input; verifying them must not crash."""
    path = edited_theory(tmp_path, "tanh-swap", [
        ("W1 = [[1, 2], [2, 1], [1, -3], [-3, 1]]",
         'W1 = [["sqrt(2)", 2], [2, "sqrt(2)"], [1, -3], [-3, 1]]')], "radical.toml")

    result = run_symequiv("verify", path)

    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  4 of 4 claims hold" in result.stdout.splitlines()


def test_deepsets_permutation_report(capsys):
    path = THEORIES / "deepsets-permutation.toml"

    status, out, err = run_in_process(capsys, "verify", path)

    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert "  [ok]   end_to_end_equivariant = true: proved by built-in equivariance" in lines
    assert ("  [info] layerwise_equivariant (not claimed): unknown by adjunction check"
            in lines)
    index = lines.index("  [info] layerwise_equivariant (not claimed): unknown by adjunction check")
    assert lines[index + 1].startswith("         the theorem does not apply: adjunction fails")
