"""An example mechanism for w2s-theory: a shrinkage student trained on a noisy teacher's labels.

The teacher observes the target ``beta`` (``d`` coordinates, ``||beta||^2 = r2``) through noise,
``b_t = beta + sigma z`` with ``||sigma z||^2 ~ sigma2``; the student only sees the teacher's
labels and shrinks them, ``b_s = shrink * b_t``. The student beats the teacher for every
``shrink`` in ``((r2 - sigma2)/(r2 + sigma2), 1)``; its best shrinkage (Wiener's) is derived by
SymPy in :mod:`w2s_shrinkage.theory`.

This module only *describes* the mechanism (no SymPy import): w2s-theory reads the description
through the entry point ``w2s_theory.mechanisms`` of this package's ``pyproject.toml``.
"""

from theory.mechanism import Mechanism

__all__ = ["MECHANISM"]

MECHANISM = Mechanism(
    name="shrinkage",
    title="Shrinkage student on a noisy teacher's labels (example plug-in)",
    source="Wiener filtering; derived in the w2s-theory docs (Extending w2s-theory)",
    theory=(("shrinkage", "w2s_shrinkage.theory"),),
    claims="w2s_shrinkage.theory:claims",
    simulation="w2s_shrinkage.verify:simulation",
    plans="w2s_shrinkage.verify:PLANS",
    figures={"shrinkage-risk": "w2s_shrinkage.figures:risk_against_shrink"},
    docs="extending.md",
    simulate_help="shrink in [0, 1], r2 > 0, sigma2 >= 0",
)
