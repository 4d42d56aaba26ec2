"""The package shows its architecture: stage packages, imports that point one way (the contracts of
``[tool.importlinter]`` in pyproject.toml), spaCy only in kg.nlp and kg.training, no private name used across
packages, and each package saying what it exports."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "kg"
STAGES = ["ingest", "ontology", "nlp", "ground", "extract", "graph", "rdf", "draw", "browse", "corpora", "evaluation",
          "training", "scale"]


def test_import_contracts_hold():
    """lint-imports (import-linter) checks the layers, the forbidden imports and the absence of cycles."""
    exe = shutil.which("lint-imports", path=str(ROOT / ".venv" / "bin")) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    run = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_the_tree_reads_as_the_pipeline():
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted(STAGES)
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert {"model", "errors", "config", "pipeline", "cli"} <= set(top)


@pytest.mark.parametrize("package", STAGES)
def test_each_package_says_what_it_exports(package):
    mod = importlib.import_module(f"kg.{package}")
    assert mod.__doc__ and len(mod.__doc__.strip()) > 40
    exported = getattr(mod, "__all__", None)
    assert exported, f"kg.{package} has no __all__"
    for name in exported:
        assert not name.startswith("_")
        assert getattr(mod, name, None) is not None, f"kg.{package}.{name}"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name


def test_no_private_name_crosses_a_package():
    found = []
    for path in PACKAGE.rglob("*.py"):
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for module, name in _imports(path):
            parts = module.split(".")
            if parts[0] != "kg" or len(parts) < 2:
                continue
            if parts[1] != own and name.startswith("_") and not name.startswith("__"):
                found.append(f"{path.relative_to(ROOT)}: from {module} import {name}")
    assert not found, found


def test_importing_the_library_loads_no_spacy():
    """The graph, RDF, drawing and evaluation side runs without spaCy: only kg.nlp loads it, when needed."""
    code = ("import sys, kg.pipeline, kg.rdf, kg.draw, kg.browse, kg.evaluation, kg.cli; "
            "print(sorted(m for m in ('spacy', 'scispacy', 'medspacy', 'jieba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
