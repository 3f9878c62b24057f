"""Validation against the SHACL shapes (pyshacl), and reports a person can act on."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from regiongraph.errors import DataError, MissingExtraError
from regiongraph.rdfio import read_triples, to_rdflib

if TYPE_CHECKING:
    import rdflib

SH = "http://www.w3.org/ns/shacl#"
REPORT_FORMATS = ("text", "turtle", "json")
ENGINES = ("auto", "pyshacl", "fast")
#: Above this many data triples, ``auto`` uses the fast engine when it is installed.
FAST_ENGINE_THRESHOLD = 20_000
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One result of the report, with IRIs kept whole."""

    focus: str
    label: str | None
    path: str | None
    value: str | None
    severity: str
    component: str
    shape: str
    constraint: str | None = None
    messages: dict[str, str] = field(default_factory=dict)


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    results_turtle: bytes = b""

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def load_rdf_dir(directory: Path) -> list[ox.Triple]:
    """All ``*.ttl`` files of a directory (shapes, ontology), parsed."""
    paths = sorted(directory.glob("*.ttl"))
    if not paths:
        raise DataError(f"{directory}: no *.ttl files")
    return [t for path in paths for t in read_triples(path)]


def fast_engine_available() -> bool:
    """True if the optional fast SHACL engine (the ``fast`` extra) is installed."""
    from importlib.util import find_spec

    return find_spec("shacl") is not None


def choose_engine(engine: str, triples: int) -> str:
    """``auto`` is pyshacl (the reference) except for large graphs when the fast engine is there."""
    if engine not in ENGINES:
        raise DataError(f"unknown SHACL engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "auto":
        return "fast" if triples > FAST_ENGINE_THRESHOLD and fast_engine_available() else "pyshacl"
    return engine


def validate(
    data: Sequence[ox.Triple],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
    engine: str = "auto",
) -> ValidationReport:
    """Validate ``data`` (with the ontology's class axioms) against ``shapes``.

    Warnings and infos do not break conformance. ``engine``: ``pyshacl`` (the reference),
    ``fast`` (the optional ``shacl`` package, pinned; the parity test runs every shapes test
    case through both) or ``auto``.
    """
    if choose_engine(engine, len(data)) == "fast":
        return _validate_fast(data, shapes, ontology)
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


def _validate_fast(
    data: Sequence[ox.Triple], shapes: Sequence[ox.Triple], ontology: Sequence[ox.Triple]
) -> ValidationReport:
    try:
        import shacl
    except ImportError:
        raise MissingExtraError("shacl", "fast") from None

    def ntriples(triples: Sequence[ox.Triple]) -> str:
        return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")

    try:
        compiled = shacl.Shapes.from_text(ntriples(shapes), format="ntriples")
        report = compiled.validate_text(
            ntriples(data) + ntriples(ontology), format="ntriples", allow_warnings=True
        )
    except Exception as error:  # the engine raises plain exceptions for bad shapes
        raise DataError(f"the shapes cannot be used: {error}") from None
    focus_nodes = {_unbracket(r.focus_node) for r in report.results}
    labels: dict[str, dict[str, str]] = {}
    if focus_nodes:
        label = RDFS_LABEL
        for t in data:
            if t.predicate.value == label and t.subject.value in focus_nodes:  # type: ignore[union-attr]
                language = getattr(t.object, "language", None) or ""
                labels.setdefault(t.subject.value, {})[language] = t.object.value  # type: ignore[union-attr]
    out = []
    for r in report.results:
        focus = _unbracket(r.focus_node)
        names = labels.get(focus, {})
        path = None if r.path is None else str(r.path)
        if path is not None:
            path = "^" + _unbracket(path[1:]) if path.startswith("^") else _unbracket(path)
        out.append(
            ValidationResult(
                focus=focus,
                label=names.get("ja") or names.get("en") or next(iter(names.values()), None),
                path=path,
                value=None if r.value is None else str(r.value_plain),
                severity=str(r.severity),
                component=str(r.component),
                shape=_unbracket(str(r.source_shape)),
                constraint=None,
                messages={_guess_language(m): m for m in r.messages},
            )
        )
    out.sort(key=_result_order)
    return ValidationReport(bool(report.conforms), out, report.serialize("turtle").encode("utf-8"))


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _unbracket(text: str) -> str:
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _result_order(r: ValidationResult) -> tuple[str, int, str, str, str]:
    return (r.focus, _SEVERITY_ORDER.get(r.severity, 9), r.path or "", r.value or "", r.component)


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
            getattr(m, "language", None) or _guess_language(str(m)): str(m)
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
    out.sort(key=_result_order)
    turtle = results.serialize(format="turtle").encode("utf-8")
    return ValidationReport(conforms, out, turtle)


def _guess_language(message: str) -> str:
    # pyshacl drops the language tag of a message whose {?variables} it fills in.
    return (
        "ja"
        if any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in message)
        else "en"
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


def _compact(iri: str | None, prefixes: dict[str, str]) -> str:
    if iri is None:
        return "—"
    if iri.startswith("^"):
        return "^" + _compact(iri[1:], prefixes)
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def render_report(
    report: ValidationReport, fmt: str, prefixes: dict[str, str], lang: str = "en"
) -> str:
    """The report as ``text`` (grouped by resource), ``turtle`` (the SHACL report) or ``json``."""
    if fmt == "turtle":
        return report.results_turtle.decode("utf-8")
    summary = {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
    }
    if fmt == "json":
        document = {**summary, "results": [asdict(r) for r in report.results]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []
    current = None
    for result in report.results:
        if result.focus != current:
            current = result.focus
            label = f"  {result.label}" if result.label else ""
            lines.append(f"{_compact(result.focus, prefixes)}{label}")
        message = result.messages.get(lang) or next(iter(result.messages.values()), "")
        value = "" if result.value is None else f" = {_compact(result.value, prefixes)}"
        lines.append(
            f"  {result.severity:<9} {_compact(result.path, prefixes)}{value}  {message}"
            f"  [{result.component.removesuffix('ConstraintComponent')}]"
        )
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{summary['violations']} violation(s), {summary['warnings']} warning(s), "
        f"{summary['infos']} info(s): {verdict}"
    )
    return "\n".join(lines) + "\n"
