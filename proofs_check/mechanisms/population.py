"""Population students in the Monte Carlo route: a large sample and the ``O(gamma)`` allowance.

A claim about a *population* student (``gamma_s = d/n_s -> 0``) is simulated with a student
fitted on ``n_s = d / GAMMA`` fresh rows (``GAMMA = 1/50``): the finite-sample student whose
limit the claim states. Its simulated margin differs from the population margin by
``f(GAMMA) - f(0)``, where ``f(gamma)`` is the theory's finite-``gamma`` formula of the simulated
quantity (for instance ``ridge.student_risk`` as a function of ``gamma_s``). SymPy differentiates
``f`` twice in ``gamma`` at 0 (the derivative of the Marchenko-Pastur Stieltjes transform in
``gamma`` follows from its quadratic; at ``gamma = 0`` the law is the point mass at 1), and the
plan allows

    ``GAMMA |f'(0)| + GAMMA^2 |f''(0)|``

(the second-order term counted twice, which covers the remainder at ``GAMMA = 1/50``;
``tests/proofs_check/test_population_plans.py`` checks the bound against the exact
``|f(GAMMA) - f(0)|`` at the plans' points). The allowance is sized by the theory; the
simulated margin itself comes from the fitted estimators (:mod:`numerics.simulate`), which import
no formula.

Examples
--------
>>> from proofs_check.mechanisms.population import GAMMA, PopulationBias
>>> from theory.symbols import gamma_s
>>> import theory
>>> bias = PopulationBias(theory.get("ridge.student_risk").expr, (gamma_s,))
>>> point = {"lam_t": 0.1, "lam_s": 1.0, "gamma_t": 0.5, "sigma2": 1.0, "r2": 1.0}
>>> 0 < bias(point, 200) < 0.01
True
"""

from __future__ import annotations

from fractions import Fraction
from typing import Optional

import sympy

__all__ = ["GAMMA", "PopulationBias"]

#: The aspect ratio ``d/n`` of a simulated population student (``n = 50 d`` rows).
GAMMA = Fraction(1, 50)


class PopulationBias:
    """The allowance for simulating a population limit at ``gamma = GAMMA``.

    Parameters
    ----------
    finite : sympy.Expr
        The theory's formula of the simulated margin at finite aspect ratios.
    gammas : tuple of sympy.Symbol
        The aspect ratios set to the common ``gamma`` (every simulated population level).
    fixed : dict, optional
        Symbols to replace before differentiating (e.g. ``sigma2_s = 0``, ``lam_t = lam_star``).
    gamma : Fraction
        The simulated aspect ratio.

    Examples
    --------
    >>> from proofs_check.mechanisms.population import PopulationBias
    >>> from theory.marchenko_pastur import StieltjesMP
    >>> from theory.symbols import gamma_s, lam_s
    >>> b = PopulationBias(StieltjesMP(-lam_s, gamma_s), (gamma_s,))
    >>> [float(x) for x in b.derivatives({"lam_s": 1.0})]   # m(-1) = 1/2 + g/8 + O(g^3)
    [0.125, 0.0]
    """

    def __init__(self, finite, gammas: tuple, fixed: Optional[dict] = None,
                 gamma: Fraction = GAMMA):
        self.finite, self.gammas, self.fixed, self.gamma = finite, tuple(gammas), fixed or {}, gamma
        self._compiled = None

    def _base(self):
        if self._compiled is None:
            from theory.chain import as_mp

            g = sympy.Dummy("g", nonnegative=True)
            f = as_mp(sympy.sympify(self.finite).xreplace(self.fixed))
            self._compiled = (g, f.xreplace({s: g for s in self.gammas}))
        return self._compiled

    def _at(self, point: dict, dps: int):
        """The finite formula at the point's values (exact: a float is its binary value),
        a function of ``g`` alone; the point's missing parameters take their defaults."""
        from theory.symbols import parameters

        g, f = self._base()
        declared = parameters()
        values = {}
        for s in f.free_symbols - {g}:
            value = point.get(s.name)
            if value is None and s.name in declared and declared[s.name].default is not None:
                value = declared[s.name].default
            if value is None:
                raise KeyError(f"the population allowance needs {s.name}")
            values[s] = sympy.nsimplify(value, rational=True) if isinstance(value, float) \
                else sympy.sympify(value)
        # the numeric parts (the teacher's transforms) become numbers: a function of g alone
        return g, f.xreplace(values).evalf(dps + 10)

    def exact(self, point: dict, dps: int = 30) -> float:
        """The bias itself, ``f(gamma) - f(0)``, from the finite formula at the point.

        Examples
        --------
        >>> from proofs_check.mechanisms.population import PopulationBias
        >>> from theory.marchenko_pastur import StieltjesMP
        >>> from theory.symbols import gamma_s, lam_s
        >>> b = PopulationBias(StieltjesMP(-lam_s, gamma_s), (gamma_s,))
        >>> round(b.exact({"lam_s": 1.0}) / 0.02, 4)     # f'(0) = 1/8
        0.125
        """
        g, f = self._at(point, dps)
        gamma = sympy.Rational(self.gamma.numerator, self.gamma.denominator)
        return float((f.xreplace({g: gamma}) - f.xreplace({g: sympy.S.Zero})).evalf(dps))

    def derivatives(self, point: dict, dps: int = 30) -> tuple:
        """``(f'(0), f''(0))`` at a point (its values as floats or exact numbers).

        The point's values are substituted first, so SymPy differentiates a function of
        ``g`` alone (the formulas of a composite margin are large in the parameters).
        """
        g, f = self._at(point, dps)
        first = f.diff(g)
        second = first.diff(g)
        return tuple(e.xreplace({g: sympy.S.Zero}).evalf(dps) for e in (first, second))

    def __call__(self, point: dict, d: int) -> float:
        """``GAMMA |f'(0)| + GAMMA^2 |f''(0)|`` at the point (``d`` does not enter)."""
        first, second = self.derivatives(point)
        g = float(self.gamma)
        return float(g * abs(first) + g * g * abs(second))
