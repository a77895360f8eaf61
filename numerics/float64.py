"""The float64 code of a stable form: common subexpressions kept, and a running error bound.

:func:`numerics.vectorize` compiles a quantity's stable form (:mod:`numerics.stable`) for NumPy.
Two things are added here.

**Sums stay whole under common-subexpression elimination.** Every sum is wrapped in an opaque
:class:`HeldSum` before :func:`sympy.cse`, so a repeated sum (the denominator of mechanism 3 appears
five times in its stable forms) is computed once, while no *part* of a sum is taken out: the
printer still sees all of a sum's terms and adds the terms made of parameters alone first
(``(1 - gamma) + (1 + gamma) kappa``, which keeps ``kappa`` next to 1). A factor common to
several terms is taken out of them (:func:`hold_sums`), and the code is printed to hold few
arrays at once (:func:`freeing_temporaries`, compound factors of a product first, products of
subexpressions used once computed early): on large arrays the peak memory is most of the time.

**Each value carries a bound on its rounding error.** :func:`error_bound` builds, from the same
expression, a first-order bound ``B`` (in units of the float64 roundoff ``u = 2**-53``) on the
relative error of the float64 evaluation, by the rules of running error analysis (Higham,
*Accuracy and Stability of Numerical Algorithms*, section 3.3):

* a parameter is exact (``B = 0``), a constant that is not a binary fraction is rounded (``1``);
* a product or quotient adds its factors' bounds (and one rounding per operation); a power
  ``x**k`` multiplies by ``|k|``, a square root halves;
* a sum whose terms are known to share a sign (SymPy's assumptions and the signs of the
  primitives) adds one rounding per term to the largest of the terms' bounds; any other sum is
  charged its cancellation: ``(sum |t_i| B_i + (n - 2) sum |t_i|) / |sum t_i| + 1`` (with
  ``max B_i`` for every ``B_i`` where they are all numbers: fewer operations);
* a function of an inexact argument passes the argument's bound on (condition 1: ``kappa`` and
  the primitives are at most that sensitive) and adds its own few roundings.

Where every sum is of one sign the bound is a number, known before any evaluation, and nothing
is computed at run time. Where ``B`` depends on the point only through the ratios
``r_j = sum |t_i| / |sum t_i|`` of the cancelling sums (it grows with each), the code returns
each ratio's largest value over the batch, and ``B`` at those values, one number, bounds every
point's bound (:class:`RatioChecked`; a sum whose sign SymPy does not know is taken
nonnegative and its least value checked). Otherwise, or where that number is too large, ``B``
is compiled with the value (sharing its subexpressions) and computed at each point, and
:func:`numerics.vectorize` recomputes with :func:`numerics.evaluate` the points where ``B u``
exceeds :data:`TOLERANCE` (a cancellation the stable form could not remove).

Examples
--------
>>> from theory.symbols import lam_t, gamma_t
>>> from numerics.float64 import error_bound
>>> error_bound(lam_t * gamma_t + 2)       # terms of one sign: a number
2
>>> error_bound(1 - gamma_t**2)           # may cancel: a bound of the point
(gamma_t**2 + 1)/Abs(gamma_t**2 - 1) + 1
"""

from __future__ import annotations

import math

import numpy as np
import sympy
from sympy import Abs, Add, Function, Piecewise, S

from numerics.float64_blocks import in_blocks
from numerics.float64_bounds import (UNIT, HeldPower, HeldProduct, HeldSum, largest_ratio,
                                     one_sign, running_bound, sign)

__all__ = ["HeldSum", "RatioChecked", "TOLERANCE", "error_bound", "hold_sums", "cse_keeping_sums", "sign",
           "compile_numpy"]

#: Relative accuracy :func:`numerics.vectorize` guarantees: a point whose error bound exceeds
#: it is recomputed at high precision.
TOLERANCE = 1e-11
def _fixed(term) -> bool:
    """A term made of parameters and numbers alone (no primitive): exact or nearly so."""
    return not any(not isinstance(f, (HeldPower, HeldProduct))
                   for f in term.atoms(sympy.Function))


def _gathered(factors):
    """``factors`` of a product with their common integer exponent taken out: ``[c, b**k]``
    for ``c * prod(b_i**(k k_i))`` (``k > 1``, two or more bases), else ``None``."""
    numbers = [f for f in factors if f.is_Number]
    powers = [f.as_base_exp() for f in factors if not f.is_Number]
    if len(powers) < 2 or not all(k.is_Integer for _, k in powers):
        return None
    common = 0
    for _, k in powers:
        common = math.gcd(common, int(k))
    if common < 2 or common > 8:
        return None
    base = sympy.Mul(*[b if k == common else sympy.Pow(b, k // common, evaluate=False)
                       for b, k in powers], evaluate=False)
    return numbers + [HeldPower(base, common)]


def hold_sums(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with every ``Add`` node replaced by an opaque :class:`HeldSum` of the same terms, the
    terms made of parameters alone (no primitive) summed first in a :class:`HeldSum` of their own.

    Two rewritings cut operations and temporaries, as a person writing the formula would: a
    factor common to two or more terms of a sum is taken out of them (``a b + a c + d`` is
    ``a (b + c) + d``), and terms of one known sign shared by two sums are summed once
    (:func:`_shared_parts`). Neither changes a sum's cancellation: a common factor leaves the
    ratio ``sum |t_i| / |sum t_i|`` as it is, and only terms of one sign are regrouped.

    The grouping is the evaluation order: ``gamma kappa - gamma + kappa + 1`` left to right,
    ``((gamma kappa - gamma) + kappa) + 1``, loses ``kappa`` next to 1 (at ``gamma = 1``,
    ``lam = 1e-29`` the float64 ``1 - 2u + v`` was 2% off); ``(1 - gamma) + (gamma kappa +
    kappa)`` does not. :func:`error_bound` charges the grouped sum as evaluated.

    Examples
    --------
    >>> from theory.symbols import gamma, lam
    >>> from theory.marchenko_pastur import EffectiveRegularization
    >>> k = EffectiveRegularization(lam, gamma)
    >>> hold_sums(1 - gamma + k + gamma * k)
    HeldSum(HeldSum(1, -gamma), HeldSum(1, gamma)*kappa(lam, gamma))
    """
    return _shared_parts(_hold(expr))


def _hold(expr: sympy.Expr, done=None) -> sympy.Expr:
    """:func:`hold_sums` before the sharing of common parts of sums (``done``: the
    subexpressions held so far, each held once)."""
    if expr.is_Atom:
        return expr
    done = {} if done is None else done
    found = done.get(expr)
    if found is None:
        found = done[expr] = _hold_node(expr, done)
    return found


def _hold_node(expr, done):
    if expr.is_Add:
        factored = _factored(expr)
        if factored is not None:
            return _hold(factored, done)
    args = [_hold(a, done) for a in expr.args]
    if expr.is_Add:
        fixed = [a for a in args if _fixed(a)]
        rest = [a for a in args if not _fixed(a)]
        if len(fixed) > 1 and rest:
            return HeldSum(HeldSum(*fixed), *rest)
        return HeldSum(*args)
    if isinstance(expr, Piecewise):
        return Piecewise(*[(e, c) for e, c in args], evaluate=False)
    if isinstance(expr, sympy.Basic) and not isinstance(expr, sympy.Expr):
        return expr.func(*args)
    if expr.is_Mul:
        gathered = _gathered(args)
        return sympy.Mul(*(gathered or args), evaluate=False)
    return expr.func(*args, evaluate=False) if expr.is_Pow else expr.func(*args)


def _factored(add):
    """``add`` with a factor common to two or more of its terms taken out of them, or ``None``.

    The factor is a power of a base found in the most terms (integer or rational exponents of
    one sign), with the other bases those terms share and their numeric coefficient if they
    all have the same one (``-2 c1**2 (m - 1) - 2 c2**2 (m - 1)`` is
    ``-2 (m - 1) (c1**2 + c2**2)``). Not where the terms taken together (a part of the sum) may
    cancel more than the sum: ``2 + zeta/2 - zeta**4`` is not ``2 + zeta (1/2 - zeta**3)``,
    whose inner sum vanishes at ``zeta = 2**(-1/3)``."""
    terms = add.args
    powers = [t.as_powers_dict() for t in terms]
    count: dict = {}
    for d in powers:
        for base, k in d.items():
            if not base.is_Number and k.is_Rational:
                count[base] = count.get(base, 0) + 1
    shared = [b for b, c in count.items() if c >= 2]
    group, common = list(range(len(terms))), []
    if shared:
        pick = max(shared, key=lambda b: (count[b], sympy.default_sort_key(b)))
        group = [i for i, d in enumerate(powers) if pick in d]
    for base, k in powers[group[0]].items() if shared else ():
        exponents = [powers[i].get(base) for i in group]
        if base.is_Number or any(e is None or not e.is_Rational for e in exponents):
            continue
        if all(e > 0 for e in exponents):
            common.append(sympy.Pow(base, min(exponents)))
        elif all(e < 0 for e in exponents):
            common.append(sympy.Pow(base, max(exponents)))
    numbers = {terms[i].as_coeff_Mul()[0] for i in group}
    number = numbers.pop() if len(numbers) == 1 and len(group) > 1 else S.One
    number = S.One if abs(number) == 1 else number  # a sign stays with its term
    if not common and number == 1:
        return None
    bases = sympy.Mul(*common)
    inner = sympy.Add(*[terms[i] / number / bases for i in group])
    factor = sympy.Mul(number, bases, evaluate=False) if number != 1 and common else (
        bases if number == 1 else number)
    rest = [t for i, t in enumerate(terms) if i not in group]
    if rest and inner.is_Add and not one_sign(inner.args) \
            and not (len(inner.args) == 2 and all(running_bound(t) == 0 for t in inner.args)) \
            and largest_ratio(HeldSum(*inner.args)) is None:
        return None  # a part of the sum that may cancel where the whole did not
    if factor.is_Mul:  # kept whole: no part of it meets the product around the sum
        factor = HeldProduct(factor)
    taken = sympy.Mul(factor, inner, evaluate=False)
    return sympy.Add(taken, *rest, evaluate=False) if rest else taken


def _shared_parts(held):
    """``held`` with the terms two sums share, of one known sign (two or more), summed once in a
    :class:`HeldSum` of their own that both sums take as a term: ``ch2**2 + ch3**2 + sigma2``
    inside an energy and again in a risk is computed once, and its parts freed early."""
    for _ in range(8):
        sums = sorted({e for e in sympy.preorder_traversal(held) if isinstance(e, HeldSum)},
                      key=sympy.default_sort_key)
        found = None
        for i, a in enumerate(sums):
            for b in sums[i + 1:]:
                common = set(a.args) & set(b.args)
                if len(common) < 2 or len(common) == len(a.args) == len(b.args):
                    continue
                part = sorted(common, key=list(a.args).index)
                if one_sign(part) and one_sign(a.args) and one_sign(b.args):
                    found = (a, b, part)
                    break
            if found:
                break
        if found is None:
            return held
        a, b, part = found
        whole = next((s for s in (a, b) if set(s.args) == set(part)), HeldSum(*part))
        held = held.xreplace({s: HeldSum(whole, *[t for t in s.args if t not in part])
                              for s in (a, b) if s is not whole})
    return held


def cse_keeping_sums(exprs):
    """:func:`sympy.cse` of ``exprs`` (an expression or a tuple) with sums held whole.

    Examples
    --------
    >>> from sympy import sqrt
    >>> from theory.symbols import gamma, lam
    >>> cse_keeping_sums(sqrt(1 + lam) + gamma / (1 + lam))
    ([(x0, HeldSum(1, lam))], HeldSum(sqrt(x0), gamma/x0))
    >>> cse_keeping_sums(1 / (1 + lam) + gamma / (1 + lam)**2)   # the common factor taken out
    ([(x0, 1/HeldSum(1, lam))], x0*HeldSum(1, gamma*x0))
    """
    held = tuple(hold_sums(e) for e in exprs) if isinstance(exprs, tuple) else hold_sums(exprs)
    return _cse_held(held)


def _cse_held(held):
    """:func:`cse_keeping_sums` of expressions already through :func:`hold_sums`."""
    return _hoisted(*sympy.cse(held, list=False))


def _hoisted(replacements, reduced):
    """The product of common subexpressions used nowhere else in the result, taken out of a
    product there as one more subexpression: in ``s*x5*x6`` (``x5``, ``x6`` not used elsewhere
    in the result), ``x5*x6`` is computed before the result and ``x5``, ``x6`` are freed
    (:func:`freeing_temporaries`) before ``s`` is: one array fewer held at once."""
    defined = {symbol for symbol, _ in replacements}
    outputs = reduced if isinstance(reduced, tuple) else (reduced,)
    uses: dict = {}
    for e in outputs:
        for node in sympy.preorder_traversal(e):
            if node.is_Symbol and node in defined:
                uses[node] = uses.get(node, 0) + 1
    taken = set(sympy.Tuple(*outputs).free_symbols) | defined
    extra = []

    def hoist(product):
        index = len(defined) + len(extra)
        while sympy.Symbol(f"x{index}") in taken:
            index += 1
        name = sympy.Symbol(f"x{index}")
        taken.add(name)
        extra.append((name, product))
        return name

    def visit(e):
        if e.is_Atom:
            return e
        args = [visit(a) for a in e.args]
        if any(new is not old for new, old in zip(args, e.args)):
            e = e.func(*args, evaluate=False) if e.is_Mul else e.func(*args)
        if e.is_Mul:
            alone = [a for a in e.args if a in uses and uses[a] == 1]
            others = [a for a in e.args if not (a in uses and uses[a] == 1)]
            if len(alone) >= 2 and any(not a.is_Number for a in others):
                return sympy.Mul(*others, hoist(sympy.Mul(*alone, evaluate=False)),
                                 evaluate=False)
        if isinstance(e, HeldProduct) and e.args[0].is_Mul and len(e.args[0].args) >= 2 \
                and all(uses.get(a) == 1 for a in e.args[0].args):
            return hoist(e.args[0])
        return e

    new = tuple(visit(e) for e in outputs)
    return replacements + extra, new if isinstance(reduced, tuple) else new[0]


def error_bound(expr: sympy.Expr) -> sympy.Expr:
    """A first-order bound, in units of ``2**-53``, on the relative rounding error of ``expr``.

    See the module docs for the rules. The result is a number when no sum can cancel.

    Parameters
    ----------
    expr : sympy.Expr
        An expression as :func:`numerics.vectorize` compiles it (a stable form).

    Returns
    -------
    sympy.Expr
        ``B >= 0`` such that the float64 value is within about ``B 2**-53`` (relative) of the
        exact value of ``expr`` at the same float64 inputs.

    Examples
    --------
    >>> from theory.symbols import gamma, lam
    >>> error_bound(lam / (1 + gamma))   # 1 + gamma, its reciprocal, the product: conservative
    3
    """
    return running_bound(hold_sums(expr))


def _cancelling_sums(held) -> dict:
    """The sums of ``held`` (an expression through :func:`hold_sums`) whose terms do not share
    a known sign and whose bound grows with their cancellation, innermost first:
    ``{sum: (sign, taken)}``, the sign :func:`sign` knows (``taken`` false) or else ``1``, taken
    (``taken`` true: to be checked at run time), the signs of the inner ones taken into account.

    The difference of two exact numbers (``1 - gamma``) is left out: it has one rounding
    whatever it cancels (its bound is 1), and its sign is left unknown."""
    found: dict = {}
    signs: dict = {}

    def walk(e):
        for a in e.args:
            walk(a)
        if isinstance(e, HeldSum) and e not in found and not one_sign(e.args, signs):
            if len(e.args) <= 2 and all(running_bound(t) == 0 for t in e.args) \
                    or largest_ratio(e) is not None:
                return
            known = sign(e, signs)
            found[e] = (known or 1, not known)
            signs[e] = known or 1

    walk(held)
    return found


def _magnitude(term):
    """``|term|``, without ``Abs`` where the sign of ``term`` is known."""
    known = sign(term)
    return known * term if known else Abs(term)


class Least(Function):
    """The least element of an array (printed as NumPy's ``amin``)."""


class Greatest(Function):
    """The greatest element of an array (printed as NumPy's ``amax``)."""


class RatioChecked:
    """The float64 function of a stable form whose rounding-error bound ``B`` depends on the
    point only through the ratios ``r_j = sum |t_i| / |sum t_i|`` of its cancelling sums: it
    returns ``(value, B)`` with ``B`` one number bounding every point's bound.

    ``B`` is monotone in each ``r_j`` (a sum of products of nonnegative terms), so ``B`` at the
    largest ratio of each sum bounds every point's bound; a sum's sign, where :func:`sign` does
    not know it, is taken (nonnegative) and checked: its least value must be ``>= 0``. Where
    the check fails or ``B`` exceeds :data:`TOLERANCE` (a point with a cancellation), the
    point-wise bound is computed (``full``, compiled on first need), so the points to recompute
    are found as before.

    Examples
    --------
    >>> import numpy as np
    >>> from theory.symbols import gamma
    >>> f, checked = compile_numpy(1 - gamma**2, [gamma], {})
    >>> value, bound = f(np.array([0.0, 0.5]))   # ratio (1 + g**2)/(1 - g**2), largest 5/3
    >>> value, float(bound)
    (array([1.  , 0.75]), 2.666666666666667)
    >>> f(np.array([0.5, 2.0]))[1]               # both signs: the bound at each point
    array([2.66666667, 2.66666667])
    """

    def __init__(self, fast, taken: int, bound, full):
        self.fast, self.taken, self.bound, self._full, self._compiled_full = (fast, taken, bound,
                                                                               full, None)

    def full(self):
        if self._compiled_full is None:
            self._compiled_full = self._full()
        return self._compiled_full

    def __call__(self, *args):
        value, *checks = self.fast(*args)
        if np.iscomplexobj(value) or any(np.iscomplexobj(c) for c in checks):
            return self.full()(*args)  # no signs, no ratios to take over a complex batch
        if all(least >= 0 for least in checks[:self.taken]):  # a NaN fails this too
            bound = self.bound(*(float(r) for r in checks[self.taken:]))
            if bound * UNIT <= TOLERANCE:
                return value, bound
        return self.full()(*args)


def _printer(functions):
    """NumPy printer of a :class:`HeldSum` (its terms in order, grouped by :func:`hold_sums`) and of
    small integer powers as products."""
    from sympy.printing.numpy import NumPyPrinter

    class Grouping(NumPyPrinter):
        def _print_HeldSum(self, expr):
            return "(%s)" % " + ".join(self._print(a) for a in expr.args).replace("+ -", "- ")

        def _print_Mul(self, expr):
            # compound factors first: ``(a + b)*x*y`` multiplies the sum's temporary array in
            # place (NumPy reuses a temporary), where ``x*y*(a + b)`` holds one more array
            args = sorted(expr.as_ordered_factors(),
                          key=lambda a: 0 if a.is_Number else (2 if a.is_Symbol else 1))
            order, self._settings["order"] = self._settings.get("order"), "none"
            try:
                return super()._print_Mul(sympy.Mul(*args, evaluate=False))
            finally:
                self._settings["order"] = order

        def _print_Least(self, expr):
            return "amin(%s)" % self._print(expr.args[0])

        def _print_Greatest(self, expr):
            return "amax(%s)" % self._print(expr.args[0])

        def _print_HeldProduct(self, expr):
            return "(%s)" % self._print(expr.args[0])

        def _print_HeldPower(self, expr):
            return self._print_Pow(sympy.Pow(*expr.args, evaluate=False))

        def _print_And(self, expr):
            # logical_and.reduce((a, b)) fails when a is a scalar and b an array
            out = self._print(expr.args[-1])
            for a in reversed(expr.args[:-1]):
                out = "logical_and(%s, %s)" % (self._print(a), out)
            return out

        def _print_Pow(self, expr, rational=False):
            # x**3 by NumPy's power is ten times slower than x*x*x (and no more accurate)
            k = expr.exp
            if k.is_Integer and 2 <= abs(int(k)) <= 8:
                base = self.parenthesize(expr.base, sympy.printing.precedence.PRECEDENCE["Mul"])
                product = "(%s)" % "*".join([base] * abs(int(k)))
                return product if k > 0 else "(1/%s)" % product
            if k == -1:
                return "(1/%s)" % self.parenthesize(expr.base,
                                                    sympy.printing.precedence.PRECEDENCE["Mul"])
            return super()._print_Pow(expr, rational=rational)

    return Grouping({"fully_qualified_modules": False, "inline": True,
                     "allow_unknown_functions": True,
                     "user_functions": {k: k for k in functions}})


def compile_numpy(form: sympy.Expr, args, functions: dict):
    """``(f, checked)``: the float64 function of ``form`` (a stable form) and whether it
    returns ``(value, bound)`` (the bound is needed at run time) or the value alone.

    ``None`` instead of ``f`` for a form NumPy cannot evaluate (a quadrature, ``Integral``).

    Examples
    --------
    >>> from theory.symbols import gamma, lam
    >>> f, checked = compile_numpy(1 - gamma**2, [gamma], {})
    >>> value, bound = f(0.5)
    >>> checked, value, float(bound)
    (True, 0.75, 2.666666666666667)
    """
    if form.has(sympy.Integral):
        return None, False
    held = hold_sums(form)
    sums = _cancelling_sums(held)
    rhos = {e: sympy.Dummy("rho", positive=True) for e in sums}
    bound = running_bound(held, {e: (s, rhos[e]) for e, (s, _) in sums.items()})

    def compiled(target):
        return freeing_temporaries(sympy.lambdify(
            args, target, modules=[functions, "numpy"], cse=_cse_held,
            printer=_printer(functions)))

    if bound.is_Number:
        if float(bound) * UNIT > TOLERANCE:
            raise ValueError(f"the float64 form of {form} has a rounding-error bound of {bound}"
                             f" ulp")
        return in_blocks(compiled(held)), False

    def pointwise():
        return in_blocks(compiled((held, running_bound(held))), kinds=("array", "array"))

    if not bound.free_symbols <= set(rhos.values()):  # a bound at each point
        return pointwise(), True
    taken = [e for e, (_, t) in sums.items() if t]
    ratios = [Greatest(Add(*[_magnitude(t) for t in e.args]) / (s * e))
              for e, (s, _) in sums.items()]
    fast = in_blocks(compiled((held, *[Least(e) for e in taken], *ratios)),
                     kinds=("array", *["min"] * len(taken), *["max"] * len(ratios)))
    return RatioChecked(fast, len(taken), sympy.lambdify(list(rhos.values()), bound, "math"),
                        pointwise), True


def freeing_temporaries(f):
    """``f`` (a function made by :func:`sympy.lambdify`) with each common subexpression deleted
    after its last use, as a careful hand-written NumPy function does: lambdify keeps every
    one alive until the return, so the peak memory grows with the number of subexpressions.

    Examples
    --------
    >>> import inspect
    >>> from sympy import exp, lambdify, sqrt, symbols
    >>> x = symbols("x")
    >>> f = lambdify([x], sqrt(x + 1) * exp(x + 1) + sqrt(x + 1) + exp(x + 1), cse=True)
    >>> g = freeing_temporaries(f)
    >>> print(inspect.getsource(g).strip())
    def _lambdifygenerated(x):
        x0 = x + 1
        x1 = exp(x0)
        x2 = sqrt(x0)
        del x0
        return x1 * x2 + x1 + x2
    >>> float(g(0.0)) == float(f(0.0))
    True
    """
    import ast
    import inspect
    import linecache

    source = inspect.getsource(f)
    tree = ast.parse(source)
    function = tree.body[0]
    temporaries = {target.id for statement in function.body if isinstance(statement, ast.Assign)
                   for target in statement.targets if isinstance(target, ast.Name)}
    last = {}
    for index, statement in enumerate(function.body):
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and node.id in temporaries:
                last[node.id] = index
    body = []
    for index, statement in enumerate(function.body):
        body.append(statement)
        dead = sorted(n for n, at in last.items() if at == index)
        if dead and not isinstance(statement, ast.Return):
            body.append(ast.Delete(targets=[ast.Name(n, ast.Del()) for n in dead]))
    function.body = body
    text = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    filename = f"<freeing {f.__code__.co_filename}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = f.__globals__
    exec(compile(text, filename, "exec"), namespace)  # noqa: S102  (code printed by SymPy)
    out = namespace[function.name]
    out.__doc__ = f.__doc__
    return out
