"""Workers end when their parent ends, however it ends: ``kill -9`` or ``kill -TERM`` of
``w2s verify --jobs 2`` or ``w2s sweep --jobs 2`` leaves no process of the run behind."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, prctl")]

W2S = [sys.executable, "-c", "from proofs_check.cli import main; main()"]


def _descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        path = f"/proc/{p}/task/{p}/children"
        kids = [int(c) for c in open(path).read().split()] if os.path.exists(path) else []
        out += kids
        todo += kids
    return out


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _kill_when_busy(cmd, sig, workers, env, cwd):
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=cwd)
    deadline = time.time() + 120
    children = []
    while time.time() < deadline and proc.poll() is None:
        children = _descendants(proc.pid)
        if len(children) >= workers:
            time.sleep(1.0)  # the workers are at work
            children = _descendants(proc.pid)
            break
        time.sleep(0.1)
    assert proc.poll() is None and len(children) >= workers, "the run never started its workers"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(c) for c in children):
        time.sleep(0.2)
    return [c for c in children if _alive(c)]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_verify_workers_end_with_their_parent(tmp_path, sig):
    env = {**os.environ, "W2S_CACHE_DIR": str(tmp_path / "cache")}
    cmd = W2S + ["verify", "--jobs", "2", "--examples", "2000", "--json"]
    assert _kill_when_busy(cmd, sig, 2, env, tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_sweep_workers_end_with_their_parent(tmp_path, sig):
    env = {**os.environ, "W2S_CACHE_DIR": str(tmp_path / "cache")}
    cmd = W2S + ["sweep", "ridge", "lam_t=0.05", "lam_s=0:1:200", "gamma_t=0.5", "gamma_s=0.5,2",
                 "sigma2=1", "--d", "300", "--reps", "20", "--db", str(tmp_path / "k.sqlite"),
                 "--jobs", "2"]
    assert _kill_when_busy(cmd, sig, 2, env, tmp_path) == []
