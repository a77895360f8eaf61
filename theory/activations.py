r"""Activation functionals of a two-layer network: ``kappa(q)``, ``tau(q)``, ``chi(theta)``, ``Psi(c)``.

For ``g, xi, t`` iid standard Gaussians and an activation ``sigma`` (docs/mechanism-3.md)::

    kappa(q)  = E[sigma'(sqrt(q) g)]                 tau(q) = E[sigma'(sqrt(q) g)^2]
    m_theta(t) = E_xi[sigma'(xi + theta t)]          chi(theta) = E_t[m_theta(t)^2] / kappa(1+theta^2)^2
    Psi(c)    = E[c g^2 / (1 + c g^2)] = 1 - sqrt(pi/(2c)) e^{1/(2c)} erfc(1/sqrt(2c))

For the default activation ``erf(u/sqrt 2)`` the first three have closed forms
(``kappa = sqrt(2/(pi(1+q)))``, ``tau = 2/(pi sqrt(1+2q))``, ``chi = (2+theta^2)/(2 sqrt(1+theta^2))``);
for any other activation (``"tanh"``, ``"relu"``, or a SymPy expression in a variable) they are the
Gaussian integrals themselves, as SymPy ``Integral`` objects that :mod:`numerics` evaluates by mpmath
quadrature at any precision. ``Psi`` does not depend on the activation; it is the SymPy function
:class:`Psi`, evaluated in :mod:`numerics.primitives` in the non-overflowing form
``1 - sqrt(pi) x erfcx(x)``, ``x = 1/sqrt(2c)``.

Examples
--------
>>> from sympy import Symbol
>>> from theory.activations import kappa, tau, chi
>>> q = Symbol("q", positive=True)
>>> kappa(q), tau(q)
(sqrt(2)/(sqrt(pi)*sqrt(q + 1)), 2/(pi*sqrt(2*q + 1)))
>>> chi(1)
3*sqrt(2)/4
>>> kappa(1, "tanh").evalf(10)
0.6057055096
"""

from __future__ import annotations

import sympy
from sympy import Dummy, Function, Integral, exp, oo, pi, sqrt

__all__ = ["ACTIVATIONS", "derivative", "kappa", "tau", "chi", "Psi", "gaussian_expectation"]

_u = Dummy("u")
#: Named activations as expressions in ``u`` (erf is the default of docs/mechanism-3.md, with closed forms).
ACTIVATIONS = {
    "erf": sympy.erf(_u / sqrt(2)),
    "tanh": sympy.tanh(_u),
    "relu": sympy.Max(_u, 0),
}


def _sigma(activation):
    if isinstance(activation, str):
        try:
            return ACTIVATIONS[activation]
        except KeyError:
            raise ValueError(f"unknown activation {activation!r}; expected one of "
                             f"{', '.join(ACTIVATIONS)} or a SymPy Lambda") from None
    if isinstance(activation, sympy.Lambda) and len(activation.variables) == 1:
        return activation(_u)
    raise ValueError(f"an activation is a name ({', '.join(ACTIVATIONS)}) or a one-variable "
                     f"sympy.Lambda; got {activation!r}")


def derivative(activation="erf", order: int = 1) -> sympy.Lambda:
    """``sigma^{(order)}`` as a ``sympy.Lambda`` (ReLU's derivative is the step ``Piecewise``).

    Examples
    --------
    >>> from theory.activations import derivative
    >>> derivative("erf")(0)
    sqrt(2)/sqrt(pi)
    >>> derivative("relu")(-1), derivative("relu")(2)
    (0, 1)
    """
    sigma = _sigma(activation)
    if sigma.has(sympy.Max):  # d/du max(u, 0) = 1{u > 0}
        d = sympy.Piecewise((0, _u < 0), (1, True)) if order == 1 else sympy.S.Zero
    else:
        d = sympy.diff(sigma, _u, order)
    return sympy.Lambda(_u, d)


def gaussian_expectation(f, variable) -> Integral:
    """``E[f(g)]`` for ``g ~ N(0, 1)`` as an unevaluated ``Integral`` over the real line.

    Examples
    --------
    >>> from sympy import Dummy
    >>> from theory.activations import gaussian_expectation
    >>> g = Dummy("g")
    >>> gaussian_expectation(g**2, g).doit()
    1
    """
    return Integral(f * exp(-variable**2 / 2) / sqrt(2 * pi), (variable, -oo, oo))


def _closed(activation) -> bool:
    return isinstance(activation, str) and activation == "erf"


def kappa(q, activation="erf"):
    """``kappa(q) = E[sigma'(sqrt(q) g)]`` (closed form for erf, an ``Integral`` otherwise).

    Examples
    --------
    >>> from theory.activations import kappa
    >>> kappa(1)
    1/sqrt(pi)
    """
    if _closed(activation):
        return sqrt(2 / (pi * (1 + q)))
    g = Dummy("g")
    return gaussian_expectation(derivative(activation)(sqrt(q) * g), g)


def tau(q, activation="erf"):
    """``tau(q) = E[sigma'(sqrt(q) g)^2]`` (closed form for erf, an ``Integral`` otherwise).

    Examples
    --------
    >>> from theory.activations import tau
    >>> tau(1)
    2*sqrt(3)/(3*pi)
    """
    if _closed(activation):
        return 2 / (pi * sqrt(1 + 2 * q))
    g = Dummy("g")
    return gaussian_expectation(derivative(activation)(sqrt(q) * g) ** 2, g)


def chi(theta, activation="erf"):
    """``chi(theta) = E_t[m_theta(t)^2] / kappa(1+theta^2)^2``, ``m_theta(t) = E_xi[sigma'(xi+theta t)]``.

    ``chi >= 1`` (Jensen), with equality iff ``theta = 0``: the factor by which the shared
    coordinate ``<p, x>`` of a pre-trained student inflates the noise of its spectral spike.

    Examples
    --------
    >>> from theory.activations import chi
    >>> chi(0), chi(2)
    (1, 3*sqrt(5)/5)
    """
    if _closed(activation):
        return (2 + theta**2) / (2 * sqrt(1 + theta**2))
    xi, t = Dummy("xi"), Dummy("t")
    m = gaussian_expectation(derivative(activation)(xi + theta * t), xi)
    return gaussian_expectation(m**2, t) / kappa(1 + theta**2, activation) ** 2


class Psi(Function):
    r"""``Psi(c) = E[c g^2/(1 + c g^2)]``: the mean neuron cos^2 of a step of relative size ``c``.

    Increasing from ``Psi(0+) = 0`` to ``Psi(oo) = 1``; ``Psi'(c) = ((1-Psi)(1+c) - 1)/(2c^2)``.
    ``rewrite(sqrt)`` gives the erfc form (which overflows in floating point: numerics evaluates
    ``1 - sqrt(pi) x erfcx(x)``, ``x = 1/sqrt(2c)``).

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.activations import Psi
    >>> Psi(2).evalf(10)
    0.4543586392
    >>> Psi(Rational(1, 2)).rewrite(sympy.sqrt)
    -E*sqrt(pi)*erfc(1) + 1
    """

    nargs = 1

    @classmethod
    def eval(cls, c):
        """``Psi(0) = 0`` and ``Psi(oo) = 1``; otherwise unevaluated."""
        if c.is_zero:
            return sympy.S.Zero
        if c is oo:
            return sympy.S.One
        return None

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_nonnegative else None

    def fdiff(self, argindex=1):
        """``Psi'(c) = ((1 - Psi(c))(1 + c) - 1)/(2 c^2)``."""
        c = self.args[0]
        return ((1 - self) * (1 + c) - 1) / (2 * c**2)

    def _eval_rewrite_as_sqrt(self, c, **kwargs):
        return 1 - sqrt(pi / (2 * c)) * exp(1 / (2 * c)) * sympy.erfc(1 / sqrt(2 * c))

    def _eval_evalf(self, prec):
        c = self.args[0]
        if not c.is_number:
            return None
        dps = sympy.core.evalf.prec_to_dps(prec)
        extra = 10 + max(0, -int(sympy.floor(sympy.log(c.evalf(15), 10))))  # cancellation ~ 1/c
        return self.rewrite(sqrt).evalf(dps + extra)._eval_evalf(prec)

    def _eval_is_positive(self):
        return True if self.args[0].is_positive else None

    def _latex(self, printer):
        return r"\Psi\left(%s\right)" % printer._print(self.args[0])
