"""Pages and data for one resource, the index, the shapes and the downloads, from a SiteGraph.

One renderer serves both the static site (``publish`` writes what it renders) and the live
server (``serve`` renders on request). Links are relative to the page, so the same page works
at ``{path}.html`` on disk and at the extension-less ``{path}`` of a server.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from regiongraph.project import Project
from regiongraph.publish.graph import SiteGraph
from regiongraph.rdf.namespaces import RDF, RG, SH
from regiongraph.rdf.read import read_triples
from regiongraph.rdf.terms import triple_order
from regiongraph.rdf.write import to_ntriples, to_turtle

TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
#: Copied as they are (their sizes and checksums are in the dataset description); the
#: ontology's is also the data of the ontology's own IRI.
DUMPS = ("regiongraph.ttl", "regiongraph.jsonld", "regiongraph.nt", "ontology.ttl")
#: The per-resource data files: suffix and media type.
DATA_FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
_EVIDENCE = (RG + "method", RG + "evidence", RG + "evidenceCell", RG + "curatedIn")


@dataclass(frozen=True)
class Dump:
    """A download of the site: its file name and bytes."""

    file: str
    data: bytes

    @property
    def row(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "bytes": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
        }


def dumps(project: Project) -> list[Dump]:
    """The full dumps, each also gzipped (deterministically: no time stamp)."""
    found = []
    for name in DUMPS:
        data = (project.dist.directory / name).read_bytes()
        found += [Dump(name, data), Dump(f"{name}.gz", gzip.compress(data, mtime=0))]
    return found


def _environment_class() -> type:
    import jinja2

    class Environment(jinja2.Environment):
        """Looks a dict's keys up first: the pages' values are dicts, and the failed attribute
        look-up Jinja tries before the key cost a tenth of each page. (A key therefore hides a
        dict method of the same name: the templates call none.)"""

        def getattr(self, obj: Any, attribute: str) -> Any:
            if obj.__class__ is dict and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

    return Environment


class Renderer:
    """Renders the pages and per-resource data of one built graph."""

    def __init__(self, graph: SiteGraph, project: Project) -> None:
        import jinja2  # the publish extra: regiongraph.publish() names it when it is missing

        self.graph = graph
        self.project = project
        self.environment = _environment_class()(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # package data: no modification-time check per page
        )

    @functools.cached_property
    def dumps(self) -> list[Dump]:
        """The dumps and their gzipped copies, made once (the site writes them, the server
        serves them, the dataset page lists their sizes and checksums)."""
        return dumps(self.project)

    @functools.cached_property
    def downloads(self) -> list[dict[str, Any]]:
        return [dump.row for dump in self.dumps]

    # -- one resource ------------------------------------------------------------------------

    def description(self, iri: str) -> list[ox.Triple]:
        """What the resource's data files hold: its statements and its hash IRIs' statements.

        The ontology's are the whole ontology file, its declarations of foreign terms included.
        """
        graph = self.graph
        if graph.is_ontology(iri) and graph.ontology:
            return sorted(graph.ontology, key=triple_order)
        described = list(graph.ordered(iri))
        for part in graph.fragments(iri):
            described += graph.ordered(part)
        return described

    def data(self, iri: str, suffix: str, described: list[ox.Triple] | None = None) -> bytes:
        """The resource's description as ``suffix`` (one of DATA_FORMATS)."""
        triples = self.description(iri) if described is None else described
        if suffix == "jsonld":
            return self.graph.jsonld.to_bytes(triples)
        ntriples = to_ntriples(triples)
        if suffix == "nt":
            return ntriples
        used = {p: ns for p, ns in self.graph.prefixes.items() if f"<{ns}".encode() in ntriples}
        return to_turtle(triples, used)

    def page(self, iri: str, language: str | None = None) -> str:
        """The resource's HTML page; ``language`` (ja, en) is the one it opens in, when chosen
        for the reader (by a server), else the page's script decides (ja, or the stored choice)."""
        graph = self.graph
        relative = iri[len(graph.base) :]
        depth = relative.count("/")
        term = functools.partial(self.term, depth=depth)
        triples = graph.ordered(iri)
        sections = [
            {
                "id": part.rsplit("#", 1)[1],
                "uses": graph.uses.get(part, 0),
                "term": term(ox.NamedNode(part)),
                "statements": self._statements(graph.ordered(part), depth),
            }
            for part in graph.fragments(iri)
        ]
        incoming = defaultdict(list)
        for triple in sorted(graph.incoming.get(iri, ()), key=triple_order):
            incoming[triple.predicate.value].append(term(triple.subject))
        types = graph.types(iri)
        return self.environment.get_template("resource.html").render(
            sections=sections,
            iri=iri,
            ja=graph.label(iri, "ja"),
            en=graph.label(iri, "en"),
            types=[term(t.object) for t in triples if t.predicate.value == RDF + "type"],
            statements=self._statements(triples, depth),
            evidence=self._evidence(iri, depth),
            source=self._source(iri, depth),
            field_regions=self._field_regions(iri, depth) if RG + "Field" in types else None,
            incoming=[
                {"predicate": term(ox.NamedNode(p)), "objects": values, "cell": _items(values)}
                for p, values in incoming.items()
            ],
            downloads=self.downloads if relative == "dataset" else None,
            queries=self.queries if relative == "dataset" else None,
            root="../" * depth,
            name=relative.rsplit("/", 1)[-1],
            language=language,
        )

    def term(self, obj: object, depth: int) -> dict[str, Any]:
        """A value as the templates show it: its escaped ``html``, and its parts.

        An IRI's is made once per page depth (the same prefectures and fields recur on every page).
        """
        graph = self.graph
        if isinstance(obj, ox.NamedNode):
            key = (obj.value, depth)
            found = graph.terms.get(key)
            if found is None:
                found = graph.terms[key] = self._iri_term(obj.value, depth)
            return found
        if isinstance(obj, ox.Literal):
            language = obj.language or ""
            if language:
                html = Markup(
                    f'<span class="literal" lang="{escape(language)}">{escape(obj.value)}</span>'
                )
            else:
                html = Markup(f'<span class="literal">{escape(obj.value)}</span>')
            return {"text": obj.value, "language": language, "html": html}
        return {"text": str(obj), "language": "", "html": escape(str(obj))}

    def _iri_term(self, iri: str, depth: int) -> dict[str, Any]:
        graph = self.graph
        href = self._href(iri, depth)
        ja, en = graph.label(iri, "ja"), graph.label(iri, "en")
        # f-strings over escape(): Markup.format goes through string.Formatter, 6x slower
        names = f'<span lang="ja">{escape(ja)}</span><span lang="en">{escape(en)}</span>'
        if href is not None:
            html = Markup(f'<a href="{escape(href)}">{names}</a>')
        else:
            html = Markup(f'<a href="{escape(iri)}" rel="external">{names}</a>')
        return {"iri": iri, "href": href, "ja": ja, "en": en, "html": html}

    def _href(self, iri: str, depth: int) -> str | None:
        """The link to ``iri``'s page from a page ``depth`` folders below the site's root."""
        relative = self.graph.relative(iri)
        if relative is None:
            return None
        document, hash_, fragment = relative.partition("#")
        return "../" * depth + document + ".html" + (f"#{fragment}" if hash_ else "")

    def _statements(self, triples: Iterable[ox.Triple], depth: int) -> list[dict[str, Any]]:
        grouped = defaultdict(list)
        for triple in triples:
            grouped[triple.predicate.value].append(self.term(triple.object, depth))
        return [
            {
                "predicate": self.term(ox.NamedNode(p), depth),
                "objects": values,
                "cell": _items(values),
            }
            for p, values in grouped.items()
        ]

    def _evidence(self, iri: str, depth: int) -> list[dict[str, Any]]:
        """Each prefecture and field link of the resource with its method, words and cells."""
        rows = []
        for assignment in self.graph.objects(iri, RG + "assignment"):
            if not isinstance(assignment, ox.NamedNode):
                continue
            parts = {
                p: [self.term(o, depth) for o in self.graph.objects(assignment.value, p)]
                for p in (RG + "assigned", *_EVIDENCE)
            }
            rows.append(
                {
                    "assignment": self.term(assignment, depth),
                    "assigned": parts[RG + "assigned"],
                    "method": parts[RG + "method"],
                    "words": _items(parts[RG + "evidence"]),
                    "cells": _items(parts[RG + "evidenceCell"]),
                    "curated": parts[RG + "curatedIn"],
                }
            )
        return rows

    def _source(self, iri: str, depth: int) -> dict[str, Any] | None:
        """The source document and line the resource was read from, when it says so."""
        documents = self.graph.objects(iri, RG + "sourceDocument")
        lines = self.graph.objects(iri, RG + "sourceLine")
        if not documents:
            return None
        return {
            "document": self.term(documents[0], depth),
            "line": lines[0].value if lines and isinstance(lines[0], ox.Literal) else None,
        }

    def _field_regions(self, field: str, depth: int) -> list[dict[str, Any]]:
        """The regions in this field or a narrower one: each once, with the narrower fields."""
        regions: dict[str, dict[str, Any]] = {}
        for concept in self.graph.narrower(field):
            for triple in self.graph.incoming.get(concept, ()):
                if triple.predicate.value != RG + "field" or not isinstance(
                    triple.subject, ox.NamedNode
                ):
                    continue
                row = regions.setdefault(
                    triple.subject.value,
                    {"region": self.term(triple.subject, depth), "direct": False, "via": []},
                )
                if concept == field:
                    row["direct"] = True
                else:
                    row["via"].append(self.term(ox.NamedNode(concept), depth))
        return [regions[iri] for iri in sorted(regions)]

    @functools.cached_property
    def queries(self) -> list[dict[str, str]]:
        """The named example queries, shown on the dataset's page."""
        return [
            {"name": path.stem, "text": path.read_text(encoding="utf-8")}
            for path in sorted(self.project.queries_dir.glob("*.rq"))
        ]

    # -- whole-site pages --------------------------------------------------------------------

    def index(self, language: str | None = None) -> str:
        """The regions table, grouped by call and category, with the map of Japan."""
        graph = self.graph
        regions = []
        for iri in graph.resources():
            if RG + "Region" not in graph.types(iri):
                continue
            by_predicate: dict[str, list[str]] = defaultdict(list)
            for triple in graph.outgoing[iri]:
                if isinstance(triple.object, ox.NamedNode | ox.Literal):
                    by_predicate[triple.predicate.value].append(triple.object.value)
            regions.append(
                {
                    "href": iri[len(graph.base) :] + ".html",
                    "ja": graph.label(iri, "ja"),
                    "en": graph.label(iri, "en"),
                    "call": [graph.label(c, "ja") for c in by_predicate[RG + "call"]],
                    "category": [
                        graph.label(c, "ja") for c in by_predicate[RG + "selectionCategory"]
                    ],
                    "number": by_predicate[RG + "numberInCategory"][:1],
                    "prefectures": sorted(
                        graph.label(p, "ja") for p in by_predicate[RG + "prefecture"]
                    ),
                    "fields": sorted(graph.label(f, "ja") for f in by_predicate[RG + "field"]),
                }
            )
        return self.environment.get_template("index.html").render(
            regions=regions, root="", tiles=self._tiles(), language=language
        )

    def _tiles(self) -> list[dict[str, Any]]:
        """The 47 prefectures on a tile grid (one cell each; our layout, publish/tile-grid.csv)."""
        graph = self.graph
        hosting = graph.hosting_prefectures()
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

    def shapes(self, language: str | None = None) -> str:
        """The SHACL shapes in readable form: for each target class, what it must have."""
        triples = [
            t for path in sorted(self.project.shapes_dir.glob("*.ttl")) for t in read_triples(path)
        ]
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
                    m.language: m.value
                    for m in p.get(SH + "message", [])
                    if isinstance(m, ox.Literal)
                }
                path = p.get(SH + "path", [None])[0]
                severity = p.get(SH + "severity", [ox.NamedNode(SH + "Violation")])[0]
                rules.append(
                    {
                        "path": self.term(path, 0)
                        if isinstance(path, ox.NamedNode)
                        else {"text": "(path)", "language": ""},
                        "severity": str(severity.value).removeprefix(SH)
                        if isinstance(severity, ox.NamedNode)
                        else "",
                        "ja": messages.get("ja", ""),
                        "en": messages.get("en", ""),
                    }
                )
            shapes.append({"targets": [self.term(c, 0) for c in targets], "rules": rules})
        return self.environment.get_template("shapes.html").render(
            shapes=shapes, root="", language=language
        )

    def sparql_page(self, language: str | None = None) -> str:
        """The query page of a server's SPARQL endpoint (our own script; no CDN)."""
        return self.environment.get_template("sparql.html").render(root="", language=language)


def _items(values: list[dict[str, Any]]) -> Markup:
    """The values' HTML as list items, joined here: a template loop per value cost a third of
    the page."""
    return Markup("".join([f"<li>{value['html']}</li>" for value in values]))


def assets() -> list[Path]:
    """The site's own style and script, served from the package's directory only."""
    return sorted(ASSETS.iterdir())
