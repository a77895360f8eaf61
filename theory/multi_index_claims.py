"""Mechanism 3, claims: docs/mechanism-3.md (claims 1-8) with their SymPy proofs.

:func:`claims` returns the mechanism's claims (the catalogue builds them on first use, through
:data:`theory.mechanisms.MULTI_INDEX`); each carries its proof, a ``_prove_*`` function of this
module. The quantities and derivations they are stated with are those of
:mod:`theory.multi_index`.

Examples
--------
>>> from theory.multi_index_claims import claims
>>> [c.id for c in claims()][:3]
['multi_index.teacher_learns_only_easy_direction', 'multi_index.simultaneous_alignment', 'multi_index.larger_step_dilutes_hard_direction']
>>> claims()[0].proof().established
True
"""

from __future__ import annotations

import sympy
from sympy import Interval, Rational, sqrt
from sympy import Min as _Min

from theory.activations import Psi, chi, kappa, tau
from theory.cache import once_per_machine
from theory.claims import Claim, Proof
from theory.multi_index import (B_2, B_e, LINEAR, ce, ce1, ch, ch2, ch3, ch4, critical_gamma_s,
                                critical_ratio_derivation, eta_s, eta_t, feature_risk,
                                label_energy, optimal_step_values, pi_e, pi_eh, pi_h, psi, risks,
                                step2_bound_derivation, student, teacher, teacher_overlap, theta,
                                two_steps_linear, zeta_h)
from theory.symbols import gamma_s, gamma_t, sigma2

__all__ = ["claims", "Min", "alignment_product", "step_slopes", "RISKS", "GAIN_LINEAR",
           "CRITICAL_GAMMA_S", "TEACHER_STRENGTH", "RAW_BGN"]


def Min(*args):
    """``Min`` without SymPy's pairwise comparison of its (large) arguments."""
    return _Min(*args, evaluate=False)


_CLAIM_SOURCE = "arXiv:2505.18346, mechanism 3; derived in w2s-theory (docs/mechanism-3.md)"
_R = Rational
_TEACHER_REGION = {"ce1": Interval(_R(1, 10), 3), "ch2": Interval(0, 3),
                   "sigma2": Interval(0, 3), "gamma_t": Interval(_R(1, 100), 100)}
_STUDENT_REGION = {**_TEACHER_REGION, "gamma_s": Interval(_R(1, 100), 100),
                   "theta": Interval(_R(1, 10), 5), "zeta_h": Interval(_R(1, 100), 1),
                   "eta_s": Interval(_R(1, 100), 100)}


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(bool(ok)))
                                                         for label, ok in steps))


_pos = sympy.symbols("x_1:8", positive=True)


def _prove_teacher() -> Proof:
    c, x, e = _pos[:3]  # c = ce1^2, x = gamma_t Sy, e = eta_t^2
    k2, t = kappa(1) ** 2, tau(1)
    A, D = k2 * c, k2 * c + x * t
    gap = sympy.factor(sympy.together(c / (c + x) - A / D))
    return _steps([
        ("tau(1) - kappa(1)^2 = 2/(pi sqrt 3) - 1/pi > 0", (t - k2).is_positive),
        (f"rho_t^2 - A_t/D_t = {gap} > 0", gap.is_positive),
        ("A_t/D_t - e A_t/(1 + e D_t) = A_t/(D_t (1 + e D_t)) > 0",
         sympy.simplify(A / D - e * A / (1 + e * D) - A / (D * (1 + e * D))) == 0),
    ])


def _prove_simultaneous() -> Proof:
    s = student()
    return _steps([
        ("A_h = theta^2 zeta_h^2/(1 + theta^2 + eta_s^2 D_s) > 0 for theta, zeta_h > 0",
         s["alignment_hard"].xreplace({theta: _pos[0], zeta_h: _pos[1], B_2: _pos[2]}).is_positive),
        ("A_e = eta_s^2 nu_s^2 B_e^2/(...) > 0 for B_e != 0",
         s["alignment_easy"].xreplace({B_e: _pos[3], theta: _pos[0], B_2: _pos[2]}).is_positive),
        ("Psi(c) = E[c g^2/(1 + c g^2)] lies in (0, 1) for c > 0, so C_h, C_e > 0",
         Psi(_pos[4]).is_positive),
    ])


_S_P = student(summary="P-ideal")


def _prove_dilution() -> Proof:
    x, T, K, D, q = _pos[:5]
    A_h, A_e = T / (q + x * D), x * K / (q + x * D)
    c = sympy.Symbol("c", positive=True)
    return _steps([
        ("d A_h/d(eta^2) = -T D/(q + x D)^2 < 0", (-sympy.diff(A_h, x)).is_positive),
        ("d A_e/d(eta^2) = K q/(q + x D)^2 > 0", sympy.factor(sympy.diff(A_e, x)).is_positive),
        ("C_h, C_e move with Psi(c), c = eta^2 D_s/q_s increasing; Psi'(c) = E[g^2/(1+cg^2)^2] "
         "> 0 and its closed form is SymPy's derivative",
         sympy.simplify(sympy.diff(Psi(c), c) - ((1 - Psi(c)) * (1 + c) - 1) / (2 * c**2)) == 0),
    ])


def alignment_product(eta):
    """``A_e A_h`` of the student (P-ideal teacher) at step size ``eta`` (the optimal step)."""
    return (_S_P["alignment_easy"] * _S_P["alignment_hard"]).xreplace({eta_s: eta})


def _prove_optimal_step() -> Proof:
    x, T, K, D, q = _pos[:5]
    P = x * K * T / (q + x * D) ** 2
    gap = sympy.factor(sympy.together(P.xreplace({x: q / D}) - P))
    return _steps([(f"P(eta*) - P(eta) = {gap} >= 0", gap.is_nonnegative),
                   ("P(eta*) = T K/(4 q D)", sympy.simplify(P.xreplace({x: q / D})
                                                            - T * K / (4 * q * D)) == 0)])


def _prove_step2() -> Proof:
    d = step2_bound_derivation()
    steps = dict(d.steps)
    return _steps([("<w,p> after step 2 = theta b (1 - omega), omega > 0 (SymPy: 1 - factor - omega = 0)",
                    steps["1 - factor - omega (SymPy: 0)"] == 0),
                   ("omega <= y sqrt(a)(a+y)^{-3/2} since D_s >= nu_s^2 c^2",
                    steps["omega at D_s = nu_s^2 c^2, minus its envelope (SymPy: 0)"] == 0),
                   ("max over y is 2/3^{3/2} < 1, so (1 - omega)^2 in [(1 - 2/3^{3/2})^2, 1)",
                    d.result == 2 / sqrt(27) and (1 - d.result).is_positive)])


#: R2, R3, W1 with a P-ideal teacher and erf (:func:`theory.multi_index.risks`).
RISKS = risks()


def _prove_no_easy_w2s() -> Proof:
    c, r, x, Qv = _pos[:4]  # ce1^2, rho_t^2, gamma_s chi_s
    ratio = sympy.cancel((c * r**2 / (c * r + x * Qv)) / r)
    return _steps([
        (f"rho_s^2/rho_t^2 = {ratio} < 1 for gamma_s chi_s Q > 0",
         sympy.cancel(1 - ratio).is_positive),
        ("L_t = Sy - sum_k ce_k^2 rho_t^{2k} (its nonnegative form, simplified by SymPy)",
         sympy.simplify(RISKS["teacher_risk"] - feature_risk(teacher_overlap, 0, 0)) == 0),
        ("L_s^fit - L_t = sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) >= 0",
         sympy.expand(RISKS["student_fit_risk"] - feature_risk(teacher_overlap, 0, 0)
                      - sum(ck**2 * (teacher_overlap**k - _S_P["overlap"]**k)
                            for k, ck in ce.items())) == 0),
        ("chi(theta) - 1 = (2 + t - 2 sqrt(1+t))/(2 sqrt(1+t)) = (sqrt(1+t) - 1)^2/(2 sqrt(1+t))",
         sympy.simplify(chi(theta) - 1 - (sqrt(1 + theta**2) - 1) ** 2
                        / (2 * sqrt(1 + theta**2))) == 0),
    ])


#: W1: the gain ``Delta`` for a linear easy link (claim 6).
GAIN_LINEAR = RISKS["w2s_gain"].xreplace(LINEAR)
#: W2: the threshold ``gamma_s*`` (:func:`theory.multi_index.critical_gamma_s`).
CRITICAL_GAMMA_S = critical_gamma_s()


def _prove_threshold() -> Proof:
    H, C, x, g, G = sympy.symbols("H C chi gamma gamma_star", positive=True)
    gain = H - C * g * x / (1 + g * x)
    star = H / (x * (C - H))
    identity = sympy.simplify(gain * (star - g) - x * (C - H) * (star - g) ** 2 / (1 + g * x))
    return _steps([("Delta = H - c^2 rho_t^2 gamma_s chi_s/(1 + gamma_s chi_s) (SymPy)",
                    critical_ratio_derivation().steps[0][1] == 0),
                   ("Delta (gamma* - gamma_s) = chi (c^2 rho_t^2 - H)(gamma* - gamma_s)^2/"
                    "(1 + gamma_s chi) >= 0 when H < c^2 rho_t^2", identity == 0)])


def _prove_feature_risk() -> Proof:
    a, b, u, v = sympy.symbols("a b u v", real=True)
    return _steps([
        ("R - s2 = sum_k [ce_k^2 (1 - pi_e^k) + ch_k^2 (1 - pi_h^k) - 2 ce_k ch_k pi_eh^k] and "
         "pi_eh^{2k} <= (1-pi_e)(1-pi_h) <= (1-pi_e^k)(1-pi_h^k)",
         sympy.expand(feature_risk() - sigma2 - sum(
             ce[k]**2 * (1 - pi_e**k) for k in ce) - sum(ch[k]**2 * (1 - pi_h**k) for k in ch)
             + 2 * sum(ce[k] * ch[k] * pi_eh**k for k in ch)) == 0),
        ("a^2 u^2 + b^2 v^2 - 2 a b u v = (a u - b v)^2 >= 0 (each k, u v >= |pi_eh|^k)",
         sympy.expand(a**2 * u**2 + b**2 * v**2 - 2 * a * b * u * v - (a * u - b * v) ** 2) == 0),
    ])


#: T4: the strength ``theta_e`` of the teacher's spike in regime A (claim 8).
TEACHER_STRENGTH = eta_t * kappa(1) * sqrt(ce1**2 + gamma_t * label_energy)
#: The BGN overlap at ``theta_e`` without its threshold (claim 8: its sign changes at it).
RAW_BGN = 1 - (psi + TEACHER_STRENGTH**2) / (TEACHER_STRENGTH**2 * (1 + TEACHER_STRENGTH**2))


@once_per_machine
def step_slopes() -> tuple[sympy.Expr, ...]:
    """The slopes in ``eta_s`` of ``-A_h``, ``A_e``, ``-C_h``, ``C_e`` (kept in the disk cache, so
    that building the claims differentiates nothing twice).

    Examples
    --------
    >>> from theory.multi_index_claims import step_slopes
    >>> len(step_slopes())
    4
    """
    return (-sympy.diff(_S_P["alignment_hard"], eta_s), sympy.diff(_S_P["alignment_easy"], eta_s),
            -sympy.diff(_S_P["neuron_cos2_hard"], eta_s),
            sympy.diff(_S_P["neuron_cos2_easy"], eta_s))


def claims() -> list[Claim]:
    """The mechanism's claims in registration order (the catalogue builds them on first use)."""
    return [
        Claim(
            sympy.Ge(teacher()["overlap"], teacher()["alignment"], evaluate=False),
            id="multi_index.teacher_learns_only_easy_direction",
            statement="One step on true labels: the teacher's spike has rho_t^2 = ce1^2/(ce1^2 + gamma_t Sy) "
            "(hard overlaps 0), and its Frobenius alignment stays below A_t/D_t < rho_t^2 at every step.",
            source=_CLAIM_SOURCE.format(1),
            region={**_TEACHER_REGION, "eta_t": Interval(_R(1, 100), 100)},
            proof=_prove_teacher,
        ),
        Claim(
            sympy.StrictGreaterThan(Min(_S_P["alignment_hard"], _S_P["alignment_easy"],
                                        _S_P["neuron_cos2_hard"], _S_P["neuron_cos2_easy"]), 0),
            id="multi_index.simultaneous_alignment",
            statement="After one step on the teacher's labels the pre-trained student is aligned with both "
            "directions: A(W1_s, u_h), A(W1_s, u_e), C(W1_s, u_h), C(W1_s, u_e) are all positive.",
            source=_CLAIM_SOURCE.format(2),
            region=_STUDENT_REGION,
            proof=_prove_simultaneous,
        ),
        Claim(
            sympy.Ge(Min(*step_slopes()), 0, evaluate=False),
            id="multi_index.larger_step_dilutes_hard_direction",
            statement="Over the step size eta_s, A_h and C_h strictly decrease (to 0) and A_e and C_e strictly "
            "increase (to K_s/D_s): a larger step trades the hard direction for the easy one.",
            source=_CLAIM_SOURCE.format(3),
            region={**_STUDENT_REGION, "eta_s": Interval(_R(1, 100), 30)},
            proof=_prove_dilution,
        ),
        Claim(
            sympy.Ge(alignment_product(optimal_step_values()["eta* = sqrt(x)"]), alignment_product(eta_s), evaluate=False),
            id="multi_index.optimal_joint_step",
            statement="The product A_e A_h is maximised over eta_s at eta* = sqrt(q_s/D_s), with maximum "
            "theta^2 zeta_h^2 K_s/(4 q_s D_s).",
            source=_CLAIM_SOURCE.format(3),
            region=_STUDENT_REGION,
            proof=_prove_optimal_step,
        ),
        Claim(
            sympy.Ge(Min(1 - two_steps_linear(), two_steps_linear() - (1 - 2 / sqrt(27))), 0, evaluate=False),
            id="multi_index.second_step_shrinks_hard_component",
            statement="Correlation loss, fresh batches, linear easy link: step 1 leaves every neuron's hard "
            "component <w,p> = theta b unchanged and step 2 multiplies it by a factor in "
            "[1 - 2/3^{3/2}, 1], below 1 when a_tilde != 0; so E<w,p>^2 after step 2 lies in "
            "[theta^2 (1 - 2/3^{3/2})^2, theta^2).",
            source=_CLAIM_SOURCE.format(4),
            region={"ce1": Interval(_R(1, 10), 3), "ch2": Interval(0, 2), "sigma2": Interval(0, 1),
                    "gamma_t": Interval(_R(1, 100), 10), "gamma_s": Interval.Lopen(0, 10),
                    "theta": Interval(0, 3), "eta_s": Interval(_R(1, 10), 10),
                    "a_tilde": Interval(-5, 5)},
            proof=_prove_step2,
        ),
        Claim(
            sympy.Ge(Min(teacher_overlap - _S_P["overlap"],
                       RISKS["student_fit_risk"] - RISKS["teacher_risk"], chi(theta) - 1), 0, evaluate=False),
            id="multi_index.no_easy_w2s",
            statement="With a P-ideal teacher the student's easy overlap never exceeds the teacher's "
            "(rho_s^2 <= rho_t^2), a readout fitted on teacher labels never beats the teacher "
            "(L_s^fit >= L_t), and chi(theta) >= 1.",
            source=_CLAIM_SOURCE.format(5),
            region={"ce1": Interval(_R(1, 10), 3), "ce3": Interval(-1, 1), "ch2": Interval(0, 2),
                    "sigma2": Interval(0, 1), "gamma_t": Interval(_R(1, 100), 100),
                    "gamma_s": Interval(_R(1, 100), 100), "theta": Interval(0, 5)},
            proof=_prove_no_easy_w2s,
        ),
        Claim(
            sympy.Ge(GAIN_LINEAR * (CRITICAL_GAMMA_S - gamma_s), 0, evaluate=False),
            id="multi_index.w2s_iff_below_critical_ratio",
            statement="Linear easy link, H = sum ch_k^2 zeta_h^{2k} < ce1^2 rho_t^2: the student's features beat the "
            "teacher (Delta > 0) exactly when gamma_s < gamma_s* = H/(chi_s (ce1^2 rho_t^2 - H)).",
            source=_CLAIM_SOURCE.format(6),
            region={"ce1": Interval(_R(1, 2), 2), "ch2": Interval(_R(1, 10), 2),
                    "sigma2": Interval(0, 1), "gamma_t": Interval(_R(1, 100), 10),
                    "gamma_s": Interval(_R(1, 100), 100), "theta": Interval(0, 3),
                    "zeta_h": Interval(0, 1)},
            assumptions=(sympy.StrictLessThan(
                zeta_h, (ce1**2 * teacher_overlap.xreplace({ch3: 0, ch4: 0, **LINEAR})
                         / ch2**2) ** _R(1, 4)),),
            proof=_prove_threshold,
        ),
        Claim(
            sympy.Ge(Min(feature_risk() - sigma2, label_energy - feature_risk()), 0, evaluate=False),
            id="multi_index.feature_risk_is_a_risk",
            statement="For every subspace S (projections pi_e, pi_h, pi_eh of a contraction), the feature risk "
            "R_feat(S) lies between the noise s2 and the label energy Sy.",
            source=_CLAIM_SOURCE.format(7),
            region={"ce1": Interval(_R(1, 10), 2), "ce2": Interval(-2, 2), "ch2": Interval(-2, 2),
                    "pi_e": Interval(0, 1), "pi_h": Interval(0, 1),
                    "pi_eh": Interval(0, 1)},
            assumptions=(sympy.LessThan(pi_eh, sqrt(Min(pi_e * pi_h, (1 - pi_e) * (1 - pi_h)))),),
            proof=_prove_feature_risk,
        ),
        Claim(
            sympy.Ge(RAW_BGN * (TEACHER_STRENGTH**4 - psi), 0, evaluate=False),
            id="multi_index.regime_a_threshold",
            statement="Regime A (eta = Theta(1)): the teacher's top singular vector has overlap BGN(theta_e; psi) "
            "rho_t^2 with u_e, positive exactly when theta_e^4 > psi (the BGN expression changes sign "
            "there and nowhere else).",
            source=_CLAIM_SOURCE.format(8),
            region={**_TEACHER_REGION, "eta_t": Interval(_R(1, 10), 10), "psi": Interval(_R(1, 10), 10)},
            proof=lambda: _steps([("1 - (psi + t^2)/(t^2 (1 + t^2)) = (t^4 - psi)/(t^2 (1 + t^2))",
                                   sympy.simplify(RAW_BGN - (TEACHER_STRENGTH**4 - psi)
                                                  / (TEACHER_STRENGTH**2 * (1 + TEACHER_STRENGTH**2))) == 0)]),
        ),
    ]

