"""PGR with confidence intervals and the emergence of weak-to-strong generalisation over
pre-training checkpoints.

Estimation only (``proofs_check.emergence`` turns the estimates into a verdict). Derivation and
choices: the docs page ``docs/checkpoint-analysis.md``. Given the scores of a weak supervisor, a
weak-to-strong student and a strong ceiling across pre-training checkpoints ``k = 0..K-1`` of the strong model:

* per checkpoint: gain ``Delta_k = sign (P_w2s - P_weak)``, gap
  ``Gamma_k = sign (P_ceil - P_weak)``, ``PGR_k = Delta_k / Gamma_k`` with a status
  (:data:`STATUSES`), bootstrap percentile CIs and the Fieller (1954) interval of the ratio as an
  analytic cross-check;
* the ceiling-emergence checkpoint ``k0``: the first index after which the one-sided 95% lower
  bound of the gap stays positive;
* the existence test of emergence on the gain curve after ``k0`` (max over suffixes of the
  studentised suffix mean, calibrated by the bootstrap) and the single mean-shift change point with
  its bootstrap CI;
* a synthetic generator on Pythia's checkpoint schedule (:func:`synthesize`), with a theory mode
  driven by a :class:`TheoryProfile`.

Inputs are the aggregate CSV (one row per checkpoint and seed: ``step, weak, w2s, ceiling`` and
optionally ``seed, tokens, n_eval, task, model, metric``) and optionally the per-example CSV (long
format ``step, seed, role, example_id, score``). Invalid input raises :class:`CheckpointDataError`
naming the file, row and column.

The modules, each importing only those before it: ``schedules`` (Pythia's and OLMo's checkpoint
steps, :func:`schedule`), ``reading`` (the CSVs, :class:`CheckpointData`), ``harness``
(lm-evaluation-harness result files: :func:`read_results`, :func:`assemble`), ``resampling``
(:func:`bootstrap`), ``statistics`` (Fieller, change points, ceiling emergence, detectors),
``integrity`` (identical checkpoints, outliers, missing or repeated steps: :func:`check_data`,
:func:`check_runs`), ``probes`` (a linear probe's correlation with W2SG and the lead/lag test),
``analysis`` (:func:`analyse`) and ``synthetic`` (:func:`synthesize`). Import the public names
from ``numerics.checkpoints``.

Examples
--------
>>> from numerics.checkpoints import analyse, synthesize
>>> synthetic = synthesize("step", seed=1)
>>> result = analyse(synthetic.data, B=200, seed=0)
>>> int(result.steps[result.k0]), result.change["step"]
(4000, 10000)
>>> bool(result.test["T"] > result.test["c"])
True
"""

from numerics.checkpoints import analysis, resampling, synthetic
from numerics.checkpoints.analysis import DEFINED, Analysis, analyse
from numerics.checkpoints.harness import HarnessRun, assemble, read_results
from numerics.checkpoints.integrity import Flag, check_data, check_runs, drop_runs, drop_steps
from numerics.checkpoints.probes import correlations, probe_report
from numerics.checkpoints.schedules import SCHEDULES, schedule
from numerics.checkpoints.reading import (CheckpointData, CheckpointDataError, read, read_aggregate,
                                          read_examples)
from numerics.checkpoints.resampling import Replicates, bootstrap
from numerics.checkpoints.statistics import (ceiling_emergence, change_point, fieller,
                                             normal_quantile)
from numerics.checkpoints.synthetic import (SyntheticData, TheoryProfile, default_theory_profile,
                                            population_score, pythia_steps, single_index_profile,
                                            synthesize)

from numerics.checkpoints.analysis import COLUMNS, X_AXES
from numerics.checkpoints.reading import ROLES
from numerics.checkpoints.synthetic import PT_CEILING_THRESHOLD, PT_W2S_THRESHOLD

# the public constants, bound here with their ``#:`` comments so that the API reference (autodoc
# reads the comments of the module it documents) describes them under numerics.checkpoints
#: PGR statuses, in the order they are tested (first match wins).
STATUSES = analysis.STATUSES
#: Bootstrap modes (``None`` picks the first that the data support, in this order).
MODES = resampling.MODES
#: The anchor point of arXiv:2605.05710 used in the docs (``docs/single-index.md``), the default of
#: :func:`single_index_profile`.
SET_D = synthetic.SET_D

__all__ = ["CheckpointDataError", "CheckpointData", "Analysis", "Replicates", "STATUSES", "MODES",
           "read", "read_aggregate", "read_examples", "bootstrap", "analyse", "fieller",
           "change_point", "ceiling_emergence", "normal_quantile", "pythia_steps",
           "TheoryProfile", "default_theory_profile", "single_index_profile", "SET_D",
           "SyntheticData", "synthesize",
           "population_score", "COLUMNS", "X_AXES", "ROLES", "PT_CEILING_THRESHOLD",
           "PT_W2S_THRESHOLD", "DEFINED", "HarnessRun", "read_results", "assemble", "Flag",
           "check_data", "check_runs", "drop_steps", "drop_runs", "correlations", "probe_report",
           "SCHEDULES", "schedule"]
