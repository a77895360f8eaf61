"""Weighted-ridge student with a general penalty: the anisotropic deterministic equivalent.

The student is ``b_s = (S + lam_s Omega)^{-1} S b_t`` (``S = X_s^T X_s / n_s``, isotropic inputs)
for a positive-definite ``Omega`` described by its spectrum: eigenvalues ``omega_i`` with spectral
mass ``p_i`` (the fraction of eigenvalues, summing to 1) and the target's weights
``w_i = |<e_i, beta_star>|^2 / r2`` on the eigenvectors (summing to 1). A direction can carry target
weight with no spectral mass (a spike: ``p_i = 0``). A diagonal ``Omega`` of size ``d`` is
``p_i = 1/d`` (:func:`from_diagonal`).

Deterministic equivalents used (``gamma = gamma_s``, averages weighted by ``p``). With
``x' = Omega^{-1/2} x`` the student is a ridge with covariance ``Omega^{-1}``, whose effective
regularisation solves the fixed point::

    kappa = lam + kappa * gamma * avg 1/(1 + kappa omega)

(for ``Omega = I`` this is the kappa quadratic of mechanism 1). Then, as ``d -> oo``,

- first order: ``lam (S + lam Omega)^{-1} Omega  ~  F = diag f(omega)``, ``f = kappa omega/(1 + kappa omega)``;
- second order: ``lam^2 Omega (S + lam Omega)^{-2} Omega  ~  diag f(omega)^2 / (1 - gamma avg 1/(1 + kappa omega)^2)``
  (the sandwiched resolvent equivalent of anisotropic ridge, e.g. Bach 2024, SIAM J. Math. Data Sci.);
- the teacher: ``b_t = (1 - u_t) beta_star + xi`` with ``xi`` rotation invariant in the limit and
  ``||xi||^2 = B - (1 - u_t)^2 r2``, so ``b_t^T Q b_t -> (1 - u_t)^2 beta^T Q beta + ||xi||^2 tr(Q)/d``.

Since ``b_s - beta = (b_t - beta) - lam (S + lam Omega)^{-1} Omega b_t``::

    L_s = L_t - 2 [b_t^T F b_t - beta^T F b_t] + b_t^T G b_t

For ``Omega = I - c theta theta^T`` (bulk ``omega = 1``, spike ``1 - c`` with weight ``zeta^2``) this is
the rank-one closed form of :mod:`theory.weighted_ridge` (checked in the test suite).

Examples
--------
>>> from numerics.anisotropic import student_risk_general
>>> # rank one: Omega = I - c theta theta^T with c = 1/2 (s = 1), zeta^2 = 0.64
>>> r = student_risk_general([1, "1/2"], [1, 0], ["0.36", "0.64"], lam_s="0.3", gamma_s="0.5",
...                          lam_t="0.5", gamma_t="0.5", sigma2=1, dps=20)
>>> r.converged, round(float(r.risk), 10)   # = weighted_ridge.student_risk at s = 1, zeta = 0.8
(True, 0.4316031298)
"""

from __future__ import annotations

from dataclasses import dataclass

from numerics.evaluate import evaluate, local_context, to_mpmath
from numerics.validation import ParameterError, check_params, parse_value

__all__ = ["GeneralPenaltyResult", "solve_kappa", "student_risk_general", "from_diagonal"]


@dataclass
class GeneralPenaltyResult:
    """The risk, the fixed point and how the solver converged."""

    risk: object
    kappa: object
    residual: object
    iterations: int
    converged: bool
    dps: int


def _spectrum(omega, mass, weight, ctx):
    if not (len(omega) == len(mass) == len(weight)) or len(omega) == 0:
        raise ParameterError("omega, mass and weight must be non-empty and of the same length")
    om = [to_mpmath(ctx, parse_value("omega", v)) for v in omega]
    p = [to_mpmath(ctx, parse_value("mass", v)) for v in mass]
    w = [to_mpmath(ctx, parse_value("weight", v)) for v in weight]
    if any(x <= 0 for x in om):
        raise ParameterError("omega must be positive (Omega must be positive definite); "
                             f"got {min(om)}")
    if any(x < 0 for x in p + w):
        raise ParameterError("mass and weight must be non-negative")
    if abs(sum(p) - 1) > 1e-9 or abs(sum(w) - 1) > 1e-9:
        raise ParameterError(f"mass and weight must each sum to 1; got {ctx.nstr(sum(p), 12)} "
                             f"and {ctx.nstr(sum(w), 12)}")
    # sums within 1e-9 of 1 (floats) are normalised exactly
    total_p, total_w = ctx.fsum(p), ctx.fsum(w)
    return om, [x / total_p for x in p], [x / total_w for x in w]


def solve_kappa(omega, mass, lam, gamma, ctx):
    """Solve ``kappa = lam + kappa gamma avg 1/(1 + kappa omega)`` by bracketing and bisection.

    Returns ``(kappa, residual, iterations)``. For ``lam = 0`` the positive root of
    ``1 = gamma avg 1/(1 + kappa omega)`` when ``gamma > 1``, and ``0`` otherwise.
    """
    def avg(k):
        return ctx.fsum(p / (1 + k * o) for o, p in zip(omega, mass))

    if lam == 0:
        if gamma <= 1:
            return ctx.zero, ctx.zero, 0
        g = lambda k: 1 - gamma * avg(k)                      # increasing, g(0) = 1 - gamma < 0
    else:
        g = lambda k: k - lam - k * gamma * avg(k)            # g(0) = -lam < 0
    lo, hi, iterations = ctx.zero, ctx.one, 0
    while g(hi) <= 0:
        lo, hi = hi, 2 * hi
        iterations += 1
        if iterations > 2000:
            raise ParameterError("no bracket for the fixed point of kappa")
    for _ in range(4 * ctx.prec):                           # bisection: one bit an iteration
        mid = (lo + hi) / 2
        if g(mid) <= 0:
            lo = mid
        else:
            hi = mid
        iterations += 1
        if hi - lo <= ctx.eps * hi:
            break
    kappa = (lo + hi) / 2
    return kappa, abs(g(kappa)), iterations


def student_risk_general(omega, mass, weight, *, lam_s, gamma_s, lam_t, gamma_t, sigma2, r2=1,
                         dps: int = 30) -> GeneralPenaltyResult:
    """The weighted student's risk for a general penalty spectrum (see the module docs).

    Parameters
    ----------
    omega, mass, weight : sequences of numbers
        Eigenvalues of ``Omega`` (> 0), their spectral masses (>= 0, sum 1), and the target's
        weights on the eigenvectors (>= 0, sum 1).
    lam_s, gamma_s, lam_t, gamma_t, sigma2, r2
        As for ``ridge.student_risk`` (parsed exactly).
    dps : int
        mpmath precision.

    Returns
    -------
    GeneralPenaltyResult
    """
    values = check_params(dict(lam_s=lam_s, gamma_s=gamma_s, lam_t=lam_t, gamma_t=gamma_t,
                               sigma2=sigma2, r2=r2),
                          ["lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2", "r2"])
    ctx, _ = local_context(dps)
    om, p, w = _spectrum(omega, mass, weight, ctx)
    teacher = {k: values[k] for k in ("lam_t", "gamma_t", "sigma2", "r2")}
    L_t = +evaluate("ridge.teacher_risk", teacher, dps=dps)
    B = +evaluate("ridge.overlap_B", teacher, dps=dps)
    u_t = +evaluate("mp.shrinkage_u", lam=values["lam_t"], gamma=values["gamma_t"], dps=dps)
    lam, gamma, rr = (to_mpmath(ctx, values[k]) for k in ("lam_s", "gamma_s", "r2"))
    kappa, residual, iterations = solve_kappa(om, p, lam, gamma, ctx)
    f = [kappa * o / (1 + kappa * o) for o in om]
    second = 1 / (1 - gamma * ctx.fsum(pi / (1 + kappa * o) ** 2 for o, pi in zip(om, p)))
    g = [fi**2 * second for fi in f]
    signal = (1 - u_t) ** 2
    spread = B - signal * rr                                 # ||xi||^2
    beta_F = rr * ctx.fsum(wi * fi for wi, fi in zip(w, f))
    beta_G = rr * ctx.fsum(wi * gi for wi, gi in zip(w, g))
    tr_F = ctx.fsum(pi * fi for pi, fi in zip(p, f))
    tr_G = ctx.fsum(pi * gi for pi, gi in zip(p, g))
    bFb = signal * beta_F + spread * tr_F
    beta_F_b = (1 - u_t) * beta_F
    bGb = signal * beta_G + spread * tr_G
    risk = L_t - 2 * (bFb - beta_F_b) + bGb
    tolerance = ctx.mpf(10) ** (-dps + 5) * max(1, kappa)
    return GeneralPenaltyResult(risk, kappa, residual, iterations, residual <= tolerance, dps)


def from_diagonal(diagonal, beta):
    """``(omega, mass, weight)`` of a diagonal penalty of size ``d`` and a target ``beta``.

    Examples
    --------
    >>> from numerics.anisotropic import from_diagonal
    >>> from_diagonal([1.0, 2.0], [3.0, 4.0])
    ([1.0, 2.0], [0.5, 0.5], [0.36, 0.64])
    """
    d = len(diagonal)
    if len(beta) != d or d == 0:
        raise ParameterError("diagonal and beta must be non-empty and of the same length")
    total = sum(b * b for b in beta)
    if total <= 0:
        raise ParameterError("beta must not be zero")
    return list(diagonal), [1 / d] * d, [b * b / total for b in beta]
