"""``w2s simulate single_index``: the seed-003 simulator next to the theory, one row per quantity.

The process is simulated by :func:`numerics.simulate.simulate_single_index` (independent of the
theory); the theory's values come from :mod:`theory.spectral` and :mod:`theory.single_index`:
the BBP limits, the induced overlaps, the weak risk, and the final risk predicted from the
theory's own starting point by the exact reduced map (``gd``), its large-batch form
(``mb``) or the online-SGD ODE at the simulated horizon (``sgd``) of arXiv:2605.05710. Agreement is judged
like every Monte Carlo comparison (:func:`proofs_check.montecarlo.agree`).

Examples
--------
>>> from proofs_check.mechanisms.single_index import simulate_rows
>>> rows = simulate_rows({"spike": "1", "gamma_u": "0.25", "eta1": "0.45", "rho_w": "0.9",
...                       "c3": "1", "b1": "0.5", "b3": "1", "steps": "5"}, d=60, reps=2, seed=0)
>>> [r["quantity"] for r in rows][:2]
['spectral.overlap2', 'spectral.top_eigenvalue']
"""

from __future__ import annotations

import math

from numerics import check_params, evaluate
from numerics.validation import ParameterError

from proofs_check.result import Comparison

__all__ = ["simulation", "simulate_rows", "OPTIONS", "MAX_STEPS"]

#: Settings that are not theory parameters: name -> (default, allowed values or type).
OPTIONS = {"algorithm": ("gd", ("gd", "mb", "sgd")), "init": ("spectral", ("spectral", "random")),
           "steps": ("100", int)}
#: Most GD steps a run may take (``steps=N``): a larger N would run for hours.
MAX_STEPS = 10**6
_PARAMS = ("spike", "gamma_u", "eta1", "rho_w", "zeta_vw", "c1", "c2", "c3", "c4", "b1", "b2",
           "b3", "b4", "sigma2_s", "eta", "delta", "alpha", "beta_B")
_DEFAULTS = {"eta": "0.1", "delta": "0.005", "beta_B": "10"}


def _options(raw: dict) -> dict:
    out = {}
    for name, (default, allowed) in OPTIONS.items():
        value = raw.pop(name, default)
        if allowed is int:
            message = f"{name} must be an integer in [0, {MAX_STEPS}] (10^6); got {value!r}"
            try:
                value = int(value)
            except ValueError:
                raise ParameterError(message) from None
            if not 0 <= value <= MAX_STEPS:
                raise ParameterError(message)
        elif value not in allowed:
            raise ParameterError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
        out[name] = value
    return out


def simulate_rows(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> list[dict]:
    """Simulate and compare; one dict per quantity (``quantity, simulation, standard_error,
    theory, difference_in_se, agree``). ``raw`` holds parameter strings and the OPTIONS."""
    from numerics.simulate import simulate_single_index
    from numerics.single_index import gd_trajectory, sgd_ode
    from proofs_check.montecarlo import agree

    for name, value, lowest in (("reps", reps, 2), ("seed", seed, 0), ("jobs", jobs, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
            raise ParameterError(f"{name} must be an integer >= {lowest}; got {value!r}")
    raw = dict(raw)
    opts = _options(raw)
    values = check_params({**_DEFAULTS, **raw}, list(_PARAMS))
    floats = {k: float(v) for k, v in values.items()}
    sim = simulate_single_index(d=d, reps=reps, seed=seed, n_jobs=jobs, init=opts["init"],
                                algorithm=opts["algorithm"], steps=opts["steps"],
                                record=(floats["alpha"] if opts["algorithm"] == "sgd"
                                        else max(1, opts["steps"])), **floats)

    def theory(name):
        import theory as th

        names = {p.name for p in th.get(name).parameters}
        return evaluate(name, {k: v for k, v in values.items() if k in names}, dps=30)

    def stats(x):
        return float(x.mean()), (float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0)

    rows = []

    def row(name, sample, value):
        mean, se = stats(sample)
        ok, n_se = agree(mean, se, float(value), d)
        rows.append({"quantity": name, "simulation": mean, "standard_error": se,
                     "theory": float(value), "difference_in_se": n_se, "agree": ok})

    start_q, start_m = sim.q[:, 0], sim.m[:, 0]
    if opts["init"] == "spectral":
        row("spectral.overlap2", sim.overlap2, theory("spectral.overlap2"))
        row("spectral.top_eigenvalue", sim.top_eigenvalue, theory("spectral.top_eigenvalue"))
        q0, m0 = theory("spectral.initial_q"), theory("spectral.initial_m")
        row("spectral.initial_q", start_q, q0)
        row("spectral.initial_m", start_m, m0)
    else:
        q0 = m0 = 0  # a random start: q0, m0 ~ N(0, 1/d)
    row("single_index.weak_risk", sim.risk[:, :1] * 0 + sim.weak_risk, theory(
        "single_index.weak_risk"))
    if opts["algorithm"] == "sgd":
        _, _, ms = sgd_ode(floats, float(q0), float(m0), floats["alpha"], dtau=0.5)
        final = theory_risk = _risk(values, ms[-1])
        label = "risk at tau = alpha (online-SGD ODE)"
    else:
        traj = gd_trajectory({**{k: str(v) for k, v in values.items()}}, opts["steps"],
                             str(q0), str(m0), dps=30,
                             beta_B=values["beta_B"] if opts["algorithm"] == "mb" else None)
        final = theory_risk = float(traj[-1][2])
        label = (f"risk after {opts['steps']} steps (the reduced "
                 f"{'large-batch ' if opts['algorithm'] == 'mb' else ''}GD map)")
    row(label, sim.risk[:, -1], theory_risk)
    row("oracle PGR at the end", sim.pgr[:, -1], 1 - final / float(theory("single_index.weak_risk")))
    return rows


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """``w2s simulate single_index``: :func:`simulate_rows` at ``raw`` (parameter name -> text,
    and the :data:`OPTIONS`)."""
    return Comparison("single_index", simulate_rows(raw, d, reps, seed, jobs), raw)


def _risk(values, m):
    from numerics.evaluate import evaluate_at
    from theory.single_index import risk

    return float(evaluate_at(risk, {**{k: v for k, v in values.items()}, "m": repr(float(m))}, 30))
