"""The terminal: `w2s list PATTERN`, `w2s info`, examples in every --help, `--align`, the
sampled route's count explained, Hypothesis files kept out of the working folder."""

import os
import re
import subprocess
import sys

import click
import pytest

import theory
from numerics.plots import figures
from proofs_check.cli import app, run
from proofs_check.display import wrapped_list
from theory.claims import claim_ids


def test_list_filters_by_pattern(capsys):
    assert run(["list", "ridge.student"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[1] for line in lines]
    assert names == ["ridge.student_risk", "weighted_ridge.student_risk"]
    assert run(["list", "ridge.*_beaten"]) == 0  # a glob, over claims too
    out = capsys.readouterr().out
    assert "ridge.over_regularised_teacher_never_beaten" in out and "quantity" not in out
    assert run(["list", "--figures", "multi-index"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert run(["list", "no-such-thing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no quantity or claim matches 'no-such-thing'" in err


def test_list_entries_wrap_to_the_width():
    rows = [("quantity", theory.get(n).name, theory.get(n).description) for n in theory.names()]
    for width in (60, 100):
        lines = wrapped_list(rows, width)
        assert max(map(len, lines)) <= width
        assert sum(1 for line in lines if not line.startswith(" ")) == len(rows)
        # nothing lost: the words of every description are there, in order
        text = " ".join(" ".join(line.split()) for line in lines)
        assert all(r[2].split()[-1] in text for r in rows)


def test_info_shows_parameters_ranges_form_and_source(capsys):
    assert run(["info", "ridge.teacher_risk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ridge.teacher_risk: ")
    assert "Lₜ = " in out  # the left side and the presentation form
    params = [line for line in out.split("parameters:")[1].split("source:")[0].splitlines()
              if line.strip()]
    assert [line.split()[0] for line in params] == ["lam_t", "gamma_t", "sigma2", "r2"]
    assert params[0].split()[1:4] == ["in", "[0,", "oo)"]
    assert "in (0, oo), default 1" in params[3]
    assert "source: " in out and "arXiv:2505.18346" in out
    assert run(["info", "ridge.min_norm_student"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("claim ridge.min_norm_student [forall]")
    assert "region: lam_t in [0, 1000], lam_s = 0" in out
    assert run(["info", "ridge.teacher_rsk"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean ridge.teacher_risk" in err


def _commands(group=app, path=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        yield path + (name,), command


@pytest.mark.parametrize("path", [p for p, _ in _commands()], ids=" ".join)
def test_every_help_ends_with_examples(path, capsys):
    assert run([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out, path
    shown = out.split("Examples:")[1].split("\n")
    assert any(line.strip().startswith("w2s ") for line in shown), out


def test_plot_help_lists_every_registered_figure(capsys):
    assert run(["plot", "--help"]) == 0
    out = capsys.readouterr().out
    section = out.split("Figures:")[1].split("Options:")[0]
    listed = [line.split()[0] for line in section.strip().splitlines()]
    assert listed == list(figures())
    assert {"multi-index-alignment", "multi-index-forgetting", "multi-index-w2s-region"} \
        <= set(listed)


def test_align_aligns_or_says_why_not(capsys):
    assert run(["latex", "ridge.optimal_lambda", "--align"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("\\begin{align*}\n\\lambda^\\star &= \\frac{\\sigma^2 \\gamma_t}"
                            "{r^2}\n\\end{align*}\n")
    assert "fits on one line of 44 em" in captured.err and "--width" in captured.err
    assert run(["latex", "ridge.teacher_risk", "--align", "--width", "12"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "\\begin{align*}" and lines[-1] == "\\end{align*}"
    assert len(lines) >= 4 and lines[1].startswith("\\mathcal{L}_t &= ")
    assert all(line.startswith("&") for line in lines[2:-1])  # continuation lines align
    assert captured.err == ""
    assert run(["latex", "ridge.teacher_risk", "--width", "12"]) == 2
    assert "--width goes with --align" in capsys.readouterr().err


def test_verify_explains_its_point_count_and_keeps_hypothesis_out_of_the_folder(tmp_path):
    from theory.cache import directory

    env = {**os.environ, "COLUMNS": "200"}  # the suite's W2S cache (warm)
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    pattern = "ridge.min_norm_*"
    proc = subprocess.run([sys.executable, "-m", "proofs_check", "verify", pattern,
                           "--examples", "40", "--jobs", "1", "--routes", "sampled"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    note = [line for line in proc.stdout.splitlines() if line.startswith("sampled (n)")]
    assert note and "For --examples 40 Hypothesis drew" in note[0]
    drawn = int(re.search(r"drew ([\d,]+) points", note[0]).group(1).replace(",", ""))
    repeats = int(re.search(r"([\d,]+) repeated", note[0]).group(1).replace(",", ""))
    judged = sum(int(part.split(")")[0]) for part in proc.stdout.split("sampled holds (")[1:])
    assert drawn >= 40 * len(claim_ids(pattern))  # whole batches of every claim
    assert judged + repeats <= drawn  # (skipped points are the rest)
    assert not (tmp_path / ".hypothesis").exists()
    written = directory() / "hypothesis"  # what Hypothesis writes (if anything) goes here
    assert not written.exists() or written.is_dir()
