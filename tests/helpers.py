"""Independent numerical tools for the tests (no use of the theory's formulas)."""

import mpmath


def argmin_log(f, lo, hi, iterations=160):
    """Golden-section minimisation of a unimodal ``f`` over ``[lo, hi]`` on a log scale (mpmath)."""
    a, b = mpmath.log(lo), mpmath.log(hi)
    ratio = (mpmath.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(mpmath.exp(c)), f(mpmath.exp(d))
    for _ in range(iterations):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(mpmath.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(mpmath.exp(d))
    return mpmath.exp((a + b) / 2)
