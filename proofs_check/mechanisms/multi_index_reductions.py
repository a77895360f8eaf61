r"""Mechanism 3, reductions for the certified route: what a proof of each claim uses.

The margins of mechanism 3 are long rational forms in six to eight parameters; natural interval
evaluation of them never decides a box. Each function here rewrites one registered claim into
claims that imply it and that the branch and bound decides, the way the claim's proof
(:mod:`theory.multi_index_claims`) argues. Every rewriting is exact and checked by SymPy when it
is built (kept in the disk cache):

* **Held atoms.** The student's norm rate ``D_s`` is held as one symbol while SymPy factors the
  margin, then substituted back: ``A_e A_h`` at ``eta*`` minus at ``eta_s`` becomes
  ``ce1^6 theta^2 zeta_h^2 (eta_s^2 D_s - 1 - theta^2)^2/(...)``, a square over a positive
  denominator (``multi_index.optimal_joint_step``).
* **A positive factor divided out.** The slopes in ``eta_s`` of ``C_h = T/q (1 - Psi(c))`` and
  ``C_e = K/D Psi(c)`` are ``Psi'(c)`` times a form without ``Psi``; ``Psi'(c) = E[g^2/(1 +
  c g^2)^2] > 0`` (the monotonicity on which the enclosure of ``Psi`` rests, tested in
  ``tests/theory/test_multi_index.py``), so the claim follows from that form being ``>= 0``
  (``multi_index.larger_step_dilutes_hard_direction``).
* **The proof's identity.** ``Delta (gamma* - gamma_s) = C (R - gamma_s chi (1 - R))^2/(chi
  (1 - R)(1 + gamma_s chi))`` with ``R = H/C`` (``multi_index.w2s_iff_below_critical_ratio``);
  ``L_s^fit - L_t = (rho_t^2 - rho_s^2) sum_k ce_k^2 sum_j rho_t^{2j} rho_s^{2(k-1-j)}`` with
  ``rho_t^2 - rho_s^2 = rho_t^2 gamma_s chi Q/(B_2 + gamma_s chi Q)`` (``multi_index.no_easy_w2s``);
  ``2/3^{3/2} - omega = (u - 2)^2 (4 u + 1)/(27 (1 + u)^3 (2/3^{3/2} + u (1 + u)^{-3/2})) + K x e
  (3 s^2 + 3 s e + e^2)/(s^{3/2} (s + e)^{3/2} ((s + e)^{3/2} + s^{3/2}))`` with ``u = x D_0/a``,
  ``s = a + x D_0``, ``e = x (D_s - D_0) >= 0``
  (``multi_index.second_step_shrinks_hard_component``).

A reduction applies to the registered statement only: a claim with the same id and another margin,
region or assumptions (a mutant) gets ``None`` and is tried as it is.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.mechanisms.multi_index_reductions import REDUCTIONS
>>> c = claim("multi_index.optimal_joint_step")
>>> stronger, why = REDUCTIONS[c.id](c)
>>> stronger.id
'multi_index.optimal_joint_step.factored'
"""

from __future__ import annotations

import sympy
from sympy import sqrt

from theory.claims import Claim

__all__ = ["REDUCTIONS", "held_factor", "optimal_step_reduction", "dilution_reduction",
           "threshold_reduction", "no_easy_w2s_reduction", "step2_reduction",
           "feature_risk_reduction"]


def held_factor(expr, atoms):
    """``factor(together(expr))`` with each expression of ``atoms`` held as one symbol and
    substituted back: an exact rewriting wherever the denominators do not vanish.

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y", positive=True)
    >>> held_factor(1/(x + y) - 2/(x + y)**2 + (x + y)**-3, [x + y])
    (x + y - 1)**2/(x + y)**3
    """
    dummies = {a: sympy.Dummy(f"held{k}") for k, a in enumerate(atoms)}
    factored = sympy.factor(sympy.together(expr.xreplace(dummies)))
    return factored.xreplace({d: a for a, d in dummies.items()})


def _registered(claim: Claim) -> bool:
    """Whether ``claim`` is the registered statement of its id (a mutant keeps the id only)."""
    from theory.claims import claim as registered

    try:
        original = registered(claim.id)
    except Exception:  # noqa: BLE001 - an unknown id is no registered statement
        return False
    return (claim.kind == "forall" and claim.margin == original.margin
            and claim.assumptions == original.assumptions and claim.region == original.region
            and claim.strict == original.strict)


def _lemma(claim: Claim, k: int, margin, statement: str, region=None, assumptions=None) -> Claim:
    names = {s.name for s in margin.free_symbols}
    assumptions = tuple(a for a in (claim.assumptions if assumptions is None else assumptions)
                        if {s.name for s in a.free_symbols} & names)
    used = names | {s.name for a in assumptions for s in a.free_symbols}
    region = {n: v for n, v in (claim.region if region is None else region).items() if n in used}
    relation = sympy.StrictGreaterThan if claim.strict else sympy.GreaterThan
    return Claim(relation(margin, 0, evaluate=False), id=f"{claim.id}.{k}",
                 statement=statement, source=f"reduction of {claim.id}", region=region,
                 assumptions=assumptions)


def _cached(name: str, build):
    """``build()`` (SymPy rewriting and its checks), kept in the disk cache."""
    from theory import cache

    return cache.cached("multi-index-reduction", name, build,
                        depends_on=cache.theory_modules() + (__name__,))


# --- optimal joint step -------------------------------------------------------------------

def _optimal_step_form():
    from theory.multi_index import student
    from theory.multi_index_claims import claims

    margin = next(c for c in claims() if c.id == "multi_index.optimal_joint_step").margin
    return held_factor(margin, [student(summary="P-ideal")["D"]])


def optimal_step_reduction(claim: Claim):
    """``A_e A_h (eta*) - A_e A_h (eta_s)`` factored with ``D_s`` held: a square over a positive
    denominator (one box).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import optimal_step_reduction
    >>> form, why = optimal_step_reduction(claim("multi_index.optimal_joint_step"))
    >>> sorted(form.region) == sorted(claim("multi_index.optimal_joint_step").region)
    True
    """
    if not _registered(claim):
        return None
    form = _cached("optimal_joint_step", _optimal_step_form)
    return (_lemma(claim, "factored", form, "the margin factored by SymPy with D_s held as one "
                   "symbol (exact)"),
            "the margin factored by SymPy with the student's norm rate D_s held as one symbol: "
            "theta^2 zeta_h^2 K_s (eta_s^2 D_s - q_s)^2/(4 q_s D_s (q_s + eta_s^2 D_s)^2) up to "
            "positive factors")


# --- dilution: the four slopes --------------------------------------------------------------

def _dilution_forms():
    from theory.activations import Psi
    from theory.multi_index import eta_s, student, theta
    from theory.multi_index_claims import step_slopes

    S = student(summary="P-ideal")
    D = sympy.Dummy("D", positive=True)
    q = 1 + theta**2
    c = eta_s**2 * D / q
    slope = ((1 - Psi(c)) * (1 + c) - 1) / (2 * c**2)  # Psi'(c), theory.activations.Psi.fdiff
    assert sympy.simplify(sympy.diff(Psi(c), D) / sympy.diff(c, D) - slope) == 0
    forms = []
    for g in step_slopes():
        h = g.xreplace({S["D"]: D})
        if h.has(Psi):
            cofactor = sympy.factor(sympy.cancel(sympy.together(h / slope)))
            if cofactor.has(Psi):  # pragma: no cover - guards the rewriting
                raise ValueError("a slope is not Psi'(c) times a form without Psi")
            forms.append((cofactor.xreplace({D: S["D"]}), True))
        else:
            forms.append((sympy.factor(sympy.together(h)).xreplace({D: S["D"]}), False))
    return forms


def dilution_reduction(claim: Claim):
    """The four slopes, each a claim: ``-dA_h``, ``dA_e`` factored with ``D_s`` held, and the
    slopes of ``C_h``, ``C_e`` divided by ``Psi'(c) > 0``.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import dilution_reduction
    >>> lemmas, why = dilution_reduction(claim("multi_index.larger_step_dilutes_hard_direction"))
    >>> len(lemmas), any(l.margin.has(sympy.Function("Psi")) for l in lemmas)
    (4, False)
    """
    from theory.multi_index_claims import step_slopes

    if not _registered(claim) or set(claim.margin.args) != set(step_slopes()):
        return None
    names = ("-dA_h/deta_s", "dA_e/deta_s", "-dC_h/deta_s divided by Psi'(c)",
             "dC_e/deta_s divided by Psi'(c)")
    lemmas = [_lemma(claim, f"slope[{k + 1}]", form, f"{name} >= 0 (factored with D_s held)")
              for k, ((form, _), name) in enumerate(zip(_cached("dilution", _dilution_forms),
                                                        names))]
    return lemmas, ("the margin is the minimum of the four slopes in eta_s; each is factored by "
                    "SymPy with D_s held as one symbol, and the slopes of C_h and C_e are "
                    "Psi'(c) > 0 times a form without Psi (Psi'(c) = E[g^2/(1 + c g^2)^2])")


# --- the threshold gamma_s* -------------------------------------------------------------------

def _threshold_form():
    from theory.activations import chi
    from theory.multi_index import LINEAR, ce1, ch2, ch3, ch4, teacher_overlap, theta, zeta_h
    from theory.multi_index_claims import claims
    from theory.symbols import gamma_s

    claim = next(c for c in claims() if c.id == "multi_index.w2s_iff_below_critical_ratio")
    zero = {ch3: 0, ch4: 0}  # the region fixes them at their default 0
    C = (ce1**2 * teacher_overlap).xreplace(LINEAR).xreplace(zero)
    R = ch2**2 * zeta_h**4 / C  # H/C; = t^4 once zeta_h = t (C/ch2^2)^(1/4)
    x = chi(theta)
    form = C * (R - gamma_s * x * (1 - R)) ** 2 / (x * (1 - R) * (1 + gamma_s * x))
    X = sympy.Dummy("chi", positive=True)
    difference = (claim.margin.xreplace(zero) - form).xreplace({x: X})
    if sympy.cancel(sympy.together(difference)) != 0:  # pragma: no cover - guards the identity
        raise ValueError("the threshold identity does not hold")
    bound = claim.assumptions[0].rhs
    # written in (zeta_h/bound)^4, which the reparametrisation zeta_h = t bound makes t^4
    ratio = (zeta_h / bound) ** 4
    if sympy.cancel(sympy.together(ratio - R)) != 0:  # pragma: no cover
        raise ValueError("the assumption's bound is not (C/ch2^2)^(1/4)")
    return C * (ratio - gamma_s * x * (1 - ratio)) ** 2 / (x * (1 - ratio) * (1 + gamma_s * x))


def threshold_reduction(claim: Claim):
    """``Delta (gamma* - gamma_s)`` as ``C (R - gamma_s chi (1 - R))^2/(chi (1 - R)(1 +
    gamma_s chi))``, ``R = H/C < 1`` (the identity of the claim's proof).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import threshold_reduction
    >>> form, why = threshold_reduction(claim("multi_index.w2s_iff_below_critical_ratio"))
    >>> form.assumptions == claim("multi_index.w2s_iff_below_critical_ratio").assumptions
    True
    """
    if not _registered(claim):
        return None
    form = _cached("threshold", _threshold_form)
    lemma = _lemma(claim, "identity", form, "the margin written as a square over a positive "
                   "denominator (SymPy: the difference cancels)")
    return lemma, ("Delta (gamma* - gamma_s) = C (R - gamma_s chi (1 - R))^2/(chi (1 - R)(1 + "
                   "gamma_s chi)) with C = ce1^2 rho_t^2, R = H/C = (zeta_h/zeta_max)^4 < 1 "
                   "(SymPy: the difference cancels)")


# --- no easy W2S ------------------------------------------------------------------------------

def _fit_gap_form():
    from theory.claims import claim
    from theory.multi_index import ce, student, teacher_overlap

    S = student(summary="P-ideal")
    rt, rs = teacher_overlap, S["overlap"]
    # the claim's proof (SymPy): L_t is the feature risk at rho_t^2, and L_s^fit - L_t =
    # sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) (expanded: 0)
    steps = dict(claim("multi_index.no_easy_w2s").proof().steps)
    if not (steps["L_t = Sy - sum_k ce_k^2 rho_t^{2k} (its nonnegative form, simplified by SymPy)"]
            == steps["L_s^fit - L_t = sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) >= 0"] == "True"):
        raise ValueError("the fit-risk identity does not hold")  # pragma: no cover
    # x^k - y^k = (x - y) sum_j x^j y^(k-1-j), in symbols
    x, y = sympy.symbols("x y")
    if any(sympy.expand(x**k - y**k - (x - y) * sum(x**j * y**(k - 1 - j) for j in range(k)))
           for k in ce):
        raise ValueError("x^k - y^k")  # pragma: no cover
    gap = sympy.factor(sympy.together(rt - rs))
    return gap * sum(c**2 * sum(rt**j * rs**(k - 1 - j) for j in range(k)) for k, c in ce.items())


def no_easy_w2s_reduction(claim: Claim):
    """Its three arguments as claims, the third (``L_s^fit - L_t``) as ``(rho_t^2 - rho_s^2)``
    times a sum of non-negative terms, ``rho_t^2 - rho_s^2`` factored by SymPy.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import no_easy_w2s_reduction
    >>> lemmas, why = no_easy_w2s_reduction(claim("multi_index.no_easy_w2s"))
    >>> len(lemmas)
    3
    """
    from theory.multi_index_claims import RISKS

    if not _registered(claim):
        return None
    fit = RISKS["student_fit_risk"] - RISKS["teacher_risk"]
    args = list(claim.margin.args)
    if fit not in args:  # pragma: no cover - guards the statement
        return None
    lemmas = []
    for k, g in enumerate(args):
        if g == fit:
            lemmas.append(_lemma(claim, f"min[{k + 1}]", _cached("fit_gap", _fit_gap_form),
                                 "L_s^fit - L_t = (rho_t^2 - rho_s^2) sum_k ce_k^2 sum_j "
                                 "rho_t^{2j} rho_s^{2(k-1-j)} >= 0"))
        else:
            lemmas.append(_lemma(claim, f"min[{k + 1}]", g, f"argument {k + 1} of the minimum "
                                 ">= 0"))
    return lemmas, ("the margin is the minimum of its three arguments; L_s^fit - L_t = "
                    "(rho_t^2 - rho_s^2) sum_k ce_k^2 sum_j rho_t^{2j} rho_s^{2(k-1-j)} with "
                    "rho_t^2 - rho_s^2 factored by SymPy (the identity is a step of the claim's "
                    "SymPy proof)")


# --- the second step --------------------------------------------------------------------------

def _step2_form():
    from theory.activations import kappa, tau
    from theory.multi_index import (LINEAR, a_tilde, ce1, eta_s, step2_bound_derivation, student,
                                    teacher_overlap, teacher_summary, theta)
    from theory.symbols import gamma_s

    a = 2 + theta**2
    x = eta_s**2 * a_tilde**2
    ks = kappa(1 + theta**2)
    c12 = (ce1**2 * teacher_overlap).xreplace(LINEAR)
    D0 = ks**2 * c12
    E = gamma_s * teacher_summary()["Q"].xreplace(LINEAR) * tau(1 + theta**2)
    D = student(summary="P-ideal")["D"].xreplace(LINEAR)
    K = ks * c12 * sqrt(2 / sympy.pi)
    checks = [
        sympy.expand(D0 + E - D) == 0,  # D_s = D_0 + E, E >= 0
        # 1 - F = omega = K x (a + x D_s)^(-3/2): the derivation's first step (SymPy: 0)
        dict(step2_bound_derivation().steps)["1 - factor - omega (SymPy: 0)"] == 0,
        # ... with the derivation's omega, x ks c1^2 sqrt(2/pi) (2 + theta^2 + x D_s)^(-3/2)
        (x * ks * (ce1 * sqrt(teacher_overlap)) ** 2 * sqrt(2 / sympy.pi)
         * (2 + theta**2 + x * student(summary="P-ideal")["D"]) ** sympy.Rational(-3, 2)
         ).xreplace(LINEAR) == K * x * (a + x * D) ** sympy.Rational(-3, 2),
        sympy.simplify(ks * sqrt(a) - sqrt(2 / sympy.pi)) == 0,  # K = D_0 sqrt(a)
    ]
    # the two rational identities, in positive symbols (w = sqrt(1 + u), p = sqrt(s),
    # r = sqrt(s + e)): 2/3^(3/2) - u/w^3 and 1/p^3 - 1/r^3 rewritten
    w, p, r = sympy.symbols("w p r", positive=True)
    u_ = w**2 - 1
    b = 2 / sqrt(27)
    t1 = (u_ - 2) ** 2 * (4 * u_ + 1) / (27 * w**6 * (b + u_ / w**3))
    e_ = r**2 - p**2
    t2 = e_ * (3 * p**4 + 3 * p**2 * e_ + e_**2) / (p**3 * r**3 * (r**3 + p**3))
    checks += [sympy.simplify(b - u_ / w**3 - t1) == 0, sympy.cancel(1 / p**3 - 1 / r**3 - t2) == 0]
    if not all(checks):  # pragma: no cover - guards the identities
        raise ValueError(f"a step-2 identity does not hold: {checks}")
    u, s, e = x * D0 / a, a + x * D0, x * E
    three_halves = sympy.Rational(3, 2)
    T1 = (u - 2) ** 2 * (4 * u + 1) / (27 * (1 + u) ** 3 * (b + u * (1 + u) ** -three_halves))
    T2 = K * x * e * (3 * s**2 + 3 * s * e + e**2) / (
        s**three_halves * (s + e) ** three_halves * ((s + e) ** three_halves + s**three_halves))
    return T1 + T2


def step2_reduction(claim: Claim):
    """Its two arguments as claims, the second (``omega <= 2/3^{3/2}``) as the sum of the two
    non-negative terms of the module docs (the proof's envelope, ``D_s >= D_0``).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import step2_reduction
    >>> lemmas, why = step2_reduction(claim("multi_index.second_step_shrinks_hard_component"))
    >>> len(lemmas)
    2
    """
    from theory.multi_index import two_steps_linear

    if not _registered(claim):
        return None
    lower = two_steps_linear() - (1 - 2 / sqrt(27))
    args = list(claim.margin.args)
    if lower not in args:  # pragma: no cover - guards the statement
        return None
    lemmas = []
    for k, g in enumerate(args):
        if g == lower:
            lemmas.append(_lemma(claim, f"min[{k + 1}]", _cached("step2", _step2_form),
                                 "2/3^(3/2) - omega as two non-negative terms (SymPy)"))
        else:
            lemmas.append(_lemma(claim, f"min[{k + 1}]", g, f"argument {k + 1} of the minimum "
                                 ">= 0"))
    return lemmas, ("the margin is the minimum of its two arguments; 2/3^(3/2) - omega = "
                    "(u - 2)^2 (4u + 1)/(27 (1 + u)^3 (2/3^(3/2) + u (1 + u)^(-3/2))) + "
                    "K x e (3 s^2 + 3 s e + e^2)/(s^(3/2) (s + e)^(3/2) ((s + e)^(3/2) + "
                    "s^(3/2))), u = x D_0/a, s = a + x D_0, e = x (D_s - D_0) (SymPy)")


# --- the feature risk is a risk ----------------------------------------------------------------

def _feature_risk_forms(claim: Claim):
    from theory.multi_index import ce1, ce2, ce3, ce4, ch2, ch3, ch4, pi_e, pi_eh, pi_h

    bound = claim.assumptions[0].rhs  # sqrt(Min(pi_e pi_h, (1 - pi_e)(1 - pi_h)))
    M = bound**2
    T = pi_eh**2 / M  # t^2 once pi_eh = t sqrt(M)
    u, v, P = 1 - pi_e, 1 - pi_h, ce2 * ch2
    A, B, absP = sympy.Abs(ce2), sympy.Abs(ch2), sympy.Abs(ce2 * ch2)
    X1, X2, Y1, Y2 = sympy.symbols("X1 X2 Y1 Y2")  # the four maxima, decided by cases below
    maxima = {X1: sympy.Max(u * v - pi_e * pi_h, 0), X2: sympy.Max(pi_e * pi_h - u * v, 0),
              Y1: sympy.Max(-P, 0), Y2: sympy.Max(P, 0)}
    low = (ce1**2 * u + 2 * ce2**2 * pi_e * u + 2 * ch2**2 * pi_h * v + (A * u - B * v) ** 2
           + 2 * absP * ((1 - T) * u * v + T * X1) + 4 * Y1 * T * M)
    high = (ce1**2 * pi_e + (A * pi_e - B * pi_h) ** 2
            + 2 * absP * ((1 - T) * pi_e * pi_h + T * X2) + 4 * Y2 * T * M)
    zero = {ce3: 0, ce4: 0, ch3: 0, ch4: 0}  # the region fixes them at their default 0
    risk = [g.xreplace(zero) for g in claim.margin.args]
    # R - s2 is the argument with the constant ce1^2 (at pi = 0 it is the label energy - s2)
    at_zero = {pi_e: 0, pi_h: 0, pi_eh: 0}
    original_low = next(g for g in risk if g.xreplace(at_zero) != 0)
    original_high = next(g for g in risk if g.xreplace(at_zero) == 0)
    # exact by cases: the signs of ce2, ch2 and the branch of the minimum (SymPy cancels each)
    t2, a, b = sympy.symbols("t2 a b", positive=True)
    for sa in (1, -1):
        for sb in (1, -1):
            signs = {ce2: sa * a, ch2: sb * b}
            pos = sa * sb > 0
            for branch, other in ((pi_e * pi_h, u * v), (u * v, pi_e * pi_h)):
                first = branch == pi_e * pi_h  # M = pi_e pi_h <= u v
                cases = {X1: u * v - pi_e * pi_h if first else 0,
                         X2: 0 if first else pi_e * pi_h - u * v,
                         Y1: 0 if pos else -sa * sb * a * b, Y2: sa * sb * a * b if pos else 0}
                for form, original in ((low, original_low), (high, original_high)):
                    f = form.xreplace({pi_eh: sympy.sqrt(t2) * bound}).xreplace(cases)
                    f = f.xreplace({M: branch}).xreplace(signs)
                    g = original.xreplace({pi_eh: sympy.sqrt(t2 * branch)}).xreplace(signs)
                    if sympy.expand(f - g) != 0:  # pragma: no cover - guards the identity
                        raise ValueError("a feature-risk identity does not hold")
    return low.xreplace(maxima), high.xreplace(maxima)


def feature_risk_reduction(claim: Claim):
    """Its two arguments as claims, each a sum of non-negative terms once ``pi_eh = t sqrt(M)``,
    ``M = min(pi_e pi_h, (1 - pi_e)(1 - pi_h))``: with ``u = 1 - pi_e``, ``v = 1 - pi_h``,
    ``P = ce2 ch2``, ``R - s2 = ce1^2 u + 2 ce2^2 pi_e u + 2 ch2^2 pi_h v + (|ce2| u - |ch2| v)^2 +
    2 |P| ((1 - t^2) u v + t^2 max(u v - pi_e pi_h, 0)) + 4 max(-P, 0) t^2 M`` and the same with
    ``pi_e, pi_h`` for ``u, v`` for ``Sy - R`` (the proof's ``(a u - b v)^2`` step).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.multi_index_reductions import feature_risk_reduction
    >>> lemmas, why = feature_risk_reduction(claim("multi_index.feature_risk_is_a_risk"))
    >>> [l.id for l in lemmas]
    ['multi_index.feature_risk_is_a_risk.min[1]', 'multi_index.feature_risk_is_a_risk.min[2]']
    """
    if not _registered(claim):
        return None
    from theory.multi_index import pi_e, pi_eh, pi_h, sigma2

    low, high = _cached("feature_risk", lambda: _feature_risk_forms(claim))
    lemmas = []
    for k, g in enumerate(claim.margin.args):  # R - s2 is the one not 0 at pi = 0
        is_low = g.xreplace({pi_e: 0, pi_h: 0, pi_eh: 0}).xreplace({sigma2: 0}) != 0
        lemmas.append(_lemma(claim, f"min[{k + 1}]", low if is_low else high,
                             f"{'R - s2' if is_low else 'Sy - R'} as a sum of non-negative "
                             f"terms (SymPy, by cases)"))
    return lemmas, ("R - s2 and Sy - R each written as a sum of non-negative terms with pi_eh = "
                    "t sqrt(M) (checked by SymPy on each sign of ce2, ch2 and each branch of M)")


#: Claims whose margin is not certifiable as such, by id: a function returning a claim (or a
#: list of claims) that implies it and the argument, or ``None`` when the claim is not that
#: statement.
REDUCTIONS = {
    "multi_index.optimal_joint_step": optimal_step_reduction,
    "multi_index.larger_step_dilutes_hard_direction": dilution_reduction,
    "multi_index.w2s_iff_below_critical_ratio": threshold_reduction,
    "multi_index.no_easy_w2s": no_easy_w2s_reduction,
    "multi_index.second_step_shrinks_hard_component": step2_reduction,
    "multi_index.feature_risk_is_a_risk": feature_risk_reduction,
}
