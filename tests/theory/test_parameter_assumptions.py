"""Each parameter's SymPy assumptions agree with its domain: a parameter whose domain contains 0
is not declared positive (a proof could otherwise use a sign the parameter does not have)."""

import sympy

from theory.catalogue import load
from theory.symbols import parameters


def test_assumptions_agree_with_domains():
    load()
    wrong = []
    for name, p in parameters().items():
        domain = p.domain
        if domain == sympy.S.Complexes or not isinstance(domain, sympy.Interval):
            continue
        if p.is_positive and domain.contains(0) is sympy.true:
            wrong.append(f"{name}: positive, but its domain {domain} contains 0")
        if p.is_nonnegative and domain.inf < 0:
            wrong.append(f"{name}: nonnegative, but its domain {domain} has negative values")
        if p.is_real is False:
            wrong.append(f"{name}: not real, but its domain {domain} is real")
    assert not wrong, wrong


def test_zero_regularisation_is_in_the_symbol_domain():
    from theory.symbols import lam_s, lam_t, sigma2

    assert all(s.is_nonnegative and s.is_positive is None for s in (lam_t, lam_s, sigma2))
