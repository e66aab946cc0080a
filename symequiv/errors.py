"""Exceptions raised by symequiv.

Every exception derives from :class:`SymequivError` and from the built-in
exception that matches its meaning, so callers can catch either. Each one keeps
the objects involved as attributes, and its message names the operation, what
was expected and what was given.
"""

from __future__ import annotations


class SymequivError(Exception):
    """Base class of every error symequiv raises on purpose."""


class InputError(SymequivError, ValueError):
    r"""Invalid user input: a theory file, an expression, a matrix or an argument.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    source : str, optional
        The file (or other origin) the input came from.
    key : str, optional
        The dotted key inside the source, such as ``parameters.W1``.
    value : object, optional
        The offending value.
    """

    def __init__(self, message, *, source=None, key=None, value=None):
        self.message = message
        self.source = source
        self.key = key
        self.value = value
        super().__init__(self._render())

    def _render(self):
        location = ": ".join(part for part in (self.source, self.key) if part)
        if location:
            return f"{location}: {self.message}"
        return self.message

    def located(self, *, source=None, key=None):
        """Return a copy that also names ``source`` and a key prefix.

        An error raised deep inside a parser knows the value but not the file;
        the caller that knows the file adds it here.
        """
        new_key = self.key
        if key and self.key:
            new_key = f"{key}.{self.key}" if not self.key.startswith("[") else f"{key}{self.key}"
        elif key:
            new_key = key
        return type(self)(
            self.message, source=source or self.source, key=new_key, value=self.value
        )


class ExpressionError(InputError):
    """A number or activation string that the safe parser rejects."""


class TheoryError(InputError):
    """A theory file that is malformed or inconsistent."""


class GroupError(InputError):
    """An invalid group presentation or action: singular, wrongly sized or failing a relation."""


class ShapeError(InputError):
    """Arrays whose shapes disagree with each other or with the declared widths."""


class LimitError(InputError):
    """Input too large to handle: digits, exponents, nesting or group order over a bound."""


class UnsupportedError(SymequivError, NotImplementedError):
    """A case that symequiv declares outside its reach, with the reason.

    Parameters
    ----------
    message : str
        Which case is unsupported and why.
    """


class MissingDependencyError(SymequivError, ImportError):
    """An optional dependency that a feature needs is not installed.

    Parameters
    ----------
    package : str
        The distribution to install.
    extra : str
        The symequiv extra that pulls it in.
    feature : str
        What needs it.
    """

    def __init__(self, package, extra, feature):
        self.package = package
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs the optional package {package!r}; "
            f"install it with: pip install 'symequiv[{extra}]'"
        )
