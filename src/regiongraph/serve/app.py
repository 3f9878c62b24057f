"""The live linked-data server as an ASGI application (Starlette): pages, data and SPARQL.

``create_app(project)`` makes the application without opening a socket (tests call it through
Starlette's client); ``regiongraph serve`` runs it with Uvicorn. Every resource IRI under the
base is served at its path below the base with content negotiation: HTML (the pages of
``publish``, rendered by the same code), Turtle, JSON-LD and N-Triples, with ``Vary: Accept``;
its documents ``{path}.html``, ``.ttl``, ``.jsonld`` and ``.nt`` are served as they are named,
as in the static site. ``/sparql`` speaks the SPARQL 1.1 Protocol, read-only.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from regiongraph.project import Project
from regiongraph.publish.graph import SiteGraph, read_site_graph
from regiongraph.publish.render import DATA_FORMATS, DUMPS, Renderer, assets
from regiongraph.serve.negotiation import choose_language, choose_media_type
from regiongraph.serve.queries import FORMAT_NAMES, GRAPH_TYPES, Endpoint, Limits, QueryRunner
from regiongraph.serve.query_string import pairs, query_params
from regiongraph.serve.threads import ThreadQueryRunner

HERE = Path(__file__).parent
HTML = "text/html"
#: What a resource IRI offers, in the server's order of preference (a browser gets HTML).
RESOURCE_TYPES = {HTML: "html", **{media: suffix for suffix, media in DATA_FORMATS.items()}}
RESOURCE_FORMATS = {
    "html": "html",
    "ttl": "ttl",
    "turtle": "ttl",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "nt": "nt",
    "n-triples": "nt",
}
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
CORS = {"Access-Control-Allow-Origin": "*"}
LANGUAGES = ("ja", "en")
SD = "http://www.w3.org/ns/sparql-service-description#"
_DOCUMENT = re.compile(r"^(?P<path>.+)\.(?P<suffix>html|ttl|jsonld|nt)$")


def create_app(
    project: Project, limits: Limits | None = None, on_overrun: Callable[[], None] | None = None
) -> Starlette:
    """The server's application over the project's build (which it reads once, at start).

    SPARQL queries run in worker processes, each killed if its query overruns, so the
    application is safe in any ASGI server. With ``on_overrun``, they run in threads of the
    server process instead (less work per query), and ``on_overrun`` is called when one
    overruns: the caller must then end the process, which alone stops the query (as
    :class:`regiongraph.serve.server.Supervisor` does).
    """
    from regiongraph.sparql.store import graph_files, open_store

    limits = limits or Limits()
    graph = read_site_graph(project.dist)
    renderer = Renderer(graph, project)
    store = functools.partial(
        open_store, graph_files(project, []), project.dist.directory / ".oxigraph"
    )
    endpoint = Endpoint(store, graph.prefixes, graph.context, limits)
    runner: QueryRunner | ThreadQueryRunner
    if on_overrun is None:
        runner = QueryRunner(endpoint)
    else:
        runner = ThreadQueryRunner(endpoint, on_overrun)
    site = _Site(project, graph, renderer, runner, limits)
    routes = [
        Route("/", site.index, methods=["GET", "HEAD"]),
        Route("/index.html", site.index, methods=["GET", "HEAD"]),
        Route("/shapes.html", site.shapes, methods=["GET", "HEAD"]),
        Route("/sparql", site.sparql, methods=["GET", "POST", "OPTIONS", "HEAD"]),
        Route("/assets/{name}", site.asset, methods=["GET", "HEAD"]),
        Route("/{path:path}", site.resource, methods=["GET", "HEAD"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runner.open()  # the store, opened in the process that serves
        try:
            yield
        finally:
            runner.close()  # the query workers end with the server

    return Starlette(routes=routes, lifespan=lifespan)


class _Site:
    def __init__(
        self,
        project: Project,
        graph: SiteGraph,
        renderer: Renderer,
        runner: QueryRunner | ThreadQueryRunner,
        limits: Limits,
    ) -> None:
        self.project, self.graph, self.renderer, self.runner = project, graph, renderer, runner
        self.limits = limits
        self.assets = {path.name: path for path in assets()}
        self.documents = {name: project.dist.directory / name for name in DUMPS}

    # -- pages and data ----------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return self._html(request, self.renderer.index)

    async def shapes(self, request: Request) -> Response:
        return self._html(request, self.renderer.shapes)

    async def asset(self, request: Request) -> Response:
        path = self.assets.get(request.path_params["name"])  # the package's own files only
        if path is None:
            return _not_found()
        media = "text/css" if path.suffix == ".css" else "text/javascript"
        return FileResponse(path, media_type=f"{media}; charset=utf-8")

    async def resource(self, request: Request) -> Response:
        path = request.path_params["path"]
        if path in self.documents:
            media = DATA_FORMATS[Path(path).suffix.removeprefix(".")]
            return FileResponse(self.documents[path], media_type=media)
        if path.endswith(".gz") and path[:-3] in self.documents:
            return Response(self._gzipped(path), media_type="application/gzip")
        iri = self.graph.base + path
        if self._is_resource(iri):
            return self._negotiated(request, iri, path)
        match = _DOCUMENT.match(path)
        if match and self._is_resource(self.graph.base + match["path"]):
            return self._document(request, self.graph.base + match["path"], match["suffix"])
        return _not_found()

    def _is_resource(self, iri: str) -> bool:
        relative = self.graph.relative(iri)
        return relative is not None and "#" not in relative

    def _negotiated(self, request: Request, iri: str, path: str) -> Response:
        wanted = request.query_params.get("format")
        if wanted is not None:
            suffix = RESOURCE_FORMATS.get(wanted.lower())
            if suffix is None:
                return _plain(400, f"unknown format {wanted!r}; use " + ", ".join(RESOURCE_FORMATS))
        else:
            media = choose_media_type(request.headers.get("accept"), list(RESOURCE_TYPES))
            if media is None:
                return _plain(
                    406, "acceptable here: " + ", ".join(RESOURCE_TYPES), {"Vary": "Accept"}
                )
            suffix = RESOURCE_TYPES[media]
        response = self._document(request, iri, suffix)
        response.headers["Vary"] = "Accept, Accept-Language"
        name = path.rsplit("/", 1)[-1]
        response.headers["Content-Location"] = f"{name}.{suffix}"
        return response

    def _document(self, request: Request, iri: str, suffix: str) -> Response:
        if suffix == "html":
            return self._html(request, functools.partial(self.renderer.page, iri))
        media = DATA_FORMATS[suffix]
        return Response(self.renderer.data(iri, suffix), media_type=media, headers=CORS)

    def _html(self, request: Request, render: Callable[[str], str]) -> Response:
        """A page rendered in the reader's language: ``?lang=``, else ``Accept-Language``."""
        language = request.query_params.get("lang")
        if language not in LANGUAGES:
            language = choose_language(request.headers.get("accept-language"), LANGUAGES)
        return Response(
            render(language),
            media_type="text/html; charset=utf-8",
            headers={"Vary": "Accept-Language"},
        )

    def _gzipped(self, name: str) -> bytes:
        """A gzipped dump, made on first request and kept (as publish makes it)."""
        return next(dump.data for dump in self.renderer.dumps if dump.file == name)

    # -- SPARQL ------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(
                status_code=204,
                headers={
                    **CORS,
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Access-Control-Max-Age": "86400",
                },
            )
        raw = request.scope.get("query_string", b"")
        if len(raw) > self.limits.max_query_string:  # refused before it is decoded
            return _plain(
                414,
                f"the query string is longer than {self.limits.max_query_string} bytes; "
                "send the query with POST",
            )
        params = query_params(raw)
        query, refusal = await self._query_text(request, params)
        if refusal is not None:
            return refusal
        if query is None:
            return self._service_description(request)
        # Empty queries, updates and SERVICE are refused by the worker (our lexer reads the
        # text there, off the event loop): see queries.refusal and queries.update_refusal.
        accept = request.headers.get("accept")
        wanted = params.get("format")
        if wanted is not None:
            if wanted.lower() not in FORMAT_NAMES:
                return _plain(400, f"unknown format {wanted!r}; use " + ", ".join(FORMAT_NAMES))
            accept = FORMAT_NAMES[wanted.lower()]
        answer, body = await self.runner.run(query, accept)
        headers = {**CORS, "Vary": "Accept", **answer.headers}
        if answer.status != 200:
            return _plain(answer.status, answer.message, headers)
        media_type = answer.media_type + (
            "" if answer.media_type.endswith("json") else "; charset=utf-8"
        )
        if isinstance(body, bytes):
            return Response(body, media_type=media_type, headers=headers)
        return StreamingResponse(body, media_type=media_type, headers=headers)

    async def _query_text(
        self, request: Request, params: QueryParams
    ) -> tuple[str | None, Response | None]:
        """The query of a SPARQL protocol request, or the refusal to send instead."""
        if request.method in ("GET", "HEAD"):
            return _one(params.getlist("query"), params.keys())
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body, refusal = await self._body(request)
        if refusal is not None:
            return None, refusal
        if kind == SPARQL_UPDATE:
            return None, _plain(403, "updates are refused: this endpoint is read-only")
        if kind == SPARQL_QUERY:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return None, _plain(400, "the query is not UTF-8")
            return text, _graph_parameters(params.keys())
        if kind == FORM:
            try:
                form = _grouped(pairs(body.decode("utf-8")))
            except UnicodeDecodeError:
                return None, _plain(400, "the form is not UTF-8")
            if "update" in form:
                return None, _plain(403, "updates are refused: this endpoint is read-only")
            if "query" not in form:
                return None, _plain(400, "the form has no 'query' field")
            return _one(form["query"], form.keys())
        return None, _plain(415, f"POST a query as {SPARQL_QUERY} or as a {FORM} form")

    async def _body(self, request: Request) -> tuple[bytes, Response | None]:
        too_large = _plain(413, f"the request body is larger than {self.limits.max_body} bytes")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limits.max_body:
            return b"", too_large
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.limits.max_body:
                return b"", too_large
            chunks.append(chunk)
        return b"".join(chunks), None

    def _service_description(self, request: Request) -> Response:
        offers = [*GRAPH_TYPES, HTML]  # no preference stated: Turtle; a browser: the query page
        media = choose_media_type(request.headers.get("accept"), offers)
        if media is None:
            return _plain(406, "acceptable here: " + ", ".join(offers), {"Vary": "Accept"})
        if media == HTML:
            response = self._html(request, self.renderer.sparql_page)
            response.headers["Vary"] = "Accept, Accept-Language"
            return response
        endpoint = str(request.url.replace(query=""))
        return Response(
            _describe_service(endpoint, GRAPH_TYPES[media], self.graph),
            media_type=media,
            headers={**CORS, "Vary": "Accept"},
        )


def _describe_service(endpoint: str, fmt: str, graph: SiteGraph) -> bytes:
    import pyoxigraph as ox

    from regiongraph.sparql.results import render_graph

    triples = [
        q.triple
        for q in ox.parse(
            path=HERE / "service-description.ttl", format=ox.RdfFormat.TURTLE, base_iri=endpoint
        )
    ]
    prefixes = {**graph.prefixes, "sd": SD, "formats": "http://www.w3.org/ns/formats/"}
    return render_graph(triples, fmt, prefixes, graph.context).encode("utf-8")


def _grouped(found: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Name-value pairs as ``parse_qs`` gives them: each name's values, in order."""
    grouped: dict[str, list[str]] = {}
    for name, value in found:
        grouped.setdefault(name, []).append(value)
    return grouped


def _one(values: list[str], keys: Any) -> tuple[str | None, Response | None]:
    """The one query of a request (None: none, so the service description), or the refusal."""
    if len(values) > 1:
        return None, _plain(400, "give one 'query' parameter, not several")
    return (values[0] if values else None), _graph_parameters(keys)


def _graph_parameters(keys: Any) -> Response | None:
    named = [k for k in keys if k in ("default-graph-uri", "named-graph-uri")]
    if named:
        return _plain(400, f"{named[0]} is not supported: the endpoint has one dataset")
    return None


def _plain(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(
        message + "\n", status_code=status, headers={**CORS, **(headers or {})}
    )


def _not_found() -> Response:
    return _plain(404, "not found: no resource or document has this path")
