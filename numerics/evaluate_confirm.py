"""The cheap confirmation of :func:`numerics.evaluate`: one evaluation, checked by float64.

From the second call on a quantity (at a precision), :func:`numerics.evaluate` does not run its
precision ladder (two evaluations, at ``dps + 10`` and ``2 (dps + 10) + 10`` digits) when one
evaluation can be confirmed by float64. Two confirmations are tried, the cheaper first.

**Guard digits sized by the float64 pass** (:func:`sized_digits`). The float64 pass evaluates
the quantity's stable form together with its running error bound ``B`` (Higham, *Accuracy and
Stability of Numerical Algorithms*, section 3.3; :func:`numerics.float64.error_bound`: the
relative rounding error of the evaluation is at most ``B u`` to first order, ``u`` the unit
roundoff, and every sum is charged its cancellation, ``sum |t_i| / |sum t_i|``). The value at
``W = dps + SIZED_GUARD + ceil(log10 B)`` digits, computed in the same order as the bound
describes (the same held sums, :func:`numerics.float64.hold_sums`), is returned when

1. ``B 2^-53 <= 1e-12``: the float64 pass is accurate to first order, so ``B`` measures the
   cancellation at this point (a sum evaluated to rounding noise in float64 has a computed
   ``B`` of about ``1/u`` or more, and fails this);
2. every parameter's float64 rounding is exact or at least ``2^-80`` relative (:func:`generic`);
3. the float64 value and the ``W``-digit value agree within ``FLOAT_AGREEMENT = 1e-12``.

Why the ``W``-digit value then has ``dps`` correct digits. Its rounding errors inside the
evaluation amount to at most ``B 10^-W <= 10^-(dps + SIZED_GUARD)`` (relative, first order),
whatever their pattern: a term absorbed whole by a larger one is a rounding error like any
other, and the bound charges the sum that would expose it. The bound takes the parameters as
exact, and they are not: each is rounded to ``W`` digits. A sensitivity ``K`` of the value to a
parameter's rounding moves the float64 value by ``K delta``, ``delta >= 2^-80`` its float64
rounding (condition 2), so agreement within ``1e-12`` bounds ``K`` by about ``1.2e12`` (barring
several such effects cancelling each other to 12 digits by chance), and at ``W`` digits the
parameters' rounding (at most ``10^-W`` each) moves the value by at most about
``1e13 10^-W <= 10^-(dps + 7)``. Condition 2 is what rules out a parameter whose float64 and
``W``-digit roundings are the same tiny error (``gamma = 1 + 10^-70`` is ``1`` in both, and
``1 - gamma`` is lost in both): its rounding error would then be invisible to the comparison.

**The ladder's precision** (:func:`confirmed_by_float`). Where the bound is not available (a
form with no rule, a complex value) or a condition fails, the value at ``2 (dps + 10) + 10``
digits (the precision the ladder confirms its first value at) is returned when its float64
value agrees within ``1e-12``: rounding errors are amplified by a cancellation by the same
factor ``K`` at every precision, so the agreement bounds ``K`` by about ``1e4``, and terms
absorbed whole at a precision between float64's and that one make the two disagree. Where that
fails too, the ladder decides.

Examples
--------
>>> from numerics.evaluate_confirm import generic
>>> generic([(1, 10), (1, 2), (3, 1)])          # 0.1 rounds by 5.6e-18; 1/2 and 3 are exact
True
>>> generic([(10**70 + 1, 10**70)])             # 1 + 1e-70 is 1 in float64, and at 90 digits
False
"""

from __future__ import annotations

import math

import sympy
from sympy.printing.pycode import MpmathPrinter

from numerics.float64 import UNIT, cse_keeping_sums, error_bound
from numerics.stable import stable_form

__all__ = ["FLOAT_AGREEMENT", "SIZED_GUARD", "INPUT_ROUNDING_BITS", "generic", "sized_digits",
           "confirmed_by_float", "held_source"]

#: Largest relative distance between a high-precision value and its float64 evaluation that
#: confirms the former.
FLOAT_AGREEMENT = 1e-12
#: Guard digits of the sized confirmation, above ``dps`` and the digits of the error bound.
SIZED_GUARD = 20
#: A parameter's float64 rounding must be exact or at least ``2^-INPUT_ROUNDING_BITS`` relative.
INPUT_ROUNDING_BITS = 80


def generic(point) -> bool:
    """Whether every value of ``point`` (exact ``(p, q)`` pairs) is a float64 number or rounds
    to float64 by at least ``2^-80`` relative (so a sensitivity to its rounding shows in float64).

    Examples
    --------
    >>> from numerics.evaluate_confirm import generic
    >>> generic([(1, 3)]), generic([(2**100 + 1, 2**100)])
    (True, False)
    """
    for v in point:
        if type(v) is not tuple:
            return False
        p, q = v
        try:
            x = p / q
        except OverflowError:
            return False
        if x == 0:
            if p:
                return False  # underflow
            continue
        n, d = x.as_integer_ratio()
        exact = p * d
        error = abs(exact - n * q)
        if error and (error << INPUT_ROUNDING_BITS) < abs(exact):
            return False
    return True


def sized_digits(plan, point, dps: int, cap: int):
    """``(digits, estimate)`` of the sized confirmation at ``point`` (see the module docs), or
    ``None`` when it does not apply; ``digits`` is at most ``cap``.

    Examples
    --------
    >>> from numerics.evaluate import _plan
    >>> from numerics.evaluate_confirm import sized_digits
    >>> plan = _plan("ridge.teacher_risk")
    >>> digits, estimate = sized_digits(plan, [(1, 2), (1, 2), (1, 1), (1, 1)], 50, 130)
    >>> 70 <= digits <= 75, round(estimate, 12)
    (True, 0.414213562373)
    """
    if not generic(point):
        return None
    f = plan.float_held
    if f is None:
        try:
            f = plan.compiled("float-held", None, 0)
        except Exception:  # no rounding-error rule, or no float version of a function
            f = _no_estimate
        plan.float_held = f
    try:
        estimate, bound = f(*(p / q for p, q in point))
    except (ArithmeticError, ValueError, TypeError, AttributeError):  # complex, overflow, 0/0
        return None
    if (not isinstance(estimate, (float, int)) or isinstance(estimate, bool)
            or not math.isfinite(estimate) or estimate == 0):
        return None
    try:
        bound = float(bound)
    except (TypeError, ValueError, OverflowError):
        return None
    if not bound * UNIT <= FLOAT_AGREEMENT:  # also a NaN bound
        return None
    digits = dps + SIZED_GUARD + (math.ceil(math.log10(bound)) if bound > 1 else 0)
    return min(digits, cap), float(estimate)


def agrees(ctx, value, estimate: float) -> bool:
    """Whether ``value`` (a real, nonzero number of ``ctx``) is within ``FLOAT_AGREEMENT`` of
    ``estimate``."""
    if type(value) is not ctx.mpf or not value:
        return False
    return abs(float(value) - estimate) <= FLOAT_AGREEMENT * abs(estimate)


def confirmed_by_float(ctx, plan, value, point) -> bool:
    """Whether the float64 evaluation of the same stable form confirms ``value`` (computed at
    ``2 (dps + 10) + 10`` digits): the ladder's precision, see the module docs. A value of 0, a
    complex value, a point where float64 overflows or raises, or any disagreement is settled
    by the ladder instead."""
    if type(value) is not ctx.mpf or not value:
        return False
    f = plan.float_function
    if f is None:
        try:
            f = plan.float_function = plan.compiled("float", None, 0)
        except Exception:  # no float64 version of a function: always the ladder
            plan.float_function = f = _no_estimate
    try:
        estimate = f(*(v[0] / v[1] for v in point))  # each (p, q) here (else TypeError)
    except (ArithmeticError, ValueError, TypeError, AttributeError):  # complex, overflow, 0/0
        return False
    if (isinstance(estimate, bool) or not isinstance(estimate, (float, int))
            or not math.isfinite(estimate) or estimate == 0):
        return False
    return agrees(ctx, value, float(estimate))


def _no_estimate(*args):
    raise ValueError("no float64 version")


def held_source(expr, args, namespace, with_bound: bool) -> str:
    """The Python code of ``expr``'s stable form with its sums held as
    :func:`numerics.float64.hold_sums` groups them (the order its error bound describes), and
    with the bound too when ``with_bound`` (it returns ``(value, bound)``).

    Examples
    --------
    >>> from theory.symbols import gamma
    >>> from numerics.evaluate import _float_namespace
    >>> from numerics.evaluate_confirm import held_source
    >>> print(held_source(1 - gamma**2, [gamma], _float_namespace(), True).strip())
    def _lambdifygenerated(gamma):
        x0 = gamma**2
        return (((1) + (-x0)), ((1) + (((1) + (x0))/abs(((-1) + (x0))))),)
    """
    import linecache

    form = stable_form(expr)
    target = (form, error_bound(form)) if with_bound else form
    f = sympy.lambdify(args, target, modules=[namespace, "mpmath"], cse=cse_keeping_sums,
                       printer=_held_printer(namespace))
    return "".join(linecache.getlines(f.__code__.co_filename))


def _held_printer(namespace):
    class Held(MpmathPrinter):
        def _print_HeldSum(self, expr):
            return "(%s)" % " + ".join("(%s)" % self._print(a) for a in expr.args)

        def _print_HeldPower(self, expr):
            return self._print(sympy.Pow(*expr.args, evaluate=False))

    return Held({"fully_qualified_modules": False, "inline": True,
                 "allow_unknown_functions": True, "user_functions": {k: k for k in namespace}})
