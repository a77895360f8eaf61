"""The pytest plugin as a user's CI would use it (a real pytest run through pytester)."""

pytest_plugins = ["pytester"]


def test_plugin_turns_claims_into_tests(pytester):
    pytester.makepyfile(test_user="""
        from sympy import Interval
        from proofs_check import Claim
        from proofs_check.pytest_plugin import claim_test
        from theory import quantity

        test_theorem_5 = claim_test("ridge.over_regularised_teacher_never_beaten")
        test_false = claim_test(Claim(quantity("mp.shrinkage_u") <= 0.9, id="mine.u_small",
                                      region={"lam": Interval(0, 1000), "gamma": Interval(0.1, 10)}))
    """)
    result = pytester.runpytest("--w2s-ci", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*claim mine.u_small refuted at*"])


def test_ci_profile_is_selected_by_environment(pytester, monkeypatch):
    monkeypatch.setenv("W2S_CI", "1")
    pytester.makepyfile(test_profile="""
        from hypothesis import settings
        def test_profile():
            assert settings().derandomize and settings().deadline is None
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
