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
from typing import Any

from regiongraph.files import staged_directory
from regiongraph.project import Project
from regiongraph.publish.graph import read_site_graph
from regiongraph.publish.render import DATA_FORMATS, DUMPS, TEMPLATES, Renderer, assets, dumps


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
    graph = renderer.graph
    # Rendered last, here: the dataset's page lists the dumps' sizes and checksums, and a
    # resource whose path is a dump's name (the ontology) has that dump as its Turtle.
    shadowing = {name for name in DUMPS if graph.relative(graph.base + Path(name).stem)}
    last = {graph.base + "dataset", *(graph.base + Path(name).stem for name in shadowing)}
    with staged_directory(target, detach_removal=True) as stage:
        resources = [iri for iri in graph.resources() if iri not in last]
        workers = max(1, min(os.cpu_count() or 1, 4))
        shares = [resources[i::workers] for i in range(workers)]

        def render(share: list[str]) -> int:
            folders: set[str] = set()
            for iri in share:
                _write_resource(renderer, iri, stage, folders)
            return len(share)

        from regiongraph.isolate import Child

        # Pages are independent: a forked child per core renders and writes a share of them,
        # and one more gzips and writes the dumps meanwhile.
        dumping = Child(functools.partial(_write_dumps, project, stage, shadowing))
        children = [Child(functools.partial(render, share)) for share in shares[1:]]
        pages = render(shares[0])
        site = {
            "index.html": renderer.index().encode(),
            "shapes.html": renderer.shapes().encode(),
            **{f"assets/{asset.name}": asset.read_bytes() for asset in assets()},
            **{name: (TEMPLATES / name).read_bytes() for name in (".htaccess", "nginx.conf")},
        }
        pages += sum(child.result() for child in children)
        renderer.downloads, kept = dumping.result()
        pages += render([iri for iri in graph.resources() if iri in last])
        site |= {
            **kept,  # after the resources: the ontology's dump is its Turtle
            "downloads.json": (json.dumps(renderer.downloads, indent=1) + "\n").encode(),
        }
        files = pages * (1 + len(DATA_FORMATS)) + len(renderer.downloads) - len(kept)
        (stage / "assets").mkdir()
        files += sum(1 for name in site if not (stage / name).exists())
        for name, data in site.items():
            _write(stage / name, data)
        pages += sum(1 for name in site if name.endswith(".html"))
    return PublishResult(target, pages, files)


def _write_dumps(
    project: Project, stage: Path, shadowing: set[str]
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Write the dumps and their gzipped copies; return their rows, and the dumps named in
    ``shadowing`` (a resource's data file: ``ontology.ttl``), to be written after it."""
    found = dumps(project)
    kept = {dump.file: dump.data for dump in found if dump.file in shadowing}
    for dump in found:
        if dump.file not in kept:
            _write(stage / dump.file, dump.data)
    return [dump.row for dump in found], kept


def _write_resource(renderer: Renderer, iri: str, stage: Path, folders: set[str]) -> None:
    relative = iri[len(renderer.graph.base) :]
    folder = relative.rpartition("/")[0]
    if folder not in folders:
        (stage / folder).mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    _write(stage / f"{relative}.html", renderer.page(iri).encode())
    described = renderer.description(iri)
    for suffix in DATA_FORMATS:
        _write(stage / f"{relative}.{suffix}", renderer.data(iri, suffix, described))


def _write(path: Path, data: bytes) -> None:
    """``path`` holding ``data``: three system calls, where ``Path.write_bytes`` makes seven (a
    quarter of the site's kernel time went to the others)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:  # bounded: each write takes at least one byte
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)
