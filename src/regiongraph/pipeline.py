"""The ``build`` pipeline: sources → records → graph → (validation) → files in ``dist/``."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from pyoxigraph import Triple

from regiongraph.config import Settings, load_settings
from regiongraph.errors import DataError, NotConformingError
from regiongraph.files import staged_directory
from regiongraph.graph.builder import GraphStats, KnowledgeGraph, LinkingData, build_graph
from regiongraph.link.curation import load_curation
from regiongraph.link.reference import load_prefectures
from regiongraph.project import Project
from regiongraph.rdf.namespaces import prefixes_for
from regiongraph.rdf.read import read_triples
from regiongraph.rdf.write import Group
from regiongraph.source.records import SourceDocument
from regiongraph.source.render import parse_sources

if TYPE_CHECKING:
    from regiongraph.validation.validate import ValidationReport

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
    _description: list[Triple] | None = None

    def groups(self) -> Iterator[Group]:
        """The graph subject by subject, in output order (see :class:`KnowledgeGraph`)."""
        return self.graph.groups()

    def triples(self) -> list[Triple]:
        """The graph's triples in output order, as a list (for rdflib and pyshacl)."""
        return self.graph.ordered_triples()

    def description(self) -> list[Triple]:
        """The DCAT/VoID description of the graph (made once)."""
        if self._description is None:
            from regiongraph.graph.dataset import describe_dataset

            self._description = describe_dataset(
                self.settings.base_iri,
                self.documents,
                self.graph.vocabulary,
                self.graph.size,
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
    What was made is then frozen: otherwise the first collection after the pause walks all of
    it (2.8 s at 100,000 regions). Frozen objects are still freed when no longer referenced.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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


def write_ntriples_file(built: ProjectGraph, directory: Path) -> Path:
    """Write the graph's N-Triples file into ``directory`` (first: validation reads it)."""
    from regiongraph.rdf.write import write_ntriples

    path = directory / GRAPH_FILES["n-triples"]
    with path.open("wb") as out:
        _timed(built.timings, "serialize n-triples", lambda: write_ntriples(built.groups(), out))
    return path


def serialize_all(built: ProjectGraph, ntriples: Path, directory: Path) -> list[Path]:
    """Write the other output files into ``directory``; return their paths.

    Turtle and JSON-LD are read back from the graph's N-Triples file, streamed, so that the
    graph itself need not be kept for them.
    """
    from regiongraph.rdf.write import (
        group_triples,
        read_ntriples,
        to_turtle,
        write_jsonld,
        write_turtle,
    )

    base = built.settings.base_iri
    prefixes = prefixes_for(base)
    context = jsonld_context(built.project, base)
    writers: dict[str, Callable[[IO[bytes]], None]] = {
        "turtle": lambda out: write_turtle(read_ntriples(ntriples), prefixes, out),
        "json-ld": lambda out: write_jsonld(group_triples(read_ntriples(ntriples)), context, out),
    }
    written = []
    for name, write in writers.items():
        path = directory / GRAPH_FILES[name]
        with path.open("wb") as out:
            _timed(built.timings, f"serialize {name}", lambda: write(out))  # noqa: B023
        written.append(path)
    written.insert(len(GRAPH_FILES) - 1, ntriples)
    (directory / DATASET_FILE).write_bytes(to_turtle(built.description(), prefixes))
    (directory / CONTEXT_FILE).write_bytes(
        (json.dumps({"@context": context}, ensure_ascii=False, indent=2) + "\n").encode()
    )
    ontology = built.project.ontology_dir / "regiongraph.ttl"
    (directory / ONTOLOGY_FILE).write_bytes(ontology.read_bytes())
    written += [directory / DATASET_FILE, directory / CONTEXT_FILE, directory / ONTOLOGY_FILE]
    return written


def validate_built(
    built: ProjectGraph, engine: str = "auto", ntriples: Path | None = None
) -> ValidationReport:
    """Validate the graph and its description against the project's shapes.

    ``ntriples``: the graph's N-Triples file, if already written (the fast engine reads it).
    """
    from regiongraph.validation.validate import (
        choose_engine,
        load_rdf_dir,
        validate,
        validate_ntriples,
    )

    shapes = load_rdf_dir(built.project.shapes_dir)
    ontology = load_rdf_dir(built.project.ontology_dir)
    description = built.description()
    if choose_engine(engine, built.graph.size + len(description)) != "fast":
        data = read_triples(ntriples) if ntriples is not None else built.triples()
        return validate([*data, *description], shapes, ontology, "pyshacl")
    if ntriples is not None:
        return validate_ntriples([ntriples], description, shapes, ontology)
    with TemporaryDirectory(prefix="regiongraph-") as directory:
        path = write_ntriples_file(built, Path(directory))
        return validate_ntriples([path], description, shapes, ontology)


@dataclass
class GraphFile:
    """A graph written to N-Triples by :func:`write_graph`, with what was learned making it."""

    stats: GraphStats
    size: int
    description: bytes  # N-Triples
    timings: dict[str, float]


def write_graph(project: Project, base_iri: str | None, directory: Path) -> GraphFile:
    """Parse and link the project's sources, and write the graph's N-Triples into ``directory``."""
    from regiongraph.rdf.write import to_ntriples

    with paused_gc():
        built = make_graph(project, base_iri=base_iri)
        description = to_ntriples(built.description())
        write_ntriples_file(built, directory)
    return GraphFile(built.graph.stats, built.graph.size, description, built.timings)


def build(
    project: Project,
    out: Path | None = None,
    base_iri: str | None = None,
    validate: bool = True,
    shacl_engine: str = "auto",
) -> BuildResult:
    """Build ``project`` into ``out`` (default: its ``dist/``), all files or none.

    The graph is made and written to N-Triples in a child process (see :mod:`isolate`); this
    process then reads that file back to validate it and, alongside, to write Turtle and
    JSON-LD, so no copy of the graph is held in memory. With ``validate``, a graph that does
    not conform raises :class:`NotConformingError` and nothing is published: the files are
    written into a staging directory that replaces ``out`` only once the graph conforms.
    """
    from regiongraph.isolate import Child, in_child

    settings = load_settings(project.root, base_iri)
    target = out if out is not None else project.default_out
    report = None
    with staged_directory(target) as stage:
        made = in_child(lambda: write_graph(project, base_iri, stage))
        graph = KnowledgeGraph(settings.base_iri, stats=made.stats, size=made.size, released=True)
        description = [q.triple for q in ox.parse(made.description, format=ox.RdfFormat.N_TRIPLES)]
        built = ProjectGraph(project, settings, [], graph, made.timings, description)
        ntriples = stage / GRAPH_FILES["n-triples"]
        # Turtle and JSON-LD are written in a second child, alongside validation here: both
        # are CPU-bound, and in one process they would take turns on the GIL. The child runs
        # at a lower priority: validation is the longer path (at 100,000 regions, 59 s -> 51 s).
        serializing = Child(lambda: (serialize_all(built, ntriples, stage), built.timings), nice=10)
        try:
            if validate:
                report = _timed(
                    built.timings, "validate", lambda: validate_built(built, shacl_engine, ntriples)
                )
        finally:
            staged, timings = serializing.result()
        built.timings.update(timings)
        if report is not None and not report.conforms:
            raise NotConformingError(report)
    files = [target / path.name for path in staged]
    return BuildResult(target, built.graph.stats, files, built.timings, report)
