r"""Counterexample search over templates: theories whose parameters contain free symbols.

A *template* (:mod:`~symequiv.search.template`) is a theory file whose
parameters contain free symbols, with an optional ``[search]`` table of
domains and constraints (:mod:`~symequiv.search.spec`). The search visits grid
points of the symbols (:mod:`~symequiv.search.strategies`,
:mod:`~symequiv.search.algebraic`), skips points in the latent-group orbit of
an earlier one (:mod:`~symequiv.search.symmetry`), asks each candidate the
question (:mod:`~symequiv.search.questions`) on a local process pool or a Dask
cluster (:mod:`~symequiv.search.executors`), records progress in a checkpoint
(:mod:`~symequiv.search.checkpoint`), then minimizes every counterexample
(:mod:`~symequiv.search.minimize`) and proves it by writing a theory file that
verifies (:mod:`~symequiv.search.proof`). :func:`run_search` runs it all.

>>> from symequiv.search import Template, run_search
>>> template = Template.from_file("templates/gelu-pair.toml")  # doctest: +SKIP
>>> result = run_search(template, out_dir="found")  # doctest: +SKIP
"""

# The submodules import symequiv.theory, which imports symequiv.search.spec while it
# loads; importing them lazily here keeps that cycle from forming.
_EXPORTS = {
    "Template": "symequiv.search.template",
    "run_search": "symequiv.search.runner",
    "SearchResult": "symequiv.search.runner",
    "SearchSettings": "symequiv.search.spec",
    "Question": "symequiv.search.spec",
    "Strategy": "symequiv.search.spec",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'symequiv.search' has no attribute {name!r}")
