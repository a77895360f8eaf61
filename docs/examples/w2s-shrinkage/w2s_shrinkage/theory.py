"""The shrinkage mechanism's quantities, its derivation and its claim (SymPy only).

Examples
--------
>>> import theory
>>> theory.quantity("shrinkage.optimal_shrink")
r2/(r2 + sigma2)
"""

import sympy

from theory.claims import Claim, Proof
from theory.derivation import Derivation
from theory.registry import register
from theory.symbols import parameter, r2, sigma2

__all__ = ["shrink", "teacher_risk", "student_risk", "optimal_shrink", "claims"]

SOURCE = "derived in w2s-theory (docs: Extending w2s-theory)"

#: The student's shrinkage factor, a new parameter of this mechanism.
shrink = parameter("shrink", r"c", "c", sympy.Interval(0, 1),
                   "shrinkage factor of the student (b_s = c b_t)", nonnegative=True)

#: The teacher's risk ``E||b_t - beta||^2``: its noise.
teacher_risk = sigma2
#: The student's risk ``E||c b_t - beta||^2 = (1 - c)^2 r2 + c^2 sigma2``.
student_risk = (1 - shrink) ** 2 * r2 + shrink**2 * sigma2


def optimal_shrink_derivation() -> Derivation:
    """The best shrinkage: the zero of ``dL_s/dc`` (SymPy), and the student's risk there."""
    derivative = sympy.diff(student_risk, shrink)
    best = sympy.solve(sympy.Eq(derivative, 0), shrink)[0]
    risk = sympy.factor(student_risk.subs(shrink, best))
    return Derivation("shrinkage.optimal_shrink", "Best shrinkage",
                      "The student's risk is a parabola in c; its minimum is Wiener's factor.",
                      (("derivative of the student risk", derivative),
                       ("its zero", best), ("the student risk there", risk)),
                      best,
                      lhs=(r"\partial_c \mathcal{L}_s", r"c^\star", r"\mathcal{L}_s(c^\star)"))


def _optimal():
    return optimal_shrink_derivation().steps[1][1]


def _optimal_risk():
    return optimal_shrink_derivation().steps[2][1]


register("shrinkage.teacher_risk", teacher_risk, r"\mathcal{L}_t",
         "risk of the noisy teacher", SOURCE)
register("shrinkage.student_risk", student_risk, r"\mathcal{L}_s",
         "risk of the shrinkage student", SOURCE)
register("shrinkage.optimal_shrink", _optimal, r"c^\star",
         "best shrinkage factor (derived by SymPy)", SOURCE, declared=("r2", "sigma2"))
register("shrinkage.optimal_student_risk", _optimal_risk, r"\mathcal{L}_s^\star",
         "risk of the best shrinkage student (derived by SymPy)", SOURCE,
         declared=("r2", "sigma2"))


def derivations() -> list:
    """The derivations the LaTeX document shows."""
    return [optimal_shrink_derivation()]


def _prove_optimal_beats_teacher() -> Proof:
    """``L_t - L_s(c*) = sigma2^2/(r2 + sigma2)``, non-negative (SymPy, with the parameters'
    assumptions ``r2 > 0``, ``sigma2 >= 0``)."""
    gap = sympy.factor(sympy.simplify(teacher_risk - _optimal_risk()))
    closed = sigma2**2 / (r2 + sigma2)
    steps = (("L_t - L_s(c*) simplifies to", str(gap)),
             ("equals sigma2^2/(r2 + sigma2)", str(sympy.simplify(gap - closed) == 0)),
             ("which is non-negative", str(bool(gap.is_nonnegative))))
    return Proof(sympy.simplify(gap - closed) == 0 and bool(gap.is_nonnegative), steps)


def claims() -> list:
    """The mechanism's claims (built by w2s-theory's catalogue on first use)."""
    return [
        Claim(
            sympy.Le(_optimal_risk(), teacher_risk, evaluate=False),
            id="shrinkage.optimal_student_beats_teacher",
            statement="The student with the best shrinkage c* = r2/(r2 + sigma2) is never worse "
                      "than its teacher: L_s(c*) <= L_t.",
            source=SOURCE,
            region={"r2": sympy.Interval(sympy.Rational(1, 100), 100),
                    "sigma2": sympy.Interval(0, 100)},
            proof=_prove_optimal_beats_teacher,
        ),
    ]
