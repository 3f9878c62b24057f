"""SHACL-SPARQL constraints evaluated on Oxigraph, for the fast validation path.

The fast SHACL engine answers SPARQL constraints slowly on large graphs (minutes at millions of
triples), so the fast path hands it the Core constraints and runs the ``sh:sparql`` ones here:
``$this`` is pre-bound to each focus node by substitution, as SHACL-SPARQL prescribes. The
parity test checks the combination against pyshacl on every shapes test case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, RDFS, SH

RDF_TYPE = RDF + "type"
RDFS_SUBCLASS = RDFS + "subClassOf"
_MESSAGE_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    constraint: str
    select: str
    prefixes: dict[str, str]
    target_nodes: tuple[ox.NamedNode | ox.Literal, ...]
    target_classes: tuple[str, ...]
    path: str | None
    severity: str
    messages: tuple[ox.Literal, ...]


def _index(
    shapes: Sequence[ox.Triple],
) -> dict[tuple[str, str], list[ox.NamedNode | ox.BlankNode | ox.Literal]]:
    index: dict[tuple[str, str], list[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    for t in shapes:
        index.setdefault((str(t.subject), t.predicate.value), []).append(t.object)  # type: ignore[arg-type]
    return index


def split_shapes(shapes: Sequence[ox.Triple]) -> tuple[list[ox.Triple], list[SparqlConstraint]]:
    """The shapes without their ``sh:sparql`` links, and those constraints, parsed."""
    index = _index(shapes)

    def values(node: object, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return index.get((str(node), SH + predicate), [])

    def first(node: object, predicate: str) -> str | None:
        found = values(node, predicate)
        return found[0].value if found else None

    core, constraints = [], []
    for t in shapes:
        if t.predicate.value != SH + "sparql":
            core.append(t)
            continue
        shape, node = t.subject, t.object
        prefixes: dict[str, str] = {}
        for owner in values(node, "prefixes"):
            for declaration in values(owner, "declare"):
                prefix, namespace = first(declaration, "prefix"), first(declaration, "namespace")
                if prefix is not None and namespace is not None:
                    prefixes[prefix] = namespace
        severity = first(node, "severity") or first(shape, "severity") or SH + "Violation"
        constraints.append(
            SparqlConstraint(
                shape=shape.value,  # type: ignore[union-attr]
                constraint=node.value,  # type: ignore[union-attr]
                select=first(node, "select") or "",
                prefixes=prefixes,
                target_nodes=tuple(values(shape, "targetNode")),  # type: ignore[arg-type]
                target_classes=tuple(v.value for v in values(shape, "targetClass")),
                path=first(shape, "path"),
                severity=severity.removeprefix(SH),
                messages=tuple(v for v in values(node, "message") if isinstance(v, ox.Literal)),
            )
        )
    return core, constraints


@dataclass(frozen=True)
class SparqlResult:
    focus: str
    path: str | None
    value: str | None
    severity: str
    shape: str
    constraint: str
    messages: dict[str, str]


def _focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> list[object]:
    nodes: list[object] = list(constraint.target_nodes)
    for cls in constraint.target_classes:
        query = f"SELECT DISTINCT ?x WHERE {{ ?x <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* <{cls}> }}"
        nodes += [solution["x"] for solution in store.query(query)]  # type: ignore[union-attr]
    return nodes


def evaluate(store: ox.Store, constraints: Iterable[SparqlConstraint]) -> list[SparqlResult]:
    """Run each constraint once per focus node; every solution is a result."""
    results = []
    for constraint in constraints:
        for focus in _focus_nodes(store, constraint):
            solutions = store.query(
                constraint.select,
                prefixes=constraint.prefixes,
                substitutions={ox.Variable("this"): focus},  # type: ignore[dict-item]
            )
            for solution in solutions:  # type: ignore[union-attr]
                bound = {v.value: solution[v] for v in solutions.variables}  # type: ignore[union-attr]
                this = bound.get("this") or focus
                value = bound.get("value")
                path = bound.get("path")

                def fill(message: str, bound: dict = bound) -> str:
                    def term(match: re.Match[str]) -> str:
                        found = bound.get(match.group(1))
                        return "" if found is None else found.value

                    return _MESSAGE_VARIABLE.sub(term, message)

                results.append(
                    SparqlResult(
                        focus=this.value,  # type: ignore[union-attr]
                        path=path.value if path is not None else constraint.path,  # type: ignore[union-attr]
                        value=None if value is None else value.value,
                        severity=constraint.severity,
                        shape=constraint.shape,
                        constraint=constraint.constraint,
                        messages={(m.language or "en"): fill(m.value) for m in constraint.messages},
                    )
                )
    return results


def predicates_read(constraints: Iterable[SparqlConstraint]) -> set[str] | None:
    """Every predicate the constraints' queries (and their targets) can match, or ``None``.

    ``None`` means "any predicate": a query that cannot be parsed here, or that has a variable
    or a negated property set in predicate position, a named graph, a ``FROM`` clause or a
    ``SERVICE``. A store loaded with only the triples of these predicates gives every
    constraint the same answers as the whole graph.
    """
    found = {RDF_TYPE, RDFS_SUBCLASS}  # what targets are found with
    for constraint in constraints:
        if "$PATH" in constraint.select:
            return None
        read = _query_predicates(constraint.select, tuple(sorted(constraint.prefixes.items())))
        if read is None:
            return None
        found |= read
        if constraint.path is not None:
            found.add(constraint.path)
    return found


@lru_cache(maxsize=256)
def _query_predicates(select: str, prefixes: tuple[tuple[str, str], ...]) -> frozenset[str] | None:
    """The predicates one query can match (parsed once: rdflib's parser takes 0.1 s a query)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        query = prepareQuery(select, initNs=dict(prefixes))
    except Exception:  # rdflib raises many kinds of parse errors
        return None
    found: set[str] = set()
    return frozenset(found) if _collect_predicates(query.algebra, found) else None


_UNBOUNDED = {"Graph", "GraphGraphPattern", "ServiceGraphPattern", "Service"}


def _collect_predicates(node: object, found: set[str]) -> bool:
    """Add the predicates in ``node`` (rdflib SPARQL algebra) to ``found``; False if unbounded."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in _UNBOUNDED or dict.get(node, "datasetClause"):  # (its .get() differs)
            return False
        for key, value in node.items():
            if key == "triples":
                if not all(_path_predicates(t[1], found) for t in value):
                    return False
            elif key != "_vars" and not _collect_predicates(value, found):
                return False
    elif isinstance(node, list | tuple):
        return all(_collect_predicates(item, found) for item in node)
    return True


def _path_predicates(predicate: object, found: set[str]) -> bool:
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(predicate, URIRef):
        found.add(str(predicate))
        return True
    if isinstance(predicate, SequencePath | AlternativePath):
        return all(_path_predicates(p, found) for p in predicate.args)
    if isinstance(predicate, MulPath):
        return _path_predicates(predicate.path, found)
    if isinstance(predicate, InvPath):
        return _path_predicates(predicate.arg, found)
    return False  # a variable, a negated property set, or anything not understood here
