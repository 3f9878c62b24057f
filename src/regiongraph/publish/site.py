"""The static linked-data site: a page for people and data for machines for every IRI.

It reads the built files only (graph, description, ontology), never the sources. Every resource
under the base IRI gets ``{path}.html`` (its labels in Japanese and English, its statements with
the linked resources' labels, the links that point to it) and ``{path}.ttl``, ``.jsonld`` and
``.nt`` holding exactly its own description; an index lists the regions, the dumps are copied
(and gzipped) beside them, and ``.htaccess`` and ``nginx.conf`` make the extension-less IRIs
negotiate. Links are relative, so the site works from any address and offline; nothing is
loaded from outside. Output is deterministic and written atomically (a failed publish leaves
the previous site as it was).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from regiongraph.errors import DataError
from regiongraph.files import staged_directory
from regiongraph.project import Dist, Project
from regiongraph.rdf.namespaces import DCTERMS, FOAF, RDF, RDFS, RG, SKOS, compact
from regiongraph.rdf.read import read_triples
from regiongraph.rdf.terms import triple_order
from regiongraph.rdf.write import JsonLdWriter, to_ntriples, to_turtle

LABELS = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title", FOAF + "name")
TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
#: Copied as they are (their sizes and checksums are in the dataset description); the
#: ontology's is also the data of the ontology's own IRI.
DUMPS = ("regiongraph.ttl", "regiongraph.jsonld", "regiongraph.nt", "ontology.ttl")


@dataclass
class PublishResult:
    """What was published where."""

    out: Path
    pages: int
    files: int


@dataclass
class _Graph:
    """The built graph as a publisher reads it: statements by subject and by object."""

    base: str
    prefixes: dict[str, str]
    context: dict[str, Any]
    uses: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # class or property
    outgoing: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    terms: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)  # see _term

    @functools.cached_property
    def jsonld(self) -> JsonLdWriter:
        """One JSON-LD writer for every resource's file (its context text made once)."""
        return JsonLdWriter(self.context)

    @functools.cached_property
    def _fragments(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for subject in self.outgoing:
            document, hash_, _ = subject.partition("#")
            if hash_:
                found[document].append(subject)
        return {document: sorted(parts) for document, parts in found.items()}

    def add(self, triple: ox.Triple) -> None:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode):
            return
        self.outgoing[subject.value].append(triple)
        self.uses[predicate] += 1
        if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
            self.uses[obj.value] += 1
        if isinstance(obj, ox.NamedNode):
            self.incoming[obj.value].append(triple)
        elif isinstance(obj, ox.Literal) and predicate in LABELS:
            language = obj.language or ""
            names = self.labels[subject.value]
            if language not in names or predicate == LABELS[0]:  # rdfs:label first
                names[language] = obj.value

    def resources(self) -> list[str]:
        """The IRIs under the base that have a description and no fragment: each gets pages.

        A hash IRI (``ontology#Region``) is described on its document's page (``ontology``).
        """
        return sorted(
            s
            for s in self.outgoing
            if s.startswith(self.base) and s != self.base and "#" not in s[len(self.base) :]
        )

    def fragments(self, iri: str) -> list[str]:
        """The hash IRIs of the document ``iri`` that have a description (read once all are in)."""
        return self._fragments.get(iri, [])

    def label(self, iri: str, language: str) -> str:
        """A label always: in ``language``, else Japanese, else English, else the IRI's name."""
        names = self.labels.get(iri, {})
        for choice in (language, "ja", "en", ""):
            if choice in names:
                return names[choice]
        return compact(iri, self.prefixes)


def publish(project: Project, out: Path | None = None) -> PublishResult:
    """Write the site of the project's build into ``out`` (default: ``dist/site``)."""
    import jinja2  # the publish extra: regiongraph.publish() names it when it is missing

    dist = project.dist
    files = dist.dataset_files()
    graph = _read(files, dist)
    target = out if out is not None else dist.directory / "site"
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    with staged_directory(target) as stage:
        resources = graph.resources()
        workers = max(1, min(os.cpu_count() or 1, 4))
        shares = [resources[i::workers] for i in range(workers)]

        def render(share: list[str]) -> None:
            for iri in share:
                _resource(environment, graph, iri, stage)

        from regiongraph.isolate import Child

        # Pages are independent: a forked child per core renders and writes a share of them.
        children = [Child(functools.partial(render, share)) for share in shares[1:]]
        render(shares[0])
        for child in children:
            child.result()
        (stage / "index.html").write_text(_index(environment, graph), encoding="utf-8")
        (stage / "shapes.html").write_text(_shapes(environment, project, graph), encoding="utf-8")
        for name in DUMPS:
            data = (dist.directory / name).read_bytes()
            (stage / name).write_bytes(data)
            (stage / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        downloads = _downloads(stage)
        (stage / "downloads.json").write_text(json.dumps(downloads, indent=1) + "\n")
        _add_to_dataset_page(environment, stage, downloads, project)
        for asset in sorted(ASSETS.iterdir()):
            (stage / "assets").mkdir(exist_ok=True)
            (stage / "assets" / asset.name).write_bytes(asset.read_bytes())
        for name in (".htaccess", "nginx.conf"):
            (stage / name).write_bytes((TEMPLATES / name).read_bytes())
        written = [p for p in stage.rglob("*") if p.is_file()]
    pages = sum(1 for p in written if p.suffix == ".html")
    return PublishResult(target, pages, len(written))


def _base(dist: Dist) -> str:
    from regiongraph.project import built_base_iri

    base = built_base_iri(dist.dataset)
    if base is None:
        raise DataError(f"{dist.dataset}: names no base IRI (void:uriSpace); build again")
    return base


def _read(files: list[Path], dist: Dist) -> _Graph:
    from regiongraph.rdf.namespaces import prefixes_for

    base = _base(dist)
    try:
        context = json.loads(dist.context.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{dist.context}: not a JSON-LD context file ({error})") from None
    graph = _Graph(base, prefixes_for(base), context)
    for path in files:
        for triple in read_triples(path):
            graph.add(triple)
    return graph


def _relative(iri: str, base: str) -> str:
    return iri[len(base) :]


def _href(iri: str, graph: _Graph, depth: int) -> str | None:
    """The link to ``iri``'s page from a page ``depth`` folders below the site's root."""
    if iri in graph.outgoing and iri.startswith(graph.base) and iri != graph.base:
        document, hash_, fragment = _relative(iri, graph.base).partition("#")
        return "../" * depth + document + ".html" + (f"#{fragment}" if hash_ else "")
    return None


def _term(obj: object, graph: _Graph, depth: int) -> dict[str, Any]:
    """A value as the templates show it: its escaped ``html``, and its parts.

    An IRI's is made once per page depth (the same prefectures and fields recur on every page).
    """
    if isinstance(obj, ox.NamedNode):
        key = (obj.value, depth)
        term = graph.terms.get(key)
        if term is None:
            href = _href(obj.value, graph, depth)
            ja, en = graph.label(obj.value, "ja"), graph.label(obj.value, "en")
            names = Markup('<span lang="ja">{}</span><span lang="en">{}</span>').format(ja, en)
            if href is not None:
                html = Markup('<a href="{}">{}</a>').format(href, names)
            else:
                html = Markup('<a href="{}" rel="external">{}</a>').format(obj.value, names)
            term = graph.terms[key] = {
                "iri": obj.value,
                "href": href,
                "ja": ja,
                "en": en,
                "html": html,
            }
        return term
    if isinstance(obj, ox.Literal):
        language = obj.language or ""
        if language:
            html = Markup('<span class="literal" lang="{}">{}</span>').format(language, obj.value)
        else:
            html = Markup('<span class="literal">{}</span>').format(obj.value)
        return {"text": obj.value, "language": language, "html": html}
    return {"text": str(obj), "language": "", "html": escape(str(obj))}


def _resource(environment: Any, graph: _Graph, iri: str, stage: Path) -> None:
    relative = _relative(iri, graph.base)
    depth = relative.count("/")
    triples = sorted(graph.outgoing[iri], key=triple_order)
    statements = defaultdict(list)
    for triple in triples:
        statements[triple.predicate.value].append(_term(triple.object, graph, depth))
    incoming = defaultdict(list)
    for triple in sorted(graph.incoming.get(iri, []), key=triple_order):
        incoming[triple.predicate.value].append(_term(triple.subject, graph, depth))
    name = relative.rsplit("/", 1)[-1]
    sections = []
    described = list(triples)
    for part in graph.fragments(iri):
        own = sorted(graph.outgoing[part], key=triple_order)
        described += own
        grouped = defaultdict(list)
        for triple in own:
            grouped[triple.predicate.value].append(_term(triple.object, graph, depth))
        sections.append(
            {
                "id": part.rsplit("#", 1)[1],
                "uses": graph.uses.get(part, 0),
                "term": _term(ox.NamedNode(part), graph, depth),
                "statements": [
                    {"predicate": _term(ox.NamedNode(p), graph, depth), "objects": values}
                    for p, values in grouped.items()
                ],
            }
        )
    page = environment.get_template("resource.html").render(
        sections=sections,
        iri=iri,
        ja=graph.label(iri, "ja"),
        en=graph.label(iri, "en"),
        types=[_term(t.object, graph, depth) for t in triples if t.predicate.value == RDF + "type"],
        statements=[
            {"predicate": _term(ox.NamedNode(p), graph, depth), "objects": values}
            for p, values in statements.items()
        ],
        incoming=[
            {"predicate": _term(ox.NamedNode(p), graph, depth), "objects": values}
            for p, values in incoming.items()
        ],
        root="../" * depth,
        name=name,
    )
    path = stage / f"{relative}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    ntriples = to_ntriples(described)
    used = {p: ns for p, ns in graph.prefixes.items() if f"<{ns}".encode() in ntriples}
    (stage / f"{relative}.ttl").write_bytes(to_turtle(described, used))
    (stage / f"{relative}.nt").write_bytes(ntriples)
    (stage / f"{relative}.jsonld").write_bytes(graph.jsonld.to_bytes(described))


def _index(environment: Any, graph: _Graph) -> str:
    regions = []
    for iri in graph.resources():
        types = {str(t.object) for t in graph.outgoing[iri] if t.predicate.value == RDF + "type"}
        if f"<{RG}Region>" not in types:
            continue
        by_predicate: dict[str, list[str]] = defaultdict(list)
        for triple in graph.outgoing[iri]:
            if isinstance(triple.object, ox.NamedNode | ox.Literal):
                by_predicate[triple.predicate.value].append(triple.object.value)
        regions.append(
            {
                "href": _relative(iri, graph.base) + ".html",
                "ja": graph.label(iri, "ja"),
                "en": graph.label(iri, "en"),
                "call": [graph.label(c, "ja") for c in by_predicate[RG + "call"]],
                "category": [graph.label(c, "ja") for c in by_predicate[RG + "selectionCategory"]],
                "number": by_predicate[RG + "numberInCategory"][:1],
                "prefectures": sorted(
                    graph.label(p, "ja") for p in by_predicate[RG + "prefecture"]
                ),
                "fields": sorted(graph.label(f, "ja") for f in by_predicate[RG + "field"]),
            }
        )
    return environment.get_template("index.html").render(
        regions=regions, root="", tiles=_tiles(graph)
    )


def _tiles(graph: _Graph) -> list[dict[str, Any]]:
    """The 47 prefectures on a tile grid (one cell each; our layout, publish/tile-grid.csv)."""
    import csv

    hosting = {
        t.object.value
        for iri in graph.resources()
        for t in graph.outgoing[iri]
        if t.predicate.value == RG + "prefecture" and isinstance(t.object, ox.NamedNode)
    }
    with (Path(__file__).with_name("tile-grid.csv")).open(encoding="utf-8") as handle:
        cells = list(csv.DictReader(handle))
    tiles = []
    for cell in cells:
        iri = f"{graph.base}prefecture/{cell['code']}"
        tiles.append(
            {
                "x": int(cell["column"]) * 44 + 2,
                "y": int(cell["row"]) * 44 + 2,
                "href": f"prefecture/{cell['code']}.html",
                "ja": graph.label(iri, "ja"),
                "en": graph.label(iri, "en"),
                "short": graph.label(iri, "ja").removesuffix("県").removesuffix("府")[:3],
                "hosts": iri in hosting,
            }
        )
    return tiles


def _shapes(environment: Any, project: Project, graph: _Graph) -> str:
    """The SHACL shapes in readable form: for each target class, what it must have."""
    from regiongraph.rdf.namespaces import SH

    triples = [t for path in sorted(project.shapes_dir.glob("*.ttl")) for t in read_triples(path)]
    by_subject: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_subject[str(t.subject)][t.predicate.value].append(t.object)
    shapes = []
    for _, props in sorted(by_subject.items()):
        targets = props.get(SH + "targetClass", [])
        if not targets:
            continue
        rules = []
        for node in props.get(SH + "property", []):
            p = by_subject.get(str(node), {})
            messages = {
                m.language: m.value for m in p.get(SH + "message", []) if isinstance(m, ox.Literal)
            }
            path = p.get(SH + "path", [None])[0]
            severity = p.get(SH + "severity", [ox.NamedNode(SH + "Violation")])[0]
            rules.append(
                {
                    "path": _term(path, graph, 0)
                    if isinstance(path, ox.NamedNode)
                    else {"text": "(path)", "language": ""},
                    "severity": str(severity.value).removeprefix(SH)
                    if isinstance(severity, ox.NamedNode)
                    else "",
                    "ja": messages.get("ja", ""),
                    "en": messages.get("en", ""),
                }
            )
        shapes.append({"targets": [_term(c, graph, 0) for c in targets], "rules": rules})
    return environment.get_template("shapes.html").render(shapes=shapes, root="")


def _add_to_dataset_page(
    environment: Any, stage: Path, downloads: list[dict[str, Any]], project: Project
) -> None:
    """The dataset's page, with the downloads (sizes, checksums) and the example queries."""
    page = stage / "dataset.html"
    if not page.is_file():
        return
    queries = [
        {"name": path.stem, "text": path.read_text(encoding="utf-8")}
        for path in sorted(project.queries_dir.glob("*.rq"))
    ]
    extra = environment.get_template("dataset-extra.html").render(
        downloads=downloads, queries=queries
    )
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", extra + "</main>", 1), encoding="utf-8")


def _downloads(stage: Path) -> list[dict[str, Any]]:
    rows = []
    for name in DUMPS:
        for file in (name, f"{name}.gz"):
            data = (stage / file).read_bytes()
            rows.append(
                {"file": file, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
    return rows
