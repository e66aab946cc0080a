"""``symequiv search``: results, exit status, JSON, bad input and resuming after Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from symequiv.cli.search_command import ProgressBar
from symequiv.search.executors import available_cpus
from symequiv.search.runner import SearchProgress
from tests.cli.runner import ROOT, THEORIES, run_symequiv

TEMPLATES = ROOT / "templates"
GELU_PAIR = TEMPLATES / "gelu-pair.toml"
TANH_SWAP_GRID = TEMPLATES / "tanh-swap-grid.toml"


def test_counterexample_found_and_proved(tmp_path):
    result = run_symequiv("search", GELU_PAIR, "--question", "not_layerwise", "--workers", "1",
                          "--out", tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"gelu-pair  ({GELU_PAIR})"
    assert lines[1] == ("  question: end-to-end equivariant but not layerwise equivariant at "
                        "theta (not_layerwise)")
    assert lines[2] == ("  strategy: exhaustive over 7 symbols a, b, c, d, p, q, r; grid of "
                        "2,187 points; budget 100,000")
    assert ("  counterexample 1: candidate 2, a = 1, b = 0, c = 0, d = 0, p = 0, q = 0, r = 0 "
            "(end-to-end equivariant, not layerwise equivariant)") in lines
    path = tmp_path / "gelu-pair-counterexample-1.toml"
    assert f"    proved: {path} verifies; 4 claims hold" in lines
    verified = run_symequiv("verify", path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert lines[-1] == (f"  checkpoint: {tmp_path / 'checkpoint.jsonl'} (run the same "
                         "command again to reuse it)")
    assert (tmp_path / "checkpoint.jsonl").exists()


def test_no_counterexample_exits_1(tmp_path):
    result = run_symequiv("search", TANH_SWAP_GRID, "--workers", "2", "--out", tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "  no counterexample: none in the grid of 162 points" in result.stdout.splitlines()
    assert result.stderr == ""


def test_json_output(tmp_path):
    result = run_symequiv("search", GELU_PAIR, "--strategy", "algebraic", "--workers", "1",
                          "--out", tmp_path, "--json")

    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["question"] == "no_homomorphism"
    assert data["strategy"] == "algebraic"
    assert data["stopped"] is True
    first = data["counterexamples"][0]
    assert first["proof"]["proved"] is True
    assert first["proof"]["claims"]["layerwise_after_reparameterization"] is False
    assert first["proof"]["certificate"]["accepted"] is True
    assert first["proof"]["certificate"]["certified"] == ["layerwise_equivariant"]
    assert set(first["values"]) == {"a", "b", "c", "d", "p", "q", "r"}


def deep_template(directory):
    path = directory / "deep.toml"
    text = GELU_PAIR.read_text(encoding="utf-8").replace(
        "widths = [1, 2, 1]", "widths = [1, 2, 1, 1]").replace(
        'b2 = ["r"]', 'b2 = ["r"]\nW3 = [[1]]\nb3 = [0]')
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("arguments", "message"), [
    ((THEORIES / "tanh-swap.toml",),
     f"{THEORIES / 'tanh-swap.toml'}: parameters: the parameters have no free symbols, so "
     "there is nothing to search; write a symbol such as \"a\" in place of a number in "
     "[parameters]"),
    ((GELU_PAIR, "--budget", "0"),
     "--budget: expected an integer from 1 to 1000000000, got 0"),
    ((GELU_PAIR, "--stop-after", "-1"),
     "--stop-after: expected a non-negative integer (0 searches the whole budget), got -1"),
    (("missing.toml",), "missing.toml: cannot read the file: No such file or directory"),
    ((GELU_PAIR, "--workers", "0"), "--workers: expected at least 1 worker, got 0"),
    ((GELU_PAIR, "--workers", "100000"),
     f"--workers: expected at most {4 * available_cpus()} workers (4 per available CPU, and "
     f"{available_cpus()} CPUs are available), got 100000; each worker is a process "
     "evaluating candidates, so more workers than that only compete for the CPUs"),
    ((GELU_PAIR, "--question", "expect"),
     f"{GELU_PAIR}: search.question: the question \"expect\" looks for values that refute a "
     "claim of [expect], but the file has no [expect] claims"),
], ids=["no-symbols", "budget", "stop-after", "missing-file", "workers", "too-many-workers",
        "expect"])
def test_bad_input_exits_2(arguments, message, tmp_path):
    result = run_symequiv("search", *arguments, "--out", tmp_path)

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == f"symequiv: error: {message}\n"


def test_unsupported_strategy_exits_2(tmp_path):
    path = deep_template(tmp_path)

    result = run_symequiv("search", path, "--strategy", "algebraic", "--out", tmp_path)

    assert result.returncode == 2
    assert result.stderr == (
        f"symequiv: error: {path}: search.strategy: the algebraic strategy handles polynomial "
        "networks and networks with one hidden layer; this network has 2 hidden layers "
        "(gelu, gelu); use the exhaustive or random strategy\n")


def test_unknown_strategy_is_a_usage_error(tmp_path):
    result = run_symequiv("search", GELU_PAIR, "--strategy", "clever", "--out", tmp_path)

    assert result.returncode == 2
    assert result.stderr == (
        "symequiv: error: argument --strategy: invalid choice: 'clever' (choose from "
        "'exhaustive', 'random', 'algebraic'); see 'symequiv search --help'\n")


@pytest.mark.parametrize(("arguments", "message"), [
    (("--budget", "nan"), "argument --budget: invalid int value: 'nan'"),
    (("--question", "foo"), "argument --question: invalid choice: 'foo' (choose from "
     "'not_layerwise', 'no_homomorphism', 'not_identifiable', 'expect')"),
], ids=["budget-nan", "question-foo"])
def test_argument_type_error_is_one_line(arguments, message, tmp_path):
    result = run_symequiv("search", GELU_PAIR, *arguments, "--out", tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"symequiv: error: {message}; see 'symequiv search --help'\n"


def test_out_is_an_existing_file(tmp_path):
    path = tmp_path / "afile"
    path.write_text("", encoding="utf-8")

    result = run_symequiv("search", TANH_SWAP_GRID, "--out", path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (f"symequiv: error: --out: '{path}' exists and is not a "
                             "directory; choose a directory for the counterexample files\n")


def test_out_cannot_be_created():
    result = run_symequiv("search", TANH_SWAP_GRID, "--out", "/proc/x")

    assert result.returncode == 2
    assert result.stderr == ("symequiv: error: --out: cannot create the directory "
                             "'/proc/x': No such file or directory\n")


def test_checkpoint_in_missing_directory(tmp_path):
    path = tmp_path / "missing" / "c.jsonl"

    result = run_symequiv("search", TANH_SWAP_GRID, "--out", tmp_path / "out",
                          "--checkpoint", path)

    assert result.returncode == 2
    assert result.stderr == (f"symequiv: error: --checkpoint: the directory "
                             f"'{tmp_path / 'missing'}' does not exist; create it or choose "
                             "another checkpoint path\n")
    assert not (tmp_path / "missing").exists()


def test_unwritable_counterexample_file(tmp_path):
    # A directory in place of the theory file makes writing it fail.
    (tmp_path / "gelu-pair-counterexample-1.toml").mkdir()

    result = run_symequiv("search", GELU_PAIR, "--question", "not_layerwise", "--workers",
                          "1", "--out", tmp_path)

    path = tmp_path / "gelu-pair-counterexample-1.toml"
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (f"symequiv: error: --out: cannot write '{path}': Is a "
                             "directory\n")


def test_restart_removes_earlier_counterexample_files(tmp_path):
    first = run_symequiv("search", GELU_PAIR, "--strategy", "algebraic", "--stop-after", "0",
                         "--workers", "1", "--out", tmp_path)
    earlier = sorted(path.name for path in tmp_path.glob("gelu-pair-counterexample-*"))
    (tmp_path / "notes.toml").write_text("", encoding="utf-8")

    second = run_symequiv("search", GELU_PAIR, "--question", "not_layerwise", "--restart",
                          "--workers", "1", "--out", tmp_path)

    assert first.returncode == 0, first.stderr
    assert len(earlier) == 16
    assert second.returncode == 0, second.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "checkpoint.jsonl", "gelu-pair-counterexample-1.json",
        "gelu-pair-counterexample-1.toml", "notes.toml"]
    removed = ", ".join(str(tmp_path / name) for name in earlier)
    assert (f"  restart: removed 16 counterexample files of the earlier search: {removed}"
            in second.stdout.splitlines())


def test_checkpoint_of_other_search_exits_2(tmp_path):
    first = run_symequiv("search", GELU_PAIR, "--budget", "64", "--workers", "1", "--out",
                         tmp_path)
    second = run_symequiv("search", GELU_PAIR, "--budget", "64", "--workers", "1", "--out",
                          tmp_path, "--strategy", "random")
    third = run_symequiv("search", GELU_PAIR, "--budget", "64", "--workers", "1", "--out",
                         tmp_path, "--strategy", "random", "--restart")

    assert first.returncode == 1
    assert second.returncode == 2
    assert second.stderr == (
        f"symequiv: error: {tmp_path / 'checkpoint.jsonl'}: the checkpoint belongs to another "
        "search (strategy was 'exhaustive', now 'random'); pass --restart to discard it, or "
        "choose another file with --checkpoint\n")
    assert third.returncode in (0, 1), third.stderr


def comparable(stdout):
    data = json.loads(stdout)
    for key in ("executor", "search_seconds", "proof_seconds", "resumed_chunks", "checkpoint",
                "evaluated_this_run"):
        data.pop(key)
    for found in data["counterexamples"]:
        if found["proof"] is not None:
            found["proof"].pop("path")
            found["proof"]["certificate"].pop("path")
    return data


def test_interrupted_search_resumes(tmp_path):
    arguments = [sys.executable, "-m", "symequiv.cli.main", "search", str(GELU_PAIR),
                 "--question", "not_layerwise", "--stop-after", "0", "--budget", "1280",
                 "--workers", "2", "--json"]
    checkpoint = tmp_path / "interrupted" / "checkpoint.jsonl"
    process = subprocess.Popen(arguments + ["--out", str(tmp_path / "interrupted")], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if checkpoint.exists() and len(checkpoint.read_text().splitlines()) >= 4:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    recorded = len(checkpoint.read_text().splitlines()) - 1

    resumed = run_symequiv(*arguments[3:], "--out", tmp_path / "interrupted")
    uninterrupted = run_symequiv(*arguments[3:], "--out", tmp_path / "uninterrupted")

    assert process.returncode == 130, stdout + stderr
    assert stderr == (f"symequiv: search interrupted; finished chunks are recorded in "
                      f"{checkpoint}; run the same command again to resume\n")
    assert 3 <= recorded < 20
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["resumed_chunks"] >= 3
    assert comparable(resumed.stdout) == comparable(uninterrupted.stdout)


def test_progress_bar_draws_in_place():
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)

    bar(SearchProgress(visited=64, total=256, evaluated=40, counterexamples=1, elapsed=2.0,
                       evaluated_this_run=40))
    bar(SearchProgress(visited=128, total=None, evaluated=80, counterexamples=2, elapsed=4.0,
                       evaluated_this_run=80))
    bar.finish()

    assert stream.getvalue() == (
        "\r[#######.......................] 64/256 candidates, 40 evaluated, "
        "1 counterexample(s), 20/s\x1b[K"
        "\r128 candidates, 80 evaluated, 2 counterexample(s), 20/s\x1b[K\n")


def test_progress_rate_excludes_resumed_candidates():
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)

    bar(SearchProgress(visited=1000, total=2000, evaluated=900, counterexamples=0,
                       elapsed=2.0, evaluated_this_run=10))

    assert stream.getvalue().endswith("900 evaluated, 0 counterexample(s), 5/s\x1b[K")


def children_of(pid):
    """Return the ids of the processes whose parent is ``pid``, read from /proc."""
    children = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in brackets may contain spaces; the parent id follows it.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


def running(pid):
    """Return True when ``pid`` exists and is not a zombie."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def start_long_search(tmp_path):
    """Start a search with 2 workers and wait until its workers have finished a chunk."""
    checkpoint = tmp_path / "checkpoint.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "symequiv.cli.main", "search", str(GELU_PAIR), "--question",
         "not_layerwise", "--stop-after", "0", "--workers", "2", "--out", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if checkpoint.exists() and len(checkpoint.read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    workers = children_of(process.pid)
    assert len(workers) >= 2, workers
    return process, workers


def wait_until_stopped(pids, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(running(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if running(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_search_and_workers(tmp_path):
    process, workers = start_long_search(tmp_path)

    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    survivors = wait_until_stopped(workers, 5)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)

    assert process.returncode == 143, stdout + stderr
    assert stderr == (f"symequiv: search interrupted; finished chunks are recorded in "
                      f"{tmp_path / 'checkpoint.jsonl'}; run the same command again to "
                      "resume\n")
    assert survivors == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_exit_when_coordinator_is_killed(tmp_path):
    process, workers = start_long_search(tmp_path)

    process.kill()
    process.wait(timeout=60)
    survivors = wait_until_stopped(workers, 5)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    process.communicate(timeout=60)

    assert process.returncode == -signal.SIGKILL
    assert survivors == []


def test_search_rejects_float_weights():
    result = run_symequiv("search", ROOT / "theories" / "tanh-mirror-float.toml")

    assert result.returncode == 2
    assert result.stderr.endswith("tanh-mirror-float.toml: parameters.file: a search ranges over "
                                  "free symbols in [parameters], but this theory reads float "
                                  "weights from a file\n")
