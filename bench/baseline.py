#!/usr/bin/env python3
"""The plain way, as a baseline for bench/run: rdflib's graph, serializers and SPARQL, pyshacl.

    python bench/baseline.py build PROJECT OUT       # rdflib graph from the records, 3 formats
    python bench/baseline.py validate PROJECT        # pyshacl over the whole graph
    python bench/baseline.py query PROJECT NAME [K=V...]  # rdflib's SPARQL engine on dist/

Each prints a JSON line of stage timings. The records and links are regiongraph's own (the same
triples, from its record-and-link stage, which the public API does not expose on its own); only
the RDF machinery differs. Queries read the build through the public API.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _records(project_dir: Path):  # noqa: ANN202
    from regiongraph.pipeline import make_graph
    from regiongraph.project import Project

    return make_graph(Project(project_dir))


def to_rdflib_graph(triples):  # noqa: ANN001, ANN201
    """Build an rdflib graph term by term, as a plain rdflib pipeline would."""
    import pyoxigraph as ox
    import rdflib

    graph = rdflib.Graph()

    def term(t):  # noqa: ANN001, ANN202
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype.value == XSD_STRING:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    add = graph.add
    for t in triples:
        add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def build(project_dir: Path, out: Path) -> dict[str, float]:
    from regiongraph.pipeline import jsonld_context
    from regiongraph.rdf.namespaces import prefixes_for

    timings: dict[str, float] = {}
    start = time.perf_counter()
    built = _records(project_dir)
    triples = built.graph.ordered_triples() + built.description()
    timings["parse+link"] = time.perf_counter() - start
    start = time.perf_counter()
    graph = to_rdflib_graph(triples)
    timings["graph"] = time.perf_counter() - start
    for prefix, namespace in prefixes_for(built.settings.base_iri).items():
        graph.bind(prefix, namespace)
    out.mkdir(parents=True, exist_ok=True)
    context = jsonld_context(built.project, built.settings.base_iri)
    for name, fmt, kwargs in (
        ("regiongraph.ttl", "turtle", {}),
        ("regiongraph.jsonld", "json-ld", {"context": context, "auto_compact": True}),
        ("regiongraph.nt", "nt", {}),
    ):
        start = time.perf_counter()
        graph.serialize(out / name, format=fmt, **kwargs)
        timings[f"serialize {fmt}"] = time.perf_counter() - start
    return timings


def validate(project_dir: Path) -> dict[str, float]:
    import pyshacl
    import rdflib

    built = _records(project_dir)
    graph = to_rdflib_graph(built.graph.ordered_triples() + built.description())
    shapes = rdflib.Graph().parse(project_dir / "shapes" / "regiongraph.ttl")
    ontology = rdflib.Graph().parse(project_dir / "ontology" / "regiongraph.ttl")
    start = time.perf_counter()
    conforms, _, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=ontology, allow_warnings=True
    )
    return {"validate": time.perf_counter() - start, "conforms": float(bool(conforms))}


def query(project_dir: Path, name: str, params: list[str]) -> dict[str, float]:
    """rdflib's own SPARQL over the build, read with the public API (``regiongraph.load``)."""
    import rdflib

    import regiongraph

    start = time.perf_counter()
    graph = regiongraph.load(project=project_dir)
    timings = {"load": time.perf_counter() - start}
    text = (project_dir / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    bound = {}
    for param in params:
        key, _, value = param.partition("=")
        is_iri = value.startswith("<") and value.endswith(">")
        bound[key] = rdflib.URIRef(value[1:-1]) if is_iri else rdflib.Literal(value)
    namespaces = dict(graph.namespaces())
    start = time.perf_counter()
    result = graph.query(text, initNs=namespaces, initBindings=bound)
    rows = len(result)
    timings["query"] = time.perf_counter() - start
    timings["rows"] = float(rows)
    return timings


def main() -> None:
    task, project = sys.argv[1], Path(sys.argv[2])
    if task == "build":
        result = build(project, Path(sys.argv[3]))
    elif task == "validate":
        result = validate(project)
    elif task == "query":
        result = query(project, sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
