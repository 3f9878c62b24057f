"""The architecture's rules hold: the import contracts of pyproject.toml, checked by import-linter."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "regiongraph"


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_there_are_at_least_three_contracts() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert len(config["tool"]["importlinter"]["contracts"]) >= 3


def test_layout_is_by_stage() -> None:
    """At least four stage packages, at most ten loose modules beside them."""
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"source", "link", "rdf", "graph", "validation", "sparql"} <= packages
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert len(loose) <= 10, sorted(loose)


def test_public_api_is_exported() -> None:
    import regiongraph

    for name in ("extract", "build", "load", "validate", "query"):
        assert callable(getattr(regiongraph, name)), name
        assert name in regiongraph.__all__
    assert issubclass(regiongraph.NotBuiltError, regiongraph.RegiongraphError)
