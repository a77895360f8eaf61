r"""Quantities of the fine-tuning dynamics defined by iteration or by quadrature.

The central statements of arXiv 2605.05710 (the generalisation bound, perturbed strong
convexity, the escape time from the equator) are about the iterates of the exact reduced GD
map and about the time gradient flow needs to leave the equator. Those are not closed forms:
they are defined here once, as SymPy functions that say what they are, and evaluated by
:mod:`numerics.single_index_iterates` at any precision (registered through the mechanism's
``functions`` facet, like the roots ``q_c``, ``q*``, ``delta_sn``):

* :class:`GDOverlap` ``q_t`` and :class:`GDTargetOverlap` ``m_t``: the exact reduced GD map
  (:func:`theory.single_index.gd_map`) iterated ``floor(t)`` times from ``(q0, m0)``;
* :class:`EscapeTime`: the gradient-flow time ``int_{q0}^{q1} dq / (G(q)(1 - q^2))`` from
  ``q0`` to ``q1`` (``dq/dt = G(q)(1 - q^2)``).

Parameters declared here: ``nu`` (places a unit student ``x`` given ``q`` and ``rho_w``:
``m = rho_w q + nu sqrt((1 - q^2)(1 - rho_w^2))``, so every ``nu`` in ``[-1, 1]`` is a feasible
geometry), ``dim`` (the dimension ``d`` in the escape-time law) and ``q_exit`` (the overlap at
which the student has left the equator).

Examples
--------
>>> from theory.single_index_dynamics import GDOverlap, placed_m
>>> GDOverlap.nargs
{13}
>>> placed_m(0, 0, 1)
1
"""

from __future__ import annotations

from sympy import Function, Interval, oo, sqrt

from theory.symbols import parameter

__all__ = ["GDOverlap", "GDTargetOverlap", "EscapeTime", "nu", "dim", "q_exit", "placed_m"]

nu = parameter("nu", r"\nu", "nu", Interval(-1, 1),
               "cosine between the parts of x and v0 orthogonal to w: m = rho_w q + nu "
               "sqrt((1 - q^2)(1 - rho_w^2))", real=True)
dim = parameter("dim", r"d", "d", Interval(1, oo), "dimension d of the student's sphere",
                positive=True)
q_exit = parameter("q_exit", r"q_1", "q_1", Interval.Lopen(0, 1),
                   "overlap <x, w> at which the student has left the equator", positive=True)


def placed_m(q, rho_w, nu_value):
    """``m = rho_w q + nu sqrt((1 - q^2)(1 - rho_w^2))``: the overlap with the target of a unit
    ``x`` with ``<x, w> = q`` (every ``nu`` in ``[-1, 1]`` is feasible).

    Examples
    --------
    >>> from theory.single_index_dynamics import placed_m
    >>> import sympy
    >>> placed_m(sympy.Rational(1, 2), 1, 0)
    1/2
    """
    return rho_w * q + nu_value * sqrt((1 - q**2) * (1 - rho_w**2))


class _Iterate(Function):
    """``(t, eta, q0, m0, rho_w, c1..c4, b1..b4)``: the exact reduced GD map iterated
    ``floor(t)`` times from ``(q0, m0)``."""

    nargs = 13
    _symbol = ""

    def _latex(self, printer, exp=None):
        s = r"%s_{%s}" % (self._symbol, printer._print(self.args[0]))
        return s if exp is None else r"%s^{%s}" % (s, exp)


class GDOverlap(_Iterate):
    r"""``q_t``: the overlap with the weak direction after ``floor(t)`` steps of the exact reduced
    GD map from ``(q0, m0)`` (arguments ``t, eta, q0, m0, rho_w, c1..c4, b1..b4``; evaluated by
    iteration in :mod:`numerics.single_index_iterates`)."""

    _symbol = "q"


class GDTargetOverlap(_Iterate):
    r"""``m_t``: the overlap with the target after ``floor(t)`` steps of the exact reduced GD map
    (arguments as :class:`GDOverlap`)."""

    _symbol = "m"


class EscapeTime(Function):
    r"""``T(q0 -> q1) = int_{q0}^{q1} dq / (G(q)(1 - q^2))``: the time gradient flow on the weak
    loss needs to raise ``<x, w>`` from ``q0`` to ``q1`` (arguments ``q0, q1, c1..c4, b1..b4``;
    a quadrature in :mod:`numerics.single_index_iterates`; infinite when ``G`` vanishes on the
    way)."""

    nargs = 10

    def _latex(self, printer, exp=None):
        s = r"T(%s \to %s)" % (printer._print(self.args[0]), printer._print(self.args[1]))
        return s if exp is None else r"%s^{%s}" % (s, exp)
