"""``check([...], jobs=N)``: the same reports for any number of workers and any submission order."""

from proofs_check import checking
from proofs_check.checking import check, longest_first

CLAIMS = ["ridge.over_regularised_teacher_never_beaten", "ridge.min_norm_student",
          "ridge.overparameterised_student_threshold", "weighted_ridge.population_gain_is_optimal",
          "single_index.sgd_fixed_points_keep_the_bias"]


def _without_times(reports):
    docs = [r.to_dict() for r in reports]
    for d in docs:
        d.pop("seconds")
        for route in d["routes"]:
            route.pop("seconds")
    return docs


def test_reports_do_not_depend_on_workers_or_order(monkeypatch):
    options = dict(routes=("symbolic", "sampled"), examples=20, seed=3)
    one = check(CLAIMS, jobs=1, **options)
    # the last run's times put the claims in the reverse order on two workers
    monkeypatch.setattr(checking, "_last_seconds",
                        lambda: {c: float(i) for i, c in enumerate(CLAIMS)})
    assert longest_first(CLAIMS, checking._last_seconds()) == [4, 3, 2, 1, 0]
    two = check(CLAIMS, jobs=2, **options)
    assert [r.claim for r in two] == CLAIMS
    assert _without_times(two) == _without_times(one)


def test_longest_first_puts_unknown_claims_first():
    assert longest_first(["a", "b", "c"], {"b": 2.0, "c": 5.0}) == [0, 2, 1]
    assert longest_first(["a", "b"], {}) == [0, 1]
