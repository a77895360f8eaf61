"""The registry: declared parameters of derived quantities match what the derivation builds."""

import pytest

import theory
from theory import registry


@pytest.mark.parametrize("name", [n for n, q in registry._REGISTRY.items()
                                  if q.declared is not None])
def test_declared_parameters_are_those_of_the_built_expression(name):
    q = theory.get(name)
    built = {s.name for s in q.expr.free_symbols}
    assert set(q.declared) == built, (q.declared, built)


def test_listing_parameters_does_not_run_a_derivation():
    calls = []
    q = registry.Quantity("demo.derived", lambda: calls.append(1), "x", "demo",
                          declared=("gamma",))
    assert [p.name for p in q.parameters] == ["gamma"] and calls == []
