"""Speed ratios that can be trusted: candidate and baseline interleaved, medians, stored.

The candidate and the baseline run alternately (ABAB...), so a change of load on a shared machine
hits both; the ratio is that of the medians, and the spread (the smallest and largest ratio of the
pairs) is reported with it. Every measured ratio is written to ``.benchmarks/ratios.json`` (git
ignored) under its name, with the target, the medians, the spread and the date.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

RATIOS_FILE = Path(__file__).resolve().parents[2] / ".benchmarks" / "ratios.json"


def _seconds(f, clock=time.perf_counter) -> float:
    start = clock()
    f()
    return clock() - start


def interleaved(candidate, baseline, runs: int = 5, clock=time.perf_counter) -> dict:
    """Time ``candidate()`` and ``baseline()`` alternately ``runs`` times each (after one warm-up
    call of each); return the medians, their ratio and the spread of the paired ratios.

    ``clock`` is wall time by default; ``time.process_time`` measures CPU time (for
    single-threaded work on a shared machine)."""
    candidate(), baseline()
    pairs = [(_seconds(candidate, clock), _seconds(baseline, clock)) for _ in range(runs)]
    ours = statistics.median(a for a, _ in pairs)
    theirs = statistics.median(b for _, b in pairs)
    paired = [a / b for a, b in pairs]
    return {"candidate_seconds": ours, "baseline_seconds": theirs, "ratio": ours / theirs,
            "ratio_min": min(paired), "ratio_max": max(paired), "runs": runs}


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
          f"{result['ratio']:.3f} [pairs {result['ratio_min']:.3f}-{result['ratio_max']:.3f}]"
          f", speed-up {1 / result['ratio']:.1f}x; target {target}")
    return entry
