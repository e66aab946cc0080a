"""Theory files: reading them and the :class:`Theory` they describe."""

from symequiv.theory.loader import load, loads
from symequiv.theory.theory import Theory

__all__ = ["Theory", "load", "loads"]
