"""The catalogue of mechanisms: discovery by entry point, order, and refusals."""

import warnings

import pytest

from theory import catalogue
from theory.mechanism import Mechanism, MechanismError, resolve
from theory.mechanisms import BUILTIN


@pytest.fixture
def entry_points(monkeypatch):
    """Replace the installed entry points by a list of ``(name, value)`` for one test."""
    def use(pairs):
        monkeypatch.setattr(catalogue, "_entry_points", lambda: list(pairs))
        catalogue.refresh()
        return catalogue.catalogue()

    yield use
    monkeypatch.undo()
    catalogue.refresh()


def _builtin_pairs():
    return [(m.name, f"theory.mechanisms:{name}") for name, m in
            (("MP", BUILTIN[0]), ("RIDGE", BUILTIN[1]), ("WEIGHTED_RIDGE", BUILTIN[2]),
             ("MULTI_INDEX", BUILTIN[3]), ("SINGLE_INDEX", BUILTIN[4]))]


TOY = Mechanism(name="toy", title="toy", source="test", theory=(("toy", "tests.nowhere"),))
CLASH = Mechanism(name="clash", title="clash", source="test", theory=(("ridge", "tests.x"),))


def test_the_built_ins_are_registered_by_entry_point_like_any_package():
    from importlib.metadata import entry_points

    found = {ep.name: ep.value for ep in entry_points(group=catalogue.GROUP)}
    builtin = dict(_builtin_pairs())
    assert {k: found[k] for k in builtin} == builtin
    # the mechanisms beyond the two papers are plug-ins of the same package, nothing else
    assert {k: v for k, v in found.items() if k not in builtin} == {
        "chain": "theory.beyond_mechanisms:CHAIN", "misfit": "theory.beyond_mechanisms:MISFIT",
        "interaction": "theory.beyond_mechanisms:INTERACTION"}


def test_built_ins_come_first_in_their_order_then_others_by_name(entry_points):
    import tests.theory.test_catalogue as me

    known = entry_points([("toy", "tests.theory.test_catalogue:TOY"), *_builtin_pairs()[::-1]])
    assert list(known) == ["mp", "ridge", "weighted_ridge", "multi_index", "single_index", "toy"]
    assert known["toy"] is me.TOY


def test_a_broken_plug_in_is_left_out_with_a_warning(entry_points):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        known = entry_points([*_builtin_pairs(), ("broken", "no_such_package.mod:THING")])
    assert "broken" not in known and "ridge" in known
    assert any("broken = no_such_package.mod:THING does not load" in str(w.message)
               for w in caught)


def test_a_name_that_disagrees_with_the_entry_point_is_refused(entry_points):
    with pytest.raises(MechanismError, match="names the mechanism 'toy'"):
        entry_points([*_builtin_pairs(), ("other", "tests.theory.test_catalogue:TOY")])


def test_two_mechanisms_claiming_one_prefix_are_refused(entry_points):
    with pytest.raises(MechanismError, match="both claim the prefix 'ridge'"):
        entry_points([*_builtin_pairs(), ("clash", "tests.theory.test_catalogue:CLASH")])


def test_an_entry_point_that_is_not_a_mechanism_is_refused(entry_points):
    with pytest.raises(MechanismError, match="not a theory.mechanism.Mechanism"):
        entry_points([*_builtin_pairs(), ("mp2", "theory.symbols:parameters")])


def test_owner_and_unknown_names():
    assert catalogue.owner("activations.kappa").name == "multi_index"
    assert catalogue.owner("nothing.at_all") is None
    with pytest.raises(KeyError, match="did you mean weighted_ridge"):
        catalogue.mechanism("weighted_rigde")


@pytest.mark.parametrize("bad, message", [
    (dict(name="Bad-Name"), "use lower case"),
    (dict(theory=(("ok", "m"), ("also ok",))), r"\(prefix, module\) pairs"),
    (dict(claims="not a reference"), "claims must be a reference"),
    (dict(figures={"f": "module_only"}), "f must be a reference"),
])
def test_bad_descriptions_are_refused_at_construction(bad, message):
    fields = dict(name="toy", title="t", source="s")
    with pytest.raises(MechanismError, match=message):
        Mechanism(**{**fields, **bad})


def test_resolve_names_what_is_missing():
    with pytest.raises(MechanismError, match="module no_such_module does not import"):
        resolve("no_such_module:x")


def test_a_second_listing_imports_no_theory_module_and_builds_no_claim():
    """``w2s list`` reads its rows from the disk cache: a second process imports none of the
    mechanisms' theory modules and constructs no claim, and prints what a fresh build gives."""
    import json
    import subprocess
    import sys

    from theory.claims import claims
    from theory.registry import get, names

    code = ("import json, sys; from theory.listing import listing; rows = listing(); "
            "print(json.dumps([rows, sorted(m for m in sys.modules if m.startswith('theory.') "
            "and m.split('.')[1] in ('ridge', 'weighted_ridge', 'multi_index', 'single_index', "
            "'spectral', 'claims', 'activations'))]))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], check=True,
                                      capture_output=True, text=True).stdout) for _ in range(2)]
    assert runs[1][1] == []  # the first run may have built them (a cold cache), not the second
    assert runs[0][0] == runs[1][0]
    quantities, claim_rows = runs[1][0]
    assert quantities == [[n, [p.name for p in get(n).parameters], get(n).description]
                          for n in names()]
    assert claim_rows == [[c.id, c.kind, c.source] for c in claims()]
