"""The shape of the code: layers and no import circles (the import-linter contract of
pyproject.toml), no library module over 800 lines, each package's ``__all__`` equal to what it
exports, no private name imported across modules, and no engine that names a mechanism."""

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("theory", "numerics", "proofs_check")
LIMIT = 800


def _modules():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_import_linter_contract_is_kept():
    pytest.importorskip("importlinter")
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_library_module_over_800_lines(path):
    assert len(path.read_text().splitlines()) <= LIMIT


def test_no_private_name_is_imported_across_modules():
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.split(".")[0] in PACKAGES:
                offenders += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                              for a in node.names
                              if a.name.startswith("_") and a.name != "__version__"]
    assert not offenders, offenders


def test_no_frame_inspection_or_patched_mpmath_contexts():
    for path in _modules():
        text = path.read_text()
        assert "sys._getframe" not in text, path


ENGINES = ["proofs_check/routes.py", "proofs_check/certified.py",
           "proofs_check/certified_witness.py", "proofs_check/montecarlo.py",
           "proofs_check/checking.py", "proofs_check/judge.py", "numerics/sweep.py",
           "numerics/boundary.py", "numerics/plots/boundary.py", "numerics/plots/__init__.py",
           "numerics/namespaces.py", "numerics/evaluate.py", "numerics/evaluate_confirm.py",
           "numerics/float64.py",
           "theory/registry.py", "theory/claims.py", "theory/catalogue.py",
           *[str(p.relative_to(ROOT)) for p in (ROOT / "proofs_check" / "cli").glob("*.py")]]
MECHANISM_WORDS = re.compile(r"\b(ridge|weighted_ridge|multi_index|single_index|spectral|"
                             r"marchenko_pastur|hermite|activations)\b")


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_do_not_name_a_mechanism(engine):
    """An engine's code (docstrings and comments aside) never names a built-in mechanism."""
    tree = ast.parse((ROOT / engine).read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                    ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    named = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings and MECHANISM_WORDS.search(node.value):
            named.append(node.value)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            named += [n for n in names if MECHANISM_WORDS.search(n)]
        elif isinstance(node, ast.Name) and MECHANISM_WORDS.search(node.id):
            named.append(node.id)
    assert not named, named


@pytest.mark.parametrize("package", ["theory", "numerics", "proofs_check", "numerics.simulate",
                                     "numerics.plots", "numerics.sweeps", "numerics.boundaries",
                                     "numerics.checkpoints"])
def test_all_lists_what_the_package_exports(package):
    """Every name of ``__all__`` resolves, and every public name the package's ``__init__``
    defines or re-exports from its own modules is in ``__all__``."""
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name, None) is not None, f"{package}.{name} in __all__ is missing"
    tree = ast.parse(Path(module.__file__).read_text())
    defined = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith(package + "."):  # a re-export of its own module
            defined |= {a.asname or a.name for a in node.names}
    public = {n for n in defined if not n.startswith("_")}
    submodules = {m.name for m in pkgutil.iter_modules(getattr(module, "__path__", []))}
    missing = sorted(public - set(module.__all__) - submodules - {"annotations"})
    assert not missing, f"{package} defines {missing} but leaves them out of __all__"
