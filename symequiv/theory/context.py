"""The file being read, shared by the section readers so every error names it."""

from __future__ import annotations

import difflib

from symequiv.errors import InputError, TheoryError


class Context:
    """The file being read, so that every error can name it."""

    def __init__(self, source):
        self.source = source

    def error(self, key, message, value=None, kind=TheoryError):
        return kind(message, source=self.source, key=key, value=value)

    def table(self, data, key, required=True):
        value = data.get(key.rsplit(".", 1)[-1])
        if value is None:
            if required:
                raise self.error(key, "missing table")
            return {}
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {type(value).__name__}", value)
        return value

    def allow(self, table, allowed, key):
        extra = sorted(set(table) - set(allowed))
        if extra:
            guesses = difflib.get_close_matches(extra[0], list(allowed), n=1)
            hint = f" (did you mean {guesses[0]!r}?)" if guesses else ""
            raise self.error(key, f"unknown key(s) {extra}{hint}; allowed: {sorted(allowed)}",
                             extra)

    def wrap(self, error, key):
        if isinstance(error, InputError):
            return error.located(source=self.source, key=key)
        return self.error(key, str(error))
