"""Validation against the SHACL shapes (pyshacl), and reports a person can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from regiongraph.errors import DataError, MissingExtraError
from regiongraph.rdf.namespaces import RDF, RDFS, SH, XSD, compact
from regiongraph.rdf.read import read_triples, to_rdflib

if TYPE_CHECKING:
    import rdflib

    from regiongraph.validation.sparql_constraints import SparqlConstraint, SparqlResult

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
    turtle: Callable[[], bytes] = lambda: b""  # noqa: E731  # made only when asked for

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
        from tempfile import TemporaryDirectory

        from regiongraph.rdf.write import to_ntriples

        with TemporaryDirectory(prefix="regiongraph-") as directory:
            path = Path(directory) / "data.nt"
            path.write_bytes(to_ntriples(data))
            return validate_ntriples([path], [], shapes, ontology)
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


def validate_files(
    paths: Sequence[Path],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
    engine: str = "auto",
) -> ValidationReport:
    """Validate RDF files (any format, their triples together) as :func:`validate` does.

    Where the fast engine may be used, the files are streamed into one N-Triples file that it
    reads: a large graph is never held in memory as Python objects.
    """
    from tempfile import TemporaryDirectory

    from regiongraph.rdf.read import write_as_ntriples

    if choose_engine(engine, FAST_ENGINE_THRESHOLD + 1) != "fast":  # pyshacl whatever the size
        return validate([t for path in paths for t in read_triples(path)], shapes, ontology, engine)
    with TemporaryDirectory(prefix="regiongraph-") as directory:
        data = Path(directory) / "data.nt"
        with data.open("wb") as out:
            size = sum(write_as_ntriples(path, out) for path in paths)
        if choose_engine(engine, size) != "fast":
            return validate(read_triples(data), shapes, ontology, "pyshacl")
        return validate_ntriples([data], [], shapes, ontology)


def validate_ntriples(
    files: Sequence[Path],
    extra: Sequence[ox.Triple],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
) -> ValidationReport:
    """Validate on the fast engine a graph written as canonical N-Triples ``files``, plus ``extra``.

    The engine reads the data from a file, so no copy of a large graph is held as text. Core
    constraints run on the engine (it releases the GIL), while the SPARQL constraints run in a
    thread on an Oxigraph store loaded with only the triples whose predicates those queries can
    match (all triples if that cannot be told).
    """
    from concurrent.futures import ThreadPoolExecutor
    from tempfile import TemporaryDirectory

    try:
        import shacl
    except ImportError:
        raise MissingExtraError("shacl", "fast") from None
    from regiongraph.rdf.write import to_ntriples
    from regiongraph.validation.shape_predicates import core_predicates
    from regiongraph.validation.sparql_constraints import predicates_read, split_shapes

    core, sparql = split_shapes(shapes)
    try:
        compiled = shacl.Shapes.from_text(to_ntriples(core).decode("utf-8"), format="ntriples")
    except Exception as error:  # the engine raises plain exceptions for bad shapes
        raise DataError(f"the shapes cannot be used: {error}") from None
    with (
        TemporaryDirectory(prefix="regiongraph-validate-") as directory,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        data, sparql_data, label_lines = _split_data(
            files,
            to_ntriples([*extra, *ontology]),
            Path(directory),
            core_predicates(core),
            predicates_read(sparql),
        )
        pending = pool.submit(_run_sparql, sparql_data, sparql) if sparql else None
        try:
            report = compiled.validate_file(str(data), allow_warnings=True)
        except Exception as error:  # the engine raises plain exceptions for bad shapes
            raise DataError(f"the shapes cannot be used: {error}") from None
        out = _engine_results(report.results)
        sparql_results = pending.result() if pending is not None else []
        out = _with_labels(out + _sparql_results(sparql_results), label_lines)
    out.sort(key=_result_order)
    conforms = not any(r.severity == "Violation" for r in out)

    def turtle() -> bytes:
        """The engine's report with the SPARQL results added and sh:conforms set for both."""
        engine_report = report.serialize("ntriples").encode()
        triples = [q.triple for q in ox.parse(engine_report, format=ox.RdfFormat.N_TRIPLES)]
        for found in sparql_results:
            triples += _result_triples(found)
        triples = [t for t in triples if t.predicate.value != SH + "conforms"]
        node = next(
            (t.subject for t in triples if t.object == ox.NamedNode(SH + "ValidationReport")),
            ox.BlankNode("report"),
        )
        verdict = ox.Literal(str(conforms).lower(), datatype=ox.NamedNode(XSD + "boolean"))
        triples.append(ox.Triple(node, ox.NamedNode(SH + "conforms"), verdict))  # type: ignore[arg-type]
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sh": SH}) or b""

    return ValidationReport(conforms, out, turtle)


def _engine_path(path: object) -> str | None:
    if path is None:
        return None
    text = str(path)
    return "^" + _unbracket(text[1:]) if text.startswith("^") else _unbracket(text)


def _result_triples(found: object) -> list[ox.Triple]:
    """A SPARQL result as sh:ValidationResult triples (the value's kind is not kept: a string)."""
    node = ox.BlankNode()
    sh = ox.NamedNode
    triples = [
        ox.Triple(node, sh(RDF + "type"), sh(SH + "ValidationResult")),
        ox.Triple(node, sh(SH + "focusNode"), sh(found.focus)),  # type: ignore[attr-defined]
        ox.Triple(node, sh(SH + "resultSeverity"), sh(SH + found.severity)),  # type: ignore[attr-defined]
        ox.Triple(node, sh(SH + "sourceConstraintComponent"), sh(SH + "SPARQLConstraintComponent")),
        ox.Triple(node, sh(SH + "sourceShape"), sh(found.shape)),  # type: ignore[attr-defined]
        ox.Triple(node, sh(SH + "sourceConstraint"), sh(found.constraint)),  # type: ignore[attr-defined]
    ]
    if found.value is not None:  # type: ignore[attr-defined]
        triples.append(ox.Triple(node, sh(SH + "value"), ox.Literal(found.value)))  # type: ignore[attr-defined]
    for language, message in found.messages.items():  # type: ignore[attr-defined]
        triples.append(
            ox.Triple(node, sh(SH + "resultMessage"), ox.Literal(message, language=language))
        )
    return triples


def _run_sparql(data: Path, constraints: Sequence[SparqlConstraint]) -> list[SparqlResult]:
    """Evaluate SPARQL constraints on an Oxigraph store of the N-Triples file ``data``."""
    from regiongraph.validation.sparql_constraints import evaluate

    store = ox.Store()
    store.bulk_load(path=data, format=ox.RdfFormat.N_TRIPLES)
    return evaluate(store, constraints)


_LABEL = f"<{RDFS}label>".encode()


def _split_data(
    files: Sequence[Path],
    extra: bytes,
    directory: Path,
    engine: set[str] | None,
    sparql: set[str] | None,
) -> tuple[Path, Path, Path]:
    """One pass over canonical N-Triples: files of what the engine, SPARQL and labels need.

    The engine's file has the triples whose predicate is in ``engine``; the SPARQL file those
    whose predicate is in ``sparql`` (``None``: every triple); the labels file the
    ``rdfs:label`` triples. ``extra`` goes into all three.
    """
    paths = directory / "engine.nt", directory / "sparql.nt", directory / "labels.nt"
    chunks: list[list[bytes]] = [[], [], []]
    engine_lines = chunks[0]
    routes: dict[bytes, tuple[Callable[[bytes], None], ...]] = {}  # predicate → where it goes
    with ExitStack() as stack:
        sinks = [stack.enter_context(path.open("wb")) for path in paths]
        for path in files:
            with path.open("rb") as part:
                for line in part:
                    start = line.index(b" ") + 1
                    predicate = line[start : line.index(b" ", start)]
                    route = routes.get(predicate)
                    if route is None:
                        name = predicate[1:-1].decode()
                        wanted = (
                            engine is None or name in engine,
                            sparql is None or name in sparql,
                            predicate == _LABEL,
                        )
                        route = routes[predicate] = tuple(
                            chunk.append for chunk, yes in zip(chunks, wanted, strict=True) if yes
                        )
                    for add in route:
                        add(line)
                    if len(engine_lines) >= 1 << 16:
                        _flush(chunks, sinks)
        _flush(chunks, sinks)
        for sink in sinks:
            sink.write(extra)
    return paths


def _flush(chunks: list[list[bytes]], sinks: Sequence[IO[bytes]]) -> None:
    for chunk, sink in zip(chunks, sinks, strict=True):
        sink.write(b"".join(chunk))
        chunk.clear()


def _engine_results(engine: Sequence[Any]) -> list[ValidationResult]:
    """The fast engine's results, as report results."""
    return [
        ValidationResult(
            focus=_unbracket(r.focus_node),
            label=None,
            path=_engine_path(r.path),
            value=None if r.value is None else str(r.value_plain),
            severity=str(r.severity),
            component=str(r.component),
            shape=_unbracket(str(r.source_shape)),
            constraint=None,
            messages={_guess_language(m): m for m in r.messages},
        )
        for r in engine
    ]


def _sparql_results(sparql: Sequence[SparqlResult]) -> list[ValidationResult]:
    """The SPARQL constraints' results, as report results."""
    return [
        ValidationResult(
            focus=found.focus,
            label=None,
            path=found.path,
            value=found.value,
            severity=found.severity,
            component="SPARQLConstraintComponent",
            shape=found.shape,
            constraint=found.constraint,
            messages=found.messages,
        )
        for found in sparql
    ]


def _labels_in(data: bytes, focus_nodes: set[str]) -> dict[str, dict[str, str]]:
    """The ``rdfs:label`` values of ``focus_nodes`` in N-Triples ``data``."""
    labels: dict[str, dict[str, str]] = {}
    for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        subject, obj = quad.subject.value, quad.object  # type: ignore[union-attr]
        if subject in focus_nodes and isinstance(obj, ox.Literal):
            labels.setdefault(subject, {})[obj.language or ""] = obj.value
    return labels


def _with_labels(results: list[ValidationResult], data: Path) -> list[ValidationResult]:
    """Fill in each focus node's label (Japanese first) from the N-Triples file ``data``."""
    from dataclasses import replace

    found = _labels_in(data.read_bytes(), {r.focus for r in results}) if results else {}

    def label(focus: str) -> str | None:
        names = found.get(focus, {})
        return names.get("ja") or names.get("en") or next(iter(names.values()), None)

    return [replace(r, label=label(r.focus)) for r in results]


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
    return ValidationReport(
        conforms, out, lambda: results.serialize(format="turtle").encode("utf-8")
    )


_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def _guess_language(message: str) -> str:
    # pyshacl and the fast engine drop the language tag of a message they fill in.
    return "ja" if _JAPANESE.search(message) else "en"


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
        return "^" + compact(iri[1:], prefixes)
    return compact(iri, prefixes)


def render_report(
    report: ValidationReport, fmt: str, prefixes: dict[str, str], lang: str = "en"
) -> str:
    """The report as ``text`` (grouped by resource), ``turtle`` (the SHACL report) or ``json``."""
    if fmt == "turtle":
        return report.turtle().decode("utf-8")
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
