"""Every bad input is one clear line on stderr and exit code 2 (never a traceback, never a NaN).

Each row: the command line, and the words the single error line must contain (the parameter and
its allowed range, or the limit and how to raise it).
"""

import pytest

from proofs_check.cli import run

RISK = ["eval", "ridge.teacher_risk"]
OK = ["gamma_t=1/2", "sigma2=1"]

BAD = [
    (RISK + ["lam_t=1/0"] + OK, ["lam_t", "[0, inf)", "1/0"]),
    (RISK + ["lam_t=1 2"] + OK, ["lam_t", "[0, inf)", "'1 2'"]),
    (RISK + ["lam_t=nan"] + OK, ["lam_t", "finite", "[0, inf)"]),
    (RISK + ["lam_t=inf"] + OK, ["lam_t", "finite", "[0, inf)"]),
    (RISK + ["lam_t=-0.1"] + OK, ["lam_t", "[0, inf)", "-0.1"]),
    (RISK + ["lam_t=abc"] + OK, ["lam_t", "a number", "[0, inf)"]),
    (RISK + ["lam_t=0x10"] + OK, ["lam_t", "a number"]),
    (RISK + ["lam_t=1+2j"] + OK, ["lam_t", "[0, inf)"]),
    (RISK + ["lam_t=1e100000000"] + OK, ["lam_t", "4000", "W2S_MAX_EXPONENT"]),
    (RISK + ["lam_t=0.1", "lam_t =0.2"] + OK, ["lam_t", "twice"]),
    (RISK + ["lam t=0.1"] + OK, ["'lam t'", "not a parameter name"]),
    (RISK + ["lam_t"] + OK, ["PARAM=VALUE"]),
    (RISK + ["lam_t=0.1"], ["missing parameters", "gamma_t", "(0, inf)", "sigma2", "[0, inf)"]),
    (RISK + ["lam_t=0.1", "gamma_s=1"] + OK, ["unknown parameter", "gamma_s"]),
    (RISK + ["lam_t=0.1"] + OK + ["--dps", "100000"], ["dps", "10000", "W2S_MAX_DPS"]),
    (RISK + ["lam_t=0", "gamma_t=1", "sigma2=1"], ["not finite", "lam_t=0", "gamma_t=1"]),
    (["eval", "ridge.teacher_risq", "lam_t=0"], ["unknown quantity", "ridge.teacher_risk"]),
    (["eval", "mp.stieltjes", "z=2", "gamma=1/2"], ["z", "support"]),
    (["eval", "weighted_ridge.teacher_alignment", "zeta=2", "lam_t=0", "gamma_t=1/2"],
     ["zeta", "[-1, 1]"]),
    (["verify", "--jobs", "0"], ["--jobs", ">= 1"]),
    (["verify", "--jobs", "-3"], ["--jobs", ">= 1"]),
    (["verify", "no_such_claim"], ["no claim matches"]),
    (["verify", "--routes", "sampled,telepathy"], ["unknown route", "telepathy"]),
    (["verify", "--examples", "0"], ["--examples", "0"]),
    (["latex", "ridge.teacher_risq"], ["unknown quantity"]),
    (["latex"], ["NAME or --document"]),
    (["nonsense"], ["No such command"]),
]


@pytest.mark.parametrize("argv, words", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(argv, words, capsys):
    assert run(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("w2s: error: ")
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in captured.err + captured.out


def test_valid_complex_argument_is_accepted(capsys):
    """``1e-3j`` is a complex number, not a malformed one (it was rejected with a wrong message)."""
    assert run(["eval", "mp.stieltjes", "z=1e-3j", "gamma=1/2", "--dps", "20"]) == 0
    assert capsys.readouterr().out.startswith("(1.99995")
