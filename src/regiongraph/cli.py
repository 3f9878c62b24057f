"""Command-line interface: each command parses options, calls the library, renders the result."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from regiongraph import __version__
from regiongraph.errors import NotConformingError, RegiongraphError
from regiongraph.rdf.formats import names

if TYPE_CHECKING:
    from regiongraph.validation.report import ValidationReport

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UserError(click.ClickException):
    """A user mistake (bad input, bad option): one line on stderr, exit code 2 (or another)."""

    exit_code = 2


class TimedOut(UserError):
    """A query stopped at its time limit: exit code 124, as timeout(1) has it."""

    exit_code = 124


class StoreFailed(UserError):
    """A triple store refused, failed or could not be reached: exit code 3."""

    exit_code = 3


class Interrupted(UserError):
    """Ctrl-C: exit code 130, as shells report a process interrupted by SIGINT."""

    exit_code = 130


class RegiongraphGroup(click.Group):
    """Translates domain errors into one-line messages with exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RegiongraphError as error:
            from regiongraph.errors import StoreError
            from regiongraph.sparql.worker import QueryTimeout

            failure: type[UserError] = UserError
            if isinstance(error, QueryTimeout):
                failure = TimedOut
            elif isinstance(error, StoreError):
                failure = StoreFailed
            raise failure(str(error)) from None
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None


def project_option(func: F) -> F:
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Project directory (holding data/, ontology/, shapes/). "
        "Default: the current directory if it is one, else the data shipped with regiongraph.",
    )(func)


def out_file_option(func: F) -> F:
    return click.option(
        "-o",
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file (atomically) instead of standard output.",
    )(func)


def base_iri_option(func: F) -> F:
    return click.option(
        "--base-iri",
        help="Base IRI of the graph's own resources (overrides regiongraph.toml; "
        "default https://example.org/regiongraph/).",
    )(func)


def out_dir_option(func: F) -> F:
    return click.option(
        "-o",
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        help="Output directory. Default: the project's dist/.",
    )(func)


def shacl_engine_option(func: F) -> F:
    return click.option(
        "--shacl-engine",
        type=click.Choice(["auto", "pyshacl", "fast"]),
        default="auto",
        help="SHACL engine: pyshacl (the reference), fast (pip install 'regiongraph[fast]'), or "
        "auto: pyshacl, and the fast engine for graphs over 20,000 triples when installed.",
    )(func)


def quiet_option(func: F) -> F:
    return click.option(
        "-q", "--quiet", is_flag=True, help="Show no progress (shown on a terminal only)."
    )(func)


def progress_reporter(quiet: bool) -> Callable[[str], None] | None:
    """Stage lines on standard error when it is a terminal, unless ``quiet``."""
    if quiet or not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def report(line: str) -> None:
        click.echo(f"regiongraph [{time.monotonic() - start:6.1f} s] {line}", err=True)

    return report


def emit(text: str, out: Path | None) -> None:
    """Print ``text``, or write it atomically to ``out``."""
    if out is None:
        click.echo(text, nl=False)
    else:
        from regiongraph.files import write_atomic

        write_atomic(out, text.encode("utf-8"))


def default_text_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


@click.group(cls=RegiongraphGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="regiongraph")
def main() -> None:
    """Turn Japanese lists of selected regions into a linked-data knowledge graph.

    \b
    Quick start:
      regiongraph build            # parse, link, validate, write dist/
      regiongraph extract data/source/*.txt --format json
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    help="Output format. Default: table on a terminal, csv otherwise.",
)
@out_file_option
@project_option
def extract(
    sources: tuple[Path, ...], fmt: str | None, out: Path | None, project_dir: Path | None
) -> None:
    """Print one record per region read from SOURCE documents (default: the project's).

    \b
    Example:
      regiongraph extract data/source/regional-innovation-strategy-regions-fy2013.txt -f json
    """
    from regiongraph.api import extract as extract_records
    from regiongraph.source.render import render_records

    records = extract_records(*sources, project=project_dir)
    emit(render_records(records, fmt or default_text_format()), out)


@main.command()
@project_option
@out_dir_option
@base_iri_option
@click.option(
    "--no-validate",
    is_flag=True,
    help="Write the graph even if it does not conform to the shapes.",
)
@click.option("--timings", is_flag=True, help="Print the time each stage took.")
@shacl_engine_option
@quiet_option
def build(
    project_dir: Path | None,
    out: Path | None,
    base_iri: str | None,
    no_validate: bool,
    timings: bool,
    shacl_engine: str,
    quiet: bool,
) -> None:
    """Build the knowledge graph: Turtle, JSON-LD, N-Triples and the dataset description.

    Reads every source document in data/source/, links regions to prefectures and fields,
    validates the graph against shapes/ and writes dist/ atomically. A graph that does not
    conform is not written (exit 1); a failed build leaves the previous output as it was.

    \b
    Example:
      regiongraph build --out dist --base-iri https://data.example.jp/regiongraph/
    """
    from regiongraph.api import build as build_project

    try:
        result = build_project(
            project_dir,
            out,
            base_iri,
            validate=not no_validate,
            shacl_engine=shacl_engine,
            progress=progress_reporter(quiet),
        )
    except NotConformingError as error:
        _show_report(error.report, project_dir, base_iri, err=True)
        click.echo("Error: the graph does not conform to the shapes; nothing was written", err=True)
        sys.exit(1)
    s = result.stats
    click.echo(f"built {result.out}/")
    click.echo(
        f"  regions {s.regions}, organizations {s.organizations}, "
        f"prefectures linked {s.prefectures_linked}, fields linked {s.fields_linked}, "
        f"triples {s.triples}"
    )
    click.echo("  files: " + ", ".join(path.name for path in result.files))
    if result.report is not None:
        r = result.report
        click.echo(
            f"  validation: conforms ({r.count('Warning')} warning(s); see 'regiongraph validate')"
        )
    if timings:
        click.echo("  timings: " + ", ".join(f"{k} {v:.3f}s" for k, v in result.timings.items()))


def _show_report(
    report: ValidationReport, project_dir: Path | None, base_iri: str | None, err: bool
) -> None:
    from regiongraph.api import prefixes
    from regiongraph.validation.report import render_report

    text = render_report(report, "text", prefixes(project_dir, base_iri))
    click.echo(text, nl=False, err=err)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    help="Report format: text grouped by resource, the SHACL report as Turtle, or JSON.",
)
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", help="Language of messages.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="List every result (the text report summarizes more than 100).",
)
@project_option
@base_iri_option
@shacl_engine_option
@quiet_option
def validate(
    files: tuple[Path, ...],
    fmt: str,
    lang: str,
    every: bool,
    project_dir: Path | None,
    base_iri: str | None,
    shacl_engine: str,
    quiet: bool,
) -> None:
    """Validate the graph against the project's SHACL shapes.

    Without FILE, validates the project's graph (made afresh from its sources); with FILEs
    (.ttl, .jsonld, .nt), validates those. Exit 0: conforms (warnings are shown); 1: does not
    conform; 2: unreadable input or unusable shapes.

    \b
    Example:
      regiongraph validate dist/regiongraph.ttl dist/dataset.ttl --format json
    """
    from regiongraph.api import prefixes
    from regiongraph.api import validate as validate_graph
    from regiongraph.validation.report import SUMMARY_ABOVE, render_report

    summary = fmt == "text" and not every  # a large report is summarized: not all listed
    report = validate_graph(
        *files,
        project=project_dir,
        base_iri=base_iri,
        shacl_engine=shacl_engine,
        progress=progress_reporter(quiet),
        counted_above=SUMMARY_ABOVE if summary else None,
    )
    text = render_report(report, fmt, prefixes(project_dir, base_iri), lang, every)
    click.echo(text, nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command()
@project_option
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Site directory. Default: the project's dist/site.",
)
def publish(project_dir: Path | None, out: Path | None) -> None:
    """Write the static linked-data site of the built graph: a page and data for every IRI.

    Reads dist/ only (run 'regiongraph build' first). Host the site at the base IRI; its
    .htaccess (Apache) and nginx.conf make the extension-less IRIs negotiate HTML or RDF.

    \b
    Example:
      regiongraph publish --out site
    """
    from regiongraph.api import publish as publish_site

    result = publish_site(project_dir, out)
    click.echo(f"published {result.out}/: {result.pages} pages, {result.files} files")


@main.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a SPARQL query may run before it is stopped (503).",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows (or triples) of an answer; the rest is cut off (X-Result-Truncated).",
)
@click.option(
    "--max-body",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Bytes of a POST body (413 beyond).",
)
@click.option(
    "--max-query-string",
    default=8192,
    show_default=True,
    type=click.IntRange(min=1),
    help="Bytes of a GET query string (414 beyond; POST longer queries).",
)
@click.option(
    "--max-queries",
    default=8,
    show_default=True,
    type=click.IntRange(min=1),
    help="SPARQL queries running at once; more wait for a free slot.",
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=64),
    help="Server processes accepting on the port (one per core serves most); they share "
    "--max-queries.",
)
@click.option("-q", "--quiet", is_flag=True, help="No access log.")
def serve(
    project_dir: Path | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    max_query_string: int,
    max_queries: int,
    processes: int,
    quiet: bool,
) -> None:
    """Serve the built graph: a page and data for every IRI, and a SPARQL endpoint.

    Reads dist/ only (run 'regiongraph build' first). Resource IRIs are served at their path
    below the base IRI with content negotiation (HTML, Turtle, JSON-LD, N-Triples); /sparql
    speaks the SPARQL 1.1 Protocol, read-only (updates and SERVICE are refused with 403).

    \b
    Example:
      regiongraph serve --port 8080
      curl -H 'Accept: text/turtle' http://127.0.0.1:8080/prefecture/16
    """
    from regiongraph.api import serve as run
    from regiongraph.serve.queries import Limits

    limits = Limits(timeout, max_rows, max_body, max_query_string, max_queries)
    if not quiet:
        click.echo(f"serving http://{host}:{port}/ (Ctrl-C stops)", err=True)
    run(project_dir, host, port, limits, quiet, processes)


@main.group()
def export() -> None:
    """Export the built graph in other shapes for other tools.

    \b
    Example:
      regiongraph export csv --out regions.csv --excel
    """


@export.command("csv")
@project_option
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The table. Default: the project's dist/regions.csv.",
)
@click.option("--excel", is_flag=True, help="UTF-8 with a byte-order mark, as Excel needs.")
def export_csv(project_dir: Path | None, out: Path | None, excel: bool) -> None:
    """One row per region, with a W3C CSVW metadata file mapping the columns to the graph.

    Reads dist/ only (run 'regiongraph build' first). Beside the table it writes
    TABLE-metadata.json: read through it by a CSVW processor, the table gives the graph's own
    triples (regions, their call, category, prefectures, council, organization and fields).

    \b
    Example:
      regiongraph export csv --out regions.csv
    """
    from regiongraph.api import export_csv as export_table

    result = export_table(project_dir, out, excel)
    click.echo(f"exported {result.rows} regions to {result.table} (CSVW: {result.metadata})")


@main.group()
def link() -> None:
    """Link the project's resources with other datasets (written to data/curation/).

    \b
    Example:
      regiongraph link corporate-numbers 00_zenkoku_all_20260130.zip
    """


@link.command("corporate-numbers")
@project_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def corporate_numbers(project_dir: Path | None, files: tuple[Path, ...]) -> None:
    """Find the coordinating organizations in the NTA's bulk files (法人番号 全件データ).

    Reads the zip archives or CSV files as the National Tax Agency publishes them (Unicode or
    Shift_JIS edition, per prefecture or nationwide), as a stream. An organization is taken
    only when one current corporation has its name (normalized) in its regions' prefectures.
    Writes data/curation/corporate-numbers.csv, which 'regiongraph build' then uses, and
    data/curation/corporate-numbers-unsettled.csv: the organizations a person must settle.

    \b
    Example:
      regiongraph link corporate-numbers 16_toyama_all_20260130.zip 17_ishikawa_all_20260130.zip
    """
    from regiongraph.api import link_corporate_numbers

    result = link_corporate_numbers(*files, project=project_dir)
    click.echo(
        f"read {result.rows_read} rows: {result.matched} organizations matched "
        f"({result.curation_file}), {result.unsettled} to settle ({result.unsettled_file})"
    )


@main.command()
@project_option
@click.option(
    "--endpoint",
    required=True,
    help="The store's Graph Store Protocol address (Oxigraph: http://HOST:7878/store).",
)
@click.option("--graph", help="The named graph to replace. Default: the dataset's IRI.")
@click.option(
    "--query-endpoint",
    help="The store's SPARQL query address, to count the graph after the upload. "
    "Default: read the graph back.",
)
@click.option("--gzip", is_flag=True, help="Send the body gzipped (for stores that accept it).")
@click.option(
    "--timeout",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for the store at each step.",
)
def push(
    project_dir: Path | None,
    endpoint: str,
    graph: str | None,
    query_endpoint: str | None,
    gzip: bool,
    timeout: float,
) -> None:
    """Replace a named graph in a triple store with the built dataset.

    One Graph Store Protocol PUT carries the graph, its description and the ontology as
    N-Triples, streamed. Credentials come from REGIONGRAPH_STORE_USER and
    REGIONGRAPH_STORE_PASSWORD (basic or digest). The store's graph is then counted and must
    hold what was sent. A store that refuses, fails, times out or cannot be reached: exit 3.

    \b
    Example:
      oxigraph serve --location store --bind 127.0.0.1:7878 &
      regiongraph push --endpoint http://127.0.0.1:7878/store --gzip
    """
    from regiongraph.api import push as push_dataset

    result = push_dataset(endpoint, project_dir, graph, query_endpoint, gzip, timeout)
    click.echo(
        f"pushed {result.triples} triples into <{result.graph}> at {result.endpoint} "
        f"(the store answered {result.status}; its graph holds {result.stored})"
    )


@main.command()
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the query from this file ('-' for standard input).",
)
@click.option("-n", "--name", "query_name", help="Run a named query of the project's queries/.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (a string, or <IRI>); never pasted into the query text.",
)
@click.option(
    "-d",
    "--data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Query these RDF files instead of the project's built graph.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(names("results") + names("graph")),
    help="Output format. SELECT: table (default on a terminal), csv (default otherwise), "
    "tsv, json, xml. CONSTRUCT/DESCRIBE: turtle (default), json-ld, n-triples.",
)
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    help="SPARQL engine: Oxigraph (fast, default) or rdflib's own (for comparison).",
)
@click.option(
    "--show",
    is_flag=True,
    help="Print the named query with its parameters written in, for any SPARQL endpoint; "
    "do not run it.",
)
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Widest table cell, in columns; 0 shows whole cells.",
)
@click.option(
    "--limit-rows",
    type=click.IntRange(min=0),
    metavar="N",
    help="Stop after the first N rows (or triples); the engine does no more work.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after this many seconds (exit 124).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let SERVICE clauses call other SPARQL endpoints (refused by default: no network).",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--prefixes", "show_prefixes", is_flag=True, help="List the predeclared prefixes and exit."
)
@project_option
@base_iri_option
@quiet_option
def query(
    query_text: str | None,
    query_file: Path | None,
    query_name: str | None,
    params: tuple[str, ...],
    data: tuple[Path, ...],
    fmt: str | None,
    engine: str,
    show: bool,
    width: int,
    limit_rows: int | None,
    timeout: float | None,
    allow_service: bool,
    list_queries: bool,
    show_prefixes: bool,
    project_dir: Path | None,
    base_iri: str | None,
    quiet: bool,
) -> None:
    """Answer a SPARQL query over the built graph (read-only; run 'regiongraph build' first).

    The query comes inline, from a file (--file), from standard input (--file - or piped), or
    by name (--name). Common prefixes are predeclared (see --prefixes). ASK exits 0 when true,
    1 when false. SELECT results stream as they are made; --timeout stops a query (exit 124);
    Ctrl-C stops it at once (exit 130). SERVICE is refused unless --allow-service.

    \b
    Examples:
      regiongraph query --list
      regiongraph query --name regions-in-prefecture --param pref=富山県
      regiongraph query --name regions-in-prefecture --param pref=16 --show
      regiongraph query 'SELECT ?r WHERE { ?r a rg:Region }' --format json
    """
    from regiongraph.api import answer, prefixes
    from regiongraph.sparql.named import parse_param
    from regiongraph.sparql.results import render_ask, render_graph, render_select

    if show_prefixes:
        known = prefixes(project_dir, base_iri, data)
        click.echo("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in known.items()), nl=False)
        return
    if list_queries:
        click.echo(_list_queries(project_dir), nl=False)
        return
    if sum(given is not None for given in (query_text, query_file, query_name)) > 1:
        raise UserError("give the query one way: inline, with --file, or with --name")
    if show:
        from regiongraph.api import portable_query

        if query_name is None:
            raise UserError("--show prints a named query: give --name NAME")
        bound = dict(parse_param(p) for p in params)
        shown = portable_query(query_name, bound, data=data, project=project_dir, base_iri=base_iri)
        click.echo(shown, nl=not shown.endswith("\n"))
        return
    text = None if query_name is not None else _query_text(query_text, query_file)
    native = fmt if fmt in names("results") else None
    if fmt is None and not sys.stdout.isatty():
        native = "csv"
    found = answer(
        text,
        name=query_name,
        params=dict(parse_param(p) for p in params),
        data=data,
        project=project_dir,
        base_iri=base_iri,
        engine=engine,
        results_format=native if engine == "oxigraph" else None,
        allow_service=allow_service,
        timeout=timeout,
        stoppable=True,
        out=_stdout_file(),
        progress=progress_reporter(quiet),
        limit_rows=limit_rows,
    )
    result = found.result
    if result.streamed:
        return
    if result.kind == "ask":
        click.echo(render_ask(result, fmt or "text"), nl=False)
        sys.exit(0 if result.boolean else 1)
    if result.kind == "graph":
        graph_text = render_graph(result.triples, fmt or "turtle", found.prefixes, found.context())
        click.echo(graph_text, nl=False)
        return
    text = render_select(result, fmt or default_text_format(), found.prefixes, width)
    click.echo(text, nl=False)


def _query_text(inline: str | None, path: Path | None) -> str:
    """The query given inline, in a file (``-``: standard input), or piped in."""
    if path is not None:
        return sys.stdin.read() if str(path) == "-" else _read_text(path)
    if inline is not None:
        return inline
    if sys.stdin.isatty():
        raise UserError(
            "no query: give one inline, with --file FILE, with --name NAME, or on stdin"
        )
    return sys.stdin.read()


def _stdout_file() -> Any:
    """Standard output as a binary file with a descriptor, for results streamed by a child
    process; ``None`` when it has none (captured, as by click's test runner)."""
    try:
        sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return sys.stdout.buffer


def _list_queries(project_dir: Path | None) -> str:
    from regiongraph.project import find_project
    from regiongraph.sparql.named import named_queries
    from regiongraph.tables import format_table

    rows = [
        [q.name, q.question + "".join(f" [--param {p}=…: {doc}]" for p, doc in q.params.items())]
        for q in named_queries(find_project(project_dir).queries_dir).values()
    ]
    return format_table(["name", "question"], rows, max_width=1000)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror}") from None
