"""``w2s pgr``: table and verdict, JSON against its schema, figure, synthetic data, bad input."""

import csv
import json

import jsonschema
import pytest

from numerics.checkpoints import synthesize
from proofs_check.cli import run
from proofs_check.emergence import SCHEMA_PATH


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pgr")
    return synthesize("step", seed=4, n_eval=150).write(folder / "syn.csv")


def test_json_validates_against_schema_and_finds_the_step(synthetic_files, capsys):
    agg, ex = synthetic_files
    assert run(["pgr", str(agg), "--examples", str(ex), "--json", "--bootstrap", "200"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    group = doc["groups"][0]
    assert group["provenance"]["bootstrap_mode"] == "examples+seeds"
    assert group["verdict"]["status"] == "emerged"
    lo, hi = group["verdict"]["ci_steps"]
    assert (lo is None or lo < 10000) and hi >= 10000  # the true jump is at step 10000
    assert group["checkpoints"][0]["pgr"] is None  # ceiling below weak at step 0


def test_table_verdict_plot_and_csv(synthetic_files, tmp_path, capsys):
    agg, ex = synthetic_files
    fig, table = tmp_path / "pgr.png", tmp_path / "table.csv"
    assert run(["pgr", str(agg), "--examples", str(ex), "--bootstrap", "100", "--plot", str(fig),
                "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert "W2SG emerges at step" in out and "ceiling overtakes weak by step" in out
    assert "nan" not in out.lower() and "inf" not in out.lower()
    assert fig.stat().st_size > 10_000
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 154 and rows[0]["status"] == "ceiling_below_weak" and rows[0]["pgr"] == ""


def test_synthetic_command_writes_readable_files(tmp_path, capsys):
    out = tmp_path / "null.csv"
    assert run(["pgr", "--synthetic", "null", "-o", str(out), "--seed", "1"]) == 0
    assert out.exists() and (tmp_path / "null.examples.csv").exists()
    assert run(["pgr", str(out), "--bootstrap", "100", "--mode", "parametric"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[0]  # the verdict leads
    assert line.startswith("synthetic/pythia-like/null")


def test_undefined_pgr_is_a_status_never_inf_or_nan(tmp_path, capsys):
    # ceiling == weak at the first steps (zero gap), below weak before that, then above
    rows = ["step,seed,weak,w2s,ceiling"]
    ceilings = [0.5, 0.6, 0.7, 0.7, 0.8, 0.85, 0.9, 0.9, 0.9, 0.9]
    for k, c in enumerate(ceilings):
        for seed, jitter in ((1, 0.0), (2, 0.01), (3, -0.01)):
            cj = c if c == 0.7 else c + jitter
            rows.append(f"{k * 1000},{seed},0.7,{0.65 + 0.02 * k + jitter},{cj}")
    path = tmp_path / "a.csv"
    path.write_text("\n".join(rows) + "\n")
    assert run(["pgr", str(path), "--bootstrap", "100", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "zero_gap" in out and "ceiling_below_weak" in out
    assert "nan" not in out.lower() and "inf" not in out.lower()
    assert run(["pgr", str(path), "--bootstrap", "100", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    statuses = [r["status"] for r in doc["groups"][0]["checkpoints"]]
    assert statuses[2:4] == ["zero_gap", "zero_gap"]
    assert doc["groups"][0]["checkpoints"][2]["pgr_raw"] is None


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("step,weak,score\n0,0.7,0.5\n", "missing column 'w2s'"),
    ("step,weak,w2s,ceiling\n0,0.7,high,0.5\n", "row 2, column 'w2s': 'high' is not a number"),
    ("step,weak,w2s,ceiling\n" + "".join(f"{s},0.7,0.6,0.8\n" for s in range(4)),
     "4 checkpoints; at least 7"),
])
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    assert run(["pgr", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("w2s: error: ") and message in err


@pytest.mark.parametrize("argv, message", [
    (["pgr"], "missing FILE"),
    (["pgr", "--synthetic", "step"], "--synthetic needs -o FILE"),
    (["pgr", "nonexistent.csv"], "does not exist"),
])
def test_bad_usage_exit_2(capsys, argv, message):
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_lower_is_better_gives_the_same_pgr(synthetic_files, tmp_path, capsys):
    agg, _ = synthetic_files
    loss = tmp_path / "loss.csv"
    with open(agg) as src, open(loss, "w", newline="") as dst:
        reader, writer = csv.DictReader(src), None
        for row in reader:
            if writer is None:
                writer = csv.DictWriter(dst, reader.fieldnames)
                writer.writeheader()
            for r in ("weak", "w2s", "ceiling"):
                row[r] = repr(2.0 - 3.0 * float(row[r]))
            writer.writerow(row)
    docs = []
    for path, extra in ((agg, []), (loss, ["--lower-is-better"])):
        assert run(["pgr", str(path), "--json", "--bootstrap", "50", "--mode", "seeds"]
                   + extra) == 0
        docs.append(json.loads(capsys.readouterr().out)["groups"][0]["checkpoints"])
    for a, b in zip(*docs):
        assert a["status"] == b["status"]
        assert (a["pgr"] is None) == (b["pgr"] is None)
        if a["pgr"] is not None:
            assert a["pgr"] == pytest.approx(b["pgr"], rel=1e-9)
