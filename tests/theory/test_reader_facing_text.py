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
import sympy

from theory import catalogue, claims, registry

#: The notes' labels and file names. A docs page is cited as ``docs/<page>.md`` (it ships).
INTERNAL = re.compile(
    r"\bPT\(i+\)|\b(?:[FTSRW]\d{1,2}|C[12]|PT|set [A-D]|[Ss]eed 00\d|claim \d+)\b"
    r"|(?<![/\w])(?:linear|nonlinear|certified|beyond)\.md|(?<!\w)(?:pretraining|checkpoints)\.md"
    r"|\bsec\. \d")


def _offending(text: str) -> list[str]:
    return [m.group(0) for m in INTERNAL.finditer(text or "")]


def test_the_pattern_catches_the_notes_labels_and_spares_docs_pages():
    caught = ("T1: overlap (F14), Theorem C1, PT(i), set D, seed 003, linear.md sec. 3 claim 2, "
              "docs/pretraining.md")
    assert _offending(caught) == ["T1", "F14", "C1", "PT(i)", "set D", "seed 003", "linear.md",
                                  "sec. 3", "claim 2", "pretraining.md"]
    spared = ("derived in w2s-theory (docs/single-index.md); arXiv:2605.05710; arXiv:2505.18346 "
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


#: Glyphs that two entries share because they are one object, with the reason.
SAME_OBJECT = {
    r"B_2": "the teacher-summary parameter and its value at the P-ideal teacher",
    r"B_e": "the teacher-summary parameter and its value at the P-ideal teacher",
    r"Q": "the teacher-summary parameter and its value at the P-ideal teacher",
    r"\mathcal{L}_t": "the teacher's test risk, in each model that has a teacher",
    r"\mathsf{m}_0": "the initial overlap and its value after the spectral initialisation",
    r"q_0": "the initial overlap and its value after the spectral initialisation",
    r"\kappa_{\gamma}": "the effective regularisation and its shorthand",
    r"R_{\mathrm{feat}}": "the feature risk of a subspace, and its value at the student's subspace",
    r"\mathcal{A}": "the Frobenius fraction A(W, u), at different layers and directions",
    r"\overline{\cos^2}": "the mean squared cosine, at different layers and directions",
    r"\varphi": "the risk as a function of the overlap, and its values at given overlaps",
    "G": "the weak loss's slope G(q), and its values at given overlaps",
}


def _glyph(latex: str) -> str:
    """The symbol a definition introduces: ``\\varphi(\\mathsf{m})`` defines ``\\varphi`` (its
    arguments are not part of it); a subscript, a superscript or a prime is."""
    text = re.sub(r"\s+", "", latex)
    text = text.replace(r"\left(", "(").replace(r"\right)", ")")
    return re.sub(r"\((?:[^()]|\([^()]*\))*\)$", "", text).replace("_\\gamma", "_{\\gamma}")


def test_one_glyph_one_meaning_in_the_document():
    """A parameter, a shorthand or a quantity's left side that uses a glyph is the only thing
    the document writes with it (unless it is the same object, listed above)."""
    from theory import notation
    from theory.document import sections

    shown = {prefix for prefix, _ in sections()}
    meanings: dict[str, set] = {}
    for name in registry.names():
        q = registry.get(name)
        for p in q.parameters:
            meanings.setdefault(_glyph(p.latex_name), set()).add(("parameter", p.name))
        meanings.setdefault(_glyph(q.symbol), set()).add(
            ("quantity", name.removesuffix("_given_summary")))
    for n in notation.notations():
        if n.section not in shown:
            continue
        definition = sympy.srepr(notation.expand_notation(n.definition))
        meanings.setdefault(_glyph(n.latex_name), set()).add(("shorthand", definition))
    for glyph, meaning in meanings.items():
        if len(meaning) > 1 and glyph not in SAME_OBJECT:
            quantities = {m[1] for m in meaning if m[0] == "quantity"}
            definitions = {sympy.srepr(registry.get(q).expr) for q in quantities}
            shorthands = {m[1] for m in meaning if m[0] == "shorthand"}
            # a shorthand for exactly a quantity's definition is that quantity
            if len(meaning) == 2 and shorthands and shorthands <= definitions:
                continue
            raise AssertionError(f"{glyph} has {len(meaning)} meanings: {sorted(meaning)}")


def test_the_glyph_of_a_definition():
    assert _glyph(r"\varphi(\mathsf{m})") == _glyph(r"\varphi(\rho_w q^*)") == r"\varphi"
    assert _glyph(r"\varphi'(\mathsf{m})") == r"\varphi'"
    assert _glyph(r"\kappa_\gamma\left(\lambda\right)") == r"\kappa_{\gamma}"
    assert _glyph(r"m_{t+1}") == "m_{t+1}" and _glyph(r"R_{\Sigma}(\mathsf{m}, p)") == r"R_{\Sigma}"
