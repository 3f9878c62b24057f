"""The build pipeline: sources → records → graph → N-Triples → validation and the other files.

The graph is made and written to N-Triples in a child process (see :mod:`isolate`), whose
memory goes back to the system when it exits; what the rest of the build needs to know of the
graph comes back as a :class:`GraphFile`. Validation and the Turtle and JSON-LD writers then
read that file, streamed, so no copy of the graph is held in memory.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from regiongraph.config import Settings, load_settings
from regiongraph.errors import DataError, NotConformingError
from regiongraph.files import staged_directory
from regiongraph.graph.builder import GraphStats, KnowledgeGraph, LinkingData, build_graph
from regiongraph.link.curation import load_curation
from regiongraph.link.reference import load_prefectures
from regiongraph.project import CONTEXT_FILE, Dist, Project
from regiongraph.rdf.namespaces import prefixes_for
from regiongraph.source.parse import parse_sources
from regiongraph.source.records import SourceDocument

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from regiongraph.validation.report import ValidationReport
    from regiongraph.validation.subsets import SubsetFiles, Subsets

T = TypeVar("T")
#: The size of N-Triples from which JSON-LD is written in two parts, by two children (below it,
#: a second child costs more than it saves).
JSON_LD_PARTS_FROM = 32 << 20
#: Told of each stage as it ends: one line such as "graph: 1,510 triples (0.2 s)".
Progress = Callable[[str], None]


def timed(
    timings: dict[str, float],
    name: str,
    work: Callable[[], T],
    progress: Progress | None = None,
    counted: Callable[[T], str] | None = None,
) -> T:
    """``work()``, its duration recorded in ``timings[name]`` and told to ``progress``."""
    start = time.perf_counter()
    result = work()
    timings[name] = time.perf_counter() - start
    if progress is not None:
        what = f": {counted(result)}" if counted is not None else ""
        progress(f"{name}{what} ({timings[name]:.1f} s)")
    return result


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


@dataclass
class ProjectGraph:
    """A project's graph in memory, with what it was made from."""

    project: Project
    settings: Settings
    documents: list[SourceDocument]
    graph: KnowledgeGraph
    timings: dict[str, float] = field(default_factory=dict)

    def description(self) -> list[ox.Triple]:
        """The DCAT/VoID description of the graph."""
        from regiongraph.graph.dataset import describe_dataset

        return describe_dataset(
            self.settings.base_iri,
            self.documents,
            self.graph.vocabulary,
            self.graph.size,
            self.graph.example_resources,
            self.settings.publisher,
            self.settings.downloads,
        )


@dataclass
class GraphFile:
    """A project's graph written as N-Triples, with what the rest of a build needs of it."""

    project: Project
    settings: Settings
    path: Path
    stats: GraphStats
    size: int
    description_ntriples: bytes
    timings: dict[str, float]
    subsets: SubsetFiles | None = None

    def description(self) -> list[ox.Triple]:
        """The DCAT/VoID description of the graph."""
        parsed = ox.parse(self.description_ntriples, format=ox.RdfFormat.N_TRIPLES)
        return [quad.triple for quad in parsed]


@dataclass
class BuildResult:
    """What a build wrote, and what it found."""

    out: Path
    stats: GraphStats
    files: list[Path]
    timings: dict[str, float]
    report: ValidationReport | None = None


def load_linking(project: Project) -> LinkingData:
    """Reference prefectures and curation of ``project``."""
    prefectures = load_prefectures(project.reference_dir / "prefectures.csv")
    curation = load_curation(project.curation_dir, {p.code for p in prefectures})
    return LinkingData(prefectures, curation)


def make_graph(
    project: Project,
    sources: list[Path] | None = None,
    base_iri: str | None = None,
    progress: Progress | None = None,
) -> ProjectGraph:
    """Parse the project's sources (or ``sources``) and build its knowledge graph in memory."""
    timings: dict[str, float] = {}
    settings = load_settings(project.root, base_iri)
    paths = sources if sources is not None else project.sources()
    documents = timed(
        timings,
        "parse",
        lambda: parse_sources(paths),
        progress,
        lambda found: f"{sum(len(d.regions) for d in found):,} regions in {len(found)} lists",
    )
    _check_calls(documents)
    linking = load_linking(project)
    graph = timed(
        timings,
        "graph",
        lambda: build_graph(documents, settings.base_iri, linking),
        progress,
        lambda made: f"{made.size:,} triples, prefectures and fields linked",
    )
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


def property_domains(project: Project) -> dict[str, set[str]]:
    """Each property of the project's ontology with the classes of its ``rdfs:domain``."""
    from regiongraph.rdf.namespaces import RDFS
    from regiongraph.rdf.read import read_triples

    domains: dict[str, set[str]] = {}
    for t in read_triples(project.ontology_dir / "regiongraph.ttl"):
        subject, obj = t.subject, t.object
        is_domain = t.predicate.value == RDFS + "domain"
        if is_domain and isinstance(obj, ox.NamedNode) and isinstance(subject, ox.NamedNode):
            domains.setdefault(subject.value, set()).add(obj.value)
    return domains


@dataclass
class SubsetRequest:
    """Validation subsets for the graph's writer to write too, into ``directory``: which ones
    it is told through ``receive`` by the process that made the request, while the graph is
    made (finding them needs the shapes' queries read, a second the graph need not wait for)."""

    directory: Path
    receive: Connection

    def subsets(self) -> Subsets | None:
        """The subsets, once told (``None``: none, or the request's maker is gone)."""
        try:
            wanted: Subsets | None = self.receive.recv()
        except EOFError:
            return None
        return wanted


def write_graph(
    project: Project,
    base_iri: str | None,
    directory: Path,
    progress: Progress | None = None,
    request: SubsetRequest | None = None,
) -> GraphFile:
    """Parse and link the project's sources, and write the graph's N-Triples into ``directory``
    (and the validation subsets of ``request`` beside, in the same pass)."""
    from regiongraph.rdf.write import to_ntriples, write_text_ntriples
    from regiongraph.validation.subsets import SubsetFiles

    path = Dist(directory).graph("n-triples")
    with paused_gc():
        built = make_graph(project, base_iri=base_iri, progress=progress)
        description = to_ntriples(built.description())
        wanted = request.subsets() if request is not None else None
        subsets = None
        with path.open("wb") as out, ExitStack() as stack:
            copies = []
            if request is not None and wanted is not None:
                subsets = SubsetFiles.in_directory(wanted, request.directory)
                for predicates, copy in zip(wanted.written(), subsets.paths(), strict=True):
                    copies.append((predicates, stack.enter_context(copy.open("wb"))))
            timed(
                built.timings,
                "serialize n-triples",
                lambda: write_text_ntriples(built.graph.groups(), out, copies),
                progress,
            )
    graph = built.graph
    return GraphFile(
        project, built.settings, path, graph.stats, graph.size, description, built.timings, subsets
    )


def write_graph_for_validation(
    project: Project,
    base_iri: str | None,
    directory: Path,
    scratch: Path,
    progress: Progress | None = None,
) -> GraphFile:
    """:func:`write_graph` in a child process, which also writes the subsets that validation
    with the project's shapes reads into ``scratch``; the subsets are found here meanwhile."""
    from multiprocessing import Pipe

    from regiongraph.isolate import Child, can_fork, in_child
    from regiongraph.validation.subsets import Subsets
    from regiongraph.validation.validate import load_rdf_dir

    def find() -> Subsets | None:
        try:
            return Subsets.for_shapes(load_rdf_dir(project.shapes_dir))
        except DataError:
            return None  # validation says what is wrong with the shapes

    receive, send = Pipe(duplex=False)
    request = SubsetRequest(scratch, receive)
    if not can_fork():  # the work would run at once, here: told first
        send.send(find())
        send.close()
        return in_child(lambda: write_graph(project, base_iri, directory, progress, request))
    child = Child(lambda: write_graph(project, base_iri, directory, progress, request))
    receive.close()
    wanted = None
    try:
        wanted = find()
    finally:
        with contextlib.suppress(OSError):  # the child may have ended already
            send.send(wanted)
        send.close()
    return child.result()


def serialize_turtle(
    graph: GraphFile, directory: Path, progress: Progress | None = None
) -> dict[str, float]:
    """Write the graph as Turtle into ``directory``, read back from its N-Triples file,
    streamed; the writer's timing."""
    from regiongraph.rdf.write import read_ntriples, write_turtle

    timings: dict[str, float] = {}
    prefixes = prefixes_for(graph.settings.base_iri)
    with Dist(directory).graph("turtle").open("wb") as out:
        write = lambda: write_turtle(read_ntriples(graph.path), prefixes, out)  # noqa: E731
        timed(timings, "serialize turtle", write, progress)
    return timings


def serialize_json_ld_part(
    graph: GraphFile, directory: Path, part: tuple[int, int, int], progress: Progress | None = None
) -> dict[str, float]:
    """Write one part of the graph's JSON-LD (:func:`json_ld_parts`: its index, and the bytes of
    the N-Triples file it covers) to a file of its own, the first part with the document's
    head, the last with its end, to be joined in order (:func:`join_parts`); read as plain
    strings (see :func:`~regiongraph.rdf.write.ntriples_groups`). The writer's timing."""
    from regiongraph.rdf.write import JsonLdWriter, ntriples_groups

    timings: dict[str, float] = {}
    index, start, end = part
    last = end == graph.path.stat().st_size
    writer = JsonLdWriter(
        jsonld_context(graph.project, graph.settings.base_iri), property_domains(graph.project)
    )
    with _json_ld_part(Dist(directory).graph("json-ld"), index).open("wb") as out:
        groups = ntriples_groups(graph.path, start, end)
        write = lambda: writer.write(groups, out, first=start == 0, last=last)  # noqa: E731
        name = "serialize json-ld" + ("" if start == 0 and last else f" {index + 1}")
        timed(timings, name, write, progress)
    return timings


def _json_ld_part(path: Path, index: int) -> Path:
    return path.with_name(f".{path.name}.{index}")


def json_ld_parts(path: Path, count: int) -> list[tuple[int, int, int]]:
    """``count`` parts of the N-Triples file at ``path``, split where a subject begins (fewer if
    the file has fewer subjects): each part's index, and its bytes."""
    from regiongraph.rdf.write import subject_boundary

    size = path.stat().st_size
    bounds = [0]
    for k in range(1, count):
        bound = subject_boundary(path, size * k // count)
        if bounds[-1] < bound < size:
            bounds.append(bound)
    bounds.append(size)
    return [(i, start, end) for i, (start, end) in enumerate(itertools.pairwise(bounds))]


def join_parts(path: Path, count: int) -> None:
    """Append the JSON-LD parts after the first to the first, which becomes ``path``."""
    first = _json_ld_part(path, 0)
    with first.open("ab") as out:
        for index in range(1, count):
            part = _json_ld_part(path, index)
            with part.open("rb") as source:
                shutil.copyfileobj(source, out, 1 << 22)
            part.unlink()
    first.replace(path)


def serialize_rest(graph: GraphFile, directory: Path) -> None:
    """Write the context, the ontology and the dataset description into ``directory``, once
    the graph's files are written (the description gives their sizes and checksums)."""
    from regiongraph.graph.dataset import describe_files, distributions
    from regiongraph.rdf.terms import triple_order
    from regiongraph.rdf.write import to_turtle

    dist = Dist(directory)
    base = graph.settings.base_iri
    context = jsonld_context(graph.project, base)
    dist.context.write_bytes(
        (json.dumps({"@context": context}, ensure_ascii=False, indent=2) + "\n").encode()
    )
    dist.ontology.write_bytes((graph.project.ontology_dir / "regiongraph.ttl").read_bytes())
    # The description last: it gives each distribution's byte size and checksum.
    facts = {name: _size_and_sha256(directory / name) for name, _ in distributions()}
    description = [*graph.description(), *describe_files(base, facts)]
    dist.dataset.write_bytes(to_turtle(sorted(description, key=triple_order), prefixes_for(base)))


def _size_and_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def validate_graph_file(graph: GraphFile, engine: str = "auto") -> ValidationReport:
    """Validate a written graph and its description against the project's shapes."""
    from regiongraph.rdf.read import read_triples
    from regiongraph.validation.validate import choose_engine, load_rdf_dir, validate

    shapes = load_rdf_dir(graph.project.shapes_dir)
    ontology = load_rdf_dir(graph.project.ontology_dir)
    description = graph.description()
    if choose_engine(engine, graph.size + len(description), graph.path.stat().st_size) != "fast":
        return validate([*read_triples(graph.path), *description], shapes, ontology, "pyshacl")
    from regiongraph.validation.fast_engine import validate_ntriples

    return validate_ntriples([graph.path], description, shapes, ontology, graph.subsets)


def validate_project(
    project: Project,
    base_iri: str | None = None,
    engine: str = "auto",
    progress: Progress | None = None,
) -> ValidationReport:
    """Build the project's graph into a temporary directory and validate it; nothing is kept."""
    with TemporaryDirectory(prefix="regiongraph-") as directory:
        work = Path(directory)
        graph = write_graph_for_validation(project, base_iri, work, work, progress)
        return timed(
            graph.timings,
            "validate",
            lambda: validate_graph_file(graph, engine),
            progress,
            _results,
        )


def _results(report: ValidationReport) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{verdict}, {len(report.results):,} results"


def build(
    project: Project,
    out: Path | None = None,
    base_iri: str | None = None,
    validate: bool = True,
    shacl_engine: str = "auto",
    progress: Progress | None = None,
) -> BuildResult:
    """Build ``project`` into ``out`` (default: its ``dist/``), all files or none.

    With ``validate``, a graph that does not conform raises :class:`NotConformingError` and
    nothing is published: the files are written into a staging directory that replaces ``out``
    only once the graph conforms. ``progress`` is told of each stage as it ends.
    """
    from regiongraph.isolate import Child, in_child

    target = out if out is not None else project.default_out
    report = None
    with (
        staged_directory(target) as stage,
        TemporaryDirectory(prefix="regiongraph-") as scratch,
    ):
        if validate:
            graph = write_graph_for_validation(project, base_iri, stage, Path(scratch), progress)
        else:
            graph = in_child(lambda: write_graph(project, base_iri, stage, progress))
        # Turtle and JSON-LD are written by children, alongside validation here: all are
        # CPU-bound, and in one process they would take turns on the GIL. The children run at
        # a lower priority, so validation goes first; once it ends, the writers share both
        # cores. JSON-LD, the longest, is written in two parts, each by a child, on graphs
        # large enough to gain (one child writing both formats left a core idle for the
        # last 14 s of a 57 s build).
        large = graph.path.stat().st_size >= JSON_LD_PARTS_FROM
        parts = json_ld_parts(graph.path, 2 if large else 1)
        work: list[Callable[[], dict[str, float]]] = [
            lambda: serialize_turtle(graph, stage, progress),
            *(
                functools.partial(serialize_json_ld_part, graph, stage, part, progress)
                for part in parts
            ),
        ]
        writers = [Child(job, nice=10) for job in work]
        try:
            if validate:
                report = timed(
                    graph.timings,
                    "validate",
                    lambda: validate_graph_file(graph, shacl_engine),
                    progress,
                    _results,
                )
        finally:
            failed: list[Exception] = []
            for writer in writers:  # each waited for, even after a failure
                try:
                    graph.timings.update(writer.result())
                except Exception as error:  # noqa: BLE001 - raised once all have ended
                    failed.append(error)
            if failed:
                raise failed[0]
        if report is not None and not report.conforms:
            raise NotConformingError(report)
        join_parts(Dist(stage).graph("json-ld"), len(parts))
        serialize_rest(graph, stage)
    return BuildResult(target, graph.stats, Dist(target).files(), graph.timings, report)
