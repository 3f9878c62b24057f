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

import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from regiongraph.errors import DataError, MissingExtraError
from regiongraph.files import staged_directory
from regiongraph.project import Dist, Project
from regiongraph.rdf.namespaces import DCTERMS, FOAF, RDF, RDFS, RG, SKOS, compact
from regiongraph.rdf.read import read_triples
from regiongraph.rdf.terms import triple_order
from regiongraph.rdf.write import to_jsonld, to_ntriples, to_turtle

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
    outgoing: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, triple: ox.Triple) -> None:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode):
            return
        self.outgoing[subject.value].append(triple)
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
        """The hash IRIs of the document ``iri`` that have a description."""
        return sorted(s for s in self.outgoing if s.startswith(iri + "#"))

    def label(self, iri: str, language: str) -> str:
        """A label always: in ``language``, else Japanese, else English, else the IRI's name."""
        names = self.labels.get(iri, {})
        for choice in (language, "ja", "en", ""):
            if choice in names:
                return names[choice]
        return compact(iri, self.prefixes)


def publish(project: Project, out: Path | None = None) -> PublishResult:
    """Write the site of the project's build into ``out`` (default: ``dist/site``)."""
    try:
        import jinja2
    except ImportError:
        raise MissingExtraError("jinja2", "publish") from None
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
    pages = written = 0
    with staged_directory(target) as stage:
        for iri in graph.resources():
            written += _resource(environment, graph, iri, stage)
            pages += 1
        (stage / "index.html").write_text(_index(environment, graph), encoding="utf-8")
        pages += 1
        for name in DUMPS:
            data = (dist.directory / name).read_bytes()
            (stage / name).write_bytes(data)
            (stage / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        (stage / "downloads.json").write_text(_downloads(stage), encoding="utf-8")
        for asset in sorted(ASSETS.iterdir()):
            (stage / "assets").mkdir(exist_ok=True)
            (stage / "assets" / asset.name).write_bytes(asset.read_bytes())
        for name in (".htaccess", "nginx.conf"):
            (stage / name).write_bytes((TEMPLATES / name).read_bytes())
        written += pages + 2 * len(DUMPS) + 3
    return PublishResult(target, pages, written)


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
    if isinstance(obj, ox.NamedNode):
        return {
            "iri": obj.value,
            "href": _href(obj.value, graph, depth),
            "ja": graph.label(obj.value, "ja"),
            "en": graph.label(obj.value, "en"),
            "external": not obj.value.startswith(graph.base),
        }
    if isinstance(obj, ox.Literal):
        return {"text": obj.value, "language": obj.language or ""}
    return {"text": str(obj), "language": ""}


def _resource(environment: Any, graph: _Graph, iri: str, stage: Path) -> int:
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
    used = {p: ns for p, ns in graph.prefixes.items() if any(ns in str(t) for t in described)}
    (stage / f"{relative}.ttl").write_bytes(to_turtle(described, used))
    (stage / f"{relative}.nt").write_bytes(to_ntriples(described))
    (stage / f"{relative}.jsonld").write_bytes(to_jsonld(described, graph.context))
    return 4


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
    return environment.get_template("index.html").render(regions=regions, root="")


def _downloads(stage: Path) -> str:
    rows = []
    for name in DUMPS:
        for file in (name, f"{name}.gz"):
            data = (stage / file).read_bytes()
            rows.append(
                {"file": file, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
    return json.dumps(rows, indent=1) + "\n"
