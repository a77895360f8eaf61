"""Help text shared by the commands: the examples every ``--help`` ends with.

Examples
--------
>>> from proofs_check.cli.helptext import examples
>>> print(examples("w2s eval ridge.teacher_risk lam_t=0.1 gamma_t=0.5 sigma2=1"))
\b
Examples:
<BLANKLINE>
\b
  w2s eval ridge.teacher_risk lam_t=0.1 gamma_t=0.5 sigma2=1
"""

from __future__ import annotations

__all__ = ["examples"]


def examples(*lines: str) -> str:
    """An epilog for ``--help``: the command lines as given (click does not rewrap them)."""
    return "\b\nExamples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)
