"""bench/: the benchmark's own parts run on the shipped list, so that a change cannot break them
unnoticed (the figures themselves are measured by bench/run, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, copy_project


def test_the_rdflib_baseline_builds_the_same_graph_validates_and_answers_a_query(tmp_path) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    project = copy_project(tmp_path / "project")
    baseline = [sys.executable, str(ROOT / "bench" / "baseline.py")]
    built = subprocess.run(
        [*baseline, "build", str(project), str(tmp_path / "plain")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert {"parse+link", "graph", "serialize turtle"} <= set(json.loads(built.stdout))
    subprocess.run(
        [sys.executable, "-m", "regiongraph", "build", "--project", str(project)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ours = rdflib.Graph().parse(project / "dist" / "regiongraph.nt")
    plain = rdflib.Graph().parse(tmp_path / "plain" / "regiongraph.nt")
    plain -= rdflib.Graph().parse(project / "dist" / "dataset.ttl")  # inline, without checksums
    assert len(ours) > 1500 and isomorphic(plain, ours)
    validated = subprocess.run(
        [*baseline, "validate", str(project)], capture_output=True, text=True, timeout=300
    )
    assert validated.returncode == 0, validated.stderr
    answered = subprocess.run(
        [*baseline, "query", str(project), "regions-in-prefecture", "pref=富山県"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert answered.returncode == 0, answered.stderr
