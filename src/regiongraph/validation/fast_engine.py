"""The fast engine (the optional ``shacl`` package) for Core constraints, SPARQL ones on Oxigraph.

Both read canonical N-Triples files, so a large graph is never held in memory as Python objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from regiongraph.errors import DataError, MissingExtraError
from regiongraph.rdf.namespaces import RDF, RDFS, SH, XSD
from regiongraph.validation.count_constraints import CountConstraint, split_counts
from regiongraph.validation.report import (
    ResultGroup,
    ValidationReport,
    ValidationResult,
    guess_language,
    result_order,
)
from regiongraph.validation.sparql_constraints import SparqlConstraint, SparqlResult
from regiongraph.validation.subsets import SubsetFiles, Subsets, split_subsets, tail_ntriples

_LABEL = RDFS + "label"


def fast_engine_available() -> bool:
    """True if the optional fast SHACL engine (the ``fast`` extra) is installed."""
    from importlib.util import find_spec

    return find_spec("shacl") is not None


def validate_ntriples(
    files: Sequence[Path],
    extra: Sequence[ox.Triple],
    shapes: Sequence[ox.Triple],
    ontology: Sequence[ox.Triple],
    subsets: SubsetFiles | None = None,
    counted_above: int | None = None,
) -> ValidationReport:
    """Validate on the fast engine a graph written as canonical N-Triples ``files``, plus ``extra``.

    The files must have been written here, from checked terms: they are read leniently (their
    IRIs and language tags not checked again).

    The engine reads the files and ``extra`` through a named pipe, so no copy of a large graph
    is written or held as text. Core constraints run on the engine (it releases the GIL), while
    the SPARQL and count constraints run in a thread on an Oxigraph store loaded with only the
    triples whose predicates those queries can match (all triples if that cannot be told).
    That subset and the labels are read from ``subsets`` where the graph's writer wrote them
    for these shapes, else split out of ``files`` here. Where the writer also tallied the count
    constraints (:class:`~regiongraph.validation.count_constraints.CountTally`), their focus
    nodes are read from its tally, and the store holds only what the SPARQL queries read.

    With ``counted_above``, the results of a count constraint that are not violations are
    counted and not listed (:class:`~regiongraph.validation.report.ResultGroup`) where there
    are more than that many: on a new list they are most results, hundreds of thousands, and
    making each an object with its focus node's label costs seconds that a build, which only
    tells how many, or a summary, need not spend.
    """
    from concurrent.futures import ThreadPoolExecutor
    from tempfile import TemporaryDirectory

    from regiongraph.validation.sparql_constraints import split_shapes

    core, sparql = split_shapes(shapes)
    core, counts = split_counts(core)
    wanted = Subsets.of(sparql, counts, ontology, core)
    tail = tail_ntriples(extra, ontology)
    with (
        TemporaryDirectory(prefix="regiongraph-validate-") as directory,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        if subsets is None or not subsets.answers(wanted, tail):
            subsets = split_subsets(files, wanted.without_tally(), Path(directory))
        written = subsets.subsets
        store_files = list(files) if written.store is None else [subsets.store]
        tallied = subsets.read_tally()
        queried = [] if written.tallied else counts
        run = sparql or counts
        pending = (
            pool.submit(_run_sparql, store_files, tail, sparql, queried, tallied, counted_above)
            if run
            else None
        )
        checked = subsets.read_core()
        report = None
        if checked is None:  # the engine checks the core shapes
            report = _engine_report(_compiled(core), files, tail, Path(directory))
        sparql_results, summarized, store = (
            pending.result() if pending is not None else ([], [], None)
        )
        pending = None  # its result holds the store too, which is freed once labels are read
        engine = report.results if report is not None else []
        sparql_results = [*(checked or []), *sparql_results]
        focus_nodes = {_unbracket(r.focus_node) for r in engine}
        focus_nodes |= {found.focus for found in sparql_results}
        if store is not None and not written.labels:
            labels = _store_labels(store, focus_nodes)
        else:
            labels = _labels([subsets.labels], tail, focus_nodes)
        del store  # before the results are made: a full list is large (validate --all)
        out = _engine_results(engine, labels) + _sparql_results(sparql_results, labels)
    out.sort(key=result_order)
    conforms = not any(r.severity == "Violation" for r in out)

    def turtle() -> bytes:
        """The engine's report (if it ran) with the other results added, each linked to it by
        sh:result, and sh:conforms set for all."""
        triples = []
        if report is not None:
            engine_report = report.serialize("ntriples").encode()
            triples = [q.triple for q in ox.parse(engine_report, format=ox.RdfFormat.N_TRIPLES)]
        triples = [t for t in triples if t.predicate.value != SH + "conforms"]
        node = next(
            (t.subject for t in triples if t.object == ox.NamedNode(SH + "ValidationReport")),
            None,
        )
        if node is None:
            node = ox.BlankNode("report")
            triples.append(
                ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "ValidationReport"))
            )
        for found in sparql_results:
            added = _result_triples(found)
            triples.append(ox.Triple(node, ox.NamedNode(SH + "result"), added[0].subject))
            triples += added
        verdict = ox.Literal(str(conforms).lower(), datatype=ox.NamedNode(XSD + "boolean"))
        triples.append(ox.Triple(node, ox.NamedNode(SH + "conforms"), verdict))  # type: ignore[arg-type]
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sh": SH}) or b""

    return ValidationReport(conforms, out, turtle, summarized)


def _compiled(core: Sequence[ox.Triple]) -> Any:
    """The core shapes compiled by the fast engine."""
    try:
        import shacl
    except ImportError:
        raise MissingExtraError("shacl", "fast") from None
    from regiongraph.rdf.write import to_ntriples

    try:
        return shacl.Shapes.from_text(to_ntriples(core).decode("utf-8"), format="ntriples")
    except Exception as error:  # the engine raises plain exceptions for bad shapes
        raise DataError(f"the shapes cannot be used: {error}") from None


def _engine_report(compiled: Any, files: Sequence[Path], tail: bytes, directory: Path) -> Any:
    """The fast engine's report on the graph: it reads the files and ``tail`` through a pipe."""
    from regiongraph.files import concatenation

    with concatenation(files, tail, directory / "engine.nt") as data:
        try:
            return compiled.validate_file(str(data), allow_warnings=True)
        except Exception as error:  # the engine raises plain exceptions for bad shapes
            raise DataError(f"the shapes cannot be used: {error}") from None


def _engine_path(path: object) -> str | None:
    if path is None:
        return None
    text = str(path)
    return "^" + _unbracket(text[1:]) if text.startswith("^") else _unbracket(text)


def _result_triples(found: SparqlResult) -> list[ox.Triple]:
    """A result found on Oxigraph as sh:ValidationResult triples (a value is kept as a string)."""
    node = ox.BlankNode()
    sh = ox.NamedNode
    triples = [
        ox.Triple(node, sh(RDF + "type"), sh(SH + "ValidationResult")),
        ox.Triple(node, sh(SH + "focusNode"), sh(found.focus)),
        ox.Triple(node, sh(SH + "resultSeverity"), sh(SH + found.severity)),
        ox.Triple(node, sh(SH + "sourceConstraintComponent"), sh(SH + found.component)),
        ox.Triple(node, sh(SH + "sourceShape"), sh(found.shape)),
    ]
    if found.constraint:
        triples.append(ox.Triple(node, sh(SH + "sourceConstraint"), sh(found.constraint)))
    if found.path is not None and found.path.startswith("^"):
        path = ox.BlankNode()
        triples.append(ox.Triple(node, sh(SH + "resultPath"), path))
        triples.append(ox.Triple(path, sh(SH + "inversePath"), sh(found.path[1:])))
    elif found.path is not None:
        triples.append(ox.Triple(node, sh(SH + "resultPath"), sh(found.path)))
    if found.value_term is not None:
        line = f"<x:s> <x:p> {found.value_term} .".encode()
        value = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))).object
        triples.append(ox.Triple(node, sh(SH + "value"), value))
    elif found.value is not None:
        triples.append(ox.Triple(node, sh(SH + "value"), ox.Literal(found.value)))
    for language, message in found.messages.items():
        triples.append(
            ox.Triple(node, sh(SH + "resultMessage"), ox.Literal(message, language=language))
        )
    return triples


def _run_sparql(
    data: Sequence[Path],
    tail: bytes,
    constraints: Sequence[SparqlConstraint],
    counts: Sequence[CountConstraint],
    tallied: Sequence[tuple[CountConstraint, list[str]]] = (),
    counted_above: int | None = None,
) -> tuple[list[SparqlResult], list[ResultGroup], ox.Store]:
    """Evaluate SPARQL and count constraints on an Oxigraph store of N-Triples ``data`` and
    ``tail``, with the focus nodes of count constraints already ``tallied``: the results
    listed, those counted (see :func:`validate_ntriples`), and the store."""
    from regiongraph.validation.sparql_constraints import evaluate

    store = ox.Store()
    # load, not bulk_load: as fast on a store in memory, with a fifth less memory (865 MB
    # against 1,070 MB for the 2.16 million triples of 100,000 regions of a new list)
    for path in data:
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.load(tail, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    results = evaluate(store, constraints)
    summarized: list[ResultGroup] = []
    for count, found in [*((c, c.focus_nodes(store)) for c in counts), *tallied]:
        violations = count.severity == "Violation"
        if counted_above is None or violations or len(found) <= counted_above:
            results += count.results(found)
        else:
            summarized.append(count.summary(found))
    return results, summarized, store


def _engine_results(engine: Sequence[Any], labels: dict[str, str]) -> list[ValidationResult]:
    """The fast engine's results, as report results with their focus nodes' labels."""
    return [
        ValidationResult(
            focus=(focus := _unbracket(r.focus_node)),
            label=labels.get(focus),
            path=_engine_path(r.path),
            value=None if r.value is None else str(r.value_plain),
            severity=str(r.severity),
            component=str(r.component),
            shape=_unbracket(str(r.source_shape)),
            constraint=None,
            messages={guess_language(m): m for m in r.messages},
        )
        for r in engine
    ]


def _sparql_results(
    sparql: Sequence[SparqlResult], labels: dict[str, str]
) -> list[ValidationResult]:
    """The results found on Oxigraph (SPARQL and count constraints), as report results."""
    return [
        ValidationResult(
            focus=found.focus,
            label=labels.get(found.focus),
            path=found.path,
            value=found.value,
            severity=found.severity,
            component=found.component,
            shape=found.shape,
            constraint=found.constraint or None,
            messages=found.messages,
        )
        for found in sparql
    ]


#: Up to this many focus nodes, their labels are looked up one by one; else all are read.
_LOOKED_UP = 10_000


def _store_labels(store: ox.Store, focus_nodes: set[str]) -> dict[str, str]:
    """:func:`_labels` from a store that holds the ``rdfs:label`` triples."""
    label = ox.NamedNode(_LABEL)
    found: dict[str, dict[str, str]] = {}
    quads: Iterable[ox.Quad]
    if len(focus_nodes) <= _LOOKED_UP:
        iris = [node for f in sorted(focus_nodes) if (node := _named(f)) is not None]
        quads = itertools.chain.from_iterable(
            store.quads_for_pattern(node, label, None) for node in iris
        )
    else:
        quads = store.quads_for_pattern(None, label, None)
    for quad in quads:
        subject, obj = quad.subject, quad.object
        named = isinstance(subject, ox.NamedNode) and isinstance(obj, ox.Literal)
        if named and subject.value in focus_nodes:  # type: ignore[union-attr]
            found.setdefault(subject.value, {})[obj.language or ""] = obj.value  # type: ignore[union-attr]
    return _preferred(found)


def _named(focus: str) -> ox.NamedNode | None:
    """A focus node's IRI (``None`` for a blank node or a literal, which have no label here)."""
    try:
        return ox.NamedNode(focus)
    except ValueError:
        return None


def _labels(data: Sequence[Path], tail: bytes, focus_nodes: set[str]) -> dict[str, str]:
    """The label of each of ``focus_nodes`` that has one in the N-Triples files ``data`` of
    ``rdfs:label`` triples, or in ``tail``: Japanese first, then English, then any. Only the
    lines about those nodes are parsed (a new list has hundreds of thousands of labels)."""
    found: dict[str, dict[str, str]] = {}
    if focus_nodes:
        subjects = {f"<{f}>".encode() for f in focus_nodes} | {
            f"_:{f}".encode() for f in focus_nodes
        }
        lines = [line for line in tail.splitlines(keepends=True) if _about(line, subjects)]
        for path in data:
            with path.open("rb") as file:
                lines += [line for line in file if _about(line, subjects)]
        for quad in ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES, lenient=True):
            if quad.predicate.value != _LABEL:
                continue
            subject, obj = quad.subject.value, quad.object  # type: ignore[union-attr]
            if subject in focus_nodes and isinstance(obj, ox.Literal):
                found.setdefault(subject, {})[obj.language or ""] = obj.value
    return _preferred(found)


def _about(line: bytes, subjects: set[bytes]) -> bool:
    """Whether an N-Triples line's subject, as written, is one of ``subjects``."""
    return line[: line.find(b" ")] in subjects


def _preferred(found: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each node's label: Japanese first, then English, then any."""
    return {
        focus: names.get("ja") or names.get("en") or next(iter(names.values()))
        for focus, names in found.items()
    }


def _unbracket(text: str) -> str:
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text
