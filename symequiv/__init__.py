r"""symequiv: exact checks of what "identifiable equivariant networks are layerwise
equivariant" says about a concrete network.

>>> import symequiv
>>> theory = symequiv.load("theories/tanh-swap.toml")  # doctest: +SKIP
>>> report = theory.verify()  # doctest: +SKIP
"""

from symequiv.errors import SymequivError
from symequiv.theory import Theory, load, loads
from symequiv.verdicts import Status, Verdict

__version__ = "0.1.0"

__all__ = ["Status", "SymequivError", "Theory", "Verdict", "__version__", "load", "loads"]
