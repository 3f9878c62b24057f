"""A build killed with SIGKILL while it writes leaves the previous output whole and readable,
and nothing that confuses the next build: a real subprocess on a large generated project."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

OLD, NEW = "https://old.example.jp/rg/", "https://new.example.jp/rg/"


@pytest.fixture(scope="module")
def large_project(tmp_path_factory):
    from generate import generate

    project = tmp_path_factory.mktemp("large") / "project"
    generate(1000, seed=7, out=project)
    return project


def build(project, base: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "regiongraph",
            "build",
            "--project",
            str(project),
            "--base-iri",
            base,
            "--no-validate",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bases_in(dist) -> set[str]:
    """The base IRI each file of ``dist`` was written with (all must parse)."""
    found = set()
    for name in ("regiongraph.nt", "regiongraph.ttl", "regiongraph.jsonld", "dataset.ttl"):
        fmt = ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])
        first = next(iter(ox.parse(path=dist / name, format=fmt)))  # parses, whole or not at all
        assert sum(1 for _ in ox.parse(path=dist / name, format=fmt)) > 0
        found |= {base for base in (OLD, NEW) if base in str(first.subject)}
    return found


@pytest.mark.parametrize("delay", [0.4, 0.9])  # a build takes about 1.2 s
def test_a_killed_build_leaves_the_previous_output_whole(large_project, delay) -> None:
    dist = large_project / "dist"
    assert build(large_project, OLD).wait(timeout=300) == 0
    assert bases_in(dist) == {OLD}
    running = build(large_project, NEW)
    time.sleep(delay)
    running.send_signal(signal.SIGKILL)
    running.wait(timeout=30)
    time.sleep(0.2)  # the killed build's child processes end with it (broken pipes)
    assert len(bases_in(dist)) == 1  # the old files, or (if it had finished) the new: never a mix
    leftovers = [p.name for p in large_project.iterdir() if p.name.startswith(".dist.")]
    assert build(large_project, NEW).wait(timeout=300) == 0
    assert bases_in(dist) == {NEW}
    after = [p.name for p in large_project.iterdir() if p.name.startswith(".dist.")]
    assert after == [] or set(after) < set(leftovers)  # stale staging removed
    assert oct(os.stat(dist).st_mode & 0o777) != "0o700"
