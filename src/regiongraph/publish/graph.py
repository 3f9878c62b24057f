"""The built graph as a publisher reads it: statements by subject and by object, labels, uses.

Read from the built files only (graph, description, ontology), never from the sources; both the
static site (``publish``) and the live server (``serve``) render from it.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from regiongraph.errors import DataError
from regiongraph.project import Dist
from regiongraph.rdf.jsonld import JsonLdWriter
from regiongraph.rdf.namespaces import DCTERMS, FOAF, OWL, RDF, RDFS, RG, SKOS, compact
from regiongraph.rdf.read import read_triples
from regiongraph.rdf.terms import triple_order

LABELS = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title", FOAF + "name")


@dataclass
class SiteGraph:
    """Statements by subject and by object, with labels by language and usage counts."""

    base: str
    prefixes: dict[str, str]
    context: dict[str, Any]
    uses: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # class or property
    #: In the files' order (a region's prefecture links before its field links, evidence cells
    #: in column order); ``ordered(iri)`` gives them in the output's order.
    outgoing: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[ox.Triple]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    #: The ontology file's triples, foreign declarations included: the ontology's own data.
    ontology: list[ox.Triple] = field(default_factory=list)
    terms: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)  # see render
    _ordered: dict[str, list[ox.Triple]] = field(default_factory=dict)

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

    @functools.cached_property
    def _resources(self) -> list[str]:
        return sorted(
            s
            for s in self.outgoing
            if s.startswith(self.base) and s != self.base and "#" not in s[len(self.base) :]
        )

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

    def ordered(self, iri: str) -> list[ox.Triple]:
        """``iri``'s statements in the output's order (sorted on first use: where publish's
        workers share the pages, each sorts its own)."""
        found = self._ordered.get(iri)
        if found is None:
            found = self._ordered[iri] = sorted(self.outgoing.get(iri, ()), key=triple_order)
        return found

    def resources(self) -> list[str]:
        """The IRIs under the base that have a description and no fragment: each gets pages.

        A hash IRI (``ontology#Region``) is described on its document's page (``ontology``).
        """
        return self._resources

    def relative(self, iri: str) -> str | None:
        """``iri``'s path below the base if it is a resource with pages, else None."""
        if iri.startswith(self.base) and iri != self.base and iri in self.outgoing:
            return iri[len(self.base) :]
        return None

    def fragments(self, iri: str) -> list[str]:
        """The hash IRIs of the document ``iri`` that have a description (read once all are in)."""
        return self._fragments.get(iri, [])

    def objects(self, iri: str, predicate: str) -> list[Any]:
        return [t.object for t in self.outgoing.get(iri, ()) if t.predicate.value == predicate]

    def types(self, iri: str) -> set[str]:
        return {str(o.value) for o in self.objects(iri, RDF + "type")}

    def is_ontology(self, iri: str) -> bool:
        return OWL + "Ontology" in self.types(iri)

    def narrower(self, concept: str) -> list[str]:
        """``concept`` and every concept below it (skos:broader or skos:narrower), sorted."""
        found, queue = {concept}, [concept]
        while queue:  # bounded: each concept is queued once
            current = queue.pop()
            below = [
                t.subject.value
                for t in self.incoming.get(current, ())
                if t.predicate.value == SKOS + "broader" and isinstance(t.subject, ox.NamedNode)
            ]
            below += [
                o.value
                for o in self.objects(current, SKOS + "narrower")
                if isinstance(o, ox.NamedNode)
            ]
            for child in below:
                if child not in found:
                    found.add(child)
                    queue.append(child)
        return sorted(found)

    def hosting_prefectures(self) -> set[str]:
        return {
            t.object.value
            for iri in self.resources()
            for t in self.outgoing[iri]
            if t.predicate.value == RG + "prefecture" and isinstance(t.object, ox.NamedNode)
        }

    def label(self, iri: str, language: str) -> str:
        """A label always: in ``language``, else Japanese, else English, else the IRI's name."""
        names = self.labels.get(iri, {})
        for choice in (language, "ja", "en", ""):
            if choice in names:
                return names[choice]
        return compact(iri, self.prefixes)


def read_site_graph(dist: Dist) -> SiteGraph:
    """The built graph, its description and the ontology, read for pages."""
    from regiongraph.project import built_base_iri
    from regiongraph.rdf.namespaces import prefixes_for

    files = dist.dataset_files()  # NotBuiltError first: nothing to read
    base = built_base_iri(dist.dataset)
    if base is None:
        raise DataError(f"{dist.dataset}: names no base IRI (void:uriSpace); build again")
    try:
        context = json.loads(dist.context.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{dist.context}: not a JSON-LD context file ({error})") from None
    graph = SiteGraph(base, prefixes_for(base), context)
    for path in files:
        for triple in read_triples(path):
            graph.add(triple)
            if path == dist.ontology:
                graph.ontology.append(triple)
    return graph
