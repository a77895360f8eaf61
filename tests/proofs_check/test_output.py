"""What the command line prints: numbers, the verify table at any width, the README's examples."""

import re
import shlex
from pathlib import Path

import pytest

from proofs_check.cli import run

ROOT = Path(__file__).resolve().parents[2]


def _examples(text):
    """``(argv, expected output)`` of every ``$ w2s ...`` line followed by output lines."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ w2s "):
                continue
            expected = []
            for nxt in lines[i + 1:]:
                if nxt.startswith("$ ") or nxt.startswith("  "):
                    break
                expected.append(nxt)
            if expected:
                command = line[2:].split("  #")[0]
                out.append((shlex.split(command)[1:], "\n".join(expected)))
    return out


@pytest.mark.parametrize("path", ["README.md", "docs/index.md", "docs/getting-started.md",
                                  "docs/latex.md"])
def test_documented_examples_print_exactly_what_is_shown(path, capsys):
    """Every shown line is printed verbatim (``...`` stands for lines left out)."""
    examples = _examples((ROOT / path).read_text())
    assert examples, f"{path} shows no command with its output"
    for argv, expected in examples:
        code = run(argv)
        captured = capsys.readouterr()
        printed = (captured.out + captured.err).rstrip("\n").splitlines()
        shown = expected.splitlines()
        assert code == (2 if shown[0].startswith("w2s: error:") else 0), argv
        if "..." not in shown:
            assert printed == shown, argv
            continue
        rest = iter(printed)
        for line in shown:
            if line != "...":
                assert line in rest, (argv, line)


def test_numbers_are_not_padded_unless_asked(capsys):
    assert run(["eval", "ridge.optimal_lambda", "gamma_t=0.5", "sigma2=0.2"]) == 0
    assert capsys.readouterr().out == "0.1\n"
    assert run(["eval", "mp.atom", "gamma=1/2"]) == 0
    assert capsys.readouterr().out == "0\n"
    assert run(["eval", "ridge.optimal_lambda", "gamma_t=0.5", "sigma2=0.2", "--dps", "6",
                "--pad"]) == 0
    assert capsys.readouterr().out == "0.100000\n"
    assert run(["eval", "mp.stieltjes", "z=-1/2", "gamma=1/2", "--dps", "12"]) == 0
    assert capsys.readouterr().out == "0.828427124746\n"  # 2 (sqrt 2 - 1)


def test_all_missing_parameters_in_one_message(capsys):
    assert run(["eval", "ridge.student_risk", "lam_s=1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    for name in ("lam_t", "gamma_t", "gamma_s", "sigma2"):
        assert name in err[0]


def test_version(capsys):
    assert run(["--version"]) == 0
    assert re.fullmatch(r"w2s \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_verify_table_fits_the_terminal_and_never_breaks_an_id_mid_word(columns, monkeypatch,
                                                                         capsys):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert run(["verify", "weighted_ridge.aligned_pop*", "--examples", "3",
                "--routes", "symbolic"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), max(map(len, lines))
    cells = "".join(re.findall(r"^[│┃]\s*(\S+)", out, re.M))
    assert "weighted_ridge.aligned_population_student_beats_optimal_teacher" in cells
    pieces = re.findall(r"^[│┃] (\S+)", out, re.M)
    assert all(p.endswith(("_", ".")) for p in pieces[1:-1] if p != "claim"), pieces
    assert "worst margin:" in out and ">= 0 holds" in out


def test_list_aligns_long_names(capsys):
    assert run(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for kind in ("quantity", "claim"):
        mine = [line for line in lines if line.startswith(kind + " ")]
        name_end = max(line.index(line.split()[1]) + len(line.split()[1]) for line in mine)
        starts = {len(line) - len(line[name_end:].lstrip()) for line in mine}
        assert len(starts) == 1 and mine, kind
