"""What a reader sees cites the papers or the project's docs, never the team's notes.

The theory pages the project was built from are internal: their labels (numbered formulas and
claims, named parameter sets, "seed" numbers) and their file names do not ship. A quantity's
description and source, a claim's statement and source, the LaTeX document, and every docstring that
the API reference shows must make sense to a reader who never saw them.
"""

import importlib
import inspect
import pkgutil
import re

import pytest

from theory import catalogue, claims, registry

#: The notes' labels and file names. A docs page is cited as ``docs/<page>.md`` (it ships).
INTERNAL = re.compile(
    r"\bPT\(i+\)|\b(?:[FTSRW]\d{1,2}|C[12]|PT|set [A-D]|[Ss]eed 00\d|claim \d+)\b"
    r"|(?<![/\w])(?:linear|nonlinear|pretraining|checkpoints|certified|beyond)\.md"
    r"|\bsec\. \d")


def _offending(text: str) -> list[str]:
    return [m.group(0) for m in INTERNAL.finditer(text or "")]


def test_the_pattern_catches_the_notes_labels_and_spares_docs_pages():
    caught = "T1: overlap (F14), Theorem C1, PT(i), set D, seed 003, linear.md sec. 3 claim 2"
    assert _offending(caught) == ["T1", "F14", "C1", "PT(i)", "set D", "seed 003", "linear.md",
                                  "sec. 3", "claim 2"]
    spared = ("derived in w2s-theory (docs/pretraining.md); arXiv:2605.05710; arXiv:2505.18346 "
              "Theorem 5; the F-statistic; d = 100; gamma_s > 1; R^2; W_1; Ann. Statist. 46")
    assert _offending(spared) == []


def test_quantities_and_claims_cite_papers_or_docs():
    bad = {}
    for name in registry.names():
        q = registry.get(name)
        found = _offending(q.description) + _offending(q.source)
        if found:
            bad[name] = found
    for c in claims.claims():
        found = _offending(c.statement) + _offending(c.source)
        if found:
            bad[c.id] = found
    assert bad == {}


def _public_modules():
    for package in ("theory", "numerics", "proofs_check"):
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if info.name.split(".")[-1].startswith("_") or info.name.endswith("__main__"):
                continue
            yield importlib.import_module(info.name)


def test_docstrings_in_the_api_reference_cite_papers_or_docs():
    bad = {}
    for module in _public_modules():
        found = _offending(module.__doc__)
        if found:
            bad[module.__name__] = found
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            found = _offending(inspect.getdoc(obj))
            if found:
                bad[f"{module.__name__}.{name}"] = found
    assert bad == {}


def test_mechanism_descriptions_cite_papers_or_docs():
    bad = {}
    for mech in catalogue.catalogue().values():
        found = _offending(mech.title) + _offending(mech.source) + _offending(mech.simulate_help)
        if found:
            bad[mech.name] = found
    assert bad == {}


@pytest.mark.slow
def test_the_latex_document_has_no_internal_label():
    from theory.document import document

    text = document(claims=True).replace(r"/\allowbreak{}", "/")
    found = sorted(set(_offending(text)))
    assert found == []
