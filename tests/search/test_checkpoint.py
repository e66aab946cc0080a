"""Checkpoint files: the header that names a search, and files that cannot be resumed."""

from __future__ import annotations

import json
import re

import pytest

from symequiv.errors import InputError
from symequiv.search.checkpoint import Checkpoint, header_for
from symequiv.search.runner import CHUNK_SIZE, run_search
from tests.search.templates import GELU_PAIR, TANH_SWAP_GRID, template


def test_header_names_the_search():
    header = header_for(template(TANH_SWAP_GRID), CHUNK_SIZE)

    assert header["format"] == "symequiv search checkpoint"
    assert header["chunk_size"] == CHUNK_SIZE
    assert header["settings"]["strategy"] == "exhaustive"
    assert header["settings"]["seed"] is None
    assert header["settings"]["domains"]["d"] == ["-1", "1/2"]


def test_header_ignores_budget_and_stop_after():
    first = header_for(template(TANH_SWAP_GRID), CHUNK_SIZE)
    second = header_for(template(TANH_SWAP_GRID, budget=5, stop_after=0), CHUNK_SIZE)

    assert first == second


def test_checkpoint_of_another_search_rejected(tmp_path):
    path = tmp_path / "checkpoint.jsonl"
    run_search(template(GELU_PAIR, question="not_layerwise", budget=64), checkpoint=path,
               prove=False)

    with pytest.raises(InputError, match=re.escape(
            f"{path}: the checkpoint belongs to another search (strategy was 'exhaustive', "
            "now 'random'); pass --restart to discard it, or choose another file with "
            "--checkpoint")):
        run_search(template(GELU_PAIR, question="not_layerwise", budget=64, strategy="random"),
                   checkpoint=path, prove=False)


def test_changed_template_rejected(tmp_path):
    path = tmp_path / "checkpoint.jsonl"
    run_search(template(GELU_PAIR, budget=64), checkpoint=path, prove=False)

    with pytest.raises(InputError, match="the template file has changed"):
        run_search(template(GELU_PAIR + "\n", budget=64), checkpoint=path, prove=False)


def test_restart_discards_the_checkpoint(tmp_path):
    path = tmp_path / "checkpoint.jsonl"
    run_search(template(GELU_PAIR, budget=64), checkpoint=path, prove=False)

    result = run_search(template(GELU_PAIR, budget=64, strategy="random"), checkpoint=path,
                        restart=True, prove=False)

    assert result.resumed_chunks == 0
    assert json.loads(path.read_text().splitlines()[0])["settings"]["strategy"] == "random"


def test_other_file_rejected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text('{"hello": 1}\n', encoding="utf-8")

    with pytest.raises(InputError, match=re.escape(
            f"{path}: not a symequiv search checkpoint; pass --restart to overwrite it, or "
            "choose another file with --checkpoint")):
        Checkpoint(path).open(header_for(template(GELU_PAIR), CHUNK_SIZE))


def test_corrupt_line_rejected(tmp_path):
    path = tmp_path / "checkpoint.jsonl"
    run_search(template(GELU_PAIR, budget=128), checkpoint=path, prove=False)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:20]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(InputError, match=re.escape(
            f"{path}: line 2 is not valid JSON; the file is not a symequiv search "
            "checkpoint, or it was edited")):
        run_search(template(GELU_PAIR, budget=128), checkpoint=path, prove=False)


def test_checkpoint_in_missing_directory_rejected(tmp_path):
    path = tmp_path / "deep" / "er" / "checkpoint.jsonl"

    with pytest.raises(InputError, match=re.escape(
            f"--checkpoint: the directory '{tmp_path / 'deep' / 'er'}' does not exist; create "
            "it or choose another checkpoint path")):
        run_search(template(GELU_PAIR, budget=64), checkpoint=path, prove=False)

    assert not (tmp_path / "deep").exists()


def test_checkpoint_that_is_a_directory_rejected(tmp_path):
    with pytest.raises(InputError, match=re.escape(
            f"--checkpoint: '{tmp_path}' is a directory; expected a file path")):
        run_search(template(GELU_PAIR, budget=64), checkpoint=tmp_path, prove=False)


def test_old_checkpoint_version_rejected(tmp_path):
    path = tmp_path / "checkpoint.jsonl"
    family = template(GELU_PAIR, budget=64)
    run_search(family, checkpoint=path, prove=False)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["version"] = 1
    path.write_text(json.dumps(header) + "\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")

    with pytest.raises(InputError, match=re.escape(
            f"{path}: the checkpoint belongs to another search (format version 1, expected "
            "2); pass --restart")):
        run_search(family, checkpoint=path, prove=False)


def test_unwritable_checkpoint_names_option(tmp_path):
    # /proc exists but accepts no new files.
    with pytest.raises(InputError, match=re.escape(
            "--checkpoint: cannot write '/proc/c.jsonl': No such file or directory")):
        run_search(template(GELU_PAIR, budget=64), checkpoint="/proc/c.jsonl", prove=False)
