"""The reference engine: pyshacl over rdflib graphs (imported only when used)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from regiongraph.errors import DataError
from regiongraph.rdf.namespaces import SH
from regiongraph.rdf.read import to_rdflib
from regiongraph.validation.report import (
    ValidationReport,
    ValidationResult,
    guess_language,
    result_order,
)

if TYPE_CHECKING:
    import rdflib


def validate_with_pyshacl(
    data: Sequence[ox.Triple], shapes: Sequence[ox.Triple], ontology: Sequence[ox.Triple]
) -> ValidationReport:
    """Validate ``data`` (with the ontology's class axioms) against ``shapes`` on pyshacl."""
    import pyshacl

    data_graph = to_rdflib(data)
    shapes_graph = to_rdflib(shapes)
    ontology_graph = to_rdflib(ontology)
    try:
        conforms, results_graph, _ = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            ont_graph=ontology_graph,
            allow_warnings=True,
            allow_infos=True,
        )
    except Exception as error:  # pyshacl raises plain exceptions for bad shapes
        raise DataError(f"the shapes cannot be used: {error}") from None
    return _report(bool(conforms), results_graph, data_graph)


def _report(conforms: bool, results: rdflib.Graph, data: rdflib.Graph) -> ValidationReport:
    from rdflib import RDF, RDFS, Namespace

    sh = Namespace(SH)
    out = []
    for node in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(node, sh.focusNode)
        labels = {getattr(o, "language", None): str(o) for o in data.objects(focus, RDFS.label)}
        path = _path_text(results, results.value(node, sh.resultPath))
        value = results.value(node, sh.value)
        messages = {
            getattr(m, "language", None) or guess_language(str(m)): str(m)
            for m in results.objects(node, sh.resultMessage)
        }
        severity = str(results.value(node, sh.resultSeverity)).removeprefix(SH)
        out.append(
            ValidationResult(
                focus=str(focus),
                label=labels.get("ja") or labels.get("en") or next(iter(labels.values()), None),
                path=path,
                value=None if value is None else str(value),
                severity=severity,
                component=str(results.value(node, sh.sourceConstraintComponent)).removeprefix(SH),
                shape=str(results.value(node, sh.sourceShape)),
                constraint=_optional_str(results.value(node, sh.sourceConstraint)),
                messages=messages,
            )
        )
    out.sort(key=result_order)
    return ValidationReport(
        conforms, out, lambda: results.serialize(format="turtle").encode("utf-8")
    )


def _optional_str(node: object) -> str | None:
    return None if node is None else str(node)


def _path_text(results: rdflib.Graph, path: object) -> str | None:
    """A result path as text: an IRI, ``^iri`` for an inverse path, or a description."""
    from rdflib import BNode, URIRef

    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        inverse = results.value(path, URIRef(SH + "inversePath"))
        if isinstance(inverse, URIRef):
            return f"^{inverse}"
    return "(complex path)"
