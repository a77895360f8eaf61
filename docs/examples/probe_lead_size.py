"""Size and power of the probe lead/lag test of ``w2s pgr`` (docs/checkpoint-analysis.md).

Synthetic Pythia-like data (``synthesize("step", probe_lead=...)``: W2SG emerges as a step at
step 10000, the probe as a step ``probe_lead`` earlier in log10(step + 1); 300 examples, 3 seeds,
probe on 2000 examples), analysed with B bootstrap replicates; the rate of the verdict
``probe_leads`` at level 0.05 is the size (lead 0) or the power (lead > 0).

    python docs/examples/probe_lead_size.py [REPS] [B]

Prints one line per lead: rate, its binomial standard error, and the other verdicts' rates.
"""

import sys

import numpy as np

from numerics.checkpoints import analyse, synthesize


def rates(lead: float, reps: int, B: int) -> dict:
    verdicts = []
    for r in range(reps):
        data = synthesize("step", seed=10_000 + r, probe_lead=lead, n_eval=300).data
        verdicts.append(analyse(data, B=B, seed=r, detectors=False).probe["lead"]["verdict"])
    v = np.array(verdicts)
    return {k: float((v == k).mean()) for k in ("probe_leads", "probe_lags", "not_resolved")}


if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    B = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    for lead in (0.0, 0.05, 0.1, 0.2):
        r = rates(lead, reps, B)
        p = r["probe_leads"]
        print(f"lead {lead:.2f}: probe_leads {p:.3f} (se {np.sqrt(p * (1 - p) / reps):.3f}), "
              f"probe_lags {r['probe_lags']:.3f}, not_resolved {r['not_resolved']:.3f} "
              f"[{reps} data sets x B = {B}]", flush=True)
