from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "source" / "regional-innovation-strategy-regions-fy2013.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


BASE = "https://example.org/regiongraph/"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped project built once into a temporary directory."""
    from regiongraph.cli import main

    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(main, ["build", "--project", str(ROOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def graph(built):
    import rdflib

    return rdflib.Graph().parse(built / "regiongraph.ttl")
