"""Output files of a search: the directory, the counterexample file names, and restarts."""

from __future__ import annotations

import re

import pytest

from symequiv.errors import InputError
from symequiv.search.output import (
    counterexample_file_pattern,
    prepare_output_directory,
    remove_earlier_counterexamples,
    write_text,
)


def test_pattern_matches_only_numbered_files_of_the_template():
    pattern = counterexample_file_pattern("gelu pair")

    assert pattern.fullmatch("gelu-pair-counterexample-1.toml")
    assert pattern.fullmatch("gelu-pair-counterexample-12.json")
    assert not pattern.fullmatch("gelu-pair-counterexample-1.toml.bak")
    assert not pattern.fullmatch("gelu-pair-counterexample-x.toml")
    assert not pattern.fullmatch("relu-pair-counterexample-1.toml")
    assert not pattern.fullmatch("gelu-pair-counterexample-1.txt")


def test_remove_earlier_counterexamples_keeps_other_files(tmp_path):
    for name in ("gelu-pair-counterexample-1.toml", "gelu-pair-counterexample-1.json",
                 "gelu-pair-counterexample-2.toml", "relu-pair-counterexample-1.toml",
                 "checkpoint.jsonl", "notes.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")

    removed = remove_earlier_counterexamples(tmp_path, "gelu-pair")

    assert removed == tuple(str(tmp_path / name) for name in (
        "gelu-pair-counterexample-1.json", "gelu-pair-counterexample-1.toml",
        "gelu-pair-counterexample-2.toml"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "checkpoint.jsonl", "notes.toml", "relu-pair-counterexample-1.toml"]


def test_remove_from_missing_directory_removes_nothing(tmp_path):
    assert remove_earlier_counterexamples(tmp_path / "missing", "gelu-pair") == ()


def test_prepare_output_directory_creates_parents(tmp_path):
    path = tmp_path / "a" / "b"

    prepare_output_directory(path)
    prepare_output_directory(path)

    assert path.is_dir()


def test_output_directory_that_is_a_file_rejected(tmp_path):
    path = tmp_path / "afile"
    path.write_text("", encoding="utf-8")

    with pytest.raises(InputError, match=re.escape(
            f"--out: '{path}' exists and is not a directory; choose a directory for the "
            "counterexample files")):
        prepare_output_directory(path)


def test_write_text_failure_names_out(tmp_path):
    with pytest.raises(InputError, match=re.escape(
            f"--out: cannot write '{tmp_path}': Is a directory")):
        write_text(tmp_path, "text")
