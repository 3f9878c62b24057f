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
#: A shape that is one of these is also a class, whose instances it targets (implicitly).
_CLASSES = {RDFS + "Class", "http://www.w3.org/2002/07/owl#Class"}
_MESSAGE_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    constraint: str
    select: str
    prefixes: dict[str, str]
    target_nodes: tuple[ox.NamedNode | ox.Literal, ...]
    target_classes: tuple[str, ...]  # sh:targetClass, and the shape where it is a class
    path: str | None
    severity: str
    messages: tuple[ox.Literal, ...]
    target_subjects_of: tuple[str, ...] = ()
    target_objects_of: tuple[str, ...] = ()

    @property
    def classes_only(self) -> bool:
        """Whether its targets are classes alone: ``$this`` is then an instance of one."""
        others = self.target_nodes or self.target_subjects_of or self.target_objects_of
        return bool(self.target_classes) and not others


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
        types = {v.value for v in index.get((str(shape), RDF_TYPE), [])}
        implicit = (shape.value,) if types & _CLASSES else ()  # type: ignore[union-attr]
        constraints.append(
            SparqlConstraint(
                shape=shape.value,  # type: ignore[union-attr]
                constraint=node.value,  # type: ignore[union-attr]
                select=first(node, "select") or "",
                prefixes=prefixes,
                target_nodes=tuple(values(shape, "targetNode")),  # type: ignore[arg-type]
                target_classes=(*(v.value for v in values(shape, "targetClass")), *implicit),
                path=first(shape, "path"),
                severity=severity.removeprefix(SH),
                messages=tuple(v for v in values(node, "message") if isinstance(v, ox.Literal)),
                target_subjects_of=tuple(v.value for v in values(shape, "targetSubjectsOf")),
                target_objects_of=tuple(v.value for v in values(shape, "targetObjectsOf")),
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
    constraint: str  # "" for a count constraint (see count_constraints)
    messages: dict[str, str]
    component: str = "SPARQLConstraintComponent"
    #: The value as N-Triples text, where it is known as a term (core constraints checked in
    #: Python, :mod:`~regiongraph.validation.core_check`), else ``value`` is a string.
    value_term: str | None = None


def class_targets(classes: Sequence[str]) -> str:
    """A subquery giving ``?this`` once for each instance of ``classes`` (``sh:targetClass``)."""
    union = " UNION ".join(f"{{ ?this <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* <{c}> }}" for c in classes)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> list[object]:
    """The constraint's focus nodes, each once, from its targets of every kind."""
    nodes: list[object] = list(constraint.target_nodes)
    patterns = [class_targets(constraint.target_classes)] if constraint.target_classes else []
    patterns += [f"{{ ?this <{p}> ?any }}" for p in constraint.target_subjects_of]
    patterns += [f"{{ ?any <{p}> ?this }}" for p in constraint.target_objects_of]
    if patterns:
        query = f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(patterns)} }}"
        nodes += [solution["this"] for solution in store.query(query)]  # type: ignore[union-attr]
    return list(dict.fromkeys(nodes))


#: Words after which joining the query with its targets may answer differently from pre-binding
#: ``$this`` (groups evaluated on their own, aggregates, solution modifiers, other datasets).
_NOT_JOINABLE = {
    "GROUP", "HAVING", "LIMIT", "OFFSET", "ORDER", "MINUS", "UNION", "GRAPH", "SERVICE", "VALUES",
    "FROM", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT",
}  # fmt: skip


def joined_query(constraint: SparqlConstraint) -> str | None:
    """The constraint's query for every focus node of its target classes at once, where those
    are its only targets, or ``None``.

    Pre-binding ``$this`` runs one query per focus node (63,000 organizations: 63,000 queries).
    Where the answer cannot differ, the targets are joined in instead, as the first element of
    the query's group: one SELECT; no aggregate, solution modifier, MINUS, UNION, GRAPH or
    VALUES; and no group of its own but OPTIONAL's and EXISTS's (a group is evaluated before
    the join, where ``$this`` is not yet bound), with no BIND inside an OPTIONAL.
    """
    from regiongraph.rdf.sparql_lexer import tokens

    if not constraint.classes_only:
        return None  # targets of other kinds are pre-bound one by one, each focus node once
    found = list(tokens(constraint.select))
    words = _words(found)
    if words.count("SELECT") != 1 or _NOT_JOINABLE & set(words):
        return None
    where, projected, opened = None, False, []  # the WHERE group's '{'; the kinds of open groups
    previous = ""
    for kind, value, offset in found:
        upper = value.upper()
        if where is None and (kind == "var" and value[1:] == "this" or value == "*"):
            projected = True
        if value == "{":
            if where is None:
                where = offset
            elif previous not in ("OPTIONAL", "EXISTS"):
                return None
            opened.append(previous)
        elif value == "}" and opened:
            opened.pop()
        elif upper == "BIND" and "OPTIONAL" in opened:
            return None
        previous = upper if kind in ("word", "pname") else value
    if where is None:
        return None
    text = constraint.select
    targets = class_targets(constraint.target_classes)
    text = f"{text[: where + 1]} {targets} {text[where + 1 :]}"
    if not projected:
        select = next(offset for kind, value, offset in found if value.upper() == "SELECT")
        text = f"{text[: select + 6]} $this{text[select + 6 :]}"
    return text


def evaluate(store: ox.Store, constraints: Iterable[SparqlConstraint]) -> list[SparqlResult]:
    """Every solution of each constraint's query, ``$this`` bound to each focus node, a result.

    Bound by substitution, one query per focus node, as SHACL-SPARQL prescribes; or, for the
    target classes of a query where that gives the same answers (:func:`joined_query`), by one
    query with the targets joined in.
    """
    results: list[SparqlResult] = []
    for constraint in constraints:
        joined = joined_query(constraint)
        focus_nodes = constraint.target_nodes if joined else _focus_nodes(store, constraint)
        for focus in focus_nodes:
            solutions = store.query(
                constraint.select,
                prefixes=constraint.prefixes,
                substitutions={ox.Variable("this"): focus},  # type: ignore[dict-item]
            )
            results += _results(constraint, solutions, focus)  # type: ignore[arg-type]
        if joined:
            solutions = store.query(joined, prefixes=constraint.prefixes)
            results += _results(constraint, solutions, None)  # type: ignore[arg-type]
    return results


def _results(
    constraint: SparqlConstraint, solutions: ox.QuerySolutions, focus: object | None
) -> list[SparqlResult]:
    """A result per solution; the focus node is ``$this`` as bound in it, or ``focus``."""
    out = []
    variables = solutions.variables
    messages = [(m.language or "en", m.value) for m in constraint.messages]
    filled = [(language, _MESSAGE_VARIABLE.search(text) is not None) for language, text in messages]
    for solution in solutions:
        bound = {v.value: solution[v] for v in variables}
        this = bound.get("this") or focus
        value = bound.get("value")
        path = bound.get("path")

        def term(match: re.Match[str], bound: dict = bound) -> str:
            found = bound.get(match.group(1))
            return "" if found is None else found.value

        out.append(
            SparqlResult(
                focus=this.value,  # type: ignore[union-attr]
                path=path.value if path is not None else constraint.path,
                value=None if value is None else value.value,
                severity=constraint.severity,
                shape=constraint.shape,
                constraint=constraint.constraint,
                messages={
                    language: _MESSAGE_VARIABLE.sub(term, text) if variable else text
                    for (language, text), (_, variable) in zip(messages, filled, strict=True)
                },
            )
        )
    return out


def predicates_read(constraints: Iterable[SparqlConstraint]) -> set[str] | None:
    """Every predicate the constraints' queries (and their targets) can match, or ``None``.

    ``None`` means "any predicate": a query that cannot be parsed here, or that has a variable
    or a negated property set in predicate position, a named graph, a ``FROM`` clause or a
    ``SERVICE``. A store loaded with only the triples of these predicates gives every
    constraint the same answers as the whole graph.
    """
    found = {RDF_TYPE, RDFS_SUBCLASS}  # what targets are found with
    for constraint in constraints:
        read = _query_predicates(_patterns(constraint))
        if read is None:
            return None
        found |= read | {*constraint.target_subjects_of, *constraint.target_objects_of}
        if constraint.path is not None:
            found.add(constraint.path)
    return found


def classes_read(constraints: Iterable[SparqlConstraint]) -> set[str] | None:
    """Every class whose ``rdf:type`` triples the constraints' queries and targets can match, or
    ``None`` for any class (see :func:`predicates_read`); the subclasses of their target classes
    not included, which the store needs as well.

    A query reads the classes it names as the object of ``rdf:type``; ``$this`` there is a
    class only for a shape whose targets are nodes alone, which are the classes read. A
    variable object, or ``rdf:type`` within a path, reads them all.
    """
    found: set[str] = set()
    for constraint in constraints:
        read = _query_classes(_patterns(constraint))
        if read is None:
            return None
        if _THIS in read:
            nodes = constraint.target_nodes
            others = constraint.target_subjects_of or constraint.target_objects_of
            if (
                constraint.target_classes
                or others
                or not all(isinstance(n, ox.NamedNode) for n in nodes)
            ):
                return None  # $this is an instance, or a literal: its types could be anything
            found |= {n.value for n in nodes}
        found |= (read - {_THIS}) | set(constraint.target_classes)
    return found


def subjects_read(constraints: Iterable[SparqlConstraint]) -> dict[str, set[str]]:
    """The predicates that the constraints' queries read only about their focus nodes, each
    with the classes those are instances of: the constraints' target classes (subclasses not
    included). A predicate is read so where every pattern that names it is ``$this <p> ...``,
    a plain predicate, in a constraint whose targets are classes alone; the store then needs
    its triples only about instances of those classes. Predicates read otherwise (through a
    path, of any other subject, by targets, or by a query with a sub-select, which sees
    ``$this`` unbound unless it projects it) are left out, and so is everything where
    :func:`predicates_read` cannot tell what the queries read.
    """
    from rdflib import URIRef, Variable

    from regiongraph.rdf.sparql_lexer import tokens

    this = Variable("this")
    found: dict[str, set[str]] = {}
    anywhere = {RDF_TYPE, RDFS_SUBCLASS}
    for constraint in constraints:
        patterns = _patterns(constraint)
        if patterns is None:
            return {}
        # a sub-select sees $this unbound unless it projects it
        subselect = _words(tokens(constraint.select)).count("SELECT") != 1
        classes_only = constraint.classes_only and not subselect
        anywhere |= {*constraint.target_subjects_of, *constraint.target_objects_of}
        if constraint.path is not None:
            anywhere.add(constraint.path)
        for subject, predicate, _ in patterns:
            if classes_only and subject == this and isinstance(predicate, URIRef):
                found.setdefault(str(predicate), set()).update(constraint.target_classes)
            elif not _path_predicates(predicate, anywhere):
                return {}
    return {p: classes for p, classes in found.items() if p not in anywhere}


def _words(tokens: Iterable[tuple[str, str, int]]) -> list[str]:
    """The words and prefixed names of a query's tokens, upper-cased."""
    return [value.upper() for kind, value, _ in tokens if kind in ("word", "pname")]


_THIS = "$this"  # in the classes a query reads: the object of a pattern is ``$this``


@lru_cache(maxsize=256)
def _query_patterns(select: str, prefixes: tuple[tuple[str, str], ...]) -> tuple | None:
    """The triple patterns of one query, or ``None`` if it cannot be parsed here or reads a
    named graph or a service (parsed once: rdflib's parser takes 0.1 s a query)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        query = prepareQuery(select, initNs=dict(prefixes))
    except Exception:  # rdflib raises many kinds of parse errors
        return None
    found: list[tuple] = []
    return tuple(found) if _collect_patterns(query.algebra, found) else None


def _patterns(constraint: SparqlConstraint) -> tuple | None:
    """The triple patterns of the constraint's query; ``None`` where they do not say all it
    reads (see :func:`_query_patterns`; ``$PATH`` stands for any path)."""
    if "$PATH" in constraint.select:
        return None
    return _query_patterns(constraint.select, tuple(sorted(constraint.prefixes.items())))


def _query_predicates(patterns: tuple | None) -> frozenset[str] | None:
    """The predicates a query's ``patterns`` can match."""
    if patterns is None:
        return None
    found: set[str] = set()
    return frozenset(found) if all(_path_predicates(t[1], found) for t in patterns) else None


def _query_classes(patterns: tuple | None) -> frozenset[str] | None:
    """The classes a query's ``patterns`` read as the object of ``rdf:type``
    (:func:`classes_read`)."""
    from rdflib import URIRef, Variable

    if patterns is None:
        return None
    found: set[str] = set()
    for _, predicate, obj in patterns:
        if predicate != URIRef(RDF_TYPE):
            types: set[str] = set()
            if not _path_predicates(predicate, types) or (
                RDF_TYPE in types and not isinstance(predicate, URIRef)
            ):
                return None  # rdf:type within a path (or a predicate not understood)
        elif isinstance(obj, URIRef):
            found.add(str(obj))
        elif obj == Variable("this"):
            found.add(_THIS)
        else:
            return None
    return frozenset(found)


_UNBOUNDED = {"Graph", "GraphGraphPattern", "ServiceGraphPattern", "Service"}


def _collect_patterns(node: object, found: list[tuple]) -> bool:
    """Add the triple patterns in ``node`` (rdflib SPARQL algebra) to ``found``; False if it
    reads a named graph, a service or another dataset."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in _UNBOUNDED or dict.get(node, "datasetClause"):  # (its .get() differs)
            return False
        for key, value in node.items():
            if key == "triples":
                found += value
            elif key != "_vars" and not _collect_patterns(value, found):
                return False
    elif isinstance(node, list | tuple):
        return all(_collect_patterns(item, found) for item in node)
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
