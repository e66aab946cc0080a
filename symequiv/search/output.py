r"""The files a search writes: its output directory and the counterexample files in it.

Every failure to create or write one of them is raised as an
:class:`~symequiv.errors.InputError` naming the command-line option that chose
the path (``--out`` or ``--checkpoint``), so the command prints one line and
exits with status 2.
"""

from __future__ import annotations

import os
import re

from symequiv.errors import InputError

OUT_OPTION = "--out"


def prepare_output_directory(out_dir):
    """Create ``out_dir`` and its missing parents, unless it exists as a directory.

    Raises
    ------
    InputError
        When ``out_dir`` exists and is not a directory, or cannot be created.
    """
    out_dir = os.fspath(out_dir)
    if os.path.isdir(out_dir):
        return
    if os.path.lexists(out_dir):
        raise InputError(f"{out_dir!r} exists and is not a directory; choose a directory "
                         "for the counterexample files", key=OUT_OPTION, value=out_dir)
    try:
        os.makedirs(out_dir)
    except OSError as error:
        raise InputError(f"cannot create the directory {out_dir!r}: "
                         f"{error.strerror or error}", key=OUT_OPTION, value=out_dir) from None


def write_text(path, text):
    """Write ``text`` to ``path``, raising InputError naming ``--out`` when that fails."""
    path = os.fspath(path)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"cannot write {path!r}: {error.strerror or error}",
                         key=OUT_OPTION, value=path) from None


def counterexample_file_pattern(name):
    """Return the regular expression matching the file names of ``name``'s counterexamples.

    The theory files are ``NAME-counterexample-N.toml`` and the certificates
    ``NAME-counterexample-N.json``, with ``NAME`` made safe for file names as
    :func:`safe_file_stem` does.
    """
    stem = re.escape(safe_file_stem(f"{name}-counterexample"))
    return re.compile(stem + r"-[0-9]+\.(toml|json)")


def safe_file_stem(name):
    """Return ``name`` with every run of characters other than letters, digits, ``_.-`` as ``-``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def remove_earlier_counterexamples(out_dir, name):
    """Delete the counterexample files of template ``name`` left in ``out_dir`` by a search.

    Returns
    -------
    tuple of str
        The removed paths, sorted.

    Raises
    ------
    InputError
        When a file cannot be removed.
    """
    out_dir = os.fspath(out_dir)
    if not os.path.isdir(out_dir):
        return ()
    pattern = counterexample_file_pattern(name)
    removed = []
    for entry in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, entry)
        if not pattern.fullmatch(entry) or not os.path.isfile(path):
            continue
        try:
            os.remove(path)
        except OSError as error:
            raise InputError(f"cannot remove the earlier counterexample file {path!r}: "
                             f"{error.strerror or error}", key=OUT_OPTION, value=path) from None
        removed.append(path)
    return tuple(removed)
