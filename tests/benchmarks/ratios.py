"""Speed ratios that can be trusted: candidate and baseline interleaved, medians, stored.

The candidate and the baseline run alternately (ABAB...), so a change of load on a shared machine
hits both; the ratio is that of the medians, and the spread (the smallest and largest ratio of the
pairs) is reported with it. Every measured ratio is written to ``.benchmarks/ratios.json`` (git
ignored) under its name, with the target, the medians, the spread and the date.

Time is CPU time (:func:`cpu_seconds`: this process's, all its threads, plus that of its
finished child processes, ``resource.getrusage(RUSAGE_CHILDREN)``), so a busy machine does not
change a ratio: a benchmark measures the code, not the machine. Wall time is used only where it
is the point (a parallel speed-up), and only when the machine is idle (:func:`require_idle`
skips the test with a message otherwise).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

RATIOS_FILE = Path(__file__).resolve().parents[2] / ".benchmarks" / "ratios.json"


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its finished child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pool_cpu_seconds() -> float:
    """:func:`cpu_seconds` and the CPU seconds of the live child processes (a joblib pool keeps
    its workers between runs; ``psutil`` reads their times: a millisecond, so this clock is
    for runs of a second or more)."""
    import psutil

    live = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:  # it ended meanwhile: counted once reaped
            continue
        live += times.user + times.system
    return cpu_seconds() + live


CLOCKS = {"cpu": cpu_seconds, "pool": pool_cpu_seconds, "wall": time.perf_counter}


def _seconds(f, clock) -> float:
    start = clock()
    f()
    return clock() - start


def interleaved(candidate, baseline, runs: int = 5, clock: str = "cpu") -> dict:
    """Time ``candidate()`` and ``baseline()`` alternately ``runs`` times each (after one warm-up
    call of each) on ``clock`` (``"cpu"``; ``"pool"`` to count a process pool's live workers;
    ``"wall"`` for a parallel speed-up on an idle machine); return the medians, their ratio and the spread of the paired ratios."""
    candidate(), baseline()
    tick = CLOCKS[clock]
    pairs = [(_seconds(candidate, tick), _seconds(baseline, tick)) for _ in range(runs)]
    ours = statistics.median(a for a, _ in pairs)
    theirs = statistics.median(b for _, b in pairs)
    paired = [a / b for a, b in pairs]
    return {"candidate_seconds": ours, "baseline_seconds": theirs, "ratio": ours / theirs,
            "ratio_min": min(paired), "ratio_max": max(paired), "runs": runs, "clock": clock}


#: Largest 1-minute load average per core at which wall-clock speed-ups are judged.
IDLE_LOAD_PER_CORE = 0.25


def require_idle() -> None:
    """Skip the calling test, with a message, unless the machine is idle (its 1-minute load
    average at most :data:`IDLE_LOAD_PER_CORE` per core): a wall-clock speed-up measured on a
    busy machine measures the machine."""
    import pytest

    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    if load > IDLE_LOAD_PER_CORE * cores:
        pytest.skip(f"the machine is busy (load average {load:.2f} on {cores} cores): a "
                    f"wall-clock speed-up is judged only on an idle machine")


def record(name: str, result: dict, *, target: str, description: str) -> dict:
    """Store ``result`` (from :func:`interleaved`) under ``name`` in the ratios file; print it."""
    entry = {**result, "target": target, "description": description,
             "measured": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    RATIOS_FILE.parent.mkdir(exist_ok=True)
    try:
        stored = json.loads(RATIOS_FILE.read_text())
    except (FileNotFoundError, ValueError):
        stored = {}
    stored[name] = entry
    RATIOS_FILE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(f"\n{name}: {description}: candidate {result['candidate_seconds']:.4g} s, baseline "
          f"{result['baseline_seconds']:.4g} s (medians of {result['runs']}), time ratio "
          f"{result['ratio']:.3f} ({result.get('clock', 'cpu')}) [pairs {result['ratio_min']:.3f}-{result['ratio_max']:.3f}]"
          f", speed-up {1 / result['ratio']:.1f}x; target {target}")
    return entry
