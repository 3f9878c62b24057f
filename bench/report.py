#!/usr/bin/env python3
"""Render bench/results-*.json as the tables of bench/RESULTS.md.

python bench/report.py bench/results-quick.json [bench/results-full.json ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def seconds(measure: dict | None) -> str:
    if not measure:
        return "–"
    if measure.get("timeout"):
        return f"> {measure['timeout']:.0f} s (stopped)"
    return f"{measure['wall']:.3f} s"


def megabytes(measure: dict | None) -> str:
    if not measure or not measure.get("rss_mb"):
        return "–"
    return f"{measure['rss_mb']:.0f} MB"


def ratio(entry: dict) -> str:
    if "ratio" in entry:
        return f"{entry['ratio']:.1f}×"
    if "ratio_at_least" in entry:
        return f"> {entry['ratio_at_least']:.0f}×"
    return "–"


def render(path: Path) -> str:
    results = json.loads(path.read_text(encoding="utf-8"))
    machine = results["machine"]
    lines = [
        f"### `{results['command']}` ({results['date']})",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} memory; "
        f"Python {machine['python']}; {machine['platform']}.",
        "",
    ]
    startup = results.get("startup")
    if startup:
        lines += [
            f"Start-up: `regiongraph --help` {seconds(startup['ours'])} "
            f"({megabytes(startup['ours'])}); `python -c 'import click, rdflib, pyshacl'` "
            f"{seconds(startup['baseline'])}: {ratio(startup)}.",
            "",
        ]
    shapes = results.get("shapes") or {
        "": {"sizes": results["sizes"], "growth": results.get("growth")}
    }
    for shape, block in shapes.items():
        lines += render_shape(shape, block["sizes"], block.get("growth"))
    return "\n".join(lines)


def render_shape(shape: str, sizes: dict, growth: dict | None) -> list[str]:
    lines: list[str] = []
    for size, data in sizes.items():
        title = (
            "the shipped FY2013 list (8 regions, "
            if size == "0"
            else f"{int(size):,} regions, {shape} shape ("
            if shape
            else f"{int(size):,} regions ("
        )
        lines += [
            f"#### {title}{data['triples']:,} triples)",
            "",
            "| task | regiongraph | peak RSS | baseline (rdflib / pyshacl) | peak RSS | speed-up |",
            "|---|---|---|---|---|---|",
        ]
        for task, entry in data["tasks"].items():
            lines.append(
                f"| {task} | {seconds(entry['ours'])} | {megabytes(entry['ours'])} | "
                f"{seconds(entry.get('baseline'))} | {megabytes(entry.get('baseline'))} | "
                f"{ratio(entry)} |"
            )
        build = data["tasks"].get("build (parse, link, validate, 3 formats)", {})
        stages = (build.get("ours") or {}).get("stages") or {}
        if stages:
            lines += [
                "",
                "Build stages (validation runs alongside serialization): "
                + ", ".join(f"{name} {value:.2f} s" for name, value in stages.items())
                + ".",
            ]
        ours = build.get("ours") or {}
        if ours.get("process_mb"):
            lines += [
                "",
                f"Build memory: largest process {ours['process_mb']:.0f} MB, "
                f"whole process tree {ours['tree_mb']:.0f} MB.",
            ]
        anchor = data["tasks"].get("build vs oxigraph load of its N-Triples", {})
        if anchor.get("ratio"):
            lines += [
                "",
                f"Build against `oxigraph load` of the same N-Triples "
                f"({seconds(anchor.get('baseline'))}, {megabytes(anchor.get('baseline'))}): "
                f"the build takes {1 / anchor['ratio']:.2f}× as long.",
            ]
        plain = (build.get("baseline") or {}).get("stages") or {}
        if plain:
            lines += [
                "",
                "Baseline stages: "
                + ", ".join(
                    f"{name} {value:.2f} s" for name, value in plain.items() if name != "conforms"
                )
                + ".",
            ]
        checks = data.get("checks")
        if checks:
            failed = [name for name, ok in checks.items() if not ok]
            lines += [
                "",
                f"Checks against the baseline: {len(checks) - len(failed)} of {len(checks)} agree"
                + (
                    f"; differing: {', '.join(failed)}"
                    if failed
                    else " (same graph in all three formats, same answers to every named query)"
                )
                + ".",
            ]
        lines.append("")
    if growth:
        lines += [
            f"Growth from {growth['from']:,} to {growth['to']:,} regions (wall time ratio, ours): "
            + ", ".join(
                f"{task} {value:.1f}×"
                for task, value in growth.items()
                if task not in ("from", "to", "earlier")
            )
            + "."
            + (
                f" The {growth['from']:,}-region figures are from `{growth['earlier']}`."
                if "earlier" in growth
                else ""
            ),
            "",
        ]
    return lines


if __name__ == "__main__":
    print("\n".join(render(Path(p)) for p in sys.argv[1:]))
