r"""Marchenko–Pastur primitives: the Stieltjes transform, its derivative, kappa_gamma, the density.

The law and its transform are those of Marchenko and Pastur [1]_; see Bai and Silverstein [2]_
for the Stieltjes-transform characterisation used here.

Conventions (arXiv:2505.18346): ``m_gamma(z) = \int d\mu_gamma(s) / (s - z)`` where
``mu_gamma`` is the Marchenko–Pastur law of ratio ``gamma`` (with its atom of mass
``1 - 1/gamma`` at 0 when ``gamma > 1``). It is the root of

.. math:: \gamma z m^2 - (1 - \gamma - z) m + 1 = 0

with ``Im m > 0`` for ``Im z > 0`` and ``m(z) ~ -1/z``. Differentiating the quadratic closes
``m'`` over ``m`` itself, so the derivative of any quantity stays in terms of ``m`` and ``m'``.

The *effective regularisation* ``kappa_gamma(lam)`` is the positive root of
``kappa^2 - (lam + gamma - 1) kappa - lam = 0``; it satisfies ``lam m(-lam) = kappa/(1+kappa)``.

Examples
--------
>>> from sympy import Rational, sqrt, nsimplify
>>> from theory.marchenko_pastur import StieltjesMP
>>> m = StieltjesMP(-Rational(1, 2), Rational(1, 2))
>>> m.rewrite(sqrt).simplify()
-2 + 2*sqrt(2)
>>> m.evalf(20)
0.82842712474619009760

References
----------
.. [1] V. A. Marchenko and L. A. Pastur, "Distribution of eigenvalues for some sets of random
   matrices", Mat. Sb. 72 (1967).
.. [2] Z. Bai and J. W. Silverstein, *Spectral Analysis of Large Dimensional Random Matrices*,
   Springer (2010), chapter 3.
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Dummy, Function, Max, Piecewise, Rational, S, pi, solve, sqrt

from theory.registry import register
from theory import symbols as sym

__all__ = [
    "StieltjesMP",
    "StieltjesMPDerivative",
    "EffectiveRegularization",
    "mp_quadratic",
    "kappa_quadratic",
    "stieltjes_negative_axis",
    "kappa_radical",
    "density",
    "atom_mass",
    "support_edges",
    "lam_of_kappa",
    "kappa_forms",
    "in_kappa",
    "positivity_lemma",
]


def mp_quadratic(m, z, gamma):
    """The Marchenko–Pastur self-consistent equation ``gamma z m^2 - (1 - gamma - z) m + 1``.

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.marchenko_pastur import mp_quadratic
    >>> m, z, g = symbols('m z gamma')
    >>> mp_quadratic(m, z, g)
    gamma*m**2*z - m*(-gamma - z + 1) + 1
    """
    return gamma * z * m**2 - (1 - gamma - z) * m + 1


def kappa_quadratic(kappa, lam, gamma):
    """The quadratic whose positive root is ``kappa_gamma(lam)``.

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.marchenko_pastur import kappa_quadratic
    >>> k, l, g = symbols('kappa lam gamma')
    >>> kappa_quadratic(k, l, g)
    kappa**2 - kappa*(gamma + lam - 1) - lam
    """
    return kappa**2 - (lam + gamma - 1) * kappa - lam


def support_edges(gamma):
    """Edges ``((1 - sqrt(gamma))^2, (1 + sqrt(gamma))^2)`` of the continuous part of the law.

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.marchenko_pastur import support_edges
    >>> support_edges(Rational(1, 4))
    (1/4, 9/4)
    """
    return ((1 - sqrt(gamma)) ** 2, (1 + sqrt(gamma)) ** 2)


@lru_cache(maxsize=None)
def stieltjes_negative_axis():
    """The branch of the MP quadratic that is the Stieltjes transform on ``z < 0``.

    SymPy's ``solve`` returns both roots whatever the assumptions. On ``z < 0`` the roots are
    real and distinct (the discriminant is ``(1 - gamma - z)^2 - 4 gamma z > 0``) and their
    product is ``1/(gamma z) < 0``, so exactly one is positive, always the same algebraic branch:
    the one positive at a single test point. ``m(-lam) = int dmu(s)/(s + lam) > 0`` picks it.

    Returns
    -------
    sympy.Expr
        ``m_gamma(z)`` as a radical in the generic symbols ``z`` and ``gamma``, valid for real
        ``z < 0``.

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.marchenko_pastur import stieltjes_negative_axis
    >>> from theory.symbols import z, gamma
    >>> e = stieltjes_negative_axis()
    >>> e.subs({z: -1, gamma: Rational(1, 2)}).evalf(8)
    0.56155281
    """
    m = Dummy("m")
    roots = solve(mp_quadratic(m, sym.z, sym.gamma), m)
    return _positive_root(roots, {sym.z: -1, sym.gamma: Rational(1, 2)})


@lru_cache(maxsize=None)
def kappa_radical():
    """``kappa_gamma(lam)`` as a radical: the positive root of :func:`kappa_quadratic`.

    The product of the two roots is ``-lam < 0``, so exactly one is positive for ``lam > 0``,
    always the same branch: the one positive at a single test point.

    Examples
    --------
    >>> from theory.marchenko_pastur import kappa_radical
    >>> kappa_radical()
    gamma/2 + lam/2 + sqrt(gamma**2 + 2*gamma*lam - 2*gamma + lam**2 + 2*lam + 1)/2 - 1/2
    """
    k = Dummy("kappa")
    roots = solve(kappa_quadratic(k, sym.lam, sym.gamma), k)
    return _positive_root(roots, {sym.lam: 1, sym.gamma: Rational(1, 2)})


def _positive_root(roots, test_point):
    positive = [r for r in roots if r.subs(test_point).evalf() > 0]
    if len(roots) != 2 or len(positive) != 1:  # pragma: no cover - guards the argument
        raise RuntimeError("could not isolate the positive root")
    return positive[0]


def _as_negative(z):
    """Return ``lam`` when ``z = -lam`` is known to be negative, else ``None``."""
    if (-z).is_positive or (z.is_number and z.is_extended_real and z.is_negative):
        return -z
    return None


class StieltjesMP(Function):
    r"""Stieltjes transform ``m_gamma(z)`` of the Marchenko–Pastur law (physical branch).

    ``StieltjesMP(z, gamma)``. Its derivative in ``z`` is :class:`StieltjesMPDerivative`; the
    derivative in ``gamma`` follows from the quadratic. ``rewrite(sqrt)`` gives the radical:
    on the negative axis the root picked by :func:`stieltjes_negative_axis`, elsewhere
    ``[(1 - gamma - z) + sqrt(z - a) sqrt(z - b)] / (2 gamma z)`` with ``a, b`` the support
    edges, whose product of principal roots has its cut exactly on ``[a, b]``.

    Examples
    --------
    >>> from sympy import I, latex
    >>> from theory.marchenko_pastur import StieltjesMP
    >>> from theory.symbols import lam_t, gamma_t
    >>> m = StieltjesMP(-lam_t, gamma_t)
    >>> latex(m)
    'm_{\\gamma_t}\\left(- \\lambda_t\\right)'
    >>> m.diff(lam_t)
    -m'(-lam_t, gamma_t)
    >>> StieltjesMP(-1, 0)
    1/2
    >>> StieltjesMP(1 + I, 2).evalf(10)
    -0.1812248308 + 0.5281734319*I
    """

    nargs = 2

    @classmethod
    def eval(cls, z, gamma):
        """Automatic evaluation: at ``gamma = 0`` the law is the point mass at 1."""
        if gamma.is_zero:
            # gamma -> 0: the law is the point mass at 1 (the quadratic becomes linear).
            return 1 / (1 - z)
        return None

    def fdiff(self, argindex=1):
        z, g = self.args
        if argindex == 1:
            return StieltjesMPDerivative(z, g)
        if argindex == 2:
            m = self
            return -(z * m**2 + m) / (2 * g * z * m - (1 - g - z))
        raise sympy.ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_sqrt(self, z, gamma, **kwargs):
        if _as_negative(z) is not None:
            return stieltjes_negative_axis().xreplace({sym.z: z, sym.gamma: gamma})
        a, b = support_edges(gamma)
        return ((1 - gamma - z) + sqrt(z - a) * sqrt(z - b)) / (2 * gamma * z)

    def _eval_evalf(self, prec):
        z, g = self.args
        if not (z.is_number and g.is_number):
            return None
        value = self._eval_rewrite_as_sqrt(z, g)
        return value.evalf(sympy.core.evalf.prec_to_dps(prec) + 5)._eval_evalf(prec)

    def _eval_is_positive(self):
        z, g = self.args
        if _as_negative(z) is not None and g.is_nonnegative:
            return True
        return None

    def _latex(self, printer, exp=None):
        z, g = self.args
        base = r"m_{%s}\left(%s\right)" % (printer._print(g), printer._print(z))
        return base if exp is None else r"%s^{%s}" % (base, exp)

    def _sympystr(self, printer):
        return "m(%s, %s)" % tuple(printer._print(a) for a in self.args)

    def _pretty(self, printer):
        z, g = self.args
        return printer._print_Function(Function("m_" + str(printer._print(g)))(z))


def _derivative_closed(m, z, gamma):
    """``m'`` in terms of ``m`` (implicit differentiation of the quadratic, done by SymPy)."""
    M, Z = Dummy("M"), Dummy("Z")
    q = mp_quadratic(M, Z, gamma)
    dm = sympy.cancel(-q.diff(Z) / q.diff(M))
    return dm.xreplace({M: m, Z: z})


class StieltjesMPDerivative(Function):
    r"""Derivative ``m'_gamma(z)`` of the Stieltjes transform, closed over ``m`` itself.

    ``m' = m (1 + gamma m) / ((1 - gamma - z) - 2 gamma z m)``. Differentiating again stays in
    terms of ``m`` and ``m'``, so derivatives of quantities never leave the two primitives.

    Examples
    --------
    >>> from sympy import Rational, latex, sqrt
    >>> from theory.marchenko_pastur import StieltjesMP, StieltjesMPDerivative
    >>> from theory.symbols import z, gamma
    >>> StieltjesMP(z, gamma).diff(z)
    m'(z, gamma)
    >>> latex(StieltjesMPDerivative(z, gamma))
    "m'_{\\gamma}\\left(z\\right)"
    >>> StieltjesMPDerivative(-1, Rational(1, 2)).evalf(8)
    0.34887469
    """

    nargs = 2

    @classmethod
    def eval(cls, z, gamma):
        """Automatic evaluation: at ``gamma = 0`` the law is the point mass at 1."""
        if gamma.is_zero:
            return 1 / (1 - z) ** 2
        return None

    def closed(self):
        """``m'`` as a rational function of ``m = StieltjesMP(z, gamma)``."""
        z, g = self.args
        return _derivative_closed(StieltjesMP(z, g), z, g)

    def fdiff(self, argindex=1):
        Z, G = Dummy("z"), Dummy("gamma")
        closed = _derivative_closed(StieltjesMP(Z, G), Z, G)
        return closed.diff((Z, G)[argindex - 1]).xreplace(dict(zip((Z, G), self.args)))

    def _eval_rewrite_as_sqrt(self, z, gamma, **kwargs):
        return self.closed().rewrite(sqrt)

    def _eval_rewrite_as_StieltjesMP(self, z, gamma, **kwargs):
        return self.closed()

    def _eval_evalf(self, prec):
        z, g = self.args
        if not (z.is_number and g.is_number):
            return None
        dps = sympy.core.evalf.prec_to_dps(prec) + 5
        m = StieltjesMP(z, g).evalf(dps)
        return _derivative_closed(m, z, g).evalf(dps)._eval_evalf(prec)

    def _eval_is_positive(self):
        z, g = self.args
        if _as_negative(z) is not None and g.is_nonnegative:
            return True
        return None

    def _latex(self, printer, exp=None):
        z, g = self.args
        base = r"m'_{%s}\left(%s\right)" % (printer._print(g), printer._print(z))
        return base if exp is None else r"\left(%s\right)^{%s}" % (base, exp)

    def _sympystr(self, printer):
        return "m'(%s, %s)" % tuple(printer._print(a) for a in self.args)

    def _pretty(self, printer):
        z, g = self.args
        return printer._print_Function(Function("m'_" + str(printer._print(g)))(z))


class EffectiveRegularization(Function):
    r"""Effective regularisation ``kappa_gamma(lam)``: positive root of ``kappa_quadratic``.

    ``lam m(-lam) = kappa / (1 + kappa)``; ``kappa -> max(gamma - 1, 0)`` as ``lam -> 0`` and
    ``kappa -> lam`` as ``gamma -> 0``. ``rewrite(sqrt)`` gives
    ``[lam + gamma - 1 + sqrt((lam + gamma - 1)^2 + 4 lam)] / 2`` (the product of the two roots
    is ``-lam < 0``, so exactly one is positive); ``rewrite(StieltjesMP)`` gives
    ``lam m / (1 - lam m)``.

    Examples
    --------
    >>> from sympy import sqrt
    >>> from theory.marchenko_pastur import EffectiveRegularization
    >>> from theory.symbols import lam, gamma
    >>> EffectiveRegularization(lam, 0)
    lam
    >>> EffectiveRegularization(1, 1).rewrite(sqrt)
    1/2 + sqrt(5)/2
    """

    nargs = 2

    @classmethod
    def eval(cls, lam, gamma):
        """Automatic evaluation: ``kappa = lam`` at ``gamma = 0``."""
        if gamma.is_zero:
            return lam
        return None

    def _eval_rewrite_as_sqrt(self, lam, gamma, **kwargs):
        return kappa_radical().xreplace({sym.lam: lam, sym.gamma: gamma})

    def _eval_rewrite_as_StieltjesMP(self, lam, gamma, **kwargs):
        u = lam * StieltjesMP(-lam, gamma)
        return u / (1 - u)

    def _eval_evalf(self, prec):
        if not all(a.is_number for a in self.args):
            return None
        dps = sympy.core.evalf.prec_to_dps(prec) + 5
        return self.rewrite(sqrt).evalf(dps)._eval_evalf(prec)

    def _eval_is_positive(self):
        lam, g = self.args
        if lam.is_positive and g.is_nonnegative:
            return True
        return None

    def _eval_is_nonnegative(self):
        lam, g = self.args
        if lam.is_nonnegative and g.is_nonnegative:
            return True  # its limit at lam = 0 is max(gamma - 1, 0)
        return None

    def _latex(self, printer, exp=None):
        lam, g = self.args
        base = r"\kappa_{%s}\left(%s\right)" % (printer._print(g), printer._print(lam))
        return base if exp is None else r"%s^{%s}" % (base, exp)

    def _sympystr(self, printer):
        return "kappa(%s, %s)" % tuple(printer._print(a) for a in self.args)

    def _pretty(self, printer):
        lam, g = self.args
        return printer._print_Function(Function("kappa_" + str(printer._print(g)))(lam))


def density(x, gamma):
    r"""Absolutely continuous part of the MP law: ``sqrt((b - x)(x - a)) / (2 pi gamma x)`` on ``[a, b]``.

    The law also has an atom of mass :func:`atom_mass` at 0 when ``gamma > 1``.

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.marchenko_pastur import density
    >>> density(1, Rational(1, 4))
    sqrt(15)/(2*pi)
    """
    a, b = support_edges(gamma)
    return Piecewise(
        (sqrt((b - x) * (x - a)) / (2 * pi * gamma * x), sympy.And(x >= a, x <= b)),
        (0, True),
    )


def atom_mass(gamma):
    """Mass ``max(0, 1 - 1/gamma)`` of the atom at 0, written ``(gamma - 1)/gamma`` (no cancellation
    in float64 near ``gamma = 1``).

    Examples
    --------
    >>> from theory.marchenko_pastur import atom_mass
    >>> atom_mass(4), atom_mass(S.Half)
    (3/4, 0)
    """
    return Max(S.Zero, (gamma - S.One) / gamma)


# --- quantities ---------------------------------------------------------------------------

lam, gamma = sym.lam, sym.gamma
m_lam = StieltjesMP(-lam, gamma)
mprime_lam = StieltjesMPDerivative(-lam, gamma)

from theory.notation import minus, notation, over, plus, times  # noqa: E402

_m = notation("mp", r"m_\gamma", StieltjesMP(sym.z, gamma), "the Stieltjes transform m_gamma(z)",
              complex=True)
_kappa = notation("mp", r"\kappa_\gamma", EffectiveRegularization(lam, gamma),
                  "the effective regularisation kappa_gamma(lam)", positive=True)
_a = notation("mp", "a", lambda: support_edges(gamma)[0], "lower edge of the support",
              positive=True)
_b = notation("mp", "b", lambda: support_edges(gamma)[1], "upper edge of the support",
              positive=True)


def _m_equation():
    # the defining quadratic: gamma z m^2 - (1 - gamma - z) m + 1 = 0
    return sympy.Eq(plus(times(gamma, sym.z, _m**2), minus(times(plus(1, minus(gamma),
                    minus(sym.z)), _m)), 1), 0, evaluate=False)


def _kappa_equation():
    # kappa^2 - (lam + gamma - 1) kappa - lam = 0, kappa > 0
    return sympy.Eq(plus(_kappa**2, minus(times(plus(lam, gamma, -1), _kappa)), minus(lam)), 0,
                    evaluate=False)


register("mp.stieltjes", StieltjesMP(sym.z, gamma), r"m_{\gamma}(z)",
         "Stieltjes transform of the Marchenko-Pastur law (physical branch)",
         presentation=_m_equation)
register("mp.stieltjes_derivative", StieltjesMPDerivative(sym.z, gamma), r"m'_{\gamma}(z)",
         "derivative of the Stieltjes transform in z",
         presentation=lambda: over(times(_m, plus(1, times(gamma, _m))),
                                   plus(1, minus(gamma), minus(sym.z),
                                        minus(times(2, gamma, sym.z, _m)))))
register("mp.density", lambda: density(sym.x, gamma), r"f_{\gamma}(x)",
         "density of the continuous part of the Marchenko-Pastur law", declared=("x", "gamma"),
         presentation=lambda: Piecewise(
             (over(sqrt(times(plus(_b, minus(sym.x)), plus(sym.x, minus(_a)))),
                   times(2, pi, gamma, sym.x)), sympy.And(sym.x >= _a, sym.x <= _b)),
             (0, True)))
register("mp.atom", lambda: atom_mass(gamma), r"\mu_{\gamma}(\{0\})",
         "mass of the Marchenko-Pastur atom at 0", declared=("gamma",),
         presentation=lambda: Max(S.Zero, plus(1, minus(over(1, gamma))), evaluate=False))
register("mp.kappa", EffectiveRegularization(lam, gamma), r"\kappa_{\gamma}(\lambda)",
         "effective regularisation: lam m_gamma(-lam) = kappa_gamma/(1 + kappa_gamma)",
         presentation=_kappa_equation)
register("mp.shrinkage_u", lam * m_lam, r"u_{\gamma}(\lambda)",
         "u = lam m_gamma(-lam) = average of lam/(s + lam)",
         presentation=lambda: times(lam, m_lam))
register("mp.shrinkage_v", lam**2 * mprime_lam, r"v_{\gamma}(\lambda)",
         "v = lam^2 m_gamma'(-lam) = average of lam^2/(s + lam)^2",
         presentation=lambda: times(lam**2, mprime_lam))
register("mp.shrinkage_w", m_lam - lam * mprime_lam, r"w_{\gamma}(\lambda)",
         "w = m_gamma - lam m_gamma' = average of s/(s + lam)^2",
         presentation=lambda: plus(m_lam, minus(times(lam, mprime_lam))))


# --- the kappa parametrisation --------------------------------------------------------------

def lam_of_kappa(kappa, gamma):
    """``lam`` as a function of ``kappa`` (the kappa quadratic is linear in ``lam``; solved by SymPy).

    ``lam -> kappa`` is increasing from ``kappa_0 = max(gamma - 1, 0)`` (``lam = 0``) to infinity,
    so a statement for all ``lam >= 0`` is a statement for all ``kappa >= kappa_0``.

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.marchenko_pastur import lam_of_kappa
    >>> k, g = symbols('kappa gamma', positive=True)
    >>> lam_of_kappa(k, g)
    -kappa*(gamma - kappa - 1)/(kappa + 1)
    """
    L = Dummy("lam")
    (solution,) = solve(kappa_quadratic(kappa, L, gamma), L)
    return sympy.factor(solution)


def kappa_forms(lam, gamma, kappa):
    """``m(-lam)`` and ``m'(-lam)`` in terms of ``kappa = kappa_gamma(lam)``.

    ``m = kappa / (lam (1 + kappa))`` is the definition of ``kappa`` (``u = kappa/(1+kappa)``);
    ``m' = kappa^2 / (lam^2 ((1 + kappa)^2 - gamma))`` follows from the closed derivative (the test
    suite checks it symbolically).

    Returns
    -------
    dict
        Substitution ``{m(-lam): ..., m'(-lam): ...}`` for ``xreplace``.

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.marchenko_pastur import kappa_forms
    >>> l, g, k = symbols('lam gamma kappa', positive=True)
    >>> sorted(map(str, kappa_forms(l, g, k).values()))
    ['kappa**2/(lam**2*(-gamma + (kappa + 1)**2))', 'kappa/(lam*(kappa + 1))']
    """
    return {
        StieltjesMP(-lam, gamma): kappa / (lam * (1 + kappa)),
        StieltjesMPDerivative(-lam, gamma): kappa**2 / (lam**2 * ((1 + kappa) ** 2 - gamma)),
    }


def in_kappa(expr, lam, gamma, kappa):
    """Rewrite ``expr`` as a rational function of ``kappa`` (``lam`` eliminated through ``kappa``).

    Every ``m(-lam)``, ``m'(-lam)`` and ``lam`` is replaced by its expression in
    ``kappa = kappa_gamma(lam)``; the result is cancelled. Limits in ``lam`` become rational limits
    in ``kappa`` (``lam -> 0`` is ``kappa -> max(gamma - 1, 0)``, ``lam -> oo`` is ``kappa -> oo``).

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.marchenko_pastur import in_kappa, StieltjesMP, StieltjesMPDerivative
    >>> l, g, k = symbols('lam gamma kappa', positive=True)
    >>> in_kappa(StieltjesMP(-l, g) - l * StieltjesMPDerivative(-l, g), l, g, k)
    -1/(gamma - kappa**2 - 2*kappa - 1)
    """
    replaced = expr.xreplace(kappa_forms(lam, gamma, kappa))
    return sympy.factor(sympy.cancel(replaced.xreplace({lam: lam_of_kappa(kappa, gamma)})))


@lru_cache(maxsize=None)
def positivity_lemma():
    """SymPy proof that ``D = (1 + kappa)^2 - gamma > 0`` on the range of ``kappa``, hence the signs.

    ``kappa_gamma(lam)`` ranges over ``kappa > max(gamma - 1, 0)`` for ``lam > 0``. Writing
    ``gamma = 1/(1 + eta)`` (``gamma < 1``) or ``gamma = 1 + eta``, ``kappa = eta + eps``
    (``gamma >= 1``) with positive ``eta, eps, kappa``, the numerator of ``D`` expands into positive
    terms. With ``D > 0``: ``u = kappa/(1+kappa) > 0``, ``v = kappa^2/D > 0``, ``w = 1/D > 0`` and
    ``v - u^2 = gamma kappa^2 / (D (1 + kappa)^2) >= 0`` (checked by ``cancel``).

    Returns
    -------
    tuple of (str, bool)
        Each step and whether SymPy established it.

    Examples
    --------
    >>> from theory.marchenko_pastur import positivity_lemma
    >>> all(ok for _, ok in positivity_lemma())
    True
    """
    k, eta, eps, g, D = sympy.symbols("kappa eta epsilon gamma D", positive=True)
    denominator = (1 + k) ** 2 - g
    under = sympy.expand(sympy.numer(sympy.together(denominator.xreplace({g: 1 / (1 + eta)}))))
    over = sympy.expand(denominator.xreplace({g: 1 + eta, k: eta + eps}))
    u, v = k / (1 + k), k**2 / D
    gap = sympy.cancel((v - u**2 - g * k**2 / (D * (1 + k) ** 2)).xreplace(
        {D: denominator}))
    return (
        ("D > 0 for gamma < 1 (numerator expanded)", bool(under.is_positive)),
        ("D > 0 for gamma >= 1, kappa > gamma - 1", bool(over.is_positive)),
        ("u, v, w > 0 given D > 0", bool(u.is_positive and v.is_positive and (1 / D).is_positive)),
        ("v - u^2 = gamma kappa^2/(D (1+kappa)^2) >= 0", gap == 0),
    )
