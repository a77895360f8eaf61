"""Mechanism 3: the state evolution of a student's neurons over K steps of the correlation loss.

The one-step map of a neuron's state ``(alpha, eta_p, q) = (<w, v_t>, <w, p>, ||w||^2)`` is defined
once, in SymPy, by :func:`theory.multi_index.state_evolution_step`; here it is compiled for mpmath,
iterated from ``(0, theta, 1 + theta^2)`` for each readout value ``ã``, and averaged over
``ã ~ N(0, 1)`` by mpmath quadrature (the sign ``b = +-1`` only flips ``eta_p``). One trajectory per
quadrature node serves every step and every output.

Examples
--------
>>> from numerics.state_evolution import hard_component_path
>>> path = hard_component_path(3, {"ce1": 1, "ch2": 1, "sigma2": "1/4", "gamma_t": "1/2",
...                                "gamma_s": "1/2", "theta": 1, "eta_s": 1, "zeta_h": 1}, dps=15)
>>> [round(float(p["hard_component"]), 5) for p in path]
[1.0, 1.0, 0.94777, 0.87515]
"""

from __future__ import annotations

from functools import lru_cache

import sympy

from numerics.evaluate import local_context, to_mpmath
from numerics.validation import ParameterError, check_params
from theory import multi_index as mi
from theory.symbols import parameters

__all__ = ["hard_component_path"]


@lru_cache(maxsize=32)
def _map_parameters(coefficients: tuple | None) -> list:
    step = mi.state_evolution_step(None if coefficients is None else dict(coefficients))
    free = set().union(*(e.free_symbols for e in step)) - {mi.alpha, mi.eta_p, mi.q_state,
                                                            mi.a_tilde}
    return [n for n in parameters() if n in {s.name for s in free}]


@lru_cache(maxsize=32)
def _compiled_map(coefficients: tuple | None, names: tuple, dps: int):
    """The one-step map compiled for mpmath at ``dps`` (arguments: state, ã, parameters)."""
    step = mi.state_evolution_step(None if coefficients is None else dict(coefficients))
    declared = parameters()
    args = [mi.alpha, mi.eta_p, mi.q_state, mi.a_tilde] + [declared[n] for n in names]
    _, namespace = local_context(dps)
    return sympy.lambdify(args, list(step), modules=[namespace, "mpmath"], cse=True)


def hard_component_path(steps: int, params=None, coefficients=None, dps: int = 20, **kwargs):
    """``E<w,p>^2``, ``A(W_k, u_h)`` and ``A(W_k, v_t)`` after ``k = 0..steps`` steps.

    Parameters
    ----------
    steps : int
        Number of gradient steps ``K >= 1``.
    params : dict
        The P-ideal teacher's parameters (``ce1..ce4, ch2..ch4, sigma2, gamma_t``) and the
        student's (``gamma_s, theta, eta_s, zeta_h``); with ``coefficients`` only the student's.
    coefficients : dict, optional
        ``{k: c'_k}`` of the teacher's labelling function ``h = sum c'_k h_k(<v_t, x>)``.
    dps : int
        mpmath working precision.

    Returns
    -------
    list of dict
        One per step ``k = 0..steps``: ``hard_component`` (``E<w,p>^2``), ``norm2`` (``E q``),
        ``alignment_hard`` (``zeta_h^2 E<w,p>^2 / E q``), ``alignment_teacher``
        (``E alpha^2 / E q``).

    Examples
    --------
    >>> from numerics.state_evolution import hard_component_path
    >>> p = hard_component_path(2, {"gamma_s": 1, "theta": "1.5", "eta_s": "1.5", "zeta_h": 1},
    ...                         coefficients={1: "0.6"}, dps=15)
    >>> round(float(p[2]["hard_component"]), 9)
    2.153744342
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ParameterError(f"steps must be an integer >= 1; got {steps!r}")
    values = {**(params or {}), **kwargs}
    if coefficients is None:
        key = None
        names = _map_parameters(key)
    else:
        try:
            key = tuple(sorted((int(k), sympy.Rational(str(v))) for k, v in coefficients.items()))
        except (TypeError, ValueError):
            raise ParameterError(f"coefficients must map degrees 1..4 to numbers; "
                                 f"got {coefficients!r}") from None
        if not key or any(k < 1 or k > 4 for k, _ in key):
            raise ParameterError(f"coefficients must map degrees 1..4 to numbers; "
                                 f"got {coefficients!r}")
        names = _map_parameters(key)
    checked = check_params(values, names + [n for n in ("theta", "zeta_h") if n not in names])
    ctx, _ = local_context(dps)
    step = _compiled_map(key, tuple(names), dps)
    args = [to_mpmath(ctx, checked[n]) for n in names]
    theta = to_mpmath(ctx, checked["theta"])
    zeta2 = to_mpmath(ctx, checked["zeta_h"]) ** 2
    cache: dict = {}

    def trajectory(a):
        if a not in cache:
            state, out = (ctx.zero, theta, 1 + theta**2), []
            for _ in range(steps + 1):
                out.append(state)
                state = tuple(step(*state, a, *args))
            cache[a] = out
        return cache[a]

    weight = 1 / ctx.sqrt(2 * ctx.pi)

    def mean(k, i, power):
        return ctx.quad(lambda a: weight * ctx.exp(-a * a / 2) * trajectory(a)[k][i] ** power,
                        [-ctx.inf, 0, ctx.inf])

    path = []
    for k in range(steps + 1):
        eta2, q, alpha2 = mean(k, 1, 2), mean(k, 2, 1), mean(k, 0, 2)
        path.append({"step": k, "hard_component": eta2, "norm2": q,
                     "alignment_hard": zeta2 * eta2 / q, "alignment_teacher": alpha2 / q})
    return path
