"""Every claim the certified route certifies has a false variant that the route refutes.

``CERTIFIED`` is the list of registered claims that ``w2s verify --routes certified`` certifies
(docs/certified.md gives the count and a reason for every other claim). For each: the original
is certified, and every mutant of it (the mutants of the symbolic and sampled routes' tests) is
refuted, never certified: a ``forall`` mutant by a counterexample at an exact point, confirmed
with ``arb`` and by an independent 60-digit evaluation; an existence mutant by a certificate
that no witness exists at one exact point.
"""

import re
from pathlib import Path

import pytest

from proofs_check.certified import certify
from tests.beyond.test_interaction import _mutants as interaction_mutants
from tests.beyond.test_misfit import _mutants as misfit_mutants
from tests.proofs_check.test_certified import _refuted_with_a_confirmed_point
from tests.proofs_check.test_mutations import _mutants as paper_mutants
from theory.claims import claim, claim_ids

DOCS = Path(__file__).resolve().parents[2] / "docs" / "certified.md"

CERTIFIED = (
    "interaction.population_gain_superadditive",
    "misfit.ridge_finite_student_fails",
    "misfit.ridge_population_realisable",
    "misfit.ridge_population_unrealisable_fails",
    "misfit.single_index_nonconvex_fails",
    "misfit.single_index_overshooting_weak_link",
    "multi_index.feature_risk_is_a_risk",
    "multi_index.larger_step_dilutes_hard_direction",
    "multi_index.no_easy_w2s",
    "multi_index.optimal_joint_step",
    "multi_index.regime_a_threshold",
    "multi_index.second_step_shrinks_hard_component",
    "multi_index.simultaneous_alignment",
    "multi_index.teacher_learns_only_easy_direction",
    "multi_index.w2s_iff_below_critical_ratio",
    "ridge.dobriban_wager_optimal_ridge",
    "ridge.over_regularised_teacher_never_beaten",
    "ridge.population_student_optimum",
    "ridge.under_regularised_teacher_is_beaten",
    "single_index.escape_time_law",
    "single_index.gd_overlap_increases",
    "single_index.geodesic_cap_pure_cubic",
    "single_index.perturbed_strong_convexity",
    "single_index.pretraining_pgr_jumps_up",
    "single_index.pretraining_threshold_above_bbp",
    "single_index.quadratic_envelope",
    "spectral.budget_iff_overlap",
    "spectral.overlap_decreases_with_gamma",
    "spectral.top_eigenvalue_above_bulk_edge",
    "weighted_ridge.aligned_population_student_beats_optimal_teacher",
    "weighted_ridge.aligned_student_beats_optimal_teacher",
    "weighted_ridge.population_gain_is_optimal",
    "weighted_ridge.unaligned_student_never_beats_optimal_teacher",
)


def _mutants_of(claim_id):
    every = list(paper_mutants()) + list(misfit_mutants()) + list(interaction_mutants())
    return [(name, m) for name, m in every if m.id == claim_id]


def test_every_certified_claim_is_registered_and_has_a_mutant():
    assert len(CERTIFIED) >= 30 and set(CERTIFIED) <= set(claim_ids())
    assert [c for c in CERTIFIED if not _mutants_of(c)] == []


def test_the_docs_state_the_certified_count():
    text = DOCS.read_text()
    (count,) = re.findall(r"over the 55 claims registered now: \*\*(\d+) certified\*\*", text)
    assert int(count) == len(CERTIFIED)


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", CERTIFIED)
def test_certified_and_every_mutant_refuted_never_certified(claim_id):
    assert certify(claim(claim_id)).status == "certified", claim_id
    for name, mutant in _mutants_of(claim_id):
        if mutant.kind == "forall":
            _refuted_with_a_confirmed_point(mutant)
        else:  # no witness at one exact point: certified over the whole witness range (or
            # the range is empty)
            r = certify(mutant)
            assert r.status == "refuted" and r.counterexample, (name, r.detail)
            assert "certified over the whole witness range" in r.detail or \
                "range of lam_s is empty" in r.detail, (name, r.detail)
