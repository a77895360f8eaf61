"""The built-in mechanisms, described for the catalogue.

Each :class:`~theory.mechanism.Mechanism` below is registered under the entry point group
``w2s_theory.mechanisms`` in ``pyproject.toml``, the way a third-party package registers its
own (``docs/extending.md``). Everything specific to a mechanism lives in the modules these
descriptions name: its theory module(s) here in ``theory``, its simulator and sweep task in
``numerics``, its Monte Carlo plans, comparison table and certified-route reductions in
``proofs_check/mechanisms``.

Examples
--------
>>> from theory.mechanisms import BUILTIN
>>> [m.name for m in BUILTIN]
['mp', 'ridge', 'weighted_ridge', 'multi_index', 'single_index']
>>> sorted(RIDGE.figures)
['convergence', 'phase-diagram', 'student-risk']
"""

from theory.mechanism import Mechanism

__all__ = ["MP", "RIDGE", "WEIGHTED_RIDGE", "MULTI_INDEX", "SINGLE_INDEX", "BUILTIN"]

#: The shared base: the Marchenko-Pastur law, its Stieltjes transform and their functionals.
MP = Mechanism(
    name="mp",
    title="Marchenko-Pastur primitives (the shared base)",
    source="Marchenko and Pastur (1967); Bai and Silverstein (2010)",
    theory=(("mp", "theory.marchenko_pastur"),),
    functions="numerics.primitives:FUNCTIONS",
    docs="numerics.md",
)

#: Mechanism 1: a ridge teacher labels fresh inputs for a ridge student.
RIDGE = Mechanism(
    name="ridge",
    title="Ridge teacher, ridge student (mechanism 1)",
    source="arXiv:2505.18346, mechanism 1",
    theory=(("ridge", "theory.ridge"),),
    claims="theory.ridge:claims",
    simulation="proofs_check.mechanisms.ridge:simulation",
    sweep="numerics.sweeps.ridge:TASK",
    plans="proofs_check.mechanisms.ridge:PLANS",
    reductions="proofs_check.mechanisms.ridge:REDUCTIONS",
    figures={"student-risk": "numerics.plots.ridge:student_risk",
             "phase-diagram": "numerics.plots.ridge:phase_diagram",
             "convergence": "numerics.plots.ridge:convergence"},
    boundaries={"teacher_beaten": "numerics.boundaries.ridge:TEACHER_BEATEN"},
    docs="quantities.md",
    simulate_help="lam_t, lam_s, gamma_t, gamma_s, sigma2 (required), r2 = 1, sigma2_s = 0",
)

#: Mechanism 2: a weighted-ridge student aligned by pre-training.
WEIGHTED_RIDGE = Mechanism(
    name="weighted_ridge",
    title="Weighted-ridge student aligned by pre-training (mechanism 2)",
    source="arXiv:2505.18346, mechanism 2",
    theory=(("weighted_ridge", "theory.weighted_ridge"),),
    claims="theory.weighted_ridge:claims",
    simulation="proofs_check.mechanisms.weighted_ridge:simulation",
    plans="proofs_check.mechanisms.weighted_ridge:PLANS",
    reductions="proofs_check.mechanisms.weighted_ridge_witness:REDUCTIONS",
    figures={"gain-vs-zeta2": "numerics.plots.weighted_ridge:gain_vs_zeta2",
             "alignment-region": "numerics.plots.weighted_ridge:alignment_region"},
    boundaries={"alignment_threshold": "numerics.boundaries.weighted_ridge:ALIGNMENT_THRESHOLD"},
    docs="mechanism-2.md",
    simulate_help="lam_t, lam_s, gamma_t, gamma_s, sigma2 (required), r2 = 1, zeta in [-1, 1], "
                  "s >= 0",
)

#: Mechanism 3: one gradient step; easy features from the teacher, hard ones from pre-training.
MULTI_INDEX = Mechanism(
    name="multi_index",
    title="One gradient step of two-layer networks (mechanism 3)",
    source="arXiv:2505.18346, mechanism 3",
    theory=(("activations", "theory.activations"), ("multi_index", "theory.multi_index")),
    claims="theory.multi_index_claims:claims",
    simulation="proofs_check.mechanisms.multi_index:simulation",
    plans="proofs_check.mechanisms.multi_index:PLANS",
    reductions="proofs_check.mechanisms.multi_index_reductions:REDUCTIONS",
    figures={"multi-index-alignment": "numerics.plots.multi_index:alignment_vs_step",
             "multi-index-forgetting": "numerics.plots.multi_index:forgetting",
             "multi-index-w2s-region": "numerics.plots.multi_index:w2s_region"},
    boundaries={"critical_gamma_s": "numerics.boundaries.multi_index:CRITICAL_GAMMA_S"},
    docs="mechanism-3.md",
    simulate_help="ce1..ce4, ch2..ch4, sigma2, gamma_t, gamma_s, eta_t, eta_s, theta, zeta_h",
)

#: Pre-training as a spectral warm start for a single-index student.
SINGLE_INDEX = Mechanism(
    name="single_index",
    title="Spectral pre-training and fine-tuning of a single-index student",
    source="arXiv:2605.05710",
    theory=(("spectral", "theory.spectral"), ("single_index", "theory.single_index")),
    claims="theory.single_index_central:all_claims",
    simulation="proofs_check.mechanisms.single_index:simulation",
    plans="proofs_check.mechanisms.single_index_plans:PLANS",
    reductions="proofs_check.mechanisms.single_index_reductions:REDUCTIONS",
    sweep="numerics.sweeps.single_index:TASK",
    functions="numerics.single_index_roots:FUNCTIONS",
    figures={"gd-risk-vs-time": "numerics.plots.single_index:gd_risk_vs_time",
             "pgr-vs-budget": "numerics.plots.single_index:pgr_vs_budget",
             "sgd-phase-portrait": "numerics.plots.single_index:sgd_phase_portrait",
             "pgr-emergence": "numerics.plots.checkpoints:pgr_emergence"},
    boundaries={"pretraining_threshold": "numerics.boundaries.single_index:PRETRAINING_THRESHOLD",
                "bbp_point": "numerics.boundaries.single_index:BBP_POINT"},
    docs="single-index.md",
    simulate_help="spike, gamma_u, eta1, rho_w (required), c1..c4, b1..b4, zeta_vw, sigma2_s, "
                  "eta, delta, alpha, beta_B, algorithm=gd|mb|sgd, init=spectral|random, "
                  "steps=N (at most 10^6)",
)

#: The built-in mechanisms in document order (the catalogue lists them first, in this order).
BUILTIN = (MP, RIDGE, WEIGHTED_RIDGE, MULTI_INDEX, SINGLE_INDEX)
