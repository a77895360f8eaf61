r"""Spiked-covariance pre-training as a spectral initialisation (arXiv:2605.05710).

Pre-training sees ``n_u`` unlabelled samples ``a ~ N(0, I + spike v v^T)``; the initialisation is
the top eigenvector ``v_hat`` of the sample covariance. With ``gamma_u = d/n_u`` fixed as
``d -> oo`` (Baik--Ben Arous--Peche 2005, Paul 2007, Benaych-Georges--Nadakuditi 2011):

* ``lambda_max -> (1 + spike)(1 + gamma_u/spike)`` above the BBP point ``spike^2 > gamma_u``,
  the bulk edge ``(1 + sqrt(gamma_u))^2`` below it;
* ``<v_hat, v>^2 -> eta2^2 = max(0, (1 - gamma_u/spike^2)/(1 + gamma_u/spike))``;
* ``eta2 >= s  <=>  n_u/d >= N(spike, s) = (1 + spike s^2)/(spike^2 (1 - s^2))`` (SymPy solves
  the overlap for ``gamma_u``, :func:`budget_derivation`);
* ``m0 = <x0, v0> -> eta1 eta2`` and ``q0 = <x0, w> -> kappa eta2`` with
  ``kappa = <v, w> = rho_w eta1 + zeta_vw sqrt((1 - rho_w^2)(1 - eta1^2))``.

Examples
--------
>>> from numerics import evaluate
>>> float(evaluate("spectral.overlap2", spike=1, gamma_u="0.25"))
0.6
>>> float(evaluate("spectral.pretraining_budget", spike=2, eta2_min="0.5"))
0.5
"""

from __future__ import annotations


from functools import lru_cache
from typing import TYPE_CHECKING

import sympy
from sympy import Interval, Piecewise, Rational, oo, sqrt

from theory.cache import once_per_machine
from theory.derivation import Derivation
from theory.registry import register
from theory.symbols import parameter

if TYPE_CHECKING:  # imported on use: the claims are built on first use, not at import
    from theory.claims import Claim, Proof

__all__ = ["spike", "gamma_u", "eta1", "rho_w", "zeta_vw", "eta2_min", "top_eigenvalue",
           "bulk_edge", "overlap2", "overlap", "kappa", "initial_m", "initial_q",
           "budget_derivation", "pretraining_budget", "derivations"]

SOURCE = "arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)"

spike = parameter("spike", r"\ell", "ell", Interval.open(0, oo),
                  "spike strength of the pre-training covariance I + spike v v^T", positive=True)
gamma_u = parameter("gamma_u", r"\gamma_u", "gamma_u", Interval.open(0, oo),
                    "d/n_u, unlabelled pre-training samples", positive=True)
eta1 = parameter("eta1", r"\eta_1", "eta_1", Interval(0, 1),
                 "<v, v0>, alignment of the spike with the target", nonnegative=True)
rho_w = parameter("rho_w", r"\rho_w", "rho_w", Interval.Lopen(0, 1),
                  "<w, v0>, the weak supervisor's direction bias", positive=True)
zeta_vw = parameter("zeta_vw", r"\zeta_{vw}", "zeta_vw", Interval(-1, 1),
                    "<v_perp, w_perp>, alignment of the spike and weak directions off v0",
                    default=0, real=True)
eta2_min = parameter("eta2_min", r"\eta_{\min}", "eta_min", Interval.Ropen(0, 1),
                     "required spectral overlap <v_hat, v> in the budget N(spike, eta2_min)",
                     nonnegative=True)

# ``spike**2 > gamma_u`` (above the BBP point), unevaluated: SymPy cannot decide it, and asking
# costs 20 ms at import
_above = sympy.StrictGreaterThan(spike**2, gamma_u, evaluate=False)
#: Bulk edge ``(1 + sqrt(gamma_u))^2`` of the Marchenko-Pastur law.
bulk_edge = (1 + sqrt(gamma_u)) ** 2
#: F1: limit of the top sample eigenvalue.
top_eigenvalue = Piecewise(((1 + spike) * (1 + gamma_u / spike), _above), (bulk_edge, True))
#: F2 above the BBP point (the formula without the ``max``).
overlap2_above = (1 - gamma_u / spike**2) / (1 + gamma_u / spike)
#: F2: limit of ``<v_hat, v>^2``.
overlap2 = Piecewise((overlap2_above, _above), (0, True))
# The three module attributes below are built on first use (their square roots cost SymPy
# tens of milliseconds: not at import); annotated here so that the docs and the linters see them.
#: ``eta2``, the limit of ``|<v_hat, v>|``.
overlap: sympy.Expr
#: ``kappa = <v, w>``.
kappa: sympy.Expr
#: ``m0 = <x0, v0>`` after spectral initialisation (sign resolved).
initial_m: sympy.Expr
#: ``q0 = <x0, w>`` after spectral initialisation (sign resolved).
initial_q: sympy.Expr

_LAZY = ("overlap", "kappa", "initial_m", "initial_q")


@lru_cache(maxsize=None)
def _lazy() -> dict:
    overlap = sqrt(overlap2)
    kappa = rho_w * eta1 + zeta_vw * sqrt((1 - rho_w**2) * (1 - eta1**2))
    return {"overlap": overlap, "kappa": kappa, "initial_m": eta1 * overlap,
            "initial_q": kappa * overlap}


def __getattr__(name: str):
    # the expressions of _LAZY are module attributes, built on first use
    if name in _LAZY:
        value = _lazy()[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@once_per_machine
def budget_derivation() -> Derivation:
    """SymPy solves ``eta2^2 = s^2`` for ``gamma_u``; the budget is ``N = 1/gamma_u``.

    ``eta2^2`` decreases in ``gamma_u`` (its derivative is negative, shown below), so
    ``eta2 >= s`` exactly when ``gamma_u`` is at most the root, i.e. ``n_u/d >= N``.

    Examples
    --------
    >>> from theory.spectral import budget_derivation
    >>> budget_derivation().result
    (eta2_min**2*spike + 1)/(spike**2*(1 - eta2_min**2))
    """
    s = eta2_min
    (root,) = sympy.solve(sympy.Eq(overlap2_above, s**2), gamma_u)
    budget = sympy.factor(1 / root)
    slope = sympy.factor(sympy.diff(overlap2_above, gamma_u))
    form = (1 + spike * s**2) / (spike**2 * (1 - s**2))
    check = sympy.simplify(budget - form)
    return Derivation(
        "spectral.pretraining_budget", "Pre-training budget for a spectral overlap s",
        "Solve (1 - gamma_u/spike^2)/(1 + gamma_u/spike) = s^2 for gamma_u. The overlap decreases "
        "in gamma_u, so it is at least s exactly when gamma_u is at most the root, that is when "
        "the budget 1/gamma_u is at least one over the root.",
        (("derivative of the squared overlap in gamma_u (negative)", slope),
         ("the root in gamma_u", root), ("the budget, one over the root", budget),
         ("its difference from the closed-form budget (SymPy: 0)", check)),
        form,
        lhs=(r"\frac{\partial \eta_2^2}{\partial \gamma_u}", r"\gamma_u^{\dagger}",
             r"N(\lambda, s) = 1/\gamma_u^{\dagger}",
             r"N(\lambda, s) - \frac{1 + \lambda s^{2}}{\lambda^{2} \left(1 - s^{2}\right)}"))


def pretraining_budget() -> sympy.Expr:
    """``N(spike, eta2_min)``, the smallest ``n_u/d`` with ``eta2 >= eta2_min``.

    Examples
    --------
    >>> from theory.spectral import pretraining_budget, eta2_min
    >>> pretraining_budget().subs(eta2_min, 0)
    spike**(-2)
    """
    return budget_derivation().result


def derivations() -> list[Derivation]:
    """The derivations of this module, in the order of the docs."""
    return [budget_derivation()]


# --- presentation: the notation of docs/single-index.md -------------------------------------

from theory.notation import minus, notation, over, plus, ref, times  # noqa: E402

_n_eta2 = notation("spectral", r"\eta_2", lambda: _lazy()["overlap"], "limit of |<v_hat, v>|, the spectral overlap",
                   nonnegative=True, shown=r"\lim_{d\to\infty} |\langle \hat v, v\rangle|")


def _inline(tex, expr):
    """``expr`` written inline as ``tex`` (a ratio inside a fraction or a case), not listed."""
    return notation("spectral:inline", tex, expr, "an inline ratio", positive=True)


def _overlap2_form():
    return Piecewise((over(plus(1, minus(_inline(r"\gamma_u/\lambda^{2}", gamma_u / spike**2))),
                           plus(1, _inline(r"\gamma_u/\lambda", gamma_u / spike))), _above),
                     (0, True))


register("spectral.top_eigenvalue", top_eigenvalue, r"\lambda_{\max}",
         "limit of the top eigenvalue of the spiked sample covariance", SOURCE,
         presentation=lambda: Piecewise(
             (times(plus(1, spike), plus(1, _inline(r"\gamma_u/\lambda", gamma_u / spike))),
              _above),
             (ref("spectral.bulk_edge"), True)))
register("spectral.bulk_edge", bulk_edge, r"\lambda_+", "Marchenko-Pastur bulk edge", SOURCE,
         presentation=lambda: plus(1, sqrt(gamma_u)) ** 2)
register("spectral.overlap2", overlap2, r"\eta_2^2",
         "limit of the squared overlap of the top sample eigenvector with the pre-training direction", SOURCE,
         presentation=_overlap2_form)
register("spectral.pretraining_budget", pretraining_budget, r"N(\lambda, s)",
         "pre-training budget: fewest unlabelled samples per dimension for a spectral overlap of at least s", SOURCE,
         declared=('spike', 'eta2_min'),
         presentation=lambda: over(plus(1, times(spike, eta2_min**2)),
                                   times(spike**2, plus(1, minus(eta2_min**2)))))
register("spectral.kappa", lambda: _lazy()["kappa"], r"\kappa", "<v, w>, alignment of the pre-training direction "
         "with the weak supervisor's direction", SOURCE, declared=("rho_w", "eta1", "zeta_vw"),
         presentation=lambda: plus(times(rho_w, eta1), times(zeta_vw, sqrt(times(
             plus(1, minus(rho_w**2)), plus(1, minus(eta1**2))), evaluate=False))))
register("spectral.initial_m", lambda: _lazy()["initial_m"], r"\mathsf{m}_0",
         "overlap of the spectral initialisation with the target direction", SOURCE,
         declared=("eta1", "spike", "gamma_u"),
         presentation=lambda: times(eta1, _n_eta2))
register("spectral.initial_q", lambda: _lazy()["initial_q"], r"q_0",
         "overlap of the spectral initialisation with the weak direction", SOURCE,
         declared=("rho_w", "eta1", "zeta_vw", "spike", "gamma_u"),
         presentation=lambda: times(ref("spectral.kappa"), _n_eta2))


# --- claims: the spectral start ---------------------------------------------------------------

def _steps(steps) -> Proof:
    from theory.claims import Proof

    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(ok)) for label, ok in steps))


def _prove_edge() -> Proof:
    gap = sympy.factor(((1 + spike) * (1 + gamma_u / spike) - bulk_edge))
    r = sympy.Symbol("r", positive=True)  # gamma_u = r^2
    square = sympy.factor(gap.subs(gamma_u, r**2))
    return _steps([
        ("above BBP: (1 + l)(1 + g/l) - (1 + sqrt g)^2 = (l - sqrt g)^2 / l",
         sympy.simplify(square - (spike - r) ** 2 / spike) == 0),
        ("which is >= 0 (a square over spike > 0), = 0 iff spike = sqrt(gamma_u)",
         bool(((spike - r) ** 2 / spike).is_nonnegative)),
        ("below BBP the limit is the edge itself", True),
    ])


def _prove_overlap_range() -> Proof:
    a, b = sympy.symbols("a b", positive=True)  # spike^2 = gamma_u (1 + a): above BBP
    at = overlap2_above.subs(spike, sqrt(gamma_u * (1 + a)))
    one_minus = sympy.factor(1 - overlap2_above)
    slope = sympy.factor(sympy.diff(overlap2_above, gamma_u))
    return _steps([
        ("above BBP the overlap is positive", bool(sympy.factor(at).is_positive)),
        ("1 - eta2^2 = gamma_u (spike + 1)/(spike (spike + gamma_u)) > 0",
         sympy.simplify(one_minus - gamma_u * (spike + 1) / (spike * (spike + gamma_u))) == 0
         and bool(one_minus.is_positive)),
        ("d eta2^2/d gamma_u = -(spike + 1)/(spike + gamma_u)^2 < 0",
         sympy.simplify(slope + (spike + 1) / (spike + gamma_u) ** 2) == 0),
        ("eta2^2 -> 1 as gamma_u -> 0", sympy.limit(overlap2_above, gamma_u, 0) == 1),
        ("continuous at the BBP point (the branch vanishes at gamma_u = spike^2)",
         sympy.simplify(overlap2_above.subs(gamma_u, spike**2)) == 0),
    ])


def _prove_budget() -> Proof:
    d = budget_derivation()
    # sign(eta2^2 - s^2) = sign(1/gamma_u - N): both are a positive factor times (N^-1 - gamma_u)
    diff = sympy.factor(sympy.together(overlap2_above - eta2_min**2))
    g_root = 1 / d.result
    expect = (g_root - gamma_u) * spike * (1 + spike * eta2_min**2) / (spike**2 * (spike + gamma_u))
    monotone = sympy.factor(sympy.diff(d.result, eta2_min))
    return _steps([
        ("N - (1 + spike s^2)/(spike^2 (1 - s^2)) = 0", d.steps[-1][1] == 0),
        ("eta2^2 - s^2 = (1/N - gamma_u) (1 + spike s^2) / (spike (spike + gamma_u))",
         sympy.simplify(diff - expect) == 0),
        ("so eta2 >= s iff gamma_u <= 1/N iff n_u/d >= N (positive factors)", True),
        ("N(spike, 0) = 1/spike^2 (BBP)", sympy.simplify(d.result.subs(eta2_min, 0)
                                                        - 1 / spike**2) == 0),
        ("dN/ds = 2 s (spike + 1)/(spike^2 (1 - s^2)^2) >= 0",
         sympy.simplify(monotone - 2 * eta2_min * (spike + 1)
                        / (spike**2 * (1 - eta2_min**2) ** 2)) == 0),
    ])


_SPIKE = Interval(Rational(1, 20), 20)
_GAMMA = Interval(Rational(1, 100), 100)


def claims() -> list[Claim]:
    """The mechanism's claims in registration order (the catalogue builds them on first use)."""
    from theory.claims import Claim

    return [
        Claim(
            sympy.Ge(top_eigenvalue, bulk_edge, evaluate=False),
            id="spectral.top_eigenvalue_above_bulk_edge",
            statement="The limit of the top sample eigenvalue, (1 + spike)(1 + gamma_u/spike) above BBP, is never "
            "below the bulk edge (1 + sqrt(gamma_u))^2 (equality at spike = sqrt(gamma_u)).",
            source="Baik-Ben Arous-Peche 2005; Baik-Silverstein 2006",
            region={"spike": _SPIKE, "gamma_u": _GAMMA},
            proof=_prove_edge,
        ),
        Claim(
            sympy.Ge(-sympy.diff(overlap2_above, gamma_u), 0, evaluate=False),
            id="spectral.overlap_decreases_with_gamma",
            statement="Above the BBP point the squared overlap eta2^2 lies in (0, 1), decreases strictly in "
            "gamma_u = d/n_u and tends to 1 as gamma_u -> 0 (margin: minus its derivative).",
            source="Paul 2007; Benaych-Georges-Nadakuditi 2011",
            region={"spike": _SPIKE, "gamma_u": _GAMMA},
            assumptions=(sympy.Le(gamma_u, spike**2),),
            proof=_prove_overlap_range,
        ),
        Claim(
            sympy.Ge((overlap2 - eta2_min**2) * (1 / gamma_u - (1 + spike * eta2_min**2)
                                               / (spike**2 * (1 - eta2_min**2))), 0, evaluate=False),
            id="spectral.budget_iff_overlap",
            statement="eta2 >= s exactly when n_u/d >= N(spike, s) = (1 + spike s^2)/(spike^2 (1 - s^2)): the "
            "margin (eta2^2 - s^2)(1/gamma_u - N) is never negative.",
            source="derived in w2s-theory (docs/single-index.md)",
            region={"spike": _SPIKE, "gamma_u": _GAMMA, "eta2_min": Interval(0, Rational(99, 100))},
            proof=_prove_budget,
        ),
    ]
