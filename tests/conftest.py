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
