"""Monte Carlo simulation of mechanism 3: two-layer networks, one giant step, pre-trained student.

The process of docs/mechanism-3.md, computed on the actual matrices (never the theory's
formulas): ``x ~ N(0, I_d)``, ``u_e = e_0``, ``u_h = e_1``, ``p = zeta_h e_1 + sqrt(1 - zeta_h^2) e_2``;
labels ``y = sum_k ce_k h_k(x_0) + sum_k ch_k h_k(x_1) + eps``; networks
``f(x) = (1/N) sum_j ã_j sigma(<w_j, x>)`` with a fixed readout ``ã ~ N(0, 1)``; a step of size
``eta`` moves each row by ``eta ã_j (1/n) sum_i r_i sigma'(<w_j, x_i>) x_i`` with ``r = y - f(x)``
(squared loss) or ``r = y`` (correlation loss).

* :func:`simulate_multi_index`: the teacher's step on ``n_t = d/gamma_t`` true labels, its labelling
  function (``teacher="ideal"``: ``E[y | <v_t, x>]``; ``"ridge"``: a ridge readout of the updated
  features on fresh data), the pre-trained student ``Z' + theta b p^T`` and its step on ``n_s``
  teacher labels for a grid of step sizes; SVDs and the alignment metrics of section 1.6, and the
  realised teacher summary ``(B_e, B_2, Q)``.
* :func:`simulate_forgetting`: ``K`` steps of the student on fresh batches labelled by a given
  ``h = sum_k c'_k h_k(<v_t, x>)`` with ``v_t = e_0``, for either loss.

The activation is ``"erf"`` (``erf(u/sqrt 2)``; erf from a rational approximation with absolute
error below ``1.2e-7``) or ``"tanh"``.

Examples
--------
>>> from numerics.simulate import simulate_multi_index
>>> r = simulate_multi_index(d=60, gamma_t=0.5, gamma_s=0.5, ce={1: 1}, ch={2: 1}, sigma2=0.25,
...                          eta_t=2.0, eta_s=[1.0, 4.0], theta=1.0, zeta_h=1.0, reps=2, seed=0)
>>> r.student["alignment_hard"].shape
(2, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from numerics.simulate.common import SimulationError, lam_grid, memory_guard, positive_int, repeat
from numerics.simulate.readout import (PROBE_SAMPLES, hermite, orthonormal_complement, probe_risk,
                                       projections)

__all__ = ["MultiIndexSimulation", "simulate_multi_index", "simulate_forgetting", "hermite",
           "activation", "squared_loss_gradient", "spike_noise_excess", "RISKS"]

_SQRT2 = math.sqrt(2.0)


def _erf(x):
    """Erf by the Chebyshev fit of Numerical Recipes' ``erfcc`` (fractional error < 1.2e-7)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.sign(x) * (1.0 - t * np.exp(poly))


_ACTIVATIONS = {
    "erf": (lambda u: _erf(u / _SQRT2), lambda u: math.sqrt(2 / math.pi) * np.exp(-u * u / 2)),
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
}


def _link(coefficients: dict, z: np.ndarray) -> np.ndarray:
    return sum((c * hermite(k, z) for k, c in coefficients.items()), np.zeros_like(z))


@dataclass
class MultiIndexSimulation:
    """Per-repetition results of :func:`simulate_multi_index` (arrays, first axis = repetition).

    ``teacher``: ``overlap`` (``<v_t,u_e>^2``), ``overlap_hard``, ``alignment`` (``A(W1_t,u_e)``),
    ``alignment_hard``, ``neuron_cos2``; ``summary``: ``B_e, B_2, Q, rho2`` (realised teacher);
    ``student`` (second axis = ``eta_s``): ``overlap``, ``overlap_hard``, ``alignment_hard``,
    ``alignment_easy``, ``neuron_cos2_hard``, ``neuron_cos2_easy``, ``subspace_hard``,
    ``subspace_easy``; ``risks`` (with ``risks=True``): :data:`RISKS`.
    """

    eta_s: np.ndarray
    teacher: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    student: dict = field(default_factory=dict)
    risks: dict = field(default_factory=dict)

    def mean(self, part: str, name: str) -> np.ndarray:
        """Mean over repetitions."""
        return getattr(self, part)[name].mean(axis=0)

    def se(self, part: str, name: str) -> np.ndarray:
        """Standard error over repetitions."""
        x = getattr(self, part)[name]
        return x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])


def activation(name: str = "erf"):
    """The activation of the networks and its derivative, ``(sigma, dsigma)`` (``"erf"``:
    ``erf(u/sqrt 2)``, or ``"tanh"``).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.multi_index import activation
    >>> sigma, dsigma = activation("erf")
    >>> np.round(sigma(np.array([0.0, 1.0])), 6), round(float(dsigma(np.array(0.0))), 6)
    (array([0.      , 0.682689]), 0.797885)
    """
    return _ACTIVATIONS[name]


def spike_noise_excess(theta: float, activation: str = "erf") -> float:
    """``Var_t m(t) / (E_t m(t))^2`` with ``m(t) = E_xi[sigma'(xi + theta t)]``, ``xi, t`` standard
    Gaussians, by numerical integration of the activation's derivative (Gauss-Hermite in
    ``xi``, the trapezoidal rule in ``t``).

    A pre-trained neuron's pre-activation is ``xi + theta b <p, x>``: the spread of its mean slope
    over the shared coordinate ``t = <p, x>`` is the extra noise the spike puts on the student's
    gradient (zero without pre-training).

    Examples
    --------
    >>> from numerics.simulate.multi_index import spike_noise_excess
    >>> round(spike_noise_excess(0.0), 12), round(spike_noise_excess(2.0), 9)
    (0.0, 0.341640786)
    """
    _, dsigma = _ACTIVATIONS[activation]
    nodes, weights = np.polynomial.hermite_e.hermegauss(120)
    weights = weights / weights.sum()
    # the t-integral by the trapezoidal rule on [-12, 12]: exponentially accurate for a smooth
    # integrand that decays like a Gaussian
    t, step = np.linspace(-12.0, 12.0, 4801, retstep=True)
    density = np.exp(-t * t / 2) / math.sqrt(2 * math.pi) * step
    slope = weights @ dsigma(nodes[:, None] + theta * t[None, :])
    mean = float(slope @ density)
    spread = float((slope - mean) ** 2 @ density)
    return spread / mean**2


def squared_loss_gradient(W, a, X, target, name: str = "erf"):
    """The step direction of the squared loss on ``(X, target)`` at first-layer weights ``W``
    with the fixed readout ``a``: rows ``a_j (1/n) sum_i r_i sigma'(<w_j, x_i>) x_i``,
    ``r = target - f(x)``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.multi_index import squared_loss_gradient
    >>> rng = np.random.default_rng(0)
    >>> squared_loss_gradient(rng.standard_normal((3, 5)), np.ones(3),
    ...                       rng.standard_normal((10, 5)), np.zeros(10)).shape
    (3, 5)
    """
    sigma, dsigma = _ACTIVATIONS[name]
    return _step(W, a, X, target, sigma, dsigma)


def _gradient(W, a, X, r, dsigma, H=None):
    """Rows ``ã_j (1/n) sum_i r_i sigma'(<w_j, x_i>) x_i`` (``H = X @ W.T`` if already computed)."""
    H = X @ W.T if H is None else H
    return a[:, None] * ((dsigma(H) * r[:, None]).T @ X) / X.shape[0]


def _network(W, a, X, sigma, H=None):
    return sigma(X @ W.T if H is None else H) @ a / W.shape[0]


def _step(W, a, X, target, sigma, dsigma):
    """The gradient of the squared loss on ``(X, target)`` at ``(W, a)``: ``X @ W.T`` once for
    the network's output and the gradient."""
    H = X @ W.T
    return _gradient(W, a, X, target - _network(W, a, X, sigma, H), dsigma, H)


def _alignments(W, u):
    proj = W @ u
    return float(proj @ proj / np.sum(W * W)), float(np.mean(proj**2 / np.sum(W * W, axis=1)))


def _top_right(M, k):
    """The top ``k`` right singular vectors of ``M`` (rows; their signs are arbitrary), from the
    top ``k`` eigenvectors of the smaller Gram matrix only (LAPACK's ``syevr`` on a subset)."""
    from scipy.linalg import eigh

    n, d = M.shape
    if d <= n:
        _, vectors = eigh(M.T @ M, subset_by_index=[d - k, d - 1])
        return vectors[:, ::-1].T
    values, vectors = eigh(M @ M.T, subset_by_index=[n - k, n - 1])
    right = (vectors[:, ::-1].T @ M) / np.sqrt(np.maximum(values[::-1], 0))[:, None]
    return right


def _risks(rng, d, ce, ch, sigma2, v_t, coef, p, v_s):
    """The readout risks of one repetition (P-ideal teacher), on ``2 PROBE_SAMPLES d`` fresh
    inputs: see :data:`RISKS`."""
    degree = max([*ce, *ch])
    rows = np.array([np.eye(d)[0], np.eye(d)[1], v_t, p, orthonormal_complement(v_s, p)])
    n = 2 * PROBE_SAMPLES * d
    half = n // 2
    z = projections(rows, n, rng)
    noise = math.sqrt(sigma2) * rng.standard_normal(n)
    y = _link(ce, z[0]) + _link(ch, z[1]) + noise
    f_t = _link(coef, z[2])
    return np.array([np.mean((y[half:] - f_t[half:]) ** 2),
                     probe_risk([z[2]], y, degree, half),
                     probe_risk([z[3], z[4]], y, degree, half),
                     probe_risk([z[3], z[4]], y, degree, half, fit=f_t),
                     np.mean(y[half:] ** 2), np.mean(noise[half:] ** 2)])


def _repetition(rng, d, N, n_t, n_s, n_r, ce, ch, sigma2, eta_t, eta_s, theta, zeta_h,
                activation, kind, lam, with_risks=False):
    sigma, dsigma = _ACTIVATIONS[activation]
    u_e, u_h = np.eye(d)[0], np.eye(d)[1]
    p = zeta_h * u_h + math.sqrt(max(0.0, 1 - zeta_h**2)) * np.eye(d)[2]

    def labels(X):
        return _link(ce, X[:, 0]) + _link(ch, X[:, 1]) + math.sqrt(sigma2) * rng.standard_normal(
            X.shape[0])

    # teacher: one step on true labels
    W0 = rng.standard_normal((N, d)) / math.sqrt(d)
    a = rng.standard_normal(N)
    X = rng.standard_normal((n_t, d))
    y = labels(X)
    W1 = W0 + eta_t * _step(W0, a, X, y, sigma, dsigma)
    v_t = _top_right(W1 - W0, 1)[0]
    v_t *= np.sign(v_t @ u_e)
    t_al, t_c = _alignments(W1, u_e)
    teacher = [(v_t @ u_e) ** 2, (v_t @ u_h) ** 2, t_al, _alignments(W1, u_h)[0], t_c]

    # the teacher's labelling function and its summary (B_e, B_2, Q)
    if kind == "ideal":
        r_e, r_h = v_t @ u_e, v_t @ u_h
        coef = {k: ce.get(k, 0.0) * r_e**k + ch.get(k, 0.0) * r_h**k
                for k in set(ce) | set(ch)}

        def f_t(Xn):
            return _link(coef, Xn @ v_t)

        beta = coef.get(1, 0.0) * v_t
        Q = sum(c**2 for c in coef.values())
    else:
        Xr = rng.standard_normal((n_r, d))
        Phi = sigma(Xr @ W1.T) / math.sqrt(N)
        readout = np.linalg.solve(Phi.T @ Phi / n_r + lam * np.eye(N), Phi.T @ labels(Xr) / n_r)
        a_hat = readout / math.sqrt(N)

        def f_t(Xn):
            return sigma(Xn @ W1.T) @ a_hat

        if activation == "erf":  # exact Gaussian integrals of an erf network
            norms = np.sum(W1 * W1, axis=1)
            beta = (a_hat * np.sqrt(2 / (math.pi * (1 + norms)))) @ W1
            s = np.sqrt(1 + norms)
            K = (2 / math.pi) * np.arcsin(np.clip((W1 @ W1.T) / np.outer(s, s), -1, 1))
            Q = float(a_hat @ K @ a_hat)
        else:  # Monte Carlo on 40000 fresh inputs
            Xm = rng.standard_normal((40000, d))
            fm = f_t(Xm)
            beta, Q = fm @ Xm / len(fm), float(np.mean(fm**2))
    summary = [beta @ u_e, beta @ beta, Q, (v_t @ u_e) ** 2]

    # student: pre-trained init, one step on teacher labels (same gradient for every eta_s)
    b = rng.choice([-1.0, 1.0], size=N)
    Ws = rng.standard_normal((N, d)) / math.sqrt(d) + theta * np.outer(b, p)
    a_s = rng.standard_normal(N)
    Xs = rng.standard_normal((n_s, d))
    G = _step(Ws, a_s, Xs, f_t(Xs), sigma, dsigma)
    v_s = _top_right(G, 1)[0]
    risks = _risks(rng, d, ce, ch, sigma2, v_t, coef, p, v_s) if with_risks else np.zeros(0)
    out = np.empty((len(eta_s), 8))
    for i, eta in enumerate(eta_s):
        W = Ws + eta * G
        P2 = _top_right(W, 2)
        al_h, c_h = _alignments(W, u_h)
        al_e, c_e = _alignments(W, u_e)
        out[i] = [(v_s @ u_e) ** 2, (v_s @ u_h) ** 2, al_h, al_e, c_h, c_e,
                  np.sum((P2 @ u_h) ** 2), np.sum((P2 @ u_e) ** 2)]
    return np.array(teacher), np.array(summary), out, risks


_TEACHER = ("overlap", "overlap_hard", "alignment", "alignment_hard", "neuron_cos2")
_SUMMARY = ("B_e", "B_2", "Q", "rho2")
_STUDENT = ("overlap", "overlap_hard", "alignment_hard", "alignment_easy", "neuron_cos2_hard",
            "neuron_cos2_easy", "subspace_hard", "subspace_easy")
#: The readout risks of ``risks=True`` (P-ideal teacher), measured on true labels of fresh inputs:
#: the teacher's own test risk ``E(y - f_t)^2``; the best readout of ``<v_t, x>``; the best
#: readout of the student's features ``span{p, v_s}``; the readout of ``span{p, v_s}`` fitted on
#: the *teacher's* labels; and the label energy ``E y^2`` and noise energy of the test half.
RISKS = ("teacher_risk", "teacher_probe_risk", "student_probe_risk", "student_fit_risk",
         "label_energy", "noise_energy")


def _coefficients(name, value, lowest):
    try:
        out = {int(k): float(v) for k, v in dict(value).items()}
    except (TypeError, ValueError):
        raise SimulationError(f"{name} must map Hermite degrees to numbers; got {value!r}") from None
    if any(k < lowest or k > 8 or not math.isfinite(v) for k, v in out.items()):
        raise SimulationError(f"{name} must map degrees {lowest}..8 to finite numbers; got {value!r}")
    return out


def _scalar(name, value, lower, upper=math.inf, open_lower=False):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SimulationError(f"{name} must be a number; got {value!r}") from None
    if not math.isfinite(v) or (v <= lower if open_lower else v < lower) or v > upper:
        bracket = "(" if open_lower else "["
        raise SimulationError(f"{name} must be in {bracket}{lower:g}, {upper:g}]; got {value!r}")
    return v


def simulate_multi_index(*, d: int, gamma_t: float, gamma_s: float, ce: dict, ch: dict,
                         sigma2: float, eta_t: float, eta_s, theta: float, zeta_h: float,
                         psi: float = 1.0, teacher: str = "ideal", gamma_r: float | None = None,
                         lam: float = 0.05, activation: str = "erf", reps: int = 8,
                         seed: int = 0, n_jobs: int = 1,
                         risks: bool = False) -> MultiIndexSimulation:
    """Simulate teacher and student of mechanism 3 (see the module docs).

    Parameters
    ----------
    d : int
        Input dimension; ``N = round(psi d)`` neurons, ``n_t = round(d/gamma_t)``,
        ``n_s = round(d/gamma_s)``, ridge teacher on ``n_r = round(d/gamma_r)`` samples.
    ce, ch : dict
        Hermite coefficients ``{k: c_k}`` of the easy (``k >= 1``) and hard (``k >= 2``) links.
    eta_t : float
        Teacher step (giant-step scale ``etat``). ``eta_s``: a step or a grid of steps.
    teacher : {"ideal", "ridge"}
        P-ideal (``E[y|<v_t,x>]``) or P-ridge (ridge readout, penalty ``lam``) labelling function.
    reps, seed, n_jobs
        Repetitions, the root seed (one ``SeedSequence`` child per repetition), workers.
    risks : bool
        Also measure the readout risks :data:`RISKS` (P-ideal teacher only): least-squares
        polynomial readouts of the features fitted on ``200 d`` fresh samples and tested on as
        many (:mod:`numerics.simulate.readout`).

    Returns
    -------
    MultiIndexSimulation
    """
    d = positive_int("d", d, 8)
    gamma_t = _scalar("gamma_t", gamma_t, 0, open_lower=True)
    gamma_s = _scalar("gamma_s", gamma_s, 0, open_lower=True)
    psi = _scalar("psi", psi, 0, open_lower=True)
    sigma2 = _scalar("sigma2", sigma2, 0)
    eta_t = _scalar("eta_t", eta_t, 0, open_lower=True)
    theta = _scalar("theta", theta, 0)
    zeta_h = _scalar("zeta_h", zeta_h, 0, 1)
    lam = _scalar("lam", lam, 0, open_lower=True)
    eta_s = lam_grid("eta_s", eta_s, open_lower=True)
    ce, ch = _coefficients("ce", ce, 1), _coefficients("ch", ch, 2)
    if ce.get(1, 0.0) == 0:
        raise SimulationError("ce must have a non-zero first coefficient (information exponent 1)")
    if teacher not in ("ideal", "ridge"):
        raise SimulationError(f"teacher must be 'ideal' or 'ridge'; got {teacher!r}")
    if risks and teacher != "ideal":
        raise SimulationError("risks=True needs teacher='ideal' (the readout risks are measured "
                              "for the P-ideal teacher)")
    if activation not in _ACTIVATIONS:
        raise SimulationError(f"activation must be one of {', '.join(_ACTIVATIONS)}; "
                              f"got {activation!r}")
    reps = positive_int("reps", reps, 2)
    N = max(2, round(psi * d))
    n_t, n_s = max(2, round(d / gamma_t)), max(2, round(d / gamma_s))
    n_r = max(2, round(d / _scalar("gamma_r", gamma_r if gamma_r is not None else gamma_t, 0,
                                   open_lower=True)))
    # largest arrays of a repetition: the three samples, the weights before and after the step
    # and their gradients, the pre-activations of the largest sample, the ridge teacher's system
    memory_guard((n_t + n_s + n_r) * d + 4 * N * d + max(n_t, n_s, n_r) * N + 2 * N * N
                 + (30 * PROBE_SAMPLES * d if risks else 0),
                 n_jobs, f"d = {d} (N = {N} neurons, n_t = {n_t}, n_s = {n_s}, n_r = {n_r})")
    t, s, st, rk = repeat(_repetition, (d, N, n_t, n_s, n_r, ce, ch, sigma2, eta_t, eta_s, theta,
                                         zeta_h, activation, teacher, lam, bool(risks)),
                          reps, seed, n_jobs)
    return MultiIndexSimulation(eta_s, dict(zip(_TEACHER, t.T)), dict(zip(_SUMMARY, s.T)),
                                {n: st[:, :, i] for i, n in enumerate(_STUDENT)},
                                dict(zip(RISKS, rk.T)) if risks else {})


def _forgetting_repetition(rng, d, N, n_s, coefficients, theta, zeta_h, eta_s, steps, loss,
                           activation):
    sigma, dsigma = _ACTIVATIONS[activation]
    v_t = np.eye(d)[0]
    p = zeta_h * np.eye(d)[1] + math.sqrt(max(0.0, 1 - zeta_h**2)) * np.eye(d)[2]
    b = rng.choice([-1.0, 1.0], size=N)
    W = rng.standard_normal((N, d)) / math.sqrt(d) + theta * np.outer(b, p)
    a = rng.standard_normal(N)
    out = np.empty((steps + 1, 3))
    for k in range(steps + 1):
        norm2 = np.sum(W * W)
        out[k] = [np.mean((W @ p) ** 2), np.sum((W @ np.eye(d)[1]) ** 2) / norm2,
                  np.sum((W @ v_t) ** 2) / norm2]
        if k == steps:
            break
        X = rng.standard_normal((n_s, d))  # a fresh batch each step
        r = _link(coefficients, X @ v_t)
        H = X @ W.T
        if loss == "squared":
            r = r - _network(W, a, X, sigma, H)
        W = W + eta_s * _gradient(W, a, X, r, dsigma, H)
    return (out,)


def simulate_forgetting(*, d: int, gamma_s: float, coefficients: dict, theta: float,
                        zeta_h: float, eta_s: float, steps: int, loss: str = "correlation",
                        psi: float = 1.0, activation: str = "erf", reps: int = 4, seed: int = 0,
                        n_jobs: int = 1) -> dict:
    """``K`` steps of the pre-trained student on fresh batches labelled by ``h(<e_0, x>)``.

    Returns
    -------
    dict
        ``hard_component`` (mean ``<w_j, p>^2``), ``alignment_hard`` (``A(W_k, u_h)``),
        ``alignment_teacher`` (``A(W_k, v_t)``): arrays ``(reps, steps + 1)``.

    Examples
    --------
    >>> from numerics.simulate import simulate_forgetting
    >>> r = simulate_forgetting(d=50, gamma_s=0.5, coefficients={1: 0.7}, theta=1.0, zeta_h=1.0,
    ...                         eta_s=1.0, steps=2, reps=2, seed=0)
    >>> r["hard_component"].shape
    (2, 3)
    """
    d = positive_int("d", d, 8)
    steps = positive_int("steps", steps, 1)
    gamma_s = _scalar("gamma_s", gamma_s, 0, open_lower=True)
    theta = _scalar("theta", theta, 0)
    zeta_h = _scalar("zeta_h", zeta_h, 0, 1)
    eta_s = _scalar("eta_s", eta_s, 0, open_lower=True)
    psi = _scalar("psi", psi, 0, open_lower=True)
    coefficients = _coefficients("coefficients", coefficients, 1)
    if loss not in ("correlation", "squared"):
        raise SimulationError(f"loss must be 'correlation' or 'squared'; got {loss!r}")
    if activation not in _ACTIVATIONS:
        raise SimulationError(f"activation must be one of {', '.join(_ACTIVATIONS)}")
    reps = positive_int("reps", reps, 2)
    N, n_s = max(2, round(psi * d)), max(2, round(d / gamma_s))
    memory_guard(n_s * d + 4 * N * d + n_s * N, n_jobs,
                 f"d = {d} (N = {N} neurons, n_s = {n_s})")
    (out,) = repeat(_forgetting_repetition,
                     (d, max(2, round(psi * d)), max(2, round(d / gamma_s)), coefficients, theta,
                      zeta_h, eta_s, steps, loss, activation), reps, seed, n_jobs)
    return {"hard_component": out[:, :, 0], "alignment_hard": out[:, :, 1],
            "alignment_teacher": out[:, :, 2]}
