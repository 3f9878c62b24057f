"""The build pipeline: sources → records → graph → N-Triples → validation and the other files.

The graph is made in a child process (see :mod:`isolate`, :class:`GraphChild`), whose memory
goes back to the system when it exits. It writes the graph's N-Triples, and what the rest of
the build needs to know of the graph comes back as a :class:`GraphFile`; it then writes the
JSON-LD from the graph in memory. Validation and the Turtle writer read the N-Triples file,
streamed, so this process holds no copy of the graph.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import itertools
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import IO, TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from regiongraph.config import Settings, load_settings
from regiongraph.errors import DataError, NotConformingError
from regiongraph.files import staged_directory
from regiongraph.graph.builder import GraphStats, KnowledgeGraph, LinkingData, build_graph
from regiongraph.link.curation import load_curation
from regiongraph.link.reference import load_prefectures
from regiongraph.project import CONTEXT_FILE, Dist, Project
from regiongraph.rdf.namespaces import RDFS, prefixes_for
from regiongraph.source.parse import parse_sources
from regiongraph.source.records import SourceDocument

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from regiongraph.isolate import Child
    from regiongraph.validation.report import ValidationReport
    from regiongraph.validation.subsets import SubsetFiles, Subsets

T = TypeVar("T")
#: The number of triples from which JSON-LD is written in two parts, by two processes (below
#: it, a second process costs more than it saves).
JSON_LD_PARTS_FROM = 160_000
#: The last part's share of the statements. The first part's writer starts as soon as the
#: graph is made, the last's once the N-Triples are written (see GraphChild): the first part
#: should end about when the N-Triples do, so that it takes the core their writer leaves idle
#: and its copy of the graph's memory is gone before validation's store is loaded. With JSON-LD
#: written as text, at 100,000 regions, 0.3 gave 38.5 and 40.3 s (curated) and 28.0 and 28.2 s
#: (new list), 0.4 gave 40.4, 40.0, 28.4 and 31.2 s, with the same tree peaks (3.0 and 2.3 GB).
JSON_LD_LAST_SHARE = 0.3
#: How much the Turtle writer's child lowers its priority (see build): it reads the N-Triples
#: as the graph's process writes them, and should take only the CPU that process and the
#: early JSON-LD writer leave, then what validation leaves. At 100,000 regions (new list),
#: builds in turn: at 5, 21.4/19.9/21.0 s; at 10, 19.4/19.0/18.9 s.
TURTLE_NICE = 10
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
    """What a build wrote, and what it found: ``report`` lists the violations, and may count
    other results without listing them (``report.summarized``, see :func:`validate_graph_file`)."""

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
    from regiongraph.rdf.read import read_triples

    domains: dict[str, set[str]] = {}
    for t in read_triples(project.ontology_dir / "regiongraph.ttl"):
        subject, obj = t.subject, t.object
        is_domain = t.predicate.value == RDFS + "domain"
        if is_domain and isinstance(obj, ox.NamedNode) and isinstance(subject, ox.NamedNode):
            domains.setdefault(subject.value, set()).add(obj.value)
    return domains


class GraphChild:
    """The project's graph made in a child process, which writes it as N-Triples and then, if
    asked, as JSON-LD, both from the graph in memory.

    With ``scratch``, the child writes the subsets that validation with the project's shapes
    reads (:mod:`~regiongraph.validation.subsets`) into it, in the same pass as the N-Triples,
    and the count constraints' tally;
    which subsets, this process finds meanwhile and tells it (that takes the shapes' queries
    read, a second the graph need not wait for). :meth:`graph` gives the written graph as
    soon as its N-Triples are written. The JSON-LD is written in parts (:func:`join_parts`)
    from :data:`JSON_LD_PARTS_FROM` triples: the first by a child of the child's own from the
    time the graph is made (so that it has the core the N-Triples writer leaves idle), at the
    same priority, so that it ends early: it holds a second copy of the graph's memory (each
    page it touches is copied), which should be gone before validation's store is loaded. The
    last part is written by the child once the N-Triples are written, at a lower priority,
    while a thread hashes the first once it is written; the child then joins the parts, with
    only the last part's bytes still to hash and copy. :meth:`finish` waits for them.
    """

    def __init__(
        self,
        project: Project,
        base_iri: str | None,
        directory: Path,
        progress: Progress | None = None,
        scratch: Path | None = None,
        json_ld: bool = False,
    ) -> None:
        from multiprocessing import Pipe

        from regiongraph.isolate import Child, can_fork

        self._graph: GraphFile | None = None
        self._receive: Connection | None = None
        self.json_ld: tuple[int, str] | None = None
        work = _GraphWork(project, base_iri, directory, progress, scratch, json_ld)
        if not can_fork():  # the work runs at once, here
            wanted = _subsets_for(project) if scratch is not None else None
            work.subsets, work.ready = (lambda: wanted), self._keep
            self._child = Child(work.run)
            return
        self._receive, sending = Pipe(duplex=False)
        told, tell = Pipe(duplex=False)
        work.subsets = functools.partial(_told, told)
        work.ready = functools.partial(_hand_back, sending)
        work.inherited = (sending, told)
        self._child = Child(work.run)
        sending.close()
        told.close()
        wanted = None
        try:
            if scratch is not None:
                wanted = _subsets_for(project)
        finally:
            with contextlib.suppress(OSError):  # the child may have ended already
                tell.send(wanted)
            tell.close()

    def _keep(self, graph: GraphFile) -> None:
        self._graph = graph

    def graph(self) -> GraphFile:
        """The graph, once its N-Triples are written (the child's error if it failed)."""
        if self._graph is None and self._receive is None:  # done here, and failed
            self._child.result()
        elif self._graph is None and self._receive is not None:
            try:
                self._graph = self._receive.recv()
            except EOFError:  # the child ended before: its error, or that it ended
                self._child.result()
                raise RuntimeError("the graph's process ended without the graph") from None
            finally:
                self._receive.close()
        assert self._graph is not None
        return self._graph

    def finish(self) -> dict[str, float]:
        """Wait for the child's end: the JSON-LD writers' timings (none if not asked). The
        JSON-LD file's size and SHA-256 are then :attr:`json_ld`."""
        timings, self.json_ld = self._child.result()
        return timings


def _subsets_for(project: Project) -> Subsets | None:
    from regiongraph.validation.subsets import Subsets
    from regiongraph.validation.validate import load_rdf_dir

    try:
        shapes = load_rdf_dir(project.shapes_dir)
        return Subsets.for_shapes(shapes, load_rdf_dir(project.ontology_dir))
    except DataError:
        return None  # validation says what is wrong with the shapes


def _told(channel: Connection) -> Subsets | None:
    """The subsets the parent tells (``None`` if it is gone)."""
    try:
        wanted: Subsets | None = channel.recv()
    except EOFError:
        wanted = None
    channel.close()
    return wanted


def _hand_back(channel: Connection, graph: GraphFile) -> None:
    channel.send(graph)
    channel.close()


@dataclass
class _GraphWork:
    """What the graph's child process does (:class:`GraphChild`): ``subsets`` gives the
    validation subsets to write, ``ready`` takes the written graph back; ``inherited``, the
    channels behind them, are closed in the JSON-LD writer's own child."""

    project: Project
    base_iri: str | None
    directory: Path
    progress: Progress | None
    scratch: Path | None
    json_ld: bool
    subsets: Callable[[], Subsets | None] = lambda: None  # noqa: E731
    ready: Callable[[GraphFile], None] = lambda graph: None  # noqa: E731
    inherited: tuple[Connection, ...] = ()
    #: The graph once made, held here so that it is not freed, object by object, as run()
    #: returns (0.7 s at 100,000 curated regions) but with the child's memory as it exits.
    made: ProjectGraph | None = None

    def run(self) -> tuple[dict[str, float], tuple[int, str] | None]:
        """Make and write the graph: the JSON-LD writers' timings, and the JSON-LD file's size
        and SHA-256 (``None`` if not asked for)."""
        from regiongraph.isolate import Child, can_fork

        with paused_gc():
            built = self.made = make_graph(
                self.project, base_iri=self.base_iri, progress=self.progress
            )
            graph = built.graph
            order = graph.subject_order()  # sorted once (0.25 s at 100,000 curated regions)
            count = 2 if graph.size >= JSON_LD_PARTS_FROM else 1
            parts = _json_ld_parts(graph, order, count) if self.json_ld else []
            last = len(parts) - 1
            writers = [
                Child(functools.partial(self._forked_json_ld_part, built, index, part, len(parts)))
                for index, part in enumerate(parts)
                if index < last
            ]
            written = self._write_ntriples(built, order, built.description())
            self.ready(written)
            timings: dict[str, float] = {}
            if not parts:
                return timings, None
            if can_fork():
                os.nice(10)  # validation, in the parent, goes first
            path = Dist(self.directory).graph("json-ld")
            with ThreadPoolExecutor(max_workers=1) as hashing:  # hashlib lets go of the GIL
                early = hashing.submit(_written_and_hashed, writers, path)
                timings = self._json_ld_part(built, last, parts[last], len(parts))
                early_timings, digest = early.result()
            timings.update(early_timings)
        # joined here, alongside validation, rather than in the build's last, serial, step
        return timings, join_parts(path, len(parts), digest)

    def _write_ntriples(
        self, built: ProjectGraph, order: list[str], description: list[ox.Triple]
    ) -> GraphFile:
        """The N-Triples file, and the validation subsets beside it if asked, with the count
        constraints tallied as the graph is written."""
        from regiongraph.rdf.write import to_ntriples, write_text_ntriples
        from regiongraph.validation.subsets import tail_ntriples, write_with_subsets
        from regiongraph.validation.validate import load_rdf_dir

        path = Dist(self.directory).graph("n-triples")
        wanted = self.subsets()
        subclasses = RDFS + "subClassOf" in built.graph.vocabulary
        subclasses |= any(t.predicate.value == RDFS + "subClassOf" for t in description)
        if wanted is not None and subclasses:
            wanted = wanted.without_tally()  # the data's own subclasses: the targets are unsure
        groups = built.graph.groups(order)
        with path.open("wb") as out:
            write: Callable[[], SubsetFiles | None]
            if self.scratch is not None and wanted is not None:
                tail = tail_ntriples(description, load_rdf_dir(self.project.ontology_dir))
                scratch, subsets = self.scratch, wanted
                write = lambda: write_with_subsets(groups, out, subsets, scratch, tail)  # noqa: E731
            else:
                write = lambda: write_text_ntriples(groups, out)  # noqa: E731
            written = timed(built.timings, "serialize n-triples", write, self.progress)
        graph = built.graph
        return GraphFile(
            self.project,
            built.settings,
            path,
            graph.stats,
            graph.size,
            to_ntriples(description),
            built.timings,
            written,
        )

    def _forked_json_ld_part(self, *part: Any) -> dict[str, float]:
        """:meth:`_json_ld_part` in a child of the graph's process, its copies of the channels
        closed first (only the graph's process's count)."""
        for channel in self.inherited:
            channel.close()
        return self._json_ld_part(*part)

    def _json_ld_part(
        self, built: ProjectGraph, index: int, subjects: list[str], count: int
    ) -> dict[str, float]:
        """Write one part of the JSON-LD (the first with the document's head, the last with
        its end) to a file of its own; the writer's timing."""
        from regiongraph.rdf.jsonld import JsonLdWriter

        timings: dict[str, float] = {}
        writer = JsonLdWriter(
            jsonld_context(self.project, built.settings.base_iri), property_domains(self.project)
        )
        with _json_ld_part(Dist(self.directory).graph("json-ld"), index).open("wb") as out:
            groups = built.graph.groups(subjects)
            first, last = index == 0, index == count - 1
            write = lambda: writer.write(groups, out, first=first, last=last)  # noqa: E731
            name = "serialize json-ld" + ("" if count == 1 else f" {index + 1}")
            timed(timings, name, write, self.progress)
        return timings


def _json_ld_parts(graph: KnowledgeGraph, order: list[str], count: int) -> list[list[str]]:
    """The subjects in output ``order``, in ``count`` parts (fewer if there are fewer subjects;
    one, maybe empty, at least): the last with :data:`JSON_LD_LAST_SHARE` of the statements,
    the others with about as many each of the rest."""
    total = max(graph.size, 1)
    each = (1 - JSON_LD_LAST_SHARE) / max(count - 1, 1)
    cuts = [total * each * k for k in range(1, count)]
    subjects = graph.subjects
    starts, done = [0], 0
    for index, subject in enumerate(order):  # only as far as the last cut
        if not cuts:
            break
        done += len(subjects[subject][1])
        while cuts and done >= cuts[0]:  # a part starts after the subject that reaches its cut
            cuts.pop(0)
            starts.append(max(index + 1, starts[-1] + 1))
    starts = [start for start in starts if start < len(order)] or [0]
    return [order[a:b] for a, b in itertools.pairwise([*starts, len(order)])]


def _written_and_hashed(writers: list[Any], path: Path) -> tuple[dict[str, float], Any]:
    """Once the writers of the JSON-LD parts before the last have ended: their timings, and the
    SHA-256 of their parts, in order, to go on with the last part's bytes (:func:`join_parts`)."""
    timings: dict[str, float] = {}
    for writer in writers:
        timings.update(writer.result())
    digest = hashlib.sha256()
    for index in range(len(writers)):
        with _json_ld_part(path, index).open("rb") as part:
            for block in _blocks(part):
                digest.update(block)
    return timings, digest


def serialize_turtle(
    ntriples: Path,
    directory: Path,
    prefixes: dict[str, str],
    progress: Progress | None = None,
    done: Connection | None = None,
) -> tuple[dict[str, float], tuple[int, str]]:
    """Write the graph as Turtle into ``directory``, read back from its N-Triples file,
    streamed: the writer's timing, and the file's size and SHA-256. With ``done``, the file is
    read as it is written (:class:`~regiongraph.files.GrowingFile`), and the timing is from
    when it was complete."""
    from regiongraph.files import GrowingFile, HashingWriter
    from regiongraph.rdf.write import read_ntriples, write_turtle

    timings: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        file = stack.enter_context(Dist(directory).graph("turtle").open("wb"))
        out: Any = HashingWriter(file)
        growing = None if done is None else stack.enter_context(GrowingFile(ntriples, done))
        source = read_ntriples(ntriples if growing is None else io.BufferedReader(growing, 1 << 20))
        start = time.perf_counter()
        write_turtle(source, prefixes, out)
        end = time.perf_counter()
        after = start if growing is None or growing.completed is None else growing.completed
        timings["serialize turtle"] = end - after
        if progress is not None:
            progress(f"serialize turtle ({timings['serialize turtle']:.1f} s)")
    return timings, out.fact()


def _turtle_following(
    ntriples: Path, directory: Path, prefixes: dict[str, str], progress: Progress | None
) -> tuple[Child[tuple[dict[str, float], tuple[int, str]]], Connection]:
    """The Turtle writer started in a child before the N-Triples are written, reading them as
    they are (it takes the CPU the graph's process and the early JSON-LD writer leave): the
    child, and the pipe to tell it that the file is complete (or, closed, that it never will)."""
    from multiprocessing import Pipe

    from regiongraph.isolate import Child

    done, tell = Pipe(duplex=False)

    def work() -> tuple[dict[str, float], tuple[int, str]]:
        tell.close()  # this child's copy: the parent's alone tells
        return serialize_turtle(ntriples, directory, prefixes, progress, done)

    child = Child(work, nice=TURTLE_NICE)
    done.close()
    return child, tell


def _prefixes(project: Project, base_iri: str | None) -> dict[str, str] | None:
    """The Turtle file's prefixes, before the graph is made (``None`` if the settings have an
    error, which the graph's process reports)."""
    try:
        return prefixes_for(load_settings(project.root, base_iri).base_iri)
    except Exception:  # noqa: BLE001 - reported by the graph's process, in its place
        return None


def _json_ld_part(path: Path, index: int) -> Path:
    return path.with_name(f".{path.name}.{index}")


def join_parts(path: Path, count: int, digest: Any) -> tuple[int, str]:
    """Append the JSON-LD parts after the first to the first, which becomes ``path``; its size
    and SHA-256, reckoned as it is joined: ``digest``, the SHA-256 of the parts before the last
    (:func:`_written_and_hashed`), goes on with the last part's bytes."""
    first = _json_ld_part(path, 0)
    with first.open("r+b") as out:
        out.seek(0, os.SEEK_END)
        for index in range(1, count):
            part = _json_ld_part(path, index)
            with part.open("rb") as source:
                for block in _blocks(source):
                    out.write(block)
                    if index == count - 1:
                        digest.update(block)
            part.unlink()
        if count == 1:  # the one part is the last: hashed here
            out.seek(0)
            for block in _blocks(out):
                digest.update(block)
        size = out.tell()
    first.replace(path)
    return size, digest.hexdigest()


def serialize_rest(
    graph: GraphFile, directory: Path, known: Mapping[str, tuple[int, str]] | None = None
) -> None:
    """Write the context, the ontology and the dataset description into ``directory``, once
    the graph's files are written (the description gives their sizes and checksums: those
    not ``known`` are reckoned here)."""
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
    known = known or {}
    facts = {
        name: known.get(name) or _size_and_sha256(directory / name) for name, _ in distributions()
    }
    description = [*graph.description(), *describe_files(base, facts)]
    dist.dataset.write_bytes(to_turtle(sorted(description, key=triple_order), prefixes_for(base)))


def _size_and_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in _blocks(handle):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    """The rest of an open file, in blocks of 4 MiB."""
    return iter(functools.partial(handle.read, 1 << 22), b"")


def validate_graph_file(
    graph: GraphFile, engine: str = "auto", counted_above: int | None = None
) -> ValidationReport:
    """Validate a written graph and its description against the project's shapes; with
    ``counted_above``, the fast engine counts the results of a count constraint that are not
    violations, rather than list them, where there are more than that many (see
    :func:`~regiongraph.validation.fast_engine.validate_ntriples`)."""
    from regiongraph.rdf.read import read_triples
    from regiongraph.validation.validate import choose_engine, load_rdf_dir, validate

    shapes = load_rdf_dir(graph.project.shapes_dir)
    ontology = load_rdf_dir(graph.project.ontology_dir)
    description = graph.description()
    if choose_engine(engine, graph.size + len(description), graph.path.stat().st_size) != "fast":
        return validate([*read_triples(graph.path), *description], shapes, ontology, "pyshacl")
    from regiongraph.validation.fast_engine import validate_ntriples

    return validate_ntriples(
        [graph.path], description, shapes, ontology, graph.subsets, counted_above
    )


def validate_project(
    project: Project,
    base_iri: str | None = None,
    engine: str = "auto",
    progress: Progress | None = None,
    counted_above: int | None = None,
) -> ValidationReport:
    """Build the project's graph into a temporary directory and validate it; nothing is kept.

    ``counted_above``: see :func:`validate_graph_file`."""
    with TemporaryDirectory(prefix="regiongraph-") as directory:
        work = Path(directory)
        maker = GraphChild(project, base_iri, work, progress, scratch=work)
        graph = maker.graph()
        maker.finish()
        return timed(
            graph.timings,
            "validate",
            lambda: validate_graph_file(graph, engine, counted_above),
            progress,
            _results,
        )


def _results(report: ValidationReport) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{verdict}, {report.total:,} results"


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
    from regiongraph.isolate import Child, can_fork

    target = out if out is not None else project.default_out
    report = None
    with (
        staged_directory(target) as stage,
        TemporaryDirectory(prefix="regiongraph-") as scratch,
    ):
        maker = GraphChild(
            project, base_iri, stage, progress, Path(scratch) if validate else None, json_ld=True
        )
        # Turtle is written by a child, alongside the graph's process, validation here and the
        # JSON-LD writers (see GraphChild): all are CPU-bound, and in one process they would
        # take turns on the GIL. It reads the N-Triples as they are written, at a lower
        # priority, so that the graph's process and then validation go first.
        dist = Dist(stage)
        prefixes = _prefixes(project, base_iri)
        following = None
        if can_fork() and prefixes is not None:
            following = _turtle_following(dist.graph("n-triples"), stage, prefixes, progress)
        try:
            graph = maker.graph()
        except BaseException:
            if following is not None:
                following[1].close()  # the Turtle writer's read ends
                with contextlib.suppress(Exception):
                    following[0].result()
            with contextlib.suppress(Exception):  # the graph's error comes first
                maker.finish()
            raise
        if following is not None:
            turtle, tell = following
            with contextlib.suppress(OSError):  # a child that has ended: its result says why
                tell.send(True)
            tell.close()
        else:
            written_prefixes = prefixes_for(graph.settings.base_iri)
            turtle = Child(
                lambda: serialize_turtle(graph.path, stage, written_prefixes, progress),
                nice=TURTLE_NICE,
            )
        # Each file's size and checksum (for the description) is reckoned by its writer as it
        # writes it, or, for the N-Triples, in a thread here (hashlib lets go of the GIL) once
        # it is written, rather than all at the end (2 s at 100,000 regions).
        known: dict[str, tuple[int, str]] = {}

        def turtle_written() -> dict[str, float]:
            timings, known[dist.graph("turtle").name] = turtle.result()
            return timings

        def json_ld_written() -> dict[str, float]:
            timings = maker.finish()
            assert maker.json_ld is not None  # asked for
            known[dist.graph("json-ld").name] = maker.json_ld
            return timings

        with ThreadPoolExecutor(max_workers=1) as hashing:  # started after the last fork
            ntriples = hashing.submit(_size_and_sha256, graph.path)
            try:
                if validate:
                    report = timed(
                        graph.timings,
                        "validate",
                        lambda: validate_graph_file(graph, shacl_engine, counted_above=0),
                        progress,
                        _results,
                    )
            finally:
                failed: list[Exception] = []
                for written in (turtle_written, json_ld_written):  # each waited for, even after
                    try:  # a failure
                        graph.timings.update(written())
                    except Exception as error:  # noqa: BLE001 - raised once all have ended
                        failed.append(error)
                if failed:
                    raise failed[0]
            if report is not None and not report.conforms:
                raise NotConformingError(report)
            known[graph.path.name] = ntriples.result()
        serialize_rest(graph, stage, known)
    return BuildResult(target, graph.stats, Dist(target).files(), graph.timings, report)
