"""The reduced dynamics of fine-tuning from a spectral warm start, and the PGR of online SGD.

:func:`gd_trajectory` iterates the exact reduced GD map (with the large-batch correction for a finite ``beta_B``) at any precision;
:func:`sgd_ode` integrates the online-SGD ODE (classical Runge--Kutta, float64); :func:`pgr_curve` is the oracle
PGR against the pre-training budget and :func:`predicted_final_risk` the limit of online SGD at a
point. The roots that some of these quantities need are evaluated by
:mod:`numerics.single_index_roots`.

Examples
--------
>>> from numerics.single_index import predicted_final_risk
>>> D = dict(spike=1, eta1=0.45, rho_w=0.9, c3=1, b1=0.5, b3=1, delta=0.005)
>>> round(predicted_final_risk({**D, "gamma_u": 0.5}), 6)
0.558533
"""

from __future__ import annotations

import numpy as np
import sympy

from numerics.validation import ParameterError
from theory import single_index as si
from theory.symbols import parameters

__all__ = ["gd_trajectory", "sgd_ode", "predicted_final_risk", "pgr_curve"]


def _params(values: dict, names) -> dict:
    from numerics.validation import check_params

    return check_params({k: v for k, v in values.items() if k in names}, list(names))


def gd_trajectory(params: dict, steps: int, q0, m0, dps: int = 30, beta_B=None):
    """Iterate the exact reduced GD map (with the large-batch correction for ``beta_B``) for ``steps`` steps.

    Parameters
    ----------
    params : dict
        ``eta``, ``rho_w``, link coefficients ``c1..c4``, ``b1..b4`` (and ``sigma2_s`` with
        ``beta_B``); strings are parsed exactly.
    steps : int
        Number of steps.
    q0, m0 : number or str
        Initial overlaps ``<x0, w>``, ``<x0, v0>``.
    dps : int
        Working precision.
    beta_B : number or str, optional
        Batch size per dimension (large-batch GD); ``None`` is population GD.

    Returns
    -------
    list of (q_t, m_t, R_t)
        ``t = 0..steps`` as mpmath numbers, ``R_t = phi(m_t)``.

    Examples
    --------
    >>> from numerics.single_index import gd_trajectory
    >>> D = {"eta": "0.1", "rho_w": "0.9", "c3": 1, "b1": "1/2", "b3": 1}
    >>> q, m, R = gd_trajectory(D, 10, "0.3137116510431", "0.3485685011590", dps=15)[-1]
    >>> float(R)
    0.5363185723...
    """
    from numerics.evaluate import local_context, to_mpmath

    q_next, m_next = si.gd_map(large_batch=beta_B is not None)
    if beta_B is not None:
        params = {**params, "beta_B": beta_B}
    declared = parameters()
    fixed = [n for n in declared if declared[n] in (q_next.free_symbols | m_next.free_symbols)
             and n not in ("q", "m")]
    values = _params(params, fixed)
    ctx, namespace = local_context(int(dps))
    args = [si.q, si.m, *(declared[n] for n in fixed)]
    step = sympy.lambdify(args, [q_next, m_next], modules=[namespace, "mpmath"])
    risk = sympy.lambdify([si.m, *si.c], si.risk, modules=[namespace, "mpmath"])
    consts = [to_mpmath(ctx, values[n]) for n in fixed]
    links = _params(params, [str(x) for x in si.c])
    cvals = [to_mpmath(ctx, links[str(x)]) for x in si.c]
    qt, mt = ctx.mpf(q0), ctx.mpf(m0)
    out = [(qt, mt, risk(mt, *cvals))]
    for _ in range(int(steps)):
        qt, mt = step(qt, mt, *consts)
        out.append((qt, mt, risk(mt, *cvals)))
    return out


def sgd_ode(params: dict, q0: float, m0: float, tau: float, dtau: float = 0.05):
    """Integrate the online-SGD ODE from ``(q0, m0)`` to time ``tau`` (RK4, float64).

    Returns arrays ``(taus, q, m)``.

    Examples
    --------
    >>> from numerics.single_index import sgd_ode
    >>> D = {"delta": 0.005, "rho_w": 0.9, "c3": 1, "b1": 0.5, "b3": 1}
    >>> taus, q, m = sgd_ode(D, 0.3137, 0.3486, 300.0, dtau=0.5)
    >>> round(float(q[-1]), 3), round(float(m[-1]), 3)
    (0.996, 0.897)
    """
    dq, dm = si.sgd_drift()
    declared = parameters()
    fixed = [n for n in declared if declared[n] in (dq.free_symbols | dm.free_symbols)
             and n not in ("q", "m")]
    values = _params(params, fixed)
    f = sympy.lambdify([si.q, si.m, *(declared[n] for n in fixed)], [dq, dm], modules="numpy")
    consts = [float(values[n]) for n in fixed]

    def drift(x, y):
        return f(x, y, *consts)

    n = int(np.ceil(tau / dtau))
    h = tau / n
    qs, ms = np.empty(n + 1), np.empty(n + 1)
    qs[0], ms[0] = q0, m0
    for i in range(n):
        x, y = qs[i], ms[i]
        k1 = drift(x, y)
        k2 = drift(x + h / 2 * k1[0], y + h / 2 * k1[1])
        k3 = drift(x + h / 2 * k2[0], y + h / 2 * k2[1])
        k4 = drift(x + h * k3[0], y + h * k3[1])
        qs[i + 1] = x + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        ms[i + 1] = y + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    return np.linspace(0.0, n * h, n + 1), qs, ms


def predicted_final_risk(point: dict) -> float:
    """The pre-training threshold (docs/single-index.md) (``d -> oo``, then ``alpha -> oo``): ``phi(rho_w q*)`` above the threshold
    ``n_u*/d``, ``phi(0)`` below it, at a sweep point (floats by name).

    Examples
    --------
    >>> from numerics.single_index import predicted_final_risk
    >>> D = dict(spike=1, eta1=0.45, rho_w=0.9, c3=1, b1=0.5, b3=1, delta=0.005)
    >>> round(predicted_final_risk({**D, "gamma_u": 0.5}), 6), predicted_final_risk({**D, "gamma_u": 1})
    (0.558533, 2.0)
    """
    from numerics.evaluate import evaluate_at

    values = {k: repr(float(v)) for k, v in point.items() if k != "alpha"}
    try:
        threshold = float(evaluate_at(si.pretraining_threshold, values, 20))
    except ParameterError:  # kappa <= q_c: no budget suffices
        threshold = float("inf")
    if 1 / float(point["gamma_u"]) > threshold:
        return float(evaluate_at(si.sgd_saturation_risk, values, 20))
    return float(evaluate_at(si.risk.subs(si.m, 0), values, 20))


def pgr_curve(budgets, params: dict, alpha=None):
    """Oracle PGR of online SGD from a PCA warm start against the pre-training budget ``n_u/d``.

    The "theory mode" of synthetic checkpoints: with ``alpha=None`` the limit of the pre-training threshold (docs/single-index.md)
    (``d -> oo``, then ``alpha -> oo``: a step at ``n_u*/d``); with a finite ``alpha`` the online-SGD ODE
    from the spectral initialisation's overlaps integrated to ``tau = alpha`` (critical slowing down near the threshold
    moves the apparent transition up).

    Parameters
    ----------
    budgets : array_like
        Values of ``n_u/d`` (positive).
    params : dict
        ``spike, eta1, rho_w, delta`` and the links (``c1..c4``, ``b1..b4``, ``zeta_vw``,
        ``sigma2_s``) as floats.
    alpha : float, optional
        SGD horizon in samples per dimension.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from numerics.single_index import pgr_curve
    >>> D = dict(spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0, b1=0.5, b3=1.0, delta=0.005)
    >>> pgr_curve([1.0, 2.0], D).round(6)
    array([-1.525253,  0.294781])
    >>> pgr_curve([1.0, 2.0], D, alpha=600).round(3)
    array([-1.525,  0.295])
    """
    from numerics.evaluate import vectorize

    budgets = np.asarray(budgets, float)
    if np.any(~np.isfinite(budgets)) or np.any(budgets <= 0):
        raise ParameterError("budgets n_u/d must be finite and positive")
    step = vectorize("single_index.sgd_pgr")
    names = set(step.parameters)
    fixed = {k: float(v) for k, v in params.items() if k in names}
    if alpha is None:
        return step(gamma_u=1 / budgets, **fixed)
    q0 = vectorize("spectral.initial_q")
    m0 = vectorize("spectral.initial_m")
    risk, weak = vectorize("single_index.risk"), vectorize("single_index.weak_risk")
    pick = lambda f: {k: v for k, v in fixed.items() if k in f.parameters}
    out = []
    for n in budgets:
        _, _, ms = sgd_ode(fixed, float(q0(gamma_u=1 / n, **pick(q0))),
                           float(m0(gamma_u=1 / n, **pick(m0))), float(alpha), dtau=1.0)
        out.append(1 - float(risk(m=ms[-1], **pick(risk))) / float(weak(**pick(weak))))
    return np.array(out)
