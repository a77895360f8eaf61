"""pytest plugin (entry point ``w2s``): claims as Hypothesis-backed tests, and a CI profile.

In a test module::

    from proofs_check.pytest_plugin import claim_test

    test_theorem_5 = claim_test("ridge.over_regularised_teacher_never_beaten")
    test_my_conjecture = claim_test(my_claim)          # a proofs_check.Claim of your own

Each such test draws points of the claim's region with Hypothesis, decides the claim there as the
sampled route does (exact points; a failure only where the contradicting sign is established, also
at a raised precision), and fails with the shrunk counterexample. ``pytest --w2s-ci`` (or the
environment variable ``W2S_CI=1``) loads the ``w2s-ci`` Hypothesis profile: no deadline,
derandomised (so a fixed seed), no example database, every example printed on failure.

Examples
--------
>>> from proofs_check.pytest_plugin import claim_test
>>> test = claim_test("ridge.min_norm_student")
>>> test.__name__
'test_ridge_min_norm_student'
"""

from __future__ import annotations

import math
import os
from typing import Union

from hypothesis import HealthCheck, given, settings, target

from numerics import ParameterError
from numerics.validation import exact_text
from proofs_check.judge import Judge
from proofs_check.strategies import points
from theory.claims import Claim, claim as registered

__all__ = ["PROFILE", "claim_test"]

#: Name of the Hypothesis profile for CI.
PROFILE = "w2s-ci"

settings.register_profile(PROFILE, deadline=None, derandomize=True, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])


def claim_test(claim: Union[Claim, str], dps: int = 30):
    """A Hypothesis test function that checks ``claim`` at the points it draws.

    Parameters
    ----------
    claim : Claim or str
        A claim or a registered id.
    dps : int
        mpmath precision of the margins.

    Returns
    -------
    callable
        A test function (collected by pytest when bound to a ``test_*`` name).
    """
    c = registered(claim) if isinstance(claim, str) else claim
    judge = Judge(c, dps)

    @given(points(c))
    def test(point):
        try:
            verdict, worst, target_value, witness = judge(point)
        except ParameterError:  # a quantity is not finite at this point
            return
        if verdict != "ok" and verdict != "refuted":  # threshold, or sign not established
            return
        if math.isfinite(target_value):
            target(target_value)
        exact = {k: exact_text(v) for k, v in point.items()}
        assert verdict == "ok", (f"claim {c.id} refuted at {exact}"
                    + (f" (witness {c.witness}={witness})" if witness is not None else "")
                    + f"; worst margin {worst!r}")

    test.__name__ = "test_" + c.id.replace(".", "_")
    test.__doc__ = f"{c.id}: {c.statement} ({c.source})"
    return test


def pytest_addoption(parser):
    group = parser.getgroup("w2s", "w2s-theory claims")
    group.addoption("--w2s-ci", action="store_true", default=False,
                    help=f"load the {PROFILE} Hypothesis profile (no deadline, derandomised)")


def pytest_configure(config):
    if config.getoption("--w2s-ci", default=False) or os.environ.get("W2S_CI"):
        settings.load_profile(PROFILE)
