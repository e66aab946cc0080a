r"""symequiv: exact checks of what "identifiable equivariant networks are layerwise
equivariant" says about a concrete network.

>>> import symequiv
>>> theory = symequiv.load("theories/tanh-swap.toml")  # doctest: +SKIP
>>> report = theory.verify()  # doctest: +SKIP
>>> symequiv.check(theory.certificate())  # doctest: +SKIP
"""

from symequiv.errors import SymequivError
from symequiv.theory import Theory, load, loads
from symequiv.verdicts import Status, Verdict

__version__ = "0.1.0"

__all__ = ["Status", "SymequivError", "Theory", "Verdict", "__version__", "check", "load",
           "loads"]


def check(certificate):
    """Re-check a certificate with the independent kernel (:mod:`symequiv.kernel`).

    Parameters
    ----------
    certificate : dict, str or os.PathLike
        The certificate's data, or the path of its JSON file.

    Returns
    -------
    list of tuple
        ``(property, status, certified, summary)`` per verdict.

    Raises
    ------
    symequiv.kernel.Rejected
        When a check fails; ``Unsupported`` and ``Malformed`` are subclasses.
    """
    from symequiv import kernel

    data = certificate if isinstance(certificate, dict) else kernel.read(certificate)
    return kernel.check(data)
