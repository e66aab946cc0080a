r"""Checkpoints: an append-only JSON-lines record of a search, for resuming after interruption.

The first line is a header naming the search: a SHA-256 digest of the
template's text, the settings that fix the sequence of candidates (question,
strategy, seed, domains, constraints) and the chunk size. Every later line
records one finished chunk (its counts, its counterexamples and the orbit keys
it saw first) or one minimized counterexample, and is flushed as soon as it is
written. A run that is interrupted, even by ``kill -9``, leaves at most a
partial last line, which is ignored when the file is read again: chunks
recorded before it are not evaluated again, and no counterexample recorded in
them is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from symequiv.errors import InputError
from symequiv.search.minimize import Minimized
from symequiv.search.rational_function import format_value, parse_value

FORMAT = "symequiv search checkpoint"
# Version 1 files may hold chunks that a resumed run merged after reusing a chunk
# cut short by a smaller budget, with wrong duplicate counts, so they are refused.
VERSION = 2
CHECKPOINT_OPTION = "--checkpoint"


@dataclass(frozen=True)
class ChunkRecord:
    """The outcome of one chunk of candidates.

    Attributes
    ----------
    index : int
    start, end : int
        The chunk covers the visited candidates ``start`` to ``end - 1``.
    excluded, undefined, duplicates : int
        Candidates failing a constraint, with a vanishing denominator, and in the
        orbit of an earlier candidate.
    repeats : int
        Candidates equal to an earlier one (the random strategy draws some points
        twice); they are not counted in the other fields.
    keys : tuple of str
        The orbit keys first seen in this chunk.
    outcomes : tuple
        ``(kind, label, count)`` for the evaluated candidates, sorted.
    counterexamples : tuple
        ``(candidate index, values, label)`` in candidate order.
    """

    index: int
    start: int
    end: int
    excluded: int
    undefined: int
    duplicates: int
    keys: tuple
    outcomes: tuple
    counterexamples: tuple
    repeats: int = 0

    def to_json(self):
        return {
            "type": "chunk", "index": self.index, "start": self.start, "end": self.end,
            "excluded": self.excluded, "undefined": self.undefined,
            "duplicates": self.duplicates, "keys": list(self.keys),
            "outcomes": [list(entry) for entry in self.outcomes],
            "counterexamples": [[index, [format_value(value) for value in values], label]
                                for index, values, label in self.counterexamples],
            "repeats": self.repeats,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            data["index"], data["start"], data["end"], data["excluded"], data["undefined"],
            data["duplicates"], tuple(data["keys"]),
            tuple(tuple(entry) for entry in data["outcomes"]),
            tuple((index, tuple(parse_value(value) for value in values), label)
                  for index, values, label in data["counterexamples"]),
            data.get("repeats", 0))


@dataclass
class CheckpointState:
    """The contents of a checkpoint file: finished chunks and minimized counterexamples."""

    chunks: dict = field(default_factory=dict)
    minimized: dict = field(default_factory=dict)


def header_for(template, chunk_size):
    """Return the header line of a checkpoint for ``template`` and its settings."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "template": hashlib.sha256(template.text.encode("utf-8")).hexdigest(),
        "settings": template.settings.fingerprint(),
        "chunk_size": chunk_size,
    }


class Checkpoint:
    """An append-only checkpoint file.

    Parameters
    ----------
    path : str or os.PathLike
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self._handle = None

    def open(self, header, restart=False):
        """Resume the search recorded in the file, or start the file afresh.

        Parameters
        ----------
        header : dict
            From :func:`header_for`.
        restart : bool
            Discard an existing file instead of resuming it.

        Returns
        -------
        CheckpointState
            Empty for a new file.

        Raises
        ------
        InputError
            When the file records another search or is not a checkpoint, or when
            it cannot be written; the message names ``--checkpoint`` for a path in
            a missing directory.
        """
        state = CheckpointState()
        if os.path.isdir(self.path):
            raise self._option_error(f"{self.path!r} is a directory; expected a file path")
        directory = os.path.dirname(self.path) or "."
        if not os.path.isdir(directory):
            raise self._option_error(f"the directory {directory!r} does not exist; create it "
                                     "or choose another checkpoint path")
        if os.path.exists(self.path) and not restart:
            state = self._read(header)
            self._handle = self._open_for_writing("a")
            return state
        self._handle = self._open_for_writing("w")
        self._write(header)
        return state

    def _option_error(self, message):
        return InputError(message, key=CHECKPOINT_OPTION, value=self.path)

    def _open_for_writing(self, mode):
        try:
            return open(self.path, mode, encoding="utf-8")
        except OSError as error:
            raise self._option_error(f"cannot write {self.path!r}: "
                                     f"{error.strerror or error}") from None

    def _error(self, message):
        return InputError(message, source=self.path)

    def _read(self, header):
        try:
            with open(self.path, encoding="utf-8") as handle:
                lines = handle.read().split("\n")
        except (OSError, UnicodeDecodeError) as error:
            raise self._error(f"cannot read the checkpoint: {error}") from None
        records = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines):
                    # A run killed while writing leaves a partial last line.
                    continue
                raise self._error(f"line {number} is not valid JSON; the file is not a "
                                  "symequiv search checkpoint, or it was edited") from None
        if not records or records[0].get("format") != FORMAT:
            raise self._error("not a symequiv search checkpoint; pass --restart to "
                              "overwrite it, or choose another file with --checkpoint")
        difference = _first_difference(records[0], header)
        if difference is not None:
            raise self._error(f"the checkpoint belongs to another search ({difference}); pass "
                              "--restart to discard it, or choose another file with "
                              "--checkpoint")
        state = CheckpointState()
        for record in records[1:]:
            if record.get("type") == "chunk":
                chunk = ChunkRecord.from_json(record)
                state.chunks[chunk.index] = chunk
            elif record.get("type") == "minimized":
                state.minimized[record["index"]] = Minimized(
                    tuple(parse_value(value) for value in record["values"]),
                    record["nonzero_parameters"], record["evaluations"], record["complete"])
        return state

    def _write(self, data):
        try:
            self._handle.write(json.dumps(data, separators=(",", ":")) + "\n")
            self._handle.flush()
        except OSError as error:
            raise self._option_error(f"cannot write {self.path!r}: "
                                     f"{error.strerror or error}") from None

    def record_chunk(self, record):
        self._write(record.to_json())

    def record_minimized(self, index, minimized):
        self._write({"type": "minimized", "index": index,
                     "values": [format_value(value) for value in minimized.values],
                     "nonzero_parameters": minimized.nonzero_parameters,
                     "evaluations": minimized.evaluations, "complete": minimized.complete})

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _first_difference(recorded, expected):
    """Describe the first header field that differs, or return None."""
    if recorded.get("version") != expected["version"]:
        return f"format version {recorded.get('version')}, expected {expected['version']}"
    if recorded.get("template") != expected["template"]:
        return "the template file has changed"
    recorded_settings = recorded.get("settings", {})
    for key, value in expected["settings"].items():
        if recorded_settings.get(key) != value:
            return f"{key} was {recorded_settings.get(key)!r}, now {value!r}"
    if recorded.get("chunk_size") != expected["chunk_size"]:
        return f"chunk size {recorded.get('chunk_size')}, now {expected['chunk_size']}"
    return None
