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

import pyoxigraph as ox

from regiongraph.namespaces import RDF, RDFS, SH

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
