"""Which predicates the Core constraints of a shapes graph can read.

The fast validation path hands the engine only the triples with these predicates: a triple
whose predicate no shape names cannot change any Core result, unless a shape is closed (it
then looks at every predicate of its focus nodes) or the shapes use SPARQL-based components.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, RDFS, SH

_PREDICATE_PARAMETERS = {
    SH + name
    for name in (
        "targetSubjectsOf",
        "targetObjectsOf",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
    )
}
# SPARQL constraints and SPARQL-based constraint components can read any predicate.
_UNBOUNDED = {SH + name for name in ("sparql", "validator", "nodeValidator", "propertyValidator")}


def core_predicates(shapes: Sequence[ox.Triple]) -> set[str] | None:
    """Every predicate the shapes' Core constraints can read, or ``None`` for "any"."""
    outgoing: dict[ox.BlankNode, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    for t in shapes:
        if isinstance(t.subject, ox.BlankNode):
            outgoing.setdefault(t.subject, []).append(t.object)  # type: ignore[arg-type]
    found = {RDF + "type", RDFS + "subClassOf"}  # targets and sh:class
    for t in shapes:
        predicate = t.predicate.value
        if predicate in _UNBOUNDED or (
            predicate == SH + "closed" and getattr(t.object, "value", "") == "true"
        ):
            return None
        if predicate == SH + "path" or predicate in _PREDICATE_PARAMETERS:
            _reachable_iris(t.object, outgoing, found, set())
    return found


def _reachable_iris(
    node: object,
    outgoing: dict[ox.BlankNode, list[ox.NamedNode | ox.BlankNode | ox.Literal]],
    found: set[str],
    seen: set[ox.BlankNode],
) -> None:
    """The IRIs in a path expression: the node itself, or those reached through blank nodes."""
    if isinstance(node, ox.NamedNode):
        found.add(node.value)
    elif isinstance(node, ox.BlankNode) and node not in seen:
        seen.add(node)
        for value in outgoing.get(node, []):
            _reachable_iris(value, outgoing, found, seen)
