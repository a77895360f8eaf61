"""Errors of the symbolic layer that several modules raise (kept apart so that none of them has
to import another to raise it).

Examples
--------
>>> from theory.errors import UnknownNameError
>>> str(UnknownNameError("unknown quantity 'x'; see `w2s list`"))
"unknown quantity 'x'; see `w2s list`"
"""

__all__ = ["UnknownNameError"]


class UnknownNameError(KeyError):
    """A quantity, claim or mechanism name that is not registered (the message suggests close
    names)."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the plain message
        return str(self.args[0])
