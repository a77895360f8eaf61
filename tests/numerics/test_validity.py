"""A quantity valid on part of its parameters' domains says so: evaluating it elsewhere is a
clear error (never a complex number or a NaN with exit 0)."""

import numpy as np
import pytest

import theory
from numerics import ParameterError, evaluate, vectorize
from proofs_check.cli import run

BOUND = "weighted_ridge.weak_alignment_bound"
POINT = {"gamma_t": "1/2", "sigma2": 1, "s": 1}


def test_the_weak_alignment_bound_needs_an_over_parameterised_student():
    # sqrt((1 - 1/gamma_s) B / (2 c r2 (1 - u_t))) at the optimal teacher: real for gamma_s > 1
    assert float(evaluate(BOUND, POINT, gamma_s=2)) == pytest.approx(2 ** -0.5)
    for gamma_s in ("1/2", "1"):
        with pytest.raises(ParameterError, match=r"defined only where gamma_s > 1; got "
                                                 r"gamma_s = " + gamma_s):
            evaluate(BOUND, POINT, gamma_s=gamma_s)


def test_vectorize_names_the_element_outside():
    f = vectorize(BOUND)
    # only the factor (1 - 1/gamma_s) depends on gamma_s, and the rest is 1 at this teacher
    assert np.allclose(f(gamma_s=np.array([2.0, 4.0]), gamma_t=0.5, sigma2=1.0, s=1.0),
                       [0.5 ** 0.5, 0.75 ** 0.5])
    with pytest.raises(ParameterError, match=r"gamma_s = 0.5 \(element 1\)"):
        f(gamma_s=np.array([2.0, 0.5]), gamma_t=0.5, sigma2=1.0, s=1.0)


def test_the_command_line_exits_2_with_one_line(capsys):
    assert run(["eval", BOUND, "gamma_s=0.5", "gamma_t=0.5", "sigma2=1", "s=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gamma_s > 1" in err


def test_validity_uses_only_the_quantitys_own_parameters():
    for name in theory.names():
        q = theory.get(name)
        own = {p.name for p in q.parameters}
        for relation in q.valid:
            assert {s.name for s in relation.free_symbols} <= own, (name, relation)


def test_a_parameter_given_twice_is_refused():
    with pytest.raises(ParameterError, match="parameter gamma_t given twice"):
        evaluate("ridge.optimal_lambda", {"gamma_t": "0.5", "sigma2": 1}, gamma_t="0.25")


def test_vectorize_refuses_complex_input_for_a_real_parameter():
    f = vectorize("ridge.optimal_lambda")
    with pytest.raises(ParameterError, match=r"gamma_t must be real .*got \(0.5\+1j\) at index 1"):
        f(gamma_t=np.array([0.5, 0.5 + 1j]), sigma2=1.0)
    # a complex array with zero imaginary parts is a real input
    assert f(gamma_t=np.array([0.5 + 0j]), sigma2=1.0).tolist() == [0.5]
