"""The mechanisms' theory modules build no SymPy expression at import: their module attributes
and registered quantities are built on first use, and are the same expressions."""

import subprocess
import sys

import pytest
import sympy

from numerics import evaluate


def test_importing_the_mechanisms_builds_no_expression():
    # a fresh process: another test in this one may have built them already
    code = """
import theory.single_index as si, theory.spectral as sp, theory.multi_index as mi
from theory.registry import get
q = get("single_index.pgr_saturation")
assert [n for n in si._LAZY if n in vars(si)] == [], "single_index built at import"
assert [n for n in sp._LAZY if n in vars(sp)] == [], "spectral built at import"
assert mi._group.cache_info().currsize == 0, "multi_index built at import"
assert [p.name for p in q.parameters] == ["rho_w", "c1", "c2", "c3", "c4", "b1", "b2", "b3", "b4"]
assert "expr" not in q.__dict__, "listing the parameters built the expression"
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_lazy_attribute_is_the_registered_expression_and_has_its_value():
    from theory import single_index as si, spectral as sp
    from theory.registry import get

    assert si.risk == get("single_index.risk").expr
    assert sp.kappa == get("spectral.kappa").expr
    # phi(m) = 2 sum_j c_j^2 (1 - m^j) (Mehler's formula): 2 (1 - 1/2) + 2 (1 - 1/8) at
    # c1 = c3 = 1, m = 1/2
    at = {si.c[0]: 1, si.c[1]: 0, si.c[2]: 1, si.c[3]: 0, si.m: sympy.Rational(1, 2)}
    assert si.risk.xreplace(at) == sympy.Rational(11, 4)
    assert float(evaluate("single_index.risk", c1=1, c3=1, m="0.5")) == 2.75
    # kappa = rho_w eta1 + zeta_vw sqrt((1 - rho_w^2)(1 - eta1^2)) = 0.6*0.8 + 1*0.8*0.6
    assert float(evaluate("spectral.kappa", rho_w="0.6", eta1="0.8", zeta_vw=1)) == pytest.approx(
        0.96, rel=1e-15)


def test_an_unknown_attribute_is_still_an_attribute_error():
    from theory import multi_index as mi, single_index as si, spectral as sp

    for module in (si, sp):
        with pytest.raises(AttributeError, match="no attribute 'rissk'"):
            module.rissk
    assert not hasattr(mi, "rissk")
