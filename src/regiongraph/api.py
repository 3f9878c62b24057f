"""The Python API: what every command does, as functions (the CLI is a thin layer over these).

Each function finds the project as the CLI does (``project``: a directory, a :class:`Project`,
or ``None`` for the current directory, else the data shipped with regiongraph), raises a
:class:`~regiongraph.errors.RegiongraphError` subclass for anything a user can fix, and never
prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from regiongraph.errors import QueryError
from regiongraph.project import Project, built_base_iri, find_project

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib
    from starlette.applications import Starlette

    from regiongraph.link.corporate_curation import LinkResult
    from regiongraph.pipeline import BuildResult
    from regiongraph.publish.site import PublishResult
    from regiongraph.publish.table import ExportResult
    from regiongraph.push import PushResult
    from regiongraph.serve.queries import Limits
    from regiongraph.source.records import RegionRecord
    from regiongraph.sparql.engines import QueryResult, Term
    from regiongraph.sparql.named import NamedQuery
    from regiongraph.validation.report import ValidationReport

ProjectLike = str | Path | Project | None
QUERY_ENGINES = ("oxigraph", "rdflib")


def _project(project: ProjectLike) -> Project:
    return project if isinstance(project, Project) else find_project(project)


def prefixes(
    project: ProjectLike = None, base_iri: str | None = None, data: Sequence[str | Path] = ()
) -> dict[str, str]:
    """The prefixes predeclared in queries and used in Turtle, for the graph's base IRI.

    The base IRI is ``base_iri`` if given, else the one the built graph was made with (its
    description's ``void:uriSpace``, in ``data`` or the project's build), else the project's.
    """
    from regiongraph.config import load_settings
    from regiongraph.rdf.namespaces import prefixes_for

    found = _project(project)
    if base_iri is None:
        described = [Path(p) for p in data] or [found.dist.dataset]
        base_iri = next((b for b in map(built_base_iri, described) if b), None)
    return prefixes_for(base_iri or load_settings(found.root).base_iri)


def extract(*sources: str | Path, project: ProjectLike = None) -> list[RegionRecord]:
    """The region records of ``sources`` (default: the project's source documents)."""
    from regiongraph.source.parse import parse_sources

    paths = list(sources) or _project(project).sources()
    return [record for document in parse_sources(paths) for record in document.regions]


def build(
    project: ProjectLike = None,
    out: str | Path | None = None,
    base_iri: str | None = None,
    validate: bool = True,
    shacl_engine: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the project's graph into ``out`` (default: its ``dist/``): all files or none.

    A graph that does not conform raises :class:`~regiongraph.errors.NotConformingError`
    (its ``report`` says why) unless ``validate`` is false. The result's report lists the
    violations and may only count the warnings (``report.summarized``); :func:`validate` lists
    every result. ``progress`` is told of each stage as it ends (a line such as "graph: 1,510
    triples, ... (0.2 s)").
    """
    from regiongraph.pipeline import build as build_project

    target = Path(out) if out is not None else None
    return build_project(_project(project), target, base_iri, validate, shacl_engine, progress)


def load(*files: str | Path, project: ProjectLike = None) -> rdflib.Graph:
    """The built graph, its dataset description and the ontology, as one ``rdflib.Graph``.

    ``files``: RDF files to read instead of the project's build.
    """
    from regiongraph.rdf.read import read_triples, to_rdflib

    paths = [Path(f) for f in files] or _project(project).dist.dataset_files()
    graph = to_rdflib(t for path in paths for t in read_triples(path))
    for prefix, namespace in prefixes(project).items():
        graph.bind(prefix, namespace, override=True)
    return graph


def publish(project: ProjectLike = None, out: str | Path | None = None) -> PublishResult:
    """Write the static linked-data site of the project's build (default: ``dist/site``).

    Reads the built files only; raises :class:`~regiongraph.errors.NotBuiltError` without them.
    Needs the ``publish`` extra (Jinja2).
    """
    _require("publish", "jinja2")
    from regiongraph.publish.site import publish as publish_site

    return publish_site(_project(project), Path(out) if out is not None else None)


def server_app(project: ProjectLike = None, limits: Limits | None = None) -> Starlette:
    """The live server's ASGI application over the project's build, without opening a socket.

    ``limits``: query time, rows, body and query-string sizes (:class:`~regiongraph.serve.
    queries.Limits`). Needs the ``serve`` extra (Starlette, Uvicorn, Jinja2).
    """
    _require("serve", "starlette", "uvicorn", "jinja2")
    from regiongraph.serve.app import create_app

    return create_app(_project(project), limits)


def serve(
    project: ProjectLike = None,
    host: str = "127.0.0.1",
    port: int = 8080,
    limits: Limits | None = None,
    quiet: bool = False,
    processes: int = 1,
) -> None:
    """Serve pages, data and SPARQL over the project's build until interrupted.

    ``processes``: server processes accepting on the port, which share ``limits.max_queries``
    (each runs its share, at least one). A supervising process (this one) holds the port and
    replaces a server process that ends, or whose query overran (which only its end stops).
    """
    _require("serve", "starlette", "uvicorn", "jinja2")
    from regiongraph.serve.app import create_app
    from regiongraph.serve.queries import Limits
    from regiongraph.serve.server import Supervisor

    limits = limits or Limits()
    share = max(1, -(-limits.max_queries // max(1, processes)))
    limits = replace(limits, max_queries=share)
    supervisor = Supervisor(host, port, processes, drain=limits.timeout)
    supervisor.run(create_app(_project(project), limits, supervisor.overrun), quiet)


def push(
    endpoint: str,
    project: ProjectLike = None,
    graph: str | None = None,
    query_endpoint: str | None = None,
    gzip: bool = False,
    timeout: float = 300.0,
) -> PushResult:
    """Replace a named graph of a triple store with the built dataset (Graph Store protocol PUT).

    ``graph`` defaults to the dataset's IRI (``{base}dataset``). Credentials come from
    ``REGIONGRAPH_STORE_USER`` and ``REGIONGRAPH_STORE_PASSWORD`` (basic or digest, as the store
    asks). Afterwards the store's graph is counted (``query_endpoint``: by a SPARQL query, else
    by reading it back) and must hold the triples sent; raises
    :class:`~regiongraph.errors.StoreError` otherwise, or when the store refuses, fails, times
    out or cannot be reached.
    """
    from regiongraph.errors import DataError
    from regiongraph.push import Credentials
    from regiongraph.push import push as push_graph

    dist = _project(project).dist
    dist.dataset_files()  # NotBuiltError first
    if graph is None:
        base = built_base_iri(dist.dataset)
        if base is None:
            raise DataError(f"{dist.dataset}: names no base IRI (void:uriSpace); build again")
        graph = f"{base}dataset"
    credentials = Credentials.from_environment()
    return push_graph(dist, endpoint, graph, query_endpoint, gzip, timeout, credentials)


def export_csv(
    project: ProjectLike = None, out: str | Path | None = None, excel: bool = False
) -> ExportResult:
    """Write one row per region to ``out`` (default ``dist/regions.csv``) and, beside it, the
    CSVW metadata (``regions.csv-metadata.json``) that maps the columns to the graph's IRIs and
    properties. ``excel``: UTF-8 with a byte-order mark. Reads the built files only."""
    from regiongraph.publish.table import export_csv as export

    return export(_project(project), Path(out) if out is not None else None, excel)


def link_corporate_numbers(*files: str | Path, project: ProjectLike = None) -> LinkResult:
    """Match the project's organizations in the NTA's bulk files (全件データ: zip or CSV,
    Unicode or Shift_JIS edition); write ``data/curation/corporate-numbers.csv``, which
    ``build`` uses, and ``corporate-numbers-unsettled.csv`` for a person to settle.

    Raises :class:`~regiongraph.errors.SourceError` naming the file, row and problem for
    anything that is not NTA data; nothing is written then.
    """
    from regiongraph.link.corporate_curation import ProjectFiles
    from regiongraph.link.corporate_curation import link_corporate_numbers as link

    found = _project(project)
    where = ProjectFiles(found.sources(), found.reference_dir, found.curation_dir)
    return link(where, [Path(f) for f in files])


def _require(extra: str, *modules: str) -> None:
    from importlib.util import find_spec

    from regiongraph.errors import MissingExtraError

    for module in modules:
        if find_spec(module) is None:
            raise MissingExtraError(module, extra)


def validate(
    *files: str | Path,
    project: ProjectLike = None,
    base_iri: str | None = None,
    shacl_engine: str = "auto",
    progress: Callable[[str], None] | None = None,
    counted_above: int | None = None,
) -> ValidationReport:
    """Validate ``files`` (default: the project's graph, made afresh) against its shapes.

    With ``counted_above``, the fast engine counts the results of a count constraint that are
    not violations (``report.summarized``) rather than list them, where there are more than
    that many: for a summary of a large report.
    """
    found = _project(project)
    if not files:
        from regiongraph.pipeline import validate_project

        return validate_project(found, base_iri, shacl_engine, progress, counted_above)
    from regiongraph.validation.validate import load_rdf_dir, validate_files

    shapes, ontology = load_rdf_dir(found.shapes_dir), load_rdf_dir(found.ontology_dir)
    paths = [Path(f) for f in files]
    return validate_files(paths, shapes, ontology, shacl_engine, counted_above)


@dataclass
class Answer:
    """A query's result, with the prefixes and JSON-LD context to write it with."""

    result: QueryResult
    prefixes: dict[str, str]
    context: Callable[[], dict[str, Any]]


def answer(
    sparql: str | None = None,
    *,
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    data: Sequence[str | Path] = (),
    project: ProjectLike = None,
    base_iri: str | None = None,
    engine: str = "oxigraph",
    results_format: str | None = None,
    allow_service: bool = False,
    timeout: float | None = None,
    stoppable: bool = False,
    out: IO[bytes] | None = None,
    progress: Callable[[str], None] | None = None,
    limit_rows: int | None = None,
) -> Answer:
    """Answer a query as :func:`query` does, with the result in the engine's own terms.

    ``results_format`` (csv, tsv, json, xml): SELECT results written by Oxigraph itself.
    ``allow_service``: let ``SERVICE`` clauses call other endpoints (refused by default: a
    query reads local data only). ``timeout``: seconds after which the query is stopped
    (:class:`~regiongraph.sparql.worker.QueryTimeout`); with it, or with ``stoppable``, the
    query runs in a child process that Ctrl-C stops too. ``out``: where native SELECT results
    are streamed as they are produced. ``limit_rows``: only the first rows (Oxigraph engine).
    """
    from regiongraph.sparql.engines import check_query, run_oxigraph, run_rdflib
    from regiongraph.sparql.store import load_rdflib

    found = _project(project)
    if (sparql is None) == (name is None):
        raise QueryError("give a query: its text, or the name of a named query")
    if sparql is not None:
        check_query(sparql, {}, allow_service)
    if engine not in QUERY_ENGINES:
        raise QueryError(f"unknown engine {engine!r}; choose from {', '.join(QUERY_ENGINES)}")
    known = prefixes(found, base_iri, data)
    files, store = _store(found, data, progress)
    bound: dict[str, Term] = {}
    if name is not None:
        named, bound = _bind(found, store, name, params or {}, known)
        sparql = named.text
    elif params:
        from regiongraph.sparql.named import param_term

        bound = {key: param_term(key, value) for key, value in params.items()}
    assert sparql is not None
    text = sparql

    def work() -> QueryResult:
        if engine == "rdflib":
            return run_rdflib(load_rdflib(files), text, known, bound)
        return run_oxigraph(store, text, known, bound, results_format, out, limit_rows)

    if timeout is not None or stoppable:
        from regiongraph.sparql.worker import run_stoppable

        result = run_stoppable(work, timeout)
    else:
        result = work()

    def context() -> dict[str, Any]:
        from regiongraph.config import load_settings
        from regiongraph.pipeline import jsonld_context

        return jsonld_context(found, load_settings(found.root, base_iri).base_iri)

    return Answer(result, known, context)


def _store(
    found: Project, data: Sequence[str | Path], progress: Callable[[str], None] | None = None
) -> tuple[list[Path], ox.Store]:
    from regiongraph.sparql.store import graph_files, open_store

    files = graph_files(found, [Path(p) for p in data])
    cache = None if data else found.dist.directory / ".oxigraph"
    return files, open_store(files, cache, progress)


def _bind(
    found: Project,
    store: ox.Store,
    name: str,
    params: Mapping[str, str],
    known: dict[str, str],
) -> tuple[NamedQuery, dict[str, Term]]:
    """The named query and its parameters, each resolved to the term it stands for."""
    from regiongraph.sparql.named import find_named_query
    from regiongraph.sparql.parameters import resolve

    named = find_named_query(found.queries_dir, name)
    named.check_params(params)
    bound = {
        key: resolve(named.kinds[key], key, value, store, found.queries_dir, known)
        for key, value in params.items()
    }
    return named, bound


def portable_query(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    data: Sequence[str | Path] = (),
    project: ProjectLike = None,
    base_iri: str | None = None,
) -> str:
    """A named query with its parameters resolved and written in, for any SPARQL 1.1 endpoint."""
    found = _project(project)
    known = prefixes(found, base_iri, data)
    _, store = _store(found, data)
    named, bound = _bind(found, store, name, params or {}, known)
    return named.portable(bound, known)


def query(
    sparql: str | None = None,
    *,
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    data: Sequence[str | Path] = (),
    project: ProjectLike = None,
    engine: str = "oxigraph",
    allow_service: bool = False,
    timeout: float | None = None,
) -> list[dict[str, Any]] | bool | rdflib.Graph:
    """Answer a SPARQL query over the built graph (read-only; the graph is never built here).

    Give the query's text, or ``name`` for a named query of ``queries/`` with its ``params``
    (``{"pref": "富山県"}``; a value in ``<…>`` is an IRI). SELECT gives rows as mappings of
    variable to rdflib term (unbound variables left out), ASK a bool, CONSTRUCT and DESCRIBE an
    ``rdflib.Graph``. ``data``: RDF files to query instead of the build. ``timeout``: seconds
    after which the query is stopped (``QueryTimeout``); ``SERVICE`` is refused unless
    ``allow_service``.
    """
    from regiongraph.rdf.read import to_rdflib, to_rdflib_term

    result = answer(
        sparql,
        name=name,
        params=params,
        data=data,
        project=project,
        engine=engine,
        allow_service=allow_service,
        timeout=timeout,
    )
    found = result.result
    if found.kind == "ask":
        return bool(found.boolean)
    if found.kind == "graph":
        return to_rdflib(found.triples)
    return [
        {v: to_rdflib_term(t) for v, t in zip(found.variables, row, strict=True) if t is not None}
        for row in found.rows
    ]
