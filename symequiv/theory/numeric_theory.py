r"""A theory whose parameters are floats from a weights file: the numeric fallback."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from symequiv.errors import UnsupportedError


@dataclass(eq=False)
class NumericTheory:
    r"""A float network :math:`f(\,\cdot\,; \theta)` with an exact group action on input and output.

    Attributes
    ----------
    name, description : str
    network : FloatNetwork
    action : GroupAction
    expectations : dict
    source : str or None
    tolerance : float
        Relative tolerance of the numeric checks, from ``[parameters] tolerance``.
    weights_path : str or None
        The weights file the parameters came from.
    """

    name: str
    description: str
    network: object
    action: object
    expectations: dict = dataclass_field(default_factory=dict)
    source: str | None = None
    tolerance: float = 1e-6
    weights_path: str | None = None

    def verify(self, seed=0, strict=False, tolerance=None):
        """Check every claim within the tolerance; returns a :class:`Report`."""
        from symequiv.numeric.verification import verify_float_network

        return verify_float_network(self.network, self.action,
                                    self.tolerance if tolerance is None else tolerance,
                                    self.expectations, name=self.name, source=self.source,
                                    seed=seed, strict=strict)

    def derive(self):
        """Raise: the exact construction needs exact parameters."""
        raise UnsupportedError(
            "derive needs exact parameters, but this theory reads float weights from "
            f"{self.weights_path}; run `symequiv inspect` instead, which projects the "
            "weights and certifies the projection exactly")

    def reduce(self):
        """Raise: float parameters are not reduced to theta*."""
        raise UnsupportedError("float parameters are not reduced to theta*; run "
                               "`symequiv inspect` instead")

    def certificate(self, report=None):
        """Raise: certificates hold exact parameters; inspect certifies the projection."""
        raise UnsupportedError(self.exact_only_message("certificates"))

    def latex(self, standalone=True, report=None, max_dimension=None):
        """Raise: the LaTeX derivation needs exact parameters."""
        raise UnsupportedError(self.exact_only_message("LaTeX derivations"))

    def lean(self, report=None):
        """Raise: Lean statements need exact parameters."""
        raise UnsupportedError(self.exact_only_message("Lean statements"))

    def exact_only_message(self, what):
        """Return the message that ``what`` needs exact parameters, pointing to inspect."""
        return (f"{what} need exact parameters, but this theory reads float weights from "
                f"{self.weights_path}; run `symequiv inspect FILE --certificate OUT.json` "
                "(or --latex OUT.tex) instead, which projects the weights, certifies the "
                "projection exactly and exports it")
