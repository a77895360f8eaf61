"""The docs tutorial (docs/tutorial-conjecture.md), executed: what the page shows is what happens."""

from sympy import Eq, Interval

from proofs_check import Claim, check
from theory import quantity
from theory.symbols import gamma_s, r2


def test_false_conjecture_is_refuted_with_the_documented_counterexample():
    conjecture = Claim(
        quantity("ridge.student_risk") <= quantity("ridge.teacher_risk"),
        id="mine.min_norm_student_never_worse",
        statement="a minimum-norm student (lam_s = 0, gamma_s > 1) is never worse than the teacher",
        source="my notebook",
        region={"lam_s": 0, "gamma_s": Interval.Lopen(1, 100), "lam_t": Interval(0, 10),
                "gamma_t": Interval(0.01, 100), "sigma2": Interval(0, 10),
                "r2": Interval(0.1, 10)},
    )
    report = check(conjecture)
    assert report.status == "refuted"
    assert report.route("sampled").counterexample == {
        "lam_t": "0", "lam_s": "0", "gamma_t": "0.01", "gamma_s": "1.000000001", "sigma2": "0",
        "r2": "0.1"}
    corrected = conjecture.replace(
        id="mine.min_norm_student_formula",
        conclusion=Eq(quantity("ridge.student_risk"),
                      quantity("ridge.teacher_risk") / gamma_s + (1 - 1 / gamma_s) * r2))
    assert check(corrected).status == "holds"
    assert check("ridge.min_norm_student", examples=10).status == "proved"
