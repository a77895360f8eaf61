"""Each quantity's presentation form (the LaTeX a paper shows) equals its definition.

The test iterates over every registered quantity that has a presentation form, so a new
mechanism's forms are covered as soon as they are registered. Two routes: SymPy reduces the
difference to zero (with the shorthand expanded), and the two sides agree to 25 digits at random
rational points of the parameters' domains (evaluated independently by ``evalf``).
"""

import random

import mpmath
import pytest
import sympy

from theory import get, names
from theory.notation import expand_notation

FORMS = [n for n in names() if get(n).presentation is not None]


def test_every_quantity_has_a_form():
    """Every registered quantity, of every mechanism, has a hand-chosen presentation form (a
    new mechanism's quantities need one too)."""
    missing = [n for n in names() if n not in FORMS]
    assert not missing, missing
    for prefix in ("mp.", "ridge.", "weighted_ridge.", "multi_index.", "single_index.",
                   "spectral."):
        mine = [n for n in names() if n.startswith(prefix)]
        assert mine and all(n in FORMS for n in mine), prefix


def _difference(name):
    q = get(name)
    form = expand_notation(q.presentation_form())
    if isinstance(form, sympy.Eq):
        return form.lhs - form.rhs
    return form - q.expr


def _symbolic_zero(diff) -> bool:
    diff = diff.doit(integrals=False)  # integrals are compared by their integrands, never integrated
    if diff.has(sympy.Integral):
        return _integrands_cancel(diff)
    if sympy.expand(diff) == 0 or sympy.cancel(sympy.together(diff)) == 0:
        return True
    if isinstance(diff, sympy.Piecewise) or diff.has(sympy.Piecewise):
        return sympy.piecewise_fold(diff).simplify() == 0
    closed = diff.replace(lambda e: hasattr(e, "closed"), lambda e: e.closed())
    if sympy.cancel(sympy.together(closed)) == 0:
        return True
    return sympy.simplify(closed.rewrite(sympy.sqrt)) == 0


def _integrands_cancel(diff) -> bool:
    """Sufficient for ``diff == 0``: ``diff`` is linear in integrals over one range, and the
    same combination of their integrands (in one variable) reduces to zero."""
    integrals = sorted(diff.atoms(sympy.Integral), key=sympy.default_sort_key)
    if any(len(i.limits) != 1 or len(i.limits[0]) != 3 for i in integrals) or len(
            {i.limits[0][1:] for i in integrals}) != 1:
        return False
    t, marks = sympy.Dummy("t"), sympy.symbols(f"I:{len(integrals)}", cls=sympy.Dummy)
    linear = diff.xreplace(dict(zip(integrals, marks)))
    weights = [sympy.diff(linear, m) for m in marks]
    if any(w.has(*marks) for w in weights) or not _symbolic_zero(
            linear.xreplace({m: 0 for m in marks})):
        return False
    return _symbolic_zero(sum(w * i.function.xreplace({i.limits[0][0]: t})
                              for w, i in zip(weights, integrals)))


def _point(symbols, rng):
    values = {}
    for s in symbols:
        if s.name == "z":
            values[s] = sympy.Rational(-rng.randint(1, 40), 10)
        elif s.name == "zeta":
            values[s] = sympy.Rational(rng.randint(-9, 9), 10)
        elif s.name == "x":
            values[s] = sympy.Rational(rng.randint(50, 150), 100)  # inside the support below
        elif s.name == "gamma":
            values[s] = sympy.Rational(rng.randint(1, 40), 100)
        else:
            values[s] = sympy.Rational(rng.randint(1, 300), 100)
    return values


def _opaque_as_values(exprs, at, rng):
    """Applications of the project's functions that ``evalf`` cannot evaluate at ``at`` (a root
    that ``theory`` defines and ``numerics`` finds, such as a basin boundary) become random values,
    the same in every expression: the identity must then hold whatever their value."""
    table = {}
    for e in exprs:
        for f in sorted(e.atoms(sympy.Function), key=str):
            if type(f).__module__.startswith("sympy") or f in table:
                continue
            value = f.xreplace(at).evalf(30)
            if any(not type(g).__module__.startswith("sympy") for g in value.atoms(sympy.Function)):
                table[f] = sympy.Rational(rng.randint(1, 99), 100)
    return tuple(e.xreplace(table) for e in exprs)


@pytest.mark.parametrize("name", FORMS)
def test_presentation_form_equals_its_definition(name):
    diff = _difference(name)
    assert _symbolic_zero(diff), f"{name}: SymPy does not reduce the difference to 0"
    rng = random.Random(name)
    q = get(name)
    form = expand_notation(q.presentation_form())
    for _ in range(3):
        at = _point(sorted(q.expr.free_symbols | form.free_symbols, key=str), rng)
        try:
            expr, form_at = _opaque_as_values((q.expr, form), at, rng)
            form_at.xreplace(at), expr.xreplace(at)
        except TypeError:  # a Piecewise condition that is not real at this random point
            continue
        if isinstance(form, sympy.Eq):
            lhs, rhs = _value(form_at.lhs.xreplace(at)), _value(form_at.rhs.xreplace(at))
            assert abs(complex(lhs - rhs)) < 1e-25, (name, at)
        else:
            a, b = _value(form_at.xreplace(at)), _value(expr.xreplace(at))
            assert abs(complex(a - b)) <= 1e-25 * (1 + abs(complex(b))), (name, at, a, b)


def _value(expr):
    """``expr`` (no free symbols) at 30 digits: by ``evalf``, or for an expression with integrals
    by mpmath's quadrature of its ``lambdify`` code (``evalf`` of an integral evaluates the SymPy
    integrand at every node: minutes for the mechanism-3 steps)."""
    if not expr.has(sympy.Integral):
        return expr.evalf(30)
    with mpmath.workdps(30):
        v = mpmath.mpc(sympy.lambdify((), expr, "mpmath")())
    return sympy.Float(v.real, 30) + sympy.I * sympy.Float(v.imag, 30)


def test_a_wrong_form_is_caught():
    """The check is not vacuous: ``w_t`` with the wrong sign is refuted by both routes."""
    from theory.notation import notation_for, plus, times
    from theory.symbols import gamma_t, lam_t

    m_t, mp_t = notation_for("ridge", "m_t"), notation_for("ridge", "m'_t")
    diff = expand_notation(plus(m_t, times(lam_t, mp_t))) - notation_for("ridge", "w_t").definition
    assert not _symbolic_zero(diff)
    at = {lam_t: sympy.Rational(1, 2), gamma_t: sympy.Rational(1, 3)}
    assert abs(diff.xreplace(at).evalf(30)) > 0.1
