r"""A theory: a concrete network, a group action, and claims about them."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property

from symequiv.derivation.engine import derive
from symequiv.identifiability.reduction import reduce_network
from symequiv.verification import verify_network


@dataclass(eq=False)
class Theory:
    r"""A network :math:`f(\,\cdot\,; \theta)` with a group :math:`G` acting on input and output.

    Attributes
    ----------
    name, description : str
    network : Network
    action : GroupAction
    expectations : dict
        Property name to the claimed bool, from the ``[expect]`` table.
    source : str or None
        The file it was read from.
    search : SearchSettings or None
        The ``[search]`` table, for theories whose parameters contain free symbols.

    Examples
    --------
    >>> import symequiv
    >>> theory = symequiv.load("theories/tanh-swap.toml")  # doctest: +SKIP
    >>> theory.derive().derived  # doctest: +SKIP
    True
    >>> symequiv.check(theory.certificate())  # doctest: +SKIP
    """

    name: str
    description: str
    network: object
    action: object
    expectations: dict = dataclass_field(default_factory=dict)
    source: str | None = None
    search: object = None

    @cached_property
    def derivation(self):
        return derive(self.network, self.action)

    def derive(self):
        """Run the theorem's construction, cached; returns a :class:`Derivation`."""
        return self.derivation

    def reduce(self):
        r"""Return the reparameterization :math:`\theta^*` with the steps that produced it."""
        return reduce_network(self.network)

    def verify(self, seed=0, strict=False, tolerance=None):
        """Check every claim; returns a :class:`~symequiv.verification.Report`.

        ``tolerance`` applies to float parameters only and is ignored here.
        """
        return verify_network(self.network, self.action, self.expectations, name=self.name,
                              source=self.source, seed=seed, strict=strict)

    def certificate(self, report=None):
        """Return the certificate (JSON-ready data) that ``symequiv.check`` re-checks.

        ``report`` is ``self.verify()``, computed when omitted.
        """
        from symequiv.certificate import build_certificate

        return build_certificate(self, report)

    def latex(self, standalone=True, report=None, max_dimension=None):
        r"""Return the derivation as a LaTeX document, or a fragment to ``\input``.

        Matrices with more than ``max_dimension`` rows or columns are elided
        (10 when None).
        """
        from symequiv.latex import derivation_latex
        from symequiv.latex.typeset import MAX_DIMENSION

        if max_dimension is None:
            max_dimension = MAX_DIMENSION
        return derivation_latex(self, report, standalone=standalone,
                                max_dimension=max_dimension)

    def lean(self, report=None):
        """Return the layerwise equivariance statements as the text of a Lean 4 file."""
        from symequiv.lean import lean_statements

        return lean_statements(self, report)

    def _repr_markdown_(self):
        from symequiv.latex.notebook import theory_markdown

        return theory_markdown(self)

    def _repr_latex_(self):
        from symequiv.latex.notebook import theory_latex

        return theory_latex(self)
