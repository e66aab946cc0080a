"""Run the ``symequiv`` command in a child process, as a user would."""

from __future__ import annotations

import pathlib
import resource
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
THEORIES = ROOT / "theories"

# Address-space cap for commands that might exhaust memory on bad input, so that a
# failing test ends with an error instead of pushing the machine into swap.
MEMORY_LIMIT_BYTES = 2 * 1024**3


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_symequiv(*arguments, timeout=120, limit_memory=False):
    """Run ``python -m symequiv.cli.main ARGUMENTS`` from the project root.

    Returns the :class:`subprocess.CompletedProcess` with text ``stdout`` and
    ``stderr``; raises :class:`subprocess.TimeoutExpired` after ``timeout`` seconds.
    """
    return subprocess.run(
        [sys.executable, "-m", "symequiv.cli.main", *map(str, arguments)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=_limit_memory if limit_memory else None,
        check=False,
    )


def bundled_text(name):
    """Return the text of ``theories/NAME.toml``."""
    return (THEORIES / f"{name}.toml").read_text(encoding="utf-8")


def edited_theory(directory, name, replacements, file_name=None):
    """Write a copy of a bundled theory with ``(old, new)`` replacements applied once each.

    Every ``old`` must occur in the file, so a changed bundled theory makes the
    test fail loudly instead of silently testing the unedited file.
    """
    text = bundled_text(name)
    for old, new in replacements:
        assert old in text, f"{name}.toml has no {old!r}"
        text = text.replace(old, new, 1)
    path = directory / (file_name or f"{name}.toml")
    path.write_text(text, encoding="utf-8")
    return path
