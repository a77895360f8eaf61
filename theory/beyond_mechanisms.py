"""Mechanisms beyond the two papers, described for the catalogue (plug-ins, no SymPy import).

Each description is registered under the entry point group ``w2s_theory.mechanisms`` in
``pyproject.toml``, exactly as a third-party package registers its own (``docs/extending.md``):
adding them changed no engine module.

``chain``
    a ridge teacher followed by a chain of ridge students, each on fresh data labelled by the
    level before (docs/chains.md);
``misfit``
    the misfit inequality of Charikar, Pabbaraju & Shiragur (arXiv:2405.15116, Theorem 1)
    instantiated on the ridge, weighted-ridge and single-index models (docs/misfit.md);
``interaction``
    mechanisms 1 and 2 of arXiv:2505.18346 together: an aligned weighted-ridge student of an
    under-regularised teacher (docs/interaction.md).

Examples
--------
>>> from theory.beyond_mechanisms import CHAIN
>>> CHAIN.prefixes, CHAIN.docs
(('chain',), 'chains.md')
"""

from theory.mechanism import Mechanism

__all__ = ["CHAIN", "MISFIT", "INTERACTION"]

#: A chain of ridge students, each trained on the previous level's labels.
CHAIN = Mechanism(
    name="chain",
    title="Chains of teachers: ridge students of ridge students",
    source="derived in w2s-theory (docs/chains.md); teacher of arXiv:2505.18346, mechanism 1",
    theory=(("chain", "theory.chain"),),
    claims="theory.chain_claims:claims",
    simulation="proofs_check.mechanisms.chain:simulation",
    plans="proofs_check.mechanisms.chain:PLANS",
    functions="numerics.chain_functions:FUNCTIONS",
    figures={"chain-risk": "numerics.plots.chain:risk_against_level"},
    docs="chains.md",
    simulate_help="lam_t, gamma_t, sigma2 (required), r2 = 1; levels lam_j, gamma_j for "
                  "j = 1..k (k <= 4, given in order), sigma2_j = 0; zeta in [-1, 1] and s >= 0 "
                  "make the last level an aligned weighted-ridge student; zeta and per-level "
                  "spikes s_j >= 0 make any level one (s_j = 0: a ridge level)",
)

#: The misfit inequality, stated once and instantiated on every model that fits.
MISFIT = Mechanism(
    name="misfit",
    title="The misfit inequality (gain >= misfit) on the ridge, weighted-ridge and "
          "single-index models",
    source="Charikar, Pabbaraju & Shiragur, arXiv:2405.15116, Theorem 1; instantiated in "
           "w2s-theory (docs/misfit.md)",
    theory=(("misfit", "theory.misfit"),),
    claims="theory.misfit:claims",
    simulation="proofs_check.mechanisms.misfit:simulation",
    plans="proofs_check.mechanisms.misfit:PLANS",
    reductions="proofs_check.mechanisms.misfit_reduction:REDUCTIONS",
    docs="misfit.md",
    simulate_help="lam_t, gamma_t, sigma2, lam_s, gamma_s (required), r2 = 1, zeta in [-1, 1] "
                  "and s >= 0 (0: the ridge student)",
)

#: Mechanisms 1 and 2 together.
INTERACTION = Mechanism(
    name="interaction",
    title="Mechanisms 1 and 2 together: an aligned student of an under-regularised teacher",
    source="derived in w2s-theory (docs/interaction.md) from arXiv:2505.18346, mechanisms 1-2",
    theory=(("interaction", "theory.interaction"),),
    claims="theory.interaction:claims",
    simulation="proofs_check.mechanisms.interaction:simulation",
    plans="proofs_check.mechanisms.interaction:PLANS",
    reductions="proofs_check.mechanisms.interaction_reduction:REDUCTIONS",
    docs="interaction.md",
    simulate_help="lam_t, gamma_t, sigma2, zeta in [-1, 1] (required), r2 = 1; the students "
                  "are simulated at gamma_s = 0.05 with c -> 1 and their best lam_s read off a "
                  "grid",
)
