"""Shared test settings: a deterministic Hypothesis profile for CI."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=30)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser):
    # The README's `pytest --w2s-ci` inside this repository: the plugin is disabled here
    # (pyproject's `-p no:w2s`), so accept its option; the derandomised profile is already loaded.
    parser.addoption("--w2s-ci", action="store_true", default=False,
                     help="derandomised Hypothesis profile (already the default in this suite)")
