"""Ridge teacher and student: the comparison of ``w2s simulate ridge``, the Monte Carlo plans and
the certified route's reduction of the Dobriban-Wager claim.

The plans simulate with :func:`numerics.simulate.simulate_ridge`, which fits the actual
estimators and imports no formula of the theory; the two closed forms a plan subtracts are
literature formulas typed in here (Hastie et al. 2022 for the ridgeless teacher; the
minimum-norm student's risk), so that a plan checks the theory rather than reusing it.

Examples
--------
>>> from proofs_check.mechanisms.ridge import simulation
>>> result = simulation({"lam_t": "0.05", "lam_s": "0.3", "gamma_t": "0.5", "gamma_s": "0.5",
...                      "sigma2": "1"}, d=100, reps=4, seed=0)
>>> [r["quantity"] for r in result.rows]
['ridge.teacher_risk', 'ridge.student_risk', 'ridge.overlap_A', 'ridge.overlap_B']
"""

from __future__ import annotations

import sympy

import numerics
import theory
from numerics.simulate import simulate_ridge
from numerics.simulate.common import to_float64
from proofs_check.mechanisms import population
from proofs_check.mechanisms.ridge_witness import (population_optimum_reduction,
                                                   under_regularised_reduction)
from proofs_check.montecarlo import Estimate, Plan, agree
from proofs_check.result import Comparison
from theory.claims import Claim

__all__ = ["simulation", "compare_rows", "PLANS", "REDUCTIONS", "optimum_reduction"]


def compare_rows(sim, values: dict, student: str, d: int, reps: int) -> list[dict]:
    """Rows of teacher risk, student risk and the overlaps ``A``, ``B``: simulated (a
    :class:`numerics.simulate.RidgeSimulation` or its weighted counterpart) against theory."""
    rows = []
    for name, mean, se in (("ridge.teacher_risk", sim.teacher_mean[0], sim.teacher_se[0]),
                           (student, sim.student_mean[0, 0], sim.student_se[0, 0]),
                           ("ridge.overlap_A", sim.overlap_A.mean(0)[0],
                            sim.overlap_A.std(0, ddof=1)[0] / reps**0.5),
                           ("ridge.overlap_B", sim.overlap_B.mean(0)[0],
                            sim.overlap_B.std(0, ddof=1)[0] / reps**0.5)):
        q = theory.get(name)
        th = float(numerics.evaluate(name, {p.name: values[p.name] for p in q.parameters}))
        ok, n_se = agree(float(mean), float(se), th, d)
        rows.append({"quantity": name, "simulation": float(mean), "standard_error": float(se),
                     "theory": th, "difference_in_se": n_se, "agree": ok})
    return rows


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """Simulate the ridge teacher and student at ``raw`` (parameter name -> text) and compare
    with the theory."""
    values = numerics.check_params(raw, [p.name for p in theory.get("ridge.student_risk")
                                         .parameters])
    floats = {k: to_float64(k, v) for k, v in values.items()}
    sim = simulate_ridge(d=d, reps=reps, seed=seed, n_jobs=jobs, **floats)
    return Comparison("ridge", compare_rows(sim, values, "ridge.student_risk", d, reps), floats)


# --- Monte Carlo plans ----------------------------------------------------------------------

def _sim(point, d, reps, seed, lam_t=None, lam_s=None, gamma_s=None):
    return simulate_ridge(d=d, gamma_t=point["gamma_t"],
                          gamma_s=point.get("gamma_s", 1.0) if gamma_s is None else gamma_s,
                          lam_t=point["lam_t"] if lam_t is None else lam_t,
                          lam_s=point.get("lam_s", 0.0) if lam_s is None else lam_s,
                          sigma2=point["sigma2"], r2=point.get("r2", 1.0),
                          sigma2_s=point.get("sigma2_s", 0.0), reps=reps, seed=seed)


def _gap(point, d, reps, seed):
    r = _sim(point, d, reps, seed)
    return Estimate(r.gap_mean[0, 0], r.gap_se[0, 0])


def _min_norm(point, d, reps, seed):
    r = _sim(point, d, reps, seed)
    g, r2 = point["gamma_s"], point.get("r2", 1.0)
    return Estimate.of(r.student[:, 0, 0] - (r.teacher[:, 0] / g + (1 - 1 / g) * r2))


def _optimal_ridge(point, d, reps, seed):
    lam_star = point["sigma2"] * point["gamma_t"] / point.get("r2", 1.0)
    r = _sim(point, d, reps, seed, lam_t=[point["lam_t"], lam_star], gamma_s=1.0, lam_s=1.0)
    return Estimate.of(r.teacher[:, 0] - r.teacher[:, 1])


def _ridgeless(point, d, reps, seed):
    r = _sim(point, d, reps, seed, lam_t=0.0, gamma_s=1.0, lam_s=1.0)
    g, s2, r2 = point["gamma_t"], point["sigma2"], point.get("r2", 1.0)
    hastie = s2 * g / (1 - g) if g < 1 else r2 * (1 - 1 / g) + s2 / (g - 1)
    return Estimate.of(r.teacher[:, 0] - hastie)


def ridgeless_offset(point, d):
    """The exact finite-``d`` excess of the ridgeless teacher's risk over Hastie et al.'s limit.

    With ``n = round(d/gamma_t)`` Gaussian rows the inverse-Wishart moments give the risk exactly:
    ``sigma2 d/(n - d - 1)`` for ``n > d + 1``, ``r2 (1 - n/d) + sigma2 n/(d - n - 1)`` for
    ``d > n + 1`` (the projection of ``beta`` on the row space of ``X`` keeps ``n/d`` of it).

    Examples
    --------
    >>> from proofs_check.mechanisms.ridge import ridgeless_offset
    >>> round(ridgeless_offset({"gamma_t": 0.5, "sigma2": 1.0}, 200), 6)   # 200/199 - 1
    0.005025
    """
    from numerics.simulate.common import sample_rows

    g, s2, r2 = point["gamma_t"], point["sigma2"], point.get("r2", 1.0)
    n = sample_rows(d, g)
    if n > d + 1:
        return s2 * d / (n - d - 1) - s2 * g / (1 - g)
    if d > n + 1:
        return r2 * (1 - n / d) + s2 * n / (d - n - 1) - (r2 * (1 - 1 / g) + s2 / (g - 1))
    return 0.0


_GAP = ("paired difference of the simulated risks; 2% of the quantity plus 1/d (the gap's "
        "finite-size bias, measured shrinking like 1/d)")


def _population_sim(point, d, reps, seed):
    return _sim(point, d, reps, seed, gamma_s=float(population.GAMMA))


def _population_form(point, d, reps, seed):
    """The large-sample student's risk minus ``r2 - 2A/(1 + lam_s) + B/(1 + lam_s)^2`` with the
    teacher's simulated overlaps (repetition by repetition)."""
    r = _population_sim(point, d, reps, seed)
    shrink, A, B = 1 + point["lam_s"], r.overlap_A[:, 0], r.overlap_B[:, 0]
    return Estimate.of(r.student[:, 0, 0] - (point.get("r2", 1.0) - 2 * A / shrink
                                              + B / shrink**2))


def _population_optimum(point, d, reps, seed):
    """``L_s - L_t + (B - A)^2/B``: the large-sample student's risk against the stated optimum,
    with the teacher's simulated risk and overlaps."""
    r = _population_sim(point, d, reps, seed)
    A, B = r.overlap_A[:, 0], r.overlap_B[:, 0]
    return Estimate.of(r.student[:, 0, 0] - r.teacher[:, 0] + (B - A) ** 2 / B)


def _student_bias():
    from theory.symbols import gamma_s, sigma2_s

    return population.PopulationBias(theory.get("ridge.student_risk").expr, (gamma_s,),
                                     {sigma2_s: 0})


_POPULATION = ("a student on n_s = 50 d rows (gamma_s = 1/50) for the population one, the "
               "teacher's overlaps simulated; allowance gamma_s |f'(0)| + gamma_s^2 |f''(0)| of "
               "the finite-gamma_s student risk f (derived by SymPy), plus 2% of the quantity "
               "and 1/d")

#: claim id -> Monte Carlo plan.
PLANS = {
    "ridge.over_regularised_teacher_never_beaten": Plan(_gap, relative=0.02, per_d=1.0, note=_GAP),
    "ridge.under_regularised_teacher_is_beaten": Plan(_gap, relative=0.02, per_d=1.0, note=_GAP),
    "ridge.overparameterised_student_threshold": Plan(_gap, relative=0.02, per_d=1.0,
                                                      note=_GAP),
    "ridge.min_norm_student": Plan(_min_norm, per_d=1.0, note=_GAP),
    "ridge.dobriban_wager_optimal_ridge": Plan(_optimal_ridge, relative=0.02, per_d=1.0,
                                               note=_GAP),
    "ridge.hastie_ridgeless_risk": Plan(
        _ridgeless, offset=ridgeless_offset, per_d=1.0,
        note="the exact finite-d ridgeless risk (inverse-Wishart moments) minus the limit "
             "subtracted; 1/d left"),
    "ridge.population_student": Plan(
        _population_form, per_d=0.05, bias=_student_bias(),
        note="a student on n_s = 50 d rows (gamma_s = 1/50) against the stated form with the "
             "teacher's simulated overlaps (no teacher bias enters); allowance gamma_s |f'(0)| + "
             "gamma_s^2 |f''(0)| of the finite-gamma_s student risk f (derived by SymPy), plus "
             "0.05/d for the 1/d part of that O(gamma_s) bias"),
    "ridge.population_student_optimum": Plan(_population_optimum, relative=0.02, per_d=1.0,
                                             bias=_student_bias(), note=_POPULATION),
}


# --- the certified route ------------------------------------------------------------------

def optimum_reduction(claim: Claim):
    """Dobriban-Wager through its factored derivative: the claim follows from a cofactor ``>= 0``.

    The margin ``L_t(lam_t) - L_t(lam_star)`` vanishes at ``lam_star`` inside the box, so no box
    containing it has an enclosure ``>= 0``. SymPy factors ``dL_t/dlam_t = (r2 lam_t - sigma2
    gamma_t) C(lam_t, gamma_t)`` (:func:`theory.ridge.optimal_teacher_lambda`; the factorisation is
    checked here by ``cancel``). If ``C >= 0`` for ``lam_t`` between 0 and the largest of the
    region's ``lam_t`` and ``lam_star``, then ``L_t`` decreases up to ``lam_star`` and increases
    after it, which is the claim. Returns ``None`` when the claim is not exactly that statement
    (a mutant keeps its id but not its margin).

    Returns
    -------
    tuple of (Claim, str) or None
        The cofactor claim and the argument in words.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.ridge import optimum_reduction
    >>> cofactor, why = optimum_reduction(claim("ridge.dobriban_wager_optimal_ridge"))
    >>> cofactor.region["lam_t"]
    Interval(0, 10000)
    """
    from theory.ridge import lam_star, optimal_teacher_lambda, teacher_risk
    from theory.symbols import gamma_t, lam_t, r2, sigma2

    if (claim.kind != "forall" or claim.identity or claim.assumptions
            or claim.margin != teacher_risk - teacher_risk.xreplace({lam_t: lam_star})):
        return None
    d = optimal_teacher_lambda()
    derivative, factored = d.steps[0][1], d.steps[1][1]
    linear = r2 * lam_t - sigma2 * gamma_t
    factors = sympy.Mul.make_args(factored)
    signs = [1 if f == linear else -1 for f in factors if f in (linear, -linear)]
    if len(signs) != 1:  # pragma: no cover - guards the factorisation
        return None
    cofactor = signs[0] * sympy.Mul(*[f for f in factors if f not in (linear, -linear)])
    if (cofactor.has(r2, sigma2)
            or sympy.cancel(sympy.together(derivative - linear * cofactor)) != 0):
        return None  # pragma: no cover - guards the factorisation
    region = claim.region
    top = sympy.Max(region["lam_t"].end, region["gamma_t"].end * region["sigma2"].end
                    / region["r2"].start)
    cofactor_claim = Claim(
        sympy.GreaterThan(cofactor, 0, evaluate=False), id=f"{claim.id}.cofactor",
        statement="the cofactor C of dL_t/dlam_t = (r2 lam_t - sigma2 gamma_t) C is >= 0",
        source=f"factored by SymPy ({claim.id})",
        region={"lam_t": sympy.Interval(0, top), "gamma_t": region["gamma_t"]})
    why = (f"dL_t/dlam_t = (r2 lam_t - sigma2 gamma_t) C (SymPy) and C >= 0 certified for lam_t in "
           f"[0, {top}] (every lam_t and lam_star of the region): L_t falls up to lam_star and "
           f"rises after it")
    return cofactor_claim, why


#: Claims whose margin is not certifiable as such, by id: a function returning a certifiable
#: claim that implies it and the argument (or ``None`` when the claim is not that statement).
REDUCTIONS = {"ridge.dobriban_wager_optimal_ridge": optimum_reduction,
              "ridge.under_regularised_teacher_is_beaten": under_regularised_reduction,
              "ridge.population_student_optimum": population_optimum_reduction}
