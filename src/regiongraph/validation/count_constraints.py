"""Count constraints of the shapes (``sh:minCount``, ``sh:qualifiedMinCount``) as SPARQL queries.

On a newly added list most regions, councils and organizations lack an English label, and the
fast engine spends about 90 µs and 10 KB on each result it reports (357,853 warnings at 100,000
regions: 31 s and 3.9 GB of its 37 s and 4.5 GB). A property shape that only counts the values
of one predicate, on the focus nodes of its node shape's target classes, is one query on
Oxigraph instead, which answers with the focus nodes that have too few. Only shapes whose whole
meaning is that count are taken (:func:`split_counts`); the parity test runs every shapes test
case through pyshacl and through this path.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, RDFS, SH
from regiongraph.validation.report import EXAMPLES, ResultGroup
from regiongraph.validation.sparql_constraints import SparqlResult, class_targets

_TYPE = RDF + "type"
#: What a count-only property shape may say besides its path, count and qualified shape.
_ANNOTATIONS = {_TYPE, SH + "severity", SH + "message", SH + "name", SH + "description"}
_ANNOTATIONS |= {RDFS + "label", RDFS + "comment", SH + "order", SH + "group"}


@dataclass(frozen=True)
class CountConstraint:
    """A property shape whose meaning is "at least ``minimum`` values of ``path``"."""

    shape: str
    target_classes: tuple[str, ...]
    path: str
    minimum: int
    languages: tuple[str, ...] | None  # for a qualified count: the values' language ranges
    severity: str
    messages: tuple[ox.Literal, ...]

    @property
    def component(self) -> str:
        qualified = "Qualified" if self.languages is not None else ""
        return f"{qualified}MinCountConstraintComponent"

    def query(self) -> str:
        """The focus nodes with too few values, as ``?this``."""
        condition = ""
        if self.languages is not None:
            ranges = " || ".join(f'langMatches(lang(?v), "{r}")' for r in self.languages)
            condition = f"FILTER (isLiteral(?v) && ({ranges or 'false'}))"
        values = f"?this <{self.path}> ?v {condition}"
        if self.minimum == 1:
            check = f"FILTER NOT EXISTS {{ {values} }}"
        else:
            check = (
                f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {values} }} "
                f"GROUP BY ?this }} FILTER (!BOUND(?n) || ?n < {self.minimum})"
            )
        return f"SELECT ?this WHERE {{ {class_targets(self.target_classes)} {check} }}"

    @property
    def messages_by_language(self) -> dict[str, str]:
        return {(m.language or "en"): m.value for m in self.messages}

    def focus_nodes(self, store: ox.Store) -> list[str]:
        """The focus nodes with too few values: IRIs, and blank nodes' labels.

        Read from the answer serialized as TSV, a line per focus node, rather than as a Python
        object per solution: on a new list there are hundreds of thousands (a quarter less time).
        """
        solutions = store.query(self.query())
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query's
        answer = solutions.serialize(format=ox.QueryResultsFormat.TSV)
        lines = (answer or b"").decode().splitlines()[1:]  # after the header line
        return [line[1:-1] if line.startswith("<") else line[2:] for line in lines]

    def results(self, focus_nodes: list[str]) -> list[SparqlResult]:
        """A result for each of the focus nodes found (:meth:`focus_nodes`)."""
        messages = self.messages_by_language
        return [
            SparqlResult(
                focus=focus,
                path=self.path,
                value=None,
                severity=self.severity,
                shape=self.shape,
                constraint="",
                messages=messages,
                component=self.component,
            )
            for focus in focus_nodes
        ]

    def summary(self, focus_nodes: list[str]) -> ResultGroup:
        """The results for the focus nodes found, counted, with the first of them."""
        examples = tuple(heapq.nsmallest(EXAMPLES, focus_nodes))
        messages = self.messages_by_language
        return ResultGroup(
            self.severity,
            self.path,
            self.component,
            self.shape,
            messages,
            len(focus_nodes),
            examples,
        )


def split_counts(core: Sequence[ox.Triple]) -> tuple[list[ox.Triple], list[CountConstraint]]:
    """The shapes without the ``sh:property`` links of count-only shapes, and those shapes.

    Taken: an IRI property shape with an IRI ``sh:path`` and either ``sh:minCount`` alone or
    ``sh:qualifiedMinCount`` with a qualified shape that is only ``sh:languageIn``; not
    deactivated, without targets of its own, used only as the ``sh:property`` of node shapes
    that have ``sh:targetClass`` targets alone and that nothing else refers to.
    """
    about: dict[str, list[ox.Triple]] = {}
    referred: dict[str, list[ox.Triple]] = {}
    for t in core:
        about.setdefault(str(t.subject), []).append(t)
        referred.setdefault(str(t.object), []).append(t)
    lists = _lists(core)
    taken: set[ox.Triple] = set()
    constraints = []
    for t in core:
        if t.predicate.value != SH + "property" or not isinstance(t.object, ox.NamedNode):
            continue
        shape, parent = t.object, t.subject
        found = _count(about.get(str(shape), []), about, lists)
        targets = _targets(about.get(str(parent), []), referred.get(str(parent), []))
        users = referred.get(str(shape), [])
        if found is None or targets is None or any(u.predicate != t.predicate for u in users):
            continue
        path, minimum, languages, severity, messages = found
        constraints.append(
            CountConstraint(shape.value, targets, path, minimum, languages, severity, messages)
        )
        taken.add(t)
    constraints.sort(key=lambda c: (c.shape, c.target_classes))
    return [t for t in core if t not in taken], constraints


def _count(
    triples: list[ox.Triple],
    about: dict[str, list[ox.Triple]],
    lists: dict[str, list[object]],
) -> tuple[str, int, tuple[str, ...] | None, str, tuple[ox.Literal, ...]] | None:
    values: dict[str, list[object]] = {}
    for t in triples:
        values.setdefault(t.predicate.value, []).append(t.object)
    kinds = set(values) - _ANNOTATIONS
    paths = values.get(SH + "path", [])
    if len(paths) != 1 or not isinstance(paths[0], ox.NamedNode):
        return None
    languages: tuple[str, ...] | None = None
    if kinds == {SH + "path", SH + "minCount"}:
        counts = values[SH + "minCount"]
    elif kinds == {SH + "path", SH + "qualifiedMinCount", SH + "qualifiedValueShape"}:
        counts = values[SH + "qualifiedMinCount"]
        qualified = values[SH + "qualifiedValueShape"]
        languages = _language_only(qualified, about, lists) if len(qualified) == 1 else None
        if languages is None:
            return None
    else:
        return None
    if len(counts) != 1 or not isinstance(counts[0], ox.Literal) or not counts[0].value.isdigit():
        return None
    severities = values.get(SH + "severity", [ox.NamedNode(SH + "Violation")])
    if len(severities) != 1 or not isinstance(severities[0], ox.NamedNode):
        return None
    messages = tuple(m for m in values.get(SH + "message", []) if isinstance(m, ox.Literal))
    severity = severities[0].value.removeprefix(SH)
    return paths[0].value, int(counts[0].value), languages, severity, messages


def _language_only(
    qualified: list[object], about: dict[str, list[ox.Triple]], lists: dict[str, list[object]]
) -> tuple[str, ...] | None:
    triples = about.get(str(qualified[0]), [])
    ranges = [t.object for t in triples if t.predicate.value == SH + "languageIn"]
    rest = [t for t in triples if t.predicate.value not in (SH + "languageIn", _TYPE)]
    types = {t.object.value for t in triples if t.predicate.value == _TYPE}  # type: ignore[union-attr]
    if rest or len(ranges) != 1 or not types <= {SH + "NodeShape"}:
        return None
    members = lists.get(str(ranges[0]))
    if members is None or not all(isinstance(m, ox.Literal) for m in members):
        return None
    return tuple(m.value for m in members)  # type: ignore[attr-defined]


def _targets(triples: list[ox.Triple], referred: list[ox.Triple]) -> tuple[str, ...] | None:
    """The node shape's target classes, if those are its only targets and nothing uses it."""
    classes, other = [], False
    for t in triples:
        name = t.predicate.value
        if name == SH + "targetClass" and isinstance(t.object, ox.NamedNode):
            classes.append(t.object.value)
        elif name.startswith(SH + "target") or name == SH + "deactivated":
            other = True
        elif name == _TYPE and t.object.value != SH + "NodeShape":  # type: ignore[union-attr]
            other = True  # an implicit class target, or a property shape
    if other or not classes or referred:
        return None
    return tuple(sorted(set(classes)))


def _lists(triples: Sequence[ox.Triple]) -> dict[str, list[object]]:
    """Each RDF list head, as its members."""
    first: dict[str, object] = {}
    rest: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == RDF + "first":
            first[str(t.subject)] = t.object
        elif t.predicate.value == RDF + "rest":
            rest[str(t.subject)] = str(t.object)
    out: dict[str, list[object]] = {}
    for head in first:
        members: list[object] = []
        node, seen = head, set()
        while node in first and node not in seen:
            seen.add(node)
            members.append(first[node])
            node = rest.get(node, "")
        if node == f"<{RDF}nil>":
            out[head] = members
    return out
