"""The ``build`` pipeline: sources → records → graph → (validation) → files in ``dist/``."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Triple

from regiongraph.config import Settings, load_settings
from regiongraph.curation import load_curation
from regiongraph.errors import DataError, NotConformingError
from regiongraph.extract import parse_sources
from regiongraph.files import staged_directory
from regiongraph.graph import GraphStats, KnowledgeGraph, LinkingData, build_graph
from regiongraph.namespaces import prefixes_for
from regiongraph.project import Project
from regiongraph.records import SourceDocument
from regiongraph.reference import load_prefectures

if TYPE_CHECKING:
    from regiongraph.validate import ValidationReport

GRAPH_FILES = {
    "turtle": "regiongraph.ttl",
    "json-ld": "regiongraph.jsonld",
    "n-triples": "regiongraph.nt",
}
DATASET_FILE = "dataset.ttl"
CONTEXT_FILE = "context.jsonld"
ONTOLOGY_FILE = "ontology.ttl"


@dataclass
class ProjectGraph:
    """A project's graph with what it was made from."""

    project: Project
    settings: Settings
    documents: list[SourceDocument]
    graph: KnowledgeGraph
    timings: dict[str, float] = field(default_factory=dict)
    _sorted: list[Triple] | None = None
    _description: list[Triple] | None = None
    _ntriples: bytes | None = None

    def triples(self) -> list[Triple]:
        """The graph's triples in output order (made once)."""
        if self._sorted is None:
            self._sorted = _timed(self.timings, "order", self.graph.ordered_triples)
        return self._sorted

    def ntriples(self) -> bytes:
        """The graph as N-Triples, in output order (written once, for the file and validation)."""
        if self._ntriples is None:
            from regiongraph.serialize import to_ntriples

            triples = self.triples()
            self._ntriples = _timed(
                self.timings, "serialize n-triples", lambda: to_ntriples(triples)
            )
        return self._ntriples

    def description(self) -> list[Triple]:
        """The DCAT/VoID description of the graph."""
        if self._description is None:
            from regiongraph.dataset import describe_dataset

            self._description = describe_dataset(
                self.settings.base_iri,
                self.documents,
                self.triples(),
                self.graph.example_resources,
                self.settings.publisher,
            )
        return self._description


@dataclass
class BuildResult:
    out: Path
    stats: GraphStats
    files: list[Path]
    timings: dict[str, float]
    report: ValidationReport | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of acyclic objects are made.

    The graph's terms, tuples and lists hold no reference cycles, so collection passes during
    a build find nothing and only cost time (they halved graph building speed when measured).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _timed(timings: dict[str, float], name: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    timings[name] = time.perf_counter() - start
    return result


def load_linking(project: Project) -> LinkingData:
    """Reference prefectures and curation of ``project``."""
    prefectures = load_prefectures(project.reference_dir / "prefectures.csv")
    curation = load_curation(project.curation_dir, {p.code for p in prefectures})
    return LinkingData(prefectures, curation)


def make_graph(
    project: Project, sources: list[Path] | None = None, base_iri: str | None = None
) -> ProjectGraph:
    """Parse the project's sources (or ``sources``) and build its knowledge graph."""
    timings: dict[str, float] = {}
    settings = load_settings(project.root, base_iri)
    paths = sources if sources is not None else project.sources()
    documents = _timed(timings, "parse", lambda: parse_sources(paths))
    _check_calls(documents)
    linking = load_linking(project)
    graph = _timed(timings, "graph", lambda: build_graph(documents, settings.base_iri, linking))
    return ProjectGraph(project, settings, documents, graph, timings)


def _check_calls(documents: list[SourceDocument]) -> None:
    seen: dict[int, str] = {}
    for document in documents:
        other = seen.setdefault(document.fiscal_year, document.source)
        if other != document.source:
            raise DataError(
                f"{document.source}: fiscal year {document.fiscal_year} is also the year of "
                f"{other}; one list per call and year"
            )


def jsonld_context(project: Project, base: str) -> dict[str, Any]:
    """The shipped JSON-LD context with ``@base`` set to the project's base IRI."""
    path = project.ontology_dir / CONTEXT_FILE
    try:
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{path}: not a JSON-LD context file ({error})") from None
    return {"@base": base, **context}


def serialize_all(built: ProjectGraph, directory: Path) -> list[Path]:
    """Write every output file of ``built`` into ``directory``; return their paths."""
    from regiongraph.serialize import to_jsonld, to_turtle

    timings = built.timings
    base = built.settings.base_iri
    triples = built.triples()
    prefixes = prefixes_for(base)
    context = jsonld_context(built.project, base)
    writers: dict[str, Callable[[], bytes]] = {
        "turtle": lambda: to_turtle(triples, prefixes),
        "json-ld": lambda: to_jsonld(triples, context),
        "n-triples": built.ntriples,
    }
    written = []
    for name, filename in GRAPH_FILES.items():
        data = (
            writers[name]()
            if name == "n-triples"
            else _timed(timings, f"serialize {name}", writers[name])
        )
        (directory / filename).write_bytes(data)
        written.append(directory / filename)
    (directory / DATASET_FILE).write_bytes(to_turtle(built.description(), prefixes))
    (directory / CONTEXT_FILE).write_bytes(
        (json.dumps({"@context": context}, ensure_ascii=False, indent=2) + "\n").encode()
    )
    ontology = built.project.ontology_dir / "regiongraph.ttl"
    (directory / ONTOLOGY_FILE).write_bytes(ontology.read_bytes())
    written += [directory / DATASET_FILE, directory / CONTEXT_FILE, directory / ONTOLOGY_FILE]
    return written


def validate_built(built: ProjectGraph, engine: str = "auto") -> ValidationReport:
    """Validate the graph and its description against the project's shapes."""
    from regiongraph.serialize import to_ntriples
    from regiongraph.validate import choose_engine, load_rdf_dir, validate

    shapes = load_rdf_dir(built.project.shapes_dir)
    ontology = load_rdf_dir(built.project.ontology_dir)
    data = [*built.triples(), *built.description()]
    if choose_engine(engine, len(data)) == "fast":
        ntriples = built.ntriples() + to_ntriples(built.description())
        return validate(data, shapes, ontology, "fast", ntriples)
    return validate(data, shapes, ontology, "pyshacl")


def build(
    project: Project,
    out: Path | None = None,
    base_iri: str | None = None,
    validate: bool = True,
    shacl_engine: str = "auto",
) -> BuildResult:
    """Build ``project`` into ``out`` (default: its ``dist/``), all files or none.

    With ``validate``, a graph that does not conform raises :class:`NotConformingError` and
    nothing is published: validation runs alongside serialization into a staging directory,
    whose files are moved into place only once the graph is known to conform.
    """
    from concurrent.futures import ThreadPoolExecutor

    with paused_gc():
        built = make_graph(project, base_iri=base_iri)
        (
            built.triples(),
            built.description(),
            built.ntriples(),
        )  # made once, before threads share them
        target = out if out is not None else project.default_out
        report = None
        with staged_directory(target) as stage, ThreadPoolExecutor(max_workers=1) as pool:
            pending = (
                pool.submit(
                    _timed, built.timings, "validate", lambda: validate_built(built, shacl_engine)
                )
                if validate
                else None
            )
            staged = serialize_all(built, stage)
            if pending is not None:
                report = pending.result()
                if not report.conforms:
                    raise NotConformingError(report)
    files = [target / path.name for path in staged]
    return BuildResult(target, built.graph.stats, files, built.timings, report)
