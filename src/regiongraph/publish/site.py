"""The static linked-data site: a page for people and data for machines for every IRI.

It reads the built files only (graph, description, ontology), never the sources. Every resource
under the base IRI gets ``{path}.html`` (its labels in Japanese and English, its statements with
the linked resources' labels, the evidence of its links, the links that point to it) and
``{path}.ttl``, ``.jsonld`` and ``.nt`` holding exactly its own description; an index lists the
regions, the dumps are copied (and gzipped) beside them, and ``.htaccess`` and ``nginx.conf``
make the extension-less IRIs negotiate. Links are relative, so the site works from any address
and offline; nothing is loaded from outside. Output is deterministic and written atomically (a
failed publish leaves the previous site as it was).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from regiongraph.files import staged_directory
from regiongraph.project import Project
from regiongraph.publish.graph import read_site_graph
from regiongraph.publish.render import DATA_FORMATS, TEMPLATES, Renderer, assets


@dataclass
class PublishResult:
    """What was published where."""

    out: Path
    pages: int
    files: int


def publish(project: Project, out: Path | None = None) -> PublishResult:
    """Write the site of the project's build into ``out`` (default: ``dist/site``)."""
    renderer = Renderer(read_site_graph(project.dist), project)
    target = out if out is not None else project.dist.directory / "site"
    downloads = renderer.dumps
    with staged_directory(target) as stage:
        resources = renderer.graph.resources()
        workers = max(1, min(os.cpu_count() or 1, 4))
        shares = [resources[i::workers] for i in range(workers)]

        def render(share: list[str]) -> None:
            for iri in share:
                _write_resource(renderer, iri, stage)

        from regiongraph.isolate import Child

        # Pages are independent: a forked child per core renders and writes a share of them.
        children = [Child(functools.partial(render, share)) for share in shares[1:]]
        render(shares[0])
        for child in children:
            child.result()
        (stage / "index.html").write_text(renderer.index(), encoding="utf-8")
        (stage / "shapes.html").write_text(renderer.shapes(), encoding="utf-8")
        for dump in downloads:  # after the resources: the ontology's dump is its Turtle
            (stage / dump.file).write_bytes(dump.data)
        (stage / "downloads.json").write_text(json.dumps(renderer.downloads, indent=1) + "\n")
        (stage / "assets").mkdir()
        for asset in assets():
            (stage / "assets" / asset.name).write_bytes(asset.read_bytes())
        for name in (".htaccess", "nginx.conf"):
            (stage / name).write_bytes((TEMPLATES / name).read_bytes())
        written = [p for p in stage.rglob("*") if p.is_file()]
    pages = sum(1 for p in written if p.suffix == ".html")
    return PublishResult(target, pages, len(written))


def _write_resource(renderer: Renderer, iri: str, stage: Path) -> None:
    relative = iri[len(renderer.graph.base) :]
    path = stage / f"{relative}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(renderer.page(iri), encoding="utf-8")
    described = renderer.description(iri)
    for suffix in DATA_FORMATS:
        (stage / f"{relative}.{suffix}").write_bytes(renderer.data(iri, suffix, described))
