r"""LaTeX renderings of derivations: documents, fragments and notebook output.

:func:`derivation_latex` returns the text, :func:`write_latex` writes it to a
file; :mod:`symequiv.latex.notebook` renders reports, derivations and theories
for Jupyter.
"""

from __future__ import annotations

from symequiv.errors import InputError
from symequiv.latex.document import derivation_latex
from symequiv.latex.typeset import MAX_DIMENSION

__all__ = ["derivation_latex", "write_latex"]


def write_latex(path, theory, report=None, standalone=True, max_dimension=MAX_DIMENSION):
    """Write the derivation of ``theory`` to ``path`` as LaTeX.

    ``max_dimension`` is passed to :func:`derivation_latex`.

    Raises
    ------
    InputError
        When the file cannot be written.
    """
    text = derivation_latex(theory, report, standalone=standalone, max_dimension=max_dimension)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"cannot write the LaTeX file: {error.strerror}",
                         source=str(path)) from None
