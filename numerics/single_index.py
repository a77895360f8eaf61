"""Numbers for seed 003 that need more than a formula: the roots of F21 and the reduced dynamics.

Roots (the evaluators of :class:`theory.single_index.SGDBasinBoundary` and friends). With
``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)``, a polynomial in ``q`` whose coefficients SymPy
computes once:

1. every real zero of the polynomial in ``(0, 1)`` is *located* by ``polyroots`` (at twice the
   working precision), then *refined* by a bracketed solver (Anderson--Bjorck) on the interval
   between the midpoints to its neighbours, where the polynomial changes sign;
2. ``q_c`` is the smallest zero where ``Psi`` crosses upwards (unstable), ``q*`` the largest where
   it crosses downwards (stable). ``q_c`` needs ``q = 0`` stable: the lowest non-zero coefficient
   of ``Psi`` negative;
3. ``delta_sn`` is the largest local maximum in ``(0, 1)`` of ``F(q) = 2 G(q)(1 - q^2)/(q S(q))``
   (``Psi = (q S/2)(F - delta)``), located and refined the same way on the numerator of ``F'``.

A condition that fails (``delta >= delta_sn``, ``q = 0`` unstable, ``kappa <= q_c``) raises
:class:`~numerics.validation.ParameterError` naming it: a root that does not exist is never a NaN.

Dynamics: :func:`gd_trajectory` iterates the exact map F14 (F19 with ``beta_B``) at any
precision; :func:`sgd_ode` integrates F20 (classical Runge--Kutta, float64).

Examples
--------
>>> from numerics import evaluate
>>> D = {"c3": 1, "b1": "1/2", "b3": 1}
>>> evaluate("single_index.sgd_basin_boundary", D, delta="0.005", dps=15)
mpf('0.1585550146193061')
>>> evaluate("single_index.sgd_basin_boundary", D, delta="0.03", dps=15)
Traceback (most recent call last):
...
numerics.validation.ParameterError: delta must be below the saddle-node delta_sn = 0.0221327841 (where the basin boundary q_c exists); got delta = 0.03
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy

from numerics.validation import ParameterError
from theory.symbols import parameters


class _Theory:
    """:mod:`theory.single_index`, imported when first used (the float64 and mpmath namespaces
    load this module at start-up; the theory itself is needed only to evaluate its quantities)."""

    def __getattr__(self, name):
        from theory import single_index

        return getattr(single_index, name)


si = _Theory()

__all__ = ["mpmath_functions", "NUMPY_FUNCTIONS", "fixed_point_zeros", "gd_trajectory",
           "sgd_ode", "SWEEP_PARAMETERS", "predicted_final_risk", "sweep_task", "pgr_curve"]



@lru_cache(maxsize=None)
def _coefficient_forms():
    """Coefficients of ``Psi_delta`` as a polynomial in ``q`` (highest first), in delta and links."""
    return sympy.Poly(sympy.expand(si.sgd_fixed_point_function()), si.q).all_coeffs()


def _compiled(ctx):
    cache = getattr(ctx, "_w2s_single_index", None)
    if cache is None:
        namespace = {n: getattr(ctx, n) for n in dir(mpmath)
                     if not n.startswith("_") and hasattr(ctx, n)}
        cache = sympy.lambdify([si.delta, *si.LINKS], _coefficient_forms(),
                               modules=[namespace, "mpmath"])
        ctx._w2s_single_index = cache
    return cache


def _poly(ctx, coeffs):
    return lambda x: ctx.polyval(coeffs, x)


def _zeros(ctx, coeffs):
    """Sign-changing zeros of a real polynomial in ``(0, 1)``: ``[(root, +1 or -1 crossing)]``."""
    coeffs = [ctx.mpf(a) for a in coeffs]
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    while coeffs and coeffs[-1] == 0:  # a zero at q = 0: divide by q
        coeffs.pop()
    if len(coeffs) < 2:
        return []
    f = _poly(ctx, coeffs)
    with ctx.workdps(2 * ctx.dps + 10):
        located = ctx.polyroots(coeffs, maxsteps=400, extraprec=4 * ctx.prec, cleanup=True)
    tiny = ctx.mpf(10) ** (-ctx.dps // 2)
    real = sorted(ctx.re(r) for r in located if abs(ctx.im(r)) <= tiny)
    inside = [r for r in real if 0 < r < 1]
    out = []
    for i, r in enumerate(inside):
        lo = (inside[i - 1] + r) / 2 if i else r / 2
        hi = (r + inside[i + 1]) / 2 if i + 1 < len(inside) else (r + 1) / 2
        flo, fhi = f(lo), f(hi)
        if flo * fhi >= 0:  # a double zero (tangency): no crossing
            continue
        root = ctx.findroot(f, (lo, hi), solver="anderson")
        out.append((root, 1 if fhi > 0 else -1))
    return out


def fixed_point_zeros(ctx, delta, *links):
    """Sign-changing zeros of ``Psi_delta`` in ``(0, 1)`` with their crossing direction.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.single_index import fixed_point_zeros
    >>> ctx = mpmath.MPContext(); ctx.dps = 12
    >>> D = [0, 0, 1, 0, ctx.mpf(1) / 2, 0, 1, 0, 0]  # c1..c4, b1..b4, sigma2_s
    >>> [(ctx.nstr(r, 8), s) for r, s in fixed_point_zeros(ctx, ctx.mpf("0.005"), *D)]
    [('0.15855501', 1), ('0.99620567', -1)]
    """
    return _zeros(ctx, _compiled(ctx)(delta, *links))


def _lowest_sign(ctx, delta, links):
    for a in reversed(_compiled(ctx)(delta, *links)):
        if a != 0:
            return ctx.sign(a)
    return 0


def _saddle_node(ctx, *links):
    psi0 = _compiled(ctx)(0, *links)  # Psi_0 = G (1 - q^2)
    psi1 = _compiled(ctx)(1, *links)  # Psi_0 - Psi_1 = q S(q)/2
    p2 = [a - b_ for a, b_ in zip(psi0, psi1)]
    # F = Psi_0/(Psi_0 - Psi_1): the numerator of F' is Psi_0' P2 - Psi_0 P2'
    crit = _poly_sub(ctx, _poly_mul(ctx, _poly_der(psi0), p2), _poly_mul(ctx, psi0, _poly_der(p2)))
    candidates = [r for r, sign in _zeros(ctx, crit) if sign < 0]  # F' from + to -
    if not candidates:
        raise ParameterError("the SGD fixed-point curve F(q) = 2 G (1 - q^2)/(q S) has no interior "
                             "maximum for these links (q = 0 is unstable for every delta): there "
                             "is no saddle-node delta_sn")
    def F(x):
        a = ctx.polyval(psi0, x)
        return a / (a - ctx.polyval(psi1, x))

    return max(F(r) for r in candidates)


def _poly_der(a):
    n = len(a) - 1
    return [a[i] * (n - i) for i in range(n)]


def _poly_mul(ctx, a, b_):
    out = [ctx.zero] * (len(a) + len(b_) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b_):
            out[i + j] += x * y
    return out


def _poly_sub(ctx, a, b_):
    n = max(len(a), len(b_))
    a, b_ = [ctx.zero] * (n - len(a)) + list(a), [ctx.zero] * (n - len(b_)) + list(b_)
    return [x - y for x, y in zip(a, b_)]


def _basin_boundary(delta, *links):
    ctx = delta.context
    if _lowest_sign(ctx, delta, links) >= 0:
        raise ParameterError("q_c(delta) needs q = 0 to be stable (Psi_delta < 0 just above 0; "
                             "k* >= 3, or k* = 2 with delta > 2A/S(0)); here q = 0 is unstable")
    for root, sign in fixed_point_zeros(ctx, delta, *links):
        if sign > 0:
            return root
    sn = _saddle_node(ctx, *links)
    raise ParameterError(f"delta must be below the saddle-node delta_sn = {ctx.nstr(sn, 10)} "
                         f"(where the basin boundary q_c exists); got delta = {ctx.nstr(delta, 10)}")


def _stable_point(delta, *links):
    ctx = delta.context
    zeros = [root for root, sign in fixed_point_zeros(ctx, delta, *links) if sign < 0]
    if not zeros:
        raise ParameterError(f"Psi_delta has no stable zero q* in (0, 1) at delta = "
                             f"{ctx.nstr(delta, 10)} (delta beyond the saddle-node?)")
    return zeros[-1]


def _required_overlap(qc, kappa):
    ctx = qc.context
    if not qc < kappa:
        raise ParameterError(f"kappa = <v, w> = {ctx.nstr(kappa, 10)} must exceed "
                             f"q_c(delta) = {ctx.nstr(qc, 10)}: otherwise no pre-training "
                             "budget suffices (Theorem PT(i))")
    return qc / kappa


def mpmath_functions(ctx) -> dict:
    """Evaluators of the root-defined functions of :mod:`theory.single_index` in ``ctx``.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.single_index import mpmath_functions
    >>> sorted(mpmath_functions(mpmath.MPContext()))[:2]
    ['RequiredOverlap', 'SGDBasinBoundary']
    """

    def wrap(f):
        def g(*args):
            return f(*[ctx.convert(a) for a in args])
        return g

    def saddle(*links):
        return _saddle_node(ctx, *[ctx.convert(a) for a in links])

    return {"SGDBasinBoundary": wrap(_basin_boundary), "SGDStablePoint": wrap(_stable_point),
            "SGDSaddleNode": saddle, "RequiredOverlap": wrap(_required_overlap)}


def _float_version(name):
    ctx = mpmath.MPContext()
    ctx.dps = 20
    f = mpmath_functions(ctx)[name]
    return np.vectorize(lambda *a: float(f(*(ctx.mpf(float(x)) for x in a))), otypes=[float])


#: float64 versions (each element through the 20-digit evaluator).
NUMPY_FUNCTIONS = {n: _float_version(n) for n in
                   ("SGDBasinBoundary", "SGDStablePoint", "SGDSaddleNode", "RequiredOverlap")}


def _params(values: dict, names) -> dict:
    from numerics.validation import check_params

    return check_params({k: v for k, v in values.items() if k in names}, list(names))


def gd_trajectory(params: dict, steps: int, q0, m0, dps: int = 30, beta_B=None):
    """Iterate the exact reduced GD map (F14; F19 with ``beta_B``) for ``steps`` steps.

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
    """Integrate the online-SGD ODE F20 from ``(q0, m0)`` to time ``tau`` (RK4, float64).

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


#: Parameters of the ``single_index`` sweep model (online SGD from a PCA warm start).
SWEEP_PARAMETERS = ("gamma_u", "spike", "eta1", "rho_w", "zeta_vw", "c1", "c2", "c3", "c4", "b1",
                    "b2", "b3", "b4", "sigma2_s", "delta", "alpha")


def predicted_final_risk(point: dict) -> float:
    """Theorem PT(i) (``d -> oo``, then ``alpha -> oo``): ``phi(rho_w q*)`` above the threshold
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


def sweep_task(point: dict, d: int, reps: int, seed: int) -> tuple:
    """One grid point of the ``single_index`` sweep: PCA warm start, online SGD for ``alpha d``
    steps; ``(R_weak sim, 0, final risk mean, se, R_weak theory, predicted final risk, seconds)``.

    Examples
    --------
    >>> from numerics.single_index import sweep_task
    >>> D = dict(spike=1, eta1=0.45, rho_w=0.9, c3=1, b1=0.5, b3=1, delta=0.005, alpha=2)
    >>> out = sweep_task({**D, "gamma_u": 0.5}, 40, 2, 0)
    >>> round(out[0], 6), round(out[4], 6), len(out)
    (0.792, 0.792, 7)
    """
    import time

    from numerics.evaluate import evaluate_at
    from numerics.simulate import simulate_single_index

    start = time.perf_counter()
    full = {**{n: 0.0 for n in SWEEP_PARAMETERS if n.startswith(("c", "b", "z", "sigma"))},
            "alpha": 600.0, **{k: float(v) for k, v in point.items()}}
    sim = simulate_single_index(d=d, algorithm="sgd", record=full["alpha"], reps=reps, seed=seed,
                                **full)
    mean, se = sim.final("risk")
    values = {k: repr(v) for k, v in full.items() if k != "alpha"}
    weak = float(evaluate_at(si.weak_risk, values, 20))
    return (sim.weak_risk, 0.0, mean, se, weak, predicted_final_risk(full),
            time.perf_counter() - start)


def pgr_curve(budgets, params: dict, alpha=None):
    """Oracle PGR of online SGD from a PCA warm start against the pre-training budget ``n_u/d``.

    The "theory mode" of synthetic checkpoints: with ``alpha=None`` the limit of Theorem PT(i)
    (``d -> oo``, then ``alpha -> oo``: a step at ``n_u*/d``); with a finite ``alpha`` the ODE F20
    from the overlaps of F4 integrated to ``tau = alpha`` (critical slowing down near the threshold
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
