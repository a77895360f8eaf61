"""The symbolic route computes a registered claim's proof once per machine, and never hands a
cached proof to a claim whose statement or proof is not the registered one."""

import pickle

import pytest
import sympy

from proofs_check import routes
from proofs_check.routes import symbolic
from theory import cache
from theory.claims import Claim, Proof, claim


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("W2S_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("W2S_CACHE", raising=False)
    return tmp_path


def _proof_entries(root):
    return sorted(p.name for p in root.rglob("proof/*.pickle"))


def test_a_registered_proof_is_computed_once(cache_dir):
    c = claim("spectral.budget_iff_overlap")
    first = symbolic(c)
    assert first.status == "proved" and len(_proof_entries(cache_dir)) == 1
    original = c.proof

    def never():
        raise AssertionError("the proof ran again")

    # the entry is keyed on the proof's qualified name, not on the function object: swap in a
    # function that fails under the same names, and the cached proof is read back instead
    never.__module__, never.__qualname__ = original.__module__, original.__qualname__
    object.__setattr__(c, "proof", never)
    try:
        again = symbolic(c)
    finally:
        object.__setattr__(c, "proof", original)
    assert (again.status, again.detail) == (first.status, first.detail)
    assert len(_proof_entries(cache_dir)) == 1


def test_a_cached_proof_pickles_to_an_equal_proof():
    p = claim("spectral.top_eigenvalue_above_bulk_edge").proof()
    assert isinstance(p, Proof) and pickle.loads(pickle.dumps(p)) == p


def test_a_mutant_with_the_same_id_does_not_read_the_cached_proof(cache_dir, monkeypatch):
    c = claim("spectral.budget_iff_overlap")
    assert symbolic(c).status == "proved"            # the registered proof is now cached
    mutant = c.replace(conclusion=sympy.Ge(c.margin + 1, 0, evaluate=False), proof=c.proof)
    assert mutant.id == c.id
    assert routes._statement_key(mutant) is None
    assert routes._statement_key(c) is not None
    read = []
    real = cache.cached
    monkeypatch.setattr(cache, "cached",
                        lambda kind, *a, **k: read.append(kind) or real(kind, *a, **k))
    ran = []

    def counted():
        ran.append(1)
        return Proof(False, (("a different statement", "False"),))

    assert symbolic(c.replace(conclusion=mutant.conclusion, proof=counted)).status == "inconclusive"
    assert symbolic(mutant).status == "proved"       # its own run of the proof it was given
    assert ran == [1] and "proof" not in read


def test_the_key_covers_the_statement(cache_dir):
    c = claim("spectral.budget_iff_overlap")
    key = routes._statement_key(c)
    assert c.id in key and sympy.srepr(c.conclusion) in key
    assert "theory.spectral._prove_budget" in key


def test_a_users_claim_runs_its_proof_every_time(cache_dir):
    from theory.claims import register_claim
    from theory.spectral import gamma_u, spike

    runs = []

    def prove():
        runs.append(1)
        return Proof(True, (("asserted", "True"),))

    import theory.claims

    mine = register_claim(Claim(spike + 1 >= gamma_u, id="conjecture.cache_test_gamma_u",
                                  proof=prove))
    try:
        assert routes._statement_key(mine) is None       # not a theory module's proof
        assert symbolic(mine).status == symbolic(mine).status == "proved"
    finally:
        del theory.claims._CLAIMS[mine.id]             # the session's registry as it was
    assert runs == [1, 1] and _proof_entries(cache_dir) == []
