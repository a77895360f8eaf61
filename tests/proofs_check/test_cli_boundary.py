"""``w2s boundary`` and ``w2s plot boundary`` on the command line."""

from __future__ import annotations

import json

import pytest

from proofs_check.cli import run


@pytest.mark.parametrize("argv, message", [
    (["ridge", "lam_t=0.1:0.2", "gamma_t=0.1:0.3"], "exactly one parameter"),
    (["ridge", "gamma_t=0.5"], "exactly one parameter"),
    (["ridge", "lam_t=0.3:0.1"], "lo < hi"),
    (["ridge", "lam_t=0.1:0.1"], "lo < hi"),
    (["nope", "lam_t=0.1:0.2"], "unknown model 'nope'"),
    (["ridge", "lam_t=0.1:0.2", "foo=1"], "unknown parameter foo"),
    (["ridge", "budget=1:2"], "no boundary along budget"),
    (["ridge", "lam_t=0.1:0.2", "--d", "5,100"], "integer >= 20"),
    (["ridge", "lam_t=0.1:0.2", "--d", "100"], "at least two"),
    (["ridge", "lam_t=0.1:0.2", "--d", "a,b"], "--d expects"),
    (["ridge", "lam_t=0.1:0.2", "gamma_s=1/2"], "gamma_s must be in (1, inf)"),
    (["ridge", "lam_t=0.1:nan"], "lam_t must be a finite number"),
    (["single_index", "budget=1:2", "--d", "10,100"], "integer >= 50"),
    (["multi_index", "gamma_s=0.1:0.8", "ch2=0"], "at least one must be non-zero"),
    (["multi_index", "gamma_s=0.1:0.8", "sigma2=-1"], "sigma2"),
    (["single_index", "spike=-1:2"], "spike must be a number in (0, inf)"),
    (["single_index", "eta1=0.1:0.2"], "no boundary along eta1"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert run(["boundary", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_json_has_the_documented_keys_and_reruns_resume(tmp_path, capsys):
    db = tmp_path / "b.sqlite"
    argv = ["boundary", "ridge", "lam_t=0.05:0.6", "--d", "40,80", "--reps", "4", "--db",
            str(db), "--jobs", "1", "--json"]
    code = run(argv)
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert {"asymptotic", "per_d", "extrapolated"} <= set(out)
    assert [r["d"] for r in out["per_d"]] == [40, 80]
    assert set(out["per_d"][0]) >= {"d", "estimate", "ci"}
    assert set(out["extrapolated"]) >= {"estimate", "ci", "exponent"}
    assert out["asymptotic"] == pytest.approx(0.2423172270, abs=1e-9)
    assert "set D" not in json.dumps(out) and ".md" not in out["title"]
    assert run(argv) == code                       # every repetition read back from the file
    assert json.loads(capsys.readouterr().out) == out


def test_text_report_and_figure(tmp_path, capsys):
    db = tmp_path / "b.sqlite"
    common = ["ridge", "lam_t=0.05:0.6", "--d", "40,80", "--reps", "4", "--db", str(db),
              "--jobs", "1"]
    run(["boundary", *common])
    text = capsys.readouterr().out
    assert "d -> oo" in text and "theory" in text and "fitted exponent" in text
    png = tmp_path / "b.png"
    assert run(["plot", "boundary", *common, "-o", str(png)]) == 0
    assert png.stat().st_size > 10_000
    assert run(["plot", "boundary", "-o", str(png)]) == 2
