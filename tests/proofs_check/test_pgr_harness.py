"""``w2s pgr`` on real lm-evaluation-harness result files (the shipped Pythia subset, both
layouts): the numbers read equal the files', ``n_eval`` is recovered two ways, the ceiling's
emergence matches an independent normal-approximation computation, integrity defects are reported
by step, bad input exits 2 with one line naming the file."""

import json
import math
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from proofs_check.cli import run
from proofs_check.emergence import SCHEMA_PATH

DATA = Path(__file__).resolve().parents[1] / "data" / "pythia"
SIZES = {"weak": "70m", "w2s": "160m", "ceiling": "410m"}
N_SCIQ = 1000  # SciQ's test set


def roles(layout, root=DATA):
    return [a for role, size in SIZES.items() for a in (f"--{role}", str(root / layout /
                                                                        f"pythia-{size}"))]


def file_values(layout, size, task, metric="acc"):
    """step -> value, read with the standard library only (an independent route)."""
    out = {}
    for path in (DATA / layout / f"pythia-{size}").glob("*.json"):
        doc = json.loads(path.read_text())
        step = int(doc["config"]["model_args"].split("revision=step")[1].split(",")[0])
        res = doc["results"][task]
        out[step] = res[metric] if metric in res else res[f"{metric},none"]
    return out


def pgr_json(capsys, *argv):
    assert run(["pgr", *argv, "--json", "--bootstrap", "200"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def reports():
    import io
    from contextlib import redirect_stdout

    out = {}
    for layout in ("v0", "v04"):
        buf = io.StringIO()
        with redirect_stdout(buf):
            assert run(["pgr", *roles(layout), "--task", "sciq", "--metric", "acc", "--json",
                        "--bootstrap", "200"]) == 0
        out[layout] = json.loads(buf.getvalue())
    return out


@pytest.mark.parametrize("layout", ["v0", "v04"])
def test_values_n_eval_and_ceiling_step_equal_the_files(reports, layout):
    doc = reports[layout]
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    (group,) = doc["groups"]
    values = {role: file_values(layout, size, "sciq") for role, size in SIZES.items()}
    steps = sorted(values["w2s"])
    assert [c["step"] for c in group["checkpoints"]] == steps and len(steps) == 27
    for c in group["checkpoints"]:
        for role, column in (("weak", "P_weak"), ("w2s", "P_w2s"), ("ceiling", "P_ceil")):
            assert c[column] == values[role][c["step"]]  # exactly the files' numbers
    assert group["inputs"]["n_eval"] == N_SCIQ
    assert group["inputs"]["n_eval_source"] == (
        "n-samples" if layout == "v04" else "recovered from the accuracy's standard error")
    # the ceiling's emergence, independently: one-sided 95% normal lower bound of the gap
    w, c = (np.array([values[r][s] for s in steps]) for r in ("weak", "ceiling"))
    lower = (c - w) - 1.6448536 * np.sqrt((w * (1 - w) + c * (1 - c)) / N_SCIQ)
    k0 = int(np.flatnonzero(~(lower > 0))[-1]) + 1
    assert group["ceiling"]["step"] == steps[k0] == 3000
    assert group["verdict"]["ceiling_step"] == 3000


def test_the_two_layouts_give_the_same_report(reports):
    a, b = (reports[x]["groups"][0] for x in ("v0", "v04"))
    assert a["checkpoints"] == b["checkpoints"]
    assert a["verdict"] == b["verdict"] and a["change"] == b["change"]


def test_n_eval_recovered_from_stderr_matches_the_dataset_sizes():
    from numerics.checkpoints import read_results

    for size in SIZES.values():
        old, new = (read_results(DATA / layout / f"pythia-{size}") for layout in ("v0", "v04"))
        for task in old.tasks():
            assert old.n_eval(task)[1] == "stderr" and new.n_eval(task)[1] == "n-samples"
            assert old.n_eval(task)[0] == new.n_eval(task)[0]


def test_verdict_leads_table_on_request(capsys):
    assert run(["pgr", *roles("v0"), "--task", "sciq", "--bootstrap", "200"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sciq/") and "p < 0.005" in lines[0]  # the floor of B = 200
    assert "0.00498" not in lines[0] and len(lines) < 15
    assert any("partial_recovery" in line for line in lines)
    assert "identical scores" in "\n".join(lines)  # steps 0 and 1 of the real files
    assert run(["pgr", *roles("v0"), "--task", "sciq", "--bootstrap", "200", "--table"]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 27


def test_all_tasks_holm(capsys):
    doc = pgr_json(capsys, *roles("v04"), "--task", "all")
    tasks = [g["task"] for g in doc["groups"]]
    assert tasks == ["arc_easy", "lambada_openai", "piqa", "sciq", "winogrande"]
    tested = [g["verdict"]["p_adjusted"] for g in doc["groups"] if g["test"] is not None]
    p = sorted(g["test"]["p_value"] for g in doc["groups"] if g["test"] is not None)
    assert len(tested) == 4 and "Holm" in doc["multiple_testing"]
    assert min(tested) == pytest.approx(len(p) * p[0])  # Holm's first step


def _copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA / "v0", root / "v0")
    return root


def _edit(path, step=None, sciq=None):
    doc = json.loads(path.read_text())
    if step is not None:
        doc["config"]["model_args"] = doc["config"]["model_args"].split(",revision=")[0] + \
            f",revision=step{step}"
    if sciq is not None:
        doc["results"]["sciq"]["acc"] = sciq
    return doc


def test_injected_defects_reported_by_step_and_dropped_on_request(tmp_path, capsys):
    root = _copy(tmp_path)
    w2s = root / "v0" / "pythia-160m"
    # a duplicated checkpoint: step 33000's file holds step 23000's scores
    doc = _edit(w2s / "160m_step23000.json", step=33000)
    (w2s / "160m_step33000.json").write_text(json.dumps(doc))
    # an outlier: the ceiling's SciQ accuracy at step 63000 far above both neighbours
    ceil = root / "v0" / "pythia-410m" / "410m_step63000.json"
    ceil.write_text(json.dumps(_edit(ceil, sciq=0.95)))
    # a missing step of the evaluated schedule: step 43000 removed from every role
    for size in SIZES.values():
        (root / "v0" / f"pythia-{size}" / f"{size}_step43000.json").unlink()
    schedule = ",".join(map(str, sorted(file_values("v0", "70m", "sciq"))))
    doc = pgr_json(capsys, *roles("v0", root), "--task", "sciq", "--schedule", schedule)
    flags = {(f["kind"], f["role"]): f for f in doc["groups"][0]["integrity"]}
    assert flags[("identical", "w2s")]["steps"] == [1, 33000]
    assert flags[("outlier", "ceiling")]["steps"] == [63000]
    assert flags[("missing", "all")]["steps"] == [] and "43000" in flags[("missing", "all")][
        "message"]
    assert doc["groups"][0]["inputs"]["dropped_steps"] == []
    assert 63000 in [c["step"] for c in doc["groups"][0]["checkpoints"]]  # nothing fixed
    # text: the same warnings, by step
    assert run(["pgr", *roles("v0", root), "--task", "sciq", "--bootstrap", "100",
                "--schedule", schedule]) == 0
    text = capsys.readouterr().out
    assert "steps 23000 and 33000" not in text and "33000" in text and "63000" in text
    # --drop-flagged drops them from every role
    doc = pgr_json(capsys, *roles("v0", root), "--task", "sciq", "--drop-flagged")
    steps = [c["step"] for c in doc["groups"][0]["checkpoints"]]
    assert 33000 not in steps and 63000 not in steps and 1 not in steps and len(steps) == 23
    assert doc["groups"][0]["inputs"]["dropped_steps"] == [1, 33000, 63000]


def test_repeated_step_is_an_error_unless_dropped(tmp_path, capsys):
    root = _copy(tmp_path)
    w2s = root / "v0" / "pythia-160m"
    shutil.copy(w2s / "160m_step3000.json", w2s / "rerun_step3000.json")
    assert run(["pgr", *roles("v0", root), "--task", "sciq"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "step 3000" in err and "rerun_step3000.json" in err
    doc = pgr_json(capsys, *roles("v0", root), "--task", "sciq", "--drop-flagged")
    (flag,) = [f for f in doc["groups"][0]["integrity"] if f["kind"] == "duplicate_step"]
    assert flag["steps"] == [3000] and 3000 not in [c["step"] for c in
                                                    doc["groups"][0]["checkpoints"]]


def test_rows_out_of_order_in_a_csv_are_flagged(tmp_path, capsys):
    rows = ["step,weak,w2s,ceiling,n_eval"] + [
        f"{s},0.6,{0.6 + 0.01 * k},{0.7 + 0.01 * k},1000" for k, s in
        enumerate([0, 10, 20, 40, 30, 50, 60, 70, 80])]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(rows))
    doc = pgr_json(capsys, str(path))
    (flag,) = [f for f in doc["groups"][0]["integrity"] if f["kind"] == "non_monotone"]
    assert flag["steps"] == [30]


def _bad_files(tmp_path):
    """name -> (argv, text the one stderr line must contain)."""
    root = _copy(tmp_path)
    w2s = root / "v0" / "pythia-160m"
    cases = {}

    def case(name, files, expect, extra=()):
        folder = tmp_path / name
        shutil.copytree(w2s, folder)
        for fname, text in files.items():
            (folder / fname).write_text(text)
        argv = ["pgr", "--weak", str(root / "v0" / "pythia-70m"), "--w2s", str(folder),
                "--ceiling", str(root / "v0" / "pythia-410m"), "--task", "sciq", *extra]
        cases[name] = (argv, expect if expect else fname)

    case("not_json", {"160m_step3000.json": "{not json"}, "160m_step3000.json, line 1")
    case("no_results", {"160m_step3000.json": '{"config": {}}'}, "no 'results' object")
    doc = _edit(w2s / "160m_step3000.json", step=5000)
    case("name_vs_revision", {"160m_step3000.json": json.dumps(doc)},
         "the file name says step 3000")
    doc = _edit(w2s / "160m_step3000.json", step=10 ** 30)
    case("step_beyond_int64", {"160m_step3000.json": json.dumps(doc)}, "beyond 2**63 - 1")
    doc = _edit(w2s / "160m_step3000.json")
    doc["config"]["model_args"] = "pretrained=x"
    case("no_step", {"x.json": json.dumps(doc)}, "x.json: no step")
    doc = _edit(w2s / "160m_step3000.json")
    doc["results"]["sciq"]["acc"] = "high"
    case("text_score", {"160m_step3000.json": json.dumps(doc)},
         "results.sciq.acc is 'high', not a number")
    doc = _edit(w2s / "160m_step3000.json", sciq=1e308)
    case("huge_score", {"160m_step3000.json": json.dumps(doc)}, "is 1e+308, beyond +-1e+12")
    case("unknown_task", {}, "no task 'nope'", extra=("--task", "nope"))
    case("unknown_metric", {}, "has no metric 'f1'", extra=("--metric", "f1"))
    return cases


def test_bad_result_files_exit_2_one_line(tmp_path, capsys):
    for name, (argv, expect) in _bad_files(tmp_path).items():
        assert run(argv) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expect in err and "Traceback" not in err, (name, err)


def test_missing_file_of_one_role_names_it(tmp_path, capsys):
    root = _copy(tmp_path)
    (root / "v0" / "pythia-410m" / "410m_step13000.json").unlink()
    assert run(["pgr", *roles("v0", root), "--task", "sciq"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "step 13000" in err and "160m_step13000.json" in err


@pytest.mark.parametrize("argv, expect", [
    (["--seed", "-1"], "--seed"),
    (["--task", "sciq", "--examples", "x.csv"], "x.csv"),
    (["--schedule", "fibonacci"], "schedule must be one of pythia, olmo-7b"),
    (["--schedule", "0,5,3"], "strictly increasing"),
    (["--probe-lead", "0.1"], "--probe-lead is only for --synthetic"),
])
def test_bad_options_exit_2_one_line(capsys, argv, expect):
    assert run(["pgr", *roles("v0"), "--task", "sciq", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expect in err


@pytest.mark.parametrize("row, expect", [
    ("0,0.5,1e308,0.7", "row 2, column 'w2s': '1e308' is beyond +-1e+12"),
    ("1e30,0.5,0.6,0.7", "row 2, column 'step': '1e30' is beyond the largest supported value"),
    ("99999999999999999999,0.5,0.6,0.7", "column 'step'"),
])
def test_overflowing_scores_and_steps_refused(tmp_path, capsys, row, expect):
    path = tmp_path / "a.csv"
    rest = [f"{s},0.5,0.6,0.7" for s in range(10, 80, 10)]
    path.write_text("\n".join(["step,weak,w2s,ceiling", row, *rest]))
    assert run(["pgr", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expect in err and str(path) in err


def test_probe_csv_and_export_round_trip(tmp_path, capsys):
    steps = sorted(file_values("v0", "410m", "lambada_openai"))
    lam = file_values("v0", "410m", "lambada_openai")
    probe = tmp_path / "probe.csv"
    probe.write_text("step,probe\n" + "\n".join(f"{s},{lam[s]!r}" for s in steps))
    export = tmp_path / "assembled.csv"
    doc = pgr_json(capsys, *roles("v0"), "--task", "sciq", "--probe", str(probe), "--export",
                   str(export))
    p = doc["groups"][0]["probe"]
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    lo, hi = p["correlation"]["gain"]["spearman_ci"]
    assert lo <= p["correlation"]["gain"]["spearman"] <= hi
    assert "moving-block bootstrap" in p["correlation"]["resampling"]
    assert p["lead"]["verdict"] in ("probe_leads", "probe_lags", "not_resolved")
    # the exported CSV is the project's format and reads back to the same numbers
    doc2 = pgr_json(capsys, str(export))
    assert doc2["groups"][0]["checkpoints"] == doc["groups"][0]["checkpoints"]
    assert doc2["groups"][0]["probe"]["correlation"] == p["correlation"]
    # a probe without a value for an analysed step is refused
    probe.write_text("step,probe\n" + "\n".join(f"{s},0.5" for s in steps[:-1]))
    assert run(["pgr", *roles("v0"), "--task", "sciq", "--probe", str(probe)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no probe value for step 143000" in err


def test_p_floor_is_written_as_an_inequality():
    from proofs_check.emergence import Verdict

    v = Verdict("t/m", "emerged", True, 10, [5, 10], 0.9, 20.0, 2.0, 1 / 1001, 0.05, 3,
                p_floor=1 / 1001)
    assert v.p_text() == "p < 0.001"
    assert Verdict("t/m", "not_detected", False, None, None, None, 1.0, 2.0, 0.2, 0.05, 3,
                   p_floor=1 / 1001).p_text() == "p = 0.2"
    assert math.isclose(1 / 1001, 0.000999, rel_tol=1e-3)
