"""The package's doctests run, on the installed package (the one the other tests use)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import regiongraph

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(regiongraph.__path__, "regiongraph.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_there_are_doctests() -> None:
    finder = doctest.DocTestFinder()
    found = sum(
        len([t for t in finder.find(importlib.import_module(name)) if t.examples])
        for name in MODULES
    )
    assert found >= 5
