"""The same input discipline in the Python API and in every command.

Bad input is one clear error naming the parameter and the allowed range: a ``ValueError`` or
``TypeError`` in Python, and on the command line exit code 2 with exactly one line on standard
error (``w2s: error: ...``), never a traceback, an internal error, a hang or a wrong verdict.
Each row below was once accepted (or failed badly); every case is cheap (no simulation runs).
"""

import pytest
import sympy
from sympy import Interval, oo

from proofs_check import check
from proofs_check.cli import run
from theory import quantity
from theory.claims import Claim

U = quantity("mp.shrinkage_u")
#: A false claim: shrinkage_u reaches 1 (``lam -> oo``), so ``u <= 1/2`` is refuted.
FALSE = Claim(U <= sympy.Rational(1, 2))
RIDGE = ["lam_t=0.1", "lam_s=0.1", "gamma_t=0.5", "gamma_s=0.5", "sigma2=1"]
SINGLE = ["spike=1", "gamma_u=0.25", "eta1=0.45", "rho_w=0.9", "c3=1", "b1=0.5", "b3=1"]

# (argv, words the one error line must contain)
CLI = [
    (["simulate", "ridge", *RIDGE, "--d", "20", "--seed", "-1"], ["--seed", "-1", "x>=0"]),
    (["simulate", "single_index", *SINGLE, "steps=5", "--d", "20", "--seed", "-1"],
     ["--seed", "-1", "x>=0"]),
    (["simulate", "ridge", *RIDGE, "--d", "20", "--reps", "1"], ["--reps", "1", "x>=2"]),
    (["simulate", "single_index", *SINGLE, "steps=5", "--d", "20", "--reps", "1"],
     ["--reps", "1", "x>=2"]),
    (["simulate", "multi_index", "--d", "20", "--reps", "1"], ["--reps", "x>=2"]),
    (["simulate", "weighted_ridge", "--d", "20", "--reps", "0"], ["--reps", "x>=2"]),
    (["simulate", "single_index", *SINGLE, "steps=1000000000000", "--d", "20"],
     ["steps", "1000000", "10^6"]),
    (["simulate", "single_index", *SINGLE, "steps=10^12", "--d", "20"], ["steps", "10^6"]),
    (["simulate", "single_index", *SINGLE, "steps=-1", "--d", "20"], ["steps", "[0, 1000000]"]),
    # --d: each model names its own minimum (ridge 2, single_index 4, multi_index 8)
    (["simulate", "ridge", *RIDGE, "--d", "0"], ["d must be an integer >= 2", "0"]),
    (["simulate", "ridge", *RIDGE, "--d", "-3"], ["d must be an integer >= 2", "-3"]),
    (["simulate", "ridge", *RIDGE, "--d", "1"], ["d must be an integer >= 2", "1"]),
    (["simulate", "single_index", *SINGLE, "--d", "3"], ["d must be an integer >= 4", "3"]),
    (["simulate", "ridge", *RIDGE, "--d", "20", "--jobs", "0"], ["--jobs", "0", "x>=1"]),
    (["sweep", "ridge", "gamma_t=0.5", "--d", "20", "--seed", "-1"], ["--seed", "-1", "x>=0"]),
    (["sweep", "ridge", "gamma_t=0.5", "--d", "20", "--reps", "1"], ["--reps", "1", "x>=2"]),
    (["sweep", "ridge", "gamma_t=0.5", "--d", "0"], ["d must be an integer >= 2", "0"]),
    (["sweep", "ridge", "gamma_t=0.5", "--d", "20", "--jobs", "0"], ["--jobs", "x>=1"]),
    (["verify", "ridge.min_norm_student", "--seed", "-1"], ["--seed", "-1", "x>=0"]),
    (["verify", "ridge.min_norm_student", "--dps", "14"], ["--dps", "14", "15<=x<=1000"]),
    (["verify", "ridge.min_norm_student", "--dps", "1001"], ["--dps", "15<=x<=1000"]),
    (["verify", "ridge.min_norm_student", "--examples", "0"], ["--examples", "0", "x>=1"]),
    (["verify", "ridge.min_norm_student", "--mc", "3"], ["--mc", "3"]),
    (["verify", "ridge.min_norm_student", "--jobs", "0"], ["--jobs", ">= 1"]),
    (["pgr", "--synthetic", "logistic", "-o", "unused.csv", "--seed", "-1"],
     ["--seed", "-1", "x>=0"]),
    (["latex", "ridge.teacher_risk", "--inline", "--align"], ["--inline", "--align"]),
    (["latex", "--document", "--inline"], ["--inline", "--document"]),
    (["latex", "--document", "--align"], ["--align", "--document"]),
    (["latex", "--document", "--form", "explicit"], ["--form", "--document"]),
]


@pytest.mark.parametrize("argv, words", CLI, ids=[" ".join(a) for a, _ in CLI])
def test_command_line_refuses_with_one_line(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a sweep that wrongly started would write here
    assert run(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("w2s: error: ")
    assert "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert captured.out == ""
    assert not list(tmp_path.iterdir())


def test_help_states_the_ranges(capsys):
    assert run(["simulate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "steps=N (at most 10^6)" in text
    for option, shown in (("--reps", "x>=2"), ("--seed", "x>=0")):
        assert option in text and shown in text


def test_latex_styles_unchanged(capsys):
    """One style at a time still prints as before."""
    assert run(["latex", "ridge.optimal_lambda", "--inline"]) == 0
    assert capsys.readouterr().out == "$\\lambda^\\star = \\frac{\\sigma^2 \\gamma_t}{r^2}$\n"
    assert run(["latex", "ridge.teacher_risk", "--align"]) == 0
    assert capsys.readouterr().out.startswith("\\begin{")


# (keyword arguments of check, exception, pattern of the message)
CHECK = [
    (dict(examples=0), ValueError, r"examples must be an integer >= 1.*got 0"),
    (dict(examples=-5), ValueError, r"examples must be an integer >= 1"),
    (dict(examples=True), TypeError, r"examples must be an integer >= 1.*bool"),
    (dict(examples=2.5), TypeError, r"examples must be an integer"),
    (dict(dps=14), ValueError, r"dps must be an integer in \[15, 1000\].*got 14"),
    (dict(dps=1001), ValueError, r"dps must be an integer in \[15, 1000\]"),
    (dict(dps="30"), TypeError, r"dps must be an integer"),
    (dict(seed=-1), ValueError, r"seed must be an integer >= 0.*got -1"),
    (dict(seed=0.5), TypeError, r"seed must be an integer >= 0"),
    (dict(level=0), ValueError, r"level must be one of 1, 2"),
    (dict(level=3), ValueError, r"level must be one of 1, 2"),
    (dict(level=True), TypeError, r"level must be an integer"),
    (dict(jobs=0), ValueError, r"jobs must be an integer >= 1"),
    (dict(routes="sampled"), TypeError, r"routes must be an iterable of route names"),
    (dict(progress=3), TypeError, r"progress must be callable"),
]


@pytest.mark.parametrize("options, error, pattern", CHECK, ids=[str(o) for o, _, _ in CHECK])
def test_check_refuses_bad_options(options, error, pattern):
    with pytest.raises(error, match=pattern):
        check(FALSE, **options)


def test_examples_zero_no_longer_says_holds():
    """``examples=0`` said *holds* for a false claim; now it is refused, and one example is
    enough to run (the verdict then comes from the points drawn)."""
    with pytest.raises(ValueError, match="examples"):
        check(FALSE, routes=("sampled",), examples=0)
    assert check(FALSE, routes=("sampled",), examples=1).status in ("refuted", "holds")


@pytest.mark.parametrize("bad", [None, 3, 1.5, sympy.Symbol("x") >= 0, [FALSE, None]],
                         ids=["None", "int", "float", "relation", "list with None"])
def test_check_refuses_what_is_not_a_claim(bad):
    got = type(bad[-1] if isinstance(bad, list) else bad).__name__
    with pytest.raises(TypeError, match=rf"claim must be a theory.claims.Claim.*got {got}"):
        check(bad)


def test_check_levels_match_the_monte_carlo_route():
    from proofs_check.checking import LEVELS
    from proofs_check.montecarlo import LEVELS as ROUTE_LEVELS

    assert LEVELS == tuple(sorted(ROUTE_LEVELS))


# (keyword arguments of Claim besides the conclusion, exception, pattern of the message)
CLAIM = [
    (dict(region={"gamma": [0, 1]}), TypeError,
     r"range of gamma must be a sympy Interval with finite ends.*or a single number.*list"),
    (dict(region={"gamma": (0, 1)}), TypeError, r"range of gamma must be a sympy Interval"),
    (dict(region={"gamma": "1/2"}), TypeError, r"range of gamma must be .*str"),
    (dict(region={"gamma": True}), TypeError, r"range of gamma must be .*bool"),
    (dict(region={"gamma": float("nan")}), TypeError, r"range of gamma must be"),
    (dict(region={"gamma": Interval(1, oo)}), ValueError,
     r"range \[1, oo\) of gamma must be a sympy Interval with finite ends"),
    (dict(region={"lam": Interval(-oo, 1)}), ValueError, r"of lam must be .*finite ends"),
    (dict(region={"gamma": Interval(1, sympy.sqrt(2))}), ValueError,
     r"of gamma must be .*sqrt\(2\) is not a finite integer, fraction or decimal"),
    (dict(region={"gamma": Interval(0, 1)}), ValueError, r"range \[0, 1\] of gamma leaves"),
    (dict(region={"gamma": -1}), ValueError, r"range -1 of gamma leaves its domain"),
    (dict(region={"gamm": Interval(1, 2)}), ValueError,
     r"'gamm' is not a parameter.*did you mean gamma"),
    (dict(region={"no_such_thing": 1}), ValueError, r"'no_such_thing' is not a parameter"),
    (dict(region={sympy.Symbol("gamma"): 1}), TypeError, r"region keys must be parameter names"),
    (dict(region=[("gamma", 1)]), TypeError, r"region must be a dict"),
    (dict(proof=3), TypeError, r"proof must be a callable .*or None; got int"),
    (dict(proof="by inspection"), TypeError, r"proof must be a callable"),
    (dict(assumptions=U >= 0), TypeError, r"assumptions must be a tuple of relations"),
    (dict(witness="no_such_thing"), ValueError, r"witness must be the name of a parameter"),
]


@pytest.mark.parametrize("options, error, pattern", CLAIM, ids=[str(o) for o, _, _ in CLAIM])
def test_claim_refuses_bad_input_at_construction(options, error, pattern):
    conclusion = U < 1 if "witness" in options else U <= 1
    with pytest.raises(error, match=pattern):
        Claim(conclusion, **options)


def test_claim_witness_range_checked():
    L_s, L_t = quantity("ridge.student_risk"), quantity("ridge.teacher_risk")
    with pytest.raises(ValueError, match=r"witness_range of lam_s must be .*finite ends"):
        Claim(L_s < L_t, witness="lam_s", witness_range=Interval(0, oo))
    with pytest.raises(TypeError, match=r"witness_range of lam_s must be a sympy Interval"):
        Claim(L_s < L_t, witness="lam_s", witness_range=[0, 1])


def test_claim_accepts_the_allowed_forms():
    from fractions import Fraction

    c = Claim(U <= 1, region={"gamma": Fraction(1, 2), "lam": Interval(0, 10)})
    assert c.region["gamma"] == Fraction(1, 2)
    assert Claim(U <= 1, region={"gamma": 0.5}).region["gamma"] == 0.5
    assert Claim(U <= 1, region={"gamma": Interval(0.25, 4)}).parameters == ("lam", "gamma")
    assert Claim(U <= 1, proof=None).proof is None
