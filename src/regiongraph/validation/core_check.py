"""Core constraints checked by the graph's writer as it writes each subject (:class:`CoreTally`).

The fast engine spends most of its time reading the graph into its own store (5.9 s of 7.3 s
of CPU for the 3.74 million triples of 100,000 regions of a new list, whatever the shapes),
while the graph's writer has each subject's statements at hand, grouped, as N-Triples text.
Only shapes whose every part is understood here are taken (:func:`compile_core`): property
shapes with an IRI path or an inverse one, on node shapes with class targets alone, with
``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype`` (``xsd:string``,
``xsd:integer``, ``xsd:boolean``, ``rdf:langString``), ``sh:languageIn``, ``sh:uniqueLang``,
``sh:minInclusive`` (an integer), ``sh:nodeKind``, ``sh:pattern`` (without flags, in the
XPath syntax that Python reads alike), ``sh:in``, and ``sh:qualifiedValueShape`` of a shape
that is only ``sh:languageIn``. For anything else the fast engine checks the shapes, as
before. The parity test runs every shapes test case through pyshacl and through the writer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, RDFS, SH, XSD
from regiongraph.rdf.text_terms import RDF_TYPE
from regiongraph.validation.count_constraints import (
    CountConstraint,
    language_matches,
    language_tag,
    rdf_lists,
)
from regiongraph.validation.sparql_constraints import SparqlResult

_SUBCLASS = f"<{RDFS}subClassOf>"
#: What a shape may say that changes nothing of what is checked.
_ANNOTATIONS = {RDF + "type", SH + "severity", SH + "message", SH + "name", SH + "description"}
_ANNOTATIONS |= {RDFS + "label", RDFS + "comment", SH + "order", SH + "group"}
_PROPERTY_PARAMETERS = {
    SH + name
    for name in [
        "path",
        "minCount",
        "maxCount",
        "class",
        "datatype",
        "languageIn",
        "uniqueLang",
        "minInclusive",
        "nodeKind",
        "pattern",
        "in",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
    ]
}
#: What makes a node a shape that checks something (SHACL Core's parameters, and sh:sparql):
#: one not taken here, anywhere, and the engine checks the shapes.
_CONSTRAINING = {
    SH + name
    for name in [
        "path",
        "property",
        "node",
        "and",
        "or",
        "not",
        "xone",
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "qualifiedValueShapesDisjoint",
        "closed",
        "ignoredProperties",
        "hasValue",
        "in",
        "sparql",
    ]
}
_CLASSES = {RDFS + "Class", "http://www.w3.org/2002/07/owl#Class"}
_INTEGER = re.compile(r'"[+-]?[0-9]+"\^\^<' + re.escape(XSD) + "integer>")
#: Whether a value (N-Triples text) is a well-formed literal of each datatype taken here.
_DATATYPE_TESTS: dict[str, Callable[[str], bool]] = {
    f"<{XSD}string>": lambda v: v[0] == '"' and v[-1] == '"',
    f"<{RDF}langString>": lambda v: v[0] == '"' and v[v.rfind('"') + 1 : v.rfind('"') + 2] == "@",
    f"<{XSD}integer>": lambda v: _INTEGER.fullmatch(v) is not None,
    f"<{XSD}boolean>": frozenset(
        f'"{b}"^^<{XSD}boolean>' for b in ("true", "false", "1", "0")
    ).__contains__,
}
#: The datatypes whose test reads only a literal's end (N-Triples text is well-formed).
_BY_END = {f"<{XSD}string>", f"<{RDF}langString>"}
#: The numeric datatypes, each with the form its literals take.
_NUMERIC = {
    f"<{XSD}{name}>": "integer"
    for name in [
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
} | {f"<{XSD}decimal>": "decimal", f"<{XSD}float>": "floating", f"<{XSD}double>": "floating"}
_NUMBER_FORMS = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "floating": re.compile(r"[+-]?(INF|([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)|NaN"),
}
_NODE_KINDS = {
    SH + "IRI": "i",
    SH + "BlankNode": "b",
    SH + "Literal": "l",
    SH + "BlankNodeOrIRI": "bi",
    SH + "BlankNodeOrLiteral": "bl",
    SH + "IRIOrLiteral": "il",
}


@dataclass(frozen=True, eq=False)  # each shape's own: told apart by identity
class PropertyCheck:
    """A property shape as checked here; terms are N-Triples text."""

    shape: str
    path: str  # the predicate
    inverse: bool
    severity: str
    messages: dict[str, str]
    min_count: int | None = None
    max_count: int | None = None
    classes: tuple[str, ...] = ()
    datatype: str | None = None
    languages: tuple[str, ...] | None = None
    unique_lang: bool = False
    min_inclusive: int | None = None
    node_kind: str | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    members: frozenset[str] | None = None
    qualified: tuple[tuple[str, ...], int | None, int | None] | None = None

    @property
    def result_path(self) -> str:
        return ("^" if self.inverse else "") + self.path[1:-1]

    def result(self, focus: str, component: str, value: str | None = None) -> SparqlResult:
        return SparqlResult(
            focus=_plain(focus),
            path=self.result_path,
            value=None if value is None else _plain(value),
            severity=self.severity,
            shape=self.shape,
            constraint="",
            messages=self.messages,
            component=component + "ConstraintComponent",
            value_term=value,
        )

    def check(self, focus: str, values: Sequence[str], out: list[SparqlResult]) -> None:
        """The results of ``focus``'s ``values``, but for ``sh:class``."""
        out += [self.result(focus, c) for c in self.counted(values)]
        for component, test in self.tests:
            out += [self.result(focus, component, v) for v in values if not test(v)]

    def counts_only(self, count: int) -> bool:
        """Whether this many values pass, if the check only counts them."""
        if self.unique_lang or self.qualified is not None:
            return False
        return (self.min_count is None or count >= self.min_count) and (
            self.max_count is None or count <= self.max_count
        )

    def counted(self, values: Sequence[str]) -> list[str]:
        """The components that fail on the number of values and their languages (each value
        as N-Triples text, or a literal's end alone: its language or datatype)."""
        count = len(values)
        failed = []
        if self.min_count is not None and count < self.min_count:
            failed.append("MinCount")
        if self.max_count is not None and count > self.max_count:
            failed.append("MaxCount")
        if self.unique_lang and count > 1:
            tags = [tag for v in values if (tag := language_tag(v))]
            failed += ["UniqueLang" for _ in {tag for tag in tags if tags.count(tag) > 1}]
        if self.qualified is not None:
            ranges, least, most = self.qualified
            conforming = sum(1 for v in values if language_matches(language_tag(v), ranges))
            if least is not None and conforming < least:
                failed.append("QualifiedMinCount")
            if most is not None and conforming > most:
                failed.append("QualifiedMaxCount")
        return failed

    def by_end(self, component: str) -> bool:
        """Whether a value test reads no more of a value than its kind: a literal's end (its
        language or datatype), "<" for an IRI, "_" for a blank node."""
        return component in ("LanguageIn", "NodeKind") or (
            component == "Datatype" and self.datatype in _BY_END
        )

    @functools.cached_property
    def tests(self) -> tuple[tuple[str, Callable[[str], bool]], ...]:
        """Each test of a value on its own, by its component's name."""
        tests: list[tuple[str, Callable[[str], bool]]] = []
        if self.datatype is not None:
            tests.append(("Datatype", _DATATYPE_TESTS[self.datatype]))
        if self.languages is not None:
            ranges = self.languages
            tests.append(("LanguageIn", lambda v: language_matches(language_tag(v), ranges)))
        if self.min_inclusive is not None:
            least = self.min_inclusive
            tests.append(("MinInclusive", lambda v: (n := _number(v)) is not None and n >= least))
        if self.node_kind is not None:
            kinds = self.node_kind
            tests.append(("NodeKind", lambda v: _kind(v) in kinds))
        tests += [("Pattern", _pattern_test(pattern)) for pattern in self.patterns]
        if self.members is not None:
            tests.append(("In", self.members.__contains__))
        return tuple(tests)


@dataclass
class CoreCheck:
    """The core shapes as checks: by each target class (with its subclasses), the property
    checks of its node shapes."""

    by_class: dict[str, list[PropertyCheck]]
    #: The classes whose subclasses matter (target classes and ``sh:class`` values), as text.
    classes: frozenset[str]


#: A statement as the tally reads it: its predicate, its object's kind (a literal's end, "<"
#: or "_"), each value test of the predicate's checks passed or not, and, if one failed, the
#: object itself (the value its result names). ``rdf:type``: the predicate and the class.
Kind = tuple[Any, ...]
#: The subjects, and their values, to be checked are of some classes (in the same order).
Sink = tuple[list[str], list[str]]
#: What a kind of subject fails (each check with its component and value), where the values
#: of each of its predicates that must be of a class go, its inverse checks, the instances it
#: joins (each class's set's ``add``), and the count constraints it fails (their indexes).
Verdict = tuple[
    tuple[tuple[PropertyCheck, str, str | None], ...],
    dict[str, Sink],
    tuple[PropertyCheck, ...],
    tuple[Callable[[str], None], ...],
    tuple[int, ...],
]
#: At most this many kinds of subject have their verdict kept (a few dozen recur).
_KNOWN = 4096


class CoreTally:
    """The core checks (:class:`CoreCheck`) answered as a graph's writer writes it, a subject
    with all its statements at a time (N-Triples text, each statement once), by the kinds of
    its statements: subjects of the same kinds fail the same checks, worked out once. What
    needs the whole graph waits for :meth:`finish`: whether each value of a ``sh:class`` check
    is an instance (where its types were not written before it), the inverse paths, and the
    rest of the data (``extra``: the dataset's description and the ontology, whose subclasses
    count, each subject's statements joined with the graph's). The graph's own
    statements must state no subclass (its writer's caller tells)."""

    def __init__(
        self,
        core: CoreCheck,
        extra: Iterable[tuple[str, list[tuple[str, str]]]] = (),
        counts: Sequence[tuple[CountConstraint, frozenset[str]]] = (),
    ) -> None:
        """``extra``: the rest of the data, each subject with its statements (as N-Triples text);
        ``counts``: the count constraints (split from the core shapes, see
        :func:`~regiongraph.validation.count_constraints.split_counts`) to tally too, whose
        focus nodes are told apart from the other results (:meth:`counted`)."""
        self.results: list[SparqlResult] = []
        self.counts = [count for count, _ in counts]
        self.found: list[list[str]] = [[] for _ in counts]
        self._count_of: dict[PropertyCheck, int] = {}
        by_class = {cls: list(checks) for cls, checks in core.by_class.items()}
        for index, count in enumerate(self.counts):
            check = _count_check(count)
            self._count_of[check] = index
            for cls in count.target_classes:
                by_class.setdefault(f"<{cls}>", []).append(check)
        self._by_class = by_class
        self._tail: dict[str, list[tuple[str, str]]] = {}
        subclasses: dict[str, set[str]] = {}
        for subject, told in extra:
            statements = self._tail.setdefault(subject, [])
            statements += [s for s in told if s not in statements]
            for p, o in told:
                if p == _SUBCLASS:
                    subclasses.setdefault(o, set()).add(subject)
        classes = core.classes | set(by_class)
        self._closure = {c: subclass_closure(c, subclasses) for c in classes}
        self._targets: dict[str, list[str]] = {}
        for cls in by_class:
            for sub in self._closure[cls]:
                self._targets.setdefault(sub, []).append(cls)
        checks = list(dict.fromkeys(c for cs in by_class.values() for c in cs))
        #: Each predicate's value tests, over all the forward checks of it, in a fixed order.
        self._tests: dict[str, list[tuple[PropertyCheck, str, Callable[[str], bool]]]] = {}
        for check in checks:
            if not check.inverse:
                tests = self._tests.setdefault(check.path, [])
                tests += [(check, component, test) for component, test in check.tests]
        self._read = {c.path for c in checks if not c.inverse} | {RDF_TYPE}
        self._kept = {c.path for c in checks if c.inverse or c.classes}  # values kept
        self._inverse: dict[str, dict[str, list[str]]] = {c.path: {} for c in checks if c.inverse}
        self._by_path: dict[str, list[PropertyCheck]] = {}
        for check in checks:
            if not check.inverse:
                self._by_path.setdefault(check.path, []).append(check)
        self._plans: dict[str, Any] = {}
        self._ids: dict[Kind, int] = {}
        self._kind_list: list[Kind] = [()]  # ids from 1: each is true
        self._known: dict[tuple[int, ...], Verdict] = {}
        #: The instances of each class that a ``sh:class`` check names, and the values to check
        #: are of them: each check and class, with the subjects and values they are about.
        self._members: dict[str, set[str]] = {c: set() for ch in checks for c in ch.classes}
        self._sinks: dict[tuple[tuple[PropertyCheck, str], ...], Sink] = {}
        self._focus: list[tuple[str, tuple[PropertyCheck, ...]]] = []

    def __call__(self, subject: str, statements: Sequence[tuple[str, str]]) -> None:
        """Check ``subject``, given all its statements in the graph."""
        more = self._tail.pop(subject, None) if self._tail else None
        if more is not None:
            statements = [*statements, *(s for s in more if s not in statements)]
        kinds: list[int] = []
        append = kinds.append
        plans, kept_paths = self._plans, self._kept
        kept = []
        for p, o in statements:
            plan = plans.get(p, _UNKNOWN)
            if plan is _UNKNOWN:
                plan = plans[p] = self._plan(p)
            if plan is None:
                pass
            elif plan.__class__ is int:
                append(plan)  # type: ignore[arg-type]
            else:
                append(plan(o))  # type: ignore[operator]
            if p in kept_paths:
                kept.append((p, o))
        key = tuple(kinds)
        verdict = self._known.get(key)
        if verdict is None:
            if len(self._known) >= _KNOWN:
                self._known.clear()
            verdict = self._known[key] = self._verdict(key)
        failed, sinks, inverse, adds, counted = verdict
        for add in adds:
            add(subject)
        for index in counted:
            self.found[index].append(_plain(subject))
        for check, component, value in failed:
            self.results.append(check.result(subject, component, value))
        if inverse:
            self._focus.append((subject, inverse))
        if kept:
            subjects_of = self._inverse
            for p, o in kept:
                sink = sinks.get(p)
                if sink is not None:
                    sink[0].append(subject)
                    sink[1].append(o)
                found = subjects_of.get(p)
                if found is not None and o[0] != '"':
                    found.setdefault(o, []).append(subject)

    def _plan(self, predicate: str) -> int | Callable[[str], int] | None:
        """How a statement of ``predicate`` is told: not at all (``None``), always the same
        kind (its id), or by a function of its object."""
        if predicate not in self._read:
            return None
        tests = [test for _, _, test in self._tests.get(predicate, ())]
        whole = predicate == RDF_TYPE or any(
            not check.by_end(component) for check, component, _ in self._tests.get(predicate, ())
        )
        ends = any(c.unique_lang or c.qualified for c in self._by_path.get(predicate, ()))
        if not tests and not whole and not ends:
            return self._id((predicate, None, ()))
        known: dict[str, int] = {}
        intern = self._id

        def told(o: str, key: str) -> int:
            """The kind of ``o``, known by ``key`` (itself, or its end) once worked out."""
            end = o if predicate == RDF_TYPE else o[o.rfind('"') :] if o[0] == '"' else o[0]
            passed = tuple([test(o) for test in tests])
            if not all(passed):
                return intern((predicate, end, passed, o))  # its value named: not kept
            found = intern((predicate, end, passed))
            if len(known) < _KNOWN:
                known[key] = found
            return found

        if whole:
            return lambda o: known.get(o) or told(o, o)

        def by_end(o: str) -> int:
            end = o[o.rfind('"') :] if o[0] == '"' else o[0]
            return known.get(end) or told(o, end)

        return by_end

    def _id(self, kind: Kind) -> int:
        found = self._ids.get(kind)
        if found is None:
            found = self._ids[kind] = len(self._kind_list)
            self._kind_list.append(kind)
        return found

    def _verdict(self, ids: tuple[int, ...]) -> Verdict:
        """What a subject whose statements are of these kinds fails, and what is left to check."""
        kinds = [self._kind_list[i] for i in ids]
        types = frozenset(k[1] for k in kinds if k[0] == RDF_TYPE)
        classes = sorted({cls for t in types for cls in self._targets.get(t, ())})
        checks = list(dict.fromkeys(c for cls in classes for c in self._by_class[cls]))
        by_path: dict[str, list[Kind]] = {}
        for k in kinds:
            by_path.setdefault(k[0], []).append(k)
        failed: list[tuple[PropertyCheck, str, str | None]] = []
        classed: dict[str, list[tuple[PropertyCheck, str]]] = {}
        counted: list[int] = []
        for check in checks:
            if check.inverse:
                continue
            found = by_path.get(check.path, [])
            ends = [k[1] for k in found]
            index = self._count_of.get(check)
            if index is not None:
                counted += [index] if check.counted(ends) else []
                continue
            failed += [(check, c, None) for c in check.counted(ends)]
            for index, (owner, component, _) in enumerate(self._tests.get(check.path, ())):
                if owner is check:
                    failed += [(check, component, k[3]) for k in found if not k[2][index]]
            for cls in check.classes:
                classed.setdefault(check.path, []).append((check, cls))
        inverse = tuple(c for c in checks if c.inverse)
        sinks = {p: self._sink(tuple(found)) for p, found in classed.items()}
        adds = tuple(
            members.add
            for cls, members in self._members.items()
            if not types.isdisjoint(self._closure[cls])
        )
        return tuple(failed), sinks, inverse, adds, tuple(counted)

    def _sink(self, checks: tuple[tuple[PropertyCheck, str], ...]) -> Sink:
        """Where the subjects and values of these ``sh:class`` checks go, to be checked once
        every instance is known."""
        return self._sinks.setdefault(checks, ([], []))

    def finish(self) -> list[SparqlResult]:
        """The results, once every subject of the graph has been told."""
        for subject in list(self._tail):
            self(subject, [])
        sinks: dict[PropertyCheck, Sink] = {}
        for subject, inverse in self._focus:
            for check in inverse:
                values = self._inverse[check.path].get(subject, [])
                if check.tests or not check.counts_only(len(values)):
                    check.check(subject, values, self.results)
                if check.classes:
                    sink = sinks.get(check)
                    if sink is None:
                        sink = sinks[check] = self._sink(tuple((check, c) for c in check.classes))
                    sink[0].extend([subject] * len(values))
                    sink[1].extend(values)
        for classed, (subjects, objects) in self._sinks.items():
            seen = set(objects)
            for check, cls in classed:
                wrong = seen - self._members[cls]
                if wrong:
                    self.results += [
                        check.result(subject, "Class", value)
                        for subject, value in zip(subjects, objects, strict=True)
                        if value in wrong
                    ]
        return self.results

    def counted(self) -> list[tuple[CountConstraint, list[str]]]:
        """Each count constraint with its focus nodes (IRIs, and blank nodes' labels), once
        :meth:`finish` has told the rest of the data: as
        :meth:`~regiongraph.validation.count_constraints.CountTally.finish` gives them."""
        return list(zip(self.counts, self.found, strict=True))


def _count_check(count: CountConstraint) -> PropertyCheck:
    """A count constraint as a check (whose failures are only counted, see :class:`CoreTally`)."""
    languages = None if count.languages is None else tuple(r.lower() for r in count.languages)
    return PropertyCheck(
        shape=count.shape,
        path=f"<{count.path}>",
        inverse=False,
        severity=count.severity,
        messages=count.messages_by_language,
        min_count=count.minimum if languages is None else None,
        qualified=None if languages is None else (languages, count.minimum, None),
    )


_UNKNOWN: Any = object()


def compile_core(core: Sequence[ox.Triple]) -> CoreCheck | None:
    """The core shapes as checks, or ``None`` if they say anything not checked here."""
    about: dict[str, dict[str, list[object]]] = {}
    for t in core:
        about.setdefault(str(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)
    lists = rdf_lists(core)
    qualified_shapes: set[str] = set()
    by_class: dict[str, list[PropertyCheck]] = {}
    made: list[PropertyCheck] = []
    property_shapes: set[str] = set()
    by_shape: set[str] = set()  # the node shapes checked
    for node, values in about.items():
        targets = values.get(SH + "targetClass", [])
        if not targets and SH + "property" not in values:
            continue
        allowed = _ANNOTATIONS | {SH + "targetClass", SH + "property"}
        types = {getattr(t, "value", None) for t in values.get(RDF + "type", [])}
        if set(values) - allowed or not types <= {SH + "NodeShape"}:
            return None
        if not all(isinstance(t, ox.NamedNode) for t in targets) or not targets:
            return None
        by_shape.add(node)
        for shape in values.get(SH + "property", []):
            if not isinstance(shape, ox.NamedNode):
                return None
            # a check of its own for each node shape, as each reports its results: a property
            # shape that two node shapes share is reported twice for a node of both
            check = _property(shape.value, about, lists, qualified_shapes)
            if check is None:
                return None
            made.append(check)
            property_shapes.add(str(shape))
            for target in targets:
                by_class.setdefault(str(target), []).append(check)
    for node, values in about.items():  # any other shape is a target's, or checks nothing
        used = node in property_shapes or node in qualified_shapes or node in by_shape
        types = {getattr(t, "value", None) for t in values.get(RDF + "type", [])}
        targeted = any(p.startswith(SH + "target") for p in values) or types & _CLASSES
        if not used and targeted and _CONSTRAINING & set(values):
            return None
    classes = set(by_class) | {c for check in made for c in check.classes}
    return CoreCheck(by_class, frozenset(classes))


def _property(
    shape: str,
    about: dict[str, dict[str, list[object]]],
    lists: dict[str, list[object]],
    qualified_shapes: set[str],
) -> PropertyCheck | None:
    values = about.get(f"<{shape}>", {})
    if set(values) - _ANNOTATIONS - _PROPERTY_PARAMETERS:
        return None
    types = {getattr(t, "value", None) for t in values.get(RDF + "type", [])}
    if not types <= {SH + "PropertyShape"}:
        return None
    single = {p: v[0] for p, v in values.items() if len(v) == 1}
    if any(
        len(v) != 1
        for p, v in values.items()
        if p not in (SH + "message", RDF + "type", SH + "pattern", SH + "class")
    ):
        return None
    path = single.get(SH + "path")
    inverse = False
    if isinstance(path, ox.BlankNode):
        steps = about.get(str(path), {})
        inverted = steps.get(SH + "inversePath", [])
        if set(steps) != {SH + "inversePath"} or len(inverted) != 1:
            return None
        path, inverse = inverted[0], True
    if not isinstance(path, ox.NamedNode):
        return None
    severity = single.get(SH + "severity", ox.NamedNode(SH + "Violation"))
    if not isinstance(severity, ox.NamedNode) or not severity.value.startswith(SH):
        return None
    messages = {
        (m.language or "en"): m.value
        for m in values.get(SH + "message", [])
        if isinstance(m, ox.Literal)
    }
    made: dict[str, int] = {}
    for name in ("minCount", "maxCount", "qualifiedMinCount", "qualifiedMaxCount", "minInclusive"):
        value = single.get(SH + name)
        if value is None:
            continue
        if not isinstance(value, ox.Literal) or value.datatype.value != XSD + "integer":
            return None
        form = r"[+-]?[0-9]+" if name == "minInclusive" else "[0-9]+"
        if re.fullmatch(form, value.value) is None:
            return None  # the engine says what is wrong with it
        made[name] = int(value.value)
    classes = values.get(SH + "class", [])
    if not all(isinstance(c, ox.NamedNode) for c in classes):
        return None
    datatype = single.get(SH + "datatype")
    if datatype is not None and str(datatype) not in _DATATYPE_TESTS:
        return None
    languages = None
    if SH + "languageIn" in single:
        languages = _strings(lists.get(str(single[SH + "languageIn"])))
        if languages is None:
            return None
    unique = single.get(SH + "uniqueLang")
    if unique is not None and (
        not isinstance(unique, ox.Literal) or unique.value not in ("true", "false")
    ):
        return None
    kind = single.get(SH + "nodeKind")
    kind_name = None if kind is None else getattr(kind, "value", None)
    if kind is not None and kind_name not in _NODE_KINDS:
        return None
    patterns = []
    for pattern in values.get(SH + "pattern", []):
        compiled = _pattern(pattern)
        if compiled is None:
            return None
        patterns.append(compiled)
    members = None
    if SH + "in" in single:
        listed = lists.get(str(single[SH + "in"]))
        if listed is None:
            return None
        members = frozenset(str(m) for m in listed)
    qualified = None
    if SH + "qualifiedValueShape" in single:
        inner = single[SH + "qualifiedValueShape"]
        parts = about.get(str(inner), {})
        inner_types = {getattr(t, "value", None) for t in parts.get(RDF + "type", [])}
        ranges = parts.get(SH + "languageIn", [])
        if set(parts) - {SH + "languageIn", RDF + "type"} or not inner_types <= {SH + "NodeShape"}:
            return None
        if len(ranges) != 1 or (found_ranges := _strings(lists.get(str(ranges[0])))) is None:
            return None
        if "qualifiedMinCount" not in made and "qualifiedMaxCount" not in made:
            return None
        qualified_shapes.add(str(inner))
        qualified = (found_ranges, made.get("qualifiedMinCount"), made.get("qualifiedMaxCount"))
    elif "qualifiedMinCount" in made or "qualifiedMaxCount" in made:
        return None
    return PropertyCheck(
        shape=shape,
        path=str(path),
        inverse=inverse,
        severity=severity.value.removeprefix(SH),
        messages=messages,
        min_count=made.get("minCount"),
        max_count=made.get("maxCount"),
        classes=tuple(str(c) for c in classes),
        datatype=None if datatype is None else str(datatype),
        languages=languages,
        unique_lang=unique is not None and unique.value == "true",  # type: ignore[union-attr]
        min_inclusive=made.get("minInclusive"),
        node_kind=None if kind_name is None else _NODE_KINDS[kind_name],
        patterns=tuple(patterns),
        members=members,
        qualified=qualified,
    )


def _pattern_test(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    def test(value: str) -> bool:
        text = _lexical(value)
        return text is not None and pattern.search(text) is not None

    return test


def _strings(members: list[object] | None) -> tuple[str, ...] | None:
    if members is None or not all(isinstance(m, ox.Literal) for m in members):
        return None
    return tuple(m.value.lower() for m in members)  # type: ignore[attr-defined]


#: A "[" within a character class, or a class that starts with "]" (read otherwise by each).
_NESTED_CLASS = re.compile(r"\[\^?\]|\[[^\]]*\[")


def _pattern(pattern: object) -> re.Pattern[str] | None:
    """An XPath regular expression without flags as one of Python's that means the same, if
    it is plain enough to tell: no groups of Python's own syntax, Unicode properties or class
    subtraction, and "$" (the end of the text, not of its last line) only at its end."""
    if not isinstance(pattern, ox.Literal) or pattern.datatype.value != XSD + "string":
        return None
    text = pattern.value
    bare = re.sub(r"\\.", "", text)  # the escaped characters taken out
    if "(?" in bare or re.search(r"\\[pPiIcC]", text) or "$" in bare[:-1]:
        return None
    if _NESTED_CLASS.search(bare) is not None:  # a class within a class: XPath's subtraction
        return None
    if bare.endswith("$"):
        text = text[:-1] + r"\Z"
    try:
        return re.compile(text)
    except re.error:
        return None


def subclass_closure(cls: str, subclasses: dict[str, set[str]]) -> frozenset[str]:
    """``cls`` with its subclasses to any depth (``subclasses``: each class's direct ones), as
    N-Triples text."""
    found: set[str] = set()
    pending = [cls]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending += subclasses.get(current, ())
    return frozenset(found)


def _kind(term: str) -> str:
    return "l" if term[:1] == '"' else "b" if term[:1] == "_" else "i"


def _lexical(term: str) -> str | None:
    """The string a pattern reads: an IRI's, a literal's lexical form; ``None`` for a blank
    node."""
    if term[:1] == "<":
        return term[1:-1]
    if term[:1] == '"':
        return _unescape(term[1 : term.rfind('"')])
    return None


def _number(term: str) -> Decimal | float | None:
    """A numeric literal's value (XSD's integer types, decimal, float and double), as SPARQL
    compares it; ``None`` for any other term, or a form its datatype does not allow."""
    if term[:1] != '"':
        return None
    close = term.rfind('"')
    kind = _NUMERIC.get(term[close + 3 :]) if term[close + 1 : close + 3] == "^^" else None
    text = term[1:close]
    if kind is None or _NUMBER_FORMS[kind].fullmatch(text) is None:
        return None
    if kind != "floating":
        return Decimal(text)
    return float(text.replace("INF", "inf"))


def _unescape(text: str) -> str:
    """A literal's escaped text (N-Triples) as the string it stands for."""
    if "\\" not in text:
        return text
    parsed = next(iter(ox.parse(f'<x:s> <x:p> "{text}" .', format=ox.RdfFormat.N_TRIPLES)))
    return parsed.object.value  # type: ignore[union-attr]


def _plain(term: str) -> str:
    """A term as results give it: an IRI without brackets, a literal's lexical form, a blank
    node's label."""
    if term[:1] == "<":
        return term[1:-1]
    if term[:1] == "_":
        return term[2:]
    return _lexical(term) or ""
