"""Count constraints of the shapes (``sh:minCount``, ``sh:qualifiedMinCount``) as SPARQL queries.

On a newly added list most regions, councils and organizations lack an English label, and the
fast engine spends about 90 µs and 10 KB on each result it reports (357,853 warnings at 100,000
regions: 31 s and 3.9 GB of its 37 s and 4.5 GB). A property shape that only counts the values
of one predicate, on the focus nodes of its node shape's target classes, is one query on
Oxigraph instead, which answers with the focus nodes that have too few. Only shapes whose whole
meaning is that count are taken (:func:`split_counts`); the parity test runs every shapes test
case through pyshacl and through this path.

Where the graph's writer knows each subject's statements, it answers the same counts as it
writes them (:class:`CountTally`), and the store needs neither their triples nor their queries.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, RDFS, SH
from regiongraph.rdf.text_terms import RDF_TYPE
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


#: At most this many kinds of subject have their tally kept (they recur: a few dozen in a graph).
_KNOWN = 4096


class CountTally:
    """Count constraints answered in one pass over a graph's statements grouped by subject, as
    N-Triples text: the focus nodes each finds (:meth:`CountConstraint.focus_nodes` on a store
    of the same triples answers the same).

    The graph's writer tells it of each subject by the :meth:`kind` of its statements
    (:func:`~regiongraph.rdf.write.write_text_ntriples`), so that validation's
    store need hold none of the triples that only count constraints read, nor answer their
    queries (on a new list, 1.5 s of queries and a quarter of the store's load). ``extra``: the
    statements of the rest of the data (the dataset's description, the ontology), each subject's
    joined with its statements in the graph. Terms are canonical N-Triples text (as the graph's
    writer and Oxigraph write them), so that a value's text is the value: two texts of one
    literal (``"v"@EN`` and ``"v"@en``) would count as two values.
    """

    def __init__(
        self,
        counts: Sequence[tuple[CountConstraint, frozenset[str]]],
        extra: Iterable[tuple[str, list[tuple[str, str]]]] = (),
    ) -> None:
        """``counts``: each constraint with its target classes and their subclasses, as text."""
        self.counts = [count for count, _ in counts]
        self.found: list[list[str]] = [[] for _ in counts]
        self._checks: dict[str, list[int]] = {}  # a class → the counts that target it
        for index, (_, classes) in enumerate(counts):
            for cls in classes:
                self._checks.setdefault(cls, []).append(index)
        self._specs = [
            (f"<{c.path}>", None if c.languages is None else _ranges(c.languages), c.minimum)
            for c in self.counts
        ]
        #: Whether a count needs more than one value: then each value is told as it is.
        self._distinct = any(minimum > 1 for _, _, minimum in self._specs)
        self._paths = {path for path, _, _ in self._specs}
        self._types = {cls: (RDF_TYPE, cls) for cls in self._checks}
        self._known: dict[tuple[tuple[str, str], ...], tuple[int, ...]] = {}
        self._extra: dict[str, list[tuple[str, str]]] = {}
        for subject, statements in extra:
            told = self._extra.setdefault(subject, [])
            for p, o in statements:
                if (kind := self.kind(p)) is not None and (told_kind := kind(o)) is not None:
                    told.append(told_kind)

    def kind(self, predicate: str) -> Callable[[str], tuple[str, str] | None] | None:
        """What a statement of ``predicate`` tells the tally, as a function of its object (as
        text; ``None``: nothing): a type that a count targets, as it is; a value of a counted
        path, by its kind and language alone (all the counts read, unless one needs more than
        one value). ``None``: nothing of any statement of ``predicate``."""
        counted = predicate in self._paths
        if predicate == RDF_TYPE and not counted:
            return self._types.get
        if predicate == RDF_TYPE or (counted and self._distinct):
            return functools.partial(_pair, predicate)
        if counted:
            return functools.partial(_value_kind, predicate)
        return None

    def __call__(self, subject: str, kinds: tuple[tuple[str, str], ...]) -> None:
        """Tally ``subject`` by the :meth:`kind` of each of its statements that has one."""
        if self._extra:
            more = self._extra.pop(subject, None)
            if more is not None:
                kinds = (*kinds, *more)
        failed = self._known.get(kinds)
        if failed is None:
            if len(self._known) >= _KNOWN:
                self._known.clear()
            failed = self._known[kinds] = self._failed(kinds)
        if failed:
            focus = subject[1:-1] if subject[0] == "<" else subject[2:]
            for index in failed:
                self.found[index].append(focus)

    def _failed(self, kinds: Sequence[tuple[str, str]]) -> tuple[int, ...]:
        """The counts that a subject whose statements are of these kinds fails."""
        checks: set[int] = set()
        for predicate, obj in kinds:
            if predicate == RDF_TYPE:
                checks.update(self._checks.get(obj, ()))
        failed = []
        for index in sorted(checks):
            path, ranges, minimum = self._specs[index]
            values = {
                o
                for p, o in kinds
                if p == path and (ranges is None or language_matches(language_tag(o), ranges))
            }
            if len(values) < minimum:
                failed.append(index)
        return tuple(failed)

    def finish(self) -> list[tuple[CountConstraint, list[str]]]:
        """Tally the subjects of ``extra`` that the graph does not have: each constraint with
        its focus nodes (IRIs, and blank nodes' labels), in the order they were told."""
        for subject in list(self._extra):
            self(subject, ())
        return list(zip(self.counts, self.found, strict=True))


def _pair(predicate: str, obj: str) -> tuple[str, str]:
    return predicate, obj


def _value_kind(predicate: str, obj: str) -> tuple[str, str]:
    """A value as a count reads it: a literal by its end (its language or datatype), any other
    term as ""."""
    return predicate, obj[obj.rfind('"') :] if obj[:1] == '"' else ""


def _ranges(languages: Sequence[str]) -> tuple[str, ...]:
    return tuple(r.lower() for r in languages)


def language_tag(term: str) -> str | None:
    """The language tag of a literal written as N-Triples text ('' if it has none); ``None``
    for an IRI or a blank node."""
    if term[:1] != '"':
        return None
    tail = term[term.rfind('"') + 1 :]
    return tail[1:].lower() if tail[:1] == "@" else ""


def language_matches(tag: str | None, ranges: tuple[str, ...]) -> bool:
    """SPARQL's ``isLiteral(?v) && (langMatches(lang(?v), r1) || ...)``, as Oxigraph answers it
    (RFC 4647 basic filtering; the range "" matches a literal without a language)."""
    if tag is None:
        return False
    for r in ranges:
        if (tag != "") if r == "*" else (tag == r or (r != "" and tag.startswith(r + "-"))):
            return True
    return False


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
    lists = rdf_lists(core)
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
    if int(counts[0].value) == 0:  # never fails: left to the engine, which says nothing of it
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


def rdf_lists(triples: Sequence[ox.Triple]) -> dict[str, list[object]]:
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
